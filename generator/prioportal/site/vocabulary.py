"""Citizen-facing names of the fixed vocabulary, as msgids for the translation catalogues.

Outcome names are not here: each criteria set names its outcomes in its own words.
"""

from __future__ import annotations

from enum import Enum

from prioportal.model import decisions as m
from prioportal.analyses.followup import Progress
from prioportal.text.i18n import N_


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
    m.NeedCause.volume_demography: N_("More people need it (volume, demography)"),
    m.NeedCause.labour_shortage: N_("Shortage of staff"),
    m.NeedCause.ambition_increase: N_("Higher ambition"),
    m.NeedCause.processes_methods: N_("Processes and working methods"),
    m.NeedCause.price_increase: N_("Higher prices and costs"),
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
    m.DisqualificationRuling.disqualified: N_("Disqualified: did not take part"),
    m.DisqualificationRuling.not_disqualified: N_("Not disqualified: took part"),
    m.ContinuationStatus.ordinary_operation: N_("Now part of ordinary operation"),
    m.ContinuationStatus.completed: N_("Completed"),
    m.ContinuationStatus.stopped: N_("Stopped"),
    m.ContinuationStatus.moved: N_("Moved to another round"),
    m.Direction.higher_is_better: N_("Higher is better"),
    m.Direction.lower_is_better: N_("Lower is better"),
    Progress.not_measured: N_("Not measured yet"),
    Progress.target_met: N_("Target met"),
    Progress.improving: N_("Improving, target not met"),
    Progress.not_improving: N_("Not improving"),
    Progress.not_shown: N_("Not shown: too few persons to tell"),
}


