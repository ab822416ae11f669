"""What changed between two versions: of a criteria set, of a round, or of the whole portal.

Reviewers compare criteria, rankings and outcomes across years (DOMAIN.md: konsistens, criteria
and procedures stable over time). Everything here is a pure function over model objects, built
on the field-level `diff` of `analyses.changes`; nothing reads files, git or the clock, and
every result is ordered deterministically.

The structured results are what the site renders with its translated templates, and what
`prioportal diff` writes as text, Markdown or JSON (`tools.diff_report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from prioportal.analyses.changes import Change, diff, dump
from prioportal.analyses.followup import indicator_statuses
from prioportal.model.decisions import CriteriaSet, Criterion, Measure, OutcomeTerm, Principle, Round, ScaleLevel, group_by_round
from prioportal.analyses.ranking import ranked
from prioportal.analyses.review import LevelShift, level_shifts

if TYPE_CHECKING:
    from prioportal.model.portal import Portal


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
    def recommendation_changed(self) -> bool:
        """A pair of a priority list given another recommendation, or one instead of a rank (or a rank instead of one)."""
        return self.old.recommendation != self.new.recommendation

    @property
    def level_shifts(self) -> tuple[LevelShift, ...]:
        """The criteria assessed on another level than in the earlier round (`review.level_shifts`,
        which the consistency review flags), in the order of the later assessments."""
        return level_shifts(self.new, self.old)

    @property
    def assessment_changed(self) -> bool:
        return bool(self.level_shifts)

    @property
    def assessment_reason(self) -> str | None:
        """The written reason for the changed assessment (`review_notes.assessment_changed`)."""
        notes = self.new.review_notes
        return notes.assessment_changed if notes else None

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
    unchanged: tuple[MeasurePair, ...]  # same rank, outcome, cost, grant, recommendation and assessment
    continued: tuple[MeasurePair, ...]  # every pair, in the new round's rank order
    # Pairs of a priority list whose recommendation changed (icke-göra instead of rank 9, …).
    recommendation_changed: tuple[MeasurePair, ...] = ()
    # Pairs assessed on another level on some criterion (levels old → new, with the written reason).
    assessment_changed: tuple[MeasurePair, ...] = ()

    @property
    def budget_frame_old(self) -> int | None:
        return self.old_round.budget_frame

    @property
    def budget_frame_new(self) -> int | None:
        return self.new_round.budget_frame

    @property
    def budget_frame_delta(self) -> int:
        """The change of the frame; 0 between priority lists, which have none."""
        return (self.new_round.budget_frame or 0) - (self.old_round.budget_frame or 0)

    @property
    def change_note(self) -> str | None:
        """What the new round says changed (a revised priority list's note), or nothing."""
        return self.new_round.change_note

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
        return p.old.rank == p.new.rank and not (p.outcome_changed or p.cost_changed or p.granted_changed
                                                 or p.recommendation_changed or p.assessment_changed)

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
        recommendation_changed=select(lambda p: p.recommendation_changed),
        assessment_changed=select(lambda p: p.assessment_changed),
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
    """The round before this one: its `previous` link, or else the latest round of an earlier year
    of the same kind (and, for a priority list, of the same service): a list of another service,
    or a budget, is no earlier version of it."""
    if rnd.previous is not None:
        return next((r for r in portal.rounds if r.id == rnd.previous), None)
    earlier = [r for r in portal.rounds if r.year < rnd.year and r.kind is rnd.kind and r.service == rnd.service]
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


__all__ = [
    "LevelChange", "CriterionChange", "ItemChange", "CriteriaComparison", "compare_criterion", "compare_criteria",
    "MeasurePair", "RoundComparison", "compare_rounds",
    "EntityChange", "EntityChanges", "IndicatorChange", "FollowUpChange", "PortalComparison",
    "follow_up_change", "compare_portals", "previous_round", "criteria_differences", "round_differences",
]
