"""Open data: every build publishes the measures, rounds and criteria as CSV, JSON and an .xlsx
workbook in `open-data/`, described by a Frictionless Data Package (`datapackage.json` with a
table schema per CSV file), with the JSON Schemas of the YAML files beside them.

Everything here is deterministic: rows are sorted by their key, columns come in a fixed order,
and nothing reads the clock. The workbook's document dates and the timestamps of its zip
entries are set from the newest commit of the decisions (without git: SOURCE_DATE_EPOCH, or
else the newest date in the decisions themselves), so two builds of one commit give the same
bytes.

`frictionless` is not used here (it pulls in about 40 packages); the tests validate the
package with it. The workbook is written directly as Office Open XML: openpyxl takes tens of
seconds for a portal of thousands of measures, and stamps the clock into the file.

A preview writes these files again after every save, with a `RowCache` it keeps between builds:
the rows of a measure are made and written out once while the measure object lives. The bytes
are always those of a build without a cache.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable

from prioportal.model import decisions as m
from prioportal.sources.git_history import History, Unavailable
from prioportal.text.i18n import Translator
from prioportal.build.output import write_files
from prioportal.checks.portal import Portal
from prioportal.build.reuse import LastBuild, cached
from prioportal.model.schema import SCHEMA_DIR, schema_for
from prioportal.tools.spreadsheet import column_letter
from prioportal.settings import Settings, resolve_licence
from prioportal.site.vocabulary import FIELD_LABELS, N_
from prioportal.exports.zipped import Deflated, deflate, zip_archive

FOLDER = "open-data"
WORKBOOK = "decisions.xlsx"
DATAPACKAGE = "datapackage.json"
SCHEMA_KINDS = tuple(m.KIND_MODELS)  # criteria, rounds, measures
JSON_FILES = {"criteria": "criteria.json", "rounds": "rounds.json", "measures": "measures.json"}
XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_EARLIEST_ZIP = datetime(1980, 1, 1, tzinfo=timezone.utc)  # zip dates start in 1980


# --- The tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    description: str  # English, from the model where the column is a model field
    required: bool = False
    enum: tuple[str, ...] = ()
    label_key: str | None = None  # key in vocabulary.FIELD_LABELS for the translated name
    several: bool = False  # one or more values of `enum`, separated by spaces (a measure's types)


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
         label: str | None = None, several: bool = False) -> Column:
    return Column(name, type_, description, required, _values(enum) if enum else (),
                  label if label is not None else (name if name in FIELD_LABELS else None), several)


def page_url(settings: Settings | None, relative: str) -> str:
    """The address of a page: absolute with site_url, else relative to the site root."""
    if settings is not None and settings.site_url:
        return settings.site_url.rstrip("/") + "/" + relative
    return relative


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _measure_row(x: m.Measure, cs: m.CriteriaSet | None, base: str) -> list[dict[str, Any]]:
    outcome = x.outcome
    consequences = outcome.consequences if outcome else None
    return [{
        "id": x.id, "round": x.round, "title": _text(x.title), "summary": _text(x.summary),
        "sector": _text(x.sector), "service_area": _text(x.service_area), "target_area": _text(x.target_area),
        "focus_area": _text(x.focus_area),
        "type": " ".join(t.value for t in x.type), "need_cause": x.need_cause.value if x.need_cause else None,
        "situation_current_state": _text(x.situation.current_state), "situation_goal": _text(x.situation.goal),
        "proposal_description": _text(x.proposal.description),
        "proposal_alternative": _text(x.proposal.alternative),
        "long_term_effect": _text(x.long_term_effect), "rank": x.rank,
        "outcome": outcome.decision.value if outcome else None,
        "rationing_type": outcome.rationing_type.value if outcome and outcome.rationing_type else None,
        "granted": x.granted if outcome else None,
        "rationale": _text(outcome.rationale) if outcome else None,
        "consequences_affected": _text(consequences.affected) if consequences else None,
        "consequences_description": _text(consequences.description) if consequences else None,
        "consequences_mitigation": _text(consequences.mitigation) if consequences else None,
        "cost_year_1": sum(c.year_1 for c in x.costs), "cost_year_2": sum(c.year_2 for c in x.costs),
        "cost_year_3": sum(c.year_3 for c in x.costs), "cost_years_4_10": sum(c.years_4_10 for c in x.costs),
        "previous": x.previous, "former_ids": " ".join(getattr(x, "former_ids", ())) or None,
        "url": base + f"measures/{x.id}/",
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


def _url_base(settings: Settings | None) -> str:
    """What page_url puts before a relative address."""
    return page_url(settings, "")


def _criteria_of(portal: Portal) -> Callable[[m.Measure], m.CriteriaSet | None]:
    """The criteria set a measure is assessed by (that of its round), None where there is none."""
    criteria = {c.id: c for c in portal.criteria_sets}
    rounds = {r.id: r for r in portal.rounds}

    def of(x: m.Measure) -> m.CriteriaSet | None:
        r = rounds.get(x.round)
        return criteria.get(r.criteria) if r is not None else None
    return of


def _each_measure(make: PerMeasure) -> Callable[[Portal, Settings | None], list[dict[str, Any]]]:
    def rows(portal: Portal, settings: Settings | None) -> list[dict[str, Any]]:
        base, criteria_of = _url_base(settings), _criteria_of(portal)
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
            "id": r.id, "year": r.year, "title": _text(r.title), "purpose": r.purpose.value, "criteria": r.criteria,
            "budget_frame": r.budget_frame, "status": r.status.value, "summary": _text(r.summary),
            "previous": r.previous, "decision_body": _text(d.body) if d else None,
            "decision_meeting_date": d.meeting_date if d else None,
            "decision_case_number": _text(d.case_number) if d else None,
            "decision_minutes_url": d.minutes_url if d else None,
            "url": page_url(settings, f"rounds/{r.id}/"),
        })
    return rows


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
             "url": page_url(settings, f"criteria/{cs.id}/")}
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
_URL = N_("Address of the page on this portal")

TABLES: tuple[Table, ...] = (
    Table("measures", N_("Measures"), N_("One row per measure (tiltak): what it is, how it was ranked and what was decided."), (
        _col("id", "string", _d(M, "id"), True),
        _col("round", "string", _d(M, "round"), True),
        _col("title", "string", _d(M, "title"), True),
        _col("summary", "string", _d(M, "summary"), True),
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
        _col("outcome", "string", _d(m.Outcome, "decision"), False, m.OutcomeKind),
        _col("rationing_type", "string", _d(m.Outcome, "rationing_type"), False, m.RationingType),
        _col("granted", "integer", N_("Amount granted in year 1, in kroner (the cost in year 1 when fully funded)")),
        _col("rationale", "string", _d(m.Outcome, "rationale")),
        _col("consequences_affected", "string", _d(m.Consequences, "affected"), label="affected"),
        _col("consequences_description", "string", _d(m.Consequences, "description"), label="consequences"),
        _col("consequences_mitigation", "string", _d(m.Consequences, "mitigation"), label="mitigation"),
        _col("cost_year_1", "integer", N_("Cost in year 1, in kroner, all cost lines added up"), label="year_1"),
        _col("cost_year_2", "integer", N_("Cost in year 2, in kroner, all cost lines added up"), label="year_2"),
        _col("cost_year_3", "integer", N_("Cost in year 3, in kroner, all cost lines added up"), label="year_3"),
        _col("cost_years_4_10", "integer", N_("Cost per year in years 4 to 10, in kroner, all cost lines added up"),
             label="years_4_10"),
        _col("previous", "string", _d(M, "previous")),
        _col("former_ids", "string", N_("Ids this measure had before, separated by spaces; their addresses lead here")),
        _col("url", "string", _URL, True, label="url"),
    ), ("id",), ((("round",), "rounds", ("id",)),), _measure_rows, _measure_row),
    Table("assessments", N_("Assessments"), N_("One row per measure and criterion: the level on the criterion's scale, and why."), (
        _col("measure", "string", N_("Id of the measure"), True),
        _col("round", "string", _d(M, "round"), True),
        _col("criteria_set", "string", _d(R, "criteria"), True, label="criteria"),
        _col("criterion", "string", N_("Id of the criterion"), True),
        _col("level", "string", _d(m.Assessment, "level"), True),
        _col("level_label", "string", _d(m.ScaleLevel, "label"), label="label"),
        _col("level_position", "integer", N_("Position of the level on the scale, 1 = the highest level")),
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
    Table("rounds", N_("Rounds"), N_("One row per budget round: its purpose, budget frame, status and decision."), (
        _col("id", "string", _d(R, "id"), True),
        _col("year", "integer", _d(R, "year"), True),
        _col("title", "string", _d(R, "title"), True),
        _col("purpose", "string", _d(R, "purpose"), True, m.RoundPurpose),
        _col("criteria", "string", _d(R, "criteria"), True),
        _col("budget_frame", "integer", _d(R, "budget_frame"), True),
        _col("status", "string", _d(R, "status"), True, m.RoundStatus),
        _col("summary", "string", _d(R, "summary"), True),
        _col("previous", "string", _d(R, "previous")),
        _col("decision_body", "string", _d(m.DecisionRecord, "body"), label="body"),
        _col("decision_meeting_date", "date", _d(m.DecisionRecord, "meeting_date"), label="meeting_date"),
        _col("decision_case_number", "string", _d(m.DecisionRecord, "case_number"), label="case_number"),
        _col("decision_minutes_url", "string", _d(m.DecisionRecord, "minutes_url"), label="minutes_url"),
        _col("url", "string", _URL, True, label="url"),
    ), ("id",), ((("criteria",), "criteria_sets", ("id",)),), _round_rows),
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
    Table("scale_levels", N_("Scale levels"), N_("One row per level of each criterion's scale, from the highest level to the lowest."), (
        _col("criteria_set", "string", _d(R, "criteria"), True, label="criteria"),
        _col("criterion", "string", _d(m.Criterion, "id"), True),
        _col("level", "string", _d(m.ScaleLevel, "id"), True),
        _col("position", "integer", N_("Position of the level on the scale, 1 = the highest level"), True),
        _col("label", "string", _d(m.ScaleLevel, "label"), True),
        _col("description", "string", _d(m.ScaleLevel, "description"), True),
    ), ("criteria_set", "criterion", "level"), ((("criteria_set", "criterion"), "criteria", ("criteria_set", "criterion")),),
        _level_rows),
)


def table_rows(table: Table, portal: Portal, settings: Settings | None = None,
               cache: RowCache | None = None) -> list[list[Any]]:
    """The rows of `table` as lists in column order, sorted by the primary key. With a `cache`,
    the rows of a measure are made once while the measure object lives."""
    return [row for block in _blocks(table, portal, settings, cache) for row in block.rows]


def _sort_key(table: Table) -> Callable[[list[Any]], tuple]:
    keys = [table.columns.index(next(c for c in table.columns if c.name == k)) for k in table.primary_key]
    return lambda r: tuple((0, v) if isinstance(v, int) else (1, str(v)) for v in (r[i] for i in keys))


def _as_lists(table: Table, rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[row[c.name] for c in table.columns] for row in rows]


class _OneMeasure:
    """What one measure gives the tables of measures: a block of rows per table (tables are told
    apart by their names), made when first asked for. A preview caches it by the identity of the
    measure and of its criteria set, which it keeps, so that their ids are not reused while it
    lives; the rows depend on nothing else but the start of the page addresses."""

    __slots__ = ("measure", "criteria", "base", "blocks")

    def __init__(self, measure: m.Measure, criteria: m.CriteriaSet | None, base: str):
        self.measure = measure
        self.criteria = criteria
        self.base = base
        self.blocks: dict[str, _Block] = {}

    def block(self, table: Table, key: Callable[[list[Any]], tuple], keep: bool) -> _Block:
        """The measure's rows of `table`; with `keep` (a preview), kept for the next build."""
        found = self.blocks.get(table.name)
        if found is None:
            assert table.per_measure is not None
            rows = table.per_measure(self.measure, self.criteria, self.base)
            found = _Block(sorted(_as_lists(table, rows), key=key))
            if keep:
                self.blocks[table.name] = found
        return found


