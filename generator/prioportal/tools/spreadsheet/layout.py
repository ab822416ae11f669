"""Recognising a sheet's columns: which rows hold the headings (a group heading merged over
sub-headings is read with them, a title row above is not), and what each column holds: a field,
a criterion's level or its justification, an amount, or nothing the import knows.

A column is an amount when its heading names money ("Kostnad, tkr") or its cells hold amounts
and no level ("Kostnad" over 850 000), even where its words are a criterion's: the resource
criterion of the source tools is called "Kostnad" too. An amount that names no year is not
guessed: the import asks which year it is, with a mapping line that works as printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prioportal.model import decisions as m
from prioportal.problems import T
from prioportal.exports.workbook import column_letter
from prioportal.tools.spreadsheet.amounts import CellError, heading_unit, parse_amount, unit_of
from prioportal.tools.spreadsheet.sheets import Sheet
from prioportal.tools.spreadsheet.vocabulary import (CONCEPT_INDEX, COST_PER_YEAR, HEADING_INDEX,
                                                     JUSTIFICATION_AFTER, JUSTIFICATION_BEFORE, SITUATION_MEASURE,
                                                     YEAR_HEADING, key, loose_key, normalise)

AMOUNT_TARGETS = frozenset(m.AMOUNT_FIELDS) | {"cost_per_year", "amount"}
HEADING_SEARCH_ROWS = 20  # headings are looked for in the first rows of a sheet
MAX_HEADING_ROWS = 3  # a heading may span this many rows (a group heading merged over sub-headings)


@dataclass(frozen=True)
class Target:
    """What a column holds: a field, a criterion's level or its justification, or nothing."""

    # A COLUMNS key, "level", "justification", "situation_and_measure", "ignore", "cost_per_year"
    # (the same amount every year), or "amount" (money, but of no year the sheet says).
    field: str
    criterion: str | None = None
    score: int = 3  # how sure: 3 exact, 2 a criterion's name at the start, 1 a synonym of its concept
    mapped: bool = False  # named in a --mapping file: taken as it is

    @property
    def is_amount(self) -> bool:
        return self.field in AMOUNT_TARGETS

    @property
    def ident(self) -> str:
        return f"{self.field}:{self.criterion}" if self.criterion else self.field


@dataclass
class Mapping:
    """An explicit column mapping file (--mapping)."""

    columns: dict[str, Target] = field(default_factory=dict)  # loose_key(heading) → target
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field or criterion id → key(label) → value
    sheet: str | None = None
    heading_row: int | None = None


class Recogniser:
    def __init__(self, criteria: m.CriteriaSet, mapping: Mapping | None = None):
        self.criteria = criteria
        self.mapping = mapping or Mapping()
        self.by_key: dict[str, str] = {}
        for c in criteria.criteria:
            for text in (c.id, str(c.name)):
                self.by_key.setdefault(key(text), c.id)
        self.concepts: dict[str, list[str]] = {}
        for c in criteria.criteria:
            for text in (c.id, str(c.name)):
                concept = CONCEPT_INDEX.get(key(text))
                if concept and c.id not in self.concepts.get(concept, []):
                    self.concepts.setdefault(concept, []).append(c.id)

    def criterion(self, text: str) -> tuple[str, int] | None:
        k = key(text)
        if k in self.by_key:
            return self.by_key[k], 3
        for name_key, ident in self.by_key.items():
            if len(name_key) >= 4 and k.startswith(name_key + " "):
                return ident, 2
        concept = CONCEPT_INDEX.get(k)
        candidates = self.concepts.get(concept, []) if concept else []
        if len(candidates) > 1:
            # Two criteria of one concept ("Effekt av åtgärden", "Nytta för målområdet"): the one
            # that shares a word with the heading ("Förväntad effekt", "Bedömd nytta").
            words = {w for w in k.split() if len(w) >= 4}
            candidates = [c for c in candidates
                          if words & {w for w in key(str(self.criteria.criterion(c).name)).split() + c.split("-")}]
        if len(candidates) == 1:
            return candidates[0], 1
        return None

    def recognise(self, heading: Any) -> Target | None:
        if heading is None:
            return None
        text = str(heading)
        k = key(text)
        if not k:
            return None
        if loose_key(text) in self.mapping.columns:
            return self.mapping.columns[loose_key(text)]
        n = normalise(text)
        for pattern, group in ((JUSTIFICATION_AFTER, 1), (JUSTIFICATION_BEFORE, 1)):
            match = pattern.match(n)
            if match:
                found = self.criterion(match.group(group))
                if found:
                    return Target("justification", found[0], found[1])
        found = self.criterion(text)
        if found and found[1] == 3:
            return Target("level", found[0], 3)
        year = YEAR_HEADING.match(n)
        if year:
            first, last = int(year.group(1)), year.group(2)
            if last is None and first in (1, 2, 3):
                return Target(f"year_{first}")
            if first == 4 and last is not None:
                return Target("years_4_10")
        if COST_PER_YEAR.match(n):
            return Target("cost_per_year")
        if SITUATION_MEASURE.match(n):
            return Target("situation_and_measure")
        if k in HEADING_INDEX:
            return Target(HEADING_INDEX[k])
        if found:
            return Target("level", found[0], found[1])
        return None


