"""The portal's own wording of texts of the site (`texts:` in mkdocs.yml), and finding them.

A municipality calls things by its own names: a Swedish one groups its measures by nämnd, a
Norwegian one by kommunalområde. Each text of the site is known by its English original (its
msgid in the catalogues); `texts:` gives, per language, the wording to show instead.

    texts:
      sv:
        Sector: Nämnd
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Callable

import yaml

from prioportal.text.i18n import Translator, placeholders, site_msgids
from prioportal.problems import InvalidPortal, Problem, T, Text


# Per language, (English original, own text) pairs; tuples, so that Settings stay hashable.
OwnTexts = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

_FIELD = re.compile(r"\{([^{}]*)\}")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def check_own_texts(texts: dict, languages: tuple[str, ...], at: Callable[..., Any]) -> OwnTexts:
    """`texts:` checked: each a text of the site (its English msgid) in a language of the portal,
    plain text with the same {placeholders} and nothing else in braces (no attribute, index,
    conversion or format: an own text is filled in with values, never asked to look into them);
    every problem at once. `at(language)` and `at(language, msgid)` say where a key is written
    in mkdocs.yml (anything with path, line and column)."""
    if not texts:
        return ()
    known = site_msgids()
    problems: list[Problem] = []
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def problem(where: Any, message: Text, advice: Text) -> None:
        problems.append(Problem(where.path, where.line, where.column, message, advice))

    for language, own in texts.items():
        if language not in languages:
            problem(at(language), T("'{language}' under texts is not a language of the portal", language=language),
                    T("put each text under the language it is written in: {languages}",
                      languages=", ".join(dict.fromkeys(languages))))
            continue
        if not isinstance(own, dict):
            problem(at(language), T("the texts under '{language}' should each be a line of the form  English "
                                    "original: own text", language=language),
                    T("write each on its own line below it, e.g.  Sector: Nämnd"))
            continue
        pairs = []
        for msgid, text in own.items():
            where = at(language, msgid)
            if msgid not in known:
                close = difflib.get_close_matches(str(msgid), list(known), n=1, cutoff=0.6)
                problem(where, T("'{text}' is not a text of the site", text=msgid),
                        T("did you mean '{suggestion}'? find the text's English original with: prioportal texts "
                          "<a word of it>", suggestion=close[0]) if close else
                        T("find the text's English original with: prioportal texts <a word of it>"))
            elif not isinstance(text, str) or not text.strip():
                problem(where, T("the own text for '{text}' is empty", text=msgid) if text is None or not str(text).strip()
                        else T("the own text for '{text}' is not a text", text=msgid),
                        T("write the text after the colon, in quotes if it is a number or true/false, or remove "
                          "the line"))
            else:
                what = _placeholder_problem(msgid, text)
                if what:
                    problem(where, T("the own text for '{text}' {what}", text=msgid, what=what[0]), what[1])
                else:
                    pairs.append((msgid, text.strip()))
        found.append((language, tuple(pairs)))
    if problems:
        raise InvalidPortal(problems)
    return tuple(found)


def _placeholder_problem(msgid: str, text: str) -> tuple[Text, Text] | None:
    """What is wrong with the places for values in `text`, the own text for `msgid`, and what to
    do; None when it has exactly the original's, each a plain {name} or %(name)s."""
    wanted = placeholders(msgid)
    names = ", ".join(sorted(wanted))
    # Braces are named, not written, in these msgids: a catalogue's check takes {...} for a place.
    keep = T("keep exactly {names} in it", names=names) if names else T("remove the braces from it")
    remove = T("remove the braces")
    if _CONTROL.search(text):
        return T("has a control character"), T("write it as plain text")
    bad = [m.group(0) for m in _FIELD.finditer(text) if not m.group(1).isidentifier()]
    if bad:
        return (T("has {found}, which is not a place for a value", found=bad[0]),
                T("write the places as the original has them: {names}", names=names) if names else remove)
    stray = next((ch for ch in _FIELD.sub("", text) if ch in "{}"), None)
    if stray:
        return T("has '{brace}', which is not around the name of a value", brace=stray), (
            T("write braces only around the names the original has: {names}", names=names) if names else remove)
    unknown = sorted(placeholders(text) - wanted)
    if unknown:
        return T("has {found}, which the site does not fill in", found=unknown[0]), keep
    if placeholders(text) != wanted:
        return T("does not have the same places for values"), keep
    return None


def matching_texts(translator: Translator, words: list[str]) -> list[tuple[str, str]]:
    """The texts of the site, as (English original, text shown now), whose original or shown
    wording holds every one of `words` (in any case); in the order of the originals."""
    wanted = [word.casefold() for word in words]
    found = []
    for msgid in sorted(site_msgids()):
        shown = translator.gettext(msgid)
        if all(word in msgid.casefold() or word in shown.casefold() for word in wanted):
            found.append((msgid, shown))
    return found


def as_texts_setting(language: str, pairs: list[tuple[str, str]]) -> str:
    """`pairs` as the `texts:` setting of mkdocs.yml, ready to be copied and changed."""
    return yaml.safe_dump({"texts": {language: dict(pairs)}}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1_000_000)
