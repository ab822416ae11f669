"""The openness report of a round: a checklist against Helsedirektoratet's recommendation.

Openness means making the criteria, the process, the knowledge base and the reason for each
decision available and understandable (DOMAIN.md). Each item says whether the round meets it and
which measures (or councils, or fields) are missing. The site renders the items with its
translated templates, by `key`; `detail` is plain English for the CLI and build log.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Sequence

from prioportal.analyses.comparisons import previous_round
from prioportal.model.decisions import CriteriaSet, InputSource, Measure, Round

if TYPE_CHECKING:
    from prioportal.model.portal import Portal

KEYS = ("criteria_published", "all_assessed", "non_funded_explained", "statutory_councils_heard",
        "decision_published", "previous_follow_up_published")

STATUTORY_COUNCILS = (InputSource.elderly_council, InputSource.disability_council, InputSource.youth_council)


class ItemStatus(str, Enum):
    passed = "passed"
    failed = "failed"
    not_applicable = "not_applicable"


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the checklist.

    `passed` is True when the round meets the item. An item that does not apply to the round
    (follow-up of the previous round for the first round; the decision record of a round not yet
    decided) has `applicable=False` and `passed=True`, because nothing is missing: show it as
    "not applicable" (see `status`), never as a pass or a failure.
    `measures` are the ids concerned: those that fail the item (for the follow-up item, measures
    of the previous round). `missing` names what is missing that is not a measure: the councils
    not heard (InputSource values), or the fields of the decision record.
    """

    key: str
    passed: bool
    measures: tuple[str, ...]
    detail: str
    applicable: bool = True
    missing: tuple[str, ...] = ()

    @property
    def status(self) -> ItemStatus:
        if not self.applicable:
            return ItemStatus.not_applicable
        return ItemStatus.passed if self.passed else ItemStatus.failed


def openness_report(portal: Portal, round_id: str) -> list[ChecklistItem]:
    """The six checklist items for the round, in the order of `KEYS`; KeyError for an unknown round."""
    rounds = {r.id: r for r in portal.rounds}
    if round_id not in rounds:
        raise KeyError(round_id)
    rnd = rounds[round_id]
    before = previous_round(portal, rnd)
    return round_openness(rnd, before, portal.criteria_sets, portal.measures_in(round_id),
                          portal.measures_in(before.id) if before is not None else [])


def round_openness(rnd: Round, before: Round | None, criteria_sets: Sequence[CriteriaSet],
                   members: Sequence[Measure], previous_members: Sequence[Measure]) -> list[ChecklistItem]:
    """`openness_report` from the round, the round before it (`previous_round`), every criteria
    version and the two rounds' measures: all it depends on."""
    criteria = {c.id: c for c in criteria_sets}
    measures = sorted(members, key=lambda x: x.id)
    previous_measures = sorted(previous_members, key=lambda x: x.id)
    criteria_set = criteria.get(rnd.criteria)
    return [
        _criteria_published(rnd, criteria_set, before, criteria),
        _all_assessed(measures, criteria_set),
        _non_funded_explained(rnd, measures),
        _councils_heard(measures),
        _decision_published(rnd),
        _previous_follow_up(before, previous_measures),
    ]


def _criteria_published(rnd: Round, cs: CriteriaSet | None, before: Round | None,
                        criteria: dict[str, CriteriaSet]) -> ChecklistItem:
    key = "criteria_published"
    if cs is None:
        return ChecklistItem(key, False, (), f"the criteria version '{rnd.criteria}' is not published")
    if rnd.decision is not None and cs.valid_from > rnd.decision.meeting_date:
        return ChecklistItem(key, False, (), f"the criteria version '{cs.id}' applies from {cs.valid_from}, "
                                             f"after the decision on {rnd.decision.meeting_date}")
    if before is None:
        return ChecklistItem(key, True, (), f"the criteria '{cs.id}' (version {cs.version}) are published")
    if before.criteria == cs.id:
        return ChecklistItem(key, True, (), f"the criteria '{cs.id}' are published and unchanged since {before.id}")
    if not cs.change_note:
        return ChecklistItem(key, False, (), f"the criteria changed from '{before.criteria}' to '{cs.id}' "
                                             f"without a change note")
    earlier = criteria.get(before.criteria)
    skipped = (earlier is not None and cs.previous != earlier.id)
    detail = f"the criteria changed from '{before.criteria}' to '{cs.id}', with a change note"
    if skipped:
        detail += f" (the note describes the change from '{cs.previous}')"
    return ChecklistItem(key, True, (), detail)


