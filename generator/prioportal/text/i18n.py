"""Text a citizen sees, in the portal's language: gettext catalogues and CLDR formatting.

Catalogues are ordinary gettext `.po` files in `generator/prioportal/locales/<lang>/LC_MESSAGES/`,
read with Babel, so translators use the tools they know (Poedit, Weblate). A translator
adds a language by adding one catalogue; nothing in the code lists the languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_currency_symbol
from markupsafe import escape

from prioportal.problems import T, UsageError
from prioportal.text.message_kinds import COMMAND_LINE


def N_(message: str) -> str:
    """Marks a msgid for extraction (`make messages`); translated where it is shown."""
    return message


LOCALE_DIR = Path(__file__).parent.parent / "locales"
DOMAIN = "messages"


def available_languages() -> list[str]:
    return sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


# The environment variables that name the language of messages, in the order gettext reads them.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_SAME_LANGUAGE = {"no": "nb"}  # "no" is Norwegian as most systems name it: bokmål


def language_from_environment(environ: Mapping[str, str]) -> str | None:
    """The first language the environment names that has a catalogue: `nb_NO.UTF-8` is nb,
    `LANGUAGE=sv:en` is sv; C and POSIX name none."""
    for variable in LANGUAGE_VARIABLES:
        for value in environ.get(variable, "").split(":"):
            code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            code = _SAME_LANGUAGE.get(code, code)
            if code in available_languages():
                return code
    return None


def language_of_messages(chosen: str | None, environ: Mapping[str, str], portal_language: str | None) -> str:
    """The language a communicator reads the command line in: the one chosen (`--language`);
    else the one the environment names (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: a communicator's
    own choice for the programs they run); else the portal's (`language:` in mkdocs.yml); else
    English. Raises `UsageError` for a chosen language without texts."""
    if chosen is not None:
        code = _SAME_LANGUAGE.get(chosen.lower(), chosen.lower())
        if code not in available_languages():
            raise UsageError(T("there are no texts in '{chosen}' — use one of: {languages}",
                               chosen=chosen, languages=", ".join(available_languages())))
        return code
    return language_from_environment(environ) or (portal_language if portal_language in available_languages()
                                                  else None) or "en"


@lru_cache(maxsize=None)
def _read(language: str):
    """The catalogue of `language` as Babel reads it, once per process."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return read_po(f, locale=language)


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for msg in _read(language):
        if not msg.id or msg.fuzzy:
            continue
        # Plural entries are stored as two entries, singular and plural form, which is all
        # nb, nn, sv and en need; a language with more plural forms would extend this.
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for ident, text in zip(ids, strings):
            if text:
                texts[ident] = text
    return texts


@lru_cache(maxsize=None)
def site_msgids() -> frozenset[str]:
    """The English originals of the texts of the site: every entry of the catalogues but those
    `make messages` marks as messages of the command line (`text/message_kinds.py`). These are
    what `texts:` in mkdocs.yml may reword and `prioportal texts` lists."""
    ids: set[str] = set()
    for msg in _read("en"):
        if msg.id and COMMAND_LINE not in msg.auto_comments:
            ids.update(msg.id if isinstance(msg.id, tuple) else (msg.id,))
    return frozenset(ids)


@dataclass(frozen=True)
class Translator:
    language: str
    # The portal's own wording of some texts (`texts:` in mkdocs.yml), as (msgid, text) pairs.
    own: tuple[tuple[str, str], ...] = ()
    _texts: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_texts", _catalogue_with(self.language, self.own))

    def gettext(self, message: str) -> str:
        return self._texts.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Our catalogues use separate msgids for singular and plural; all four languages
        # have the same two plural forms.
        return self.gettext(singular if n == 1 else plural)

    def markup_gettext(self, message: str) -> str:
        """The text as a template takes it: templates mark every translation safe as HTML and
        format it with `%`, so the portal's own texts, plain text from mkdocs.yml, come escaped
        (`<b>` shows as <b>) and with a `%` of their own doubled. The catalogues' texts are the
        project's, and as written."""
        return _markup_catalogue_with(self.language, self.own).get(message, message)

    def markup_ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.markup_gettext(singular if n == 1 else plural)


