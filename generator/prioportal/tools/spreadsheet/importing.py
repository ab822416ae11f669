"""`prioportal import`: the plan of what a ranking table would write (every problem with its sheet,
row and column, and nothing planned while an error remains), writing it, and describing it.

A row is the measure of the round with its id, or else with its title: such a row updates that
measure (with `--update`) and never becomes a second one. A new file gets a placeholder for each
year of cost the sheet does not give and, when the sheet does not say one-off or recurring, the
kind guessed from its years, with a warning. What a dry run prints has personal data masked."""

from __future__ import annotations

import difflib
import json
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from prioportal.model import decisions as m
from prioportal.checks.lenient import lenient_documents
from prioportal.checks.files import find_decision_files
from prioportal.checks.personal_data import ScanRules, scan_text
from prioportal.exports.workbook import column_letter
from prioportal.problems import InvalidPortal, Problem, Severity, T, Text, UsageError, display_path, said
from prioportal.settings import Settings
from prioportal.sources.yaml_files import Document, load_yaml
from prioportal.text.slugs import slugify
from prioportal.tools.spreadsheet.amounts import CellError, kroner, parse_amount
from prioportal.tools.spreadsheet.layout import HEADING_SEARCH_ROWS, Layout, Mapping, Recogniser, Target, find_layout
from prioportal.tools.spreadsheet.measure_yaml import (CostsError, dump_yaml, merged, new_file_text, placeholders,
                                                       round_trip_yaml, update_data, without_comment)
from prioportal.tools.spreadsheet.rows import YEARS, RowReader, RowResult
from prioportal.tools.spreadsheet.sheets import read_sheets
from prioportal.tools.spreadsheet.vocabulary import COLUMNS, ENUMS, export_heading, key, loose_key

READABLE = (".xlsx", ".xlsm", ".ods", ".csv", ".txt")
# What a mapping file may name besides the fields: a column to leave out, a "Situation + measure"
# column, and a cost given once for every year.
OTHER_TARGETS = ("ignore", "situation_and_measure", "cost_per_year")


@dataclass
class PlannedFile:
    path: Path
    shown: str
    text: str
    old_text: str | None  # None for a new file
    row: int

    @property
    def status(self) -> str:
        if self.old_text is None:
            return "new"
        return "unchanged" if self.old_text == self.text else "updated"


@dataclass
class ImportPlan:
    files: list[PlannedFile]
    warnings: list[Problem]
    sheet: str
    rows: int
    notes: list[Text] = field(default_factory=list)  # how the amounts of a column are read
    rules: ScanRules = ScanRules(phone_numbers=True)  # what a printed file text is masked by


@dataclass
class Existing:
    path: Path
    round: str | None
    titles: set[str]  # key() of the title, in every language it is written in


def _existing_measures(settings: Settings) -> dict[str, Existing]:
    """id → the file, round and titles of every measure file that can be read, valid or not."""
    found: dict[str, Existing] = {}
    for path in find_decision_files(settings.decisions_dir)["measures"]:
        result = load_yaml(path, path.name)
        data = result.document.data if result.document is not None else {}
        ident = data.get("id") if isinstance(data.get("id"), str) else path.stem
        title = data.get("title")
        titles = [title] if isinstance(title, str) else list(title.values()) if isinstance(title, dict) else []
        found.setdefault(ident, Existing(path, data.get("round") if isinstance(data.get("round"), str) else None,
                                         {key(t) for t in titles if isinstance(t, str) and t.strip()}))
    return found


