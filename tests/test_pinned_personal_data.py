"""Personal data, pinned where mutation testing (`make mutation`, README "Mutation testing") found
a change to the code that no other test noticed: where eight digits written together are a date
and where a phone number, and which allow-list entry names which phone number.
"""

from __future__ import annotations

import pytest

from portal_factory import MEASURE_FUNDED, load_problems, patch_file
from prioportal.checks.personal_data import PHONE, ScanRules, is_allowed, scan_text

PHONES = ScanRules(phone_numbers=True)


def phones_in(text: str) -> list[str]:
    return [f.value for f in scan_text(text, PHONES) if f.kind == PHONE]


@pytest.mark.parametrize("digits", [
    "20992100",  # the school years 2099-2100, written together
    "20251015", "20250310", "20991231",  # 15 October and 10 March 2025, 31 December 2099, as YYYYMMDD
    "25102025", "31121900", "31122099",  # DDMMYYYY: 25 October 2025, the last days of 1900 and 2099
])
def test_eight_digits_that_are_a_date_are_not_a_phone_number(digits):
    assert phones_in(f"Vedtatt {digits} i kommunestyret.") == []


@pytest.mark.parametrize("digits", [
    "21002101", "21000101",  # "years" 2100-2101, 1 January 2100: past the years a text speaks of
    "20251234", "20251340",  # 2025, but no such month and day
    "32122025",  # no 32nd day
    "31122100",  # 31.12.2100: past the years a text speaks of
])
def test_eight_digits_that_are_no_date_a_text_speaks_of_are_a_phone_number(digits):
    assert phones_in(f"Ring {digits} i dag.") == [digits]


def test_an_allow_list_entry_allows_the_phone_number_it_names_with_or_without_the_country_code():
    (landline,) = [f for f in scan_text("Ring +46 8 123 45 67.", PHONES) if f.kind == PHONE]
    assert is_allowed(landline, ["08-123 45 67"])
    (mobile,) = [f for f in scan_text("Ring 47 12 34 56.", PHONES) if f.kind == PHONE]
    assert is_allowed(mobile, ["+47 47 12 34 56"]) and is_allowed(mobile, ["47123456"])
    # Norwegian numbers begin with 46 and 47 too: that is not a country code to drop.
    assert not is_allowed(mobile, ["12 34 56"])
    (other,) = [f for f in scan_text("Ring 46 12 34 56.", PHONES) if f.kind == PHONE]
    assert not is_allowed(other, ["012 34 56"])


def test_an_allowed_email_domain_may_be_written_with_an_at_sign_a_final_dot_or_capitals():
    rules = ScanRules(allowed_email_domains=("@Eksempelvik.kommune.no", "example.NO."))
    found = [f.value for f in scan_text("Skriv til post@eksempelvik.kommune.no, kari@example.no eller "
                                        "kari@gmail.com.", rules)]
    assert found == ["kari@gmail.com"]


def test_an_allow_list_names_an_identity_number_by_its_own_digits_only():
    """Not by a phone number's forms of it (a D-number can begin with 46, as Sweden's code does),
    and an entry without digits (a name) before it does not end the list."""
    (d_number,) = scan_text("D-nummer 46019010015.")
    assert is_allowed(d_number, ["Kari Nordmann", "460190 10015"])
    assert not is_allowed(d_number, ["0019010015"])
    (personnummer,) = scan_text("Personnummer 050101-1001.")
    assert not is_allowed(personnummer, ["46501011001"])


def test_a_name_of_two_words_is_found_however_the_words_are_spaced():
    # A name no other test uses: the compiled patterns are kept per list of names.
    rules = ScanRules(names=("Ola Pinnedal",))
    assert [f.value for f in scan_text("Søknaden fra Ola  Pinnedal og ola\npinnedal.", rules)] == [
        "Ola  Pinnedal", "ola\npinnedal"]


def test_an_identity_number_in_a_decision_file_is_named_for_what_it_is(make_portal):
    portal = make_portal()
    patch_file(portal, MEASURE_FUNDED, "\ntitle: ", "\ntitle: Søker 46019010015, ")
    (problem,) = [p for p in load_problems(portal) if p.path.endswith(MEASURE_FUNDED)]
    assert problem.message == "a Norwegian D-number (D-nummer) (460190*****) must not be published"
