"""Personal data in text about to be published: what is caught, and what must not be.

Identity numbers here are computed in the test from dates in the 1890s (nobody alive), with
check digits worked out independently of the code under test; none is copied from anywhere.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from prioportal.sources.yaml_files import load_yaml
from prioportal.checks.personal_data import (
    D_NUMMER, EMAIL, FODSELSNUMMER, H_NUMMER, NAME, PERSONNUMMER, PHONE, SAMORDNINGSNUMMER,
    Finding, ScanRules, is_allowed, scan_data, scan_text,
)

NO_KINDS = {FODSELSNUMMER, D_NUMMER, H_NUMMER}
SE_KINDS = {PERSONNUMMER, SAMORDNINGSNUMMER}
ALL_RULES = ScanRules(names=("Ola Nordmann", "Åse Ødegård"), phone_numbers=True,
                      allowed_email_domains=("eksempelvik.kommune.no",))


# --- Check digits, computed here from the published rules --------------------------------

def mod11_digits(nine: str) -> str | None:
    """Both check digits of a Norwegian number, or None where the first nine allow none."""
    def digit(digits, weights):
        total = 0
        for d, w in zip(digits, weights):
            total += int(d) * w
        k = (11 - total % 11) % 11
        return None if k == 10 else str(k)
    k1 = digit(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2])
    if k1 is None:
        return None
    k2 = digit(nine + k1, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    return None if k2 is None else k1 + k2


def luhn(nine: str) -> str:
    total = 0
    for position, d in enumerate(nine):
        product = int(d) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def fodselsnummer(born: date, individual: int, *, d_number=False, h_number=False) -> str:
    """A valid number for `born`, or the next individual number that has check digits."""
    day = born.day + (40 if d_number else 0)
    month = born.month + (40 if h_number else 0)
    for n in range(individual, individual + 50):
        nine = f"{day:02d}{month:02d}{born.year % 100:02d}{n:03d}"
        check = mod11_digits(nine)
        if check:
            return nine + check
    raise AssertionError("no individual number with check digits")


def personnummer(born: date, serial: int, *, samordning=False, long=False, sep="-") -> str:
    day = born.day + (60 if samordning else 0)
    short = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    three = f"{serial:03d}"
    check = luhn(short + three)
    head = f"{born.year // 100}{short}" if long else short
    return f"{head}{sep}{three}{check}"


BORN = date(1891, 3, 14)  # individual numbers 500-749 belong to 1854-1899


def kinds(text: str, rules: ScanRules = ScanRules()) -> list[str]:
    return [f.kind for f in scan_text(text, rules)]


# --- Norwegian numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("form", ["{}", "{:.6} {}", "{:.6}-{}"])
def test_fodselsnummer_is_found_as_people_write_it(form):
    number = fodselsnummer(BORN, 512)
    written = form.format(number, number[6:]) if "{:.6}" in form else number
    text = f"Søkeren ({written}) fikk avslag."
    [finding] = scan_text(text)
    assert finding.kind == FODSELSNUMMER
    assert text[finding.start:finding.end] == written
    assert finding.text.replace(" ", "").replace("-", "") == number[:6] + "*****"


def test_d_number_and_h_number_are_found():
    d_number = fodselsnummer(BORN, 600, d_number=True)
    h_number = fodselsnummer(BORN, 600, h_number=True)
    assert int(d_number[:2]) > 40 and int(h_number[2:4]) > 40
    assert kinds(f"D-nummer {d_number}, H-nummer {h_number}.") == [D_NUMMER, H_NUMMER]


def test_a_wrong_check_digit_is_not_a_fodselsnummer():
    number = fodselsnummer(BORN, 512)
    for wrong in {number[:10] + str((int(number[10]) + 1) % 10), number[:9] + str((int(number[9]) + 3) % 10) + number[10]}:
        assert kinds(wrong) == [], wrong


def test_check_digits_without_a_real_date_are_not_a_fodselsnummer():
    nine = "310291512"  # 31 February
    check = mod11_digits(nine) or mod11_digits("310291513")
    number = (nine if mod11_digits(nine) else "310291513") + check
    assert kinds(number) == []


@pytest.mark.parametrize("text", [
    "Rammen er 12000000000 kroner.",          # 11 digits, month 00
    "Rammen er 12 000 000 000 kroner.",
    "Tiltaket koster 1 200 000 i år 1 og 3 600 000 senere.",
    "Saksnummer 2024/1432, arkivsak 2025/01432.",
    "Org.nr. 999 999 999 og 974760673.",
    "Vedtatt 2024-12-12, møte 12.12.2024, frist 20241212.",
    "Ring +47 12 34 56 78 eller 070-123 45 67.",
    "Pi er 3,14159265358 og e er 2.71828182845.",
    "Kontonummer 1234.56.78903.",
])
def test_ordinary_numbers_are_not_identity_numbers(text):
    assert kinds(text) == []


# --- Swedish numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("long, sep", [(False, "-"), (False, "+"), (False, ""), (True, "-"), (True, ""), (True, " "),
                                       (False, " ")])
def test_personnummer_is_found_in_every_written_form(long, sep):
    number = personnummer(date(1893, 7, 2), 123, long=long, sep=sep)
    text = f"Brukaren har personnummer {number}."
    [finding] = scan_text(text)
    assert finding.kind == PERSONNUMMER
    assert text[finding.start:finding.end] == number
    assert finding.text.endswith("****") and number[-4:] not in finding.text


def test_samordningsnummer_is_found():
    number = personnummer(date(1895, 11, 23), 456, samordning=True)
    assert number[4:6] == "83"
    assert kinds(number) == [SAMORDNINGSNUMMER]


def test_a_wrong_luhn_digit_is_not_a_personnummer():
    number = personnummer(date(1893, 7, 2), 123)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert kinds(wrong) == []
    assert kinds("18" + wrong) == []


# --- Hypothesis: the check digits are what decides -----------------------------------------

@st.composite
def norwegian_candidates(draw):
    """A real date, an individual number that fits its century, and any two final digits."""
    born = draw(st.dates(date(1854, 1, 1), date(2039, 12, 31)))
    if born.year < 1900:
        individual = draw(st.integers(500, 749))
    elif born.year < 2000:
        individual = draw(st.integers(0, 499))
    else:
        individual = draw(st.integers(500, 999))
    offset = draw(st.sampled_from([0, 40]))  # fødselsnummer or D-nummer
    nine = f"{born.day + offset:02d}{born.month:02d}{born.year % 100:02d}{individual:03d}"
    return nine + draw(st.text("0123456789", min_size=2, max_size=2))


@settings(max_examples=300, deadline=None)
@given(norwegian_candidates())
def test_property_only_correct_check_digits_make_a_fodselsnummer(number):
    found = [f for f in scan_text(f"nr {number} ok") if f.kind in NO_KINDS]
    if mod11_digits(number[:9]) == number[9:]:
        assert len(found) == 1
    else:
        assert found == []


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789", min_size=11, max_size=11))
def test_property_random_eleven_digits_failing_the_check_are_never_reported(number):
    assume(mod11_digits(number[:9]) != number[9:])
    assert [f for f in scan_text(number) if f.kind in NO_KINDS] == []


@settings(max_examples=300, deadline=None)
@given(st.dates(date(1854, 1, 1), date(2039, 12, 31)), st.text("0123456789", min_size=4, max_size=4),
       st.sampled_from(["-", "+", ""]))
def test_property_only_a_correct_luhn_digit_makes_a_personnummer(born, serial, sep):
    number = f"{born:%y%m%d}{sep}{serial}"
    found = [f for f in scan_text(number) if f.kind in SE_KINDS]
    if luhn(f"{born:%y%m%d}" + serial[:3]) == serial[3]:
        assert [f.kind for f in found] == [PERSONNUMMER]
    else:
        assert found == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_property_any_text_gives_findings_inside_the_text(text):
    for finding in scan_text(text, ALL_RULES):
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.value == text[finding.start:finding.end]


# --- Names ---------------------------------------------------------------------------------

def test_a_name_matches_whole_words_in_any_case():
    rules = ScanRules(names=("Ola Nordmann",))
    assert kinds("Saken gjelder ola nordmann.", rules) == [NAME]
    assert kinds("SAKEN GJELDER OLA NORDMANN", rules) == [NAME]
    assert kinds("Ola\n  Nordmann søkte om hjelp.", rules) == [NAME]  # a folded YAML line
    assert kinds("Ola Nordmanns søknad ble avslått.", rules) == [NAME]  # genitive still names him
    assert kinds("Nordmannsveien 2 får ny fortau.", rules) == []
    assert kinds("Ola Nordmannsen og Kola Nordmann.", rules) == []


def test_names_with_norwegian_and_swedish_letters():
    rules = ScanRules(names=("Åse Ødegård", "Märta"))
    assert kinds("Møte med ÅSE ØDEGÅRD i dag.", rules) == [NAME]
    assert kinds(unicodedata.normalize("NFD", "Møte med Åse Ødegård."), rules) == [NAME]
    assert kinds("märta kom, men Märtas bror och Märtaborg", rules) == [NAME, NAME]
    assert kinds("Åse Ødegårdsvei", rules) == []


def test_no_names_configured_means_no_name_findings():
    assert kinds("Ola Nordmann") == []


# --- Phone numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("phone", [
    "912 34 567", "91234567", "22 33 44 55", "2233 4455", "+47 912 34 567", "+4791234567", "0047 22 33 44 55",
    "070-123 45 67", "0701234567", "070 123 45 67", "+46 70 123 45 67", "+46701234567", "08-123 45 67",
])
def test_phone_numbers_are_found_when_asked_for(phone):
    text = f"Ring {phone} for å avtale."
    [finding] = scan_text(text, ScanRules(phone_numbers=True))
    assert finding.kind == PHONE and text[finding.start:finding.end] == phone
    assert scan_text(text) == []  # the rule is off by default


@pytest.mark.parametrize("text", [
    "Rammen er 45 000 000 kroner, og 12 000 000 går til drift.",
    "Tiltaket koster 30000000 kr.",
    "Kostnad: 25000000, frist 20241212, vedtatt 24122024.",
    "Org.nr. 999 999 999, saksnummer 2024/1432, år 2024-2025.",
    "1 200 000 i år 1",
    "Meld. St. 15 (2017-2018), https://www.regjeringen.no/no/dokumenter/meld.-st.-15-20172018/id2599850/",
    "Se www.ssb.no/statbank/table/12345678 og årene 20242025.",
    "Planen gjelder budsjettårene 2025 2026.",
])
def test_amounts_and_dates_are_not_phone_numbers(text):
    assert kinds(text, ScanRules(phone_numbers=True)) == []


def test_an_identity_number_is_one_finding_even_with_the_phone_rule():
    number = fodselsnummer(BORN, 512)
    assert kinds(f"{number} og {number[:6]} {number[6:]}", ALL_RULES) == [FODSELSNUMMER, FODSELSNUMMER]


# --- E-mail addresses ----------------------------------------------------------------------

def test_email_outside_allowed_domains_is_found():
    rules = ScanRules(allowed_email_domains=("eksempelvik.kommune.no",))
    text = ("Skriv til postmottak@eksempelvik.kommune.no eller helse@sub.Eksempelvik.Kommune.no. "
            "Søkeren skrev fra kari.nordmann@gmail.com, og fra x@eksempelvik.kommune.no.evil.com "
            "og y@fakeeksempelvik.kommune.no.")
    found = scan_text(text, rules)
    assert [text[f.start:f.end] for f in found] == [
        "kari.nordmann@gmail.com", "x@eksempelvik.kommune.no.evil.com", "y@fakeeksempelvik.kommune.no"]
    assert found[0].text == "k************@gmail.com"


def test_emails_are_not_checked_unless_asked_for():
    assert kinds("kari@gmail.com") == []
    assert kinds("kari@gmail.com", ScanRules(allowed_email_domains=())) == [EMAIL]


# --- Allow-listing and masking -------------------------------------------------------------

def test_allow_list_compares_the_digits_only():
    number = fodselsnummer(BORN, 512)
    [finding] = scan_text(f"{number[:6]} {number[6:]}")
    assert is_allowed(finding, [number])
    assert is_allowed(finding, [f"{number[:6]}-{number[6:]}"])
    assert not is_allowed(finding, [fodselsnummer(BORN, 600), "", "nothing"])


def test_allow_list_for_phone_email_and_name():
    [phone] = scan_text("Sentralbord +47 22 33 44 55.", ScanRules(phone_numbers=True))
    assert is_allowed(phone, ["22334455"]) and is_allowed(phone, ["0047 22 33 44 55"])
    assert not is_allowed(phone, ["22334456"])
    [swedish] = scan_text("Växel 070-123 45 67.", ScanRules(phone_numbers=True))
    assert is_allowed(swedish, ["+46 70 123 45 67"])
    [email] = scan_text("kontakt@Frivillig.no", ScanRules(allowed_email_domains=()))
    assert is_allowed(email, ["KONTAKT@frivillig.no"]) and not is_allowed(email, ["frivillig.no"])
    [name] = scan_text("ÅSE  ØDEGÅRD", ScanRules(names=("Åse Ødegård",)))
    assert is_allowed(name, ["åse ødegård"]) and not is_allowed(name, ["Åse"])


def test_masked_text_and_repr_do_not_repeat_the_personal_data():
    number = fodselsnummer(BORN, 512)
    found = scan_text(f"{number} Ola Nordmann ola@gmail.com 912 34 567", ALL_RULES)
    assert [f.kind for f in found] == [FODSELSNUMMER, NAME, EMAIL, PHONE]
    for finding in found:
        assert finding.value not in finding.text
        assert finding.value not in repr(finding)
    assert found[0].text == number[:6] + "*****"
    assert found[1].text == "O** N*******"


# --- Scanning loaded data ------------------------------------------------------------------

def test_scan_data_gives_field_paths_that_the_document_can_locate(tmp_path):
    number = fodselsnummer(BORN, 512)
    text = (
        "id: x\n"
        "outcome:\n"
        "  rationale: |\n"
        "    Saken gjelder en bruker.\n"
        f"    Fødselsnummer {number}.\n"
        "inputs:\n"
        "  - name: Eldrerådet\n"
        "    summary: Innspill fra Ola Nordmann.\n"
        "Ola Nordmann: a field name is not scanned\n"
        "rank: 1\n"
        "ok: true\n"
    )
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    document = load_yaml(path, "x.yml").document
    found = scan_data(document.data, ScanRules(names=("Ola Nordmann",)))
    assert [(where, f.kind) for where, f in found] == [(("outcome", "rationale"), FODSELSNUMMER),
                                                      (("inputs", 0, "summary"), NAME)]
    assert document.locate(found[0][0]) == (3, 14)
    assert document.locate(found[1][0]) == (8, 14)


def test_an_integer_is_checked_with_its_lost_leading_zero():
    number = fodselsnummer(date(1891, 3, 4), 512)
    assert number.startswith("0")
    [(where, finding)] = scan_data({"note": int(number)})
    assert where == ("note",) and finding.kind == FODSELSNUMMER
    assert finding.text == number[:6] + "*****"


def test_an_unquoted_number_in_yaml_is_found(tmp_path):
    """`note: 04039151222` unquoted: the loader reads it as a number (and must not crash)."""
    number = fodselsnummer(date(1891, 3, 4), 512)
    path = tmp_path / "x.yml"
    path.write_text(f"id: x\nnote: {number}\n", encoding="utf-8")
    result = load_yaml(path, "x.yml")
    assert result.document is not None, result.problems
    [(where, finding)] = scan_data(result.document.data)
    assert where == ("note",) and finding.kind == FODSELSNUMMER


def test_scan_data_ignores_amounts_and_flags():
    data = {"budget_frame": 45000000, "rank": 3, "ok": True, "costs": [{"year_1": "1 200 000", "year_2": 12000000000}]}
    assert scan_data(data, ALL_RULES) == []


def test_finding_is_a_plain_value():
    a = Finding(PHONE, 0, 3, "1**", "123")
    assert a == Finding(PHONE, 0, 3, "1**", "999") and hash(a)


# The quick check on a whole file may only skip files in which the full scan finds nothing.
_PIECES = ["0101", "9012345", "19850717", "-", " ", "\n  ", "+", "98", "76", "2026-0157", "2025-09-20", "+47 ",
           "22 33 44 55", "0047", "070", "12", "345", "6789", "a", "id: x-", "kr", "@", "Kari Nordmann"]


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_the_quick_check_of_a_file_never_skips_what_the_full_scan_finds(pieces):
    from prioportal.checks.personal_data import may_hold_personal_data

    text = "".join(pieces)
    rules = ScanRules(names=("Kari Nordmann",), phone_numbers=True, allowed_email_domains=("kommune.no",))
    if not may_hold_personal_data(text, rules):
        assert scan_text(text, rules) == []
        assert scan_text(" ".join(text.split()), rules) == []  # as YAML folds a wrapped line
