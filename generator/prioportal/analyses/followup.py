"""Follow-up analyses: where each indicator stands against its baseline and target."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from prioportal.model.decisions import Direction, FollowUpResult, Indicator, Measure


class Progress(str, Enum):
    not_measured = "not_measured"
    target_met = "target_met"
    improving = "improving"
    not_improving = "not_improving"


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    results: tuple[FollowUpResult, ...]
    progress: Progress

    @property
    def latest(self) -> FollowUpResult | None:
        return self.results[-1] if self.results else None


def progress(indicator: Indicator, latest: float | None) -> Progress:
    """Compare the latest value with baseline and target, whichever way the target points."""
    if latest is None:
        return Progress.not_measured
    if indicator.direction is not None:
        direction = 1 if indicator.direction is Direction.higher_is_better else -1
    else:
        direction = 1 if indicator.target >= indicator.baseline else -1
    if (latest - indicator.target) * direction >= 0:
        return Progress.target_met
    if (latest - indicator.baseline) * direction > 0:
        return Progress.improving
    return Progress.not_improving


def indicator_statuses(measure: Measure) -> list[IndicatorStatus]:
    """Results in the order they were recorded, which communicators keep chronological."""
    statuses = []
    for indicator in measure.follow_up.indicators:
        results = tuple(r for r in measure.follow_up.results if r.indicator == indicator.id)
        latest = results[-1].value if results else None
        statuses.append(IndicatorStatus(indicator, results, progress(indicator, latest)))
    return statuses
