"""The charts of the site, as geometry: where each bar and line of an inline SVG stands.

Two charts: a round's ranking as rank × cost with the funding line (`funding_chart`, on the
round's page at a glance), and one indicator's results against its baseline and target
(`indicator_chart`, on the measure's page). Each is drawn by the theme's `charts.html` from the
values here, with a `<title>`, a `<desc>` that says in words what it shows, and a table of the
same figures beside it, so it is read without seeing it, and without JavaScript. The words and
the numbers as the language writes them are the template's; this module holds no text, so the
same geometry serves every language tree.

Coordinates are in the SVG's own units (its `viewBox`), rounded to one decimal: the same portal
gives the same bytes. A chart never grows with the round: a round of more than `MAX_BARS`
measures is drawn with a bar for each run of consecutive ranks (`Bar.first`, `Bar.last`), runs
that never straddle the funding line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from prioportal.analyses.followup import IndicatorStatus
from prioportal.analyses.ranking import FundingLine, FundingRow
from prioportal.model.small_numbers import FewerThan, bounds

MAX_BARS = 30  # bars of the round's chart; more measures are drawn in runs of ranks
MAX_RESULTS = 8  # results of an indicator's chart (the latest ones; the table beside it has all)


def _r(value: float) -> float:
    """One decimal: enough for a screen, and the same on every machine."""
    return round(value + 0.0, 1)


def nice_top(value: float) -> float:
    """The top of an axis for values up to `value`: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def steps(top: float) -> int:
    """How many equal steps an axis up to `nice_top`'s `top` is cut into, each a round number:
    5 of 1, 4 of 0.5 (up to 2), 5 of 0.5 (up to 2.5), 5 of 0.2 (up to 1)."""
    leading = top / 10 ** math.floor(math.log10(top))
    return 4 if round(leading, 6) == 2 else 5


@dataclass(frozen=True)
class Tick:
    """A line through the chart at a value of its axis of values, with the value as its label:
    across at `at` from the top (the round's chart), or down at `at` from the left (an indicator's)."""

    at: float
    value: float


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # its style: "above" or "below" the funding line; "baseline", "result" or "fewer" (a small number)
    value: Any  # what its label says: an amount, a measured value, or a FewerThan
    label_y: float  # where the bar's label stands: its amount above it, or its period (an indicator's)
    # The round's chart: the ranks it stands for, and how many measures (more than 1 in a run).
    first: int | None = None
    last: int | None = None
    count: int = 1
    period: str | None = None  # an indicator's chart: the result's period (None for the baseline)

    @property
    def centre(self) -> float:
        return _r(self.x + self.width / 2)

    @property
    def end(self) -> float:
        """Where a label after the bar starts."""
        return _r(self.x + self.width + 4)


@dataclass(frozen=True)
class Chart:
    """One chart: its size, the plot's bounds, the lines across it and its bars."""

    width: int
    height: int
    left: float  # the plot's bounds
    right: float
    top: float
    bottom: float
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]


# --- Rank × cost with the funding line -----------------------------------------------------------


@dataclass(frozen=True)
class FundingRun:
    """A bar of the round's chart, and a row of the table beside it: one measure, or a run of
    consecutive ranks, all above or all below the funding line."""

    rows: tuple[FundingRow, ...]

    @property
    def cost(self) -> int:
        return sum(row.measure.cost_year_1 for row in self.rows)

    @property
    def cumulative(self) -> int:
        return self.rows[-1].cumulative_cost

    @property
    def above_line(self) -> bool:
        return self.rows[0].above_line

    @property
    def measure(self):
        """The measure, for a bar of one."""
        return self.rows[0].measure if len(self.rows) == 1 else None


@dataclass(frozen=True)
class FundingChart(Chart):
    runs: tuple[FundingRun, ...] = ()
    line_x: float | None = None  # where the funding line is drawn; None when every measure is on one side
    above: int = 0  # measures above the line
    below: int = 0
    frame: int = 0
    cost_above_line: int = 0
    positions: tuple[int, ...] = ()  # each run's place in the ranking (1-based), for its label


