"""Follow-up analyses: where each indicator stands against its baseline and target, and the
follow-up of a round added up per sector and per target area (`rollups`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from prioportal.model.decisions import Direction, EvaluationDecision, FollowUpResult, Indicator, Measure
from prioportal.model.small_numbers import FewerThan, bounds


class Progress(str, Enum):
    not_measured = "not_measured"
    target_met = "target_met"
    improving = "improving"
    not_improving = "not_improving"
    not_shown = "not_shown"  # the result is too small a number of persons to tell (model/small_numbers.py)


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    results: tuple[FollowUpResult, ...]
    progress: Progress

    @property
    def latest(self) -> FollowUpResult | None:
        return self.results[-1] if self.results else None


def _progress(indicator: Indicator, baseline: float, latest: float) -> Progress:
    if indicator.direction is not None:
        direction = 1 if indicator.direction is Direction.higher_is_better else -1
    else:
        direction = 1 if indicator.target >= baseline else -1
    if (latest - indicator.target) * direction >= 0:
        return Progress.target_met
    if (latest - baseline) * direction > 0:
        return Progress.improving
    return Progress.not_improving


def progress(indicator: Indicator, latest: float | FewerThan | None) -> Progress:
    """Compare the latest value with baseline and target, whichever way the target points. A
    value too small to publish (`FewerThan`) may be anything below its threshold: the progress
    is told only when it is the same wherever in that range the value lies, so that it never
    tells more of a small number than "fewer than 5" does."""
    if latest is None:
        return Progress.not_measured
    found = {_progress(indicator, baseline, value)
             for baseline in bounds(indicator.baseline) for value in bounds(latest)}
    return found.pop() if len(found) == 1 else Progress.not_shown


def indicator_statuses(measure: Measure) -> list[IndicatorStatus]:
    """Results in the order they were recorded, which communicators keep chronological."""
    statuses = []
    for indicator in measure.follow_up.indicators:
        results = tuple(r for r in measure.follow_up.results if r.indicator == indicator.id)
        latest = results[-1].value if results else None
        statuses.append(IndicatorStatus(indicator, results, progress(indicator, latest)))
    return statuses


@dataclass(frozen=True)
class Rollup:
    """The follow-up of the measures of one sector (or target area) of a round, added up: how
    many are followed up, and where their indicators stand."""

    name: str
    measures: int  # followed up: prioritised, with indicators or an evaluation
    indicators: int
    progress: tuple[tuple[Progress, int], ...]  # how many indicators stand where, in Progress's order
    evaluations: tuple[tuple[EvaluationDecision, int], ...]  # how many were continued, corrected, stopped

    def count(self, kind: Progress) -> int:
        return dict(self.progress).get(kind, 0)


def rollups(followed_up: Iterable[tuple[Measure, Sequence[IndicatorStatus]]],
            key: Callable[[Measure], str | None]) -> list[Rollup]:
    """The follow-up added up per group (`key` gives a measure's sector or target area; a measure
    without one is left out), the groups in the order they first appear."""
    groups: dict[str, list[tuple[Measure, Sequence[IndicatorStatus]]]] = {}
    for x, statuses in followed_up:
        name = key(x)
        if name:
            groups.setdefault(name, []).append((x, statuses))
    found = []
    for name, members in groups.items():
        progress = Counter(st.progress for _, statuses in members for st in statuses)
        decided = Counter(x.follow_up.evaluation.decision for x, _ in members if x.follow_up.evaluation)
        found.append(Rollup(name, len(members), sum(len(s) for _, s in members),
                            tuple((p, progress[p]) for p in Progress if progress[p]),
                            tuple((d, decided[d]) for d in EvaluationDecision if decided[d])))
    return found
