"""Listings of measures cut into pages: a round's ranking, its follow-up, its openness report
and its changes, and the measures of a sector or an outcome across rounds (`Group`).

A listing is cut into pages of a fixed size so that no page grows with the portal. Page 1 keeps
the listing's own address; page k is at `urls.listing_page(<listing>, k)`. A listing that fits
on one page is rendered exactly as before pagination existed. `Pagination` says where a page
stands among its listing's pages; each listing has its own way of cutting (`ranking_pages`
draws the funding line on the page where it falls, `openness_pages` shows the whole checklist
on every page).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Iterable, Sequence, TypeVar

from prioportal.analyses.comparisons import RoundComparison
from prioportal.analyses.funding_claims import FundingClaim, LineClaim
from prioportal.analyses.openness import ChecklistItem
from prioportal.analyses.ranking import FundingRow
from prioportal.model import decisions as m
from prioportal.site import urls
from prioportal.site.round_views import Listed, RoundView
from prioportal.text.i18n import sort_key
from prioportal.text.slugs import unique_slugs

T = TypeVar("T")


def group_slugs(names: Iterable[str], language: str) -> dict[str, str]:
    """The slug of each sector's (or target area's) address, by name, in the order the language
    sorts the names: the listings' pages and the feeds (`exports.follow`) take them from here."""
    return unique_slugs(sorted(set(names), key=lambda name: sort_key(name, language)))


def every_kind_first(items: Sequence[T], kind: Callable[[T], Any], limit: int) -> list[T]:
    """At most `limit` of `items`, in their own order, the first item of every kind taken before
    the second of any: the latest decisions show a cut and a postponement beside what was funded,
    where the highest-ranked measures alone would all have been funded. When every item fits,
    they are all there, as they were."""
    by_kind: dict[Any, list[int]] = {}
    for index, item in enumerate(items):
        by_kind.setdefault(kind(item), []).append(index)
    chosen: list[int] = []
    depth = 0
    while len(chosen) < min(limit, len(items)):
        chosen += [indices[depth] for indices in by_kind.values() if depth < len(indices)][:limit - len(chosen)]
        depth += 1
    return [items[i] for i in sorted(chosen)]


@dataclass(frozen=True)
class Group:
    """Measures sharing a sector or an outcome, for the browsable index that works without JavaScript."""

    slug: str
    title: str
    measures: tuple[Listed, ...]  # newest round first, then rank order

    def by_round(self) -> list[tuple[m.Round, list[Listed]]]:
        rounds: dict[str, tuple[m.Round, list[Listed]]] = {}
        for item in self.measures:
            rounds.setdefault(item.round.round.id, (item.round.round, []))[1].append(item)
        return list(rounds.values())


# A follow-up entry (heading, indicator table and evaluation) weighs about three ranking rows,
# so the follow-up page holds a third as many measures to stay within the page-weight budget.
FOLLOW_UP_ROWS_PER_ENTRY = 3
_WINDOW = 2  # page numbers shown on each side of the current one before a gap


@dataclass(frozen=True)
class Pagination:
    """Where one page of a listing stands among the listing's pages."""

    base_url: str  # the listing's first page, relative to the site root, e.g. "rounds/x/"
    number: int  # 1-based
    count: int
    start: int  # index of this page's first item in the whole listing
    shown: int  # items on this page
    total: int  # items in the whole listing

    @property
    def first(self) -> int:
        return self.start + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.start + self.shown

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    @property
    def path(self) -> str:
        return urls.file_of(self.url(self.number))

    def url(self, number: int) -> str:
        return urls.listing_page(self.base_url, number)

    def window(self) -> tuple[int | None, ...]:
        """The page numbers to link: the first, the last and those near this one; None marks a gap."""
        near = range(max(1, self.number - _WINDOW), min(self.count, self.number + _WINDOW) + 1)
        numbers = sorted({1, self.count, *near})
        shown: list[int | None] = []
        for n in numbers:
            if shown and n - shown[-1] == 2:  # a gap of one page: show that page, not an ellipsis
                shown.append(n - 1)
            elif shown and n - shown[-1] > 2:
                shown.append(None)
            shown.append(n)
        return tuple(shown)


