"""Reading a whole portal: every decision file and narrative page, validated together.

`load_portal` is the one way in, given the portal's settings whole: every command that loads
a portal (build, validate, preview, diff of git revisions) loads with the same settings, so a
portal one of them accepts, all accept. The warm paths are layers around it that decide what
to read and check again: the preview passes a `FileCache` (files read and checks made by the
last load, see `since_last`), and `prioportal validate` keeps what each file and round gave on
disk (`revalidate`, which lists, reads and checks files and pages with the functions used here).
The commands that help fix a broken portal read only what they need (`lenient`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from prioportal.model.portal import Portal
from prioportal.sources.pages import ContentPage, load_content
from prioportal.problems import InvalidPortal, Problem, Severity
from prioportal.checks.former_ids import redirect_problems
from prioportal.analyses.review import ReviewFlag, review_portal
from prioportal.checks.since_last import Checks, check
from prioportal.checks.files import FileCache, FileRead, Found, collect, list_decision_files, read_decision_file, read_files
from prioportal.checks.portal_wide import invisible_characters_on_page, personal_data_on_page, review_warnings

if TYPE_CHECKING:
    from prioportal.settings import Settings


def loading_settings(settings: Settings) -> tuple:
    """Every setting `load_portal` reads, and so everything besides the files that what it
    found depends on (what `prioportal validate` keeps is valid for these only)."""
    return (settings.root, settings.decisions_dir, settings.content_dir, settings.readability_limit,
            settings.personal_data, settings.languages)


Review = Callable[[Portal], dict[str, list[ReviewFlag]]]  # a portal's flags per round id


def load_portal(settings: Settings, cache: FileCache | None = None, review: Review = review_portal) -> Portal:
    """Load and validate everything as `settings` say (folders, languages, readability limit,
    personal-data rules); raise InvalidPortal with every error at once. The portal returned is
    in the main language (`settings.languages[0]`), reviewed; `in_language` gives the others.
    With a `cache` (one per set of settings), files unchanged since the last call are not read
    again, and only the checks across files they can affect are made again; a preview's
    `review` keeps each round's flags while what they are made from is the very same."""
    root, languages = settings.root, settings.languages
    listing = list_decision_files(root, settings.decisions_dir, cache.folders if cache is not None else None)

    def load(kind: str, found: Found) -> FileRead:
        return read_decision_file(found.path, kind, settings)

    collected = collect(listing.wanted, read_files(listing.wanted, load, cache))
    problems = listing.problems + collected.problems
    by_id = collected.by_id
    last = cache.checked if cache is not None else None
    checked = check(by_id["criteria"], by_id["rounds"], by_id["measures"], collected.broken, last,
                    keep=cache is not None)
    if cache is not None:
        cache.checked = checked
    problems += checked.problems
    pages, page_problems = read_pages(settings)
    problems += page_problems

    errors = [p for p in problems if p.severity is Severity.error]
    if errors:
        raise InvalidPortal(problems)

    def ordered(kind: str, key) -> tuple:
        return tuple(sorted((read.obj for read in by_id[kind].values()), key=key))

    sources = {f"{kind}:{ident}": read.shown_as for kind in ("criteria", "rounds") for ident, read in by_id[kind].items()}
    sources.update(checked.sources)
    indexes = {}
    if checked.by_id is not None:  # made by `check` for the next load: no need to make them again
        indexes = {"by id": (checked.order, checked.by_id), "by round": (checked.order, checked.by_round)}
    as_written = Portal(
        criteria_sets=ordered("criteria", lambda c: c.version),
        rounds=ordered("rounds", lambda r: r.order_key),
        measures=checked.order,
        pages=pages,
        sources=sources,
        languages=languages,
        translated=collected.translated or any(page.translations for page in pages),
        _indexes=indexes,
    )
    portal = in_language(replace(as_written, as_written=as_written, language=None), languages[0], review)
    redirects = _redirect_problems(portal, root, checked, last)
    if redirects:
        raise InvalidPortal(problems + redirects)
    problems += review_warnings(portal.review, checked, last)
    return replace(portal, warnings=tuple(sorted(problems)))


def in_language(portal: Portal, language: str, review: Review = review_portal) -> Portal:
    """The portal's copy in `language` (`Portal.in_language`) with its consistency review
    (`review`), whose flags carry the explanations in that language."""
    localized = portal.in_language(language)
    if localized is portal:  # already in that language, and reviewed when it was made
        return portal
    return replace(localized, review=review(localized))


def _redirect_problems(portal: Portal, root: Path, checked: Checks, last: Checks | None) -> list[Problem]:
    """`redirect_problems`, or the last load's where no measure read again has or had former ids."""
    if checked.changed is not None and last is not None and last.redirects is not None and not any(
            x.former_ids for ident in checked.changed for x in (last.by_id[ident], checked.by_id[ident])):
        checked.redirects = last.redirects
    else:
        checked.redirects = redirect_problems(portal, root)
    return checked.redirects


def read_pages(settings: Settings) -> tuple[tuple[ContentPage, ...], list[Problem]]:
    """The narrative pages, with their problems: any personal data found in them, and invisible
    characters in their titles."""
    pages, problems = load_content(settings.content_dir, settings.root, settings.languages)
    for page in pages:
        for version in (page,) + page.translations:
            problems += personal_data_on_page(version, settings.personal_data) + invisible_characters_on_page(version)
    return pages, problems
