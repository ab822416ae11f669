"""What changed between two versions: of a criteria set, of a round, or of the whole portal.

Reviewers compare criteria, rankings and outcomes across years (DOMAIN.md: konsistens, criteria
and procedures stable over time). Everything here is a pure function over model objects or
over JSON-like data (`model_dump(mode="json")`, or YAML as written); nothing reads files, git or
the clock, and every result is ordered deterministically.

The structured results are what the site renders with its translated templates. `to_text`,
`to_markdown` and `to_json` are for `prioportal diff` (reviewers and journalists), in English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, Sequence

from prioportal.analyses.followup import indicator_statuses
from prioportal.model.decisions import CriteriaSet, Criterion, Measure, OutcomeTerm, Principle, Round, ScaleLevel, group_by_round
from prioportal.analyses.ranking import ranked

if TYPE_CHECKING:
    from prioportal.checks.portal import Portal

ChangeKind = Literal["added", "removed", "changed"]


class ItemId(str):
    """A path element naming a list item by its id (or outcome kind, or indicator@period),
    as opposed to a mapping key. Compares and serialises as the plain string."""

    __slots__ = ()


PathElement = str | int


@dataclass(frozen=True)
class Change:
    """One field that differs. `path` leads from the top of the value to the field: mapping keys
    and list-item ids are strings (ids are `ItemId`), list positions are ints (0-based).

    - added: `old` is None (the field or item did not exist, or was null);
    - removed: `new` is None;
    - changed: both set. A list whose items are matched by id and whose common items are listed
      in a different order gets a `changed` at the list's own path, with `old` and `new` the
      lists of ids in order (for a scale, the order says which level is most favourable).
    """

    path: tuple[PathElement, ...]
    kind: ChangeKind
    old: Any = None
    new: Any = None

    @property
    def field(self) -> str:
        return path_text(self.path)


def _path_sort_key(path: tuple[PathElement, ...]) -> tuple:
    return tuple((0, e, "") if isinstance(e, int) else (1, 0, str(e)) for e in path)


_KIND_ORDER = {"removed": 0, "changed": 1, "added": 2}


def _change_sort_key(change: Change) -> tuple:
    return (_path_sort_key(change.path), _KIND_ORDER[change.kind])


def _item_key(item: Any) -> str | None:
    """The identity of a list item, if it has one."""
    if not isinstance(item, Mapping):
        return None
    ident = item.get("id")
    if isinstance(ident, (str, int)) and not isinstance(ident, bool):
        return str(ident)
    kind = item.get("kind")
    if isinstance(kind, str) and "label" in item:  # an outcome term (a cost line's kind is not an identity)
        return kind
    indicator, period = item.get("indicator"), item.get("period")
    if isinstance(indicator, str) and isinstance(period, (str, int)) and not isinstance(period, bool):
        return f"{indicator}@{period}"
    return None


def _keys_of(items: Sequence[Any]) -> list[str] | None:
    """Keys for every item, or None when some item has none or a key repeats (then match by position)."""
    keys = []
    for item in items:
        key = _item_key(item)
        if key is None:
            return None
        keys.append(key)
    return keys if len(set(keys)) == len(keys) else None


def diff(old: Any, new: Any, path: tuple[PathElement, ...] = ()) -> list[Change]:
    """Field-level differences between two JSON-like values, sorted by path.

    Mappings are compared key by key; lists item by item, matched by `id` (outcome terms by
    `kind`, follow-up results by `indicator` and `period`) when every item on both sides has a
    unique one, and by position otherwise. Linear in the size of the values.
    """
    found: list[Change] = []
    _diff(old, new, tuple(path), found)
    found.sort(key=_change_sort_key)
    return found


def _diff(old: Any, new: Any, path: tuple, out: list[Change]) -> None:
    if old is None and new is None:
        return
    if old is None:
        out.append(Change(path, "added", None, new))
        return
    if new is None:
        out.append(Change(path, "removed", old, None))
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in old:
            if key in new:
                _diff(old[key], new[key], path + (str(key),), out)
            elif old[key] is not None:
                out.append(Change(path + (str(key),), "removed", old[key], None))
        for key in new:
            if key not in old and new[key] is not None:
                out.append(Change(path + (str(key),), "added", None, new[key]))
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_lists(old, new, path, out)
        return
    # True == 1 in Python, but true and 1 are different values in a file.
    if old != new or (type(old) is not type(new) and not (_is_number(old) and _is_number(new))):
        out.append(Change(path, "changed", old, new))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _diff_lists(old: list, new: list, path: tuple, out: list[Change]) -> None:
    old_keys, new_keys = _keys_of(old), _keys_of(new)
    if old_keys is None or new_keys is None or not old or not new:
        for i in range(max(len(old), len(new))):
            if i >= len(old):
                out.append(Change(path + (i,), "added", None, new[i]))
            elif i >= len(new):
                out.append(Change(path + (i,), "removed", old[i], None))
            else:
                _diff(old[i], new[i], path + (i,), out)
        return
    old_by_key = dict(zip(old_keys, old))
    new_by_key = dict(zip(new_keys, new))
    for key, item in old_by_key.items():
        if key in new_by_key:
            _diff(item, new_by_key[key], path + (ItemId(key),), out)
        else:
            out.append(Change(path + (ItemId(key),), "removed", item, None))
    for key, item in new_by_key.items():
        if key not in old_by_key:
            out.append(Change(path + (ItemId(key),), "added", None, item))
    old_order = [k for k in old_keys if k in new_by_key]
    new_order = [k for k in new_keys if k in old_by_key]
    if old_order != new_order:
        out.append(Change(path, "changed", old_order, new_order))


def dump(obj: Any) -> Any:
    """The JSON-like form of a model object (dates as ISO text, enums as their values)."""
    return obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj


# --- Criteria versions --------------------------------------------------------------------


@dataclass(frozen=True)
class LevelChange:
    """One scale level present in both versions whose wording changed."""

    id: str
    old: ScaleLevel
    new: ScaleLevel

    @property
    def relabelled(self) -> bool:
        return self.old.label != self.new.label

    @property
    def redescribed(self) -> bool:
        return self.old.description != self.new.description


@dataclass(frozen=True)
class CriterionChange:
    """A criterion present in both versions (same id), and what changed in it."""

    id: str
    old: Criterion
    new: Criterion
    fields: tuple[Change, ...]  # name, question, description (not the scale)
    levels_added: tuple[ScaleLevel, ...]
    levels_removed: tuple[ScaleLevel, ...]
    levels_changed: tuple[LevelChange, ...]
    levels_reordered: bool  # the levels in both are listed in another order: what counts as most favourable changed

    @property
    def reworded(self) -> bool:
        return bool(self.fields)

    @property
    def levels_relabelled(self) -> tuple[LevelChange, ...]:
        return tuple(c for c in self.levels_changed if c.relabelled)

    @property
    def levels_redescribed(self) -> tuple[LevelChange, ...]:
        return tuple(c for c in self.levels_changed if c.redescribed)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.levels_added or self.levels_removed or self.levels_changed
                    or self.levels_reordered)


@dataclass(frozen=True)
class ItemChange:
    """A principle or outcome term present in both versions, with its field changes."""

    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class CriteriaComparison:
    old: CriteriaSet
    new: CriteriaSet
    criteria_added: tuple[Criterion, ...]
    criteria_removed: tuple[Criterion, ...]
    criteria_changed: tuple[CriterionChange, ...]  # only those with a change, in the new version's order
    criteria_unchanged: tuple[str, ...]
    principles_added: tuple[Principle, ...]
    principles_removed: tuple[Principle, ...]
    principles_changed: tuple[ItemChange, ...]
    rank_scale: tuple[Change, ...]
    outcomes_added: tuple[OutcomeTerm, ...]
    outcomes_removed: tuple[OutcomeTerm, ...]
    outcomes_changed: tuple[ItemChange, ...]
    other: tuple[Change, ...]  # title, introduction (id, version, dates and the note itself are not differences)

    @property
    def change_note(self) -> str | None:
        return self.new.change_note

    @property
    def has_differences(self) -> bool:
        return any((self.criteria_added, self.criteria_removed, self.criteria_changed, self.principles_added,
                    self.principles_removed, self.principles_changed, self.rank_scale, self.outcomes_added,
                    self.outcomes_removed, self.outcomes_changed, self.other))

    @property
    def criteria_pairs(self) -> tuple[tuple[Criterion | None, Criterion | None], ...]:
        """Side by side: (old, new) for every criterion, in the new version's order, removed ones last."""
        old_by_id = {c.id: c for c in self.old.criteria}
        new_ids = {c.id for c in self.new.criteria}
        pairs: list[tuple[Criterion | None, Criterion | None]] = [(old_by_id.get(c.id), c) for c in self.new.criteria]
        pairs += [(c, None) for c in self.old.criteria if c.id not in new_ids]
        return tuple(pairs)