def _all_assessed(measures: list[Measure], cs: CriteriaSet | None) -> ChecklistItem:
    key = "all_assessed"
    if cs is None:
        return ChecklistItem(key, False, tuple(x.id for x in measures), "the round's criteria are not published")
    failing = []
    for x in measures:
        for criterion in cs.criteria:
            assessment = x.assessments.get(criterion.id)
            if assessment is None or criterion.level(assessment.level) is None or not assessment.justification.strip():
                failing.append(x.id)
                break
    if not measures:
        return ChecklistItem(key, True, (), "the round has no measures yet")
    if failing:
        return ChecklistItem(key, False, tuple(failing),
                             f"{len(failing)} of {len(measures)} measures lack an assessment on some criterion")
    return ChecklistItem(key, True, (), f"all {len(measures)} measures are assessed on all "
                                        f"{len(cs.criteria)} criteria")


def _non_funded_explained(rnd: Round, measures: list[Measure]) -> ChecklistItem:
    key = "non_funded_explained"
    if rnd.is_priority_list:
        return ChecklistItem(key, True, (), "a priority list funds nothing: its pairs have a rank or a recommendation",
                             applicable=False)
    concerned = [x for x in measures if x.outcome is not None and not x.outcome.decision.is_full_funding]
    undecided = [x for x in measures if x.outcome is None] if rnd.status.is_decided else []
    unexplained = {x.id for x in concerned
                   if not (x.outcome and x.outcome.rationale and x.outcome.consequences)}
    failing = sorted(unexplained | {x.id for x in undecided})
    if failing:
        return ChecklistItem(key, False, tuple(failing),
                             f"{len(failing)} measures not fully funded lack a rationale or the consequences"
                             + (" (or have no outcome recorded)" if undecided else ""))
    if not concerned:
        return ChecklistItem(key, True, (), "no measure has an outcome other than full funding yet"
                             if not rnd.status.is_decided else "every measure was fully funded")
    return ChecklistItem(key, True, (), f"all {len(concerned)} measures not fully funded have a rationale "
                                        f"and the consequences")


def _councils_heard(measures: list[Measure]) -> ChecklistItem:
    key = "statutory_councils_heard"
    heard: dict[InputSource, list[str]] = {council: [] for council in STATUTORY_COUNCILS}
    for x in measures:
        for given in x.inputs:
            if given.source in heard and x.id not in heard[given.source]:
                heard[given.source].append(x.id)
    missing = tuple(c.value for c in STATUTORY_COUNCILS if not heard[c])
    if missing:
        return ChecklistItem(key, False, (), "no input recorded from: " + ", ".join(missing), missing=missing)
    return ChecklistItem(key, True, (), "inputs recorded from "
                         + ", ".join(f"{c.value} ({len(heard[c])} measures)" for c in STATUTORY_COUNCILS))


def _decision_published(rnd: Round) -> ChecklistItem:
    key = "decision_published"
    if rnd.decision is None:
        if not rnd.status.is_decided:
            return ChecklistItem(key, True, (), f"the round is in {rnd.status.value}; there is no decision yet",
                                 applicable=False)
        return ChecklistItem(key, False, (), "the decision body, date and case number are not published",
                             missing=("body", "meeting_date", "case_number"))
    d = rnd.decision
    missing = tuple(name for name, value in (("body", d.body), ("meeting_date", d.meeting_date),
                                             ("case_number", d.case_number)) if not value)
    if missing:
        return ChecklistItem(key, False, (), "the decision record lacks " + ", ".join(missing), missing=missing)
    return ChecklistItem(key, True, (), f"decided by {d.body} on {d.meeting_date}, case {d.case_number}")


def _previous_follow_up(before: Round | None, previous_measures: list[Measure]) -> ChecklistItem:
    key = "previous_follow_up_published"
    if before is None:
        return ChecklistItem(key, True, (), "this is the first round; there is no previous round to follow up",
                             applicable=False)
    resourced = [x for x in previous_measures if x.outcome is not None and x.outcome.decision.receives_resources]
    if not resourced:
        return ChecklistItem(key, True, (), f"no measure in {before.id} received resources", applicable=False)
    failing = tuple(x.id for x in resourced if not (x.follow_up.results or x.follow_up.evaluation))
    if failing:
        return ChecklistItem(key, False, failing, f"{len(failing)} of {len(resourced)} measures funded in "
                                                  f"{before.id} have no follow-up results or evaluation published")
    return ChecklistItem(key, True, (), f"all {len(resourced)} measures funded in {before.id} have follow-up "
                                        f"results or an evaluation published")


def report_text(items: list[ChecklistItem]) -> str:
    """Plain English for the CLI: one line per item."""
    mark = {ItemStatus.passed: "[x]", ItemStatus.failed: "[ ]", ItemStatus.not_applicable: "[-]"}
    lines = []
    for item in items:
        line = f"{mark[item.status]} {item.key}: {item.detail}"
        if item.measures:
            line += " — " + ", ".join(item.measures)
        lines.append(line)
    return "\n".join(lines) + "\n"


__all__ = ["KEYS", "STATUTORY_COUNCILS", "ItemStatus", "ChecklistItem", "previous_round", "openness_report", "round_openness",
           "report_text"]