@dataclass
class Layout:
    """Where a sheet's headings are, and what each column holds."""

    sheet: Sheet
    first_row: int  # 0-based first heading row
    last_row: int  # 0-based last heading row; data starts after it
    columns: dict[int, Target]
    headings: dict[int, str]  # column → heading text as shown in problems
    units: dict[int, int]
    ignored: list[tuple[int, str, str]]  # column, heading, why
    unheaded: list[tuple[int, int]] = field(default_factory=list)  # a column without heading, its first data row
    unit_words: dict[int, str] = field(default_factory=dict)  # column → its heading's unit as written, "tkr"
    heading_fields: int | None = None  # a CSV file: the fields of its heading rows

    def heading_text(self, col: int) -> str:
        return " ".join(_composite(self.sheet, self.first_row, self.last_row, col))


def _composite(sheet: Sheet, first: int, last: int, col: int) -> list[str]:
    parts: list[str] = []
    for r in range(first, last + 1):
        value = sheet.get(r, col)
        if value is None and r < last and not sheet.merged:
            # A CSV export of a merged group heading ("Kostnad (tkr);;;") has it in the first
            # cell only: it covers the columns to its right that have a sub-heading below.
            c = col
            while c > 0 and sheet.get(r, c) is None and sheet.get(last, c) is not None:
                c -= 1
            value = sheet.get(r, c) if sheet.get(last, c) is not None else None
        if value is not None:
            text = str(value).strip()
            if not parts or parts[-1] != text:
                parts.append(text)
    return parts


def _shown(parts: list[str]) -> str:
    """A heading as a message shows it: a line break inside it is a space."""
    return " / ".join(" ".join(part.split()) for part in parts)


def _recognise_column(rec: Recogniser, parts: list[str]) -> tuple[Target | None, str]:
    if not parts:
        return None, ""
    # The whole heading first ("Svårighetsgrad / Motivering" is a justification), then the
    # lowest part ("Kostnad (tkr) / År 1" is year 1), then the parts above it.
    candidates = [" ".join(parts), parts[-1]] + [parts[i] for i in range(len(parts) - 2, -1, -1)]
    if len(parts) > 2:
        candidates.insert(2, " ".join(parts[-2:]))
    for candidate in candidates:
        target = rec.recognise(candidate)
        if target is not None:
            return target, _shown(parts)
    return None, _shown(parts)


def _is_title_row(sheet: Sheet, row: int) -> bool:
    """A row with one text for the whole table ("Rangordning 2026 – Socialnämnden"), alone or
    merged across it: a title above the headings, not a group heading over some of them."""
    cells = [(c, v) for c, v in ((c, sheet.get(row, c)) for c in range(sheet.width)) if v is not None]
    if not cells or len({str(v) for _, v in cells}) != 1:
        return False
    return cells[0][0] == 0 or len(cells) >= 0.75 * sheet.width


