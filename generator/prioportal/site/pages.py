"""The site's pages: which pages exist, at which address (made by `urls`), with which template
and data.

Measures are never all listed in the site-wide navigation, so every page costs the same
to render however large the portal grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any

from babel import Locale

from prioportal.text.i18n import Translator
from prioportal.site.open_data_page import open_data_view
from prioportal.site import urls
from prioportal.site.render import PageSpec
from prioportal.build.reuse import Reuse, reused
from prioportal.settings import DEFAULT_LISTING_PAGE_SIZE, Settings
from prioportal.site.listings import (Group, Pagination, change_totals, follow_up_pages, group_pages, openness_pages,
                                     ranking_pages, round_change_pages)
from prioportal.site.measure_views import MeasureView
from prioportal.site.round_views import RoundView
from prioportal.site.views import PortalView


@dataclass(frozen=True)
class NavItem:
    key: str
    title: str
    url: str  # relative to the site root


def navigation(view: PortalView, tr: Translator) -> list[NavItem]:
    _ = tr.gettext
    items = [NavItem("home", _("Home"), urls.home()), NavItem("criteria", _("Criteria"), urls.criteria_index()),
             NavItem("process", _("Process"), urls.process()), NavItem("rounds", _("Decisions"), urls.rounds())]
    items += [NavItem(f"page:{p.slug}", p.title, urls.content_page(p.slug)) for p in view.portal.pages
              if p.slug and p.in_nav]
    items.append(NavItem("search", _("Search"), urls.search()))
    return items


def footer_links(tr: Translator) -> list[NavItem]:
    _ = tr.gettext
    return [NavItem("contact", _("Contact and input"), urls.contact()),
            NavItem("browse", _("All decisions by sector and outcome"), urls.browse()),
            NavItem("accessibility", _("Accessibility statement"), urls.accessibility()),
            NavItem("privacy", _("Privacy"), urls.privacy())]


def numbered_title(title: str, pagination: Pagination, tr: Translator) -> str:
    """Page 1 keeps the listing's own title; later pages say which page they are."""
    if pagination.number == 1:
        return title
    return tr.gettext("{title} – page {number} of {count}").format(
        title=title, number=pagination.number, count=pagination.count)


def listing_specs(pages: list[tuple[Any, Pagination]], template: str, title: str, key: str,
                  context: dict[str, Any], tr: Translator, searchable: bool = True, **options: Any) -> list[PageSpec]:
    """One PageSpec per page of a listing. Later pages are left out of the search index: they
    only repeat titles that the measures' own pages hold."""
    return [PageSpec(p.path, template, numbered_title(title, p, tr), {**context, key: part, "pagination": p},
                     searchable=searchable and p.number == 1, **options)
            for part, p in pages]


def plan_pages(view: PortalView, tr: Translator, site_path: str = "/",
               page_size: int = DEFAULT_LISTING_PAGE_SIZE, reuse: Reuse | None = None) -> list[PageSpec]:
    """Every page of the site. `site_path` is where the site is served from (the path of
    site_url), needed by the 404 page, which a server shows at any address. Every listing of
    measures is cut into pages of at most `page_size` entries. With `reuse` (a preview), a
    round whose views were reused keeps its pages' plans: the very objects of the last build."""
    _ = tr.gettext
    portal = view.portal
    home_text = next((p for p in portal.pages if p.slug == ""), None)
    file_of = urls.file_of
    pages = [
        PageSpec(file_of(urls.home()), "home.html", _("Home"), {"intro": home_text}, nav_key="home",
                 description=home_text.description if home_text else None),
        PageSpec(file_of(urls.criteria_index()), "criteria_index.html", _("Criteria for priority setting"),
                 {"criteria": view.criteria_in_force}, nav_key="criteria"),
        PageSpec(file_of(urls.process()), "process.html", _("How decisions are made"), {}, nav_key="process"),
        PageSpec(file_of(urls.rounds()), "rounds.html", _("Decisions by year"), {}, nav_key="rounds",
                 searchable=False),
        PageSpec(file_of(urls.not_found()), "404.html", _("Page not found"), {}, absolute_root=site_path,
                 searchable=False, whole_site=False),
        PageSpec(file_of(urls.search()), "search.html", _("Search"), {}, nav_key="search", searchable=False,
                 whole_site=False),
        PageSpec(file_of(urls.browse()), "browse.html", _("All decisions by sector and outcome"), {},
                 nav_key="rounds", searchable=False),
        PageSpec(file_of(urls.contact()), "contact.html", _("Contact and input"), {}, nav_key="contact"),
        PageSpec(file_of(urls.accessibility()), "accessibility.html", _("Accessibility statement"), {},
                 nav_key="accessibility", searchable=False, whole_site=False),
        PageSpec(file_of(urls.privacy()), "privacy.html", _("Privacy"), {}, nav_key="privacy", searchable=False,
                 whole_site=False),
        PageSpec(file_of(urls.open_data()), "open_data.html", _("Open data"), {"open_data": open_data_view(view, tr)},
                 nav_key="open-data", searchable=False, whole_site=False),
    ]
    for group in view.sectors:
        pages += _group_specs(group, urls.sector(group.slug), _("Decisions in {sector}").format(sector=group.title),
                              tr, page_size, reuse)
    for group in view.outcomes:
        pages += _group_specs(group, urls.outcome(group.slug), _("Decisions: {outcome}").format(outcome=group.title),
                              tr, page_size, reuse)
    for cs in portal.criteria_sets:
        pages.append(PageSpec(file_of(urls.criteria(cs.id)), "criteria.html", cs.title,
                              {"criteria": cs}, nav_key="criteria"))
        if cs.id in view.criteria_changes:
            pages.append(PageSpec(file_of(urls.criteria_changes(cs.id)), "criteria_changes.html",
                                  _("What changed in {title}").format(title=cs.title),
                                  {"comparison": view.criteria_changes[cs.id]}, nav_key="criteria"))
    per_round = []
    for rv in view.rounds.values():
        next_changes = rv.next is not None and view.rounds[rv.next.id].changes is not None
        old_rv = view.rounds[rv.changes.old_round.id] if rv.changes is not None else None
        # Measures of other rounds whose titles these pages show (the openness report's follow-up
        # of the round before, a review flag's earlier version) make them change too; the
        # round's own measures come with `rv`, and its flags are those of its measures.
        shown = [view.measures[i] for i in chain((i for item in rv.openness for i in item.measures),
                                                 (i for flag in rv.flags for i in flag.others))
                 if i in view.measures]
        # In a scope of the round's own, so that its measures' plans outlast builds that take
        # the round's plans over whole (see reuse.Reuse.scope).
        scope = reuse.scope(("round pages", rv.round.id)) if reuse is not None else None
        per_round.append(reused(scope, "round pages", (rv, next_changes, old_rv, *shown),
                                lambda: _round_pages(view, rv, next_changes, tr, page_size, scope)))
    for listings, _measure_pages in per_round:
        pages += listings
    for _listings, measure_pages in per_round:
        pages += measure_pages
    for page in portal.pages:
        if page.slug:
            pages.append(PageSpec(file_of(urls.content_page(page.slug)), "page.html", page.title,
                                  {"content": page, "history": view.page_history[page.slug]},
                                  nav_key=f"page:{page.slug}", description=page.description, whole_site=False))
    return pages


def _group_specs(group: Group, base: str, title: str, tr: Translator, page_size: int,
                 reuse: Reuse | None) -> list[PageSpec]:
    """The pages of a sector's or an outcome's listing. A listing spans every round, and is put
    together again whenever one of them changes; with `reuse`, a page listing the very same
    items keeps its plan, so the preview does not compare it item by item."""
    return [reused(reuse, "group page", part.measures, lambda part=part, p=p: listing_specs(
                [(part, p)], "group.html", title, "group", {}, tr, nav_key="rounds", searchable=False,
                whole_site=False)[0], values=(part.slug, part.title, title, p))
            for part, p in group_pages(group, page_size, base)]


def _round_pages(view: PortalView, rv: RoundView, next_changes: bool, tr: Translator,
                 page_size: int, reuse: Reuse | None = None) -> tuple[list[PageSpec], list[PageSpec]]:
    """A round's listings (ranking, follow-up, openness, changes) and its measures' pages; with
    `reuse`, a measure's page plan is the last build's while its view and the titles it shows are."""
    _ = tr.gettext
    rid = rv.round.id
    pages = listing_specs(ranking_pages(rv, page_size, urls.round(rid)), "round.html", rv.round.title, "ranking",
                          {"rv": rv.summary, "next_changes": next_changes}, tr, nav_key="rounds", whole_site=False)
    pages += listing_specs(follow_up_pages(rv, page_size, urls.round_follow_up(rid)), "follow_up.html",
                           _("Follow-up: {title}").format(title=rv.round.title), "followed_up", {"rv": rv.heading},
                           tr, nav_key="rounds", whole_site=False)
    for rows, p in openness_pages(rv.openness, page_size, urls.round_openness(rid)):
        pages += listing_specs([(rows, p)], "openness.html", _("Openness report: {title}").format(title=rv.round.title),
                               "openness_rows", {"rv": rv.heading, "titles": titles(view, (x for row in rows
                                                                                   for x in row.item.measures))},
                               tr, nav_key="rounds", whole_site=False)
    if rv.changes is not None:
        pages += listing_specs(round_change_pages(rv.changes, page_size, urls.round_changes(rid)), "round_changes.html",
                               _("Changes since {previous}").format(previous=rv.changes.old_round.title), "shown",
                               {"rv": rv.heading, "old_rv": view.rounds[rv.changes.old_round.id].heading,
                                "totals": change_totals(rv.changes)}, tr, nav_key="rounds", whole_site=False)

    def measure_page(mv: MeasureView) -> PageSpec:
        shown = titles(view, (x for flag in mv.flags for x in flag.others))
        return reused(reuse, "measure page", (mv,), lambda: PageSpec(
            urls.file_of(urls.measure(mv.measure.id)), "measure.html", mv.measure.title, {"mv": mv, "titles": shown},
            nav_key="rounds", description=mv.measure.summary, whole_site=False), values=tuple(shown.items()))

    # In the order of their ids, not their ranks: the search index numbers pages in this order,
    # and a new rank should not renumber (and so rewrite) most of the index.
    measure_pages = [measure_page(view.measures[x.id]) for x in sorted(rv.measures, key=lambda x: x.id)]
    return pages, measure_pages


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
    return {
        "alternates": alternates(settings) if len(settings.languages) > 1 else [],
        "lang_up": urls.up(settings.tree),  # from a language tree up to the site root
        "site_base_url": (settings.site_url[: -len(settings.tree)] if settings.tree and settings.site_url
                          else settings.site_url),
        "settings": settings,
        "view": view,
        "source": view.source,
        "history_note": view.history_note,
        "nav": navigation(view, tr),
        "footer_links": footer_links(tr),
        "language": settings.language,
        "urls": urls,  # every address a template links to (site/urls.py)
    }

