"""Amounts in kroner from a cell ("10 000", "10 000 tkr", "1,5 mnkr") and from the unit a column's
heading gives ("År 1 (tkr)"); `CellError` is what a cell that cannot be read raises, here and in
the modules that read the other cells."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from prioportal.tools.spreadsheet.vocabulary import DASHES


def unit_of(heading: str) -> int:
    """The unit a heading gives its amounts: "År 1 (tkr)" → 1000, "Kostnad, mnkr" → 1 000 000."""
    s = unicodedata.normalize("NFKC", str(heading)).casefold()
    if re.search(r"\b(mnkr|mkr|mn kr|mill|mio|miljoner|millioner|msek|mnok)\b", s):
        return 1_000_000
    if re.search(r"\b(tkr|t kr|kkr|tusen|tusental|ksek|knok)\b|1\s?000\s?kr", s):
        return 1000
    return 1


class CellError(Exception):
    def __init__(self, message: str, advice: str):
        super().__init__(message)
        self.message, self.advice = message, advice


_AMOUNT_UNITS = [
    (re.compile(r"(?:mnkr|mkr|mn kr|m kr|mill(?:ioner|\.)?(?: kr(?:oner)?)?|miljoner(?: kr(?:onor)?)?|mio|msek|mnok)$"),
     1_000_000),
    (re.compile(r"(?:tkr|t kr|kkr|tusen(?: kr(?:oner)?)?|ksek|knok|k)$"), 1000),
    (re.compile(r"(?:kr|kroner|kronor|nok|sek|:-|,-)$"), 1),
]
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_amount(value: Any, unit: int = 1) -> int | None:
    """Whole kroner from a cell: 10000, "10 000", "10 000 tkr", "1,5 mnkr", "1.200.000 kr";
    `unit` is the heading's unit for a bare number. None for an empty cell, "-" or "–"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value} is not an amount", "write the amount in kroner, e.g. 10 000")
    if isinstance(value, int):
        return value * unit
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise CellError(f"{value} is not an amount", "write the amount in kroner, e.g. 10 000")
        return _whole(Decimal(repr(value)) * unit, str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold().translate(DASHES)
    if text in ("", "-", "--", "0,-"):
        return None if text != "0,-" else 0
    own_unit = None
    for pattern, factor in _AMOUNT_UNITS:
        match = pattern.search(text)
        if match and (match.start() == 0 or not text[match.start() - 1].isalpha()):
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
        raise CellError(f"'{value}' is not an amount",
                        "write the amount in kroner, e.g. 10 000, 10 000 tkr or 1,5 mnkr")
    amount = _whole(Decimal(number) * (own_unit if own_unit is not None else unit), str(value))
    return -amount if negative else amount


def _whole(amount: Decimal, shown: str) -> int:
    if amount != amount.to_integral_value():
        raise CellError(f"'{shown}' is not a whole number of kroner",
                        "round the amount to whole kroner, or write it with a unit such as tkr")
    return int(amount)