def load_mapping(path: Path, settings: Settings, criteria: m.CriteriaSet) -> Mapping:
    """A column mapping file; every problem in it is reported with its line."""
    shown = display_path(path.resolve(), settings.root) if path.is_absolute() else str(path)
    if not path.is_file():
        raise UsageError(T("the mapping file {file} does not exist", file=str(path)))
    result = load_yaml(path, shown)
    if result.document is None:
        raise InvalidPortal(result.problems)
    doc: Document = result.document
    data = doc.data
    problems: list[Problem] = []
    mapping = Mapping()
    fields = sorted(set(COLUMNS) | set(OTHER_TARGETS))
    criterion_ids = [c.id for c in criteria.criteria]
    allowed_keys = ("columns", "values", "sheet", "heading_row")
    for k in data:
        if k not in allowed_keys:
            problems.append(doc.problem((k,), T("unknown field '{field}'", field=k),
                                        T("use columns, values, sheet or heading_row"), key=True))
    if "sheet" in data:
        mapping.sheet = str(data["sheet"])
    if "heading_row" in data:
        if isinstance(data["heading_row"], int) and data["heading_row"] >= 1:
            mapping.heading_row = data["heading_row"]
        else:
            problems.append(doc.problem(("heading_row",), T("heading_row is not a row number"),
                                        T("write the number of the (last) heading row, e.g. 3")))
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(doc.problem(("columns",), T("columns should be headings and what they hold"),
                                    T("write e.g.  Tiltakets navn: title")))
        columns = {}
    for heading, target in columns.items():
        text = str(target).strip() if target is not None else ""
        crit, _, part = text.partition(".")
        if text in COLUMNS or text in OTHER_TARGETS:
            mapping.columns[loose_key(heading)] = Target(text, mapped=True)
        elif crit in criterion_ids and part in ("", "level", "justification"):
            mapping.columns[loose_key(heading)] = Target("justification" if part == "justification" else "level",
                                                         crit, mapped=True)
        else:
            close = difflib.get_close_matches(text, fields + criterion_ids, n=1)
            advice = T("use one of: {fields}, or <criterion>.justification", fields=", ".join(fields + criterion_ids))
            problems.append(doc.problem(("columns", heading), T("'{value}' is not a field or a criterion of {criteria}",
                                                                value=text, criteria=criteria.id),
                                        T("did you mean '{close}'? {advice}", close=close[0], advice=advice)
                                        if close else advice))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        problems.append(doc.problem(("values",), T("values should be fields or criteria with labels"),
                                    T("write e.g.  nytte: {{'++': stor}}")))
        values = {}
    for name, labels in values.items():
        if not isinstance(labels, dict):
            problems.append(doc.problem(("values", name), T("the labels of '{name}' should be label: value pairs",
                                                            name=name), T("write e.g.  '++': stor")))
            continue
        if name in criterion_ids:
            ids = [lvl.id for lvl in criteria.criterion(name).scale]
        elif name in ENUMS:
            ids = [e.value for e in ENUMS[name]]
        else:
            problems.append(doc.problem(("values", name), T("'{name}' is not a criterion of {criteria} nor a field "
                                                            "with fixed values", name=name, criteria=criteria.id),
                                        T("use a criterion id, or one of: {fields}", fields=", ".join(ENUMS)),
                                        key=True))
            continue
        for label, value in labels.items():
            if str(value) not in ids:
                problems.append(doc.problem(("values", name, label), T("'{value}' is not a value of '{name}'",
                                                                       value=value, name=name),
                                            T("use one of: {values}", values=", ".join(ids))))
            else:
                mapping.values.setdefault(name, {})[str(label)] = str(value)
    if problems:
        raise InvalidPortal(problems)
    return mapping


def mapping_line(heading: str, target: str) -> str:
    """A line for a mapping file's columns: that works as printed (the heading quoted as YAML)."""
    return f"{json.dumps(heading, ensure_ascii=False)}: {target}"


