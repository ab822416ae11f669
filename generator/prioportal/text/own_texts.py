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
from pathlib import Path

import yaml

from prioportal.text.i18n import Translator, catalogue, placeholders
from prioportal.problems import InvalidPortal, Problem, line_of_key


# Per language, (English original, own text) pairs; tuples, so that Settings stay hashable.
OwnTexts = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def check_own_texts(config_file: Path, texts: dict, languages: tuple[str, ...]) -> OwnTexts:
    """`texts:` checked: each a text of the site (its English msgid) in a language of the portal,
    with the same {placeholders}; every problem at once, at its line in mkdocs.yml."""
    if not texts:
        return ()
    lines = config_file.read_text(encoding="utf-8", errors="replace").splitlines()
    known = catalogue("en")
    problems: list[Problem] = []
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    start = line_of_key(lines, "texts", 0)

    def problem(line: int, message: str, advice: str) -> None:
        column = len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1 if line <= len(lines) else 1
        problems.append(Problem(config_file.name, line, column, message, advice))

    for language, own in texts.items():
        at = line_of_key(lines, str(language), start)
        if language not in languages:
            problem(at, f"'{language}' under texts is not a language of the portal",
                    "put each text under the language it is written in: " + ", ".join(dict.fromkeys(languages)))
            continue
        if not isinstance(own, dict):
            problem(at, f"the texts under '{language}' should each be a line of the form  English original: own text",
                    "write each on its own line below it, e.g.  Sector: Nämnd")
            continue
        pairs = []
        for msgid, text in own.items():
            line = line_of_key(lines, str(msgid), at)
            if msgid not in known:
                close = difflib.get_close_matches(str(msgid), list(known), n=1, cutoff=0.6)
                problem(line, f"'{msgid}' is not a text of the site",
                        (f"did you mean '{close[0]}'? " if close else "")
                        + "find the text's English original with: prioportal texts <a word of it>")
            elif not isinstance(text, str) or not text.strip():
                what = "is empty" if text is None or not str(text).strip() else "is not a text"
                problem(line, f"the own text for '{msgid}' {what}", "write the text after the colon, in quotes if "
                        "it is a number or true/false, or remove the line")
            elif placeholders(text) != placeholders(msgid):
                names = ", ".join(sorted(placeholders(msgid)))
                problem(line, f"the own text for '{msgid}' does not have the same places for values",
                        f"keep exactly {names} in it" if names else "remove the {...} from it")
            else:
                pairs.append((msgid, text.strip()))
        found.append((language, tuple(pairs)))
    if problems:
        raise InvalidPortal(problems)
    return tuple(found)


def matching_texts(translator: Translator, words: list[str]) -> list[tuple[str, str]]:
    """The texts of the site, as (English original, text shown now), whose original or shown
    wording holds every one of `words` (in any case); in the order of the originals."""
    wanted = [word.casefold() for word in words]
    found = []
    for msgid in sorted(catalogue("en")):
        shown = translator.gettext(msgid)
        if all(word in msgid.casefold() or word in shown.casefold() for word in wanted):
            found.append((msgid, shown))
    return found


def as_texts_setting(language: str, pairs: list[tuple[str, str]]) -> str:
    """`pairs` as the `texts:` setting of mkdocs.yml, ready to be copied and changed."""
    return yaml.safe_dump({"texts": {language: dict(pairs)}}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1_000_000)
