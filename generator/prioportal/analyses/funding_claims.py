"""What the site may say about a round's money: the claims beside the funding line, on the page
of a measure below it, and about what was prioritised instead of a measure.

Each sentence the pages write about the budget frame, the line and what was granted is chosen
by a value computed here from the very figures the pages show (`FundingLine`), so that no
sentence claims more than those figures support. The templates only pick the catalogue's
sentence for the value's kind. The rules, which tests/test_funding_claims.py checks against
generated rounds, where F is the budget frame, "above" and "below" the measures on each side
of the line, and granted the amounts decided for year 1:

- `NO_MEASURES`: the round has no measures; there is no line to draw.
- `ALL_FIT`: no measure is below the line, so the year-1 cost of all of them, added up in rank
  order, never passes F.
- Otherwise the line stands before the first measure at which the added-up cost passes F: that
  much is always true ("here the added-up cost passes the frame"), and also that, had every
  measure above got its full cost, what was left of F would not pay for the next one. What was
  granted then decides the rest:
  - `PENDING`: some measure of the round has no decision yet; nothing is said of the grants.
  - `USED_UP`: granted above ≥ F, and nothing granted below: the frame is used up at the line.
  - `OVER_FRAME`: granted above ≥ F, and measures below were granted money too: beyond F.
  - `LEFT_OVER`: granted above < F, and nothing granted below: F − granted above was not granted.
  - `SHARED_BELOW`: granted above < F, and measures below were granted money.

"The frame is used up" is thus said only where the grants above the line reach the frame; and
never "the measures below got nothing" where one of them got money.

What was prioritised instead of a measure (the funded measures ranked above it, which received
`instead` together) is "the cost of choosing them: the money could not be used for both" only
where `instead` and the measure's own full cost together pass F (`TRADE_OFF`); otherwise the
frame would have held both, and the page says so (`WITHIN_FRAME`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from prioportal.analyses.ranking import FundingLine


class LineClaim(Enum):
    NO_MEASURES = "no_measures"
    ALL_FIT = "all_fit"
    PENDING = "pending"
    USED_UP = "used_up"
    OVER_FRAME = "over_frame"
    LEFT_OVER = "left_over"
    SHARED_BELOW = "shared_below"


@dataclass(frozen=True)
class FundingClaim:
    """What may be said of a round's funding line, with the figures the sentence names."""

    kind: LineClaim
    frame: int
    granted_above: int  # granted to the measures above the line, together
    granted_below: int  # granted to the measures below the line, together

    @property
    def left(self) -> int:
        """What the grants above the line left of the frame (said only where it is more than 0)."""
        return self.frame - self.granted_above

    @property
    def line_drawn(self) -> bool:
        """Whether some measure is below the line, so that the line stands between two measures."""
        return self.kind not in (LineClaim.NO_MEASURES, LineClaim.ALL_FIT)


def funding_claim(line: FundingLine) -> FundingClaim:
    above = [row.measure for row in line.rows if row.above_line]
    below = [row.measure for row in line.rows if not row.above_line]
    granted_above = sum(x.granted for x in above)
    granted_below = sum(x.granted for x in below)
    frame = line.budget_frame
    if not line.rows:
        kind = LineClaim.NO_MEASURES
    elif not below:
        kind = LineClaim.ALL_FIT
    elif any(row.measure.outcome is None for row in line.rows):
        kind = LineClaim.PENDING
    elif granted_above >= frame:
        kind = LineClaim.OVER_FRAME if granted_below else LineClaim.USED_UP
    else:
        kind = LineClaim.SHARED_BELOW if granted_below else LineClaim.LEFT_OVER
    return FundingClaim(kind, frame, granted_above, granted_below)


class InsteadClaim(Enum):
    TRADE_OFF = "trade_off"  # the frame could not hold both: choosing them cost this measure
    WITHIN_FRAME = "within_frame"  # the frame would have held both


@dataclass(frozen=True)
class OpportunityClaim:
    """What may be said of the measures prioritised instead of one measure."""

    kind: InsteadClaim
    frame: int
    instead: int  # what the measures prioritised instead received together
    cost: int  # the measure's own full cost, year 1


def opportunity_claim(frame: int, instead: int, cost: int) -> OpportunityClaim:
    kind = InsteadClaim.TRADE_OFF if instead + cost > frame else InsteadClaim.WITHIN_FRAME
    return OpportunityClaim(kind, frame, instead, cost)
