"""Finding personal data about service recipients in text that is about to be published.

Openness must not breach privacy: a decision file may never publish a national identity
number, and a portal can ask for names of individuals, phone numbers and private e-mail
addresses to be caught as well. Everything here is pure (no I/O), so the pipeline can scan
decision files and pages before anything is written.

    rules = ScanRules(names=("Kari Nordmann",), phone_numbers=True,
                      allowed_email_domains=("eksempelvik.kommune.no",))
    for path, finding in scan_data(document.data, rules):
        if not is_allowed(finding, allow_list):
            document.problem(path, T("{what} ({text}) ...", what=describe(finding.kind), text=finding.text), ...)

Identity numbers are recognised by their structure, not their look: a Norwegian
fødselsnummer/D-nummer/H-nummer needs a real date and both mod-11 check digits, a Swedish
personnummer/samordningsnummer a real date and a correct Luhn digit. Amounts, case numbers,
organisation numbers and dates therefore do not trigger. An account number (1234.56.78903) has
eleven digits and one mod-11 digit too, computed as a fødselsnummer's second one; it is told
apart by its grouping (4.2.5, never a date of six digits followed by five) and, written
together, by the first check digit and the date, which an account number rarely also has.

Text is scanned as a reader sees it (`rendered_text.as_read`): `010190&#32;12345`,
`010190<!-- -->12345` and a number split by a zero-width or no-break space are one number, and a
finding is reported where it was written. Where the date part and the rest are split, they may
be split the ways people split them: by a space, a hyphen or dash, a full stop or slash (Norwegian
numbers), or Markdown emphasis.

`Finding.text` is masked and safe to print in a build log; the unmasked value is kept in
`Finding.value` (left out of repr) only so that `is_allowed` can compare it.
"""

from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from prioportal.checks.rendered_text import Reading, as_read, may_hide
from prioportal.problems import T

FieldPath = tuple[str | int, ...]

# Kinds of finding, most serious first: when two findings overlap, the earlier kind wins.
FODSELSNUMMER = "fodselsnummer"
D_NUMMER = "d-nummer"
H_NUMMER = "h-nummer"
PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
NAME = "name"
EMAIL = "email"
PHONE = "phone"

ID_NUMBER_KINDS = frozenset({FODSELSNUMMER, D_NUMMER, H_NUMMER, PERSONNUMMER, SAMORDNINGSNUMMER})
_PRIORITY = {kind: i for i, kind in enumerate(
    (FODSELSNUMMER, D_NUMMER, H_NUMMER, PERSONNUMMER, SAMORDNINGSNUMMER, NAME, EMAIL, PHONE))}

# Said in the reader's language where a problem is shown (each is a `Text`, English as a str).
KIND_DESCRIPTIONS = {
    FODSELSNUMMER: T("a Norwegian national identity number (fødselsnummer)"),
    D_NUMMER: T("a Norwegian D-number (D-nummer)"),
    H_NUMMER: T("a Norwegian H-number (H-nummer)"),
    PERSONNUMMER: T("a Swedish personal identity number (personnummer)"),
    SAMORDNINGSNUMMER: T("a Swedish co-ordination number (samordningsnummer)"),
    NAME: T("the name of an individual"),
    EMAIL: T("an e-mail address outside the municipality's domains"),
    PHONE: T("a phone number"),
}


def describe(kind: str) -> str:
    """What a kind of finding is, as a `Text` (a `str` in English) to say in the reader's language."""
    return KIND_DESCRIPTIONS.get(kind, kind)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # offset in the scanned text (for a scanned integer: 0 .. len(str(value)))
    end: int
    text: str  # masked, safe to print
    value: str = field(default="", repr=False, compare=False)  # the text as found; never print it
    # The text as written where that differs from how it reads (an entity, a zero-width space
    # inside): what to search for in the file to point at the finding. Never print it either.
    written: str = field(default="", repr=False, compare=False)

    @property
    def is_id_number(self) -> bool:
        return self.kind in ID_NUMBER_KINDS


@dataclass(frozen=True)
class ScanRules:
    names: tuple[str, ...] = ()
    phone_numbers: bool = False
    allowed_email_domains: tuple[str, ...] | None = None  # None: e-mail addresses are not checked

    @property
    def _names_pattern(self) -> re.Pattern[str] | None:
        return _compile_names(tuple(self.names))


