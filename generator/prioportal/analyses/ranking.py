"""Analyses of a round's ranking: order, funding line, totals and opportunity cost.

The rank is a documented judgement, not a formula (DOMAIN.md): these functions only order
and add up what the council decided; they never compute a rank.
"""

from __future__ import annotations

from dataclasses import dataclass

from prioportal.model.decisions import Measure, Round


def ranked(measures: list[Measure]) -> list[Measure]:
    """Rank order, highest priority first; unranked last; ties by title so the order is stable."""
    return sorted(measures, key=lambda x: (x.rank is None, x.rank or 0, x.title.casefold(), x.id))


@dataclass(frozen=True)
class FundingRow:
    measure: Measure
    cumulative_cost: int
    above_line: bool


@dataclass(frozen=True)
class FundingLine:
    """Cumulative year-1 cost against the budget frame, in rank order.

    The line falls after the last measure whose cumulative cost still fits the frame; every
    measure after it is below the line, even a cheap one that would fit on its own, because
    the order is the council's priority, not a packing problem.
    """

    rows: tuple[FundingRow, ...]
    budget_frame: int
    total_cost: int
    total_granted: int
    cost_above_line: int

    @property
    def line_after(self) -> int:
        """How many rows are above the line."""
        return sum(1 for row in self.rows if row.above_line)

    @property
    def remaining(self) -> int:
        return self.budget_frame - self.total_granted

    @property
    def shortfall(self) -> int:
        return max(0, self.total_cost - self.budget_frame)


def funding_line(rnd: Round, measures: list[Measure]) -> FundingLine:
    """The funding line of a budget round. A priority list has no frame (its pairs have no costs
    either), and its pages draw no line: its rows are all "above" a frame of nothing."""
    rows = []
    cumulative = 0
    still_fits = True
    frame = rnd.budget_frame if rnd.budget_frame is not None else 0
    for measure in ranked(measures):
        cumulative += measure.cost_year_1
        still_fits = still_fits and cumulative <= frame
        rows.append(FundingRow(measure, cumulative, still_fits))
    return FundingLine(
        rows=tuple(rows),
        budget_frame=frame,
        total_cost=cumulative,
        total_granted=sum(x.granted for x in measures),
        cost_above_line=sum(r.measure.cost_year_1 for r in rows if r.above_line),
    )


def prioritised_instead(measure: Measure, measures: list[Measure]) -> list[Measure]:
    """The opportunity cost of a measure that was not fully funded: the measures ranked above
    it in the same round that received resources, which took the budget it would have needed."""
    if measure.rank is None or measure.outcome is None or measure.outcome.decision.is_full_funding:
        return []
    return [
        other for other in ranked(measures)
        if other.id != measure.id
        and other.round == measure.round
        and other.rank is not None and other.rank < measure.rank
        and other.outcome is not None and other.outcome.decision.receives_resources
        and other.granted > 0
    ]


def prioritised_instead_in_round(members: list[Measure]) -> dict[str, list[Measure]]:
    """`prioritised_instead` for every measure of one round at once, in one pass over the
    round's measures in rank order, instead of one pass (and one sort) per measure."""
    result: dict[str, list[Measure]] = {}
    funded: list[Measure] = []  # funded measures seen so far, in rank order
    ordered = ranked(members)
    i = 0
    for measure in ordered:
        # Everything ranked strictly higher has been passed once the rank changes.
        while i < len(ordered) and ordered[i].rank is not None and measure.rank is not None \
                and ordered[i].rank < measure.rank:
            other = ordered[i]
            if other.outcome is not None and other.outcome.decision.receives_resources and other.granted > 0:
                funded.append(other)
            i += 1
        if measure.rank is None or measure.outcome is None or measure.outcome.decision.is_full_funding:
            result[measure.id] = []
        else:
            result[measure.id] = list(funded)
    return result


def successors(measures: list[Measure]) -> dict[str, Measure]:
    """Which measure continues each measure in a later round (computed once per portal)."""
    return {x.previous: x for x in measures if x.previous}


def lineage(measure: Measure, by_id: dict[str, Measure], followers: dict[str, Measure]) -> list[Measure]:
    """The same measure across rounds, oldest first, following `previous` links both ways."""
    chain = [measure]
    seen = {measure.id}
    current = measure
    while current.previous and current.previous in by_id and current.previous not in seen:
        current = by_id[current.previous]
        seen.add(current.id)
        chain.insert(0, current)
    current = measure
    while current.id in followers and followers[current.id].id not in seen:
        current = followers[current.id]
        seen.add(current.id)
        chain.append(current)
    return chain
