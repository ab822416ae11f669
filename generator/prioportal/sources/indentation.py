"""Advice for a YAML text that cannot be read because a line is indented wrongly.

PyYAML reports where it got stuck, which is often the line after the mistake, and in words
("mapping values are not allowed in this context") that make a communicator quote a text that
needs no quotes. For the shapes indentation mistakes take, this says which field is out of
line, which field it belongs under and with how many spaces to write it:

- a field written at the depth of the field above it, which was meant to hold it
  (`nytte:` then `level: stor` at the same depth, then `justification:` deeper);
- a field indented further than the field above it, which already has a value;
- a list item (`- `) indented differently from the other items of its list;
- a field of a list item not lined up with the first field after the item's `- `.

Only lines that are fields are considered (a key of lower-case letters, digits, `_` and `-`):
a line of running text with a colon in it (`Merk: ...`) still gets the advice to quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prioportal.problems import T, Text

_KEY = re.compile(r"([a-z0-9][a-z0-9_-]*)[ ]*:(?:[ ]+(.*))?$")
_BLOCK = re.compile(r"[|>][-+0-9]*$")


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    indent: int  # spaces before the line's text (before the `- ` of a list item)
    item: bool  # a list item: `- ...`
    key: str | None  # the field the line starts (after `- ` for an item), if it is a field
    key_column: int  # 0-based column of that field
    value: str  # what follows the field's colon, without a comment ("" when the field holds more)


def _structure(text: str) -> dict[int, _Line]:
    """The lines of `text` that give its structure, by number: not blank lines, comments or the
    lines of a block text (`|` or `>`)."""
    lines: dict[int, _Line] = {}
    block_above: int | None = None  # the indentation of the field whose block text this is
    for number, raw in enumerate(text.split("\n"), 1):
        raw = raw.rstrip("\r")
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if block_above is not None:
            if not stripped or indent > block_above:
                continue
            block_above = None
        if not stripped or stripped.startswith("#"):
            continue
        item = stripped == "-" or stripped.startswith("- ")
        rest = stripped[1:].lstrip(" ") if item else stripped
        key_column = len(raw) - len(rest)
        found = _KEY.match(rest)
        key, value = (found[1], (found[2] or "").split(" #")[0].strip()) if found else (None, "")
        lines[number] = _Line(number, indent, item, key, key_column, value)
        if key is not None and _BLOCK.match(value):
            block_above = indent
    return lines


def _before(lines: dict[int, _Line], number: int) -> list[_Line]:
    """The structural lines before line `number`, nearest first."""
    return [lines[n] for n in sorted(lines, reverse=True) if n < number]


def indentation_problem(text: str, line: int, column: int, reason: str) -> tuple[int, int, Text, Text] | None:
    """(line, column, message, advice) for an indentation mistake PyYAML stopped at (line,
    column) with `reason`; None when the text does not have one of the shapes above."""
    lines = _structure(text)
    here = lines.get(line)
    if here is None:
        return None
    above = _before(lines, line)
    if "mapping values are not allowed" in reason:
        return _deeper_than_a_value(here, column, above)
    if "did not find expected '-' indicator" in reason and not here.item and here.key is not None:
        return _item_field(here, above)
    if "did not find expected key" in reason or "expected <block end>" in reason:
        if here.item:
            return _item_out_of_line(here, above)
        if here.key is not None:
            return _item_field(here, above) or _between_depths(here, above, lines)
    return None


def _between_depths(here: _Line, above: list[_Line], lines: dict[int, _Line]) -> tuple[int, int, Text, Text] | None:
    """A field indented less than the fields of the field above that holds them, but more than that one."""
    holder = next((x for x in above if x.key_column < here.key_column), None)
    if holder is None or holder.key is None or holder.value:
        return None
    first = next((lines[n] for n in sorted(lines) if n > holder.number), None)
    if first is None or first.number >= here.number or first.indent <= here.key_column:
        return None
    return (here.number, here.key_column + 1,
            T("'{key}' is indented {written} spaces, but the fields under '{holder}' are indented {spaces}",
              key=here.key, written=here.key_column, holder=holder.key, spaces=first.indent),
            T("indent '{key}' with {spaces} spaces, as '{first}' on line {line} is", key=here.key,
              spaces=first.indent, first=first.key or "-", line=first.number))


def _deeper_than_a_value(here: _Line, column: int, above: list[_Line]) -> tuple[int, int, Text, Text] | None:
    # PyYAML read `here` as the continuation of the text above it, then met its colon: only when
    # that colon is the field's own (and not one later in a text) is this about indentation.
    if here.key is None or column - 1 != here.key_column + len(here.key) or not above:
        return None
    value_above = above[0]
    if value_above.key is None or not value_above.value or value_above.key_column >= here.key_column:
        return None
    holder = above[1] if len(above) > 1 else None
    if (holder is not None and holder.key is not None and not holder.value and not value_above.item
            and holder.key_column >= value_above.key_column):
        # `nytte:` and `level: stor` at one depth (or `level` further out), `justification:` deeper:
        # `level` belongs under `nytte`, with `justification`.
        spaces = here.key_column if here.key_column > holder.key_column else holder.key_column + 2
        return (value_above.number, value_above.key_column + 1,
                T("'{key}' is not indented under '{holder}' on the line above, so '{holder}' is left empty "
                  "and the next line cannot be read", key=value_above.key, holder=holder.key),
                T("indent '{key}' with {spaces} spaces, as '{next}' on the line below is, to put both under "
                  "'{holder}'", key=value_above.key, spaces=spaces, next=here.key, holder=holder.key))
    return (here.number, here.key_column + 1,
            T("'{key}' is indented further than '{above}' on line {line}, which already has a value and cannot "
              "hold fields", key=here.key, above=value_above.key, line=value_above.number),
            T("indent '{key}' with {spaces} spaces, as '{above}' is", key=here.key, spaces=value_above.key_column,
              above=value_above.key))


def _item_out_of_line(here: _Line, above: list[_Line]) -> tuple[int, int, Text, Text] | None:
    sibling = next((x for x in above if x.item and x.indent != here.indent), None)
    if sibling is None:
        return None
    holder = next((x for x in above if x.number < sibling.number and x.key is not None and not x.value
                   and x.key_column < sibling.indent + (1 if not x.item else 0)), None)
    if holder is not None and holder.key_column <= sibling.indent:
        message = T("this list item is indented {written} spaces, but the items of '{holder}' are indented {spaces}",
                    written=here.indent, holder=holder.key, spaces=sibling.indent)
    else:
        message = T("this list item is indented {written} spaces, but the items above it are indented {spaces}",
                    written=here.indent, spaces=sibling.indent)
    return (here.number, here.indent + 1, message,
            T("write the '- ' with {spaces} spaces before it, as on line {line}", spaces=sibling.indent,
              line=sibling.number))


def _item_field(here: _Line, above: list[_Line]) -> tuple[int, int, Text, Text] | None:
    # The nearest list item above whose fields start further in than this line: the item it belongs to.
    item = next((x for x in above if x.item and x.key is not None and x.indent <= here.key_column < x.key_column), None)
    if item is None or any(x.key_column <= here.key_column and x.number > item.number for x in above):
        return None
    return (here.number, here.key_column + 1,
            T("'{key}' is not lined up with '{first}', the first field of the list item on line {line}",
              key=here.key, first=item.key, line=item.number),
            T("indent '{key}' with {spaces} spaces, as '{first}' stands after the '- '", key=here.key,
              spaces=item.key_column, first=item.key))
