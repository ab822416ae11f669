"""The funding line as figures anyone can check: how much more money a measure below the line
would have needed to be funded in rank order, and which measures would cross the line had the
budget frame been a little smaller or larger.

Both are read off `ranking.funding_line`, in its order (rank, unranked last, ties by title), and
neither is a decision: the rank is the council's judgement, and these figures only illustrate
what that order means for the money. The frame a measure needs is the largest added-up cost at
it or before it: with the costs all 0 or more that is simply its own added-up cost (the full
year-1 cost of every measure before it and its own), but a saving (a negative cost line) lowers
the added-up cost after a measure that had already passed the frame, and the line, drawn where
the sum first passes the frame, stays there.
"""

from __future__ import annotations

from dataclasses import dataclass

from prioportal.analyses.ranking import FundingLine
from prioportal.model.decisions import Measure

# The changes to the budget frame the round page illustrates, in per cent.
CHANGES = (-10, -5, 5, 10)


def frames_needed(line: FundingLine) -> list[int]:
    """For each row of the line, the smallest budget frame with which it is above the line."""
    needed: list[int] = []
    highest = None
    for row in line.rows:
        highest = row.cumulative_cost if highest is None else max(highest, row.cumulative_cost)
        needed.append(highest)
    return needed


def extra_needed(line: FundingLine) -> dict[str, int]:
    """For each ranked measure below the line, by id: how much more money the round would have
    needed to fund it, and every measure before it, in rank order (always more than 0).
    Unranked measures have no place in the rank order, so nothing is said of them."""
    return {row.measure.id: needed - line.budget_frame
            for row, needed in zip(line.rows, frames_needed(line))
            if not row.above_line and row.measure.rank is not None}


def changed_frame(frame: int, percent: int) -> int:
    """The frame changed by `percent`, in whole kroner, rounded half up (integers only, so the
    same on every machine)."""
    return (frame * (100 + percent) + 50) // 100


@dataclass(frozen=True)
class WhatIf:
    """The round's ranking had the frame been changed by `percent`: the measures that would cross
    the line, in rank order: newly above it where the frame grows, newly below where it shrinks."""

    percent: int
    frame: int
    crossing: tuple[Measure, ...]
    come_above: bool  # whether those measures would come above the line (else fall below it)


def what_if(line: FundingLine, changes: tuple[int, ...] = CHANGES) -> tuple[WhatIf, ...]:
    needed = frames_needed(line)
    now = line.line_after
    found = []
    for percent in changes:
        frame = changed_frame(line.budget_frame, percent)
        # The rows above the line are a leading run of the order, as `funding_line` draws it.
        above = next((i for i, x in enumerate(needed) if x > frame), len(needed))
        moved = line.rows[now:above] if above >= now else line.rows[above:now]
        found.append(WhatIf(percent, frame, tuple(row.measure for row in moved), above >= now))
    return tuple(found)
