"""What the open-data folder holds: the names of its files, and the tables (one CSV file and one
worksheet each) with their columns, keys and the rows each gets from a portal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Callable

from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.vocabulary import FIELD_LABELS, N_

WORKBOOK = "decisions.xlsx"
DATAPACKAGE = "datapackage.json"
SCHEMA_KINDS = tuple(m.KIND_MODELS)  # criteria, rounds, measures
JSON_FILES = {"criteria": "criteria.json", "rounds": "rounds.json", "measures": "measures.json"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    description: str  # English, from the model where the column is a model field
    required: bool = False
    enum: tuple[str, ...] = ()
    label_key: str | None = None  # key in vocabulary.FIELD_LABELS for the translated name
    several: bool = False  # one or more values of `enum`, separated by spaces (a measure's types)
    lists_only: bool = False  # a column of priority lists, in the tables of a portal that has one (`tables_of`)


@dataclass(frozen=True)
class Table:
    name: str
    title: str  # msgid
    description: str  # msgid
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]
    rows: Callable[[Portal, Settings | None], list[dict[str, Any]]]
    # For a table whose rows each come from one measure (the first column of the key being its
    # id): the rows of one measure, given the criteria set of its round and the start of page
    # addresses. A preview keeps them while the measure object lives.
    per_measure: PerMeasure | None = None

    @property
    def csv(self) -> str:
        return f"{self.name}.csv"


def _d(model: type, name: str) -> str:
    return model.model_fields[name].description or name


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


def _col(name: str, type_: str, description: str, required: bool = False, enum: type[Enum] | None = None,
         label: str | None = None, several: bool = False, lists_only: bool = False) -> Column:
    return Column(name, type_, description, required, _values(enum) if enum else (),
                  label if label is not None else (name if name in FIELD_LABELS else None), several, lists_only)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _measure_row(x: m.Measure, cs: m.CriteriaSet | None, base: str) -> list[dict[str, Any]]:
    outcome = x.outcome
    consequences = outcome.consequences if outcome else None
    costed = not x.is_pair  # a pair of a priority list has no costs: its sums are empty, not 0
    return [{
        "id": x.id, "round": x.round, "title": _text(x.title), "summary": _text(x.summary),
        "easy_read": _text(x.easy_read),
        "condition": _text(x.condition), "condition_group": _text(x.condition_group),
        "sector": _text(x.sector), "service_area": _text(x.service_area), "target_area": _text(x.target_area),
        "focus_area": _text(x.focus_area),
        "type": " ".join(t.value for t in x.type), "need_cause": x.need_cause.value if x.need_cause else None,
        # A pair of a priority list has no situation: its condition says what it answers (measures.json).
        "situation_current_state": _text(x.situation.current_state) if x.situation else None,
        "situation_goal": _text(x.situation.goal) if x.situation else None,
        "proposal_description": _text(x.proposal.description),
        "proposal_alternative": _text(x.proposal.alternative),
        "long_term_effect": _text(x.long_term_effect), "rank": x.rank, "recommendation": x.recommendation,
        "outcome": outcome.decision.value if outcome else None,
        "rationing_type": outcome.rationing_type.value if outcome and outcome.rationing_type else None,
        "granted": x.granted if outcome else None,
        "rationale": _text(outcome.rationale) if outcome else None,
        "consequences_affected": _text(consequences.affected) if consequences else None,
        "consequences_description": _text(consequences.description) if consequences else None,
        "consequences_mitigation": _text(consequences.mitigation) if consequences else None,
        "consequences_groups": " ".join(consequences.groups) if consequences and consequences.groups else None,
        "cost_year_1": sum(c.year_1 for c in x.costs) if costed else None,
        "cost_year_2": sum(c.year_2 for c in x.costs) if costed else None,
        "cost_year_3": sum(c.year_3 for c in x.costs) if costed else None,
        "cost_years_4_10": sum(c.years_4_10 for c in x.costs) if costed else None,
        "previous": x.previous, "former_ids": " ".join(getattr(x, "former_ids", ())) or None,
        "continuation": x.continuation.status.value if x.continuation else None,
        "continuation_round": x.continuation.round if x.continuation else None,
        "continuation_note": _text(x.continuation.note) if x.continuation else None,
        "url": base + urls.measure(x.id),
    }]


def _measure_assessments(x: m.Measure, cs: m.CriteriaSet | None, base: str) -> list[dict[str, Any]]:
    if cs is None:
        raise KeyError(x.round)  # as the lookup of its round's criteria does without a cache
    rows = []
    for criterion in cs.criteria:
        assessment = x.assessments.get(criterion.id)
        if assessment is None:
            continue
        # The first level with the id, as criterion.level finds it; its position by enumerating
        # rather than scale.index, which compares pydantic models field by field.
        position, level = next(((n, lvl) for n, lvl in enumerate(criterion.scale, 1) if lvl.id == assessment.level),
                               (None, None))
        rows.append({
            "measure": x.id, "round": x.round, "criteria_set": cs.id, "criterion": criterion.id,
            "level": assessment.level, "level_label": _text(level.label) if level else None,
            "level_position": position,
            "scale_size": len(criterion.scale), "justification": _text(assessment.justification),
        })
    return rows


def _measure_costs(x: m.Measure, cs: m.CriteriaSet | None, base: str) -> list[dict[str, Any]]:
    return [{"measure": x.id, "line": n, "description": _text(line.description), "kind": line.kind.value,
             "year_1": line.year_1, "year_2": line.year_2, "year_3": line.year_3, "years_4_10": line.years_4_10}
            for n, line in enumerate(x.costs, 1)]


PerMeasure = Callable[[m.Measure, m.CriteriaSet | None, str], list[dict[str, Any]]]


def url_base(settings: Settings | None) -> str:
    """What goes before a page's address (`urls`) in the tables: site_url, else nothing, the
    address then being relative to the site root. Put in front once per table, rather than
    made absolute for each of ten thousand measures."""
    return urls.absolute(settings.site_url if settings is not None else None, urls.home())


def criteria_of_measures(portal: Portal) -> Callable[[m.Measure], m.CriteriaSet | None]:
    """The criteria set a measure is assessed by (that of its round), None where there is none."""
    criteria = {c.id: c for c in portal.criteria_sets}
    rounds = {r.id: r for r in portal.rounds}

    def of(x: m.Measure) -> m.CriteriaSet | None:
        r = rounds.get(x.round)
        return criteria.get(r.criteria) if r is not None else None
    return of


def _each_measure(make: PerMeasure) -> Callable[[Portal, Settings | None], list[dict[str, Any]]]:
    def rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
        base, criteria_of = url_base(settings), criteria_of_measures(portal)
        return [row for x in sorted(portal.measures, key=lambda x: x.id) for row in make(x, criteria_of(x), base)]
    return rows


_measure_rows = _each_measure(_measure_row)
_assessment_rows = _each_measure(_measure_assessments)
_cost_rows = _each_measure(_measure_costs)


def _round_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    rows = []
    for r in sorted(portal.rounds, key=lambda r: r.id):
        d = r.decision
        rows.append({
            "id": r.id, "year": r.year, "title": _text(r.title), "kind": r.kind.value, "service": _text(r.service),
            "purpose": r.purpose.value if r.purpose else None, "criteria": r.criteria,
            "budget_frame": r.budget_frame, "status": r.status.value, "summary": _text(r.summary),
            "previous": r.previous, "change_note": _text(r.change_note), "decision_body": _text(d.body) if d else None,
            "decision_meeting_date": d.meeting_date if d else None,
            "decision_case_number": _text(d.case_number) if d else None,
            "decision_minutes_url": d.minutes_url if d else None,
            "decision_in_favour": d.vote.in_favour if d and d.vote else None,
            "decision_against": d.vote.against if d and d.vote else None,
            "decision_abstained": d.vote.abstained if d and d.vote else None,
            "decision_unanimous": d.vote.unanimous if d and d.vote else None,
            "url": url_base(settings) + urls.round(r.id),
        })
    return rows


# Who decided, and whether they were impartial: the votes, dissent and remarks to the minutes, and
# declarations of disqualification of each round's decision record.

def _records(portal: Portal) -> list[tuple[m.Round, m.DecisionRecord]]:
    return [(r, r.decision) for r in sorted(portal.rounds, key=lambda r: r.id) if r.decision is not None]


def _separate_vote_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    return [{"round": r.id, "measure": v.measure, "in_favour": v.in_favour, "against": v.against,
             "abstained": v.abstained, "unanimous": v.unanimous}
            for r, d in _records(portal) for v in d.separate_votes]


STATEMENT_KINDS = ("dissent", "remark")


def _statement_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    rows = []
    for r, d in _records(portal):
        said = [(None, "dissent", s) for s in d.dissents] + [(None, "remark", s) for s in d.remarks]
        said += [(v.measure, kind, s) for v in d.separate_votes
                 for kind, statements in (("dissent", v.dissents), ("remark", v.remarks)) for s in statements]
        rows += [{"round": r.id, "position": n, "measure": measure, "kind": kind, "who": _text(s.who),
                  "text": _text(s.text)} for n, (measure, kind, s) in enumerate(said, 1)]
    return rows


def _disqualification_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    return [{"round": r.id, "position": n, "person": _text(q.person), "role": _text(q.role), "measure": q.measure,
             "ruling": q.ruling.value, "reason": _text(q.reason)}
            for r, d in _records(portal) for n, q in enumerate(d.disqualifications, 1)]


def _milestone_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    rows = []
    for r in sorted(portal.rounds, key=lambda r: r.id):
        for n, ms in enumerate(r.milestones, 1):
            rows.append({"round": r.id, "position": n, "title": _text(ms.title), "date": ms.date,
                         "end_date": ms.end_date, "status": ms.status.value, "input_deadline": ms.input_deadline,
                         "description": _text(ms.description)})
    return rows


def _criteria_set_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    return [{"id": cs.id, "title": _text(cs.title), "version": cs.version, "valid_from": cs.valid_from,
             "previous": cs.previous, "change_note": _text(cs.change_note),
             "url": url_base(settings) + urls.criteria(cs.id)}
            for cs in sorted(portal.criteria_sets, key=lambda c: c.id)]


def _criterion_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    rows = []
    for cs in sorted(portal.criteria_sets, key=lambda c: c.id):
        for n, c in enumerate(cs.criteria, 1):
            rows.append({"criteria_set": cs.id, "criterion": c.id, "position": n, "name": _text(c.name),
                         "question": _text(c.question), "description": _text(c.description)})
    return rows


def _level_rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
    rows = []
    for cs in sorted(portal.criteria_sets, key=lambda c: c.id):
        for c in cs.criteria:
            for n, level in enumerate(c.scale, 1):
                rows.append({"criteria_set": cs.id, "criterion": c.id, "level": level.id, "position": n,
                             "label": _text(level.label), "description": _text(level.description)})
    return rows


M, R, CS = m.Measure, m.Round, m.CriteriaSet
_ROUNDS_DESCRIPTION = N_("One row per budget round: its purpose, budget frame, status and decision.")
# Shorter than the model's descriptions, where those say more than a column needs: the page
# that documents the columns keeps to the page-weight budget (tests/test_reads_right.py).
_ROUNDS_WITH_LISTS = N_("One row per round or priority list: what it is, its status and decision.")
_URL = N_("Address of the page on this portal")

# Every table with every column; a portal publishes `tables_of(portal)`.
_EVERY_COLUMN: tuple[Table, ...] = (
    Table("measures", N_("Measures"), N_("One row per measure (tiltak): what it is, how it was ranked and what was decided."), (
        _col("id", "string", _d(M, "id"), True),
        _col("round", "string", _d(M, "round"), True),
        _col("title", "string", _d(M, "title"), True),
        _col("summary", "string", _d(M, "summary"), True),
        _col("easy_read", "string", _d(M, "easy_read")),
        _col("condition", "string", N_("For a pair of a priority list: the condition the measure is for"), lists_only=True),
        _col("condition_group", "string", N_("The group of conditions the pair belongs to"), lists_only=True),
        _col("sector", "string", _d(M, "sector"), True),
        _col("service_area", "string", _d(M, "service_area"), True),
        _col("target_area", "string", _d(M, "target_area")),
        _col("focus_area", "string", _d(M, "focus_area")),
        _col("type", "string", N_("What kind of measure it is, e.g. new_need; a measure of several types has "
                                  "each, separated by spaces, e.g. efficiency rationing"), True, m.MeasureType,
             several=True),
        _col("need_cause", "string", _d(M, "need_cause"), False, m.NeedCause),
        _col("situation_current_state", "string", _d(m.Situation, "current_state"), True, label="current_state"),
        _col("situation_goal", "string", _d(m.Situation, "goal"), True, label="goal"),
        _col("proposal_description", "string", _d(m.Proposal, "description"), True, label="proposal"),
        _col("proposal_alternative", "string", _d(m.Proposal, "alternative"), True, label="alternative"),
        _col("long_term_effect", "string", _d(M, "long_term_effect")),
        _col("rank", "integer", _d(M, "rank")),
        _col("recommendation", "string", N_("Id of the recommendation a pair has instead of a rank"), lists_only=True),
        _col("outcome", "string", _d(m.Outcome, "decision"), False, m.OutcomeKind),
        _col("rationing_type", "string", _d(m.Outcome, "rationing_type"), False, m.RationingType),
        _col("granted", "integer", N_("Amount granted in year 1, in kroner (the cost in year 1 when fully funded)")),
        _col("rationale", "string", _d(m.Outcome, "rationale")),
        _col("consequences_affected", "string", _d(m.Consequences, "affected"), label="affected"),
        _col("consequences_description", "string", _d(m.Consequences, "description"), label="consequences"),
        _col("consequences_mitigation", "string", _d(m.Consequences, "mitigation"), label="mitigation"),
        _col("consequences_groups", "string", N_("Ids of the affected groups, separated by spaces"), label="groups"),
        _col("cost_year_1", "integer", N_("Cost in year 1, in kroner, all cost lines added up"), label="year_1"),
        _col("cost_year_2", "integer", N_("Cost in year 2, in kroner, all cost lines added up"), label="year_2"),
        _col("cost_year_3", "integer", N_("Cost in year 3, in kroner, all cost lines added up"), label="year_3"),
        _col("cost_years_4_10", "integer", N_("Cost per year in years 4 to 10, in kroner, all cost lines added up"),
             label="years_4_10"),
        _col("previous", "string", _d(M, "previous")),
        _col("former_ids", "string", N_("Ids this measure had before, separated by spaces; their addresses lead here")),
        _col("continuation", "string", _d(m.Continuation, "status"), False, m.ContinuationStatus),
        _col("continuation_round", "string", _d(m.Continuation, "round")),
        _col("continuation_note", "string", _d(m.Continuation, "note")),
        _col("url", "string", _URL, True, label="url"),
    ), ("id",), ((("round",), "rounds", ("id",)),), _measure_rows, _measure_row),
    Table("assessments", N_("Assessments"), N_("One row per measure and criterion: the level on the criterion's scale, and why."), (
        _col("measure", "string", N_("Id of the measure"), True),
        _col("round", "string", _d(M, "round"), True),
        _col("criteria_set", "string", _d(R, "criteria"), True, label="criteria"),
        _col("criterion", "string", N_("Id of the criterion"), True),
        _col("level", "string", _d(m.Assessment, "level"), True),
        _col("level_label", "string", _d(m.ScaleLevel, "label"), label="label"),
        _col("level_position", "integer", N_("Position of the level on the scale, 1 = the level that speaks most for giving a measure priority")),
        _col("scale_size", "integer", N_("How many levels the scale has")),
        _col("justification", "string", _d(m.Assessment, "justification"), True),
    ), ("measure", "criterion"), ((("measure",), "measures", ("id",)),
                                  (("criteria_set", "criterion"), "criteria", ("criteria_set", "criterion"))),
        _assessment_rows, _measure_assessments),
    Table("costs", N_("Costs"), N_("One row per cost line of a measure, in kroner."), (
        _col("measure", "string", N_("Id of the measure"), True),
        _col("line", "integer", N_("Number of the cost line within the measure, from 1"), True),
        _col("description", "string", _d(m.CostLine, "description"), True),
        _col("kind", "string", _d(m.CostLine, "kind"), True, m.CostKind),
        _col("year_1", "integer", _d(m.CostLine, "year_1"), True),
        _col("year_2", "integer", _d(m.CostLine, "year_2"), True),
        _col("year_3", "integer", _d(m.CostLine, "year_3"), True),
        _col("years_4_10", "integer", _d(m.CostLine, "years_4_10"), True),
    ), ("measure", "line"), ((("measure",), "measures", ("id",)),), _cost_rows, _measure_costs),
    Table("rounds", N_("Rounds"), _ROUNDS_DESCRIPTION, (
        _col("id", "string", _d(R, "id"), True),
        _col("year", "integer", _d(R, "year"), True),
        _col("title", "string", _d(R, "title"), True),
        _col("kind", "string", N_("A budget round or a priority list"), True, m.RoundKind, lists_only=True),
        _col("service", "string", _d(R, "service"), lists_only=True),
        _col("purpose", "string", _d(R, "purpose"), True, m.RoundPurpose),
        _col("criteria", "string", _d(R, "criteria"), True),
        _col("budget_frame", "integer", _d(R, "budget_frame"), True),
        _col("status", "string", _d(R, "status"), True, m.RoundStatus),
        _col("summary", "string", _d(R, "summary"), True),
        _col("previous", "string", _d(R, "previous")),
        _col("change_note", "string", N_("For a revised priority list: what changed, and why"), lists_only=True),
        _col("decision_body", "string", _d(m.DecisionRecord, "body"), label="body"),
        _col("decision_meeting_date", "date", _d(m.DecisionRecord, "meeting_date"), label="meeting_date"),
        _col("decision_case_number", "string", _d(m.DecisionRecord, "case_number"), label="case_number"),
        _col("decision_minutes_url", "string", _d(m.DecisionRecord, "minutes_url"), label="minutes_url"),
        _col("decision_in_favour", "integer", N_("How many voted for the decision as a whole"), label="in_favour"),
        _col("decision_against", "integer", N_("How many voted against the decision as a whole"), label="against"),
        _col("decision_abstained", "integer", N_("How many abstained on the decision as a whole"), label="abstained"),
        _col("decision_unanimous", "boolean", N_("Whether the decision as a whole was unanimous"), label="unanimous"),
        _col("url", "string", _URL, True, label="url"),
    ), ("id",), ((("criteria",), "criteria_sets", ("id",)),), _round_rows),
    Table("separate_votes", N_("Separate votes"), N_("One row per measure the decision-makers voted on separately."), (
        _col("round", "string", _d(M, "round"), True),
        _col("measure", "string", _d(m.MeasureVote, "measure"), True),
        _col("in_favour", "integer", _d(m.Vote, "in_favour")),
        _col("against", "integer", _d(m.Vote, "against")),
        _col("abstained", "integer", _d(m.Vote, "abstained")),
        _col("unanimous", "boolean", _d(m.Vote, "unanimous"), True),
    ), ("round", "measure"), ((("round",), "rounds", ("id",)), (("measure",), "measures", ("id",))),
        _separate_vote_rows),
    Table("dissents_and_remarks", N_("Dissent and remarks to the minutes"),
          N_("One row per dissent (dissens, reservation) or remark to the minutes (protokolltilførsel, "
             "protokollsanteckning), on a round's decision as a whole or on a measure voted on separately."), (
        _col("round", "string", _d(M, "round"), True),
        _col("position", "integer", N_("Position of the entry in the round's decision record, from 1"), True),
        _col("measure", "string", N_("Id of the measure voted on separately; empty for the decision as a whole")),
        Column("kind", "string", N_("dissent or remark (to the minutes)"), True, STATEMENT_KINDS, "kind"),
        _col("who", "string", _d(m.Statement, "who"), True),
        _col("text", "string", _d(m.Statement, "text"), True),
    ), ("round", "position"), ((("round",), "rounds", ("id",)),), _statement_rows),
    Table("disqualifications", N_("Disqualification"),
          N_("One row per declaration of interest or disqualification (inhabilitet, jäv) of a decision-maker, and "
             "what the decision-makers ruled."), (
        _col("round", "string", _d(M, "round"), True),
        _col("position", "integer", N_("Position of the declaration in the round's decision record, from 1"), True),
        _col("person", "string", _d(m.Disqualification, "person"), True),
        _col("role", "string", _d(m.Disqualification, "role")),
        _col("measure", "string", _d(m.Disqualification, "measure")),
        _col("ruling", "string", _d(m.Disqualification, "ruling"), True, m.DisqualificationRuling),
        _col("reason", "string", _d(m.Disqualification, "reason"), True),
    ), ("round", "position"), ((("round",), "rounds", ("id",)),), _disqualification_rows),
    Table("milestones", N_("Annual cycle"), N_("One row per milestone of a round's annual cycle, with the deadlines for input."), (
        _col("round", "string", _d(M, "round"), True),
        _col("position", "integer", N_("Position of the milestone in the round's annual cycle, from 1"), True),
        _col("title", "string", _d(m.Milestone, "title"), True),
        _col("date", "date", _d(m.Milestone, "date"), True),
        _col("end_date", "date", _d(m.Milestone, "end_date")),
        _col("status", "string", _d(m.Milestone, "status"), True, m.MilestoneStatus),
        _col("input_deadline", "boolean", _d(m.Milestone, "input_deadline"), True),
        _col("description", "string", _d(m.Milestone, "description")),
    ), ("round", "position"), ((("round",), "rounds", ("id",)),), _milestone_rows),
    Table("criteria_sets", N_("Criteria versions"), N_("One row per version of the criteria."), (
        _col("id", "string", _d(CS, "id"), True),
        _col("title", "string", _d(CS, "title"), True),
        _col("version", "integer", _d(CS, "version"), True),
        _col("valid_from", "date", _d(CS, "valid_from"), True),
        _col("previous", "string", _d(CS, "previous")),
        _col("change_note", "string", _d(CS, "change_note")),
        _col("url", "string", _URL, True, label="url"),
    ), ("id",), (), _criteria_set_rows),
    Table("criteria", N_("Criteria"), N_("One row per criterion in each version of the criteria."), (
        _col("criteria_set", "string", _d(R, "criteria"), True, label="criteria"),
        _col("criterion", "string", _d(m.Criterion, "id"), True),
        _col("position", "integer", N_("Position of the criterion in its version, from 1"), True),
        _col("name", "string", _d(m.Criterion, "name"), True),
        _col("question", "string", _d(m.Criterion, "question"), True),
        _col("description", "string", _d(m.Criterion, "description"), True),
    ), ("criteria_set", "criterion"), ((("criteria_set",), "criteria_sets", ("id",)),), _criterion_rows),
    Table("scale_levels", N_("Scale levels"), N_("One row per level of each criterion's scale, from the level that speaks most for giving a measure priority to the one that speaks least."), (
        _col("criteria_set", "string", _d(R, "criteria"), True, label="criteria"),
        _col("criterion", "string", _d(m.Criterion, "id"), True),
        _col("level", "string", _d(m.ScaleLevel, "id"), True),
        _col("position", "integer", N_("Position of the level on the scale, 1 = the level that speaks most for giving a measure priority"), True),
        _col("label", "string", _d(m.ScaleLevel, "label"), True),
        _col("description", "string", _d(m.ScaleLevel, "description"), True),
    ), ("criteria_set", "criterion", "level"), ((("criteria_set", "criterion"), "criteria", ("criteria_set", "criterion")),),
        _level_rows),
)

# The columns a priority list (`model.decisions.NOT_FOR_PRIORITY_LISTS`) or a pair of one
# (`NOT_FOR_PAIRS`) does without, by table: required of a budget portal's rows only. A field with
# parts (situation) stands for its columns (situation_current_state, situation_goal).
_DONE_WITHOUT_ON_LISTS = {"measures": m.NOT_FOR_PAIRS, "rounds": m.NOT_FOR_PRIORITY_LISTS}


def _without_list_columns(table: Table) -> Table:
    return replace(table, columns=tuple(c for c in table.columns if not c.lists_only))


def _with_list_columns(table: Table) -> Table:
    done_without = _DONE_WITHOUT_ON_LISTS.get(table.name, ())

    def optional(name: str) -> bool:
        return any(name == field or name.startswith(field + "_") for field in done_without)

    return replace(table, description=_ROUNDS_WITH_LISTS if table.name == "rounds" else table.description,
                   columns=tuple(replace(c, required=False) if c.required and optional(c.name) else c
                                 for c in table.columns))


# The tables of a portal of budget rounds only: no column of priority lists, so that its files
# read as they did before lists existed.
TABLES: tuple[Table, ...] = tuple(_without_list_columns(t) for t in _EVERY_COLUMN)
# The tables of a portal with a priority list: the lists' columns (a pair's condition, condition
# group and recommendation; a round's kind, service and change note) besides, and what a list
# or a pair does without not required, so that each row meets its table's schema.
TABLES_WITH_LISTS: tuple[Table, ...] = tuple(_with_list_columns(t) for t in _EVERY_COLUMN)


def tables_of(portal: Portal | None) -> tuple[Table, ...]:
    """The tables `portal` publishes: TABLES_WITH_LISTS when it has a priority list, else TABLES."""
    if portal is not None and any(r.is_priority_list for r in portal.rounds):
        return TABLES_WITH_LISTS
    return TABLES
