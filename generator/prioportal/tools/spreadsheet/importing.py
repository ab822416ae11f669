"""`prioportal import`: the plan of what a ranking table would write (every problem with its sheet,
row and column, and nothing planned while an error remains), writing it, and describing it."""

from __future__ import annotations

import difflib
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from prioportal.model import decisions as m
from prioportal.checks.lenient import lenient_documents
from prioportal.checks.files import find_decision_files
from prioportal.problems import InvalidPortal, Problem, Severity, UsageError, display_path
from prioportal.settings import Settings
from prioportal.sources.yaml_files import Document, load_yaml
from prioportal.text.slugs import slugify
from prioportal.tools.spreadsheet.amounts import CellError
from prioportal.tools.spreadsheet.layout import HEADING_SEARCH_ROWS, Mapping, Recogniser, Target, find_layout
from prioportal.tools.spreadsheet.measure_yaml import (dump_yaml, merged, new_file_text, placeholders,
                                                       replace_comment, round_trip_yaml, update_data)
from prioportal.tools.spreadsheet.rows import RowReader, RowResult
from prioportal.tools.spreadsheet.sheets import read_sheets
from prioportal.tools.spreadsheet.vocabulary import COLUMNS, ENUMS, key

READABLE = (".xlsx", ".xlsm", ".ods", ".csv", ".txt")


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


def _existing_measures(settings: Settings) -> dict[str, tuple[Path, str | None]]:
    """id → (file, round) of every measure file that can be read, valid or not."""
    found: dict[str, tuple[Path, str | None]] = {}
    for path in find_decision_files(settings.decisions_dir)["measures"]:
        result = load_yaml(path, path.name)
        data = result.document.data if result.document is not None else {}
        ident = data.get("id") if isinstance(data.get("id"), str) else path.stem
        found.setdefault(ident, (path, data.get("round") if isinstance(data.get("round"), str) else None))
    return found


def load_mapping(path: Path, settings: Settings, criteria: m.CriteriaSet) -> Mapping:
    """A column mapping file; every problem in it is reported with its line."""
    shown = display_path(path.resolve(), settings.root) if path.is_absolute() else str(path)
    if not path.is_file():
        raise UsageError(f"the mapping file {path} does not exist")
    result = load_yaml(path, shown)
    if result.document is None:
        raise InvalidPortal(result.problems)
    doc: Document = result.document
    data = doc.data
    problems: list[Problem] = []
    mapping = Mapping()
    fields = sorted(set(COLUMNS) | {"ignore", "situation_and_measure"})
    criterion_ids = [c.id for c in criteria.criteria]
    allowed_keys = ("columns", "values", "sheet", "heading_row")
    for k in data:
        if k not in allowed_keys:
            problems.append(doc.problem((k,), f"unknown field '{k}'", "use columns, values, sheet or heading_row",
                                        key=True))
    if "sheet" in data:
        mapping.sheet = str(data["sheet"])
    if "heading_row" in data:
        if isinstance(data["heading_row"], int) and data["heading_row"] >= 1:
            mapping.heading_row = data["heading_row"]
        else:
            problems.append(doc.problem(("heading_row",), "heading_row is not a row number",
                                        "write the number of the (last) heading row, e.g. 3"))
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(doc.problem(("columns",), "columns should be headings and what they hold",
                                    "write e.g.  Tiltakets navn: title"))
        columns = {}
    for heading, target in columns.items():
        text = str(target).strip() if target is not None else ""
        crit, _, part = text.partition(".")
        if text in COLUMNS or text in ("ignore", "situation_and_measure"):
            mapping.columns[key(heading)] = Target(text)
        elif crit in criterion_ids and part in ("", "level", "justification"):
            mapping.columns[key(heading)] = Target("justification" if part == "justification" else "level", crit)
        else:
            close = difflib.get_close_matches(text, fields + criterion_ids, n=1)
            problems.append(doc.problem(("columns", heading), f"'{text}' is not a field or a criterion of "
                                                                f"{criteria.id}",
                                        (f"did you mean '{close[0]}'? " if close else "")
                                        + "use one of: " + ", ".join(fields + criterion_ids)
                                        + ", or <criterion>.justification"))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        problems.append(doc.problem(("values",), "values should be fields or criteria with labels",
                                    "write e.g.  nytte: {'++': stor}"))
        values = {}
    for name, labels in values.items():
        if not isinstance(labels, dict):
            problems.append(doc.problem(("values", name), f"the labels of '{name}' should be label: value pairs",
                                        "write e.g.  '++': stor"))
            continue
        if name in criterion_ids:
            ids = [lvl.id for lvl in criteria.criterion(name).scale]
        elif name in ENUMS:
            ids = [e.value for e in ENUMS[name]]
        else:
            problems.append(doc.problem(("values", name), f"'{name}' is not a criterion of {criteria.id} nor a "
                                                          "field with fixed values",
                                        "use a criterion id, or one of: " + ", ".join(ENUMS), key=True))
            continue
        for label, value in labels.items():
            if str(value) not in ids:
                problems.append(doc.problem(("values", name, label), f"'{value}' is not a value of '{name}'",
                                            "use one of: " + ", ".join(ids)))
            else:
                mapping.values.setdefault(name, {})[str(label)] = str(value)
    if problems:
        raise InvalidPortal(problems)
    return mapping