@dataclass(frozen=True)
class _Measures:
    """The measures in the order of their ids, each with what it gives the tables of measures."""

    each: list[_OneMeasure]
    distinct: bool  # whether the ids are distinct strings, so each measure's rows can be sorted on their own

    @staticmethod
    def of(portal: Portal, settings: Settings | None, cache: RowCache | None) -> _Measures:
        ordered = sorted(portal.measures, key=lambda x: x.id)
        ids = [x.id for x in ordered]
        distinct = all(type(i) is str for i in ids) and all(a < b for a, b in zip(ids, ids[1:]))
        criteria_of = _criteria_of(portal)
        base = _url_base(settings)

        def one(x: m.Measure) -> _OneMeasure:
            cs = criteria_of(x)
            return cached(cache, ("measure", id(x), id(cs), base), lambda: _OneMeasure(x, cs, base))

        return _Measures([one(x) for x in ordered], distinct)


def _blocks(table: Table, portal: Portal, settings: Settings | None, cache: RowCache | None,
            measures: _Measures | None = None) -> list[_Block]:
    """The rows of `table` in blocks whose concatenation is sorted by the primary key: one block
    per measure for a table of measures, else one block."""
    key = _sort_key(table)
    if table.per_measure is not None:
        measures = measures or _Measures.of(portal, settings, cache)
        if measures.distinct:
            # The key's first column is the measure's id and the ids rise strictly from block to
            # block, so sorting each measure's rows gives the order a sort of all of them would
            # (a stable sort of rows in this order).
            return [one.block(table, key, keep=cache is not None) for one in measures.each]
    return [_Block(sorted(_as_lists(table, table.rows(portal, settings)), key=key), cache=cache)]


