"""Problems found in a communicator's files, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


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
        return f"{self.path}:{self.line}:{self.column}: {prefix}{self.message} — {self.advice}"


class InvalidPortal(Exception):
    """Raised with every problem at once when the input cannot be published."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class UsageError(Exception):
    """A command was asked for something that cannot be done as asked (exit 2)."""
