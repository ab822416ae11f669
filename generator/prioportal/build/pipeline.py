"""The pipeline end to end: settings → load and validate → analyses → render → site.

Both the CLI and the MkDocs plugin call these functions; neither does any of the work itself.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from babel import Locale

from prioportal.sources.git_history import (History, Unavailable, read_history, shallow_clone_problems, source_commit,
                                            uncommitted_changes)
from prioportal.text.i18n import Formatter
from prioportal.build.kept_build import KeptBuild, TreeCache, frame_digest, own_theme
from prioportal.build.linkcheck import BrokenLink, Checked, ExternalLink, LinkCheck
from prioportal.build.link_sources import broken_link_problems
from prioportal.build.output import staging_dir
from prioportal.system.safe_writing import safe_join, write_files
from prioportal.system.cores import available_jobs, in_background, parallel_map
from prioportal.checks.files import FileCache
from prioportal.checks.published_history import allowed_by_file, without_personal_data
from prioportal.checks.portal import in_language, load_portal
from prioportal.model.portal import Portal
from prioportal.model.decisions import as_published
from prioportal.problems import InvalidPortal, Problem, display_path
from prioportal.site.render import PageSpec, make_environment, render_page, template_problem
from prioportal.build.plan_reuse import preview_pages, preview_views
from prioportal.build.reuse import Reuse
from prioportal.build.reviews import reviewing
from prioportal.build.runtime import no_cycle_collection, stage
from prioportal.build.site_folder import check_site_dir, refuse_unusable
from prioportal.build.site_outputs import Site, Tree, make_all, outputs
from prioportal.exports.search import SearchEntry, search_entry
from prioportal.settings import Settings, load_settings, with_settings_warnings
from prioportal.site.page_history import without_commit_messages
from prioportal.site.pages import common_context, plan_pages
from prioportal.site.views import SourceInfo, build_views


def load_from_settings(settings: Settings, cache: FileCache | None = None, reviews: Reuse | None = None) -> Portal:
    """The validated portal, with warnings about the files and about the settings; with a
    `cache`, decision files unchanged since the last call are not read again, and with
    `reviews` (kept with it), a round's consistency review is not made again while what it is
    made from is the very same (see `reviews.reviewing`)."""
    with stage("load and validate"), no_cycle_collection():
        portal = load_portal(settings, cache) if reviews is None else load_portal(settings, cache, reviewing(reviews))
    if reviews is not None:
        reviews.next_build()
    return replace(portal, warnings=with_settings_warnings(portal.warnings, settings))


def load_everything(config_file: Path) -> Portal:
    return load_from_settings(load_settings(config_file))


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    pages: int
    seconds: float
    warnings: tuple[Problem, ...]
    external_links: tuple[ExternalLink, ...] = ()
    reused: int = 0  # pages taken unchanged from the last site (the kept cache, `kept_build`)
    cache_ignored: str | None = None  # why the kept cache was not used, when there was one


def history_and_source(settings: Settings, portal: Portal,
                       known: dict | None = None) -> tuple[History | Unavailable, SourceInfo]:
    """Each published file's history from git, and the commit the site is built from. History
    is read from commits only, so with `known` (a dict kept between calls) it is read again only
    when the commit or the list of files changed."""
    paths = sorted(set(portal.sources.values()) | {p.source for p in portal.pages})
    commit = source_commit(settings.root)
    # Personal data in commit messages and earlier versions is masked (published_history).
    allowed = allowed_by_file(portal)
    key = (commit, tuple(paths), settings.personal_data, tuple(sorted(allowed.items())),
           settings.show_commit_messages, settings.small_numbers)
    if known is not None and key in known:
        history = known[key]
    else:
        with stage("history"):
            # Earlier versions are compared as published: no follow-up count of a few persons, no
            # internal note.
            history = without_personal_data(read_history(settings.root, paths, as_published(settings.small_numbers)),
                                            settings.personal_data, allowed)
            if not settings.show_commit_messages:  # the committers' words, published only if chosen
                history = without_commit_messages(history)
        if known is not None:
            known.clear()
            known[key] = history
    folders = tuple(display_path(d, settings.root) for d in (settings.decisions_dir, settings.content_dir))
    return history, SourceInfo(commit, uncommitted_changes(settings.root, folders))


def render_site(settings: Settings, portal: Portal, out_dir: Path, links: LinkCheck | None = None,
                kept: KeptBuild | None = None) -> int:
    """Write every page and every output (`site_outputs.OUTPUTS`) of the portal into `out_dir`,
    a new folder (the build's staging folder), one tree per language (the main language at the
    root, the others in `<language>/`); return the number of pages. With `links`, each page's
    links are checked as it is rendered; with `kept`, a page whose plan is the last build's is
    copied from the last site (`kept_build`)."""
    history, source = history_and_source(settings, portal)
    all_pages: list[PageSpec] = []
    beside, after = outputs(needs_pages=False), outputs(needs_pages=True)
    for language in settings.languages:
        given = Tree(settings.for_language(language), in_language(portal, language), history)
        # The outputs that need no page (open data and feeds the largest) are made on one core:
        # they are made while the views are built (on one core too) and the pages rendered.
        with in_background(lambda: make_all(beside, given)) as made_beside:
            plan = plan_language(given.settings, given.portal, history, source)
            # Each tree is built and indexed for search on its own, in its own language, before
            # it is moved into place, so no search index mixes two languages.
            tree = out_dir if not plan.tree else out_dir.parent / f"{out_dir.name}.{language}"
            with stage("pages"):
                searchable = render_pages(plan, tree, links, _tree_cache(kept, plan))
            with stage(", ".join(output.name for output in beside)):
                # Written at once, so the search index is not made with them still in memory.
                write_files(tree, made_beside())
            write_files(tree, make_all(after, replace(given, env=plan.env, searchable=searchable)))
        if tree is not out_dir:
            tree.rename(out_dir / language)
        all_pages += plan.site_pages
    # Every tree is in `out_dir` by now: the manifests digest the files as written.
    write_files(out_dir, make_all(outputs(whole_site=True), Site(settings, all_pages, portal, source, out_dir)))
    return len(all_pages)


@dataclass(frozen=True)
class LanguagePlan:
    """Everything needed to render one language tree: its pages, their template environment
    and the context every page shares."""

    settings: Settings  # for this language (`settings.tree` is its folder, "" for the main language)
    portal: Portal  # in this language
    env: jinja2.Environment
    pages: list[PageSpec]
    common: dict
    notice: str

    @property
    def tree(self) -> str:
        return self.settings.tree

    @cached_property
    def site_pages(self) -> list[PageSpec]:
        """The pages with their paths from the site root rather than from the tree."""
        return [replace(p, path=self.tree + p.path) for p in self.pages] if self.tree else self.pages


def plan_language(settings: Settings, portal: Portal, history: History | Unavailable, source: SourceInfo,
                  env: jinja2.Environment | None = None, reuse: Reuse | None = None,
                  changed: Collection[str] | None = None) -> LanguagePlan:
    """What one language tree holds; `settings` are the ones for that language. A preview passes
    the environment and the `reuse` it keeps for the tree between builds, and the ids of the
    measures read again since its last build (`changed`, see `plan_reuse.preview_views`): the
    views and page plans are then the last build's where they still hold. A cold build makes
    them afresh."""
    localized = in_language(portal, settings.language)
    if localized.measures is not portal.measures:  # a copy in another language: every measure is new
        changed = None
    tr = settings.translator()
    fmt = Formatter(settings.language, settings.currency)
    with stage("views and page plan"):
        view = (build_views(localized, tr, fmt, history, source) if reuse is None
                else preview_views(localized, tr, fmt, history, source, reuse, changed))
        env = env or make_environment(settings.templates_dir, settings.language, settings.currency,
                                      mark_fallbacks=settings.main_language is not None, own_texts=tr.own)
        pages = (plan_pages(view, tr, site_path(settings), settings.listing_page_size) if reuse is None
                 else preview_pages(view, tr, site_path(settings), settings.listing_page_size, reuse))
    return LanguagePlan(settings, localized, env, pages, common_context(view, settings, tr),
                        translation_notice(settings, env))


def compile_templates(plan: LanguagePlan) -> None:
    """Compile each template the pages use, and those they extend, include or import, before
    any worker starts: workers inherit them, where each would otherwise compile its own copy
    (in a preview, after every save). A template that does not compile is reported at its line."""
    env = plan.env
    done: set[str] = env.compiled  # type: ignore[attr-defined]
    todo = sorted({page.template for page in plan.pages} - done)
    try:
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            template = env.get_template(name)
            source = env.loader.get_source(env, name)[0] if env.loader is not None and template.filename else None
            if source is not None:
                todo += [n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n and n not in done]
    except jinja2.TemplateError as exc:
        done.discard(name)
        raise InvalidPortal([template_problem(exc, plan.settings.root)]) from None


def render_one(plan: LanguagePlan, page: PageSpec) -> Problem | tuple[str, SearchEntry | None]:
    """One page's HTML and, for a searchable page, its words for the search index (taken here,
    in the worker, while the HTML is at hand)."""
    try:
        html = render_page(plan.env, page, plan.common, plan.notice)
    except jinja2.TemplateError as exc:
        return template_problem(exc, plan.settings.root)
    return html, (search_entry(page.url, page.title, page.description, html) if page.searchable else None)


def raise_template_problems(results: list) -> None:
    problems = [result for result in results if isinstance(result, Problem)]
    if problems:
        raise InvalidPortal(list(dict.fromkeys(problems)))


def _tree_cache(kept: KeptBuild | None, plan: LanguagePlan) -> TreeCache | None:
    if kept is None:
        return None
    try:
        frame = frame_digest(plan.common, plan.notice, plan.tree, own_theme(plan.settings.templates_dir))
    except Exception:  # noqa: BLE001 - what every page shares cannot be digested: nothing is reused
        return None
    source = plan.common.get("source")
    return kept.tree(plan.tree, frame, source.commit if source is not None else None)


def render_pages(plan: LanguagePlan, out_dir: Path, links: LinkCheck | None = None,
                 cache: TreeCache | None = None) -> list[SearchEntry]:
    """Write every page of the tree, on every core, and return what the search index needs of
    the searchable ones; a template that fails is reported once, at its line. With `links`,
    each page's links are checked too, while its HTML is at hand. With `cache`, a page whose
    plan is the last build's is copied from the last site, its HTML checked against the digest
    kept, and what this build gave is kept for the next."""
    compile_templates(plan)
    pages = plan.pages
    names = [page.path for page in plan.site_pages]  # as the link check knows them: from the site's root
    if links is not None:
        links.expect(set(names))

    def write_one(index: int) -> Problem | tuple[SearchEntry | None, Checked | None, list | None, bool]:
        page = pages[index]
        target = safe_join(out_dir, page.path, fresh=True)  # the staging folder, or a tree beside it
        target.parent.mkdir(parents=True, exist_ok=True)
        data = digest = kept_entry = None
        if cache is not None and not page.whole_site:
            try:
                data, digest, kept_entry = cache.last_html(names[index], page)
            except Exception:  # noqa: BLE001 - a plan that cannot be digested is rendered, and not kept
                data = digest = None
        reused = data is not None
        if data is not None:
            html = data.decode("utf-8")
            entry = (SearchEntry(*kept_entry) if kept_entry is not None else
                     search_entry(page.url, page.title, page.description, html) if page.searchable else None)
        else:
            result = render_one(plan, page)
            if isinstance(result, Problem):
                return result
            html, entry = result
            data = html.encode("utf-8")
        target.write_bytes(data)
        keep = None if digest is None else [digest, hashlib.sha256(data).hexdigest(),
                                            list(entry) if entry is not None else None]
        return entry, (links.page(names[index], html) if links is not None else None), keep, reused

    results = parallel_map(write_one, range(len(pages)))
    raise_template_problems(results)
    if links is not None:
        links.add(dict(zip(names, (result[1] for result in results))))
    if cache is not None:
        for name, (_, _, keep, reused) in zip(names, results):
            if keep is not None:
                cache.new[name] = keep
            cache.reused += reused
    return [result[0] for result in results if result[0] is not None]


def translation_notice(settings: Settings, env: jinja2.Environment) -> str:
    """The note on a page where some texts are not translated and are shown in the main language."""
    if not settings.main_language:
        return ""
    main = Locale.parse(settings.main_language).get_display_name(settings.language)
    return env.get_template("translation_notice.html").render(language=main)


def site_path(settings: Settings) -> str:
    """The URL path the (language tree of the) site is served from, e.g. "/" or "/en/"."""
    path = urlsplit(settings.site_url).path if settings.site_url else "/" + settings.tree
    return path if path.endswith("/") else path + "/"


def broken_links(broken: list[BrokenLink], shown_in: str, settings: Settings | None = None,
                 portal: Portal | None = None) -> InvalidPortal:
    """Mostly a Markdown link in a page that points nowhere: the site is not published. Each is
    reported where it was written (`link_sources`), given the `settings` and `portal` built."""
    return InvalidPortal(broken_link_problems(broken, shown_in, settings, portal))


def build_site(settings: Settings, site_dir: Path, strict: bool = False, *, option: str | None = None,
               checked: bool = False, cache: bool = True) -> BuildReport:
    """Validate and build; the previous site is replaced only if everything succeeded.
    With `strict`, warnings count as errors (for CI). A site folder that would destroy a source
    of the portal, or that holds what a build did not make, is refused before anything is read
    (`site_folder.check_site_dir`; `option` is how the command line named it); `checked` when the
    caller has looked at what the folder holds already (the MkDocs plugin, before MkDocs emptied it). With `cache`, pages whose plan is the
    last build's are taken from the last site and what this build made is kept for the next
    (`kept_build`); without, every page is rendered and nothing is kept."""
    started = time.perf_counter()
    shown = option or display_path(site_dir, settings.root)
    check_site_dir(settings, site_dir, option=option, contents=not checked)
    # The portal lives as long as the build: loading leaves it out of the cycle collector's walks
    # (frozen), in this process and in the workers (where a walk would also copy the memory they
    # share with this one). Given back at the end, for a process that builds again (mkdocs serve).
    try:
        portal = load_from_settings(settings)
        # A shallow clone publishes no date it cannot know, and says so here (--strict: fails).
        warnings = tuple(sorted(portal.warnings + shallow_clone_problems(settings.root)))
        if strict and warnings:
            raise InvalidPortal(list(warnings))
        kept = KeptBuild.open(settings.root, site_dir, settings.templates_dir) if cache else None
        with staging_dir(site_dir, shown=shown,
                         guard=None if checked else lambda: refuse_unusable(site_dir, shown)) as staging:
            check = LinkCheck(site_path(settings), settings.site_url)
            count = render_site(settings, portal, staging, check, kept)
            with stage("link check"):
                links = check.report(staging, jobs=available_jobs())
            if links.broken:
                raise broken_links(links.broken, site_dir.name, settings, portal)
        if kept is not None:  # the site it describes is in place now
            kept.save()
    finally:
        gc.unfreeze()
    return BuildReport(site_dir, count, time.perf_counter() - started, warnings, tuple(links.external),
                       kept.reused if kept is not None else 0, kept.ignored if kept is not None else None)


def build_from_config(config_file: Path, site_dir: Path | None = None, strict: bool = False,
                      cache: bool = True) -> BuildReport:
    settings = load_settings(config_file)
    target = site_dir if site_dir is not None else settings.root / "site"
    return build_site(settings, target.resolve(), strict,
                      option=f"--site-dir {site_dir}" if site_dir is not None else None, cache=cache)
