"""YAML text for the demo portal's decision files, written by a small emitter of our own.

PyYAML's dumper is about ten times slower, and a demo portal of a million measures is written
in one go. The same data always gives the same bytes.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Any


# --- YAML emitter ---------------------------------------------------------------------------
#
# Emits the subset the portal's files use: mappings with identifier keys, lists, strings,
# numbers and booleans; None values and empty lists are left out (they are the defaults).
# Strings are plain when that is unambiguous in YAML 1.1 and 1.2, folded (>-) when long,
# literal (|-) when they span lines, and double-quoted otherwise. No anchors are ever written.

_WRAP = 88
_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ(][^\n\r\t:#\"'\\]*")
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")  # all but \n
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    if _NEEDS_ESCAPE.search(out):  # characters JSON leaves raw but YAML reads as breaks or BOM
        out = (out.replace("\x7f", "\\x7f").replace("\x85", "\\N").replace("\u2028", "\\L")
               .replace("\u2029", "\\P").replace("\ufeff", "\\uFEFF"))
    return out


def _wrap(text: str, width: int) -> list[str]:
    lines = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut <= 0:
            cut = text.find(" ", width)
            if cut == -1:
                break
        lines.append(text[:cut])
        text = text[cut + 1:]
    lines.append(text)
    return lines


def _string(value: str, indent: int) -> str:
    if not value or value != value.strip() or _UNSAFE.search(value):
        return _quoted(value)
    if "\n" in value:
        if value.endswith("\n") or value.startswith(" "):
            return _quoted(value)
        pad = " " * indent
        return "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
    if len(value) > _WRAP and "  " not in value:
        pad = "\n" + " " * indent
        return ">-" + pad + pad.join(_wrap(value, _WRAP))
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return _quoted(value)


_short_strings: dict[tuple[str, int], str] = {}


def _scalar(value: Any, indent: int) -> str:
    """The text after 'key: ' or '- ' for a scalar; block scalars are indented by `indent`."""
    kind = type(value)
    if kind is str:
        if len(value) > 80:
            return _string(value, indent)
        key = (value, indent)
        text = _short_strings.get(key)
        if text is None:
            if len(_short_strings) > 100_000:
                _short_strings.clear()
            text = _short_strings[key] = _string(value, indent)
        return text
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("only finite numbers can be written")
        return repr(value)
    if isinstance(value, str):
        return _string(str(value), indent)
    if isinstance(value, date):
        return _quoted(value.isoformat())
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _emit_mapping(mapping: dict, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if value is None:
            continue
        kind = type(value)
        if kind is dict:
            if value:
                out.append(f"{pad}{key}:")
                _emit_mapping(value, indent + 2, out)
        elif kind is list:
            if value:
                out.append(f"{pad}{key}:")
                _emit_sequence(value, indent, out)
        else:
            text = _short_strings.get((value, indent + 2)) if kind is str else None
            out.append(f"{pad}{key}: {text or _scalar(value, indent + 2)}")


def _emit_sequence(items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        kind = type(item)
        if kind is dict:
            start = len(out)
            _emit_mapping(item, indent + 2, out)
            if len(out) == start:
                out.append(pad + "- {}")
            else:
                out[start] = pad + "- " + out[start][indent + 2:]
        elif kind is list:
            raise TypeError("nested lists are not used in portal files")
        else:
            out.append(f"{pad}- {_scalar(item, indent + 2)}")


def to_yaml(data: dict) -> str:
    """YAML text for one decision file."""
    out: list[str] = []
    _emit_mapping(data, 0, out)
    return "\n".join(out) + "\n"
