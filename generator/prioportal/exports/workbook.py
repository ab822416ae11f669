"""An .xlsx workbook (Office Open XML) written directly: openpyxl takes tens of seconds for a
portal of thousands of measures, and stamps the clock into the file. Here the document dates and
every zip entry's timestamp are the date given, so the same input gives the same bytes; the
worksheets are compressed in chunks (`zipped`), so a preview compresses again only what changed.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any

from prioportal.exports.memo import Memo, cached
from prioportal.exports.zipped import Deflated, deflate, zip_archive

XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EARLIEST_ZIP = datetime(1980, 1, 1, tzinfo=timezone.utc)  # zip dates start in 1980


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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


class SheetRows:
    """Rows to be written one after another on a worksheet. It keeps what they were written as:
    the worksheet text for the row number it last started at."""

    __slots__ = ("rows", "memo", "_xlsx")

    def __init__(self, rows: list[list[Any]], memo: Memo | None = None):
        self.rows = rows
        self.memo = memo  # for the rows one by one, where the block itself is not kept
        self._xlsx: tuple[int, bool, bytes, list[int]] | None = None

    def xlsx(self, start: int, wrap: bool) -> tuple[bytes, list[int]]:
        """The worksheet rows from row number `start`, and the width each column asks for."""
        if self._xlsx is None or self._xlsx[:2] != (start, wrap):
            parts = []
            widths: list[int] = []
            for r, values in enumerate(map(tuple, self.rows), start):
                xml, asked = cached(self.memo, ("xlsx", r, wrap, values),
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


def sheet_xml(headings: list[str], blocks: list[SheetRows], wrap: bool) -> list[bytes]:
    """A worksheet, encoded, in pieces (those of blocks written before are kept by the memo)."""
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
    return zipped_workbook([(name, deflate(sheet_xml(headings, [SheetRows(rows)], wrap)))
                            for name, headings, rows in sheets], when, title)


def zipped_workbook(sheets: list[tuple[str, Deflated]], when: datetime, title: str | None,
                    memo: Memo | None = None) -> bytes:
    """The workbook of worksheets already compressed (`sheet_xml`, then `deflate`), one per
    (name, worksheet), its dates and entries' timestamps `when`."""
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
    zipped = when.astimezone(timezone.utc).timetuple()[:6]  # zip_archive keeps it within 1980-2107
    return zip_archive([(name, [text.encode("utf-8")] if isinstance(text, str) else text) for name, text in files],
                       zipped, memo)


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "Sheet"
    return cleaned[:31]