def plan_import(settings: Settings, table: Path, round_id: str, sheet_name: str | None = None,
                mapping_file: Path | None = None, update: bool = False,
                gettext: Callable[[str], str] = lambda message: message) -> ImportPlan:
    """What the import would write; raises InvalidPortal with every problem when any is an error.
    The placeholders and comments of a new file are in the language of `gettext`, as those of
    `prioportal new measure`."""
    rounds = {r.id: r for r in lenient_documents(settings, "rounds")}
    criteria_sets = {c.id: c for c in lenient_documents(settings, "criteria")}
    if round_id not in rounds:
        raise UsageError(T("there is no valid round '{round}' — use one of: {rounds}", round=round_id,
                           rounds=", ".join(sorted(rounds)) or T("(none yet)")))
    rnd = rounds[round_id]
    if rnd.criteria not in criteria_sets:
        raise UsageError(T("the round '{round}' uses criteria '{criteria}', which is missing or not valid — run "
                           "'prioportal validate' and fix it first", round=round_id, criteria=rnd.criteria))
    criteria = criteria_sets[rnd.criteria]
    if not table.is_file():
        raise UsageError(T("there is no file {file}", file=str(table)))
    if table.suffix.lower() not in READABLE:
        raise UsageError(T("{file} is not a spreadsheet this command reads — save it as .xlsx, .ods or .csv",
                           file=table.name))
    mapping = load_mapping(mapping_file, settings, criteria) if mapping_file else Mapping()
    rec = Recogniser(criteria, mapping)
    try:
        sheets = read_sheets(table)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, ET.ParseError, UnicodeDecodeError) as exc:
        raise InvalidPortal([Problem(table.name, 1, 1, T("the file cannot be read as a spreadsheet ({error})",
                                                         error=str(exc)),
                                     T("open it in a spreadsheet program and save it again as .xlsx, .ods or .csv"))]) \
            from None
    wanted = sheet_name or mapping.sheet
    if wanted is not None:
        chosen = [s for s in sheets if s.name == wanted]
        if not chosen and wanted.isdigit() and 1 <= int(wanted) <= len(sheets):
            chosen = [sheets[int(wanted) - 1]]
        if not chosen:
            raise UsageError(T("{file} has no sheet '{sheet}' — its sheets are: {sheets}", file=table.name,
                               sheet=wanted, sheets=", ".join(s.name for s in sheets)))
        sheets = chosen
    layout = None
    for sheet in sheets:
        layout = find_layout(sheet, rec, mapping.heading_row)
        if layout is not None:
            break
    if layout is None:
        names = ", ".join(f"'{s.name}'" for s in sheets)
        raise InvalidPortal([Problem(f"{table.name}[{s.name}]", 1, 1,
                                     T("no column headings of a ranking table were found in the first {rows} rows of "
                                       "sheet {sheets}", rows=HEADING_SEARCH_ROWS, sheets=names),
                                     T("check that the sheet has a heading row such as Tiltak, Alvorlighet, Nytte, "
                                       "Ressurs, Rang; name other headings in a --mapping file"))
                             for s in sheets[:1]])
    shown = f"{table.name}[{layout.sheet.name}]"
    problems: list[Problem] = []
    reader = RowReader(layout, rec, rnd, settings.language, shown, settings.personal_data,
                       lambda text: said(text, gettext))
    problems += _column_problems(layout, reader, settings.language)
    if not any(t.field in ("title", "situation_and_measure") for t in layout.columns.values()):
        problems.append(Problem(shown, layout.last_row + 1, 1, T("no column holds the measures' titles"),
                                T("add a column Tiltak (nb), Åtgärd/Insats (sv) or Measure (en), or map one to "
                                  "'title' in a --mapping file")))
        raise InvalidPortal(problems)
    rows = reader.read(problems)
    files = _plan_files(settings, rnd, criteria, reader, rows, update, problems)
    if any(p.severity is Severity.error for p in problems):
        raise InvalidPortal(problems)
    return ImportPlan(files, problems, layout.sheet.name, len(rows), _unit_notes(layout), settings.personal_data)


def _column_problems(layout: Layout, reader: RowReader, language: str) -> list[Problem]:
    """What is said once for a column: not imported, no heading, money of no year, years missing."""
    problems = []
    row = layout.last_row + 1
    for col, heading, why in layout.ignored:
        problems.append(reader.problem(row, col, T("this column is not imported: {why}", why=why),
                                       T("if it should be imported, name it in a --mapping file: under columns:, "
                                         "write  {line}  and put the field it holds in place of ignore",
                                         line=mapping_line(heading, "ignore")), Severity.warning))
    for col, first in layout.unheaded:
        problems.append(reader.problem(first + 1, col, T("this column has no heading and is not imported"),
                                       T("give it a heading if it should be imported; if it holds notes, nothing to do"),
                                       Severity.warning))
    for col, target in layout.columns.items():
        if target.field == "amount":
            problems.append(reader.problem(row, col, T("this column holds amounts, but not for which year"),
                                           T("say which in a --mapping file: under columns:, write  {line}  (or "
                                             "year_2, year_3, years_4_10, cost_per_year or granted in place of "
                                             "year_1; ignore to leave it out)", line=mapping_line(layout.headings[col], "year_1"))))
        elif target.field == "cost_per_year":
            problems.append(reader.problem(row, col, T("this column is read as a recurring cost of the same amount "
                                                       "every year, years 1 to 10"),
                                           T("if the first years differ, give the sheet a column for each year "
                                             "instead, or correct the costs in the files"), Severity.warning))
    fields = {t.field for t in layout.columns.values()}
    if reader.has_costs and "cost_per_year" not in fields and not set(YEARS) <= fields:
        missing = ", ".join(export_heading(year, language) for year in YEARS if year not in fields)
        problems.append(Problem(reader.shown, row, 1, T("the sheet has no column for {years}: new files get a "
                                                        "placeholder there, which 'prioportal validate' lists",
                                                        years=missing),
                                T("fill in the placeholders in the files, or add the columns to the sheet"),
                                Severity.warning))
    return problems


