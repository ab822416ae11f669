"""Problems found in a communicator's files, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
import re
from pathlib import Path

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


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
        prefix = "" if self.severity is Severity.error else "warning: "
        text = f"{self.path}:{self.line}:{self.column}: {prefix}{self.message} — {self.advice}"
        # A value quoted in a message must not move the cursor or colour a terminal or CI log.
        return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