def _split(old_items: Sequence[Any], new_items: Sequence[Any], key) -> tuple[list, list, list[tuple[Any, Any]]]:
    old_by = {key(x): x for x in old_items}
    new_keys = {key(x) for x in new_items}
    added = [x for x in new_items if key(x) not in old_by]
    removed = [x for x in old_items if key(x) not in new_keys]
    both = [(old_by[key(x)], x) for x in new_items if key(x) in old_by]
    return added, removed, both


def compare_criterion(old: Criterion, new: Criterion) -> CriterionChange:
    fields = tuple(c for name in ("name", "question", "description")
                   for c in diff(getattr(old, name), getattr(new, name), (name,)))
    added, removed, both = _split(old.scale, new.scale, lambda lvl: lvl.id)
    changed = tuple(LevelChange(n.id, o, n) for o, n in both if (o.label, o.description) != (n.label, n.description))
    new_ids = {lvl.id for lvl in new.scale}
    old_ids = {lvl.id for lvl in old.scale}
    reordered = ([lvl.id for lvl in old.scale if lvl.id in new_ids] != [lvl.id for lvl in new.scale if lvl.id in old_ids])
    return CriterionChange(new.id, old, new, fields, tuple(added), tuple(removed), changed, reordered)


def compare_criteria(old: CriteriaSet, new: CriteriaSet) -> CriteriaComparison:
    """What changed from one criteria version to another, criterion by criterion and level by level."""
    c_added, c_removed, c_both = _split(old.criteria, new.criteria, lambda c: c.id)
    criterion_changes = [compare_criterion(o, n) for o, n in c_both]
    p_added, p_removed, p_both = _split(old.principles, new.principles, lambda p: p.id)
    o_added, o_removed, o_both = _split(old.outcomes, new.outcomes, lambda o: o.kind)
    other = tuple(c for name in ("title", "introduction")
                  for c in diff(getattr(old, name), getattr(new, name), (name,)))
    return CriteriaComparison(
        old=old,
        new=new,
        criteria_added=tuple(c_added),
        criteria_removed=tuple(c_removed),
        criteria_changed=tuple(c for c in criterion_changes if c.changed),
        criteria_unchanged=tuple(c.id for c in criterion_changes if not c.changed),
        principles_added=tuple(p_added),
        principles_removed=tuple(p_removed),
        principles_changed=_item_changes((o.id, dump(o), dump(n)) for o, n in p_both),
        rank_scale=tuple(diff(dump(old.rank_scale), dump(new.rank_scale))),
        outcomes_added=tuple(o_added),
        outcomes_removed=tuple(o_removed),
        outcomes_changed=_item_changes((o.kind.value, dump(o), dump(n)) for o, n in o_both),
        other=other,
    )


