"""What the pages of a priority list show: its pairs of a condition and a measure grouped by
condition group and ordered by rank, the pairs it gives a recommendation instead of a rank
(shown apart, with what the recommendation means), and the same pairs by rank band
(`PriorityListView`); and, across the services of a region, every service's latest list side
by side, band by band (`ListsOverview`).

Plain functions of a round's view (`round_views.RoundView`): the words (the service, the
groups, the bands' meanings, the recommendations) are all the portal's own, from the list's
criteria set and its pairs; nothing here knows a health-care term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from prioportal.analyses.comparisons import previous_round
from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.site.round_views import RoundView
from prioportal.text.i18n import sort_key
from prioportal.text.slugs import slugify, unique_slugs


@dataclass(frozen=True)
class ConditionGroup:
    """The pairs of one condition group: those with a rank in rank order, then the others."""

    slug: str
    name: str
    ranked: tuple[m.Measure, ...]
    recommended: tuple[m.Measure, ...]  # with a recommendation instead of a rank
    unranked: tuple[m.Measure, ...]  # neither yet (a list still in preparation)

    @property
    def pairs(self) -> tuple[m.Measure, ...]:
        return self.ranked + self.recommended + self.unranked


@dataclass(frozen=True)
class BandPairs:
    """The pairs whose rank falls in one band of the rank scale, in rank order."""

    slug: str  # e.g. "1-3"
    first: int
    last: int
    meaning: str | None  # what a rank in the band means for the reader; None for a scale without bands
    pairs: tuple[m.Measure, ...]


@dataclass(frozen=True)
class RecommendationPairs:
    """The pairs given one recommendation instead of a rank."""

    recommendation: m.Recommendation
    pairs: tuple[m.Measure, ...]

    @property
    def slug(self) -> str:
        return self.recommendation.id


@dataclass(frozen=True)
class PriorityListView:
    round: m.Round
    criteria: m.CriteriaSet
    groups: tuple[ConditionGroup, ...]  # in the language's order of their names
    bands: tuple[BandPairs, ...]  # every band of the scale (or every rank used, without bands), highest first
    recommendations: tuple[RecommendationPairs, ...]  # every recommendation the criteria define, in their order
    changes_from: m.Round | None  # the earlier version it is compared with, if any
    newer: m.Round | None = None  # the newest version of the list, where a later one replaces it (`newest_versions`)

    @property
    def pair_count(self) -> int:
        return sum(len(g.pairs) for g in self.groups)

    def band_of(self, measure: m.Measure) -> BandPairs | None:
        return next((b for b in self.bands if measure.rank is not None and b.first <= measure.rank <= b.last), None)

    def recommendation_of(self, measure: m.Measure) -> m.Recommendation | None:
        return self.criteria.recommendation(measure.recommendation) if measure.recommendation else None


def _by_rank(pairs: Iterable[m.Measure]) -> tuple[m.Measure, ...]:
    return tuple(sorted(pairs, key=lambda x: (x.rank is None, x.rank or 0, x.title.casefold(), x.id)))


def bands_of(criteria: m.CriteriaSet, ranks: Iterable[int]) -> list[tuple[int, int, str | None]]:
    """The bands of a list's rank scale as (first, last, meaning); a scale without bands has one
    band per rank used, so that the list can still be read rank by rank."""
    if criteria.rank_scale.bands:
        return [(b.ranks[0], b.ranks[1], b.meaning) for b in criteria.rank_scale.bands]
    return [(rank, rank, None) for rank in sorted(set(ranks))]


def band_slug(first: int, last: int) -> str:
    return f"{first}-{last}" if first != last else str(first)


def newest_versions(portal: Portal) -> dict[str, m.Round]:
    """For each priority list that a later version replaces, the newest version of it: the
    versions follow one another as their pages of changes compare them (`comparisons.previous_round`:
    `previous`, else the same service's list of an earlier year). A list replaced twice has one
    newest version; of two lists that both replace one, the later in the portal's order counts."""
    replaced_by: dict[str, m.Round] = {}
    for rnd in portal.rounds:
        before = previous_round(portal, rnd) if rnd.is_priority_list else None
        if before is not None and before.is_priority_list and before.id != rnd.id:
            replaced_by[before.id] = rnd
    found = {}
    for ident, newest in replaced_by.items():
        seen = {ident}
        while newest.id in replaced_by and newest.id not in seen:  # a loop of `previous` is validate's to report
            seen.add(newest.id)
            newest = replaced_by[newest.id]
        if newest.id != ident:
            found[ident] = newest
    return found


def priority_list_view(rv: RoundView, language: str, newer: m.Round | None = None) -> PriorityListView:
    """The list of one round of `kind: priority_list`, from its view; `newer` is the newest
    version of it, where a later one replaces it."""
    pairs = rv.measures
    names: dict[str, list[m.Measure]] = {}
    for x in pairs:
        names.setdefault(str(x.condition_group or ""), []).append(x)
    slugs = unique_slugs(sorted(names, key=lambda name: sort_key(name, language)))
    groups = tuple(ConditionGroup(
        slug, name,
        ranked=_by_rank(x for x in names[name] if x.rank is not None),
        recommended=tuple(sorted((x for x in names[name] if x.rank is None and x.recommendation),
                                 key=lambda x: (x.recommendation, x.title.casefold(), x.id))),
        unranked=tuple(sorted((x for x in names[name] if x.rank is None and not x.recommendation),
                              key=lambda x: (x.title.casefold(), x.id))))
        for name, slug in slugs.items())
    ranked = [x for x in pairs if x.rank is not None]
    bands = tuple(BandPairs(band_slug(first, last), first, last, meaning,
                            _by_rank(x for x in ranked if first <= x.rank <= last))  # type: ignore[operator]
                  for first, last, meaning in bands_of(rv.criteria, (x.rank for x in ranked)))  # type: ignore[misc]
    recommendations = tuple(RecommendationPairs(r, tuple(sorted(
        (x for x in pairs if x.rank is None and x.recommendation == r.id), key=lambda x: (x.title.casefold(), x.id))))
        for r in rv.criteria.recommendations)
    return PriorityListView(rv.round, rv.criteria, groups, bands, recommendations,
                            rv.changes.old_round if rv.changes else None, newer)


# --- Across services -------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceColumn:
    """One service's latest list, and its pairs in one band (or with one recommendation)."""

    round: m.Round
    pairs: tuple[m.Measure, ...]


@dataclass(frozen=True)
class OverviewRow:
    """One band of ranks (or one recommendation) across the services' latest lists."""

    slug: str
    title: str  # "1–3", or the recommendation's name
    meaning: str | None
    columns: tuple[ServiceColumn, ...]  # one per service, in the order of `ListsOverview.services`


@dataclass(frozen=True)
class ListsOverview:
    services: tuple[m.Round, ...]  # each service's latest list, by service name
    earlier: tuple[m.Round, ...]  # every earlier version, newest first
    rows: tuple[OverviewRow, ...]  # the bands, highest first, then the recommendations


def lists_overview(lists: Iterable[PriorityListView], language: str) -> ListsOverview | None:
    """Every service's latest priority list side by side, band by band; None without lists."""
    lists = list(lists)
    if not lists:
        return None
    latest: dict[str, PriorityListView] = {}
    for pl in lists:  # in the portal's order, oldest first: the last of a service is its latest
        latest[str(pl.round.service or pl.round.title)] = pl
    shown = [latest[name] for name in sorted(latest, key=lambda name: sort_key(name, language))]
    kept = {pl.round.id for pl in shown}
    earlier = tuple(pl.round for pl in reversed(lists) if pl.round.id not in kept)
    rows: list[OverviewRow] = []
    band_keys: dict[tuple[int, int], str | None] = {}
    for pl in shown:
        for band in pl.bands:
            band_keys.setdefault((band.first, band.last), band.meaning)
    for (first, last), meaning in sorted(band_keys.items()):
        columns = tuple(ServiceColumn(pl.round, _by_rank(x for b in pl.bands for x in b.pairs
                                                         if first <= (x.rank or 0) <= last)) for pl in shown)
        title = f"{first}–{last}" if first != last else str(first)
        rows.append(OverviewRow(f"ranks-{band_slug(first, last)}", title, meaning, columns))
    recommendations: dict[str, m.Recommendation] = {}
    for pl in shown:
        for r in pl.recommendations:
            recommendations.setdefault(r.recommendation.id, r.recommendation)
    for ident, recommendation in recommendations.items():
        columns = tuple(ServiceColumn(pl.round, next((r.pairs for r in pl.recommendations
                                                      if r.recommendation.id == ident), ())) for pl in shown)
        rows.append(OverviewRow(f"recommendation-{slugify(ident)}", str(recommendation.label),
                                str(recommendation.description), columns))
    return ListsOverview(tuple(pl.round for pl in shown), earlier, tuple(rows))