def plan_import(settings: Settings, table: Path, round_id: str, sheet_name: str | None = None,
                mapping_file: Path | None = None, update: bool = False) -> ImportPlan:
    """What the import would write; raises InvalidPortal with every problem when any is an error."""
    rounds = {r.id: r for r in lenient_documents(settings, "rounds")}
    criteria_sets = {c.id: c for c in lenient_documents(settings, "criteria")}
    if round_id not in rounds:
        raise UsageError(f"there is no valid round '{round_id}' — use one of: "
                         f"{', '.join(sorted(rounds)) or '(none yet)'}")
    rnd = rounds[round_id]
    if rnd.criteria not in criteria_sets:
        raise UsageError(f"the round '{round_id}' uses criteria '{rnd.criteria}', which is missing or not valid"
                         " — run 'prioportal validate' and fix it first")
    criteria = criteria_sets[rnd.criteria]
    if not table.is_file():
        raise UsageError(f"there is no file {table}")
    if table.suffix.lower() not in READABLE:
        raise UsageError(f"{table.name} is not a spreadsheet this command reads — save it as .xlsx, .ods or .csv")
    mapping = load_mapping(mapping_file, settings, criteria) if mapping_file else Mapping()
    rec = Recogniser(criteria, mapping)
    try:
        sheets = read_sheets(table)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, ET.ParseError, UnicodeDecodeError) as exc:
        raise InvalidPortal([Problem(table.name, 1, 1, f"the file cannot be read as a spreadsheet ({exc})",
                                     "open it in a spreadsheet program and save it again as .xlsx, .ods or .csv")]) \
            from None
    wanted = sheet_name or mapping.sheet
    if wanted is not None:
        chosen = [s for s in sheets if s.name == wanted]
        if not chosen and wanted.isdigit() and 1 <= int(wanted) <= len(sheets):
            chosen = [sheets[int(wanted) - 1]]
        if not chosen:
            raise UsageError(f"{table.name} has no sheet '{wanted}' — its sheets are: "
                             + ", ".join(s.name for s in sheets))
        sheets = chosen
    layout = None
    for sheet in sheets:
        layout = find_layout(sheet, rec, mapping.heading_row)
        if layout is not None:
            break
    if layout is None:
        names = ", ".join(f"'{s.name}'" for s in sheets)
        raise InvalidPortal([Problem(f"{table.name}[{s.name}]", 1, 1,
                                     f"no column headings of a ranking table were found in the first "
                                     f"{HEADING_SEARCH_ROWS} rows of sheet {names}",
                                     "check that the sheet has a heading row such as Tiltak, Alvorlighet, Nytte, "
                                     "Ressurs, Rang; name other headings in a --mapping file")
                             for s in sheets[:1]])
    shown = f"{table.name}[{layout.sheet.name}]"
    problems: list[Problem] = []
    reader = RowReader(layout, rec, rnd, settings.language, shown, settings.personal_data)
    for col, heading, why in layout.ignored:
        problems.append(reader.problem(layout.last_row + 1, col, f"this column is not imported: {why}",
                                       "name it in a --mapping file if it should be imported, e.g. "
                                       f"'{heading.split(' / ')[-1]}: ignore'", Severity.warning))
    if not any(t.field in ("title", "situation_and_measure") for t in layout.columns.values()):
        problems.append(Problem(shown, layout.last_row + 1, 1, "no column holds the measures' titles",
                                "add a column Tiltak (nb), Åtgärd/Insats (sv) or Measure (en), or map one to "
                                "'title' in a --mapping file"))
        raise InvalidPortal(problems)
    rows = reader.read(problems)
    files = _plan_files(settings, rnd, criteria, reader, rows, update, problems)
    if any(p.severity is Severity.error for p in problems):
        raise InvalidPortal(problems)
    return ImportPlan(files, problems, layout.sheet.name, len(rows))


def _slug(text: str) -> str:
    slug = slugify(text)[:80].strip("-")
    return slug if m.SLUG_RE.match(slug) else "tiltak"