def funding_runs(line: FundingLine, limit: int = MAX_BARS) -> list[FundingRun]:
    """The rows of the funding line in at most `limit` runs (one row each where they fit), none
    across the line: each side gets runs in proportion to its measures."""
    rows = list(line.rows)
    if len(rows) <= limit:
        return [FundingRun((row,)) for row in rows]
    above = [row for row in rows if row.above_line]
    below = rows[len(above):]
    share = max(1, min(limit - 1, round(limit * len(above) / len(rows)))) if above and below else limit
    runs: list[FundingRun] = []
    for side, parts in ((above, share), (below, limit - share if above else limit)):
        if not side:
            continue
        size = math.ceil(len(side) / parts)
        runs += [FundingRun(tuple(side[i:i + size])) for i in range(0, len(side), size)]
    return runs


def funding_chart(line: FundingLine, limit: int = MAX_BARS) -> FundingChart:
    """The round's measures in rank order as bars of their cost in year 1, coloured by the side
    of the funding line they fall on, the line drawn between the last measure above it and the
    first below."""
    width, height = 480, 250
    left, right, top, bottom = 70.0, 472.0, 24.0, 216.0
    runs = funding_runs(line, limit)
    highest = nice_top(max((max(run.cost, 0) for run in runs), default=0))
    step = (right - left) / max(len(runs), 1)
    bars, positions, line_x, position = [], [], None, 1
    for n, run in enumerate(runs):
        x = left + n * step + step * 0.15
        h = (bottom - top) * max(run.cost, 0) / highest
        bars.append(Bar(_r(x), _r(bottom - h), _r(step * 0.7), _r(h), "above" if run.above_line else "below",
                        run.cost, _r(bottom - h - 4), run.rows[0].measure.rank, run.rows[-1].measure.rank, len(run.rows)))
        positions.append(position)
        position += len(run.rows)
        if n and runs[n - 1].above_line and not run.above_line:
            line_x = _r(left + n * step)
    parts = steps(highest)
    ticks = tuple(Tick(_r(bottom - (bottom - top) * k / parts), round(highest * k / parts)) for k in range(parts + 1))
    above = sum(1 for row in line.rows if row.above_line)
    return FundingChart(width, height, left, right, top, bottom, ticks, tuple(bars), tuple(runs), line_x, above,
                        len(line.rows) - above, line.budget_frame, line.cost_above_line, tuple(positions))


# --- An indicator's results against its baseline and target -----------------------------------


@dataclass(frozen=True)
class IndicatorChart(Chart):
    status: IndicatorStatus | None = None
    target_x: float = 0.0  # where the target's line is drawn
    shown_from: int = 0  # how many earlier results the chart leaves to the table

    @property
    def target_anchor(self) -> str:
        """How the target's label stands by its line: not past the chart's edges."""
        return "start" if self.target_x < self.left + 20 else ("end" if self.target_x > self.right - 20 else "middle")


ROW = 34.0  # the height of a row of an indicator's chart: its period above, its bar below


def indicator_chart(status: IndicatorStatus) -> IndicatorChart | None:
    """The baseline and each result (the latest `MAX_RESULTS`) as bars across, one under the
    other, each with its period above it, and the target as a line down through them; None for
    an indicator not measured yet. A value too small to publish is drawn as an open bar up to its
    threshold: it lies somewhere below its end."""
    if not status.results:
        return None
    indicator = status.indicator
    results = status.results[-MAX_RESULTS:]
    values: list[tuple[str | None, Any]] = [(None, indicator.baseline)] + [(str(r.period), r.value) for r in results]
    width = 320
    left, right, top = 8.0, 264.0, 22.0
    bottom = top + ROW * len(values)
    highest = nice_top(max([bounds(v)[1] if isinstance(v, FewerThan) else max(float(v), 0.0) for _, v in values]
                           + [max(float(indicator.target), 0.0)]))
    bars = []
    for n, (period, value) in enumerate(values):
        shown = float(value.threshold) if isinstance(value, FewerThan) else max(float(value), 0.0)
        kind = "fewer" if isinstance(value, FewerThan) else ("baseline" if period is None else "result")
        row_top = top + n * ROW
        bars.append(Bar(left, _r(row_top + 16), _r((right - left) * shown / highest), 12.0, kind, value,
                        _r(row_top + 12), period=period))
    # Three lines (0, the middle, the top): the chart is small, and its table has the figures.
    ticks = tuple(Tick(_r(left + (right - left) * k / 2), round(highest * k / 2, 6)) for k in range(3))
    target_x = _r(left + (right - left) * max(float(indicator.target), 0.0) / highest)
    return IndicatorChart(width, int(bottom + 20), left, right, top, bottom, ticks, tuple(bars), status, target_x,
                          len(status.results) - len(results))