# --- Identity numbers ----------------------------------------------------------------------

# Between the date and the rest, where people split them (in the text as read, every space is
# a space and every dash a hyphen): a space, a hyphen, a full stop or a slash with or without
# spaces around it, Markdown emphasis. A Swedish number is split by - or + (over a hundred years
# old), never by . or /: "070123.4567" is more often something else, and Swedish numbers, with
# one check digit, would turn up by chance ten times as often as Norwegian ones.
_NO_SPLIT = r"(?:[ ]?[\-./][ ]?|[ ]|[*_`]{1,2})?"
_SE_SPLIT = r"(?:[ ]?[\-+][ ]?|[ ]|[*_`]{1,2})?"
# Six date digits, the split, five digits; not part of a longer number.
_NO_ID = re.compile(rf"(?<!\d)(?<!\d[.,])(\d{{6}}){_NO_SPLIT}(\d{{5}})(?!\d)(?![.,]\d)")
# YYMMDD or YYYYMMDD, the split, four digits; not part of a longer number.
_SE_ID = re.compile(rf"(?<!\d)(?<!\d[.,])(\d{{8}}|\d{{6}}){_SE_SPLIT}(\d{{4}})(?!\d)(?![.,]\d)")

_NO_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_NO_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _mod11(digits: Iterable[int], weights: tuple[int, ...]) -> int | None:
    """The mod-11 check digit, or None where the number cannot have one (remainder gives 10)."""
    rest = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    if rest == 11:
        return 0
    return None if rest == 10 else rest


def norwegian_check_digits(first_nine: str) -> str | None:
    """The two check digits of a fødselsnummer from its first nine digits, or None if none exist."""
    digits = [int(c) for c in first_nine]
    k1 = _mod11(digits, _NO_WEIGHTS_1)
    if k1 is None:
        return None
    k2 = _mod11(digits + [k1], _NO_WEIGHTS_2)
    return None if k2 is None else f"{k1}{k2}"


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _norwegian_centuries(yy: int, individual: int) -> tuple[int, ...]:
    """Centuries the individual number allows for a two-digit year (NAV/Skatteetaten rules)."""
    if individual <= 499:
        return (1900,)
    if individual <= 749 and yy >= 54:
        return (1800,)
    if individual >= 900 and yy >= 40:
        return (1900,)
    if yy <= 39:
        return (2000,)
    return (1800, 1900, 2000)  # not allocated today; judge by the date alone rather than miss one


def norwegian_kind(digits: str) -> str | None:
    """FODSELSNUMMER, D_NUMMER or H_NUMMER if the 11 digits are a valid number, else None."""
    if len(digits) != 11 or not digits.isdigit():
        return None
    if norwegian_check_digits(digits[:9]) != digits[9:]:
        return None
    day, month, yy, individual = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6:9])
    kind = FODSELSNUMMER
    if day > 40:
        day, kind = day - 40, D_NUMMER
    elif month > 40:
        month, kind = month - 40, H_NUMMER
    if not any(_valid_date(century + yy, month, day) for century in _norwegian_centuries(yy, individual)):
        return None
    return kind