def _plan_files(settings: Settings, rnd: m.Round, criteria: m.CriteriaSet, reader: RowReader,
                rows: list[RowResult], update: bool, problems: list[Problem]) -> list[PlannedFile]:
    existing = _existing_measures(settings)
    folder = settings.decisions_dir / "measures" / str(rnd.year)
    used: dict[str, int] = {}
    planned = []
    for result in rows:
        values = result.values
        title_col = result.id_col
        if result.generated_id:
            base = _slug(values.get("title", "tiltak"))
            ident = base
            if ident in existing and existing[ident][1] not in (None, rnd.id):
                ident = f"{base}-{rnd.year}"[:80]
            n = 2
            while ident in used or (ident in existing and existing[ident][1] not in (None, rnd.id)):
                ident = f"{base[:76]}-{n}"
                n += 1
            values = {"id": ident, **values}
        ident = values["id"]
        if ident in used:
            problems.append(reader.problem(result.row, title_col, f"the id '{ident}' is already used in row {used[ident]}",
                                           "give each measure its own id (or title)"))
            continue
        used[ident] = result.row
        if ident in existing:
            path, round_of = existing[ident]
            shown = display_path(path, settings.root)
            if round_of not in (None, rnd.id):
                problems.append(reader.problem(result.row, title_col,
                                               f"the measure '{ident}' belongs to the round '{round_of}' ({shown})",
                                               "give it another id: a measure is in one round; link the two with "
                                               "'previous'"))
                continue
            if not update:
                problems.append(reader.problem(result.row, title_col,
                                               f"the measure '{ident}' already exists ({shown}) and is not overwritten",
                                               "run again with --update to update it from the sheet, keeping its "
                                               "comments and the fields the sheet does not have"))
                continue
            old_text = path.read_bytes().decode("utf-8-sig")
            try:
                data = round_trip_yaml().load(old_text)
                update_data(data, values, settings.language)
                text = replace_comment(dump_yaml(data), result.comment) if result.comment \
                    else dump_yaml(data)
            except CellError as exc:
                problems.append(reader.problem(result.row, title_col, exc.message, exc.advice))
                continue
            except Exception as exc:  # ruamel cannot read what PyYAML could: report, never crash
                problems.append(reader.problem(result.row, title_col,
                                               f"{shown} cannot be updated ({type(exc).__name__})",
                                               "run 'prioportal validate' and fix the file first"))
                continue
            planned.append(PlannedFile(path, shown, text, old_text, result.row))
        else:
            path = folder / f"{ident}.yml"
            if path.exists():
                problems.append(reader.problem(result.row, title_col,
                                               f"the file {display_path(path, settings.root)} exists, with another id",
                                               "give the measure another id, or rename that file"))
                continue
            data = merged(placeholders(criteria, values), values)
            planned.append(PlannedFile(path, display_path(path, settings.root), new_file_text(rnd.id, data,
                                                                                          result.comment),
                                       None, result.row))
    return planned


def write_plan(plan: ImportPlan) -> list[PlannedFile]:
    """Write the new and updated files; an existing file is written only when planned as an update."""
    written = []
    for planned in plan.files:
        if planned.status == "unchanged":
            continue
        planned.path.parent.mkdir(parents=True, exist_ok=True)
        if planned.old_text is None and planned.path.exists():
            raise UsageError(f"{planned.shown} appeared while importing; nothing more was written")
        planned.path.write_bytes(planned.text.encode("utf-8"))
        written.append(planned)
    return written


def describe_plan(plan: ImportPlan, dry_run: bool) -> str:
    """What was (or, in a dry run, would be) written: every new file in full, every update as a diff."""
    out = []
    for planned in plan.files:
        verb = {"new": "would write" if dry_run else "wrote", "updated": "would update" if dry_run else "updated",
                "unchanged": "unchanged"}[planned.status]
        out.append(f"{verb} {planned.shown} (row {planned.row})")
        if dry_run and planned.status == "new":
            out.append(planned.text.rstrip("\n"))
            out.append("")
        elif dry_run and planned.status == "updated":
            diff = difflib.unified_diff(planned.old_text.splitlines(), planned.text.splitlines(),
                                        f"{planned.shown} (now)", f"{planned.shown} (after the import)", lineterm="")
            out += list(diff) + [""]
    counts = {s: sum(1 for p in plan.files if p.status == s) for s in ("new", "updated", "unchanged")}
    out.append(f"{'dry run: nothing written; ' if dry_run else ''}sheet '{plan.sheet}': {plan.rows} measure(s); "
               f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged")
    return "\n".join(out) + "\n"
