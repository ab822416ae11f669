"""What each page shows, computed from the portal and its analyses.

Templates only lay these values out; every decision about what a citizen sees (which
measures were prioritised instead, where the funding line falls, which level a criterion
had) is made here, in plain functions that tests can call.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from . import model as m
from .followup import IndicatorStatus, indicator_statuses
from .portal import Portal
from .ranking import FundingLine, FundingRow, funding_line, lineage, prioritised_instead, ranked, same_rank, successors


@dataclass(frozen=True)
class AssessmentRow:
    criterion: m.Criterion
    level: m.ScaleLevel
    position: int  # 1 = the scale's first (highest) level
    justification: str

    @property
    def scale_size(self) -> int:
        return len(self.criterion.scale)


@dataclass(frozen=True)
class CostTotals:
    year_1: int
    year_2: int
    year_3: int
    years_4_10: int

    @property
    def ten_years(self) -> int:
        return self.year_1 + self.year_2 + self.year_3 + 7 * self.years_4_10


def cost_totals(measure: m.Measure) -> CostTotals:
    return CostTotals(*(sum(getattr(c, f) for c in measure.costs) for f in ("year_1", "year_2", "year_3", "years_4_10")))


def assessment_rows(measure: m.Measure, criteria: m.CriteriaSet) -> list[AssessmentRow]:
    rows = []
    for criterion in criteria.criteria:
        assessment = measure.assessments[criterion.id]
        level = criterion.level(assessment.level)
        position = criterion.scale.index(level) + 1
        rows.append(AssessmentRow(criterion, level, position, assessment.justification))
    return rows


@dataclass(frozen=True)
class RoundView:
    round: m.Round
    criteria: m.CriteriaSet
    measures: tuple[m.Measure, ...]  # rank order
    funding: FundingLine
    previous: m.Round | None
    next: m.Round | None

    @cached_property
    def rows_by_id(self) -> dict[str, FundingRow]:
        return {row.measure.id: row for row in self.funding.rows}

    def outcome_label(self, measure: m.Measure) -> str:
        term = self.criteria.outcome_term(measure.outcome.decision) if measure.outcome else None
        return term.label if term else ""

    @cached_property
    def outcome_counts(self) -> list[tuple[m.OutcomeTerm, int]]:
        counts = []
        for term in self.criteria.outcomes:
            n = sum(1 for x in self.measures if x.outcome and x.outcome.decision is term.kind)
            if n:
                counts.append((term, n))
        return counts

    @cached_property
    def followed_up(self) -> list[tuple[m.Measure, list[IndicatorStatus]]]:
        """Prioritised measures with a follow-up plan, in rank order."""
        return [(x, indicator_statuses(x)) for x in self.measures
                if x.outcome and x.outcome.decision.receives_resources
                and (x.follow_up.indicators or x.follow_up.evaluation)]

    @property
    def sectors(self) -> list[str]:
        return sorted({x.sector for x in self.measures}, key=str.casefold)


@dataclass(frozen=True)
class MeasureView:
    measure: m.Measure
    round: RoundView
    assessments: list[AssessmentRow]
    costs: CostTotals
    funding_row: FundingRow
    instead: list[m.Measure]
    ties: list[m.Measure]
    history: list[tuple[m.Measure, m.Round]]
    indicators: list[IndicatorStatus]

    @property
    def outcome_term(self) -> m.OutcomeTerm | None:
        outcome = self.measure.outcome
        return self.round.criteria.outcome_term(outcome.decision) if outcome else None

    @property
    def rank_band(self) -> m.RankBand | None:
        rank = self.measure.rank
        return self.round.criteria.rank_scale.band_for(rank) if rank is not None else None

    @property
    def needs_explanation(self) -> bool:
        """Everything but full funding gets a plain 'why' section (DOMAIN.md: deprioritisation is hardest to explain)."""
        outcome = self.measure.outcome
        return outcome is not None and not outcome.decision.is_full_funding

    @property
    def instead_cost(self) -> int:
        return sum(x.granted for x in self.instead)


def slugify(text: str) -> str:
    """A readable address segment from a sector name: "Helse og omsorg" → "helse-og-omsorg"."""
    text = text.casefold().translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})


@dataclass(frozen=True)
class Group:
    """Measures sharing a sector or an outcome, for the browsable index that works without JavaScript."""

    slug: str
    title: str
    measures: tuple[MeasureView, ...]  # newest round first, then rank order

    def by_round(self) -> list[tuple[m.Round, list[MeasureView]]]:
        rounds: dict[str, tuple[m.Round, list[MeasureView]]] = {}
        for mv in self.measures:
            rounds.setdefault(mv.round.round.id, (mv.round.round, []))[1].append(mv)
        return list(rounds.values())


@dataclass(frozen=True)
class PortalView:
    portal: Portal
    rounds: dict[str, RoundView]
    measures: dict[str, MeasureView]

    def _newest_first(self) -> list[MeasureView]:
        return [self.measures[x.id] for rv in reversed(list(self.rounds.values())) for x in rv.measures]

    @cached_property
    def sectors(self) -> list[Group]:
        groups: dict[str, list[MeasureView]] = {}
        for mv in self._newest_first():
            groups.setdefault(mv.measure.sector, []).append(mv)
        slugs: set[str] = set()
        result = []
        for name in sorted(groups, key=str.casefold):
            slug = slugify(name)
            while slug in slugs:  # two sector names that differ only in punctuation
                slug += "-x"
            slugs.add(slug)
            result.append(Group(slug, name, tuple(groups[name])))
        return result

    @cached_property
    def outcomes(self) -> list[Group]:
        """One group per outcome kind used, named by the newest criteria set that names it."""
        groups: dict[m.OutcomeKind, list[MeasureView]] = {}
        for mv in self._newest_first():
            if mv.measure.outcome:
                groups.setdefault(mv.measure.outcome.decision, []).append(mv)
        result = []
        for kind in m.OutcomeKind:
            if kind in groups:
                label = next((t.label for cs in reversed(self.portal.criteria_sets)
                              if (t := cs.outcome_term(kind))), kind.value)
                result.append(Group(kind.value.replace("_", "-"), label, tuple(groups[kind])))
        return result

    @property
    def current_round(self) -> RoundView | None:
        """The latest round: the one a citizen arriving today most likely asks about."""
        return self.rounds[self.portal.rounds[-1].id] if self.portal.rounds else None

    @property
    def criteria_in_force(self) -> m.CriteriaSet | None:
        return self.portal.criteria_sets[-1] if self.portal.criteria_sets else None

    def latest_decisions(self, limit: int = 8) -> list[MeasureView]:
        decided = [r for r in reversed(self.portal.rounds) if r.status.is_decided]
        if not decided:
            return []
        return [self.measures[x.id] for x in self.rounds[decided[0].id].measures[:limit]]


def build_views(portal: Portal) -> PortalView:
    by_id = {x.id: x for x in portal.measures}
    round_by_id = {r.id: r for r in portal.rounds}
    followers = successors(list(portal.measures))
    rounds: dict[str, RoundView] = {}
    for i, rnd in enumerate(portal.rounds):
        members = ranked(portal.measures_in(rnd.id))
        rounds[rnd.id] = RoundView(
            round=rnd,
            criteria=portal.criteria_set(rnd.criteria),
            measures=tuple(members),
            funding=funding_line(rnd, members),
            previous=portal.rounds[i - 1] if i > 0 else None,
            next=portal.rounds[i + 1] if i + 1 < len(portal.rounds) else None,
        )
    measures: dict[str, MeasureView] = {}
    for rv in rounds.values():
        members = list(rv.measures)
        for measure in members:
            measures[measure.id] = MeasureView(
                measure=measure,
                round=rv,
                assessments=assessment_rows(measure, rv.criteria),
                costs=cost_totals(measure),
                funding_row=rv.rows_by_id[measure.id],
                instead=prioritised_instead(measure, members),
                ties=same_rank(measure, members),
                history=[(x, round_by_id[x.round]) for x in lineage(measure, by_id, followers)],
                indicators=indicator_statuses(measure),
            )
    return PortalView(portal, rounds, measures)
