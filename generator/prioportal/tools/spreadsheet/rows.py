"""The rows of a sheet as measures: each cell read by what its column holds (a scale label, an
amount, a rank, a label of the fixed vocabulary, a text), rows that are not measures skipped
(totals, section headings, repeated headings), and the values nested in the model's order.
A text cell with personal data in it is refused at its cell, by the portal's rules, as the
build would refuse it in the file the import writes (a comment, kept in the file but not
published, for identity numbers only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from prioportal.checks.personal_data import ScanRules, describe, scan_data, scan_text
from prioportal.model import decisions as m
from prioportal.exports.workbook import column_letter
from prioportal.problems import Problem, Severity
from prioportal.tools.spreadsheet.amounts import CellError, parse_amount
from prioportal.tools.spreadsheet.layout import Layout, Recogniser
from prioportal.tools.spreadsheet.vocabulary import (ENUMS, LEVEL_CLASS_INDEX, SEVERAL, TEXT_FIELDS, TOTAL_WORDS,
                                                     enum_index, enum_label, key)


@dataclass
class RowResult:
    row: int  # 1-based, as the spreadsheet shows it
    values: dict[str, Any]  # nested plain data from the sheet, in model order
    comment: str | None
    id_col: int  # the column to point at for problems about the whole row
    generated_id: bool


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


class RowReader:
    def __init__(self, layout: Layout, rec: Recogniser, round_: m.Round, language: str, shown: str,
                 rules: ScanRules = ScanRules(phone_numbers=True)):
        self.layout, self.rec, self.round, self.language = layout, rec, round_, language
        self.shown = shown
        self.rules = rules
        self.criteria = rec.criteria
        extra = rec.mapping.values
        self.enums = {name: enum_index(name, [(text, value) for text, value in extra.get(name, {}).items()])
                      for name in ENUMS}
        self.enums["decision"].update({key(str(t.label)): t.kind.value for t in self.criteria.outcomes})
        self.enums["decision"].update({key(text): value for text, value in extra.get("decision", {}).items()})
        self.levels = {c.id: self._level_index(c, extra.get(c.id, {})) for c in self.criteria.criteria}

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

    def problem(self, row: int, col: int, message: str, advice: str, severity: Severity = Severity.error) -> Problem:
        heading = self.layout.headings.get(col, "")
        ref = f"{column_letter(col)}{row}"
        where = f"cell {ref} ({heading})" if heading else f"cell {ref}"
        return Problem(self.shown, row, col + 1, f"{where}: {message}", advice, severity)

    def no_personal_data(self, field: str, value: Any) -> None:
        """Raise a CellError for personal data in a text cell (a number too: an identity number
        typed into a cell becomes a number and loses its leading zero)."""
        comment = field == "comment"
        rules = ScanRules() if comment else self.rules
        found = scan_text(_text(value), rules)
        if not found and isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            found = [f for _, f in scan_data(int(value), rules)]
        if found:
            where = "kept in the measure's file" if comment else "published"
            raise CellError(f"{describe(found[0].kind)} ({found[0].text}) must not be {where}",
                            "remove it from the sheet; if it is not about a person, import without it and add it "
                            "to the measure's file under personal_data_allowed")

    def level(self, criterion_id: str, value: Any) -> str:
        index = self.levels[criterion_id]
        k = key(_text(value))
        if k in index:
            return index[k]
        cls = LEVEL_CLASS_INDEX.get(k)
        if cls and f"class:{cls}" in index:
            return index[f"class:{cls}"]
        criterion = self.criteria.criterion(criterion_id)
        raise CellError(f"'{_text(value)}' is not a level on the scale of '{criterion.name}'",
                        "use one of: " + ", ".join(str(lvl.label) for lvl in criterion.scale)
                        + " (or map it in a --mapping file under values:)")

    def enum(self, name: str, value: Any) -> str:
        k = key(_text(value))
        if k in self.enums[name]:
            return self.enums[name][k]
        if name == "decision":
            allowed = [str(t.label) for t in self.criteria.outcomes]
        else:
            allowed = [enum_label(e, self.language) for e in ENUMS[name]]
        raise CellError(f"'{_text(value)}' is not a known {name.replace('_', ' ')}",
                        "use one of: " + ", ".join(allowed) + " (or map it in a --mapping file under values:)")

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

    def read(self, problems: list[Problem]) -> list[RowResult]:
        results = []
        layout = self.layout
        cols = layout.columns
        title_col = next((c for c, t in cols.items() if t.field in ("title", "situation_and_measure")), None)
        for r in range(layout.last_row + 1, len(layout.sheet.cells)):
            row = r + 1
            cells = {c: layout.sheet.get(r, c) for c in range(layout.sheet.width)}
            filled = {c: v for c, v in cells.items() if v is not None}
            if not filled:
                continue  # an empty row
            mapped = {c: v for c, v in filled.items() if c in cols}
            if not mapped:
                continue  # only notes beside the table
            texts = [key(_text(v)) for v in filled.values() if isinstance(v, str)]
            title_key = key(_text(cells[title_col])) if title_col is not None and cells.get(title_col) is not None else ""
            if any(t in TOTAL_WORDS for t in texts) and title_key in TOTAL_WORDS | {""}:
                problems.append(self.problem(row, min(filled), "this row is skipped: it looks like a total",
                                             "nothing to do, unless it is a measure; then give it a title",
                                             Severity.warning))
                continue
            if sum(1 for c, v in mapped.items() if self.rec.recognise(v) == cols[c]) >= max(2, len(mapped) // 2):
                continue  # the headings repeated further down
            title = cells.get(title_col) if title_col is not None else None
            if len(filled) == 1:
                col = next(iter(filled))
                problems.append(self.problem(row, col, f"this row is skipped: it has only '{_text(filled[col])}', "
                                                       "like a section heading", "nothing to do if it is one; if it "
                                                       "is a measure, fill in more of its row", Severity.warning))
                continue
            if title is None:
                where = title_col if title_col is not None else min(filled)
                problems.append(self.problem(row, where, "this row has no measure title",
                                             "write the measure's title in this cell, or delete the row"))
                continue
            result = self.read_row(row, cells, problems)
            if result is not None:
                results.append(result)
        return results

    def read_row(self, row: int, cells: dict[int, Any], problems: list[Problem]) -> RowResult | None:
        flat: dict[str, Any] = {}
        levels: dict[str, str] = {}
        justifications: dict[str, str] = {}
        errors_before = sum(1 for p in problems if p.severity is Severity.error)
        id_col = min(self.layout.columns)
        for col, target in self.layout.columns.items():
            value = cells.get(col)
            if value is None:
                continue
            try:
                f = target.field
                if f in ("id", "justification", "situation_and_measure") or f in TEXT_FIELDS:
                    self.no_personal_data(f, value)
                if f == "id":
                    ident = _text(value)
                    if not m.SLUG_RE.match(ident):
                        raise CellError(f"'{ident}' cannot be used as an id",
                                        "use lower-case letters a-z, digits and hyphens, e.g. trygghetsalarm-2026")
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
                elif f in m.AMOUNT_FIELDS:
                    amount = parse_amount(value, self.layout.units.get(col, 1))
                    if amount is not None:
                        flat[f] = amount
                elif f == "rank":
                    try:
                        rank = _whole_number(value)
                    except ValueError:
                        raise CellError(f"'{_text(value)}' is not a rank",
                                        f"write a whole number from {self.criteria.rank_scale.highest} "
                                        f"to {self.criteria.rank_scale.lowest}") from None
                    low, high = sorted((self.criteria.rank_scale.highest, self.criteria.rank_scale.lowest))
                    if not low <= rank <= high:
                        raise CellError(f"the rank {rank} is outside the scale",
                                        f"write a rank from {self.criteria.rank_scale.highest} "
                                        f"to {self.criteria.rank_scale.lowest}")
                    flat["rank"] = rank
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
        return RowResult(row, values, flat.get("comment"), id_col, generated)

    def nest(self, flat: dict[str, Any], levels: dict[str, str], justifications: dict[str, str]) -> dict[str, Any]:
        """The sheet's values as a measure's fields, in the model's order."""
        d: dict[str, Any] = {}
        if "id" in flat:
            d["id"] = flat["id"]
        d["round"] = self.round.id
        for name in ("title", "summary", "sector", "service_area", "target_area", "focus_area", "type", "need_cause"):
            if name in flat:
                d[name] = flat[name]
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
        years = {k: flat[k] for k in ("year_1", "year_2", "year_3", "years_4_10") if k in flat}
        if years or "cost_kind" in flat:
            line: dict[str, Any] = {"description": flat.get("title", ""), "kind": flat.get("cost_kind")}
            for k in ("year_1", "year_2", "year_3", "years_4_10"):
                line[k] = years.get(k, 0)
            if line["kind"] is None:
                line["kind"] = "one_off" if not any(line[k] for k in ("year_2", "year_3", "years_4_10")) else "recurring"
            d["costs"] = [line]
        if "rank" in flat:
            d["rank"] = flat["rank"]
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
