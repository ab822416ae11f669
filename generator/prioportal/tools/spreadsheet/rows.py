"""The rows of a sheet as measures: each cell read by what its column holds (a scale label, an
amount, a rank, a label of the fixed vocabulary, a text), rows that are not measures skipped
(totals, section headings, repeated headings), and the values nested in the model's order.

Nothing is lost and nothing invented: a CSV line with more fields than its headings (a separator
inside a text that was not quoted) stops at its row; a range ("2000-2500") is kept as a
placeholder for the communicator to decide; a year the sheet does not give is left out here (a
new file gets a placeholder for it). Every cell is scanned for personal data before it is read, so
no message repeats it: in a cell that would be published it is refused, in a comment (kept in the
file's internal note, not published) an identity number is refused and the rest reported, and in a cell that is
not imported it is reported; always masked."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from prioportal.checks.personal_data import Finding, ScanRules, describe, scan_data, scan_text
from prioportal.model import decisions as m
from prioportal.exports.workbook import column_letter
from prioportal.problems import Problem, Severity, T, Text
from prioportal.tools.spreadsheet.amounts import CellError, kroner, parse_amount, parse_range
from prioportal.tools.spreadsheet.layout import Layout, Recogniser
from prioportal.tools.spreadsheet.vocabulary import (DASHES, ENUMS, LEVEL_CLASS_INDEX, SEVERAL, TEXT_FIELDS,
                                                     TOTAL_WORDS, enum_index, enum_label, key)

YEARS = ("year_1", "year_2", "year_3", "years_4_10")


@dataclass
class RowResult:
    row: int  # 1-based, as the spreadsheet shows it
    values: dict[str, Any]  # nested plain data from the sheet, in model order
    comment: str | None
    id_col: int  # the column to point at for problems about the whole row
    generated_id: bool
    cols: dict[str, int] = field(default_factory=dict)  # field → the column it was read from


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    raise ValueError


_RANK_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|\bto\b|\btil\b|\btill\b)\s*(\d+)\s*$")


def _is_number(value: Any) -> bool:
    try:
        return parse_amount(value) is not None
    except CellError:
        return False


def findings(value: Any, rules: ScanRules) -> list[Finding]:
    """Personal data in a cell; a number too: an identity number typed into a cell becomes a
    number and loses its leading zero."""
    found = scan_text(_text(value), rules)
    if not found and isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        found = [f for _, f in scan_data(int(value), rules)]
    return found


class RowReader:
    def __init__(self, layout: Layout, rec: Recogniser, round_: m.Round, language: str, shown: str,
                 rules: ScanRules = ScanRules(phone_numbers=True), say: Callable[[Any], str] = str):
        self.layout, self.rec, self.round, self.language = layout, rec, round_, language
        self.shown = shown
        self.say = say  # a placeholder written into a file, in the language of the command line
        self.rules = rules
        self.criteria = rec.criteria
        extra = rec.mapping.values
        self.enums = {name: enum_index(name, [(text, value) for text, value in extra.get(name, {}).items()])
                      for name in ENUMS}
        self.enums["decision"].update({key(str(t.label)): t.kind.value for t in self.criteria.outcomes})
        self.enums["decision"].update({key(text): value for text, value in extra.get("decision", {}).items()})
        self.levels = {c.id: self._level_index(c, extra.get(c.id, {})) for c in self.criteria.criteria}
        self.has_costs = any(t.field in YEARS or t.field in ("cost_per_year", "cost_kind")
                             for t in layout.columns.values())

    @staticmethod
    def _level_index(criterion: m.Criterion, extra: dict[str, str]) -> dict[str, str]:
        exact: dict[str, set[str]] = {}
        by_class: dict[str, set[str]] = {}
        for level in criterion.scale:
            for text in (level.id, str(level.label)):
                exact.setdefault(key(text), set()).add(level.id)
                cls = LEVEL_CLASS_INDEX.get(key(text))
                if cls:
                    by_class.setdefault(cls, set()).add(level.id)
        index = {f"class:{cls}": next(iter(ids)) for cls, ids in by_class.items() if len(ids) == 1}
        index.update({k: next(iter(ids)) for k, ids in exact.items() if len(ids) == 1})
        index.update({key(text): value for text, value in extra.items()})
        return index

    def problem(self, row: int, col: int, message: str | Text, advice: str | Text,
                severity: Severity = Severity.error) -> Problem:
        heading = self.layout.headings.get(col, "")
        ref = f"{column_letter(col)}{row}"
        where = (T("cell {cell} ({heading}): {message}", cell=ref, heading=heading, message=message) if heading
                 else T("cell {cell}: {message}", cell=ref, message=message))
        return Problem(self.shown, row, col + 1, where, advice, severity)

    # --- Personal data ------------------------------------------------------------------------

    def personal_data(self, row: int, col: int, value: Any, imported: bool, problems: list[Problem]) -> bool:
        """Report personal data in a cell, masked; True when the cell must not be read further."""
        target = self.layout.columns.get(col) if imported else None
        if target is not None and target.field == "comment":
            found = findings(value, self.rules)
            ids = [f for f in found if f.is_id_number]
            if ids:
                problems.append(self.problem(row, col, T("{kind} ({masked}) must not be kept in the measure's file",
                                                          kind=describe(ids[0].kind), masked=ids[0].text),
                                             T("remove it from the sheet")))
                return True
            if found:
                problems.append(self.problem(
                    row, col, T("{kind} ({masked}) is kept in the measure's file as an internal note, which is "
                                "not published", kind=describe(found[0].kind), masked=found[0].text),
                    T("remove it from the sheet unless it is needed: everyone who edits the portal reads the file"),
                    Severity.warning))
            return False
        rules = self.rules
        if target is not None and (target.is_amount or target.field == "rank") and _is_number(value):
            rules = ScanRules()  # 91 234 567 kroner is an amount, not a phone number; an identity number is not
        found = findings(value, rules)
        if not found:
            return False
        kind, masked = describe(found[0].kind), found[0].text
        if target is None:
            where = (T("{kind} ({masked}) is in a column that is not imported: it is written nowhere", kind=kind,
                       masked=masked) if col not in self.layout.columns
                     else T("{kind} ({masked}) is in a row that is not imported: it is written nowhere", kind=kind,
                            masked=masked))
            problems.append(self.problem(row, col, where, T("delete it from the sheet before it is shared further"),
                                         Severity.warning))
            return True
        problems.append(self.problem(row, col, T("{kind} ({masked}) must not be published", kind=kind, masked=masked),
                                     T("remove it from the sheet; if it is not about a person, import without it "
                                       "and add it to the measure's file under personal_data_allowed")))
        return True

    # --- Cells ----------------------------------------------------------------------------------

    def level(self, criterion_id: str, value: Any) -> str:
        index = self.levels[criterion_id]
        k = key(_text(value))
        if k in index:
            return index[k]
        cls = LEVEL_CLASS_INDEX.get(k)
        if cls and f"class:{cls}" in index:
            return index[f"class:{cls}"]
        criterion = self.criteria.criterion(criterion_id)
        raise CellError(T("'{value}' is not a level on the scale of '{criterion}'", value=_text(value),
                          criterion=str(criterion.name)),
                        T("use one of: {levels} (or map it in a --mapping file under values:)",
                          levels=", ".join(str(lvl.label) for lvl in criterion.scale)))

    def enum(self, name: str, value: Any) -> str:
        k = key(_text(value))
        if k in self.enums[name]:
            return self.enums[name][k]
        if name == "decision":
            allowed = [str(t.label) for t in self.criteria.outcomes]
        else:
            allowed = [enum_label(e, self.language) for e in ENUMS[name]]
        raise CellError(T("'{value}' is not one of the values of this column", value=_text(value)),
                        T("use one of: {values} (or map it in a --mapping file under values:)",
                          values=", ".join(allowed)))

    def types(self, value: Any) -> str | list[str]:
        """A measure's type, or its types where one cell holds several, as the Swedish summary
        tool writes them: "Effektivisering/Ransonering"."""
        try:
            return self.enum("type", value)
        except CellError:
            parts = [part for part in SEVERAL.split(_text(value)) if part.strip()]
            if len(parts) < 2:
                raise
            found = list(dict.fromkeys(self.enum("type", part) for part in parts))
            return found if len(found) > 1 else found[0]

    def amount(self, row: int, col: int, value: Any, problems: list[Problem]) -> int | str | None:
        """An amount in kroner; a range is kept as a placeholder, with a warning."""
        unit = self.layout.units.get(col, 1)
        try:
            return parse_amount(value, unit)
        except CellError:
            found = parse_range(value, unit)
            if found is None:
                raise
        problems.append(self.problem(row, col, T("'{value}' is a range: it is written to the file as a placeholder "
                                                  "for you to decide", value=_text(value)),
                                     T("write one amount in the file, or in the cell and import again"),
                                     Severity.warning))
        return "<" + self.say(T("{value} in the sheet ({low} to {high} kroner): write one amount in kroner",
                                value=_text(value), low=kroner(found[0]), high=kroner(found[1]))) + ">"

    def recommendation(self, value: Any) -> str | None:
        """The id of the recommendation a priority list's rank cell names by its label or id
        ("Icke-göra", "FoU"), or None: the cell is a rank."""
        if not self.round.is_priority_list:
            return None
        wanted = key(_text(value))
        return next((r.id for r in self.criteria.recommendations
                     if wanted in {key(r.id)} | {key(label) for label in
                                                 (r.label.values() if isinstance(r.label, dict) else [r.label])}), None)

    def rank(self, row: int, col: int, value: Any, problems: list[Problem]) -> int | str:
        scale = self.criteria.rank_scale
        low, high = sorted((scale.highest, scale.lowest))
        try:
            rank = _whole_number(value)
        except ValueError:
            text = unicodedata.normalize("NFKC", _text(value)).translate(DASHES)
            found = _RANK_RANGE.match(text)
            if found and low <= int(found.group(1)) < int(found.group(2)) <= high:
                problems.append(self.problem(row, col, T("'{value}' is a range: it is written to the file as a "
                                                          "placeholder for you to decide", value=_text(value)),
                                             T("write one rank in the file, or in the cell and import again"),
                                             Severity.warning))
                return "<" + self.say(T("{value} in the sheet: write one rank", value=_text(value))) + ">"
            raise CellError(T("'{value}' is not a rank", value=_text(value)),
                            T("write a whole number from {highest} to {lowest}", highest=scale.highest,
                              lowest=scale.lowest)) from None
        if not low <= rank <= high:
            raise CellError(T("the rank {rank} is outside the scale", rank=rank),
                            T("write a rank from {highest} to {lowest}", highest=scale.highest, lowest=scale.lowest))
        return rank

    # --- Rows -------------------------------------------------------------------------------------

    def _split_rows(self) -> set[int]:
        """0-based rows of a CSV file with more fields than its headings. A separator at the end
        of every data line, with nothing after it, is only a habit of the file and is not one."""
        layout, fields = self.layout, self.layout.sheet.fields
        if fields is None or layout.heading_fields is None:
            return set()
        sheet, width = layout.sheet, layout.heading_fields
        data = [r for r in range(layout.last_row + 1, len(sheet.cells)) if any(v is not None for v in sheet.cells[r])]
        longer = {r for r in data if fields[r] > width}
        trailing = len({fields[r] for r in data}) == 1 and all(
            sheet.get(r, c) is None for r in data for c in range(width, fields[r]))
        return set() if trailing else longer

    def read(self, problems: list[Problem]) -> list[RowResult]:
        results = []
        layout = self.layout
        cols = layout.columns
        split = self._split_rows()
        separator = layout.sheet.delimiter or ";"
        title_col = next((c for c, t in cols.items() if t.field in ("title", "situation_and_measure")), None)
        for r in range(layout.last_row + 1, len(layout.sheet.cells)):
            row = r + 1
            cells = {c: layout.sheet.get(r, c) for c in range(layout.sheet.width)}
            filled = {c: v for c, v in cells.items() if v is not None}
            if not filled:
                continue  # an empty row
            if r in split:
                problems.append(self.problem(
                    row, layout.heading_fields,
                    T("this row has {fields} fields but the headings have {headings}: a '{separator}' inside a text "
                      "has split it, and the end of the text would be lost", fields=layout.sheet.fields[r],
                      headings=layout.heading_fields, separator=separator),
                    T("put the text in double quotes in the CSV file (\"…{separator} …\"), or save the sheet as "
                      ".xlsx and import that", separator=separator)))
                for c, v in filled.items():
                    self.personal_data(row, c, v, False, problems)
                continue
            for c in [c for c in filled if c not in cols]:  # notes beside the table, columns not imported
                self.personal_data(row, c, filled[c], False, problems)
            mapped = {c: v for c, v in filled.items() if c in cols}
            if not mapped:
                continue  # only notes beside the table
            texts = [key(_text(v)) for v in filled.values() if isinstance(v, str)]
            title_key = key(_text(cells[title_col])) if title_col is not None and cells.get(title_col) is not None else ""
            skipped = None
            if any(t in TOTAL_WORDS for t in texts) and title_key in TOTAL_WORDS | {""}:
                skipped = (min(filled), T("this row is skipped: it looks like a total"),
                           T("nothing to do, unless it is a measure; then give it a title"))
            elif sum(1 for c, v in mapped.items() if self.rec.recognise(v) == cols[c]) >= max(2, len(mapped) // 2):
                skipped = ()  # the headings repeated further down
            elif len(filled) == 1:
                col = next(iter(filled))
                shown = _text(filled[col]) if not findings(filled[col], self.rules) else "…"
                skipped = (col, T("this row is skipped: it has only '{text}', like a section heading", text=shown),
                           T("nothing to do if it is one; if it is a measure, fill in more of its row"))
            if skipped is not None:
                for c, v in mapped.items():
                    self.personal_data(row, c, v, False, problems)
                if skipped:
                    problems.append(self.problem(row, skipped[0], skipped[1], skipped[2], Severity.warning))
                continue
            if (cells.get(title_col) if title_col is not None else None) is None:
                where = title_col if title_col is not None else min(filled)
                problems.append(self.problem(row, where, T("this row has no measure title"),
                                             T("write the measure's title in this cell, or delete the row")))
                for c, v in mapped.items():
                    self.personal_data(row, c, v, False, problems)
                continue
            result = self.read_row(row, cells, problems)
            if result is not None:
                results.append(result)
        return results

    def read_row(self, row: int, cells: dict[int, Any], problems: list[Problem]) -> RowResult | None:
        flat: dict[str, Any] = {}
        levels: dict[str, str] = {}
        justifications: dict[str, str] = {}
        where: dict[str, int] = {}
        errors_before = sum(1 for p in problems if p.severity is Severity.error)
        id_col = min(self.layout.columns)
        for col, target in self.layout.columns.items():
            value = cells.get(col)
            if value is None or target.field == "amount":
                continue
            if self.personal_data(row, col, value, True, problems):
                continue
            try:
                f = target.field
                where.setdefault(f, col)
                if f == "id":
                    ident = _text(value)
                    if not m.SLUG_RE.match(ident):
                        raise CellError(T("'{value}' cannot be used as an id", value=ident),
                                        T("use lower-case letters a-z, digits and hyphens, e.g. trygghetsalarm-2026"))
                    flat["id"] = ident
                    id_col = col
                elif f == "level":
                    levels[target.criterion] = self.level(target.criterion, value)
                elif f == "justification":
                    justifications[target.criterion] = _text(value)
                elif f == "situation_and_measure":
                    text = _text(value)
                    flat["title"] = text
                    left, sep, right = text.partition("+")
                    if sep and left.strip() and right.strip():
                        flat.setdefault("situation", left.strip())
                        flat.setdefault("description", right.strip())
                    if "id" not in flat:
                        id_col = col
                elif f in m.AMOUNT_FIELDS or f == "cost_per_year":
                    amount = self.amount(row, col, value, problems)
                    if amount is not None:
                        flat[f] = amount
                elif f == "rank":
                    recommendation = self.recommendation(value)
                    if recommendation is not None:  # a priority list's "Icke-göra", "FoU" in the rank's column
                        flat["recommendation"] = recommendation
                    else:
                        flat["rank"] = self.rank(row, col, value, problems)
                elif f == "type":
                    flat[f] = self.types(value)
                elif f in ENUMS:
                    flat[f] = self.enum(f, value)
                elif f in TEXT_FIELDS:
                    flat[f] = _text(value)
                    if f == "title" and "id" not in flat:
                        id_col = col
            except CellError as exc:
                problems.append(self.problem(row, col, exc.message, exc.advice))
        if sum(1 for p in problems if p.severity is Severity.error) > errors_before:
            return None
        generated = "id" not in flat
        values = self.nest(flat, levels, justifications)
        if "cost_per_year" in where:
            where.update({year: where["cost_per_year"] for year in YEARS if year not in where})
        return RowResult(row, values, flat.get("comment"), id_col, generated, where)

    def nest(self, flat: dict[str, Any], levels: dict[str, str], justifications: dict[str, str]) -> dict[str, Any]:
        """The sheet's values as a measure's fields, in the model's order. A cost line has only
        the years and the kind the sheet gives (`complete_cost_line` fills a new file's)."""
        d: dict[str, Any] = {}
        if "id" in flat:
            d["id"] = flat["id"]
        d["round"] = self.round.id
        for name in ("title", "summary", "sector", "service_area", "target_area", "focus_area", "type", "need_cause"):
            if name in flat:
                d[name] = flat[name]
        if self.round.is_priority_list:  # a pair: the situation's column ("Hälsotillstånd") is its condition
            d.update({target: flat[name] for name, target in (("situation", "condition"),
                                                               ("condition_group", "condition_group")) if name in flat})
            flat = {k: v for k, v in flat.items() if k not in ("situation", "goal")}
        if "situation" in flat or "goal" in flat:
            d["situation"] = {k2: flat[k1] for k1, k2 in (("situation", "current_state"), ("goal", "goal"))
                              if k1 in flat}
        if "description" in flat or "alternative" in flat:
            d["proposal"] = {k: flat[k] for k in ("description", "alternative") if k in flat}
        if "long_term_effect" in flat:
            d["long_term_effect"] = flat["long_term_effect"]
        assessments = {}
        for c in self.criteria.criteria:
            entry = {}
            if c.id in levels:
                entry["level"] = levels[c.id]
            if c.id in justifications:
                entry["justification"] = justifications[c.id]
            if entry:
                assessments[c.id] = entry
        if assessments:
            d["assessments"] = assessments
        line: dict[str, Any] = {k: flat[k] for k in YEARS if k in flat}
        if "cost_per_year" in flat:  # "Kostnad per år": the same amount every year, a recurring cost
            line = {k: flat["cost_per_year"] for k in YEARS}
            line["kind"] = "recurring"
        if "cost_kind" in flat:
            line["kind"] = flat["cost_kind"]
        if line:
            d["costs"] = [{"description": flat.get("title", ""), **line}]
        if "rank" in flat:
            d["rank"] = flat["rank"]
        if "recommendation" in flat:
            d["recommendation"] = flat["recommendation"]
        outcome: dict[str, Any] = {}
        for k1, k2 in (("decision", "decision"), ("rationing_type", "rationing_type"), ("granted", "granted"),
                       ("rationale", "rationale")):
            if k1 in flat:
                outcome[k2] = flat[k1]
        consequences = {k2: flat[k1] for k1, k2 in (("affected", "affected"), ("consequences", "description"),
                                                      ("mitigation", "mitigation")) if k1 in flat}
        if consequences:
            outcome["consequences"] = consequences
        if outcome:
            d["outcome"] = outcome
        return d

    def complete_cost_line(self, result: RowResult, line: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
        """A new cost line as a file needs it: a year the sheet does not give is a placeholder
        (validate lists it), and a kind the sheet does not give is guessed, and said."""
        line = dict(line)
        line.setdefault("description", result.values.get("title", ""))
        if line.get("kind") is None and not any(k in line for k in YEARS):
            line["kind"] = "<" + self.say(T("One of: {choices}", choices="one_off, recurring")) + ">"
        for n, year in enumerate(YEARS, 1):
            if year not in line:
                line[year] = "<" + self.say(
                    T("Cost in year {year} in kroner, not in the sheet; 0 if none", year=n) if n < 4
                    else T("Cost per year in years 4 to 10 in kroner, not in the sheet; 0 if none")) + ">"
        if line.get("kind") is None:
            later = any(isinstance(line[k], int) and line[k] for k in YEARS[1:])
            line["kind"] = "recurring" if later else "one_off"
            col = next((result.cols[k] for k in YEARS if k in result.cols), result.id_col)
            problems.append(self.problem(
                result.row, col,
                T("the sheet does not say whether the cost is one-off or recurring: it is written as kind: {kind}, "
                  "since {reason}", kind=line["kind"],
                  reason=T("the sheet has costs after year 1") if later else T("the sheet has no cost after year 1")),
                T("check it in the file, or add a column Kostnadstype (one-off or recurring) to the sheet"),
                Severity.warning))
        return {k: line[k] for k in ("description", "kind", *YEARS)}