# --- Writing ----------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


class RowCache(LastBuild):
    """Rows of the open-data files as written in the last build, for a preview that writes the
    files again after every save: only rows that changed are formatted again. Rows are keyed by
    their values (each column holds values of one type, so 1 and True never meet in one place;
    a worksheet row also by its number, which its cells name), records of the JSON files by the
    object they were dumped from, the rows of a measure (with their CSV and worksheet text) by
    the measure object, the workbook's compressed chunks by the rows they hold (see zipped.py)."""


def _csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    """RFC 4180 CSV (comma, CRLF, UTF-8 without BOM), as the Table Schema's default dialect."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([v if type(v) is str else _csv_value(v) for v in row]
                                                      for row in rows)
    return buf.getvalue()


def _csv_line(row: tuple) -> str:
    return _csv_lines([row])


class _Block:
    """Rows of a table sorted by its key, to be written one after another: those of one measure
    (kept while the measure lives, see _OneMeasure), or all of a small table. It keeps what its
    rows were written as: the worksheet text for the row number it last started at."""

    __slots__ = ("rows", "cache", "_csv", "_xlsx")

    def __init__(self, rows: list[list[Any]], cache: RowCache | None = None):
        self.rows = rows
        self.cache = cache  # for the rows one by one, where the block itself is not kept
        self._csv: bytes | None = None
        self._xlsx: tuple[int, bool, bytes, list[int]] | None = None

    def csv(self) -> bytes:
        if self._csv is None:
            if self.cache is None:
                text = _csv_lines(self.rows)
            else:
                text = "".join(cached(self.cache, ("csv", values), lambda values=values: _csv_line(values))
                               for values in map(tuple, self.rows))
            self._csv = text.encode("utf-8")
        return self._csv

    def xlsx(self, start: int, wrap: bool) -> tuple[bytes, list[int]]:
        """The worksheet rows from row number `start`, and the width each column asks for."""
        if self._xlsx is None or self._xlsx[:2] != (start, wrap):
            parts = []
            widths: list[int] = []
            for r, values in enumerate(map(tuple, self.rows), start):
                xml, asked = cached(self.cache, ("xlsx", r, wrap, values),
                                     lambda r=r, values=values: _row_xml(r, values, wrap))
                parts.append(xml)
                _widen(widths, asked)
            self._xlsx = (start, wrap, "".join(parts).encode("utf-8"), widths)
        return self._xlsx[2], self._xlsx[3]


def _widen(widths: list[int], asked: tuple[int, ...]) -> None:
    """Make each width at least the one asked for, adding columns as asked."""
    if not widths:
        widths += asked
        return
    common = min(len(widths), len(asked))
    widths[:common] = map(max, widths[:common], asked)
    widths += asked[common:]


def _csv_bytes(headings: list[str], blocks: list[_Block]) -> bytes:
    """The CSV file of a table: its headings, then the rows of the blocks, encoded."""
    return b"".join([_csv_line(tuple(headings)).encode("utf-8"), *(block.csv() for block in blocks)])


def source_date(history: History | Unavailable | None = None, portal: Portal | None = None) -> datetime:
    """The one date a build may write into files that need one (workbook properties, DTSTAMP):
    the newest commit of the decisions, so one commit gives the same bytes whenever it is built;
    without git history, SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the
    newest date in the decisions. Never the clock."""
    if isinstance(history, History):
        stamps = [v.commit.timestamp for fh in history.files.values() for v in fh.versions]
        if stamps:
            return datetime.fromtimestamp(max(stamps), tz=timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    days: list[date] = []
    if portal is not None:
        days += [cs.valid_from for cs in portal.criteria_sets]
        for r in portal.rounds:
            days += [ms.end_date or ms.date for ms in r.milestones]
            if r.decision:
                days.append(r.decision.meeting_date)
    if days:
        newest = max(days)
        return datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc)
    return _EARLIEST_ZIP


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')
_EXCEL_EPOCH = date(1899, 12, 30)
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml(text: str) -> str:
    if _XML_SPECIAL.search(text) is None:  # most cells: one scan instead of five
        return text
    return (_ILLEGAL_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _cell_xml(ref: str, value: Any, wrap: bool) -> str:
    """One cell: text as an inline string, numbers, true/false, dates as dates; None is no cell."""
    if type(value) is not str:  # most cells are text: they skip these tests
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return f'<c r="{ref}" s="2"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
        value = str(value)  # a Fallback text is written as the plain text it is
    return (f'<c r="{ref}"{_WRAPPED if wrap else ""} t="inlineStr"><is><t xml:space="preserve">{_xml(value)}'
            '</t></is></c>')


_WRAPPED = ' s="3"'
_letter = functools.lru_cache(maxsize=None)(column_letter)


def _row_xml(r: int, row: tuple, wrap: bool) -> tuple[str, tuple[int, ...]]:
    """One worksheet row, and the width each of its cells asks of its column (0: no cell, which
    asks nothing of a column at least as wide as its heading)."""
    cells = []
    widths: list[int] = []
    for i, value in enumerate(row):
        if value is None:
            widths.append(0)
            continue
        cells.append(_cell_xml(f"{_letter(i)}{r}", value, wrap))
        if type(value) is str and "\n" not in value:
            longest = len(value)
        else:
            longest = max(len(line) for line in str(value).split("\n")) if isinstance(value, str) else 12
        widths.append(min(longest, 60))
    return f'<row r="{r}">' + "".join(cells) + "</row>", tuple(widths)


def _sheet_xml(headings: list[str], blocks: list[_Block], wrap: bool) -> list[bytes]:
    """A worksheet, encoded, in pieces (those of blocks written before are kept by the cache)."""
    widths = [len(str(h)) for h in headings]
    body = []
    asked = []
    r = 2
    for block in blocks:
        if block.rows:
            xml, wanted = block.xlsx(r, wrap)
            body.append(xml)
            asked.append(wanted)
            r += len(block.rows)
    if set(map(len, asked)) <= {len(widths)}:
        widths = [max(column) for column in zip(widths, *asked)]  # a table's rows: one max per column
    else:
        for wanted in asked:
            widths[:len(wanted)] = map(max, widths, wanted)  # columns beyond the headings have no width
    parts = [_XML_HEAD, f'<worksheet xmlns="{_NS_MAIN}">',
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>']
    if widths:
        parts.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{max(8, w + 2)}" customWidth="1"/>'
                                        for i, w in enumerate(widths, 1)) + "</cols>")
    parts += ["<sheetData>", '<row r="1">' + "".join(
        f'<c r="{column_letter(i)}1" s="1" t="inlineStr"><is><t xml:space="preserve">{_xml(str(h))}</t></is></c>'
        for i, h in enumerate(headings)) + "</row>"]
    return ["".join(parts).encode("utf-8"), *body, b"</sheetData></worksheet>"]


_STYLES = (_XML_HEAD + f'<styleSheet xmlns="{_NS_MAIN}">'
           '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
           '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
           '<alignment vertical="top" wrapText="1"/></xf>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
           '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list[Any]]]], when: datetime, title: str | None = None,
               wrap: bool = False) -> bytes:
    """An .xlsx workbook (Office Open XML), one sheet per (name, headings, rows), with the heading
    row in bold and frozen. Written directly rather than with openpyxl, which is slow for large
    portals and stamps the clock into the file: here the document dates and every zip entry's
    timestamp are `when`, so the same input gives the same bytes. `wrap` wraps long texts (for a
    council paper)."""
    return _workbook([(name, deflate(_sheet_xml(headings, [_Block(rows)], wrap)))
                      for name, headings, rows in sheets], when, title)


def _workbook(sheets: list[tuple[str, Deflated]], when: datetime, title: str | None,
              cache: RowCache | None = None) -> bytes:
    names: list[str] = []
    for name, _ in sheets:
        candidate = _sheet_name(name)
        n = 2
        while candidate.casefold() in (x.casefold() for x in names):
            candidate = f"{_sheet_name(name)[:28]} {n}"
            n += 1
        names.append(candidate)
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    count = len(sheets)
    files: list[tuple[str, str | Deflated]] = [
        ("[Content_Types].xml", _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   for i in range(1, count + 1))
         + '<Override PartName="/xl/styles.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         '<Override PartName="/docProps/core.xml" '
         'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
         '<Override PartName="/docProps/app.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        ("_rels/.rels", _XML_HEAD + f'<Relationships xmlns="{_NS_PKG}">'
         f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
         '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
         'core-properties" Target="docProps/core.xml"/>'
         f'<Relationship Id="rId3" Type="{_NS_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        ("docProps/core.xml", _XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
         'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
         + (f"<dc:title>{_xml(title)}</dc:title>" if title else "")
         + f'<dc:creator>prioportal</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
         f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        ("docProps/app.xml", _XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
         'extended-properties"><Application>prioportal</Application></Properties>'),
        ("xl/workbook.xml", _XML_HEAD + f'<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><sheets>'
         + "".join(f'<sheet name="{_xml(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1))
         + "</sheets></workbook>"),
        ("xl/_rels/workbook.xml.rels", _XML_HEAD + f'<Relationships xmlns="{_NS_PKG}">'
         + "".join(f'<Relationship Id="rId{i}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, count + 1))
         + f'<Relationship Id="rId{count + 1}" Type="{_NS_REL}/styles" Target="styles.xml"/></Relationships>'),
        ("xl/styles.xml", _STYLES),
    ]
    files += [(f"xl/worksheets/sheet{i}.xml", deflated) for i, (_, deflated) in enumerate(sheets, 1)]
    zipped = max(when.astimezone(timezone.utc), _EARLIEST_ZIP).timetuple()[:6]
    return zip_archive([(name, [text.encode("utf-8")] if isinstance(text, str) else text) for name, text in files],
                       zipped, cache)


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "Sheet"
    return cleaned[:31]


def _json_line(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(", ", ": "))


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _records_json(objects: Iterable[m.Strict], cache: RowCache | None) -> bytes:
    """Every object with all its fields, one per line, encoded (the object kept with its line,
    so that its identity stays its own). One record per line is as readable and as easy to
    compare between versions as an indented file, and is written by json's C encoder, which
    `indent` turns off (ten times slower for a large portal). Lines are encoded one by one: the
    text of the whole file is never held twice over."""
    def line(obj: m.Strict) -> bytes:
        return _json_line(obj.model_dump(mode="json", exclude={"personal_data_allowed"})).encode("utf-8")

    lines = [cached(cache, ("json", id(obj)), lambda obj=obj: (obj, line(obj)))[1] for obj in objects]
    return b"[\n" + b",\n".join(lines) + b"\n]\n" if lines else b"[]\n"


def _spdx(licence: str) -> str:
    known = {"NLOD 2.0": "NLOD-2.0", "NLOD 1.0": "NLOD-1.0", "CC0 1.0": "CC0-1.0", "CC0": "CC0-1.0",
             "CC BY 4.0": "CC-BY-4.0", "CC BY-SA 4.0": "CC-BY-SA-4.0"}
    return known.get(licence.strip(), _name(licence))


def _name(text: str) -> str:
    """A Data Package name: lower-case letters, digits, '-', '.', '_'."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"})))
    return re.sub(r"[^a-z0-9._-]+", "-", text.encode("ascii", "ignore").decode("ascii")).strip("-") or "portal"