def luhn_digit(digits: str) -> int:
    """The Luhn check digit for `digits` (weights 2, 1, 2, ... from the left, as for nine digits)."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def swedish_kind(date_part: str, serial: str) -> str | None:
    """PERSONNUMMER or SAMORDNINGSNUMMER if YYMMDD/YYYYMMDD + NNNC is a valid number, else None."""
    if len(serial) != 4 or len(date_part) not in (6, 8) or not (date_part + serial).isdigit():
        return None
    short = date_part[-6:]
    if luhn_digit(short + serial[:3]) != int(serial[3]):
        return None
    month, day = int(short[2:4]), int(short[4:6])
    kind = PERSONNUMMER
    if day > 60:
        day, kind = day - 60, SAMORDNINGSNUMMER
    if len(date_part) == 8:
        years: Iterable[int] = (int(date_part[:4]),)
        if not 1800 <= int(date_part[:4]) <= 2099:
            return None
    else:
        years = (century + int(short[:2]) for century in (1800, 1900, 2000))
    if not any(_valid_date(year, month, day) for year in years):
        return None
    return kind


def _id_numbers(text: str) -> Iterator[Finding]:
    for match in _NO_ID.finditer(text):
        kind = norwegian_kind(match.group(1) + match.group(2))
        if kind:
            yield _finding(kind, text, match.start(), match.end())
    for match in _SE_ID.finditer(text):
        kind = swedish_kind(match.group(1), match.group(2))
        if kind:
            yield _finding(kind, text, match.start(), match.end())


# --- Phone numbers -------------------------------------------------------------------------

_NO_PREFIX = r"(?:\+47|0047)[ \-]?"
_SE_PREFIX = r"(?:\+46|0046)[ \-]?"
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[.,/])(?:"
    # Norwegian, with country code: any eight digits as people group them.
    rf"{_NO_PREFIX}(?:\d{{8}}|\d{{2}} \d{{2}} \d{{2}} \d{{2}}|\d{{3}} \d{{2}} \d{{3}}|\d{{4}} \d{{4}})"
    # Norwegian, national: numbers start with 2-9; grouped 2-2-2-2, 3-2-3 or 4-4.
    r"|[2-9]\d \d{2} \d{2} \d{2}|[2-9]\d{2} \d{2} \d{3}|(?P<four>[2-9]\d{3} \d{4})"
    r"|(?P<plain>[2-9]\d{7})"
    # Swedish mobile: 07x-xxx xx xx, 07x xxx xx xx, 07xxxxxxxx, +46 7x xxx xx xx.
    rf"|(?:{_SE_PREFIX}|0)7\d[ \-]?\d{{3}}[ \-]?\d{{2}}[ \-]?\d{{2}}"
    # Swedish landline with area code: 08-123 45 67, 031-12 34 56, +46 8 123 45 67.
    r"|0[1-9]\d{0,2}-\d{2,3}[ ]?\d{2}[ ]?\d{2}"
    rf"|{_SE_PREFIX}[1-9]\d{{0,2}}[ \-]\d{{2,3}}[ ]?\d{{2}}[ ]?\d{{2}}"
    r")(?![\w]|[.,]\d)"
)
_AMOUNT_AFTER = re.compile(r"\s*(?:kr\b|kroner|kronor|nok\b|sek\b|,-|\.-|%)", re.I)


_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


def _looks_like_date8(digits: str) -> bool:
    """YYYYMMDD, DDMMYYYY or YYYYYYYY (2017-2018) in 1900-2099: a date, not a phone number."""
    first, second = int(digits[:4]), int(digits[4:])
    if 1900 <= first <= 2099 and second == first + 1:
        return True
    y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if 1900 <= y <= 2099 and _valid_date(y, m, d):
        return True
    d, m, y = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    return 1900 <= y <= 2099 and _valid_date(y, m, d)


def _phone_numbers(text: str) -> Iterator[Finding]:
    # Digits in a web address are document ids and years, not phone numbers ("meld.-st.-15-20172018/id2599850").
    urls = [m.span() for m in _URL.finditer(text)] if ("://" in text or "www." in text.lower()) else []
    url_starts = [start for start, _ in urls]
    for match in _PHONE.finditer(text):
        i = bisect.bisect_right(url_starts, match.start()) - 1
        if i >= 0 and match.start() < urls[i][1]:
            continue
        if match.group("four") and _looks_like_date8(match.group("four").replace(" ", "")):
            continue  # "2024 2025"
        plain = match.group("plain")
        if plain:
            # Eight digits written together are as often an amount or a date as a phone number.
            if plain.endswith("000") or _looks_like_date8(plain) or _AMOUNT_AFTER.match(text, match.end()):
                continue
        yield _finding(PHONE, text, match.start(), match.end())


# --- E-mail addresses ----------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+\-])([\w.+\-%']+)@((?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,})(?![\w\-]|\.[^\W_])")


def _domain_allowed(domain: str, allowed: Iterable[str]) -> bool:
    domain = domain.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower().strip().lstrip("@").rstrip(".")
        if entry and (domain == entry or domain.endswith("." + entry)):
            return True
    return False


def _emails(text: str, allowed: tuple[str, ...]) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        if not _domain_allowed(match.group(2), allowed):
            yield _finding(EMAIL, text, match.start(), match.end())


# --- Names ---------------------------------------------------------------------------------

_compiled_names: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _name_pattern(name: str) -> str:
    words = name.split()
    return r"\s+".join(re.escape(word) for word in words)


def _compile_names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if names in _compiled_names:
        return _compiled_names[names]
    variants: set[str] = set()
    for name in names:
        if name.strip():
            # Text may be in composed (å) or decomposed (a + ring) form: match either.
            for form in ("NFC", "NFD"):
                variants.add(_name_pattern(unicodedata.normalize(form, name)))
    pattern = None
    if variants:
        alternatives = "|".join(sorted(variants, key=len, reverse=True))
        # Whole words only; a genitive -s ("Kari Nordmanns søknad") still names her.
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?:s|['’]s?)?(?!\w)", re.IGNORECASE)
    if len(_compiled_names) > 64:
        _compiled_names.clear()
    _compiled_names[names] = pattern
    return pattern


def _names(text: str, pattern: re.Pattern[str]) -> Iterator[Finding]:
    for match in pattern.finditer(text):
        yield _finding(NAME, text, match.start(), match.end())


# --- Masking and results -------------------------------------------------------------------


def mask(kind: str, value: str) -> str:
    """A form of `value` that shows where the problem is without repeating the personal data."""
    if kind in ID_NUMBER_KINDS:
        return _mask_digits(value, keep=8 if len(re.sub(r"\D", "", value)) == 12 else 6)
    if kind == PHONE:
        prefix = re.match(r"(?:\+|00)(?:47|46)[ \-]?", value)
        cut = prefix.end() if prefix else 0
        return value[:cut] + _mask_digits(value[cut:], keep=2)
    if kind == EMAIL:
        local, _, domain = value.rpartition("@")
        return local[:1] + "*" * max(len(local) - 1, 1) + "@" + domain
    if kind == NAME:
        return re.sub(r"(\w)(\w*)", lambda m: m.group(1) + "*" * len(m.group(2)), value)
    return "*" * len(value)


def _mask_digits(value: str, keep: int) -> str:
    out, seen = [], 0
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= keep else "*")
        else:
            out.append(c)
    return "".join(out)


def _finding(kind: str, text: str, start: int, end: int) -> Finding:
    value = text[start:end]
    return Finding(kind, start, end, mask(kind, value), value)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the most serious of overlapping findings; the kept ones never overlap, so a sorted
    list of their starts is enough to check each new one against its two neighbours."""
    starts: list[int] = []
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (_PRIORITY.get(f.kind, 99), f.start, -f.end)):
        i = bisect.bisect_right(starts, f.start)
        if (i > 0 and kept[i - 1].end > f.start) or (i < len(kept) and kept[i].start < f.end):
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return kept


