"""`prioportal export`: a round as the ranking table the import reads back (.xlsx, or .csv for
Excel in Norway and Sweden, or .json for a script), with the headings in the portal's language."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from prioportal.model import decisions as m
from prioportal.analyses.ranking import ranked
from prioportal.exports.open_data.files import source_date
from prioportal.exports.open_data.rows import spreadsheet_safe
from prioportal.exports.workbook import xlsx_bytes
from prioportal.problems import T, UsageError
from prioportal.settings import Settings
from prioportal.tools.spreadsheet.layout import Target
from prioportal.tools.spreadsheet.measure_yaml import read_comment
from prioportal.tools.spreadsheet.vocabulary import (CONDITION_HEADING, JUSTIFICATION_WORD, LANGS, TYPES_SEPARATOR,
                                                    enum_label, export_heading)

FORMATS = ("xlsx", "csv", "json")


# A priority list's table, as the national model's columns: the condition in the situation's
# column, which the import reads back as the condition, and a recommendation in the rank's.
PAIR_COLUMNS = ("id", "title", "summary", "condition_group", "situation", "description", "alternative",
                "long_term_effect")


def export_columns(criteria: m.CriteriaSet, language: str, pairs: bool = False) -> list[tuple[str, Target]]:
    """The export's headings, in the portal's language, each with what it holds; the import reads
    every one of them back. `pairs`: a priority list's."""
    word = JUSTIFICATION_WORD.get(language, "justification")
    if pairs:
        columns = [(CONDITION_HEADING[LANGS.index(language)] if f == "situation" and language in LANGS
                    else export_heading(f, language), Target(f)) for f in PAIR_COLUMNS]
        for c in criteria.criteria:
            columns += [(str(c.name), Target("level", c.id)), (f"{c.name} – {word}", Target("justification", c.id))]
        return columns + [(export_heading(f, language), Target(f)) for f in ("rank", "comment")]
    columns = [(export_heading(f, language), Target(f)) for f in (
        "id", "title", "summary", "sector", "service_area", "target_area", "focus_area", "type", "need_cause",
        "situation", "goal", "description", "alternative", "long_term_effect")]
    for c in criteria.criteria:
        columns.append((str(c.name), Target("level", c.id)))
        columns.append((f"{c.name} – {word}", Target("justification", c.id)))
    columns += [(export_heading(f, language), Target(f)) for f in (
        "year_1", "year_2", "year_3", "years_4_10", "cost_kind", "rank", "decision", "rationing_type", "granted",
        "rationale", "affected", "consequences", "mitigation", "comment")]
    return columns


def _plain(value: Any) -> Any:
    return None if value is None else str(value)


def export_rows(settings: Settings, portal, rnd: m.Round) -> tuple[list[str], list[list[Any]]]:
    criteria = portal.criteria_set(rnd.criteria)
    language = settings.language
    columns = export_columns(criteria, language, rnd.is_priority_list)
    rows = []
    for x in ranked(portal.measures_in(rnd.id)):
        outcome = x.outcome
        consequences = outcome.consequences if outcome else None
        kinds = {line.kind for line in x.costs}
        source = portal.sources.get(f"measures:{x.id}")
        comment = x.internal_note
        if comment is None and source and (settings.root / source).is_file():  # as an earlier import kept it
            comment = read_comment((settings.root / source).read_text(encoding="utf-8-sig"))
        term = criteria.outcome_term(outcome.decision) if outcome else None
        values: dict[str, Any] = {
            "id": x.id, "title": _plain(x.title), "summary": _plain(x.summary), "sector": _plain(x.sector),
            "service_area": _plain(x.service_area), "target_area": _plain(x.target_area),
            "focus_area": _plain(getattr(x, "focus_area", None)),
            "type": TYPES_SEPARATOR.join(enum_label(t, language) for t in x.type),
            "need_cause": enum_label(x.need_cause, language) if x.need_cause else None,
            "situation": _plain(x.situation.current_state if x.situation else x.condition),
            "goal": _plain(x.situation.goal) if x.situation else None, "condition_group": _plain(x.condition_group),
            "description": _plain(x.proposal.description), "alternative": _plain(x.proposal.alternative),
            "long_term_effect": _plain(x.long_term_effect),
            "year_1": sum(c.year_1 for c in x.costs) if x.costs else None,
            "year_2": sum(c.year_2 for c in x.costs) if x.costs else None,
            "year_3": sum(c.year_3 for c in x.costs) if x.costs else None,
            "years_4_10": sum(c.years_4_10 for c in x.costs) if x.costs else None,
            "cost_kind": enum_label(next(iter(kinds)), language) if len(kinds) == 1 else None,
            "rank": x.rank if x.rank is not None or not x.recommendation else _plain(
                getattr(criteria.recommendation(x.recommendation), "label", x.recommendation)),
            "decision": (str(term.label) if term else outcome.decision.value) if outcome else None,
            "rationing_type": enum_label(outcome.rationing_type, language) if outcome and outcome.rationing_type else None,
            "granted": outcome.granted if outcome else None,
            "rationale": _plain(outcome.rationale) if outcome else None,
            "affected": _plain(consequences.affected) if consequences else None,
            "consequences": _plain(consequences.description) if consequences else None,
            "mitigation": _plain(consequences.mitigation) if consequences else None,
            "comment": comment,
        }
        row = []
        for _, target in columns:
            if target.field == "level":
                a = x.assessments.get(target.criterion)
                level = criteria.criterion(target.criterion).level(a.level) if a else None
                row.append(str(level.label) if level else None)
            elif target.field == "justification":
                a = x.assessments.get(target.criterion)
                row.append(_plain(a.justification) if a else None)
            else:
                row.append(values[target.field])
        rows.append(row)
    return [h for h, _ in columns], rows


def export_round(settings: Settings, portal, round_id: str, fmt: str) -> bytes:
    """The ranking table of a round as .xlsx, .csv (semicolons, UTF-8 with BOM, for Excel in
    Norway and Sweden; a text cell that would run as a formula starts with ') or .json."""
    if fmt not in FORMATS:
        raise UsageError(T("'{format}' is not a format — use one of: {formats}", format=fmt, formats=", ".join(FORMATS)))
    rnd = next((r for r in portal.rounds if r.id == round_id), None)
    if rnd is None:
        raise UsageError(T("there is no round '{round}' — use one of: {rounds}", round=round_id,
                           rounds=", ".join(r.id for r in portal.rounds)))
    headings, rows = export_rows(settings, portal, rnd)
    if fmt == "xlsx":
        return xlsx_bytes([(str(rnd.title), headings, rows)], source_date(None, portal), title=str(rnd.title),
                          wrap=True)
    if fmt == "csv":
        # A text that a spreadsheet would run as a formula starts with a single quote, which the
        # import takes off again; amounts and ranks are numbers and are written as they are.
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow([spreadsheet_safe(h) for h in headings])
        for row in rows:
            writer.writerow(["" if v is None else spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    criteria = portal.criteria_set(rnd.criteria)
    document = {
        "round": rnd.id, "criteria": criteria.id, "language": settings.language,
        "columns": [{"heading": h, "field": t.field, **({"criterion": t.criterion} if t.criterion else {})}
                    for h, (_, t) in zip(headings, export_columns(criteria, settings.language, rnd.is_priority_list))],
        "rows": [dict(zip(headings, row)) for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
