"""The consistency review of a ranking (DOMAIN.md: after ranking, review the result: risk of
discrimination, crowding-out, reasonableness; konsistens: the same grounds for everyone).

The rank is a documented judgement, not a formula, so nothing here says a rank is wrong. It
points at places where the judgement needs a written reason a reader can follow:

- dominated: a measure ranked below another although it is assessed equal or better on every
  criterion (position 0 on a scale is the first listed level, the most favourable to priority);
- treated_differently: measures in different sectors with identical assessments, ranked 3 or
  more apart, or one receiving resources and the other not;
- assessment_changed: the same measure assessed on another level than in the previous round.

Each flag is a build-time warning unless an explanation is recorded for the measure concerned
(the measure ranked lower, the one treated less favourably, the later version), and the
explanation is published with the flag. Explanations are read from the measure field
`review_notes` (see `explanations_from`) or passed in as a mapping.

Every function is linear in the number of measures: the dominance check works on the lattice
of assessment profiles, whose size depends on the criteria, not on the number of measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any, Iterable, Mapping

from prioportal.model.decisions import CriteriaSet, Measure, group_by_round
from prioportal.model.portal import Portal
from prioportal.problems import T

RANK_GAP = 3  # ranks this far apart count as treated differently
_LATTICE_LIMIT = 50_000  # profiles; above this, the dominance check compares distinct profiles


class FlagKind(str, Enum):
    dominated = "dominated"
    treated_differently = "treated_differently"
    assessment_changed = "assessment_changed"


_KINDS = tuple(kind.value for kind in FlagKind)  # looked up on every measure: an Enum's members are slow to walk

@dataclass(frozen=True)
class LevelShift:
    criterion: str
    old_level: str
    new_level: str


@dataclass(frozen=True)
class ReviewFlag:
    """One place in a ranking that needs a written reason.

    `measure` is the measure the explanation belongs to; `others` the measures it is compared
    with (the higher-ranked one, or the other sector's one, or the previous round's version).
    """

    kind: FlagKind
    measure: str
    others: tuple[str, ...]
    round: str
    description: str  # a `T(...)` (English as a str), said in the reader's language in warnings and the CLI
    criteria: tuple[str, ...] = ()  # criteria concerned (all, for dominated/treated_differently)
    shifts: tuple[LevelShift, ...] = ()  # for assessment_changed
    explanation: str | None = None  # the written reason, published with the flag
    of_pair: bool = False  # of a pair of a priority list: its words say pair and condition group

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.measure,) + self.others

    @property
    def explained(self) -> bool:
        return bool(self.explanation and self.explanation.strip())


Explanations = Mapping[str, Mapping[str, str]]  # measure id -> {flag kind: written reason}


def explanations_from(measures: Iterable[Measure]) -> dict[str, dict[str, str]]:
    """Explanations recorded in the measures' `review_notes` field (a model or a mapping with the
    keys dominated, treated_differently, assessment_changed). Measures without it give nothing."""
    found: dict[str, dict[str, str]] = {}
    for measure in measures:
        notes = getattr(measure, "review_notes", None)
        if notes is None:
            continue
        items = notes.items() if isinstance(notes, Mapping) else (
            (kind, getattr(notes, kind, None)) for kind in _KINDS)
        texts = {str(k): v for k, v in items if isinstance(v, str) and v.strip()}
        if texts:
            found[measure.id] = texts
    return found


def _explanation(explanations: Explanations | None, measure_id: str, kind: FlagKind) -> str | None:
    if not explanations:
        return None
    text = (explanations.get(measure_id) or {}).get(kind.value)
    return text if isinstance(text, str) and text.strip() else None


def profile(measure: Measure, criteria_set: CriteriaSet) -> tuple[int, ...] | None:
    """The position of the measure's level on each criterion's scale (0 = most favourable), in the
    criteria set's order; None when some criterion has no valid assessment."""
    return _profile(measure, _scales(criteria_set))


Profiles = Mapping[int, "tuple[int, ...] | None"]  # id() of a measure -> its profile


def profiles(measures: Iterable[Measure], criteria_set: CriteriaSet) -> dict[int, tuple[int, ...] | None]:
    """Each measure's profile, by the measure object's id(): a round's review asks for each
    twice, and each costs a look-up per criterion."""
    scales = _scales(criteria_set)
    return {id(x): _profile(x, scales) for x in measures}


