"""Keeping Markdown's time linear in the length of a text, whatever the text holds.

Python-Markdown spends time that grows with the square of a paragraph's length on a few
inputs no communicator writes on purpose, but a paste or a typo can: a 60 KB page of unclosed
`<a ` tags took 30 s, a paragraph of 8 000 links three minutes. Three places, each bounded here
without changing what a normal page gives:

- **A `<` that cannot open a tag.** Its HTML block parser (the standard library's, tolerant)
  reads from each `<` followed by a letter to the next `>`, across any number of further `<`,
  and when there is none, to the end of the text, for each `<` again; a quoted value can hide a
  `>` from it. A `<` that is followed by another `<` (or by nothing) before any `>` opens no tag,
  autolink or inline HTML that Markdown reads in linear time, and Markdown shows such a `<` as
  `&lt;` wherever it stands: in text, in code and in attributes alike. It is given to Markdown as
  a character of the Private Use Area, which no rule of Markdown treats differently from `<`,
  and put back as `&lt;` in the HTML (`defuse_angle_brackets`, `restore`). Left as written: a
  `<` with a `>` after it and no other `<` or quote between, a whole start tag (whose quoted
  values may hold `<` and `>`), a `<!--` that a later `-->` closes (a comment may hold `<`),
  and the `<` that opens the address of a link reference definition (`[x]: <url`), which
  Markdown strips: that one is dropped. Only malformed HTML (an unclosed `<a ` before another
  tag) comes out differently: as the text it is, where Markdown made a tag of the rest.
- **The text of a link, `[...]`.** Finding its closing `]` scanned to the end of the paragraph
  for every `[` that does not close, and a table of every bracket's end made to avoid that was
  made again after every link found (each changes the text). One regular expression now finds
  the closing `]` of brackets nested up to `_DEPTH` deep: deeper nesting inside a link's text is
  taken as no link.
- **The address of a link, `(...)`.** Its closing `)` is looked for with quotes and parentheses
  counted, character by character, to the end of the paragraph for each `](` that does not
  close. The search now stops after `_LINK_MARKS` parentheses and quotes: an address with a
  title has four.
"""

from __future__ import annotations

import re
import types
from typing import Any

import markdown as md
from markdown.blockprocessors import ReferenceProcessor
from markdown.inlinepatterns import LinkInlineProcessor

_ANGLES = re.compile(r"[<>]")
# A start tag whose quoted attribute values hold a `<` (`<abbr title="a < b">`): no other `<`.
_TAG = re.compile(r"""<[a-zA-Z][^\s/><]*+"""
                  r"""(?:[\s/]++(?:[^\s/>="'<][^\s/>=<]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>"'<=`]++))?)?)*+>""")
# The address of a link reference definition, as Markdown's ReferenceProcessor reads one.
_REFERENCE = ReferenceProcessor.RE
_QUOTE = re.compile("[\"']")
# Stand-ins for a `<`: the first of them the text does not hold.
_STAND_INS = [chr(code) for code in range(0xE000, 0xE020)]

_DEPTH = 8
_NO_BRACKET = r"[^\[\]]*+"


def _nested(depth: int) -> str:
    inner = _NO_BRACKET
    for _ in range(depth):
        inner = rf"{_NO_BRACKET}(?:\[{inner}\]{_NO_BRACKET})*+"
    return inner


# The text of a link up to its closing `]` (which the match includes). Possessive all through:
# a failed attempt stops at the first bracket deeper than _DEPTH, or at the end.
_LINK_TEXT = re.compile(_nested(_DEPTH) + r"\]")
_LINK_MARKS = 24
_LINK_MARK = re.compile(r"""[()'"]""")


def defuse_angle_brackets(text: str) -> tuple[str, str | None]:
    """`text` with each `<` that can open nothing replaced by a stand-in, and the stand-in
    (None when nothing was replaced). A `<` may open something when a `>` follows before any
    other `<`, when a whole start tag follows (a quoted value in it may hold a `<`), or when it
    opens a comment that a later `-->` closes."""
    if "<" not in text:
        return text, None
    stand_in = next((c for c in _STAND_INS if c not in text), None)
    if stand_in is None:
        return text, None
    angles = [(match.start(), match.group()) for match in _ANGLES.finditer(text)]
    comment_end = text.rfind("-->")
    references = set()
    if "]:" in text:
        references = {match.start(2) for match in _REFERENCE.finditer(text) if match.group(2).startswith("<")}
    pieces: list[str] = []
    done = 0
    for number, (at, angle) in enumerate(angles):
        if angle != "<" or at < done:
            continue  # a `>`, or a `<` within a start tag kept whole
        following = angles[number + 1] if number + 1 < len(angles) else None
        if following is not None and following[1] == ">" and not _QUOTE.search(text, at, following[0]):
            continue  # may open a tag, which ends there: left to Markdown
        if comment_end > at and text.startswith("<!--", at):
            continue
        # Tried only where no `>` comes first, and it then stops at the first `<` outside a
        # quoted value: no character is read by more than a few of these.
        if (tag := _TAG.match(text, at)) is not None:
            pieces.append(text[done:tag.end()])
            done = tag.end()
            continue
        pieces += (text[done:at], "" if at in references else stand_in)
        done = at + 1
    if done == 0:
        return text, None
    pieces.append(text[done:])
    defused = "".join(pieces)
    return defused, stand_in if defused != text else None


def restore(html: str, stand_in: str | None) -> str:
    """The HTML Markdown made of a defused text, with each stand-in shown as `<` is."""
    return html.replace(stand_in, "&lt;") if stand_in else html


def bound_links(converter: md.Markdown) -> None:
    """Give the link, image and reference processors of `converter` (and no other Markdown
    instance) the bounded searches for a link's text and address."""
    for processor in converter.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor):
            processor.getText = types.MethodType(_get_text, processor)  # type: ignore[method-assign]
            processor.getLink = types.MethodType(_get_link, processor)  # type: ignore[method-assign]


def _get_text(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """As `LinkInlineProcessor.getText`: the text from `index` to the `]` that closes the `[`
    before it, the index just past that `]`, and whether there is one."""
    match = _LINK_TEXT.match(data, index)
    if match is None:
        return data[index:], len(data), False
    end = match.end()
    return data[index:end - 1], end, True


def _get_link(self: LinkInlineProcessor, data: str, index: int) -> Any:
    """As `LinkInlineProcessor.getLink`, reading no further than `_LINK_MARKS` parentheses and
    quotes after `index`, as if the paragraph ended there."""
    if data.startswith("(", index):  # else there is no address to read: the search ends at once
        # Each character is within this reach of at most _LINK_MARKS links' `(`.
        for count, mark in enumerate(_LINK_MARK.finditer(data, index), 1):
            if count == _LINK_MARKS:
                data = data[:mark.end()]
                break
    return type(self).getLink(self, data, index)