def _item_changes(triples: Iterable[tuple[str, Any, Any]]) -> tuple[ItemChange, ...]:
    found = []
    for ident, old, new in triples:
        changes = diff(old, new)
        if changes:
            found.append(ItemChange(ident, tuple(changes)))
    return tuple(found)


# --- Rounds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePair:
    """The same measure in the earlier and the later round."""

    old: Measure
    new: Measure

    @property
    def rank_delta(self) -> int | None:
        """Positive when the measure moved up (its rank number got smaller)."""
        if self.old.rank is None or self.new.rank is None:
            return None
        return self.old.rank - self.new.rank

    @property
    def old_outcome(self) -> str | None:
        return self.old.outcome.decision.value if self.old.outcome else None

    @property
    def new_outcome(self) -> str | None:
        return self.new.outcome.decision.value if self.new.outcome else None

    @property
    def outcome_changed(self) -> bool:
        return self.old_outcome != self.new_outcome

    @property
    def cost_changed(self) -> bool:
        return self.old.cost_year_1 != self.new.cost_year_1

    @property
    def granted_changed(self) -> bool:
        return self.old.granted != self.new.granted


@dataclass(frozen=True)
class RoundComparison:
    old_round: Round
    new_round: Round
    new: tuple[Measure, ...]  # no earlier version in the old round; rank order
    dropped: tuple[Measure, ...]  # in the old round, not continued; old rank order
    moved_up: tuple[MeasurePair, ...]
    moved_down: tuple[MeasurePair, ...]
    rank_added: tuple[MeasurePair, ...]  # unranked before, ranked now
    rank_removed: tuple[MeasurePair, ...]  # ranked before, unranked now
    outcome_changed: tuple[MeasurePair, ...]
    cost_changed: tuple[MeasurePair, ...]  # year-1 cost
    granted_changed: tuple[MeasurePair, ...]
    unchanged: tuple[MeasurePair, ...]  # same rank, outcome, cost and grant
    continued: tuple[MeasurePair, ...]  # every pair, in the new round's rank order

    @property
    def budget_frame_old(self) -> int:
        return self.old_round.budget_frame

    @property
    def budget_frame_new(self) -> int:
        return self.new_round.budget_frame

    @property
    def budget_frame_delta(self) -> int:
        return self.new_round.budget_frame - self.old_round.budget_frame

    @property
    def criteria_changed(self) -> bool:
        return self.old_round.criteria != self.new_round.criteria

    @property
    def has_differences(self) -> bool:
        return bool(self.new or self.dropped or len(self.unchanged) != len(self.continued)
                    or self.budget_frame_delta or self.criteria_changed)


def compare_rounds(old_round: Round, old_measures: Iterable[Measure],
                   new_round: Round, new_measures: Iterable[Measure]) -> RoundComparison:
    """Changes from one round to a later one (or the same round at two revisions).

    A measure of the new round continues one of the old round when its `previous` points to
    it, or, failing that, when it has the same id. Several new measures may continue one old
    measure (a split); an old measure nobody continues is dropped. Measures of other rounds in
    the lists are ignored, so a whole portal's measures may be passed.
    """
    old_list = [x for x in old_measures if x.round == old_round.id]
    new_list = [x for x in new_measures if x.round == new_round.id]
    old_by_id = {x.id: x for x in old_list}
    pairs: list[MeasurePair] = []
    fresh: list[Measure] = []
    continued_ids: set[str] = set()
    for measure in ranked(new_list):
        earlier = old_by_id.get(measure.previous) if measure.previous else None
        if earlier is None:
            earlier = old_by_id.get(measure.id)
        if earlier is None:
            fresh.append(measure)
        else:
            pairs.append(MeasurePair(earlier, measure))
            continued_ids.add(earlier.id)
    dropped = [x for x in ranked(old_list) if x.id not in continued_ids]

    def select(test) -> tuple[MeasurePair, ...]:
        return tuple(p for p in pairs if test(p))

    def unchanged(p: MeasurePair) -> bool:
        return p.old.rank == p.new.rank and not (p.outcome_changed or p.cost_changed or p.granted_changed)

    return RoundComparison(
        old_round=old_round,
        new_round=new_round,
        new=tuple(fresh),
        dropped=tuple(dropped),
        moved_up=tuple(sorted(select(lambda p: (p.rank_delta or 0) > 0), key=lambda p: -(p.rank_delta or 0))),
        moved_down=tuple(sorted(select(lambda p: (p.rank_delta or 0) < 0), key=lambda p: p.rank_delta or 0)),
        rank_added=select(lambda p: p.old.rank is None and p.new.rank is not None),
        rank_removed=select(lambda p: p.old.rank is not None and p.new.rank is None),
        outcome_changed=select(lambda p: p.outcome_changed),
        cost_changed=select(lambda p: p.cost_changed),
        granted_changed=select(lambda p: p.granted_changed),
        unchanged=select(unchanged),
        continued=tuple(pairs),
    )


