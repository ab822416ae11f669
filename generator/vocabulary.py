"""Citizen-facing names of the fixed vocabulary, as msgids for the translation catalogues.

Outcome names are not here: each criteria set names its outcomes in its own words.
"""

from __future__ import annotations

from enum import Enum

from . import model as m
from .followup import Progress


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated when rendered."""
    return message


LABELS: dict[Enum, str] = {
    m.RationingType.structure: N_("Structural rationing (equipment, premises, staff or skills)"),
    m.RationingType.process: N_("Process rationing (stricter eligibility, time limits or a diluted service)"),
    m.RationingType.result: N_("Result rationing (a lower target, or only some parts of the need)"),
    m.RoundPurpose.new_resources: N_("Distributing new resources"),
    m.RoundPurpose.reduced_resources: N_("Distributing reduced resources"),
    m.RoundPurpose.reallocated_resources: N_("Reallocating existing resources"),
    m.RoundStatus.preparation: N_("In preparation"),
    m.RoundStatus.consultation: N_("Open for input"),
    m.RoundStatus.decided: N_("Decided"),
    m.RoundStatus.follow_up: N_("Being followed up"),
    m.RoundStatus.evaluated: N_("Evaluated"),
    m.MilestoneStatus.done: N_("Done"),
    m.MilestoneStatus.current: N_("Now"),
    m.MilestoneStatus.upcoming: N_("Upcoming"),
    m.MeasureType.new_need: N_("New need"),
    m.MeasureType.ambition_increase: N_("Higher ambition"),
    m.MeasureType.efficiency: N_("Efficiency"),
    m.MeasureType.rationing: N_("Rationing"),
    m.MeasureType.saving: N_("Saving"),
    m.MeasureType.investment: N_("Investment"),
    m.CostKind.one_off: N_("One-off"),
    m.CostKind.recurring: N_("Recurring"),
    m.EvidenceQuality.high: N_("High quality"),
    m.EvidenceQuality.moderate: N_("Moderate quality"),
    m.EvidenceQuality.low: N_("Low quality"),
    m.InputSource.service_users: N_("Service users"),
    m.InputSource.relatives: N_("Relatives"),
    m.InputSource.user_organisation: N_("User organisation"),
    m.InputSource.residents: N_("Residents"),
    m.InputSource.politicians: N_("Politicians"),
    m.InputSource.elderly_council: N_("Council for the elderly"),
    m.InputSource.disability_council: N_("Council for persons with disabilities"),
    m.InputSource.youth_council: N_("Youth council"),
    m.InputSource.staff: N_("Staff"),
    m.InputSource.other: N_("Other"),
    m.EvaluationDecision.continue_: N_("Continue"),
    m.EvaluationDecision.correct: N_("Correct"),
    m.EvaluationDecision.stop: N_("Stop"),
    Progress.not_measured: N_("Not measured yet"),
    Progress.target_met: N_("Target met"),
    Progress.improving: N_("Improving, target not met"),
    Progress.not_improving: N_("Not improving"),
}
