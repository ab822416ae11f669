"""A change in words a reader can follow: the lines of a page's history, of the feed, and of
`prioportal diff`'s reports.

`ChangeDescriber` is the one place that puts a field-level change of `analyses.changes`, or a
value the comparisons hold, into words, in the portal's language: field names from the
translation catalogue, criteria, scale levels, principles and outcomes in the criteria set's
own words, the fixed vocabulary by its names in `site.vocabulary.LABELS`, amounts as money and
dates as the locale writes them. Pages and feeds cut long texts; a report
(`ChangeDescriber.for_report`, used by `tools.diff_report`) keeps them whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Sequence

from prioportal.analyses.changes import Change, ItemId, PathElement
from prioportal.checks.published_history import HIDDEN
from prioportal.model import decisions as m
from prioportal.model.small_numbers import MEASURED_FIELDS, FewerThan, fewer_than, said
from prioportal.site.vocabulary import FIELD_LABELS, LABELS, field_label
from prioportal.text.i18n import Formatter, Translator

SEPARATOR = " › "
ARROW = "→"
NONE = "–"


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
# Where a field named `kind` is, by the list it is in (None: the top of a round's file), as
# `vocabulary.field_label` knows it.
_KINDS = {None: ("rounds", "kind"), "costs": ("measures", "costs.kind"), "outcomes": ("criteria", "outcomes.kind")}
# Which field of an item added or removed as a whole says what it is (a source by its title, a
# cost line by its kind, a result by its value; its path names it already). Never an id: an
# item with nothing but ids to show is "(several fields)".
_NAMING_FIELDS = ("title", "name", "label", "kind", "decision", "level", "value", "description", "meaning")


class ChangeDescriber:
    """Turns field-level changes and the values of a comparison into words ("Rank: 5 → 3")."""

    def __init__(self, tr: Translator, fmt: Formatter, criteria: Mapping[str, m.CriteriaSet] | Iterable[m.CriteriaSet],
                 limit: int | None = _LONG_TEXT):
        self.tr, self.fmt, self.limit = tr, fmt, limit
        sets = list(criteria.values()) if isinstance(criteria, Mapping) else list(criteria)
        self.criteria = {cs.id: cs for cs in sets}
        self.outcome_labels = {t.kind.value: t.label for cs in sets for t in cs.outcomes}
        self.criterion_names = {c.id: c.name for cs in sets for c in cs.criteria}
        self.level_labels = {(c.id, lvl.id): lvl.label for cs in sets for c in cs.criteria for lvl in c.scale}
        self.principle_names = {p.id: p.name for cs in sets for p in cs.principles}
        self.enum_labels = {e.value: tr.gettext(msgid) for e, msgid in LABELS.items()}

    @classmethod
    def for_report(cls, tr: Translator, fmt: Formatter,
                   criteria: Mapping[str, m.CriteriaSet] | Iterable[m.CriteriaSet]) -> "ChangeDescriber":
        """A describer for `prioportal diff`: the same words, with texts kept whole (a reviewer
        reads on, and a council paper quotes them)."""
        return cls(tr, fmt, criteria, limit=None)

    # --- Values a comparison holds ------------------------------------------------------

    def outcome(self, kind: str | m.OutcomeKind | None, criteria_id: str | None = None) -> str:
        """An outcome in the words of the criteria set (`criteria_id`, else any that names it)."""
        if kind is None:
            return NONE
        kind = kind.value if isinstance(kind, m.OutcomeKind) else kind
        cs = self.criteria.get(criteria_id) if criteria_id else None
        term = next((t for t in cs.outcomes if t.kind.value == kind), None) if cs else None
        return term.label if term else self.outcome_labels.get(kind, kind)

    def vocabulary(self, value: str | None) -> str:
        """A value of the fixed vocabulary (a rationing type, a status …) by its name."""
        return NONE if value is None else self.enum_labels.get(value, value)

    def money(self, value: int | None) -> str:
        return NONE if value is None else self.fmt.money(value)

    def signed_money(self, value: int) -> str:
        return ("+" if value > 0 else "") + self.fmt.money(value)

    def number(self, value: float | int | FewerThan | None) -> str:
        """A number, or a measured value too small to publish in words ("fewer than 5")."""
        return NONE if value is None else said(value, self.tr.gettext, self.fmt.number)

    def rank(self, value: int | None) -> str:
        return NONE if value is None else str(value)

    def text(self, value: str | None) -> str:
        return NONE if value is None else shortened(value, self.limit)

    def criteria_title(self, criteria_id: str) -> str:
        cs = self.criteria.get(criteria_id)
        return cs.title if cs else criteria_id

    def criterion(self, criteria_id: str, criterion_id: str) -> str:
        """A criterion by its name in the criteria version `criteria_id` (else in any that has it)."""
        cs = self.criteria.get(criteria_id)
        found = cs.criterion(criterion_id) if cs else None
        return found.name if found else self.criterion_names.get(criterion_id, criterion_id)

    def level(self, criteria_id: str, criterion_id: str, level_id: str) -> str:
        """A level of a criterion's scale by its label in the criteria version `criteria_id`: the
        same id may have another label in another version."""
        cs = self.criteria.get(criteria_id)
        criterion = cs.criterion(criterion_id) if cs else None
        found = criterion.level(level_id) if criterion else None
        return found.label if found else self.level_labels.get((criterion_id, level_id), level_id)

    def what_happened(self, measure: m.Measure) -> str | None:
        """What became of a measure that is not in the next round (`continuation`), or None
        where its file does not say: "Moved to another round (investering-2026): …"."""
        after = measure.continuation
        if after is None:
            return None
        said = self.vocabulary(after.status.value)
        if after.round is not None:
            said += f" ({after.round})"
        return f"{said}: {self.text(after.note)}" if after.note else said

    # --- Field-level changes ------------------------------------------------------------

    def field(self, path: tuple) -> str:
        def name(i: int, element: str) -> str:
            before = path[i - 1] if i > 0 else None
            if before == "assessments":
                return self.criterion_names.get(element, element)
            if isinstance(path[i], ItemId):  # an item of a list, named by its id: in its own words where it has some
                if before == "criteria":
                    return self.criterion_names.get(element, element)
                if before == "outcomes":
                    return self.outcome_labels.get(element, element)
                if before == "principles":
                    return self.principle_names.get(element, element)
                if before == "scale" and i >= 2:
                    return self.level_labels.get((str(path[i - 2]), element), element)
                if before == "results" and "@" in element:  # a result is named by its indicator and period
                    indicator, period = element.split("@", 1)
                    return f"{indicator} ({period})"
                return element
            if element == "kind":  # a word of several fields: a round's, a cost line's, an outcome term's kind
                parent = next((e for e in reversed(path[:i]) if isinstance(e, str) and not isinstance(e, ItemId)), None)
                where = _KINDS.get(parent)
                label = field_label(*where) if where else None
                if label is not None:
                    return self.tr.gettext(label)
            return self._name(element)

        return path_words(path, name) if path else self.tr.gettext("The whole page")

    def value(self, path: tuple, value: Any) -> str:
        # An item of a list is named by its list: `type` for `type › #2`. Which fields hold an
        # amount, a date, or a value of the fixed vocabulary (vocabulary.LABELS), the model declares.
        name = next((p for p in reversed(path) if not isinstance(p, int)), None)
        if isinstance(value, list):
            return self._list(path, name, value)
        if value is None:
            return NONE
        if isinstance(value, bool):
            return self.tr.gettext("yes") if value else self.tr.gettext("no")
        if isinstance(value, int) and name in m.AMOUNT_FIELDS:
            return self.fmt.money(value)
        if isinstance(value, (int, float)):
            return self.fmt.number(value)
        if isinstance(value, date) and name in m.DATE_FIELDS:
            return self.fmt.date(value)
        if isinstance(value, str):
            return self._string(path, name, value)
        if isinstance(value, Mapping):
            key = next((k for k in _NAMING_FIELDS
                        if isinstance(value.get(k), (str, int, float)) and not isinstance(value.get(k), bool)), None)
            if key is not None:
                return self.value((*path, key), value[key])
            if self.limit is None:  # a report shows what a page would only count: field by field
                shown = {k: v for k, v in value.items() if v not in (None, "", [], {})}
                if shown:
                    return "; ".join(f"{self._name(str(k))}: {self.value((*path, str(k)), v)}" for k, v in shown.items())
        return self.tr.gettext("(several fields)")

    def _name(self, key: str) -> str:
        return self.tr.gettext(FIELD_LABELS[key]) if key in FIELD_LABELS else key

    def _string(self, path: tuple, name: Any, value: str) -> str:
        if name in MEASURED_FIELDS and fewer_than(value) is not None:  # a small number, not published
            return self.number(value)
        if name == "decision" or (name == "kind" and "outcomes" in path):
            if value in self.outcome_labels:
                return self.outcome_labels[value]
        if name in m.ENUM_FIELDS and value in self.enum_labels:
            return self.enum_labels[value]
        if name in m.DATE_FIELDS:
            try:
                return self.fmt.date(date.fromisoformat(value))
            except ValueError:
                pass
        if name == "level" and "assessments" in path:
            where = path.index("assessments")
            if where + 1 < len(path):
                return self.level_labels.get((str(path[where + 1]), value), value)
        if name == "criteria" and value in self.criteria:  # a round's criteria version
            return self.criteria[value].title
        return shortened(value, self.limit)

    def _list(self, path: tuple, name: Any, value: list) -> str:
        if not value:
            return NONE
        if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            return self.tr.gettext("(several fields)")
        if all(isinstance(v, str) for v in value) and name in m.ENUM_FIELDS:
            return self.fmt.labels([self._string(path, name, v) for v in value])
        # A list of ids is the order of a list whose items were matched by id.
        if name == "criteria":
            words = [self.criterion_names.get(str(v), str(v)) for v in value]
        elif name == "scale" and len(path) >= 2:
            words = [self.level_labels.get((str(path[-2]), str(v)), str(v)) for v in value]
        elif name == "outcomes":
            words = [self.outcome_labels.get(str(v), str(v)) for v in value]
        elif name == "principles":
            words = [self.principle_names.get(str(v), str(v)) for v in value]
        else:
            words = [self.value(path, v) for v in value]
        return shortened(", ".join(words), self.limit)

    def line(self, change: Change) -> ChangeLine:
        return ChangeLine(self.field(change.path), change.kind, self.shown(self.value(change.path, change.old)),
                          self.shown(self.value(change.path, change.new)))

    def shown(self, text: str) -> str:
        """`text` with what the history's personal-data masking hid (`published_history.HIDDEN`)
        named in the portal's words, wherever a change or a commit is shown: pages and feeds."""
        return text.replace(HIDDEN, self.tr.gettext("[hidden]")) if HIDDEN in text else text

    def sentence(self, change: Change) -> str:
        """The change as one line of text, as a page's history words it: "Rank: 5 → 3",
        "Costs › #2: added Recurring", "Note: removed …"."""
        line = self.line(change)
        if line.kind in ("added", "removed"):  # the history's words for them (history.html)
            what = self.tr.gettext("added") if line.kind == "added" else self.tr.gettext("removed")
            return f"{line.field}: {what} {line.new if line.kind == 'added' else line.old}"
        return f"{line.field}: {line.old} {ARROW} {line.new}"