# --- Two revisions of a whole portal -----------------------------------------------------


@dataclass(frozen=True)
class EntityChange:
    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class EntityChanges:
    """Objects of one kind (criteria sets, rounds or measures) across two revisions."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[EntityChange, ...]

    @property
    def has_differences(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class IndicatorChange:
    indicator: str
    name: str
    old_progress: str | None  # a followup.Progress value; None when the indicator did not exist
    new_progress: str | None
    old_latest: float | None
    new_latest: float | None


@dataclass(frozen=True)
class FollowUpChange:
    measure: str
    indicators: tuple[IndicatorChange, ...]
    old_evaluation: str | None  # continue, correct or stop
    new_evaluation: str | None

    @property
    def evaluation_changed(self) -> bool:
        return self.old_evaluation != self.new_evaluation


@dataclass(frozen=True)
class PortalComparison:
    old_label: str
    new_label: str
    criteria_sets: EntityChanges
    rounds: EntityChanges
    measures: EntityChanges
    round_changes: tuple[RoundComparison, ...]  # rounds in both revisions whose ranking or outcomes changed
    follow_up: tuple[FollowUpChange, ...]

    @property
    def has_differences(self) -> bool:
        return (self.criteria_sets.has_differences or self.rounds.has_differences
                or self.measures.has_differences or bool(self.follow_up))


def _entity_changes(old: Iterable[Any], new: Iterable[Any]) -> EntityChanges:
    old_by = {x.id: x for x in old}
    new_by = {x.id: x for x in new}
    changed = []
    for ident in sorted(old_by.keys() & new_by.keys()):
        a, b = old_by[ident], new_by[ident]
        if a == b:
            continue
        changes = diff(dump(a), dump(b))
        if changes:
            changed.append(EntityChange(ident, tuple(changes)))
    return EntityChanges(
        added=tuple(sorted(new_by.keys() - old_by.keys())),
        removed=tuple(sorted(old_by.keys() - new_by.keys())),
        changed=tuple(changed),
    )


def follow_up_change(old: Measure, new: Measure) -> FollowUpChange | None:
    """How the follow-up of one measure moved between two revisions; None when it did not."""
    old_status = {s.indicator.id: s for s in indicator_statuses(old)}
    new_status = {s.indicator.id: s for s in indicator_statuses(new)}
    indicators = []
    for ident in list(new_status) + [i for i in old_status if i not in new_status]:
        a, b = old_status.get(ident), new_status.get(ident)
        old_latest = a.latest.value if a and a.latest else None
        new_latest = b.latest.value if b and b.latest else None
        old_progress = a.progress.value if a else None
        new_progress = b.progress.value if b else None
        if (old_progress, old_latest) != (new_progress, new_latest):
            name = (b or a).indicator.name  # type: ignore[union-attr]
            indicators.append(IndicatorChange(ident, name, old_progress, new_progress, old_latest, new_latest))
    old_eval = old.follow_up.evaluation.decision.value if old.follow_up.evaluation else None
    new_eval = new.follow_up.evaluation.decision.value if new.follow_up.evaluation else None
    if not indicators and old_eval == new_eval:
        return None
    return FollowUpChange(new.id, tuple(indicators), old_eval, new_eval)


def compare_portals(old: Portal, new: Portal, old_label: str = "old", new_label: str = "new") -> PortalComparison:
    """Two revisions of a portal (`prioportal.portal.Portal`), e.g. loaded from two git revisions."""
    old_measures = {x.id: x for x in old.measures}
    new_measures = {x.id: x for x in new.measures}
    old_by_round, new_by_round = group_by_round(old.measures), group_by_round(new.measures)
    old_rounds = {r.id: r for r in old.rounds}
    round_changes = []
    for rnd in new.rounds:
        if rnd.id in old_rounds:
            compared = compare_rounds(old_rounds[rnd.id], old_by_round.get(rnd.id, []),
                                      rnd, new_by_round.get(rnd.id, []))
            if compared.has_differences:
                round_changes.append(compared)
    follow_up = []
    for ident in sorted(old_measures.keys() & new_measures.keys()):
        a, b = old_measures[ident], new_measures[ident]
        if a.follow_up == b.follow_up:
            continue
        found = follow_up_change(a, b)
        if found is not None:
            follow_up.append(found)
    return PortalComparison(
        old_label=old_label,
        new_label=new_label,
        criteria_sets=_entity_changes(old.criteria_sets, new.criteria_sets),
        rounds=_entity_changes(old.rounds, new.rounds),
        measures=_entity_changes(old.measures, new.measures),
        round_changes=tuple(round_changes),
        follow_up=tuple(follow_up),
    )


# --- Every difference page of a portal ------------------------------------------------------


def previous_round(portal: Portal, rnd: Round) -> Round | None:
    """The round before this one: its `previous` link, or else the latest round of an earlier year."""
    if rnd.previous is not None:
        return next((r for r in portal.rounds if r.id == rnd.previous), None)
    earlier = [r for r in portal.rounds if r.year < rnd.year]
    return max(earlier, key=lambda r: (r.year, r.id)) if earlier else None


def criteria_differences(portal: Portal) -> dict[str, CriteriaComparison]:
    """For each criteria version that names the version it replaces: what changed from it."""
    by_id = {c.id: c for c in portal.criteria_sets}
    return {cs.id: compare_criteria(by_id[cs.previous], cs)
            for cs in portal.criteria_sets if cs.previous is not None and cs.previous in by_id}


def round_differences(portal: Portal) -> dict[str, RoundComparison]:
    """For each round after the first: the changes since the previous round."""
    by_round = group_by_round(portal.measures)
    found = {}
    for rnd in portal.rounds:
        before = previous_round(portal, rnd)
        if before is not None:
            found[rnd.id] = compare_rounds(before, by_round.get(before.id, []), rnd, by_round.get(rnd.id, []))
    return found


# --- Wording shared by the renderers -----------------------------------------------------

ARROW = "→"
Item = Any  # a line of text, or (line, sub-lines)
_MAX_TEXT = 300


def path_text(path: Sequence[PathElement]) -> str:
    """`criteria › nytte › scale › stor › label`; list positions as #1, #2 (1-based)."""
    if not path:
        return "(whole file)"
    return " › ".join(f"#{e + 1}" if isinstance(e, int) and not isinstance(e, bool) else str(e) for e in path)


