"""Every output a build writes besides the pages, behind one small interface that the cold build
(`pipeline.render_site`) and the preview (`preview.Preview`) both iterate over, in the order of
`OUTPUTS`.

An output makes `{path: bytes}` for one language tree (from a `Tree`) or for the whole site
(from a `Site`), given what it kept from the last build: the state `keep()` made, which a
preview holds from build to build (a `LastBuild`, a `SearchIndexer`, a `Reuse` …), or None in a
cold build, which makes everything afresh. How each output saves work after a save is its own
business; what the builds need to know of it is declared here:

- `needs_pages`: made from the rendered pages (the search index, from their words) or from
  what they were rendered with (the redirects use the tree's template environment). Those that
  need no page, the cold build makes in the background while the pages render (`in_background`);
  the others come after the pages;
- `may_wait`: a preview may leave its files as last written until `catch_up` (the open data,
  which no page shows and which takes longest after a small change);
- `whole_site`: made once from the pages of every tree (robots.txt and the sitemap), or from
  the files of every tree as the build wrote them (the rounds' manifests, which a preview,
  never published, does not make).

The pages are not an output: they are what the outputs after them are made from, and what
they hand on is declared here (`Tree.env` and `Tree.searchable`, `Site.pages`). Each build
renders them in its own way, from the same plan (`pipeline.plan_language`) and the same
rendering of one page (`pipeline.render_one`): the cold build all of them, in workers that
write each page and check its links while its HTML is at hand (as bytes they would be hundreds
of megabytes, sent through pipes); the preview only the pages whose plan changed, in memory, to
compare with the pages it served. So a build's loop over a tree is: `outputs(needs_pages=False)`,
the pages, `outputs(needs_pages=True)`; then `outputs(whole_site=True)` once. The link check
then checks the files of the pages and of every output together (docs/architecture.md).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import jinja2

from prioportal.build.output import asset_files, crawler_files
from prioportal.build.reuse import LastBuild, Reuse, reused
from prioportal.build.runtime import stage
from prioportal.exports.dcat import catalogue
from prioportal.exports.editor import editor_files
from prioportal.exports.feeds import (feed_dates, newest_entries, round_calendar, round_entries, round_feed, site_calendar,
                                      site_feed)
from prioportal.exports.follow import follow_files
from prioportal.exports.latest import EMBED_LIMIT, FEED_LIMIT, embed_fragment, json_feed, latest_decisions
from prioportal.exports.manifests import round_manifests, uncommitted_sources
from prioportal.exports.open_data.files import open_data_files
from prioportal.exports.redirects import measure_redirects, redirect_environment, redirect_files
from prioportal.exports.search import SearchEntry, SearchIndexer, search_files
from prioportal.model.portal import Portal
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.render import PageSpec, theme_dirs
from prioportal.site.views import SourceInfo
from prioportal.sources.git_history import History, Unavailable
from prioportal.system.safe_writing import Files


@dataclass(frozen=True)
class Tree:
    """What the outputs of one language tree are made from."""

    settings: Settings  # for the tree (`settings.tree` is its folder, "" for the main language)
    portal: Portal  # in the tree's language, reviewed
    history: History | Unavailable
    # What the pages hand on once they are rendered (given only to the outputs that need them):
    # the environment they were rendered with, and the words of the searchable ones, in their order.
    env: jinja2.Environment | None = None
    searchable: list[SearchEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Site:
    """What the outputs of the whole site are made from."""

    settings: Settings  # of the main language
    pages: Sequence[PageSpec]  # every page of every tree, with its path from the site root
    # Given by a build that writes the whole site (not by a preview, which is never published):
    # the portal, the commit it was built from, and the folder every tree is written in by now.
    portal: Portal | None = None
    source: SourceInfo | None = None
    folder: Path | None = None


class Output(ABC):
    """One kind of file a build writes besides the pages (see the module's docstring)."""

    name: ClassVar[str]  # the step's name in the timings (`runtime.stage`); unique
    needs_pages: ClassVar[bool] = False  # made after the pages, from them (`Tree.env`, `Tree.searchable`)
    may_wait: ClassVar[bool] = False  # a preview may write it later (`Preview.catch_up`)
    whole_site: ClassVar[bool] = False  # made once, from a `Site`, rather than per tree

    def keep(self) -> Any:
        """A new state for a preview to keep from one build to the next; None: nothing to keep."""
        return None

    @abstractmethod
    def files(self, given: Any, kept: Any) -> Files:
        """The files, by path within the tree (from the site root when `whole_site`), made from
        `given` (a `Tree`, or a `Site` when `whole_site`); `kept` is what `keep()` gave, as the
        last build left it, or None in a cold build."""


class OpenData(Output):
    """The open-data folder: tables as CSV, JSON and a workbook, their schemas, the Data Package."""

    name = "open data"
    may_wait = True

    def keep(self) -> LastBuild:
        # The open data says under which key each part may be kept (`exports.memo`): rows by
        # their values, a measure's rows by the measure object, the workbook's compressed chunks
        # by the rows they hold, a JSON record by its object. Kept here only from one build to
        # the next: what a build does not ask for is dropped.
        return LastBuild()

    def files(self, given: Tree, kept: LastBuild | None) -> Files:
        made = open_data_files(given.settings, given.portal, given.history, kept)
        if kept is not None:
            kept.next_build()
        return {urls.open_data_file(name): data for name, data in made.items()}


class Feeds(Output):
    """The Atom feeds and iCalendar files of the tree and of each round. A preview keeps each
    part while what it is made from is the very same, so only the files of rounds that changed
    are written out again."""

    name = "feeds"

    def keep(self) -> Reuse:
        return Reuse()

    def files(self, given: Tree, kept: Reuse | None) -> Files:
        settings, portal, history = given.settings, given.portal, given.history
        first_year, when = feed_dates(portal, history)
        files: Files = {urls.feed(): b"", urls.calendar(): b""}  # the site's files first, made last
        per_round = []
        for rnd in portal.rounds:
            members = portal.measures_in(rnd.id)
            # What a round's entries are made of: its measures, their files' histories, the
            # criteria (outcome labels, and the names the change descriptions use). A preview
            # reads a file that moved into a new object, so the same measure has the same file.
            entries = reused(kept, "feed entries", (rnd, history, *portal.criteria_sets, *members),
                             lambda: round_entries(settings, portal, rnd, history))
            per_round.append(entries)
            files[urls.round_feed(rnd.id)] = reused(kept, "round feed", (rnd, entries), lambda: round_feed(
                settings, rnd, entries, first_year, when), values=(first_year, when))
            files[urls.round_calendar(rnd.id)] = reused(kept, "round calendar", (rnd,), lambda: round_calendar(
                settings, rnd, when), values=(when,))
        newest = newest_entries(per_round)
        files[urls.feed()] = reused(kept, "feed", tuple(newest), lambda: site_feed(settings, newest, first_year, when),
                                    values=(first_year, when))
        files[urls.calendar()] = reused(kept, "calendar", portal.rounds, lambda: site_calendar(
            settings, portal.rounds, when), values=(when,))
        if kept is not None:
            kept.next_build()
        return files


class FollowFeeds(Output):
    """The Atom feeds to follow a measure across rounds, a sector or a target area. A preview
    keeps each measure's entries, and its feed, while what they are made of is the very same."""

    name = "feeds to follow"

    def keep(self) -> Reuse:
        return Reuse()

    def files(self, given: Tree, kept: Reuse | None) -> Files:
        made = follow_files(given.settings, given.portal, given.history,
                            **({"keep": kept.from_sources} if kept is not None else {}))
        if kept is not None:
            kept.next_build()
        return made


class Catalogue(Output):
    """The DCAT catalogue of the open data (DCAT-AP-NO and DCAT-AP-SE), for data.norge.no and
    dataportal.se to harvest. Made from the settings and the rounds' years: small, made afresh."""

    name = "data catalogue"

    def files(self, given: Tree, kept: None) -> Files:
        return {urls.catalogue(): catalogue(given.settings, given.portal)}


class Assets(Output):
    """The theme's stylesheet, scripts and images, with the municipality's colours and logo."""

    name = "assets"

    def files(self, given: Tree, kept: None) -> Files:
        return asset_files(theme_dirs(given.settings.templates_dir), given.settings.brand)


class Redirects(Output):
    """A page at each former address of a measure, leading to its address now."""

    name = "redirects"
    needs_pages = True  # rendered with the pages' template environment

    def keep(self) -> Reuse:
        return Reuse()

    def files(self, given: Tree, kept: Reuse | None) -> Files:
        if kept is None:
            return redirect_files(given.settings, given.portal, env=given.env)
        # A measure's pages are made again only when it was read again, or when the templates
        # changed (a preview then makes a new environment); the settings are the same for as
        # long as a preview keeps anything.
        files: Files = {}
        for x in given.portal.measures:
            if x.former_ids:
                files.update(kept.from_sources("redirects", (x, given.env),
                                               lambda x=x: measure_redirects(given.settings, x, given.env)))
        kept.next_build()
        return files


class LatestDecisions(Output):
    """The latest decisions for the municipality's own website: the fragment of HTML it can
    include and the JSON Feed its CMS can fetch. Made from the decision records alone (no git
    history), afresh each time: a sort of the decided measures."""

    name = "latest decisions"
    needs_pages = True  # the fragment is rendered with the pages' template environment

    def files(self, given: Tree, kept: None) -> Files:
        settings, portal = given.settings, given.portal
        env = given.env or redirect_environment(settings)
        return {urls.embed_latest(): embed_fragment(env, settings, latest_decisions(settings, portal, EMBED_LIMIT)),
                urls.json_feed(): json_feed(settings, latest_decisions(settings, portal, FEED_LIMIT))}


class SearchIndex(Output):
    """The static search index of the tree's searchable pages. A preview's `SearchIndexer` makes
    again only the files the changed pages' words touch."""

    name = "search index"
    needs_pages = True

    def keep(self) -> SearchIndexer:
        return SearchIndexer()

    def files(self, given: Tree, kept: SearchIndexer | None) -> Files:
        return kept.files(given.searchable) if kept is not None else search_files(given.searchable)


class _LastMade:
    """What an output made last, and from what."""

    def __init__(self) -> None:
        self.source: Any = None
        self.files: Files = {}


class RobotsAndSitemap(Output):
    """robots.txt, and with a site_url the sitemap of every page of every tree."""

    name = "robots and sitemap"
    needs_pages = True
    whole_site = True

    def keep(self) -> _LastMade:
        return _LastMade()

    def files(self, given: Site, kept: _LastMade | None) -> Files:
        if kept is None:
            return crawler_files(given.settings, list(given.pages))
        # Made again only when the pages are not the same ones: after most saves they are.
        paths = tuple(page.path for page in given.pages)
        if paths != kept.source:
            kept.source, kept.files = paths, crawler_files(given.settings, list(given.pages))
        return kept.files


class Editor(Output):
    """The browser editor at /admin/ (`exports.editor`), when mkdocs.yml turns it on: its page, its
    configuration made from the model and the portal, and its program. Once, in the main
    language's tree; small but for the program, which is the same bytes every time."""

    name = "editor"

    def files(self, given: Tree, kept: None) -> Files:
        return editor_files(given.settings, given.portal)


# In the order they are made in; the pages come between those that need none and the others.
class Manifests(Output):
    """Each decided round's manifest of the digests of its published files (`exports.manifests`),
    read from the files as written: made last, when every tree is in `Site.folder`. Only a build
    that writes the whole site makes them; a preview, which is never published, makes none."""

    name = "manifests"
    needs_pages = True
    whole_site = True

    def files(self, given: Site, kept: None) -> Files:
        if given.folder is None or given.portal is None:
            return {}
        commit = given.source.commit if given.source is not None else None
        uncommitted = uncommitted_sources(given.settings) if commit is not None else None
        return round_manifests(given.settings, given.portal, commit, uncommitted, given.folder)


OUTPUTS: tuple[Output, ...] = (OpenData(), Feeds(), FollowFeeds(), Catalogue(), Assets(), Editor(), Redirects(),
                               LatestDecisions(), SearchIndex(), RobotsAndSitemap(), Manifests())


def outputs(*, whole_site: bool = False, needs_pages: bool | None = None) -> tuple[Output, ...]:
    """The outputs of a tree (or of the whole site) in the order of `OUTPUTS`; with `needs_pages`,
    only those that do or do not need the pages."""
    return tuple(o for o in OUTPUTS if o.whole_site == whole_site and needs_pages in (None, o.needs_pages))


def make(output: Output, given: Tree | Site, kept: Any = None) -> Files:
    """The files of one output, timed under its name."""
    with stage(output.name):
        return output.files(given, kept)


def make_all(chosen: Sequence[Output], given: Tree | Site) -> Files:
    """The files of the `chosen` outputs, made afresh (a cold build)."""
    files: Files = {}
    for output in chosen:
        files.update(make(output, given))
    return files