def _scales(criteria_set: CriteriaSet) -> list[tuple[str, dict[str, int]]]:
    scales = []
    for criterion in criteria_set.criteria:
        positions: dict[str, int] = {}
        for i, level in enumerate(criterion.scale):
            positions.setdefault(level.id, i)
        scales.append((criterion.id, positions))
    return scales


def _profile(measure: Measure, scales: list[tuple[str, dict[str, int]]]) -> tuple[int, ...] | None:
    found = []
    for criterion_id, positions in scales:
        assessment = measure.assessments.get(criterion_id)
        position = positions.get(assessment.level) if assessment is not None else None
        if position is None:
            return None
        found.append(position)
    return tuple(found)


def _order(x: Measure) -> tuple:
    return (x.rank if x.rank is not None else 10**9, x.title.casefold(), x.id)


# --- Dominated --------------------------------------------------------------------------


def dominated(measures: Iterable[Measure], criteria_set: CriteriaSet,
              explanations: Explanations | None = None, known: Profiles | None = None) -> list[ReviewFlag]:
    """Measures ranked lower (a larger rank number) than another measure of the same round that
    they equal or beat on every criterion.

    One flag per such measure A, naming the highest-ranked such B (ties by title): a reader
    asks "why is A below B?", and listing every pair would grow with the square of the round.
    """
    flags: list[ReviewFlag] = []
    for round_id, group in sorted(group_by_round(measures).items()):
        of = known if known is not None else profiles(group, criteria_set)
        profiled = [(x, p) for x in group if x.rank is not None and (p := of[id(x)]) is not None]
        if not profiled:
            continue
        best = _best_dominating(profiled, criteria_set)
        for measure, prof in sorted(profiled, key=lambda item: _order(item[0])):
            other = best(prof)
            if other is None or other.rank is None or measure.rank is None or other.rank >= measure.rank:
                continue
            flags.append(ReviewFlag(
                kind=FlagKind.dominated,
                measure=measure.id,
                others=(other.id,),
                round=round_id,
                description=T("'{title}' ({id}) has rank {rank}, below '{other_title}' ({other_id}) with rank "
                              "{other_rank}, although it is assessed equal or better on every criterion",
                              title=measure.title, id=measure.id, rank=measure.rank, other_title=other.title,
                              other_id=other.id, other_rank=other.rank),
                criteria=tuple(c.id for c in criteria_set.criteria),
                explanation=_explanation(explanations, measure.id, FlagKind.dominated),
                of_pair=measure.is_pair,
            ))
    return flags