@lru_cache(maxsize=64)
def _catalogue_with(language: str, own: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {**catalogue(language), **dict(own)} if own else catalogue(language)


_NOT_A_PLACE = re.compile(r"%(?!\(\w+\)s)")


@lru_cache(maxsize=64)
def _markup_catalogue_with(language: str, own: tuple[tuple[str, str], ...]) -> dict[str, str]:
    if not own:
        return catalogue(language)
    return {**catalogue(language), **{msgid: _NOT_A_PLACE.sub("%%", str(escape(text))) for msgid, text in own}}


_PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)s")


def placeholders(text: str) -> set[str]:
    """What a text has filled in when it is shown, as written in it: {sector}, %(num)s."""
    return set(_PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Formatter:
    """Dates, numbers and amounts in the locale's own form."""

    language: str
    currency: str

    @property
    def _locale(self) -> Locale:
        return Locale.parse(self.language)

    def date(self, value: date | None) -> str:
        return "" if value is None else _date(value, self.language)

    def number(self, value: float | int | None) -> str:
        return "" if value is None else _number(value, self.language)

    def money(self, value: int | None) -> str:
        return "" if value is None else _money(value, self.language, self.currency)

    def labels(self, labels: list[str] | tuple[str, ...]) -> str:
        """Labels of a fixed vocabulary as one phrase: "Effektivisering og rasjonering"."""
        return _labels(tuple(labels), self.language)

    def money_short(self, value: int | None) -> str:
        """Millions the way headlines write them: "1,5 mill. kr", "1,5 mnkr", "NOK 1.5 million"."""
        if value is None:
            return ""
        if abs(value) < 1_000_000:
            return self.money(value)
        millions = format_decimal(value / 1_000_000, "#,##0.#", locale=self.language)
        symbol = get_currency_symbol(self.currency, locale=self.language)
        pattern = _MILLIONS.get(self.language, "{currency}\u00a0{amount}\u00a0million")
        return pattern.format(amount=millions, symbol=symbol, currency=self.currency)


# How each language abbreviates millions of its currency in running text.
_MILLIONS = {"nb": "{amount}\u00a0mill.\u00a0{symbol}", "nn": "{amount}\u00a0mill.\u00a0{symbol}",
             "sv": "{amount}\u00a0mn{symbol}"}


# Cached, as amounts are below: Babel parses the locale again on every call, and a follow-up
# listing formats some seventy numbers.
@lru_cache(maxsize=100_000, typed=True)
def _number(value: float | int, language: str) -> str:
    return format_decimal(value, locale=language)


@lru_cache(maxsize=1_000)
def _labels(labels: tuple[str, ...], language: str) -> str:
    # The labels are common nouns, capitalised to stand alone: inside the phrase they are not.
    return format_list([*labels[:1], *(label[:1].lower() + label[1:] for label in labels[1:])], locale=language)


@lru_cache(maxsize=10_000)
def _date(value: date, language: str) -> str:
    return format_date(value, "long", locale=language)


@lru_cache(maxsize=100_000)
def _money(value: int, language: str, currency: str) -> str:
    # Cached: a measure page shows dozens of amounts, and the same amounts recur across pages.
    symbol = get_currency_symbol(currency, locale=language)
    return f"{format_decimal(value, locale=language)}\u00a0{symbol}"


# Letters that the alphabet puts after z, in that alphabet's order (CLDR collation for nb, nn
# and sv); everything else sorts by its base letter, so "Ål" comes after "Zink" in Norway.
_AFTER_Z = {
    "nb": "æøå", "nn": "æøå", "no": "æøå",
    "sv": "åäö",
}
_EQUIVALENTS = {
    "sv": str.maketrans({"æ": "ä", "ø": "ö"}),
    "nb": str.maketrans({"ä": "æ", "ö": "ø"}), "nn": str.maketrans({"ä": "æ", "ö": "ø"}),
}


def sort_key(text: str, language: str) -> str:
    """A key that sorts names the way a reader of `language` expects (æ, ø, å after z in
    Norwegian; å, ä, ö after z in Swedish)."""
    folded = text.casefold()
    after = _AFTER_Z.get(language)
    if not after:
        return folded
    folded = folded.translate(_EQUIVALENTS.get(language, {}))
    return "".join(f"z{{{after.index(ch)}" if ch in after else ch for ch in folded)
