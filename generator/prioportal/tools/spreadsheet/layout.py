"""Recognising a sheet's columns: which rows hold the headings (a group heading merged over
sub-headings is read with them, a title row above is not), and what each column holds: a field,
a criterion's level or its justification, or nothing the import knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prioportal.model import decisions as m
from prioportal.exports.workbook import column_letter
from prioportal.tools.spreadsheet.amounts import unit_of
from prioportal.tools.spreadsheet.sheets import Sheet
from prioportal.tools.spreadsheet.vocabulary import (CONCEPT_INDEX, HEADING_INDEX, JUSTIFICATION_AFTER,
                                                     JUSTIFICATION_BEFORE, SITUATION_MEASURE, YEAR_HEADING, key,
                                                     normalise)

HEADING_SEARCH_ROWS = 20  # headings are looked for in the first rows of a sheet
MAX_HEADING_ROWS = 3  # a heading may span this many rows (a group heading merged over sub-headings)


@dataclass(frozen=True)
class Target:
    """What a column holds: a field, a criterion's level or its justification, or nothing."""

    field: str  # a COLUMNS key, "level", "justification", "situation_and_measure" or "ignore"
    criterion: str | None = None
    score: int = 3  # how sure: 3 exact, 2 a criterion's name at the start, 1 a synonym of its concept

    @property
    def ident(self) -> str:
        return f"{self.field}:{self.criterion}" if self.criterion else self.field


@dataclass
class Mapping:
    """An explicit column mapping file (--mapping)."""

    columns: dict[str, Target] = field(default_factory=dict)  # key(heading) → target
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
        if k in self.mapping.columns:
            return self.mapping.columns[k]
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
        if target.ident in taken:
            ignored.append((col, shown, f"the same as column {column_letter(taken[target.ident])} "
                                        f"({headings[taken[target.ident]]})"))
            continue
        taken[target.ident] = col
        columns[col] = target
        units[col] = unit_of(" ".join(_composite(sheet, first, last, col)))
    for col in range(sheet.width):
        if col not in found:
            parts = _composite(sheet, first, last, col)
            if parts and any(sheet.get(r, col) is not None for r in range(last + 1, len(sheet.cells))):
                headings[col] = _shown(parts)
                ignored.append((col, headings[col], "its heading is not recognised"))
    return Layout(sheet, first, last, dict(sorted(columns.items())), headings, units, sorted(ignored))
