"""What the pages about one round show: its ranking with the funding line, its outcomes, its
neighbours and its history (`RoundView`), and the smaller parts of it that other pages show,
so that those pages change only when what they show does: the round and its criteria on a
measure's page (`RoundHeading`), the round beside each page of its ranked list
(`RoundSummary`), and a measure as a listing of many shows it (`Listed`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from prioportal.analyses.comparisons import RoundComparison
from prioportal.analyses.followup import IndicatorStatus, indicator_statuses
from prioportal.analyses.funding_claims import FundingClaim, funding_claim
from prioportal.analyses.openness import ChecklistItem
from prioportal.analyses.ranking import FundingLine, FundingRow
from prioportal.analyses.review import ReviewFlag
from prioportal.analyses.what_if import WhatIf, extra_needed, what_if
from prioportal.model import decisions as m
from prioportal.site.page_history import PageHistory


def outcome_label(criteria: m.CriteriaSet, measure: m.Measure) -> str:
    """The outcome in the words of the criteria set the round used."""
    term = criteria.outcome_term(measure.outcome.decision) if measure.outcome else None
    return term.label if term else ""


@dataclass(frozen=True)
class RoundHeading:
    """What a page about one measure shows of its round: the round and the criteria it used, not
    the rest of the ranking, so that an edit to another measure leaves the page as it is (and a
    preview need not render it again)."""

    round: m.Round
    criteria: m.CriteriaSet

    def outcome_label(self, measure: m.Measure) -> str:
        return outcome_label(self.criteria, measure)


@dataclass(frozen=True)
class RoundSummary(RoundHeading):
    """What each page of a round's ranked list shows of the round beside its own rows."""

    previous: m.Round | None
    next: m.Round | None
    total_cost: int  # year 1, all measures
    total_granted: int
    outcome_counts: tuple[tuple[m.OutcomeTerm, int], ...]
    followed_up: bool  # whether any measure has a follow-up plan
    changes_from: m.Round | None  # the round the ranking is compared with
    history: PageHistory
    # The titles of the measures the decision record names (separate votes, disqualifications), by id.
    measure_titles: dict[str, str] = field(default_factory=dict)


def has_follow_up(x: m.Measure) -> bool:
    """Whether a round's follow-up lists the measure: prioritised, with a follow-up plan."""
    return bool(x.outcome and x.outcome.decision.receives_resources
                and (x.follow_up.indicators or x.follow_up.evaluation))


@dataclass(frozen=True)
class RoundView:
    round: m.Round
    criteria: m.CriteriaSet
    measures: tuple[m.Measure, ...]  # rank order
    funding: FundingLine
    previous: m.Round | None
    next: m.Round | None
    changes: RoundComparison | None = None  # since the previous round
    openness: tuple[ChecklistItem, ...] = ()
    flags: tuple[ReviewFlag, ...] = ()
    history: PageHistory = PageHistory(False)
    # Made from the fields above when not given; a preview gives the last build's where they
    # are the same, so that the pages showing them hold the very same objects. The last two
    # follow from `measures` and `heading`, and are not compared.
    heading: RoundHeading = None  # type: ignore[assignment]
    # The round's measures as listings of many rounds show them.
    listed: tuple[Listed, ...] = field(default=None, compare=False)  # type: ignore[assignment]
    # Prioritised measures with a follow-up plan, in rank order.
    followed_up: list[tuple[m.Measure, list[IndicatorStatus]]] = field(default=None, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.heading is None:
            object.__setattr__(self, "heading", RoundHeading(self.round, self.criteria))
        if self.listed is None:
            object.__setattr__(self, "listed", tuple(Listed(x, self.heading) for x in self.measures))
        if self.followed_up is None:
            object.__setattr__(self, "followed_up", [(x, indicator_statuses(x)) for x in self.measures
                                                     if has_follow_up(x)])

    @cached_property
    def funding_claim(self) -> FundingClaim:
        """What the pages may say of the funding line and the grants (analyses/funding_claims.py)."""
        return funding_claim(self.funding)

    @cached_property
    def extra_needed(self) -> dict[str, int]:
        """For each ranked measure below the line, the money more it would have needed (analyses/what_if.py)."""
        return extra_needed(self.funding)

    @cached_property
    def what_if(self) -> tuple[WhatIf, ...]:
        """The measures that would cross the line with the frame a little smaller or larger."""
        return what_if(self.funding)

    @cached_property
    def rows_by_id(self) -> dict[str, FundingRow]:
        return {row.measure.id: row for row in self.funding.rows}

    def outcome_label(self, measure: m.Measure) -> str:
        return outcome_label(self.criteria, measure)

    @cached_property
    def by_sector(self) -> dict[str, list[Listed]]:
        """The listed measures by sector, in rank order; kept with the round, like `listed`."""
        groups: dict[str, list[Listed]] = {}
        for item in self.listed:
            if item.measure.sector is not None:  # a pair of a priority list has a condition group instead
                groups.setdefault(item.measure.sector, []).append(item)
        return groups

    @cached_property
    def by_outcome(self) -> dict[m.OutcomeKind, list[Listed]]:
        """The listed measures with an outcome, by its kind, in rank order."""
        groups: dict[m.OutcomeKind, list[Listed]] = {}
        for item in self.listed:
            if item.measure.outcome:
                groups.setdefault(item.measure.outcome.decision, []).append(item)
        return groups

    @cached_property
    def summary(self) -> RoundSummary:
        return RoundSummary(self.round, self.criteria, self.previous, self.next, self.funding.total_cost,
                            self.funding.total_granted, tuple(self.outcome_counts), bool(self.followed_up),
                            self.changes.old_round if self.changes else None, self.history,
                            self.measure_titles)

    @property
    def measure_titles(self) -> dict[str, str]:
        """The titles of the measures the round's decision record names, by id."""
        record = self.round.decision
        if record is None or not record.recorded_in_detail:
            return {}
        named = {v.measure for v in record.separate_votes} | {d.measure for d in record.disqualifications}
        return {x.id: x.title for x in self.measures if x.id in named}

    @cached_property
    def outcome_counts(self) -> list[tuple[m.OutcomeTerm, int]]:
        counts = []
        for term in self.criteria.outcomes:
            n = sum(1 for x in self.measures if x.outcome and x.outcome.decision is term.kind)
            if n:
                counts.append((term, n))
        return counts

    @property
    def sectors(self) -> list[str]:
        return sorted({x.sector for x in self.measures if x.sector is not None}, key=str.casefold)


@dataclass(frozen=True)
class Listed:
    """A measure as a listing of many shows it: with its round, not with all its page shows."""

    measure: m.Measure
    round: RoundHeading
