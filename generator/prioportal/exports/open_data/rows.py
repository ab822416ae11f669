"""The rows of the open-data tables, sorted by their keys, in blocks: one per measure for a table
of measures, else one per table. A block keeps what its rows were written as (CSV text here, the
worksheet text in `exports.workbook`).

A preview writes these files again after every save, with a `Memo` it keeps between builds
(see `exports.memo`): the rows of a measure are made and written out once while the measure
object lives, and other rows are kept by their values (each column holds values of one type, so
1 and True never meet in one place; a worksheet row also by its number, which its cells name).
The bytes are always those of a build without a memo.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Callable, Iterable

from prioportal.model import decisions as m
from prioportal.exports.memo import Memo, cached
from prioportal.model.portal import Portal
from prioportal.exports.open_data.tables import Table, criteria_of_measures, url_base
from prioportal.exports.workbook import SheetRows
from prioportal.settings import Settings


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


# A cell that starts with one of these is run as a formula by a spreadsheet that opens the file
# (=HYPERLINK(...), +cmd|..., @SUM(...)); a tab or carriage return first is read as the start of
# one by some. OWASP's advice for CSV injection: such a text cell starts with a single quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell as a spreadsheet shows it without running it: '=1+1 for =1+1."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_lines(rows: Iterable[Iterable[Any]], text_columns: tuple[bool, ...] = ()) -> str:
    """RFC 4180 CSV (comma, CRLF, UTF-8 without BOM), as the Table Schema's default dialect. The
    text of the `text_columns` (True for each column of the type string) is made spreadsheet
    safe; a number (a negative amount) stays the number it is."""
    buf = io.StringIO()
    if any(text_columns):
        rows = ([spreadsheet_safe(v) if type(v) is str and i < len(text_columns) and text_columns[i] else v
                 for i, v in enumerate(row)] for row in rows)
    csv.writer(buf, lineterminator="\r\n").writerows([v if type(v) is str else _csv_value(v) for v in row]
                                                      for row in rows)
    return buf.getvalue()


def csv_line(row: tuple, text_columns: tuple[bool, ...] = ()) -> str:
    return _csv_lines([row], text_columns)


class Block(SheetRows):
    """Rows of a table sorted by its key, to be written one after another: those of one measure
    (kept while the measure lives, see _OneMeasure), or all of a small table. It keeps what its
    rows were written as: their CSV text, and the worksheet text for the row number it last
    started at."""

    __slots__ = ("_csv",)

    def __init__(self, rows: list[list[Any]], memo: Memo | None = None):
        super().__init__(rows, memo)
        self._csv: bytes | None = None

    def csv(self, text_columns: tuple[bool, ...] = ()) -> bytes:
        """The rows as CSV; `text_columns` as for `_csv_lines` (a block holds the rows of one
        table, so they are the same on every call)."""
        if self._csv is None:
            if self.memo is None:
                text = _csv_lines(self.rows, text_columns)
            else:
                text = "".join(cached(self.memo, ("csv", text_columns, values),
                                      lambda values=values: csv_line(values, text_columns))
                               for values in map(tuple, self.rows))
            self._csv = text.encode("utf-8")
        return self._csv


def table_rows(table: Table, portal: Portal, settings: Settings | None = None,
               memo: Memo | None = None) -> list[list[Any]]:
    """The rows of `table` as lists in column order, sorted by the primary key. With a `memo`,
    the rows of a measure are made once while the measure object lives."""
    return [row for block in table_blocks(table, portal, settings, memo) for row in block.rows]


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
        self.blocks: dict[str, Block] = {}

    def block(self, table: Table, key: Callable[[list[Any]], tuple], keep: bool) -> Block:
        """The measure's rows of `table`; with `keep` (a preview), kept for the next build."""
        # By the table's name and width: a portal with priority lists has more columns in its tables
        # of measures (`tables.tables_of`), and a preview may come to have its first list.
        kept_as = f"{table.name}/{len(table.columns)}"
        found = self.blocks.get(kept_as)
        if found is None:
            assert table.per_measure is not None
            rows = table.per_measure(self.measure, self.criteria, self.base)
            found = Block(sorted(_as_lists(table, rows), key=key))
            if keep:
                self.blocks[kept_as] = found
        return found


@dataclass(frozen=True)
class Measures:
    """The measures in the order of their ids, each with what it gives the tables of measures."""

    each: list[_OneMeasure]
    distinct: bool  # whether the ids are distinct strings, so each measure's rows can be sorted on their own

    @staticmethod
    def of(portal: Portal, settings: Settings | None, memo: Memo | None) -> Measures:
        ordered = sorted(portal.measures, key=lambda x: x.id)
        ids = [x.id for x in ordered]
        distinct = all(type(i) is str for i in ids) and all(a < b for a, b in zip(ids, ids[1:]))
        criteria_of = criteria_of_measures(portal)
        base = url_base(settings)

        def one(x: m.Measure) -> _OneMeasure:
            cs = criteria_of(x)
            return cached(memo, ("measure", id(x), id(cs), base), lambda: _OneMeasure(x, cs, base))

        return Measures([one(x) for x in ordered], distinct)


def table_blocks(table: Table, portal: Portal, settings: Settings | None, memo: Memo | None,
                 measures: Measures | None = None) -> list[Block]:
    """The rows of `table` in blocks whose concatenation is sorted by the primary key: one block
    per measure for a table of measures, else one block."""
    key = _sort_key(table)
    if table.per_measure is not None:
        measures = measures or Measures.of(portal, settings, memo)
        if measures.distinct:
            # The key's first column is the measure's id and the ids rise strictly from block to
            # block, so sorting each measure's rows gives the order a sort of all of them would
            # (a stable sort of rows in this order).
            return [one.block(table, key, keep=memo is not None) for one in measures.each]
    return [Block(sorted(_as_lists(table, table.rows(portal, settings)), key=key), memo=memo)]