def _unit_notes(layout: Layout) -> list[Text]:
    """How a heading's unit scales its column's amounts, with an example from the column."""
    notes = []
    for col, word in sorted(layout.unit_words.items()):
        unit = layout.units[col]
        example: Any = 1
        for r in range(layout.last_row + 1, len(layout.sheet.cells)):
            value = layout.sheet.get(r, col)
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    or isinstance(value, str) and value.strip() and not any(ch.isalpha() for ch in value):
                try:
                    if parse_amount(value, unit) is not None:
                        example = value
                        break
                except CellError:
                    continue
        amount = parse_amount(example, unit)
        shown = str(int(example)) if isinstance(example, float) and example.is_integer() else str(example)
        what = T("millions of kroner ({unit})", unit=word) if unit == 1_000_000 \
            else T("thousands of kroner ({unit})", unit=word)
        notes.append(T("column {column} ({heading}): amounts in {unit}, so {example} in a cell is {kroner} kroner",
                       column=column_letter(col), heading=layout.headings[col], unit=what, example=shown,
                       kroner=kroner(amount)))
    return notes


def _slug(text: str) -> str:
    slug = slugify(text)[:80].strip("-")
    return slug if m.SLUG_RE.match(slug) else "tiltak"


def _same_title(existing: dict[str, Existing], round_id: str, title: Any) -> list[str]:
    k = key(title) if isinstance(title, str) and title.strip() else None
    return sorted(i for i, e in existing.items() if k and e.round == round_id and k in e.titles)


def _new_id(base: str, year: int, existing: dict[str, Existing], used: dict[str, int]) -> str:
    ident = base
    if ident in existing:
        ident = f"{base}-{year}"[:80]
    n = 2
    while ident in used or ident in existing:
        ident = f"{base[:76]}-{n}"
        n += 1
    return ident


def _plan_files(settings: Settings, rnd: m.Round, criteria: m.CriteriaSet, reader: RowReader,
                rows: list[RowResult], update: bool, problems: list[Problem]) -> list[PlannedFile]:
    existing = _existing_measures(settings)
    folder = settings.decisions_dir / "measures" / str(rnd.year)
    used: dict[str, int] = {}
    planned = []
    for result in rows:
        # The table's comment is kept in the file, in a field that is never published.
        values = {**result.values, "internal_note": result.comment} if result.comment else result.values
        col = result.id_col
        same = _same_title(existing, rnd.id, values.get("title"))
        by_title = False
        if result.generated_id:
            if len(same) > 1:
                problems.append(reader.problem(result.row, col, T("{count} measures of the round have this title: "
                                                                  "{ids}", count=len(same), ids=", ".join(same)),
                                               T("add an Id column with the id of the measure this row is about")))
                continue
            by_title = bool(same)
            ident = same[0] if same else _new_id(_slug(values.get("title", "tiltak")), rnd.year, existing, used)
            values = {"id": ident, **values}
        ident = values["id"]
        if ident in used:
            problems.append(reader.problem(result.row, col, T("the id '{id}' is already used in row {row}", id=ident,
                                                              row=used[ident]),
                                           T("give each measure its own id (or title)")))
            continue
        used[ident] = result.row
        if ident not in existing and same:
            other = existing[same[0]]
            problems.append(reader.problem(result.row, col, T("the round already has a measure with this title, "
                                                              "'{id}' ({file})", id=same[0],
                                                              file=display_path(other.path, settings.root)),
                                           T("write its id in the Id cell to update it, or give this measure a title "
                                             "of its own")))
            continue
        if ident in existing:
            found = existing[ident]
            shown = display_path(found.path, settings.root)
            if found.round not in (None, rnd.id):
                problems.append(reader.problem(result.row, col, T("the measure '{id}' belongs to the round '{round}' "
                                                                  "({file})", id=ident, round=found.round, file=shown),
                                               T("give it another id: a measure is in one round; link the two with "
                                                 "'previous'")))
                continue
            if not update:
                message = (T("the measure '{id}' already exists ({file}) with this title and is not overwritten",
                             id=ident, file=shown) if by_title else
                           T("the measure '{id}' already exists ({file}) and is not overwritten", id=ident, file=shown))
                problems.append(reader.problem(result.row, col, message,
                                               T("run again with --update to update it from the sheet, keeping its "
                                                 "comments and the fields the sheet does not have")))
                continue
            update_file = _planned_update(settings, reader, result, values, found.path, shown, problems)
            if update_file is not None:
                planned.append(update_file)
        else:
            path = folder / f"{ident}.yml"
            if path.exists():
                problems.append(reader.problem(result.row, col, T("the file {file} exists, with another id",
                                                                  file=display_path(path, settings.root)),
                                               T("give the measure another id, or rename that file")))
                continue
            costs = values.get("costs")
            if costs or reader.has_costs:
                values = {**values, "costs": [reader.complete_cost_line(result, costs[0] if costs else {}, problems)]}
            data = merged(placeholders(criteria, values, reader.say, pair=rnd.is_priority_list), values)
            text = new_file_text(rnd.id, data, reader.say)
            planned.append(PlannedFile(path, display_path(path, settings.root), text, None, result.row))
    return planned