def licence_of(settings: Settings) -> tuple[str, str | None]:
    return resolve_licence(settings.language, settings.licence, settings.licence_url)


def _field_schema(column: Column) -> dict[str, Any]:
    schema: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "date":
        schema["format"] = "default"
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum and column.several:
        one = "(?:" + "|".join(re.escape(v) for v in column.enum) + ")"
        constraints["pattern"] = f"{one}(?: {one})*"
    elif column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        schema["constraints"] = constraints
    return schema


def _file_facts(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def datapackage(settings: Settings, files: dict[str, bytes]) -> dict[str, Any]:
    """The Data Package descriptor for the files written (name → content)."""
    licence, url = licence_of(settings)
    licences = [{"name": _spdx(licence), "title": licence, **({"path": url} if url else {})}]
    resources: list[dict[str, Any]] = []
    for table in TABLES:
        resource = {
            "name": table.name, "path": table.csv, "profile": "tabular-data-resource", "title": table.title,
            "description": table.description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            **_file_facts(files[table.csv]),
            "schema": {
                "fields": [_field_schema(c) for c in table.columns],
                "missingValues": [""],
                "primaryKey": list(table.primary_key),
                **({"foreignKeys": [{"fields": list(f), "reference": {"resource": r, "fields": list(rf)}}
                                    for f, r, rf in table.foreign_keys]} if table.foreign_keys else {}),
            },
        }
        resources.append(resource)
    for kind, name in JSON_FILES.items():
        resources.append({"name": f"{kind}-json", "path": name, "type": "json", "profile": "data-resource",
                          "title": f"All {kind} as JSON",
                          "description": f"Every {kind} file with all its fields, as the JSON Schema "
                                         f"schemas/{kind}.schema.json describes them",
                          "format": "json", "mediatype": "application/json", "encoding": "utf-8", **_file_facts(files[name])})
    resources.append({"name": "workbook", "path": WORKBOOK, "type": "file", "profile": "data-resource",
                      "title": "All tables in one workbook",
                      "description": "The same tables as the CSV files, one sheet each, for spreadsheet programs",
                      "format": "xlsx", "mediatype": XLSX_MEDIATYPE, **_file_facts(files[WORKBOOK])})
    for kind in SCHEMA_KINDS:
        path = f"schemas/{kind}.schema.json"
        resources.append({"name": f"{kind}-schema", "path": path, "type": "json", "profile": "data-resource",
                          "title": f"JSON Schema of the {kind} files",
                          "description": f"What every field of a YAML file in decisions/{kind}/ means and may hold",
                          "format": "json", "mediatype": "application/schema+json", "encoding": "utf-8",
                          **_file_facts(files[path])})
    descriptor: dict[str, Any] = {
        "profile": "data-package",
        "name": _name(settings.site_name),
        "title": settings.site_name,
        "description": settings.site_description or f"Priority decisions of {settings.municipality}",
        **({"homepage": settings.site_url} if settings.site_url else {}),
        "licenses": licences,
        "contributors": [{"title": settings.municipality, "role": "publisher"}],
        "keywords": ["priority setting", "budget", "municipality", settings.municipality],
        "resources": resources,
    }
    return descriptor


def open_data_files(settings: Settings, portal: Portal, history: History | Unavailable | None = None,
                    cache: RowCache | None = None) -> dict[str, bytes]:
    """Every file of the open-data folder, by path within it. A preview passes the `cache` it
    keeps between builds."""
    files: dict[str, bytes] = {}
    sheets = []
    measures = _Measures.of(portal, settings, cache)
    for table in TABLES:
        headings = [c.name for c in table.columns]
        blocks = _blocks(table, portal, settings, cache, measures)
        files[table.csv] = _csv_bytes(headings, blocks)
        # Compressed at once, so a table's rows need not outlive it (at 10 000 measures the
        # worksheets are fifty megabytes of text).
        sheets.append((table.name, deflate(_sheet_xml(headings, blocks, False), cache)))
        del blocks
    written = portal.as_written if getattr(portal, "as_written", None) is not None else portal
    files[JSON_FILES["criteria"]] = _records_json(sorted(written.criteria_sets, key=lambda c: c.id), cache)
    files[JSON_FILES["rounds"]] = _records_json(sorted(written.rounds, key=lambda r: r.id), cache)
    files[JSON_FILES["measures"]] = _records_json(sorted(written.measures, key=lambda x: x.id), cache)
    files[WORKBOOK] = _workbook(sheets, source_date(history, portal), settings.site_name, cache)
    for kind in SCHEMA_KINDS:
        bundled = SCHEMA_DIR / f"{kind}.schema.json"
        files[f"schemas/{kind}.schema.json"] = (bundled.read_bytes() if bundled.is_file()
                                                else _json_text(schema_for(kind)).encode("utf-8"))
    files[DATAPACKAGE] = _json_text(datapackage(settings, files)).encode("utf-8")
    return files


def write_open_data(out_dir: Path, settings: Settings, portal: Portal, history: History | Unavailable | None = None) -> list[Path]:
    """Write the open-data folder of the site; return the files written."""
    return write_files(out_dir, {f"{FOLDER}/{name}": data for name, data in open_data_files(settings, portal, history).items()})


# --- The open-data page -----------------------------------------------------------------

_TYPE_WORDS = {
    "string": N_("Free text"), "integer": N_("Whole number"), "number": N_("Number"), "boolean": N_("true or false"),
    "date": N_("Date"),
}


@dataclass(frozen=True)
class FieldDoc:
    name: str  # column name, or field path in a YAML file (costs.year_1)
    label: str | None  # the field's name in the reader's language, where the portal has one
    type: str
    description: str
    required: bool
    values: tuple[str, ...] = ()  # the allowed values of a fixed vocabulary
    description_lang: str | None = None  # "en" while the model's description has no translation


@dataclass(frozen=True)
class TableDoc:
    name: str
    title: str
    description: str
    csv: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class KindDoc:
    kind: str
    title: str
    folder: str
    schema: str  # path within the open-data folder
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class OpenDataPage:
    tables: tuple[TableDoc, ...]
    kinds: tuple[KindDoc, ...]
    json_files: tuple[tuple[str, str], ...]  # (kind title, file name)
    workbook: str = WORKBOOK
    datapackage: str = DATAPACKAGE
    feed: str = "feed.xml"  # relative to the site root
    calendar: str = "calendar.ics"
    round_feeds: tuple[tuple[str, str, str], ...] = ()  # (round title, feed, calendar), relative to the site root


_KIND_TITLES = {"criteria": N_("Criteria"), "rounds": N_("Rounds"), "measures": N_("Measures")}


def open_data_view(view: Any, tr: Translator) -> OpenDataPage:
    """What the open-data page documents: every column of every table, and every field of the
    YAML files, from the model's own field descriptions (the same text as the JSON Schemas)."""
    _ = tr.gettext

    def label(key: str | None) -> str | None:
        return _(FIELD_LABELS[key]) if key and key in FIELD_LABELS else None

    tables = tuple(
        TableDoc(t.name, _(t.title), _(t.description), t.csv, tuple(
            FieldDoc(c.name, label(c.label_key), _column_type_word(c, tr),
                     _(c.description), c.required, c.enum, _untranslated(c.description, tr))
            for c in t.columns))
        for t in TABLES)
    kinds = tuple(KindDoc(kind, _(_KIND_TITLES[kind]), f"decisions/{kind}/", f"schemas/{kind}.schema.json",
                          tuple(schema_fields(kind, tr)))
                  for kind in SCHEMA_KINDS)
    portal = view.portal
    round_feeds = tuple((str(r.title), f"rounds/{r.id}/feed.xml", f"rounds/{r.id}/calendar.ics")
                        for r in reversed(portal.rounds))
    return OpenDataPage(tables, kinds, tuple((_(_KIND_TITLES[k]), JSON_FILES[k]) for k in SCHEMA_KINDS),
                        round_feeds=round_feeds)


def _untranslated(text: str, tr: Translator | None) -> str | None:
    """'en' when `text` (a model description, in English) is shown untranslated on a page in
    another language, so the page can mark it with its language for screen readers."""
    if tr is None or tr.language == "en" or not text or tr.gettext(text) != text:
        return None
    return "en"


def _column_type_word(column: Column, tr: Translator) -> str:
    if column.enum and column.several:
        return tr.gettext("One or more of these values, separated by spaces")
    return tr.gettext("One of these values") if column.enum else tr.gettext(_TYPE_WORDS[column.type])


def schema_fields(kind: str, tr: Translator | None = None) -> list[FieldDoc]:
    """Every field of a YAML file of `kind`, flattened from its JSON Schema: `costs.year_1`,
    `assessments.<criterion>.level`."""
    _ = tr.gettext if tr is not None else (lambda s: s)
    schema = schema_for(kind)
    defs = schema.get("$defs", {})
    found: list[FieldDoc] = []

    def resolve(node: dict) -> dict:
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            return {**resolve(options[0]), **{k: v for k, v in node.items() if k != "anyOf"}}
        return node

    def type_word(node: dict) -> tuple[str, tuple[str, ...]]:
        options = node.get("anyOf", [])
        if options and {o.get("type") for o in options} >= {"string", "object"}:
            return _("Free text"), ()  # one text, or one per language
        if "enum" in node:
            return _("One of these values"), tuple(str(v) for v in node["enum"])
        choices = [resolve(o) for o in options]
        if (len(choices) == 2 and "enum" in choices[0] and choices[1].get("type") == "array"
                and resolve(choices[1]["items"]).get("enum") == choices[0]["enum"]):
            return _("One of these values, or a list of several"), tuple(str(v) for v in choices[0]["enum"])
        kind_ = node.get("type")
        if kind_ == "string" and node.get("format") == "date":
            return _("Date"), ()
        if kind_ == "string" and node.get("pattern", "").startswith("^(https?"):
            return _("Address"), ()
        if kind_ == "array":
            return _("List"), ()
        if kind_ == "object":
            return _("Group of fields"), ()
        return _(_TYPE_WORDS.get(kind_, "Free text")), ()

    def walk(node: dict, path: str, required: bool) -> None:
        node = resolve(node)
        word, values = type_word(node)
        leaf = path.rsplit(".", 1)[-1]
        if path:
            description = node.get("description") or ""
            found.append(FieldDoc(path, _(FIELD_LABELS[leaf]) if leaf in FIELD_LABELS else None, word,
                                  _(description) if description else "", required, values,
                                  _untranslated(description, tr)))
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            walk_object(resolve(node["items"]), path)
        elif node.get("type") == "object":
            extra = node.get("additionalProperties")
            if "properties" in node:
                walk_object(node, path)
            elif isinstance(extra, dict) and ("$ref" in extra or extra.get("type") == "object"):
                walk_object(resolve(extra), f"{path}.<{_key_name(path)}>")

    def walk_object(node: dict, prefix: str) -> None:
        required = set(node.get("required", ()))
        for name, child in node.get("properties", {}).items():
            walk(child, f"{prefix}.{name}" if prefix else name, name in required)

    walk_object(schema, "")
    return found


def _key_name(path: str) -> str:
    return "criterion" if path.endswith("assessments") else "id"


__all__ = ["TABLES", "write_open_data", "open_data_files", "open_data_view", "source_date", "xlsx_bytes",
           "page_url", "licence_of", "schema_fields"]
