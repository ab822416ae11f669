"""The pages of a priority list, in the page plan (`site.pages`): the list itself, its pairs by
condition group, by rank band and by recommendation (to browse without JavaScript), what
changed since its previous version, each pair's page, and the overview of every service's
latest list side by side.

`pages.round_listings` and `pages.measure_page` hand a round of `kind: priority_list` and its
pairs over to `list_round_pages` and `pair_page`, and `pages.site_pages` adds `overview_pages`;
both builds (and the preview's `build.plan_reuse`, through those same functions) make them.
Every listing is cut into pages of the portal's listing size, as every other listing is.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, Callable, Sequence

from prioportal.analyses.comparisons import RoundComparison
from prioportal.model import decisions as m
from prioportal.site import urls
from prioportal.site.contexts import (PairContext, PriorityListChangesContext, PriorityListContext,
                                      PriorityListPartContext, PriorityListsContext)
from prioportal.site.listings import Pagination, paginate
from prioportal.site.measure_views import MeasureView
from prioportal.site.priority_lists import PriorityListView, lists_overview, priority_list_view
from prioportal.site.render import PageSpec
from prioportal.site.round_views import RoundView
from prioportal.text.i18n import Translator

# The sections of a list's page of changes, in the page's order.
LIST_CHANGE_SECTIONS = ("moved_up", "moved_down", "recommendation_changed", "new", "dropped")


def _title(title: str, pagination: Pagination, tr: Translator) -> str:
    """Page 1 keeps the listing's own title; later pages say which page they are (as `pages.numbered_title`)."""
    if pagination.number == 1:
        return title
    return tr.gettext("{title} – page {number} of {count}").format(title=title, number=pagination.number,
                                                                   count=pagination.count)


def _specs(pages: Sequence[tuple[Any, Pagination]], template: str, title: str,
           context: Callable[[Any, Pagination], Any], tr: Translator, searchable: bool = False) -> list[PageSpec]:
    return [PageSpec(p.path, template, _title(title, p, tr), context(part, p), nav_key="rounds",
                     searchable=searchable and p.number == 1)
            for part, p in pages]


def _list_pages(pl: PriorityListView, rv: RoundView, size: int) -> list[tuple[tuple, Pagination]]:
    """The list cut into pages: the groups' pairs in their order, then those with a
    recommendation; each page holds its share of both (a group cut in two goes on on the next)."""
    entries: list[tuple[str, int, Any]] = [("group", i, x) for i, g in enumerate(pl.groups)
                                           for x in g.ranked + g.unranked]
    entries += [("recommended", i, x) for i, r in enumerate(pl.recommendations) for x in r.pairs]
    found = []
    for chunk, p in paginate(entries, size, urls.round(pl.round.id)):
        on_page = {(kind, i, x.id) for kind, i, x in chunk}
        groups = tuple(replace(g, ranked=tuple(x for x in g.ranked if ("group", i, x.id) in on_page),
                               recommended=(),
                               unranked=tuple(x for x in g.unranked if ("group", i, x.id) in on_page))
                       for i, g in enumerate(pl.groups) if any(k == "group" and j == i for k, j, _ in chunk))
        recommended = tuple(replace(r, pairs=tuple(x for x in r.pairs if ("recommended", i, x.id) in on_page))
                            for i, r in enumerate(pl.recommendations)
                            if any(k == "recommended" and j == i for k, j, _ in chunk))
        found.append(((groups, recommended), p))
    return found


def _change_pages(comparison: RoundComparison, size: int, base_url: str) -> list[tuple[RoundComparison, Pagination]]:
    """The comparison with only each page's share of every section (`listings.round_change_pages`)."""
    entries = [(name, x) for name in LIST_CHANGE_SECTIONS for x in getattr(comparison, name)]
    hidden = {f.name: () for f in fields(comparison)
              if f.name not in LIST_CHANGE_SECTIONS and isinstance(getattr(comparison, f.name), tuple)}
    return [(replace(comparison, **hidden, **{name: tuple(x for n, x in chunk if n == name)
                                             for name in LIST_CHANGE_SECTIONS}), p)
            for chunk, p in paginate(entries, size, base_url)]


def list_round_pages(view: Any, rv: RoundView, tr: Translator, page_size: int,
                     newer: m.Round | None = None) -> list[PageSpec]:
    """A priority list's listings: the list, its groups, bands and recommendations, its changes.
    `view` is the portal's view (`views.PortalView`), for the round it is compared with; `newer`
    the newest version of the list, where a later one replaces it (`priority_lists.newest_versions`)."""
    _ = tr.gettext
    pl = priority_list_view(rv, view.language, newer)
    rid, title = pl.round.id, pl.round.title
    pages = _specs(_list_pages(pl, rv, page_size), "priority_list.html", title,
                   lambda part, p: PriorityListContext(pl, part[0], part[1], p, rv.history), tr, searchable=True)

    def part_pages(address: str, part: str, name: str, meaning: str | None, pairs: tuple, heading: str) -> list[PageSpec]:
        return _specs(paginate(pairs, page_size, address), "priority_list_part.html", heading,
                      lambda shown, p: PriorityListPartContext(pl.round, pl.criteria, part, name, meaning, shown, p),
                      tr)

    for group in pl.groups:
        pages += part_pages(urls.list_group(rid, group.slug), "group", group.name, None, group.pairs,
                            _("{group} – {title}").format(group=group.name, title=title))
    for band in pl.bands:
        ranks = f"{band.first}–{band.last}" if band.first != band.last else str(band.first)
        pages += part_pages(urls.list_band(rid, band.slug), "band", ranks, band.meaning, band.pairs,
                            _("Rank {ranks} – {title}").format(ranks=ranks, title=title))
    for r in pl.recommendations:
        label = str(r.recommendation.label)
        pages += part_pages(urls.list_recommendation(rid, r.slug), "recommendation", label,
                            str(r.recommendation.description), r.pairs,
                            _("{recommendation} – {title}").format(recommendation=label, title=title))
    if rv.changes is not None:
        old_heading = view.rounds[rv.changes.old_round.id].heading
        totals = {name: len(getattr(rv.changes, name)) for name in LIST_CHANGE_SECTIONS}
        pages += _specs(_change_pages(rv.changes, page_size, urls.round_changes(rid)), "priority_list_changes.html",
                        _("Changes since {previous}").format(previous=rv.changes.old_round.title),
                        lambda part, p: PriorityListChangesContext(rv.heading, old_heading, totals, part, p), tr)
    return pages


def pair_page(mv: MeasureView, shown: dict[str, str], newer: m.Round | None = None) -> PageSpec:
    """A pair's page, given the titles of the other pairs its review flags name and the newest
    version of its list, where a later one replaces it."""
    return PageSpec(urls.file_of(urls.measure(mv.measure.id)), "pair.html", mv.measure.title,
                    PairContext(mv=mv, titles=shown, newer_list=newer), nav_key="rounds",
                    description=mv.measure.summary)


def list_views(view: Any) -> tuple[PriorityListView, ...]:
    """Every priority list of the portal's view (`views.PortalView`), in the portal's order."""
    return tuple(priority_list_view(rv, view.language) for rv in view.rounds.values() if rv.round.is_priority_list)


def overview_pages(view: Any, tr: Translator) -> list[PageSpec]:
    """The overview of every service's latest list, when the portal has priority lists."""
    overview = lists_overview(list_views(view), view.language)
    if overview is None:
        return []
    return [PageSpec(urls.file_of(urls.priority_lists()), "priority_lists.html", tr.gettext("Priority lists"),
                     PriorityListsContext(overview), nav_key="priority-lists", searchable=False)]