def value_text(value: Any, limit: int | None = _MAX_TEXT) -> str:
    """A short plain rendering of a value for a change list."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = " ".join(value.split())
        return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"
    if isinstance(value, Mapping):
        for key in ("title", "name", "label", "id", "kind", "level", "description"):
            if isinstance(value.get(key), str):
                return value_text(value[key], limit)
        return f"({len(value)} fields)"
    if isinstance(value, list):
        if all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value):
            return value_text(", ".join(str(x) for x in value), limit)
        return f"({len(value)} items)"
    return value_text(str(value), limit)


def change_text(change: Change, limit: int | None = _MAX_TEXT) -> str:
    """`rank: 5 → 3`, `added outcome › consequences: ...`, `removed costs › #2: ...`."""
    where = path_text(change.path)
    if change.kind == "added":
        return f"added {where}: {value_text(change.new, limit)}"
    if change.kind == "removed":
        return f"removed {where}: {value_text(change.old, limit)}"
    if isinstance(change.old, list) and isinstance(change.new, list):
        return f"{where}: order {value_text(change.old, limit)} {ARROW} {value_text(change.new, limit)}"
    return f"{where}: {value_text(change.old, limit)} {ARROW} {value_text(change.new, limit)}"


def _amount(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _signed(value: int) -> str:
    return ("+" if value > 0 else "") + _amount(value)


def _rank(value: int | None) -> str:
    return "–" if value is None else str(value)


def _measure_line(x: Measure) -> str:
    outcome = x.outcome.decision.value if x.outcome else "no outcome"
    return f"{x.title} ({x.id}), rank {_rank(x.rank)}, {outcome}, year-1 cost {_amount(x.cost_year_1)}"


def _pair_name(p: MeasurePair) -> str:
    return f"{p.new.title} ({p.new.id})"


def _pair_line(p: MeasurePair, what: str) -> str:
    if what == "rank":
        detail = f"rank {_rank(p.old.rank)} {ARROW} {_rank(p.new.rank)}"
    elif what == "outcome":
        detail = f"{p.old_outcome or 'no outcome'} {ARROW} {p.new_outcome or 'no outcome'}"
    elif what == "cost":
        detail = f"{_amount(p.old.cost_year_1)} {ARROW} {_amount(p.new.cost_year_1)}"
    else:
        detail = f"{_amount(p.old.granted)} {ARROW} {_amount(p.new.granted)}"
    return f"{_pair_name(p)}: {detail}"


def _round_sections(c: RoundComparison) -> list[tuple[str, list[Item]]]:
    return [
        ("Moved up", [_pair_line(p, "rank") for p in c.moved_up]),
        ("Moved down", [_pair_line(p, "rank") for p in c.moved_down]),
        ("Ranked now, unranked before", [_pair_line(p, "rank") for p in c.rank_added]),
        ("Unranked now, ranked before", [_pair_line(p, "rank") for p in c.rank_removed]),
        ("Outcome changed", [_pair_line(p, "outcome") for p in c.outcome_changed]),
        ("Year-1 cost changed", [_pair_line(p, "cost") for p in c.cost_changed]),
        ("Amount granted changed", [_pair_line(p, "granted") for p in c.granted_changed]),
        ("New", [_measure_line(x) for x in c.new]),
        ("Dropped", [_measure_line(x) for x in c.dropped]),
    ]


def _round_header(c: RoundComparison) -> list[str]:
    lines = [f"Budget frame: {_amount(c.budget_frame_old)} {ARROW} {_amount(c.budget_frame_new)}"
             f" ({_signed(c.budget_frame_delta)})"]
    if c.criteria_changed:
        lines.append(f"Criteria version: {c.old_round.criteria} {ARROW} {c.new_round.criteria}")
    lines.append(f"Continued: {len(c.continued)}, unchanged: {len(c.unchanged)}, new: {len(c.new)}, "
                 f"dropped: {len(c.dropped)}")
    return lines


def _criteria_sections(c: CriteriaComparison) -> list[tuple[str, list[Item]]]:
    changed_lines = []
    for cc in c.criteria_changed:
        details = [change_text(ch, None) for ch in cc.fields]
        details += [f"level added: {lvl.label} ({lvl.id})" for lvl in cc.levels_added]
        details += [f"level removed: {lvl.label} ({lvl.id})" for lvl in cc.levels_removed]
        for lc in cc.levels_changed:
            if lc.relabelled:
                details.append(f"level {lc.id} relabelled: {lc.old.label} {ARROW} {lc.new.label}")
            if lc.redescribed:
                details.append(f"level {lc.id} redescribed: {value_text(lc.old.description, None)} {ARROW} "
                               f"{value_text(lc.new.description, None)}")
        if cc.levels_reordered:
            details.append("levels reordered: " + ", ".join(lvl.id for lvl in cc.old.scale) + f" {ARROW} "
                           + ", ".join(lvl.id for lvl in cc.new.scale))
        changed_lines.append((f"{cc.new.name} ({cc.id})", details))
    return [
        ("Criteria added", [f"{x.name} ({x.id}): " + ", ".join(lvl.label for lvl in x.scale) for x in c.criteria_added]),
        ("Criteria removed", [f"{x.name} ({x.id})" for x in c.criteria_removed]),
        ("Criteria changed", changed_lines),
        ("Principles added", [f"{x.name} ({x.id})" for x in c.principles_added]),
        ("Principles removed", [f"{x.name} ({x.id})" for x in c.principles_removed]),
        ("Principles changed", [(x.id, [change_text(ch, None) for ch in x.changes]) for x in c.principles_changed]),
        ("Rank scale", [change_text(ch, None) for ch in c.rank_scale]),
        ("Outcomes added", [f"{x.label} ({x.kind.value})" for x in c.outcomes_added]),
        ("Outcomes removed", [f"{x.label} ({x.kind.value})" for x in c.outcomes_removed]),
        ("Outcomes changed", [(x.id, [change_text(ch, None) for ch in x.changes]) for x in c.outcomes_changed]),
        ("Other", [change_text(ch, None) for ch in c.other]),
    ]


def _entity_sections(label: str, e: EntityChanges) -> list[tuple[str, list[Item]]]:
    return [
        (f"{label} added", list(e.added)),
        (f"{label} removed", list(e.removed)),
        (f"{label} changed", [(x.id, [change_text(ch) for ch in x.changes]) for x in e.changed]),
    ]


def _follow_up_lines(items: Sequence[FollowUpChange]) -> list[Item]:
    lines: list[Item] = []
    for f in items:
        parts = [f"{i.name} ({i.indicator}): {i.old_progress or 'none'} {ARROW} {i.new_progress or 'none'}"
                 f", latest {value_text(i.old_latest)} {ARROW} {value_text(i.new_latest)}" for i in f.indicators]
        if f.evaluation_changed:
            parts.append(f"evaluation {f.old_evaluation or 'none'} {ARROW} {f.new_evaluation or 'none'}")
        lines.append((f.measure, parts))
    return lines


def _title(comparison: Any) -> str:
    if isinstance(comparison, CriteriaComparison):
        return f"Criteria {comparison.old.id} (version {comparison.old.version}) {ARROW} " \
               f"{comparison.new.id} (version {comparison.new.version})"
    if isinstance(comparison, RoundComparison):
        return f"Round {comparison.old_round.id} {ARROW} {comparison.new_round.id}"
    if isinstance(comparison, PortalComparison):
        return f"Portal {comparison.old_label} {ARROW} {comparison.new_label}"
    raise TypeError(f"not a comparison: {type(comparison).__name__}")


def _sections(comparison: Any) -> tuple[list[str], list[tuple[str, list[Item]]]]:
    """Lead lines and (heading, items) sections, shared by text and Markdown."""
    if isinstance(comparison, CriteriaComparison):
        lead = (["Change note:"] + ["  " + line if line.strip() else "" for line in comparison.change_note.splitlines()]
                if comparison.change_note else ["No change note."])
        return lead, _criteria_sections(comparison)
    if isinstance(comparison, RoundComparison):
        return _round_header(comparison), _round_sections(comparison)
    if isinstance(comparison, PortalComparison):
        sections = (_entity_sections("Criteria sets", comparison.criteria_sets)
                    + _entity_sections("Rounds", comparison.rounds)
                    + _entity_sections("Measures", comparison.measures))
        for rc in comparison.round_changes:
            sections += [(f"{rc.new_round.id}: {heading}", items) for heading, items in _round_sections(rc)]
        sections.append(("Follow-up status changed", _follow_up_lines(comparison.follow_up)))
        return [], sections
    raise TypeError(f"not a comparison: {type(comparison).__name__}")


def _has_differences(comparison: Any) -> bool:
    return bool(comparison.has_differences)


def to_text(comparison: Any) -> str:
    """Plain text for a terminal; sections without entries are left out."""
    lead, sections = _sections(comparison)
    out = [_title(comparison), ""] + lead
    shown = [(h, items) for h, items in sections if items]
    for heading, items in shown:
        out += ["", f"{heading}:"] + _bullets(items, "  ", "- ")
    if not shown:
        out += ["", "No differences."]
    return "\n".join(out).strip("\n") + "\n"


def _bullets(items: Sequence[Item], indent: str, bullet: str, cell=lambda t: t) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, tuple):
            head, subs = item
            out.append(f"{indent}{bullet}{cell(head)}:")
            out += [f"{indent}    {bullet}{cell(sub)}" for sub in subs]
        else:
            out.append(f"{indent}{bullet}{cell(item)}")
    return out


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(comparison: Any) -> str:
    """Markdown for a council paper: a heading per section, tables for rankings."""
    out = [f"# {_title(comparison)}", ""]
    if isinstance(comparison, RoundComparison):
        out += [f"- {line}" for line in _round_header(comparison)] + [""]
        out += _md_round_tables(comparison)
    elif isinstance(comparison, PortalComparison):
        for label, e in (("Criteria sets", comparison.criteria_sets), ("Rounds", comparison.rounds),
                         ("Measures", comparison.measures)):
            out += _md_entities(label, e)
        for rc in comparison.round_changes:
            out += [f"## Round {rc.new_round.id}", ""] + [f"- {line}" for line in _round_header(rc)] + [""]
            out += _md_round_tables(rc, level="###")
        if comparison.follow_up:
            out += ["## Follow-up status changed", "",
                    "| Measure | Indicator | Before | Now |", "| --- | --- | --- | --- |"]
            for f in comparison.follow_up:
                for i in f.indicators:
                    out.append(f"| {_md_cell(f.measure)} | {_md_cell(i.name)} | {i.old_progress or '–'} "
                               f"({value_text(i.old_latest)}) | {i.new_progress or '–'} ({value_text(i.new_latest)}) |")
                if f.evaluation_changed:
                    out.append(f"| {_md_cell(f.measure)} | evaluation | {f.old_evaluation or '–'} | "
                               f"{f.new_evaluation or '–'} |")
            out.append("")
        if not comparison.has_differences:
            out += ["No differences.", ""]
    else:
        lead, sections = _sections(comparison)
        if isinstance(comparison, CriteriaComparison):
            note = comparison.change_note
            out += (["**Change note:**", ""] + [f"> {line}".rstrip() for line in note.splitlines()] if note
                    else ["No change note."]) + [""]
            out += _md_criteria_table(comparison)
            sections = [(h, items) for h, items in sections if h != "Criteria changed"]
        shown = [(h, items) for h, items in sections if items]
        for heading, items in shown:
            out += [f"## {heading}", ""] + _bullets(items, "", "- ", _md_cell) + [""]
        if not comparison.has_differences:
            out += ["No differences.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_criteria_table(c: CriteriaComparison) -> list[str]:
    if not c.criteria_changed:
        return []
    out = ["## Criteria changed", "", f"| Criterion | {c.old.id} | {c.new.id} |", "| --- | --- | --- |"]
    for cc in c.criteria_changed:
        for ch in cc.fields:
            out.append(f"| {_md_cell(cc.id)} › {_md_cell(path_text(ch.path))} | {_md_cell(value_text(ch.old, None))} | "
                       f"{_md_cell(value_text(ch.new, None))} |")
        for lvl in cc.levels_removed:
            out.append(f"| {_md_cell(cc.id)} › level {lvl.id} | {_md_cell(lvl.label)} | (removed) |")
        for lvl in cc.levels_added:
            out.append(f"| {_md_cell(cc.id)} › level {lvl.id} | (added) | {_md_cell(lvl.label)} |")
        for lc in cc.levels_changed:
            out.append(f"| {_md_cell(cc.id)} › level {lc.id} | {_md_cell(lc.old.label)}: "
                       f"{_md_cell(value_text(lc.old.description, None))} | {_md_cell(lc.new.label)}: "
                       f"{_md_cell(value_text(lc.new.description, None))} |")
        if cc.levels_reordered:
            out.append(f"| {_md_cell(cc.id)} › order of levels | {', '.join(lvl.id for lvl in cc.old.scale)} | "
                       f"{', '.join(lvl.id for lvl in cc.new.scale)} |")
    return out + [""]


def _md_round_tables(c: RoundComparison, level: str = "##") -> list[str]:
    out: list[str] = []
    same = {id(p) for p in c.unchanged}
    changed = [p for p in c.continued if id(p) not in same]
    if changed:
        out += [f"{level} Changed measures", "",
                "| Measure | Rank | Outcome | Year-1 cost | Granted |", "| --- | --- | --- | --- | --- |"]
        for p in changed:
            def cell(a: Any, b: Any) -> str:
                return str(a) if a == b else f"{a} {ARROW} {b}"
            out.append(f"| {_md_cell(p.new.title)} | {cell(_rank(p.old.rank), _rank(p.new.rank))} | "
                       f"{cell(p.old_outcome or '–', p.new_outcome or '–')} | "
                       f"{cell(_amount(p.old.cost_year_1), _amount(p.new.cost_year_1))} | "
                       f"{cell(_amount(p.old.granted), _amount(p.new.granted))} |")
        out.append("")
    for heading, items in (("New measures", c.new), ("Dropped measures", c.dropped)):
        if items:
            out += [f"{level} {heading}", "", "| Measure | Rank | Outcome | Year-1 cost |", "| --- | --- | --- | --- |"]
            out += [f"| {_md_cell(x.title)} | {_rank(x.rank)} | {x.outcome.decision.value if x.outcome else '–'} | "
                    f"{_amount(x.cost_year_1)} |" for x in items]
            out.append("")
    if not (changed or c.new or c.dropped):
        out += ["No changes in the ranking.", ""]
    return out


def _md_entities(label: str, e: EntityChanges) -> list[str]:
    if not e.has_differences:
        return []
    out = [f"## {label}", ""]
    out += [f"- added: {x}" for x in e.added] + [f"- removed: {x}" for x in e.removed]
    if e.added or e.removed:
        out.append("")
    for x in e.changed:
        out += [f"### {x.id}", "", "| Field | Before | Now |", "| --- | --- | --- |"]
        for ch in x.changes:
            out.append(f"| {_md_cell(path_text(ch.path))} | {_md_cell(value_text(ch.old))} | "
                       f"{_md_cell(value_text(ch.new))} |")
        out.append("")
    return out


# --- JSON ---------------------------------------------------------------------------------


def change_data(change: Change) -> dict[str, Any]:
    return {"path": list(change.path), "field": change.field, "kind": change.kind, "old": change.old, "new": change.new}


def _measure_data(x: Measure) -> dict[str, Any]:
    return {"id": x.id, "title": x.title, "sector": x.sector, "rank": x.rank,
            "outcome": x.outcome.decision.value if x.outcome else None,
            "cost_year_1": x.cost_year_1, "granted": x.granted}


def _pair_data(p: MeasurePair) -> dict[str, Any]:
    return {"id": p.new.id, "previous_id": p.old.id, "title": p.new.title,
            "rank": [p.old.rank, p.new.rank], "outcome": [p.old_outcome, p.new_outcome],
            "cost_year_1": [p.old.cost_year_1, p.new.cost_year_1], "granted": [p.old.granted, p.new.granted]}


def _round_data(c: RoundComparison) -> dict[str, Any]:
    return {
        "type": "rounds",
        "old": c.old_round.id,
        "new": c.new_round.id,
        "criteria": [c.old_round.criteria, c.new_round.criteria],
        "budget_frame": [c.budget_frame_old, c.budget_frame_new],
        "budget_frame_delta": c.budget_frame_delta,
        "new_measures": [_measure_data(x) for x in c.new],
        "dropped": [_measure_data(x) for x in c.dropped],
        "moved_up": [_pair_data(p) for p in c.moved_up],
        "moved_down": [_pair_data(p) for p in c.moved_down],
        "rank_added": [_pair_data(p) for p in c.rank_added],
        "rank_removed": [_pair_data(p) for p in c.rank_removed],
        "outcome_changed": [_pair_data(p) for p in c.outcome_changed],
        "cost_changed": [_pair_data(p) for p in c.cost_changed],
        "granted_changed": [_pair_data(p) for p in c.granted_changed],
        "unchanged": [p.new.id for p in c.unchanged],
    }


def _criteria_data(c: CriteriaComparison) -> dict[str, Any]:
    def item(x: ItemChange) -> dict[str, Any]:
        return {"id": x.id, "changes": [change_data(ch) for ch in x.changes]}

    return {
        "type": "criteria",
        "old": c.old.id,
        "new": c.new.id,
        "versions": [c.old.version, c.new.version],
        "change_note": c.change_note,
        "criteria_added": [dump(x) for x in c.criteria_added],
        "criteria_removed": [dump(x) for x in c.criteria_removed],
        "criteria_changed": [{
            "id": cc.id,
            "fields": [change_data(ch) for ch in cc.fields],
            "levels_added": [dump(x) for x in cc.levels_added],
            "levels_removed": [dump(x) for x in cc.levels_removed],
            "levels_changed": [{"id": lc.id, "old": dump(lc.old), "new": dump(lc.new),
                                "relabelled": lc.relabelled, "redescribed": lc.redescribed} for lc in cc.levels_changed],
            "levels_reordered": cc.levels_reordered,
            "order": [[lvl.id for lvl in cc.old.scale], [lvl.id for lvl in cc.new.scale]],
        } for cc in c.criteria_changed],
        "criteria_unchanged": list(c.criteria_unchanged),
        "principles_added": [dump(x) for x in c.principles_added],
        "principles_removed": [dump(x) for x in c.principles_removed],
        "principles_changed": [item(x) for x in c.principles_changed],
        "rank_scale": [change_data(ch) for ch in c.rank_scale],
        "outcomes_added": [dump(x) for x in c.outcomes_added],
        "outcomes_removed": [dump(x) for x in c.outcomes_removed],
        "outcomes_changed": [item(x) for x in c.outcomes_changed],
        "other": [change_data(ch) for ch in c.other],
    }


def _entities_data(e: EntityChanges) -> dict[str, Any]:
    return {"added": list(e.added), "removed": list(e.removed),
            "changed": [{"id": x.id, "changes": [change_data(ch) for ch in x.changes]} for x in e.changed]}


def _portal_data(c: PortalComparison) -> dict[str, Any]:
    return {
        "type": "portal",
        "old": c.old_label,
        "new": c.new_label,
        "criteria_sets": _entities_data(c.criteria_sets),
        "rounds": _entities_data(c.rounds),
        "measures": _entities_data(c.measures),
        "round_changes": [_round_data(rc) for rc in c.round_changes],
        "follow_up": [{
            "measure": f.measure,
            "indicators": [{"indicator": i.indicator, "name": i.name, "progress": [i.old_progress, i.new_progress],
                            "latest": [i.old_latest, i.new_latest]} for i in f.indicators],
            "evaluation": [f.old_evaluation, f.new_evaluation],
        } for f in c.follow_up],
    }


def as_data(comparison: Any) -> dict[str, Any]:
    """The comparison as plain JSON-like data, keys in a fixed order."""
    if isinstance(comparison, CriteriaComparison):
        data = _criteria_data(comparison)
    elif isinstance(comparison, RoundComparison):
        data = _round_data(comparison)
    elif isinstance(comparison, PortalComparison):
        data = _portal_data(comparison)
    else:
        raise TypeError(f"not a comparison: {type(comparison).__name__}")
    data["has_differences"] = _has_differences(comparison)
    return data


def to_json(comparison: Any) -> str:
    return json.dumps(as_data(comparison), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "Change", "ChangeKind", "ItemId", "diff", "dump", "path_text", "value_text", "change_text",
    "LevelChange", "CriterionChange", "ItemChange", "CriteriaComparison", "compare_criterion", "compare_criteria",
    "MeasurePair", "RoundComparison", "compare_rounds",
    "EntityChange", "EntityChanges", "IndicatorChange", "FollowUpChange", "PortalComparison",
    "follow_up_change", "compare_portals", "previous_round", "criteria_differences", "round_differences",
    "to_text", "to_markdown", "to_json", "as_data",
]
