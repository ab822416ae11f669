"""Every file of the open-data folder, as bytes: the CSV files, the JSON records, the workbook,
the JSON Schemas and the Data Package; and the one date a build writes into files that need one.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from prioportal.model import decisions as m
from prioportal.system.safe_writing import write_files
from prioportal.exports.memo import Memo, cached
from prioportal.model.portal import Portal
from prioportal.exports.open_data.datapackage import datapackage
from prioportal.exports.open_data.rows import Block, Measures, csv_line, table_blocks
from prioportal.exports.open_data.tables import DATAPACKAGE, JSON_FILES, SCHEMA_KINDS, WORKBOOK, tables_of
from prioportal.exports.workbook import EARLIEST_ZIP, sheet_xml, zipped_workbook
from prioportal.exports.zipped import deflate
from prioportal.model.schema import SCHEMA_DIR, schema_for
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.sources.git_history import History, Unavailable


def _csv_bytes(headings: list[str], blocks: list[Block], text_columns: tuple[bool, ...] = ()) -> bytes:
    """The CSV file of a table: its headings, then the rows of the blocks, encoded; the cells of
    the `text_columns` spreadsheet safe (see rows.spreadsheet_safe)."""
    return b"".join([csv_line(tuple(headings)).encode("utf-8"), *(block.csv(text_columns) for block in blocks)])


def source_date(history: History | Unavailable | None = None, portal: Portal | None = None) -> datetime:
    """The one date a build may write into files that need one (workbook properties, DTSTAMP):
    the newest commit of the decisions, so one commit gives the same bytes whenever it is built;
    without git history, SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the
    newest date in the decisions. Never the clock."""
    if isinstance(history, History):
        # Not a shallow clone's boundary: its date is that of the clone's newest commit, which
        # may have changed no decision at all.
        stamps = [v.commit.timestamp for fh in history.files.values() for v in fh.known_versions]
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
    return EARLIEST_ZIP


def _json_line(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(", ", ": "))


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _records_json(objects: Iterable[m.Strict], memo: Memo | None) -> bytes:
    """Every object with all its fields, one per line, encoded (the object kept with its line,
    so that its identity stays its own). One record per line is as readable and as easy to
    compare between versions as an indented file, and is written by json's C encoder, which
    `indent` turns off (ten times slower for a large portal). Lines are encoded one by one: the
    text of the whole file is never held twice over."""
    def line(obj: m.Strict) -> bytes:
        return _json_line(obj.model_dump(mode="json", exclude={"personal_data_allowed"})).encode("utf-8")

    lines = [cached(memo, ("json", id(obj)), lambda obj=obj: (obj, line(obj)))[1] for obj in objects]
    return b"[\n" + b",\n".join(lines) + b"\n]\n" if lines else b"[]\n"


def open_data_files(settings: Settings, portal: Portal, history: History | Unavailable | None = None,
                    memo: Memo | None = None) -> dict[str, bytes]:
    """Every file of the open-data folder, by path within it. A preview passes the `memo` it
    keeps between builds."""
    files: dict[str, bytes] = {}
    sheets = []
    measures = Measures.of(portal, settings, memo)
    tables = tables_of(portal)
    for table in tables:
        headings = [c.name for c in table.columns]
        blocks = table_blocks(table, portal, settings, memo, measures)
        files[table.csv] = _csv_bytes(headings, blocks, tuple(c.type == "string" for c in table.columns))
        # Compressed at once, so a table's rows need not outlive it (at 10 000 measures the
        # worksheets are fifty megabytes of text).
        sheets.append((table.name, deflate(sheet_xml(headings, blocks, False), memo)))
        del blocks
    written = portal.as_written if getattr(portal, "as_written", None) is not None else portal
    files[JSON_FILES["criteria"]] = _records_json(sorted(written.criteria_sets, key=lambda c: c.id), memo)
    files[JSON_FILES["rounds"]] = _records_json(sorted(written.rounds, key=lambda r: r.id), memo)
    files[JSON_FILES["measures"]] = _records_json(sorted(written.measures, key=lambda x: x.id), memo)
    files[WORKBOOK] = zipped_workbook(sheets, source_date(history, portal), settings.site_name, memo)
    for kind in SCHEMA_KINDS:
        bundled = SCHEMA_DIR / f"{kind}.schema.json"
        files[f"schemas/{kind}.schema.json"] = (bundled.read_bytes() if bundled.is_file()
                                                else _json_text(schema_for(kind)).encode("utf-8"))
    files[DATAPACKAGE] = _json_text(datapackage(settings, files, tables)).encode("utf-8")
    return files


def write_open_data(out_dir: Path, settings: Settings, portal: Portal, history: History | Unavailable | None = None) -> list[Path]:
    """Write the open-data folder of the site; return the files written."""
    return write_files(out_dir, {urls.open_data_file(name): data
                                 for name, data in open_data_files(settings, portal, history).items()})