def _planned_update(settings: Settings, reader: RowReader, result: RowResult, values: dict[str, Any], path: Path,
                    shown: str, problems: list[Problem]) -> PlannedFile | None:
    old_text = path.read_bytes().decode("utf-8-sig")
    try:
        data = round_trip_yaml().load(old_text)
        if values.get("costs") and not data.get("costs"):  # the file has no cost line yet: as for a new one
            values = {**values, "costs": [reader.complete_cost_line(result, values["costs"][0], problems)]}
        update_data(data, values, settings.language)
        text = dump_yaml(data)
        if result.comment:  # now in internal_note: the comment lines an earlier import wrote go
            text = without_comment(text)
    except CostsError as exc:
        problems.append(reader.problem(result.row, result.cols.get(exc.field, result.id_col), exc.message, exc.advice))
        return None
    except CellError as exc:
        problems.append(reader.problem(result.row, result.id_col, exc.message, exc.advice))
        return None
    except Exception as exc:  # ruamel cannot read what PyYAML could: report, never crash
        problems.append(reader.problem(result.row, result.id_col, T("{file} cannot be updated ({error})", file=shown,
                                                                    error=type(exc).__name__),
                                       T("run 'prioportal validate' and fix the file first")))
        return None
    return PlannedFile(path, shown, text, old_text, result.row)


def write_plan(plan: ImportPlan) -> list[PlannedFile]:
    """Write the new and updated files; an existing file is written only when planned as an update."""
    written = []
    for planned in plan.files:
        if planned.status == "unchanged":
            continue
        planned.path.parent.mkdir(parents=True, exist_ok=True)
        if planned.old_text is None and planned.path.exists():
            raise UsageError(T("{file} appeared while importing; nothing more was written", file=planned.shown))
        planned.path.write_bytes(planned.text.encode("utf-8"))
        written.append(planned)
    return written


def masked(text: str, rules: ScanRules) -> str:
    """`text` with every piece of personal data the rules find in it masked, to be printed."""
    for finding in sorted(scan_text(text, rules), key=lambda f: f.start, reverse=True):
        text = text[:finding.start] + finding.text + text[finding.end:]
    return text


def describe_plan(plan: ImportPlan, dry_run: bool) -> list[str | Text]:
    """What was (or, in a dry run, would be) written: how amounts are read, every new file in full,
    every update as a diff; personal data masked."""
    out: list[str | Text] = list(plan.notes)
    for planned in plan.files:
        status = planned.status
        if status == "new":
            out.append(T("would write {file} (row {row})", file=planned.shown, row=planned.row) if dry_run
                       else T("wrote {file} (row {row})", file=planned.shown, row=planned.row))
        elif status == "updated":
            out.append(T("would update {file} (row {row})", file=planned.shown, row=planned.row) if dry_run
                       else T("updated {file} (row {row})", file=planned.shown, row=planned.row))
        else:
            out.append(T("unchanged {file} (row {row})", file=planned.shown, row=planned.row))
        if dry_run and status == "new":
            out += [masked(planned.text.rstrip("\n"), plan.rules), ""]
        elif dry_run and status == "updated":
            diff = difflib.unified_diff(planned.old_text.splitlines(), planned.text.splitlines(),
                                        f"{planned.shown} (now)", f"{planned.shown} (after the import)", lineterm="")
            out += [masked("\n".join(diff), plan.rules), ""]
    counts = {s: sum(1 for p in plan.files if p.status == s) for s in ("new", "updated", "unchanged")}
    summary = T("sheet '{sheet}': {rows} measure(s); {new} new, {updated} updated, {unchanged} unchanged",
                sheet=plan.sheet, rows=plan.rows, new=counts["new"], updated=counts["updated"],
                unchanged=counts["unchanged"])
    out.append(T("dry run: nothing written; {summary}", summary=summary) if dry_run else summary)
    return out