def _best_dominating(profiled: list[tuple[Measure, tuple[int, ...]]], criteria_set: CriteriaSet):
    """A function giving, for a profile P, the highest-ranked measure whose profile is equal to or
    worse than P on every criterion (componentwise >=)."""
    sizes = [len(c.scale) for c in criteria_set.criteria]
    space = 1
    for size in sizes:
        space *= size
    order = {id(measure): _order(measure) for measure, _ in profiled}  # each asked for many times
    own: dict[tuple[int, ...], Measure] = {}
    for measure, prof in profiled:
        if prof not in own or order[id(measure)] < order[id(own[prof])]:
            own[prof] = measure

    if space > _LATTICE_LIMIT:
        # Many criteria or long scales: compare the distinct profiles present (at most the number
        # of measures, usually far fewer).
        distinct = sorted(own.items(), key=lambda item: order[id(item[1])])

        def lookup(prof: tuple[int, ...]) -> Measure | None:
            for other_prof, other in distinct:
                if all(o >= p for o, p in zip(other_prof, prof)):
                    return other
            return None
        return lookup

    # best[P] = the highest-ranked measure with a profile >= P, filled from the worst corner of the
    # lattice downwards: best[P] = min(own[P], best[P + e_i] for every criterion i).
    strides = []
    stride = 1
    for size in reversed(sizes):
        strides.insert(0, stride)
        stride *= size
    best: list[Measure | None] = [None] * space
    for prof, measure in own.items():
        best[sum(p * s for p, s in zip(prof, strides))] = measure
    for index in range(space - 1, -1, -1):
        current = best[index]
        rest = index
        for size, step in zip(sizes, strides):
            digit = (rest // step) % size
            if digit + 1 < size:
                candidate = best[index + step]
                if candidate is not None and (current is None or order[id(candidate)] < order[id(current)]):
                    current = candidate
        best[index] = current

    def lookup_lattice(prof: tuple[int, ...]) -> Measure | None:
        return best[sum(p * s for p, s in zip(prof, strides))]
    return lookup_lattice


# --- Treated differently ------------------------------------------------------------------


def _where(x: Measure) -> str:
    """Where a measure belongs: its sector; for a pair of a priority list (which has none), its
    condition group, so that the review asks the same of pairs across the groups of a list."""
    return x.sector if x.sector is not None else (x.condition_group or "")


def _sector(x: Measure) -> str:
    return _same_sector_as(_where(x))


@lru_cache(maxsize=4096)
def _same_sector_as(sector: str) -> str:
    # A round's review asks this of each measure many times; a portal has few sectors.
    return " ".join(sector.split()).casefold()


def _receives(x: Measure) -> bool | None:
    return None if x.outcome is None else x.outcome.decision.receives_resources


def treated_differently(measures: Iterable[Measure], criteria_set: CriteriaSet,
                        explanations: Explanations | None = None, known: Profiles | None = None) -> list[ReviewFlag]:
    """Measures in different sectors assessed on the same level on every criterion, whose ranks
    differ by 3 or more, or of which one received resources and the other did not.

    The flag is on the measure treated less favourably (ranked lower, or not given resources),
    naming the most favourably treated such measure in another sector.
    """
    flags: list[ReviewFlag] = []
    for round_id, group in sorted(group_by_round(measures).items()):
        by_profile: dict[tuple[int, ...], list[Measure]] = {}
        of = known if known is not None else profiles(group, criteria_set)
        for x in group:
            prof = of[id(x)]
            if prof is not None:
                by_profile.setdefault(prof, []).append(x)
        for prof, same in sorted(by_profile.items()):
            if len({_sector(x) for x in same}) < 2:
                continue
            top_ranked = _top_two_sectors([x for x in same if x.rank is not None])
            top_receiving = _top_two_sectors([x for x in same if _receives(x)])
            for measure in sorted(same, key=_order):
                flag = _difference(measure, top_ranked, top_receiving, round_id, criteria_set, explanations)
                if flag is not None:
                    flags.append(flag)
    return flags


def _top_two_sectors(candidates: list[Measure]) -> list[Measure]:
    """The best-ranked measure of the two best sectors: enough to find, for any measure, the best
    one in a sector other than its own."""
    best: dict[str, Measure] = {}
    for x in candidates:
        sector = _sector(x)
        if sector not in best or _order(x) < _order(best[sector]):
            best[sector] = x
    return sorted(best.values(), key=_order)[:2]


def _difference(measure: Measure, top_ranked: list[Measure], top_receiving: list[Measure], round_id: str,
                criteria_set: CriteriaSet, explanations: Explanations | None) -> ReviewFlag | None:
    sector = _sector(measure)
    by_rank = next((x for x in top_ranked if _sector(x) != sector), None)
    by_resources = next((x for x in top_receiving if _sector(x) != sector), None)
    gap = (measure.rank - by_rank.rank if by_rank is not None and measure.rank is not None and by_rank.rank is not None
           else 0)
    denied = _receives(measure) is False and by_resources is not None
    if not denied and gap < RANK_GAP:
        return None
    other = by_resources if denied else by_rank
    assert other is not None
    ranked_lower = other.rank is not None and measure.rank is not None and other.rank < measure.rank
    values = dict(title=measure.title, id=measure.id, sector=_where(measure), other_title=other.title,
                  other_id=other.id, other_sector=_where(other), rank=measure.rank, other_rank=other.rank,
                  outcome=measure.outcome.decision.value if denied else None,  # type: ignore[union-attr]
                  other_outcome=other.outcome.decision.value if denied else None)  # type: ignore[union-attr]
    if measure.is_pair and other.is_pair:  # a list's pairs: in condition groups, ranked, never given money
        description = T("'{title}' ({id}) in the condition group '{group}' and '{other_title}' ({other_id}) in "
                        "'{other_group}' are assessed the same on every criterion, but '{title}' is ranked {rank} "
                        "against {other_rank}", title=measure.title, id=measure.id, group=_where(measure),
                        other_title=other.title, other_id=other.id, other_group=_where(other), rank=measure.rank,
                        other_rank=other.rank)
    elif ranked_lower and denied:
        description = T("'{title}' ({id}, {sector}) and '{other_title}' ({other_id}, {other_sector}) are assessed the "
                        "same on every criterion, but '{title}' is ranked {rank} against {other_rank} and received "
                        "no resources ({outcome}) while the other did ({other_outcome})", **values)
    elif denied:
        description = T("'{title}' ({id}, {sector}) and '{other_title}' ({other_id}, {other_sector}) are assessed the "
                        "same on every criterion, but '{title}' received no resources ({outcome}) while the other "
                        "did ({other_outcome})", **values)
    else:
        description = T("'{title}' ({id}, {sector}) and '{other_title}' ({other_id}, {other_sector}) are assessed the "
                        "same on every criterion, but '{title}' is ranked {rank} against {other_rank}", **values)
    return ReviewFlag(
        kind=FlagKind.treated_differently,
        measure=measure.id,
        others=(other.id,),
        round=round_id,
        description=description,
        criteria=tuple(c.id for c in criteria_set.criteria),
        explanation=_explanation(explanations, measure.id, FlagKind.treated_differently),
        of_pair=measure.is_pair,
    )


# --- Assessment changed -------------------------------------------------------------------


def level_shifts(measure: Measure, previous_measure: Measure) -> tuple[LevelShift, ...]:
    """Criteria assessed in both versions (same criterion id) whose level id changed, in the
    order of the later version's assessments."""
    shifts = []
    for criterion_id, assessment in measure.assessments.items():
        earlier = previous_measure.assessments.get(criterion_id)
        if earlier is not None and earlier.level != assessment.level:
            shifts.append(LevelShift(criterion_id, earlier.level, assessment.level))
    return tuple(shifts)


def assessment_changed(measure: Measure, previous_measure: Measure,
                       explanations: Explanations | None = None) -> ReviewFlag | None:
    """A flag when the measure is assessed on another level than its previous version, on a
    criterion both are assessed on; None when nothing changed."""
    shifts = level_shifts(measure, previous_measure)
    if not shifts:
        return None
    listed = ", ".join(f"{s.criterion} {s.old_level} → {s.new_level}" for s in shifts)
    return ReviewFlag(
        kind=FlagKind.assessment_changed,
        measure=measure.id,
        others=(previous_measure.id,),
        round=measure.round,
        description=T("'{title}' ({id}) is assessed differently than in {round} ({previous}): {changes}",
                      title=measure.title, id=measure.id, round=previous_measure.round, previous=previous_measure.id,
                      changes=listed),
        criteria=tuple(s.criterion for s in shifts),
        shifts=shifts,
        explanation=_explanation(explanations, measure.id, FlagKind.assessment_changed),
        of_pair=measure.is_pair,
    )


# --- A whole round, a whole portal ----------------------------------------------------------


def review_round(round_id: str, measures: Iterable[Measure], criteria_set: CriteriaSet,
                 measures_by_id: Mapping[str, Measure] | None = None,
                 explanations: Explanations | None = None) -> list[ReviewFlag]:
    """Every flag of one round: dominated, treated differently, then assessment changes against
    each measure's `previous` version (looked up in `measures_by_id`)."""
    in_round = [x for x in measures if x.round == round_id]
    known = profiles(in_round, criteria_set)
    flags = (dominated(in_round, criteria_set, explanations, known)
             + treated_differently(in_round, criteria_set, explanations, known))
    if measures_by_id:
        for measure in sorted(in_round, key=_order):
            earlier = measures_by_id.get(measure.previous) if measure.previous else None
            if earlier is not None:
                flag = assessment_changed(measure, earlier, explanations)
                if flag is not None:
                    flags.append(flag)
    return flags


@dataclass(frozen=True, eq=False)
class RoundToReview:
    """Everything one round's flags are made from: a caller that keeps flags between versions
    of a portal may keep a round's while these are the very same objects (`sources`)."""

    round_id: str
    criteria_set: CriteriaSet | None  # None: the round names no criteria the portal has, and has no flags
    members: list[Measure]  # the round's measures
    earlier: list[Measure | None]  # each one's previous version, where the portal holds it

    def sources(self) -> tuple:
        return (self.round_id, self.criteria_set, *self.members, *self.earlier)


def rounds_to_review(portal: Portal) -> list[RoundToReview]:
    """What each round of a `Portal` is reviewed from, in the order of its rounds."""
    by_id = portal.measures_by_id
    criteria = {c.id: c for c in portal.criteria_sets}
    found = []
    for rnd in portal.rounds:
        members = portal.measures_in(rnd.id)
        found.append(RoundToReview(rnd.id, criteria.get(rnd.criteria), members,
                                   [by_id.get(x.previous) if x.previous else None for x in members]))
    return found


def review_one(given: RoundToReview, explanations: Explanations | None = None) -> list[ReviewFlag]:
    """The flags of one round. Explanations default to those its own measures carry (a round's
    flags are about its own measures)."""
    if given.criteria_set is None:
        return []
    previous = {x.previous: before for x, before in zip(given.members, given.earlier) if before is not None}
    given_explanations = explanations if explanations is not None else explanations_from(given.members)
    return review_round(given.round_id, given.members, given.criteria_set, previous, given_explanations)


def review_portal(portal: Portal, explanations: Explanations | None = None) -> dict[str, list[ReviewFlag]]:
    """Flags per round id, for every round of a `Portal`. Explanations default to those recorded
    in the measures (`explanations_from`)."""
    return {given.round_id: review_one(given, explanations) for given in rounds_to_review(portal)}


def unused_explanations(flags: Iterable[ReviewFlag], explanations: Explanations) -> list[tuple[str, str]]:
    """(measure id, kind) of explanations no flag needs any more, e.g. after a rank was corrected;
    worth a warning so that stale reasons are not published."""
    used = {(f.measure, f.kind.value) for f in flags}
    return sorted((ident, kind) for ident, texts in explanations.items() for kind, text in texts.items()
                  if isinstance(text, str) and text.strip() and (ident, kind) not in used)


ADVICE = {
    FlagKind.dominated: T("write why under 'review_notes: dominated:' in this measure, or reconsider the rank"),
    FlagKind.treated_differently: T("write why under 'review_notes: treated_differently:' in this measure, "
                                    "or reconsider the rank or outcome"),
    FlagKind.assessment_changed: T("write why under 'review_notes: assessment_changed:' in this measure"),
}
# The same for a pair of a priority list, which has a rank or a recommendation and no outcome.
ADVICE_FOR_PAIRS = {
    FlagKind.dominated: T("write why under 'review_notes: dominated:' in this pair, or reconsider its rank"),
    FlagKind.treated_differently: T("write why under 'review_notes: treated_differently:' in this pair, or "
                                    "reconsider its rank"),
    FlagKind.assessment_changed: T("write why under 'review_notes: assessment_changed:' in this pair"),
}

_FIELD_OF_FLAG = {
    FlagKind.dominated: ("rank",),
    FlagKind.treated_differently: ("rank",),
    FlagKind.assessment_changed: ("assessments",),
}


def flag_problem(flag: ReviewFlag, shown_as: str, document: Any = None):
    """The build-time warning for an unexplained flag (a `problems.Problem`), at the measure's rank
    or changed assessment when its `load.Document` is given, else at the top of the file."""
    from prioportal.problems import Problem, Severity

    path: tuple = _FIELD_OF_FLAG[flag.kind]
    if flag.kind is FlagKind.assessment_changed and flag.criteria:
        path = ("assessments", flag.criteria[0], "level")
    advice = (ADVICE_FOR_PAIRS if flag.of_pair else ADVICE)[flag.kind]
    if document is not None:
        return document.problem(path, flag.description, advice, severity=Severity.warning)
    return Problem(shown_as, 1, 1, flag.description, advice, Severity.warning)


__all__ = ["FlagKind", "LevelShift", "ReviewFlag", "Explanations", "explanations_from", "profile", "dominated",
           "treated_differently", "level_shifts", "assessment_changed", "review_round", "review_portal",
           "RoundToReview", "rounds_to_review", "review_one",
           "unused_explanations", "flag_problem", "ADVICE", "ADVICE_FOR_PAIRS", "RANK_GAP"]
