"""A change to a page, in words a citizen can read: the lines of a page's history and of the feed.

`ChangeDescriber` turns the field-level changes of `analyses.changes` into `ChangeLine`s in the
portal's language: field names from the translation catalogue, criteria and outcomes in the
criteria set's own words, the fixed vocabulary by its citizen-facing names, amounts as money.

`prioportal diff` (`tools.diff_report`) words the same changes for reviewers, in plain English
and with values as the file writes them. The two share how a path is joined (`path_words`) and
how a long text is cut (`shortened`); everything else they word differently on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from prioportal.analyses.changes import Change, ItemId, PathElement
from prioportal.model import decisions as m
from prioportal.site.vocabulary import FIELD_LABELS, LABELS
from prioportal.text.i18n import Formatter, Translator

SEPARATOR = " › "


def path_words(path: Sequence[PathElement], name: Callable[[int, str], str]) -> str:
    """The elements of a path joined by ›: list positions as #1, #2 (1-based), every other
    element as `name` words it, given its place in the path and the element."""
    return SEPARATOR.join(f"#{e + 1}" if isinstance(e, int) and not isinstance(e, bool) else name(i, str(e))
                          for i, e in enumerate(path))


def shortened(text: str, limit: int | None) -> str:
    """The text on one line (runs of white space as one space), cut to `limit` characters with
    an ellipsis; None keeps it whole."""
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ChangeLine:
    """One field of a page that changed in one commit, in the reader's language."""

    field: str
    kind: str  # added, removed, changed
    old: str
    new: str


_LONG_TEXT = 160


class ChangeDescriber:
    """Turns field-level changes into lines a citizen can read ("Rank: 5 → 3")."""

    def __init__(self, tr: Translator, fmt: Formatter, criteria: dict[str, m.CriteriaSet]):
        self.tr, self.fmt = tr, fmt
        self.outcome_labels = {t.kind.value: t.label for cs in criteria.values() for t in cs.outcomes}
        self.criterion_names = {c.id: c.name for cs in criteria.values() for c in cs.criteria}
        self.enum_labels = {e.value: tr.gettext(msgid) for e, msgid in LABELS.items()}

    def field(self, path: tuple) -> str:
        def name(i: int, element: str) -> str:
            if i > 0 and path[i - 1] == "assessments":
                return self.criterion_names.get(element, element)
            if isinstance(path[i], ItemId):  # an id written in the file, not a field name
                return element
            return self.tr.gettext(FIELD_LABELS[element]) if element in FIELD_LABELS else element

        return path_words(path, name) if path else self.tr.gettext("The whole page")

    def value(self, path: tuple, value: Any) -> str:
        # An item of a list is named by its list: `type` for `type › #2`. Which fields hold an
        # amount, and which a value of the fixed vocabulary (vocabulary.LABELS), the model declares.
        name = next((p for p in reversed(path) if not isinstance(p, int)), None)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value) and name in m.ENUM_FIELDS:
            return self.fmt.labels([self.value(path, v) for v in value])
        if value is None:
            return "–"
        if isinstance(value, bool):
            return self.tr.gettext("yes") if value else self.tr.gettext("no")
        if isinstance(value, int) and name in m.AMOUNT_FIELDS:
            return self.fmt.money(value)
        if isinstance(value, (int, float)):
            return self.fmt.number(value)
        if isinstance(value, str):
            if name == "decision" and value in self.outcome_labels:
                return self.outcome_labels[value]
            if value in self.enum_labels and name in m.ENUM_FIELDS:
                return self.enum_labels[value]
            return shortened(value, _LONG_TEXT)
        return self.tr.gettext("(several fields)")

    def line(self, change: Change) -> ChangeLine:
        return ChangeLine(self.field(change.path), change.kind,
                          self.value(change.path, change.old), self.value(change.path, change.new))