# Eight digits, at most a split of the forms above apart (in the text as read); a little more
# than those, for a search that is quick (a gate before the patterns above).
_EIGHT_DIGITS = re.compile(r"\d(?:[ \-+./_*`]{0,3}\d){7}")


# In the raw text of a file a number may be wrapped onto the next line, and split by any of the
# forms above (a dash of any kind: the text is read with every dash a hyphen). Three forms of
# eight digits are everywhere and are never personal data by the rules above: ISO dates, dates
# as 31.12.2026, and ids such as "tiltak-2026-0157" (no identity number or phone number is
# written 4-4 with a hyphen).
_DASH = "\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_DIGIT_RUN = re.compile(rf"\d(?:[\s\-+./_*`{_DASH}]*\d){{7,}}")
_HARMLESS_RUN = re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}[\-{_DASH}]\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}")


def may_hold_personal_data(text: str, rules: ScanRules = ScanRules()) -> bool:
    """False when no rule can find anything in the raw text of a whole file, by a few quick
    searches, so that most files need no field-by-field scan. An escape (\\) could hide
    anything, and an entity, comment or tag or a character that draws nothing could join or
    hide a number, so a file with one is always scanned."""
    if may_hide(text) or (rules.allowed_email_domains is not None and "@" in text):
        return True
    if any(not _HARMLESS_RUN.fullmatch(run.group()) for run in _DIGIT_RUN.finditer(text)):
        return True
    names = rules._names_pattern
    return names is not None and names.search(text) is not None


def scan_text(text: str, rules: ScanRules = ScanRules()) -> list[Finding]:
    """Every piece of personal data in `text` by the rules, in order; overlapping finds give one.
    The text is scanned as a reader sees it (see the module's docstring); where a comment or tag
    was left out, what it holds is scanned as written as well."""
    if not text:
        return []
    reading = as_read(text)
    if reading is None:
        return _scan(text, rules)
    found = [_as_written(f, reading, text) for f in _scan(reading.text, rules)]
    if reading.hides:
        found = _without_overlaps(found + _scan(text, rules))
    return found


def _as_written(finding: Finding, reading: Reading, text: str) -> Finding:
    start, end = reading.start(finding.start), reading.end(finding.end)
    return Finding(finding.kind, start, end, finding.text, finding.value, text[start:end])


def _scan(text: str, rules: ScanRules) -> list[Finding]:
    # Every identity and phone number form has eight digits or more, at most one separator
    # apart; most texts have none, and one quick search spares them the detailed patterns.
    numbers = _EIGHT_DIGITS.search(text) is not None
    found: list[Finding] = list(_id_numbers(text)) if numbers else []
    names = rules._names_pattern
    if names is not None:
        found += _names(text, names)
    if rules.allowed_email_domains is not None and "@" in text:
        found += _emails(text, tuple(rules.allowed_email_domains))
    if rules.phone_numbers and numbers:
        found += _phone_numbers(text)
    return _without_overlaps(found) if found else found


def _scan_integer(number: int) -> list[Finding]:
    """An unquoted number in YAML loses its leading zero: 01019012345 is read as 1019012345."""
    if -10**8 < number < 10**8:
        return []  # too short to be an identity number even with a lost leading zero
    digits = str(abs(number))
    candidates = {digits}
    for length in (10, 11, 12):
        if len(digits) < length <= len(digits) + 1:
            candidates.add(digits.zfill(length))
    for candidate in sorted(candidates):
        kind = None
        if len(candidate) == 11:
            kind = norwegian_kind(candidate)
        elif len(candidate) in (10, 12):
            kind = swedish_kind(candidate[:-4], candidate[-4:])
        if kind:
            return [Finding(kind, 0, len(digits), mask(kind, candidate), candidate)]
    return []


def scan_data(data: Any, rules: ScanRules = ScanRules(), path: FieldPath = ()) -> list[tuple[FieldPath, Finding]]:
    """Scan every string (and every integer, for identity numbers) in nested dicts and lists.

    Field names are not scanned; each finding comes with the field path that
    `Document.locate` understands, e.g. ("inputs", 0, "summary").
    """
    found: list[tuple[FieldPath, Finding]] = []
    stack: list[tuple[FieldPath, Any]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            found += [(where, f) for f in scan_text(value, rules)]
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            found += [(where, f) for f in _scan_integer(value)]
        elif isinstance(value, dict):
            stack += [(where + (key,), item) for key, item in reversed(list(value.items()))]
        elif isinstance(value, (list, tuple)):
            stack += [(where + (i,), item) for i, item in reversed(list(enumerate(value)))]
    return found


# --- Allow-listing -------------------------------------------------------------------------


def _phone_key(digits: str) -> str:
    """The national form of a phone number: +47 22 33 44 55 -> 22334455, +46 70 ... -> 070..."""
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 10 and digits.startswith("47"):
        return digits[2:]
    if len(digits) in (10, 11) and digits.startswith("46"):
        return "0" + digits[2:]
    return digits


def is_allowed(finding: Finding, allowed: Iterable[str]) -> bool:
    """True if the per-file allow list names exactly this value (digits only for numbers)."""
    value = finding.value or finding.text
    if finding.kind in ID_NUMBER_KINDS or finding.kind == PHONE:
        digits = re.sub(r"\D", "", value)
        keys = {digits, _phone_key(digits)} if finding.kind == PHONE else {digits}
        for entry in allowed:
            entry_digits = re.sub(r"\D", "", str(entry))
            if not entry_digits:
                continue
            entry_keys = {entry_digits, _phone_key(entry_digits)} if finding.kind == PHONE else {entry_digits}
            if keys & entry_keys:
                return True
        return False
    wanted = _text_key(value)
    return any(_text_key(str(entry)) == wanted for entry in allowed)


def _text_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
