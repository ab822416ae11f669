"""A text as a reader sees it, for the checks that must judge what is shown rather than what is
written: HTML entities resolved (`&#48;` is a 0), HTML comments and tags left out (a browser
draws neither, so `010190<!-- -->12345` reads as one number), Markdown's backslash escapes
undone, characters that draw nothing dropped (zero-width spaces, joiners, the soft hyphen,
direction marks), every other kind of space read as a space and every dash as a hyphen.

`as_read` gives the text so read with a map back to where each character was written, so a
problem found in the text as read is still reported at its place in the file. It also names
the invisible characters (`invisible_characters`) that the portal refuses in titles, because
they can make a text read differently from how it is written.

Pure, no I/O, and nothing from the rest of the package: settings and the sources may use it.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from functools import lru_cache

from prioportal.problems import T, Text

# Controls of the direction of text: an override (U+202E) turns "gnillor" into what the eye
# reads as "rolling", so a title can be made to say something else than its letters do.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters that draw nothing but split a word or a number in two for a program.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE = BIDI_CONTROLS + ZERO_WIDTH

CHARACTER_NAMES = {
    "\u061c": T("arabic letter mark"), "\u200e": T("left-to-right mark"), "\u200f": T("right-to-left mark"),
    "\u202a": T("left-to-right embedding"), "\u202b": T("right-to-left embedding"), "\u202c": T("pop directional formatting"),
    "\u202d": T("left-to-right override"), "\u202e": T("right-to-left override"), "\u2066": T("left-to-right isolate"),
    "\u2067": T("right-to-left isolate"), "\u2068": T("first strong isolate"), "\u2069": T("pop directional isolate"),
    "\u200b": T("zero-width space"), "\u200c": T("zero-width non-joiner"), "\u200d": T("zero-width joiner"),
    "\u2060": T("word joiner"), "\ufeff": T("zero-width no-break space (byte order mark)"),
}
_INVISIBLE_CHARACTER = T("invisible character")

_INVISIBLE = re.compile(f"[{INVISIBLE}]")

# Dropped when reading: the invisible characters above, the soft hyphen (drawn only where a
# line breaks), the invisible operators U+2061-2064 and the Mongolian vowel separator.
_DROPPED = INVISIBLE + "\u00ad\u180e\u2061\u2062\u2063\u2064"
_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DASHES = "\u2010-\u2015\u2212\ufe58\ufe63\uff0d"


def _each(ranges: str) -> str:
    """The characters of a character class's contents ("a-c" gives "abc")."""
    return re.sub(r"(.)-(.)", lambda m: "".join(map(chr, range(ord(m[1]), ord(m[2]) + 1))), ranges)


# Spaces and dashes are read one for one (a space, a hyphen), so they need no map of positions:
# a text with only those is translated, the common case (an en dash in "2024–2027").
_ONE_FOR_ONE = {ord(c): " " for c in _each(_SPACES)} | {ord(c): "-" for c in _each(_DASHES)}
_SPACE_OR_DASH = re.compile(f"[{_SPACES}{_DASHES}]")
_WRAPPED = re.compile(r"(?<=\d)\n(?=\d)")  # a line break inside a Markdown paragraph reads as a space
# What changes the length: comments, tags, entities, escapes, characters that draw nothing.
_REMOVED = re.compile(f"[<&\\\\{_DROPPED}]")
_TOKEN = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?)"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    rf"|(?P<dropped>[{_DROPPED}]+)",
    re.S)
# One quick search (a set of characters, run in C) finds most texts read as written.
_ANY = re.compile(f"[{_SPACES}{_DASHES}<&\\\\{_DROPPED}]")
_MAY_HIDE = re.compile(f"[<&\\\\{_DROPPED}]")


@lru_cache(maxsize=8)
def may_hide(text: str) -> bool:
    """Whether reading `text` could join or hide something: it has an entity, comment or tag,
    an escape, or a character that draws nothing (all the invisible characters among them).
    Kept for the last few texts: the checks of one file each ask it of the file's text, and a
    text keeps its hash, so asking again costs next to nothing."""
    return _MAY_HIDE.search(text) is not None


