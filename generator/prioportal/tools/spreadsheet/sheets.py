"""Reading a spreadsheet file (.xlsx, .ods, or .csv in the encodings and separators Excel saves in
the Nordic countries) as one grid of cell values per sheet, merged regions filled in. A CSV file
keeps how many fields each of its lines has: a line with more fields than its headings has a
separator inside a text that was not quoted, and the import stops there rather than lose the end."""

from __future__ import annotations

import csv
import io
import math
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prioportal.exports.open_data.rows import FORMULA_START


@dataclass
class Sheet:
    name: str
    cells: list[list[Any]]  # row-major, 0-based; None for an empty cell
    merged: bool = False  # merged regions were filled in (xlsx, ods)
    fields: list[int] | None = None  # a CSV file: the number of fields of each row, as written
    delimiter: str | None = None  # a CSV file: the separator between its fields

    def get(self, row: int, col: int) -> Any:
        if row < len(self.cells) and col < len(self.cells[row]):
            return self.cells[row][col]
        return None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_START):
            value = value[1:]  # made safe from running as a formula by `export`, or by hand
        return value or None
    if hasattr(value, "item") and not isinstance(value, (int, float)):  # numpy scalars
        value = value.item()
    return value


def _frame_cells(frame) -> list[list[Any]]:
    return [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def _decode(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 as
    Excel saves "CSV (semikolonseparert)" on a Nordic Windows."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t,"}
        return max(counts, key=counts.get) if any(counts.values()) else ";"


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file as a grid of cell values, merged regions filled in."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text = _decode(path.read_bytes())
        delimiter = _delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"'))
        return [Sheet(path.stem, [[_cell(v) for v in row] for row in rows], fields=[len(row) for row in rows],
                      delimiter=delimiter)]
    import pandas as pd

    engine = "odf" if suffix == ".ods" else "openpyxl"
    frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
    merges = _ods_merges(path) if suffix == ".ods" else _xlsx_merges(path)
    sheets = []
    for name, frame in frames.items():
        sheet = Sheet(str(name), _frame_cells(frame), merged=True)
        for r1, c1, r2, c2 in merges.get(str(name), ()):
            value = sheet.get(r1, c1)
            if value is None:
                continue
            for r in range(r1, min(r2, r1 + 10_000) + 1):
                while len(sheet.cells) <= r:
                    sheet.cells.append([])
                row = sheet.cells[r]
                while len(row) <= c2:
                    row.append(None)
                for c in range(c1, c2 + 1):
                    row[c] = value
        sheets.append(sheet)
    return sheets


def _xlsx_merges(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=False, data_only=True)
    try:
        return {ws.title: [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
                for ws in workbook.worksheets}
    finally:
        workbook.close()


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_merges(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged regions of an .ods file, from the spans in its content.xml."""
    t = lambda name: f"{{{_ODS_TABLE}}}{name}"  # noqa: E731
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("content.xml"))
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for table in root.iter(t("table")):
        regions = found.setdefault(table.get(t("name"), ""), [])
        row = 0
        for tr in table.iter(t("table-row")):
            col = 0
            for cell in tr:
                if cell.tag not in (t("table-cell"), t("covered-table-cell")):
                    continue
                repeat = int(cell.get(t("number-columns-repeated"), "1"))
                spans = int(cell.get(t("number-columns-spanned"), "1")), int(cell.get(t("number-rows-spanned"), "1"))
                if cell.tag == t("table-cell") and spans != (1, 1):
                    regions.append((row, col, row + spans[1] - 1, col + spans[0] - 1))
                col += min(repeat, 10_000)
            row += min(int(tr.get(t("number-rows-repeated"), "1")), 10_000)
    return found
