"""The values a decision file is made of: ids, dates, whole-kroner amounts, texts in one or
several languages, web addresses, and `Strict`, the base of every part of the model (no unknown
field, frozen, cheap to pickle). The model's classes (`model/decisions.py`) are built from these.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from prioportal.model.kinds import OmitsUnused


SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"
SLUG_RE = re.compile(SLUG_PATTERN)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMOUNT_SEPARATORS = str.maketrans("", "", " \u00a0\u202f_")


def _parse_iso_date(value: Any) -> Any:
    # Only ISO dates: a bare number would otherwise be read as a Unix timestamp (1970),
    # and "31.02.2026" must fail with advice rather than be guessed at.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value.strip()):
        raise PydanticCustomError("iso_date", "not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("iso_date_range", "no such day in the calendar") from None


def _parse_amount(value: Any) -> Any:
    # Communicators copy amounts from council papers as "1 200 000".
    if isinstance(value, str):
        cleaned = value.translate(_AMOUNT_SEPARATORS)
        if re.fullmatch(r"-?\d+", cleaned):
            return int(cleaned)
        raise PydanticCustomError("amount", "not an amount in whole kroner")
    if isinstance(value, bool):
        raise PydanticCustomError("amount", "not an amount in whole kroner")
    if isinstance(value, float):
        # "400.000" in YAML is the number 400.0: a thousands separator, not decimals.
        raise PydanticCustomError("amount", "not an amount in whole kroner")
    return value


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise PydanticCustomError("slug", "not a valid id")
    return value


IsoDate = Annotated[date, BeforeValidator(_parse_iso_date)]
Amount = Annotated[int, BeforeValidator(_parse_amount), Field(ge=-10**12, le=10**12)]
Slug = Annotated[str, AfterValidator(_check_slug)]
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


def _text(max_length: int):
    """A free text: one text, or one per language (`nb: ...`, `en: ...`) on a multilingual portal."""
    def check(value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # "period: 2025" means the text 2025
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PydanticCustomError("text_empty", "empty")
            if len(value) > max_length:
                raise PydanticCustomError("text_too_long", "longer than {max} characters", {"max": max_length})
            return value
        if isinstance(value, dict) and value:
            texts = {}
            for key, text in value.items():
                if not isinstance(key, str) or not LANGUAGE_RE.match(key):
                    raise PydanticCustomError("text_language", "'{key}' is not a language code", {"key": str(key)})
                texts[key] = check(text)
            return texts
        if value is None:
            raise PydanticCustomError("text_empty", "empty")
        raise PydanticCustomError("text_type", "not a text")
    return check


LocalizedText = str | dict[str, str]
Text = Annotated[LocalizedText, BeforeValidator(_text(20_000))]
ShortText = Annotated[LocalizedText, BeforeValidator(_text(300))]
SummaryText = Annotated[LocalizedText, BeforeValidator(_text(1200))]
Url = Annotated[str, Field(pattern=r"^(https?://|mailto:|/)\S+$", max_length=2000)]


class Strict(OmitsUnused):
    # Numbers are accepted where text is expected: "period: 2025" means the text 2025.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True)

    def __reduce__(self) -> tuple:
        # Validated files come back from the workers pickled, some 165 000 models at 10 000
        # measures. pydantic's own state takes a dict of four entries and four setattr calls
        # to restore each; the fields and the set of those given are all a Strict model has.
        return _restore, (type(self), self.__dict__, self.__pydantic_fields_set__)


def _restore(cls: type[Strict], fields: dict[str, Any], fields_set: set[str]) -> Strict:
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj
