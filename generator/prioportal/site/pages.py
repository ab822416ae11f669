"""The site's pages: which pages exist, at which address (made by `urls`), with which template
and data.

Measures are never all listed in the site-wide navigation, so every page costs the same
to render however large the portal grows.

The plan is made in parts, by plain functions of the views: the pages every site has once
(`fixed_pages`), each page of a sector's or an outcome's listing (`group_listings`,
`group_page`), the criteria's (`criteria_pages`), each round's listings and its measures' pages
(`rounds_to_plan`, `round_pages`, `measure_page`) and the portal's own pages, which
`site_pages` puts in order. `plan_pages`, the cold build's, makes every part; a preview keeps a
round's parts, and each measure's page, from its last build while what they are made of is the
very same (`build.plan_reuse`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any, Callable

from babel import Locale

from prioportal.model import decisions as m
from prioportal.text.i18n import Translator
from prioportal.site.open_data_page import FIELD_KINDS, open_data_view
from prioportal.site import urls
from prioportal.site.render import PageSpec
from prioportal.site.contexts import (AccessibilityContext, BrowseContext, ContactContext, ContentPageContext,
                                      CriteriaChangesContext, CriteriaContext, CriteriaIndexContext, EveryPage,
                                      FollowUpContext, GroupContext, HomeContext, MeasureContext, NotFoundContext,
                                      OpenDataContext, OpennessContext, PageContext, PrivacyContext, ProcessContext,
                                      RoundChangesContext, RoundContext, RoundsContext, SearchContext, template_names)
from prioportal.settings import DEFAULT_LISTING_PAGE_SIZE, Settings
from prioportal.site.listings import (Group, Pagination, change_totals, follow_up_pages, group_pages, openness_pages,
                                     ranking_pages, round_change_pages)
from prioportal.site.affected import affected_group_pages
from prioportal.site.glance import glance_page
from prioportal.site.measure_views import MeasureView
from prioportal.site.priority_list_pages import list_round_pages, list_views, overview_pages, pair_page
from prioportal.site.priority_lists import newest_versions
from prioportal.site.round_views import RoundView
from prioportal.site.views import PortalView
from prioportal.site.voices import voices_pages


@dataclass(frozen=True)
class NavItem:
    key: str
    title: str
    url: str  # relative to the site root


def navigation(view: PortalView, tr: Translator) -> list[NavItem]:
    _ = tr.gettext
    items = [NavItem("home", _("Home"), urls.home()), NavItem("criteria", _("Criteria"), urls.criteria_index()),
             NavItem("process", _("Process"), urls.process()), NavItem("rounds", _("Decisions"), urls.rounds())]
    if any(r.is_priority_list for r in view.portal.rounds):  # a region's lists, side by side
        items.append(NavItem("priority-lists", _("Priority lists"), urls.priority_lists()))
    items += [NavItem(f"page:{p.slug}", p.title, urls.content_page(p.slug)) for p in view.portal.pages
              if p.slug and p.in_nav]
    items.append(NavItem("search", _("Search"), urls.search()))
    return items


def browse_title(view: PortalView | None, tr: Translator) -> str:
    """The title of the page of every decision (`urls.browse`), by what it is browsed by: a
    portal of priority lists alone has no sectors or outcomes, but condition groups."""
    if view is not None and not view.sectors and any(r.is_priority_list for r in view.portal.rounds):
        return tr.gettext("All decisions by year and condition group")
    return tr.gettext("All decisions by sector and outcome")


def footer_links(tr: Translator, view: PortalView | None = None) -> list[NavItem]:
    _ = tr.gettext
    return [NavItem("contact", _("Contact and input"), urls.contact()),
            NavItem("browse", browse_title(view, tr), urls.browse()),
            NavItem("accessibility", _("Accessibility statement"), urls.accessibility()),
            NavItem("privacy", _("Privacy"), urls.privacy())]


def numbered_title(title: str, pagination: Pagination, tr: Translator) -> str:
    """Page 1 keeps the listing's own title; later pages say which page they are."""
    if pagination.number == 1:
        return title
    return tr.gettext("{title} – page {number} of {count}").format(
        title=title, number=pagination.number, count=pagination.count)


def listing_specs(pages: list[tuple[Any, Pagination]], template: str, title: str,
                  context: Callable[[Any, Pagination], PageContext], tr: Translator, searchable: bool = True,
                  **options: Any) -> list[PageSpec]:
    """One PageSpec per page of a listing, its context made from the page's share of the listing
    and its place among the pages (`context(part, pagination)`). Later pages are left out of
    the search index: they only repeat titles that the measures' own pages hold."""
    return [PageSpec(p.path, template, numbered_title(title, p, tr), context(part, p),
                     searchable=searchable and p.number == 1, **options)
            for part, p in pages]


def fixed_pages(view: PortalView, tr: Translator, site_path: str = "/") -> list[PageSpec]:
    """The pages every site has once, whatever its rounds and measures. `site_path` is where the
    site is served from (the path of site_url), needed by the 404 page, which a server shows at
    any address."""
    _ = tr.gettext
    home_text = next((p for p in view.portal.pages if p.slug == ""), None)
    file_of = urls.file_of
    return [
        PageSpec(file_of(urls.home()), "home.html", _("Home"), HomeContext(intro=home_text), nav_key="home",
                 description=home_text.description if home_text else None),
        PageSpec(file_of(urls.criteria_index()), "criteria_index.html", _("Criteria for priority setting"),
                 CriteriaIndexContext(criteria=view.criteria_in_force), nav_key="criteria"),
        PageSpec(file_of(urls.process()), "process.html", _("How decisions are made"), ProcessContext(),
                 nav_key="process"),
        PageSpec(file_of(urls.rounds()), "rounds.html", _("Decisions by year"), RoundsContext(), nav_key="rounds",
                 searchable=False),
        PageSpec(file_of(urls.not_found()), "404.html", _("Page not found"), NotFoundContext(),
                 absolute_root=site_path, searchable=False),
        PageSpec(file_of(urls.search()), "search.html", _("Search"), SearchContext(), nav_key="search",
                 searchable=False),
        PageSpec(file_of(urls.browse()), "browse.html", browse_title(view, tr),
                 BrowseContext(lists=tuple(reversed(list_views(view)))),
                 nav_key="rounds", searchable=False),
        PageSpec(file_of(urls.contact()), "contact.html", _("Contact and input"), ContactContext(),
                 nav_key="contact"),
        PageSpec(file_of(urls.accessibility()), "accessibility.html", _("Accessibility statement"),
                 AccessibilityContext(), nav_key="accessibility", searchable=False),
        PageSpec(file_of(urls.privacy()), "privacy.html", _("Privacy"), PrivacyContext(), nav_key="privacy",
                 searchable=False),
        PageSpec(file_of(urls.open_data()), "open_data.html", _("Open data"),
                 OpenDataContext(open_data=open_data_view(view, tr)), nav_key="open-data", searchable=False),
        # The fields of each kind of decision file on a page of their own (site/open_data_page.py).
        *(PageSpec(file_of(urls.open_data_fields(kind)), "open_data.html",
                   _("Fields in {folder}").format(folder=f"decisions/{kind}/"),
                   OpenDataContext(open_data=open_data_view(view, tr, part=kind)), nav_key="open-data",
                   searchable=False) for kind in FIELD_KINDS),
    ]


def group_listings(view: PortalView, tr: Translator, page_size: int) -> list[tuple[Group, Pagination, str]]:
    """Each page of the listings of a sector's and an outcome's measures (across rounds): its
    share of the listing, its place among the listing's pages and the listing's title."""
    _ = tr.gettext
    found = []
    for group in view.sectors:
        title = _("Decisions in {sector}").format(sector=group.title)
        found += [(part, p, title) for part, p in group_pages(group, page_size, urls.sector(group.slug))]
    for group in view.outcomes:
        title = _("Decisions: {outcome}").format(outcome=group.title)
        found += [(part, p, title) for part, p in group_pages(group, page_size, urls.outcome(group.slug))]
    return found


def group_page(part: Group, pagination: Pagination, title: str, tr: Translator) -> PageSpec:
    """One page of a sector's or an outcome's listing (`group_listings`)."""
    return listing_specs([(part, pagination)], "group.html", title, GroupContext, tr, nav_key="rounds",
                         searchable=False)[0]


def criteria_pages(view: PortalView, tr: Translator) -> list[PageSpec]:
    """Each criteria set's page, and what changed from the version it replaces."""
    _ = tr.gettext
    pages = []
    for cs in view.portal.criteria_sets:
        pages.append(PageSpec(urls.file_of(urls.criteria(cs.id)), "criteria.html", cs.title,
                              CriteriaContext(criteria=cs), nav_key="criteria"))
        if cs.id in view.criteria_changes:
            pages.append(PageSpec(urls.file_of(urls.criteria_changes(cs.id)), "criteria_changes.html",
                                  _("What changed in {title}").format(title=cs.title),
                                  CriteriaChangesContext(comparison=view.criteria_changes[cs.id]),
                                  nav_key="criteria"))
    return pages


@dataclass(frozen=True)
class RoundToPlan:
    """What a round's pages (its listings and its measures' pages) are made of, besides the
    translations and the page size: a caller that keeps page plans from one version of a portal
    to the next may keep a round's while its `sources()` are the very same objects."""

    round: RoundView
    next_changes: bool  # whether the next round compares itself with this one (the ranking links to it)
    old_round: RoundView | None  # the round it is compared with
    # Measures of other rounds whose titles these pages show (the openness report's follow-up
    # of the round before, a review flag's earlier version, the round a measure of the round
    # before moved to) make them change too; the round's own measures come with `round`, and
    # its flags are those of its measures.
    shown: tuple[MeasureView, ...]
    # For a priority list a later version replaces: the newest version, which its pages and its
    # pairs' pages name (`priority_lists.newest_versions`).
    newer: m.Round | None = None

    def sources(self) -> tuple:
        return (self.round, self.next_changes, self.old_round, *self.shown, self.newer)


def rounds_to_plan(view: PortalView) -> list[RoundToPlan]:
    """What each round's pages are made of, in the order of the rounds."""
    found = []
    newest = newest_versions(view.portal)
    for rv in view.rounds.values():
        next_changes = rv.next is not None and view.rounds[rv.next.id].changes is not None
        old_rv = view.rounds[rv.changes.old_round.id] if rv.changes is not None else None
        # The measures of the round before that moved to another round: their views name it.
        moved = (x.id for x in (rv.changes.dropped if rv.changes is not None else ()) if x.continuation is not None)
        shown = tuple(view.measures[i] for i in chain((i for item in rv.openness for i in item.measures),
                                                      (i for flag in rv.flags for i in flag.others), moved)
                      if i in view.measures)
        found.append(RoundToPlan(rv, next_changes, old_rv, shown, newest.get(rv.round.id)))
    return found


def round_listings(view: PortalView, given: RoundToPlan, tr: Translator, page_size: int) -> list[PageSpec]:
    """A round's listings: its ranking, follow-up, openness report and changes, each cut into pages."""
    _ = tr.gettext
    rv = given.round
    if rv.round.is_priority_list:
        return list_round_pages(view, rv, tr, page_size, given.newer)
    rid = rv.round.id
    summary, heading = rv.summary, rv.heading
    pages = listing_specs(ranking_pages(rv, page_size, urls.round(rid)), "round.html", rv.round.title,
                          lambda ranking, p: RoundContext(summary, given.next_changes, ranking, p,
                                                            rv.what_if if p.number == 1 else ()), tr,
                          nav_key="rounds")
    pages.append(glance_page(rv, tr))
    pages += listing_specs(follow_up_pages(rv, page_size, urls.round_follow_up(rid)), "follow_up.html",
                           _("Follow-up: {title}").format(title=rv.round.title),
                           lambda followed_up, p: FollowUpContext(heading, followed_up, p), tr, nav_key="rounds")
    for rows, p in openness_pages(rv.openness, page_size, urls.round_openness(rid)):
        shown = titles(view, (x for row in rows for x in row.item.measures))
        pages += listing_specs([(rows, p)], "openness.html", _("Openness report: {title}").format(title=rv.round.title),
                               lambda rows, p: OpennessContext(heading, shown, rows, p), tr, nav_key="rounds")
    if rv.changes is not None:
        old_heading, totals = view.rounds[rv.changes.old_round.id].heading, change_totals(rv.changes)
        pages += listing_specs(round_change_pages(rv.changes, page_size, urls.round_changes(rid)), "round_changes.html",
                               _("Changes since {previous}").format(previous=rv.changes.old_round.title),
                               lambda part, p: RoundChangesContext(heading, old_heading, totals, part, p,
                                                                   moved_to(view, part.dropped)), tr,
                               nav_key="rounds")
    return pages


def moved_to(view: PortalView, measures) -> dict[str, m.Round]:
    """The rounds these measures moved to, by measure id, from their views (`MeasureView.moved_to`)."""
    views = (view.measures.get(x.id) for x in measures)
    return {mv.measure.id: mv.moved_to for mv in views if mv is not None and mv.moved_to is not None}


def measures_in_page_order(view: PortalView, rv: RoundView) -> list[MeasureView]:
    """The round's measures in the order of their pages."""
    # In the order of their ids, not their ranks: the search index numbers pages in this order,
    # and a new rank should not renumber (and so rewrite) most of the index.
    return [view.measures[x.id] for x in sorted(rv.measures, key=lambda x: x.id)]


def flag_titles(view: PortalView, mv: MeasureView) -> dict[str, str]:
    """The titles of the other measures a measure's review flags name, which its page shows."""
    return titles(view, (x for flag in mv.flags for x in flag.others))


def measure_page(mv: MeasureView, shown: dict[str, str], newer: m.Round | None = None) -> PageSpec:
    """A measure's page, given the titles of the other measures it names (`flag_titles`); for a
    pair of a priority list, and the newest version of its list (`RoundToPlan.newer`)."""
    if mv.round.round.is_priority_list:
        return pair_page(mv, shown, newer)
    return PageSpec(urls.file_of(urls.measure(mv.measure.id)), "measure.html", mv.measure.title,
                    MeasureContext(mv=mv, titles=shown), nav_key="rounds", description=mv.measure.summary)


def round_pages(view: PortalView, given: RoundToPlan, tr: Translator,
                page_size: int) -> tuple[list[PageSpec], list[PageSpec]]:
    """A round's listings (`round_listings`) and its measures' pages."""
    return (round_listings(view, given, tr, page_size),
            [measure_page(mv, flag_titles(view, mv), given.newer) for mv in measures_in_page_order(view, given.round)])


def content_pages(view: PortalView) -> list[PageSpec]:
    """The portal's own pages (content/*.md), but for the home page's text."""
    return [PageSpec(urls.file_of(urls.content_page(page.slug)), "page.html", page.title,
                     ContentPageContext(content=page, history=view.page_history[page.slug]),
                     nav_key=f"page:{page.slug}", description=page.description)
            for page in view.portal.pages if page.slug]


def site_pages(view: PortalView, tr: Translator, site_path: str, groups: list[PageSpec],
               per_round: list[tuple[list[PageSpec], list[PageSpec]]],
               page_size: int = DEFAULT_LISTING_PAGE_SIZE) -> list[PageSpec]:
    """Every page of the site in its order, given the pages of the sectors' and outcomes'
    listings (in the order of `group_listings`) and each round's (`round_pages`): the listings
    of every round come before the measures' pages. The pages of who gave input and of the
    affected groups span every round: made afresh from the whole `view` (site.voices, site.affected)."""
    pages = fixed_pages(view, tr, site_path) + overview_pages(view, tr) + groups + criteria_pages(view, tr)
    pages += voices_pages(view, tr, page_size) + affected_group_pages(view, tr, page_size)
    for listings, _measure_pages in per_round:
        pages += listings
    for _listings, measure_pages in per_round:
        pages += measure_pages
    return pages + content_pages(view)


def plan_pages(view: PortalView, tr: Translator, site_path: str = "/",
               page_size: int = DEFAULT_LISTING_PAGE_SIZE) -> list[PageSpec]:
    """Every page of the site, made afresh. `site_path` is where the site is served from (the
    path of site_url). Every listing of measures is cut into pages of at most `page_size`
    entries."""
    groups = [group_page(part, p, title, tr) for part, p, title in group_listings(view, tr, page_size)]
    per_round = [round_pages(view, given, tr, page_size) for given in rounds_to_plan(view)]
    return site_pages(view, tr, site_path, groups, per_round, page_size)


def titles(view: PortalView, ids) -> dict[str, str]:
    """The titles of the measures a page refers to by id, for a page that does not see the whole portal."""
    return {ident: view.measures[ident].measure.title for ident in ids if ident in view.measures}


@dataclass(frozen=True)
class Alternate:
    """The same page in another published language."""

    code: str
    name: str  # the language's name in that language, e.g. "svenska"
    tree: str  # its folder below the site root (urls.language_tree), "" for the main language


def alternates(settings: Settings) -> list[Alternate]:
    main = settings.languages[0]
    return [Alternate(code, Locale.parse(code).get_display_name(code), "" if code == main else urls.language_tree(code))
            for code in settings.languages]


def common_context(view: PortalView, settings: Settings, tr: Translator) -> dict[str, Any]:
    """What every page of a language tree receives (contexts.EveryPage), as the names its
    template sees: a dict, which `render.render_page` hands on to each page as it is, and
    without `view` to the pages that do not see the whole portal."""
    return dict(template_names(EveryPage(
        alternates=alternates(settings) if len(settings.languages) > 1 else [],
        lang_up=urls.up(settings.tree),  # from a language tree up to the site root
        site_base_url=(settings.site_url[: -len(settings.tree)] if settings.tree and settings.site_url
                       else settings.site_url),
        settings=settings,
        view=view,
        source=view.source,
        history_note=view.history_note,
        nav=navigation(view, tr),
        footer_links=footer_links(tr, view),
        language=settings.language,
        urls=urls,  # every address a template links to (site/urls.py)
    )))