@dataclass(frozen=True)
class Reading:
    """`text` as read; each piece of it copied from the written text or made from a token."""

    text: str
    _out: list[int]  # where each piece starts in `text`
    _at: list[int]  # where it starts in the written text
    _until: list[int]  # where the token ends in the written text (-1 for a copied piece)
    hides: bool  # a comment or tag was left out: what it holds is only in the written text

    def start(self, i: int) -> int:
        """Where the character at `i` of the text as read was written."""
        n = bisect.bisect_right(self._out, i) - 1
        return self._at[n] + (i - self._out[n] if self._until[n] < 0 else 0)

    def end(self, i: int) -> int:
        """Where what was read up to `i` (exclusive) ends in the written text."""
        if i <= 0:
            return 0
        n = bisect.bisect_right(self._out, i - 1) - 1
        return self._at[n] + (i - self._out[n]) if self._until[n] < 0 else self._until[n]


def _one_for_one(text: str) -> str:
    if _SPACE_OR_DASH.search(text) is not None:
        text = text.translate(_ONE_FOR_ONE)
    if "\n" in text:
        text = _WRAPPED.sub(" ", text)
    return text


def as_read(written: str) -> Reading | None:
    """The text as a reader sees it, or None when it reads as written."""
    if _ANY.search(written) is None and ("\n" not in written or _WRAPPED.search(written) is None):
        return None
    same_length = _one_for_one(written)
    if _REMOVED.search(same_length) is None:
        return None if same_length == written else Reading(same_length, [0], [0], [-1], False)
    parts: list[str] = []
    out: list[int] = []
    at: list[int] = []
    until: list[int] = []
    length = 0
    pos = 0
    hides = False

    def piece(text: str, start: int, end: int) -> None:
        nonlocal length
        out.append(length)
        at.append(start)
        until.append(end)
        parts.append(text)
        length += len(text)

    for candidate in _REMOVED.finditer(same_length):
        if candidate.start() < pos:
            continue  # inside a token already read
        match = _TOKEN.match(same_length, candidate.start())
        if match is None:
            continue
        kind = match.lastgroup
        token = match.group()
        if kind == "entity":
            read = html.unescape(token)
            if read == token:
                continue  # not an entity after all ("&Co;"): it reads as written
            read = _one_for_one(_TOKEN.sub("", read))  # &nbsp; is a space, &#8203; nothing
        elif kind == "escape":
            read = token[1]
        else:  # a comment, a tag, characters that draw nothing
            read = ""
            hides = hides or kind in ("comment", "tag")
        if match.start() > pos:
            piece(same_length[pos:match.start()], pos, -1)
        if read:
            piece(read, match.start(), match.end())
        pos = match.end()
    if pos == 0:
        # Nothing was taken out (only "&Co;" and the like).
        return None if same_length == written else Reading(same_length, [0], [0], [-1], False)
    if pos < len(same_length):
        piece(same_length[pos:], pos, -1)
    if not parts:
        piece("", len(written), len(written))
    return Reading("".join(parts), out, at, until, hides)


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """Each bidirectional control or zero-width character in `text`, with its offset."""
    if _INVISIBLE.search(text) is None:
        return []
    return [(match.start(), match.group()) for match in _INVISIBLE.finditer(text)]


def character_name(char: str) -> Text:
    """The character's name and code point, to say in the reader's language."""
    return T("{name} (U+{code})", name=CHARACTER_NAMES.get(char, _INVISIBLE_CHARACTER), code=format(ord(char), "04X"))


def position_in(text: str, value: str, line: int, column: int) -> tuple[int, int]:
    """Where `value` stands in `text`, searching from the position (line, column) of the field
    it was found in; a wrapped or escaped text may not contain it verbatim, and then the
    field's own position is the answer."""
    return find_from(text, value, line, column) or (line, column)


def find_from(text: str, value: str, line: int, column: int) -> tuple[int, int] | None:
    """Where `value` first stands in `text` from (line, column) on, or None."""
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    found = text.find(value, offset) if value else -1
    return None if found < 0 else line_and_column(text, found)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1) of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