def find_layout(sheet: Sheet, rec: Recogniser, heading_row: int | None = None) -> Layout | None:
    """The heading rows that name the most known columns (a group heading row above sub-headings
    counts as part of the heading), and what each column holds."""
    best: tuple[int, int, int, dict[int, tuple[Target, str]]] | None = None
    rows = range(min(len(sheet.cells), max(HEADING_SEARCH_ROWS, heading_row or 0)))
    titles = {r for r in rows if _is_title_row(sheet, r)}
    for last in rows:
        if heading_row is not None and last != heading_row - 1:
            continue
        for height in range(1, MAX_HEADING_ROWS + 1):
            first = last - height + 1
            if first < 0 or first in titles:
                break
            found: dict[int, tuple[Target, str]] = {}
            for col in range(sheet.width):
                target, shown = _recognise_column(rec, _composite(sheet, first, last, col))
                if target is not None:
                    found[col] = (target, shown)
            score = len({t.ident for t, _ in found.values() if t.field != "ignore"})
            # The most columns named wins; for the same last heading row, the taller block wins
            # ties, so a group heading above (its unit, "Kostnad (tkr)") is read with it.
            if score >= 2 and (best is None or score > best[0] or (score == best[0] and last == best[2])):
                best = (score, first, last, found)
    if best is None:
        return None
    _, first, last, found = best
    for col, (target, shown) in list(found.items()):
        as_amount = _as_amount(sheet, rec, first, last, col, target)
        if as_amount is not None:
            found[col] = (as_amount, shown)
    for col in range(sheet.width):
        # An unknown heading that names money is an amount: never left out unsaid.
        parts = _composite(sheet, first, last, col)
        if col not in found and parts and heading_unit(" ".join(parts)) is not None \
                and _data_cells(sheet, last, col):
            found[col] = (Target("amount", score=0), _shown(parts))
    columns: dict[int, Target] = {}
    headings: dict[int, str] = {}
    units: dict[int, int] = {}
    ignored: list[tuple[int, str, str]] = []
    taken: dict[str, int] = {}
    for col in sorted(found, key=lambda c: (-found[c][0].score, c)):
        target, shown = found[col]
        headings[col] = shown
        if target.field == "ignore":
            continue
        if target.ident in taken and target.field != "amount":
            ignored.append((col, shown, T("the same as column {column} ({heading})",
                                          column=column_letter(taken[target.ident]),
                                          heading=headings[taken[target.ident]])))
            continue
        taken.setdefault(target.ident, col)
        columns[col] = target
        units[col] = unit_of(" ".join(_composite(sheet, first, last, col)))
    if any(t.field.startswith("year") for t in columns.values()):
        for col in [c for c, t in columns.items() if t.field == "cost_per_year"]:
            ignored.append((col, headings[col], T("the columns for each year give the costs")))
            del columns[col], units[col]
    unheaded: list[tuple[int, int]] = []
    heading_fields = max(sheet.fields[first:last + 1], default=0) if sheet.fields is not None else None
    for col in range(sheet.width):
        if col not in found:
            parts = _composite(sheet, first, last, col)
            data = _data_cells(sheet, last, col)
            if parts and data:
                headings[col] = _shown(parts)
                ignored.append((col, headings[col], T("its heading is not recognised")))
            elif data and (heading_fields is None or col < heading_fields):
                unheaded.append((col, data[0][0]))
    unit_words = {}
    for col, target in columns.items():
        found_unit = heading_unit(" ".join(_composite(sheet, first, last, col)))
        if found_unit and found_unit[0] > 1 and target.is_amount:
            unit_words[col] = found_unit[1]
    return Layout(sheet, first, last, dict(sorted(columns.items())), headings, units, sorted(ignored), unheaded,
                  unit_words, heading_fields)


def _data_cells(sheet: Sheet, last: int, col: int) -> list[tuple[int, Any]]:
    """The filled cells of a column below its heading: (0-based row, value)."""
    return [(r, v) for r in range(last + 1, len(sheet.cells)) if (v := sheet.get(r, col)) is not None]


def _as_amount(sheet: Sheet, rec: Recogniser, first: int, last: int, col: int, target: Target) -> Target | None:
    """An amount's target for a column recognised as a criterion's level whose heading names
    money, or whose cells hold amounts and none of the criterion's levels; None otherwise."""
    if target.field != "level" or target.mapped:
        return None
    heading = " ".join(_composite(sheet, first, last, col))
    money = heading_unit(heading) is not None
    if not money:
        criterion = rec.criteria.criterion(target.criterion)
        levels = {key(text) for level in criterion.scale for text in (level.id, str(level.label))}
        amounts = 0
        for _, value in _data_cells(sheet, last, col):
            if key(value) in levels:
                return None
            try:
                amounts += parse_amount(value, unit_of(heading)) is not None and not isinstance(value, bool)
            except CellError:
                continue
        if not amounts:
            return None
    return Target("cost_per_year" if COST_PER_YEAR.match(normalise(heading)) else "amount", score=0)