# Names of fields in the change history of a page ("Rank: 5 → 3").
FIELD_LABELS: dict[str, str] = {
    "title": N_("Title"), "summary": N_("Summary"), "sector": N_("Sector"), "service_area": N_("Service area"),
    "target_area": N_("Target area"), "type": N_("Type"), "need_cause": N_("Why the need arises"), "focus_area": N_("Focus area"),
    "long_term_effect": N_("Effect in the longer term"), "situation": N_("Situation"),
    "current_state": N_("How things are now"), "goal": N_("The goal"), "proposal": N_("The measure"),
    "description": N_("Description"), "alternative": N_("Compared with"), "assessments": N_("Assessment"),
    "level": N_("Level"), "justification": N_("Justification"), "knowledge_base": N_("Knowledge base"),
    "quality": N_("Quality"), "url": N_("Address"), "note": N_("Note"), "costs": N_("Costs"),
    "kind": N_("Kind"), "year_1": N_("Year 1"), "year_2": N_("Year 2"), "year_3": N_("Year 3"),
    "years_4_10": N_("Each year, years 4–10"), "rank": N_("Rank"), "outcome": N_("Outcome"),
    "decision": N_("Decision"), "rationing_type": N_("Type of rationing"), "granted": N_("Granted"),
    "rationale": N_("Why this decision"), "consequences": N_("Consequences"), "affected": N_("Who is affected"),
    "mitigation": N_("What is done to soften it"), "inputs": N_("Input received"), "source": N_("From"),
    "name": N_("Name"), "date": N_("Date"), "consideration": N_("How it was considered"),
    "follow_up": N_("Follow-up"), "indicators": N_("Indicators"), "unit": N_("Unit"), "baseline": N_("Baseline"),
    "target": N_("Target"), "direction": N_("Direction"), "due": N_("Due"), "responsible": N_("Responsible"),
    "results": N_("Results"), "period": N_("Period"), "value": N_("Value"), "comment": N_("Comment"),
    "evaluation": N_("Evaluation"), "reason": N_("Reason"), "previous": N_("Previous version"),
    "review_notes": N_("Consistency review"), "round": N_("Round"), "budget_frame": N_("Budget frame"),
    "status": N_("Status"), "purpose": N_("Purpose"), "milestones": N_("Annual cycle"), "criteria": N_("Criteria"),
    "year": N_("Year"), "text": N_("Text"), "order": N_("Order"), "nav": N_("In the menu"),
    "scale": N_("Scale"), "label": N_("Label"), "question": N_("Question"), "principles": N_("Principles"),
    "rank_scale": N_("Rank scale"), "outcomes": N_("Outcomes"), "change_note": N_("Change note"),
    "introduction": N_("Introduction"), "valid_from": N_("Valid from"), "version": N_("Version"),
    "body": N_("Decided by"), "meeting_date": N_("Meeting date"), "case_number": N_("Case number"),
    "minutes_url": N_("Minutes of the meeting"), "end_date": N_("End date"), "input_deadline": N_("Deadline for input"),
    "links": N_("Links"), "indicator": N_("Indicator"), "highest": N_("Highest rank"), "lowest": N_("Lowest rank"),
    "bands": N_("Rank levels explained"), "ranks": N_("Ranks"), "meaning": N_("What it means"), "id": N_("Id"),
    "dominated": N_("Reason for the rank"), "treated_differently": N_("Reason for the different treatment"),
    "assessment_changed": N_("Reason for the changed assessment"),
    "personal_data_allowed": N_("Numbers and names allowed by the personal-data check"),
    "vote": N_("Vote"), "in_favour": N_("For"), "against": N_("Against"), "abstained": N_("Abstained"),
    "unanimous": N_("Unanimous"), "dissents": N_("Dissent"), "remarks": N_("Remarks to the minutes"),
    "who": N_("Who"), "separate_votes": N_("Separate votes"), "measure": N_("Measure"),
    "disqualifications": N_("Disqualification"), "person": N_("Person"), "role": N_("Role"),
    "ruling": N_("Ruling"), "easy_read": N_("Easy read"), "continuation": N_("What became of it"),
    "groups": N_("Affected groups"), "affected_groups": N_("Affected groups"), "counts_persons": N_("Counts persons"),
    "condition": N_("Condition"), "condition_group": N_("Condition group"), "recommendation": N_("Recommendation"),
    "service": N_("Service"),
}
# A field's name where its name alone says too little: `kind` is a cost line's kind of cost, a
# round's kind (budget or priority list), an outcome term's outcome, a statement's dissent or
# remark. Keyed by the kind of decision file (criteria, rounds, measures) or the open-data table,
# and the field's path in it (`costs.kind`; a table's column by its name). FIELD_LABELS' "kind"
# ("Kind") is the change history's and the measure page's cost table's, where it is a cost line's.
ROUND_KIND = N_("Kind of round")
COST_KIND = N_("Kind of cost")
PATH_LABELS: dict[tuple[str, str], str] = {
    ("measures", "costs.kind"): COST_KIND,
    ("costs", "kind"): COST_KIND,
    ("rounds", "kind"): ROUND_KIND,
    ("criteria", "outcomes.kind"): N_("Kind of outcome"),
    ("dissents_and_remarks", "kind"): N_("Dissent or remark"),
}
# Leaves named only at the paths PATH_LABELS names: anywhere else FIELD_LABELS' word would be wrong.
_AMBIGUOUS = frozenset(path.rsplit(".", 1)[-1] for _, path in PATH_LABELS)


def field_label(kind: str, path: str) -> str | None:
    """The name (a msgid) of the field at `path` (dotted: `costs.kind`) of a decision file of
    `kind` (criteria, rounds, measures), or of the column `path` of the open-data table `kind`;
    None where the portal has no word for it. The open-data pages, the browser editor and the
    editors' schemas all name fields with it."""
    if (kind, path) in PATH_LABELS:
        return PATH_LABELS[kind, path]
    leaf = path.rsplit(".", 1)[-1]
    return None if leaf in _AMBIGUOUS else FIELD_LABELS.get(leaf)


# The openness checklist (Helsedirektoratet's recommendation), item by item.
OPENNESS_ITEMS: dict[str, str] = {
    "criteria_published": N_("The criteria are published, and any change from the year before is explained"),
    "all_assessed": N_("Every measure is assessed on every criterion"),
    "non_funded_explained": N_("Every measure that was not fully funded has a reason and consequences"),
    "statutory_councils_heard": N_("Input is recorded from the councils for the elderly, for persons with disabilities and for young people"),
    "decision_published": N_("The decision body, meeting date and case number are published"),
    "previous_follow_up_published": N_("Results of last year's priorities are published"),
}
OPENNESS_STATUS: dict[str, str] = {
    "passed": N_("Yes"), "failed": N_("No"), "not_applicable": N_("Does not apply"),
}
