"""Amounts in kroner from a cell ("10 000", "10 000 tkr", "1,5 mnkr", "kr 1 200") and from the unit a
column's heading gives ("År 1 (tkr)", "Kostnad, MNOK"); a range ("2000-2500") told apart from an
amount, so that it is kept for the communicator to decide; `CellError` is what a cell that cannot
be read raises, here and in the modules that read the other cells."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from prioportal.problems import T, Text
from prioportal.tools.spreadsheet.vocabulary import DASHES

# A heading's unit, as written: millions and thousands of kroner scale the column's bare numbers.
_MILLIONS = r"mnkr|mkr|mn kr|mill(?:\.|ioner)?|mio|miljoner|millioner|msek|mnok"
_THOUSANDS = r"tkr|t kr|kkr|tusen(?: kr| kroner| kronor)?|tusental|ksek|knok|1\s?000\s?kr"
_KRONER = r"kr|kroner|kronor|nok|sek"
_HEADING_UNITS = [(re.compile(rf"\b(?:{_MILLIONS})(?!\w)", re.I), 1_000_000),
                  (re.compile(rf"(?<!\w)(?:{_THOUSANDS})(?!\w)", re.I), 1000),
                  (re.compile(rf"\b(?:{_KRONER})(?!\w)", re.I), 1),
                  (re.compile(r"\b(?:beløp|belopp|amount)(?!\w)", re.I), 1)]  # money, in kroner


def heading_unit(heading: Any) -> tuple[int, str] | None:
    """The money unit a heading gives its amounts, with the word as written: "År 1 (tkr)" →
    (1000, "tkr"), "Kostnad, MNOK" → (1 000 000, "MNOK"), "Beløp (kr)" → (1, "kr"); None when
    the heading names no money."""
    s = unicodedata.normalize("NFKC", str(heading))
    for pattern, factor in _HEADING_UNITS:
        match = pattern.search(s)
        if match:
            return factor, match.group(0)
    return None


def unit_of(heading: str) -> int:
    """The unit a heading gives its amounts: "År 1 (tkr)" → 1000, "Kostnad, mnkr" → 1 000 000."""
    found = heading_unit(heading)
    return found[0] if found else 1


class CellError(Exception):
    def __init__(self, message: str | Text, advice: str | Text):
        super().__init__(message)
        self.message, self.advice = message, advice


_AMOUNT_UNITS = [
    (re.compile(r"(?:mnkr|mkr|mn kr|m kr|mill(?:ioner|\.)?(?: kr(?:oner)?)?|miljoner(?: kr(?:onor)?)?|mio|msek|mnok)$"),
     1_000_000),
    (re.compile(r"(?:tkr|t kr|kkr|tusen(?: kr(?:oner)?)?|ksek|knok|k)$"), 1000),
    (re.compile(r"(?:kr|kroner|kronor|nok|sek|:-|,-)$"), 1),
]
_CURRENCY_FIRST = re.compile(r"^(?:kr\.?|nok|sek)\s*(?=[\d-])")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _not_an_amount(value: Any) -> CellError:
    return CellError(T("'{value}' is not an amount", value=value),
                     T("write the amount in kroner, e.g. 10 000, 10 000 tkr or 1,5 mnkr"))


def parse_amount(value: Any, unit: int = 1) -> int | None:
    """Whole kroner from a cell: 10000, "10 000", "10 000 tkr", "1,5 mnkr", "1.200.000 kr",
    "kr 1 200"; `unit` is the heading's unit for a bare number. None for an empty cell, "-" or "–"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _not_an_amount(value)
    if isinstance(value, int):
        return value * unit
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise _not_an_amount(value)
        return _whole(Decimal(repr(value)) * unit, str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold().translate(DASHES)
    if text in ("", "-", "--", "0,-"):
        return None if text != "0,-" else 0
    own_unit = None
    first = _CURRENCY_FIRST.match(text)
    if first:
        own_unit, text = 1, text[first.end():]
    for pattern, factor in _AMOUNT_UNITS:
        match = pattern.search(text)
        if own_unit is None and match and (match.start() == 0 or not text[match.start() - 1].isalpha()):
            own_unit = factor
            text = text[: match.start()].strip()
            break
    number = _SPACES.sub("", text)
    negative = number.startswith("-")
    number = number.lstrip("-+")
    if "," in number:
        number = number.replace(".", "").replace(",", ".")  # decimal comma; dots group thousands
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
        number = number.replace(".", "")  # 1.200.000: dots group thousands
    if not re.fullmatch(r"\d+(?:\.\d+)?", number):
        raise _not_an_amount(value)
    amount = _whole(Decimal(number) * (own_unit if own_unit is not None else unit), str(value))
    return -amount if negative else amount


def _whole(amount: Decimal, shown: str) -> int:
    if amount != amount.to_integral_value():
        raise CellError(T("'{value}' is not a whole number of kroner", value=shown),
                        T("round the amount to whole kroner, or write it with a unit such as tkr"))
    return int(amount)


# Two amounts with a dash, "til"/"till"/"to" or "à" between them: "2000-2500", "2 000 – 2 500 tkr",
# "1,5-2 mnkr". The unit after the second applies to both, as people write it.
_RANGE = re.compile(r"^\s*(.*?\d.*?)\s*(?:-|\bto\b|\btil\b|\btill\b)\s*(\d.*)$")


def parse_range(value: Any, unit: int = 1) -> tuple[int, int] | None:
    """(low, high) in kroner when a cell gives a range rather than an amount, else None."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().casefold().translate(DASHES)
    match = _RANGE.match(text)
    if not match:
        return None
    first, second = match.group(1), match.group(2)
    try:
        high = parse_amount(second, unit)
        unit_after = next((f for p, f in _AMOUNT_UNITS if p.search(second.strip())), None)
        low = parse_amount(first, unit_after if unit_after is not None and not re.search(r"[a-z]", first)
                           else unit)
    except CellError:
        return None
    if low is None or high is None or low >= high:
        return None
    return low, high


def kroner(amount: int) -> str:
    """An amount as a message shows it: digits grouped by spaces, as council papers write them."""
    return f"{amount:,}".replace(",", " ")
