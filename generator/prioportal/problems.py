"""Problems found in a communicator's files, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
import re
from pathlib import Path
from typing import Any, Callable

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


class Text(str):
    """A message in English that can be said in another language.

    It is the English text itself, so it compares, sorts and prints as before; it also keeps its
    msgid (the English text with named `{placeholders}`) and the values, so whoever shows it to a
    communicator says it in the portal's language (`said`). Values may be `Text` themselves (a
    field's explanation, a kind of personal data) and are translated with it.
    """

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, values: dict[str, Any]) -> "Text":
        made = super().__new__(cls, msgid.format(**values) if values else msgid)
        made.msgid = msgid
        made.values = values
        return made

    def __reduce__(self):  # kept in the warm validation's cache (pickle)
        return (Text, (self.msgid, self.values))

    def said(self, gettext: Callable[[str], str]) -> str:
        values = {name: said(value, gettext) for name, value in self.values.items()}
        wording = gettext(self.msgid)
        try:
            return wording.format(**values) if values else wording
        except (KeyError, IndexError, ValueError):  # a catalogue's slip must not hide a problem
            return self.msgid.format(**values) if values else self.msgid


def T(msgid: str, **values: Any) -> Text:
    """A message to translate where it is shown: `T("'{value}' is not a level", value=raw)`.

    `make messages` extracts the first argument, as it does `_()` and `N_()`; write the English
    text with named placeholders (literal braces doubled), never an f-string."""
    return Text(msgid, values)


def said(value: Any, gettext: Callable[[str], str]) -> str:
    """A value as a communicator reads it: a `Text` in their language, anything else as written."""
    return value.said(gettext) if isinstance(value, Text) else str(value)


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    advice: str
    severity: Severity = Severity.error

    def __str__(self) -> str:
        return self.said(lambda msgid: msgid)

    def said(self, gettext: Callable[[str], str]) -> str:
        """The problem as one line, `path:line:column: what is wrong — what to do`, in the
        language of `gettext` (a `Translator.gettext`)."""
        prefix = "" if self.severity is Severity.error else gettext(WARNING_PREFIX)
        text = f"{self.path}:{self.line}:{self.column}: {prefix}{said(self.message, gettext)} — {said(self.advice, gettext)}"
        # A value quoted in a message must not move the cursor or colour a terminal or CI log.
        return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


WARNING_PREFIX = T("warning: ")


class InvalidPortal(Exception):
    """Raised with every problem at once when the input cannot be published."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def line_of_key(lines: list[str], key: str, after: int = 0) -> int:
    """The 1-based line, after line `after`, where `key` is written as a YAML key (quoted or
    not, or as a list item's first key); else `after`, or 1."""
    pattern = re.compile(rf"""^\s*-?\s*["']?{re.escape(key)}["']?\s*:""")
    return next((n for n, text in enumerate(lines, 1) if n > after and pattern.match(text)), after or 1)


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class UsageError(Exception):
    """A command was asked for something that cannot be done as asked (exit 2)."""