def paginate(items: Sequence[T], size: int, base_url: str) -> list[tuple[tuple[T, ...], Pagination]]:
    """The items cut into pages of at most `size`; an empty listing still has its one page."""
    size = max(1, size)
    count = max(1, -(-len(items) // size))
    chunks = [tuple(items[i * size:(i + 1) * size]) for i in range(count)]
    return [(chunk, Pagination(base_url, i + 1, count, i * size, len(chunk), len(items)))
            for i, chunk in enumerate(chunks)]


@dataclass(frozen=True)
class RankingPage:
    """One page of a round's ranked list, with the funding line where it falls."""

    rows: tuple[FundingRow, ...]
    line_at: int | None  # the funding line is drawn before rows[line_at]
    all_fit: bool  # every measure fits the frame: the line is drawn after this (the last) page's rows
    line_page: int  # the page on which the funding line is drawn
    above: int  # measures above the funding line in the whole round
    # What the line's sentence may say (analyses/funding_claims.py), on the page that draws it;
    # nothing on the others, so that they do not change with figures they do not show.
    claim: FundingClaim | None


def ranking_pages(rv: RoundView, size: int, base_url: str) -> list[tuple[RankingPage, Pagination]]:
    rows = rv.funding.rows
    # The line is drawn once, before the first measure that does not fit (later rows may fit
    # on their own, but the order is the council's priority).
    line = next((i for i, row in enumerate(rows) if not row.above_line), None)
    above = rv.funding.line_after
    pages = paginate(rows, size, base_url)
    line_page = line // max(1, size) + 1 if line is not None else len(pages)
    claim = rv.funding_claim
    # A round without measures has no line to draw (not "all measures fit").
    all_fit = claim.kind is LineClaim.ALL_FIT
    return [(RankingPage(chunk, line - p.start if p.number == line_page and line is not None else None,
                         all_fit and p.number == p.count, line_page, above,
                         claim if p.number == line_page else None), p)
            for chunk, p in pages]


def follow_up_pages(rv: RoundView, size: int, base_url: str) -> list[tuple[tuple, Pagination]]:
    return paginate(rv.followed_up, max(1, size // FOLLOW_UP_ROWS_PER_ENTRY), base_url)


def group_pages(group: Group, size: int, base_url: str) -> list[tuple[Group, Pagination]]:
    return [(replace(group, measures=chunk), p) for chunk, p in paginate(group.measures, size, base_url)]


CHANGE_SECTIONS = ("moved_up", "moved_down", "outcome_changed", "assessment_changed", "new", "dropped")  # in the page's order


def round_change_pages(comparison: RoundComparison, size: int, base_url: str) -> list[tuple[RoundComparison, Pagination]]:
    """The comparison with only each page's share of every section it shows (and nothing of the
    others, so a page changes only with what it shows); the sections follow each other across
    the pages in the order the page shows them."""
    entries = [(name, x) for name in CHANGE_SECTIONS for x in getattr(comparison, name)]
    hidden = {f.name: () for f in fields(comparison)
              if f.name not in CHANGE_SECTIONS and isinstance(getattr(comparison, f.name), tuple)}
    return [(replace(comparison, **hidden, **{name: tuple(x for n, x in chunk if n == name) for name in CHANGE_SECTIONS}), p)
            for chunk, p in paginate(entries, size, base_url)]


def change_totals(comparison: RoundComparison) -> dict[str, int]:
    """How many measures each section of the comparison lists in all, for the headings of every page."""
    return {name: len(getattr(comparison, name)) for name in CHANGE_SECTIONS}


@dataclass(frozen=True)
class OpennessRow:
    """A checklist item with the measures concerned that this page lists."""

    item: ChecklistItem
    elsewhere: tuple[int, ...] = ()  # the other pages that list measures concerned by the item


def openness_pages(items: Sequence[ChecklistItem], size: int,
                   base_url: str) -> list[tuple[tuple[OpennessRow, ...], Pagination]]:
    """Every page shows the whole checklist; the measures concerned are spread over the pages."""
    entries = [(i, ident) for i, item in enumerate(items) for ident in item.measures]
    pages = paginate(entries, size, base_url)
    listed_on: dict[int, list[int]] = {}
    for chunk, p in pages:
        for i in dict.fromkeys(i for i, _ in chunk):
            listed_on.setdefault(i, []).append(p.number)
    return [(tuple(OpennessRow(replace(item, measures=tuple(x for j, x in chunk if j == i)),
                               tuple(n for n in listed_on.get(i, ()) if n != p.number))
                   for i, item in enumerate(items)), p)
            for chunk, p in pages]
