"""Reading a whole portal: every decision file and narrative page, validated together.

`load_portal` is the one way in, given the portal's settings whole: every command that loads
a portal (build, validate, preview, diff of git revisions, import) loads with the same
settings, so a portal one of them accepts, all accept. A load has two halves:

1. each file and page read and checked on its own (`checks.files`, `read_pages`), put together
   by kind and id: a `FilesRead`;
2. `check_portal`, the one function that goes on from there, whoever read the files: the
   criteria versions and rounds against each other, every measure against its round, criteria
   and previous version (`rounds.check_round`), the former ids, and the consistency review of
   each round (`rounds.review_round`). It gives every problem at once, or the warnings and the
   review's flags.

The warm paths are layers around these two that decide what to read and check again, each a
`KeptChecks`: the cold load keeps nothing; the preview passes a `FileCache` (files read, and the
checks across files of the last load: `since_last`) and keeps each round's review while what it
is made from is the very same (`build.reviews`); `prioportal validate` keeps what each file and
round gave on disk (`build.revalidate`). The commands that help fix a broken portal read only
what they need (`lenient`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from prioportal.analyses.review import ReviewFlag, RoundToReview, review_portal, rounds_to_review
from prioportal.checks.documents import check_criteria_and_rounds, skipped
from prioportal.checks.decision_records import check_decision_records
from prioportal.checks.files import (Collected, FileCache, FileRead, Found, Listing, collect, list_decision_files,
                                     read_decision_file, read_files)
from prioportal.checks.former_ids import redirect_problems
from prioportal.checks.portal_wide import invisible_characters_on_page, personal_data_on_page
from prioportal.checks.rounds import Frame, Pairs, RoundReviewed, review_round
from prioportal.checks.since_last import Checks, check
from prioportal.model.portal import Portal
from prioportal.model.small_numbers import published_measures
from prioportal.problems import InvalidPortal, Problem, Severity
from prioportal.sources.pages import ContentPage, load_content

if TYPE_CHECKING:
    from prioportal.settings import Settings


def loading_settings(settings: Settings) -> tuple:
    """Every setting `load_portal` reads, and so everything besides the files that what it
    found depends on (what `prioportal validate` keeps is valid for these only)."""
    return (settings.root, settings.decisions_dir, settings.content_dir, settings.readability_limit,
            settings.personal_data, settings.languages, settings.easy_read_limit, settings.small_numbers)


# --- The first half: each file and page on its own ---------------------------------------------


@dataclass(frozen=True)
class FilesRead:
    """What every decision file and narrative page gave on its own, before any check across them."""

    problems: list[Problem]  # where files are, and each file's and page's own
    collected: Collected  # the files' models (or what a warm path kept of them), by kind and id
    pages: tuple[ContentPage, ...]

    @property
    def translated(self) -> bool:
        """Whether any text is given per language, in a file or a page."""
        return self.collected.translated or any(page.translations for page in self.pages)


def files_read(settings: Settings, listing: Listing, reads: Mapping[tuple[str, str], object]) -> FilesRead:
    """The decision files as read (`reads`, by kind and path, for the files of `listing`), put
    together by kind and id, with the narrative pages read."""
    collected = collect(listing.wanted, reads)  # type: ignore[arg-type]
    pages, page_problems = read_pages(settings)
    return FilesRead(listing.problems + collected.problems + page_problems, collected, pages)


def read_pages(settings: Settings) -> tuple[tuple[ContentPage, ...], list[Problem]]:
    """The narrative pages, with their problems: any personal data found in them, and invisible
    characters in their titles."""
    pages, problems = load_content(settings.content_dir, settings.root, settings.languages)
    for page in pages:
        for version in (page,) + page.translations:
            problems += personal_data_on_page(version, settings.personal_data) + invisible_characters_on_page(version)
    return pages, problems


# --- The second half: the checks across files and the review ---------------------------------


class KeptChecks(ABC):
    """What one load takes over from the last, and how it tells that it still holds: the layer
    each warm path puts around `check_portal`, made for the `FilesRead` of one load. It decides
    which measures and rounds are checked and reviewed again; the checks themselves are
    `rounds`' functions, the same for every load."""

    @abstractmethod
    def check_measures(self, frame: Frame) -> list[Problem]:
        """What the checks across files of every measure find (`rounds.check_round`)."""

    @abstractmethod
    def former_ids(self, root: Path) -> list[Problem]:
        """Former ids that cannot become redirects (`former_ids`), in a portal without errors."""

    @abstractmethod
    def review(self) -> dict[str, RoundReviewed]:
        """Each round's review (`rounds.review_round`), in a portal without errors."""


@dataclass(frozen=True)
class Checked:
    """What `check_portal` found in a portal that can be published."""

    warnings: tuple[Problem, ...]  # sorted
    # Round id -> the consistency review's flags, in the main language (None where the layer kept
    # only the warnings: `prioportal validate`, which makes no portal).
    review: dict[str, list[ReviewFlag] | None]


def check_portal(settings: Settings, files: FilesRead, kept: KeptChecks) -> Checked:
    """The checks across files and the consistency review of what the files gave, with what
    `kept` (made for these `files`) takes over from the last load. Raises InvalidPortal with
    every problem at once."""
    by_id = files.collected.by_id
    criteria, rounds = dict(Pairs(by_id["criteria"]).items()), dict(Pairs(by_id["rounds"]).items())
    skip = skipped(files.collected.broken)
    # The criteria versions and rounds are few: checked every time.
    problems = files.problems + check_criteria_and_rounds(criteria, rounds, skip)
    measures = Pairs(by_id["measures"])
    problems += check_decision_records(rounds, measures, skip)  # reads only the measures the records name
    problems += kept.check_measures(Frame(criteria, rounds, measures, skip))
    if any(p.severity is Severity.error for p in problems):
        raise InvalidPortal(problems)
    redirects = kept.former_ids(settings.root)
    if redirects:
        raise InvalidPortal(problems + redirects)
    reviewed = kept.review()
    problems += [p for found in reviewed.values() for p in found.warnings]
    return Checked(tuple(sorted(problems)), {round_id: found.flags for round_id, found in reviewed.items()})


# --- The load: cold, or the preview's ---------------------------------------------------------


# How a preview keeps a round's review: given what the round is reviewed from, and how to review
# it, the review (`build.reviews.reviewing`). A cold load reviews every round.
Reviews = Callable[[RoundToReview, Callable[[], RoundReviewed]], RoundReviewed]


def _afresh(given: RoundToReview, review: Callable[[], RoundReviewed]) -> RoundReviewed:
    return review()


class _Loading(KeptChecks):
    """The cold load, and the preview's: the measures checked again are those `since_last` says
    (every one without a `cache`), the rounds reviewed again those `reviews` does not keep."""

    def __init__(self, settings: Settings, files: FilesRead, cache: FileCache | None, reviews: Reviews):
        self.settings, self.files, self.cache, self.reviews = settings, files, cache, reviews
        self.last = cache.checked if cache is not None else None
        self.checked: Checks | None = None

    def check_measures(self, frame: Frame) -> list[Problem]:
        by_id = self.files.collected.by_id
        self.checked = check(frame, by_id["criteria"], by_id["rounds"], by_id["measures"], self.last,
                             keep=self.cache is not None)
        if self.cache is not None:
            self.cache.checked = self.checked
        return self.checked.problems

    @cached_property
    def portal(self) -> Portal:
        """The portal in its main language (with no review yet)."""
        files, checked = self.files, self.checked
        assert checked is not None
        by_id = files.collected.by_id

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
            measures=self._published(),
            pages=files.pages,
            sources=sources,
            languages=self.settings.languages,
            translated=files.translated,
            _indexes=indexes,
        )
        return replace(as_written, as_written=as_written, language=None).in_language(self.settings.languages[0])

    def _published(self) -> tuple:
        """What is published of the measures: no follow-up count of a few persons (small_numbers).
        A preview keeps the copy of each measure not read again, as it keeps the measure."""
        checked, last = self.checked, self.last
        assert checked is not None
        before = None
        if last is not None and last.published is not None and last.published is not last.order:
            before = {id(raw): (raw, shown) for raw, shown in zip(last.order, last.published)}
        checked.published = published_measures(checked.order, self.settings.small_numbers, before)
        return checked.published

    def former_ids(self, root: Path) -> list[Problem]:
        """`redirect_problems`, or the last load's where no measure read again has or had former ids."""
        checked, last = self.checked, self.last
        assert checked is not None
        if checked.changed is not None and last is not None and last.redirects is not None and not any(
                x.former_ids for ident in checked.changed for x in (last.by_id[ident], checked.by_id[ident])):
            checked.redirects = last.redirects
        else:
            checked.redirects = redirect_problems(self.portal, root)
        return checked.redirects

    def review(self) -> dict[str, RoundReviewed]:
        reads = self.files.collected.by_id["measures"]

        def members(given: RoundToReview) -> list[tuple]:
            return [(reads[x.id].obj, reads[x.id].document) for x in given.members]

        return {given.round_id: self.reviews(given, lambda given=given: review_round(given, members(given)))
                for given in rounds_to_review(self.portal)}


def load_portal(settings: Settings, cache: FileCache | None = None, reviews: Reviews = _afresh) -> Portal:
    """Load and validate everything as `settings` say (folders, languages, readability limit,
    personal-data rules); raise InvalidPortal with every error at once. The portal returned is
    in the main language (`settings.languages[0]`), reviewed; `in_language` gives the others.
    With a `cache` (one per set of settings), files unchanged since the last call are not read
    again, and only the checks across files they can affect are made again; a preview's
    `reviews` keeps each round's review while what it is made from is the very same."""
    listing = list_decision_files(settings.root, settings.decisions_dir, cache.folders if cache is not None else None)

    def load(kind: str, found: Found) -> FileRead:
        return read_decision_file(found.path, kind, settings)

    files = files_read(settings, listing, read_files(listing.wanted, load, cache))
    loading = _Loading(settings, files, cache, reviews)
    checked = check_portal(settings, files, loading)
    return replace(loading.portal, review=checked.review, warnings=checked.warnings)  # _Loading keeps every flag


def in_language(portal: Portal, language: str, review: Callable[[Portal], dict] = review_portal) -> Portal:
    """The portal's copy in `language` (`Portal.in_language`) with its consistency review
    (`review`), whose flags carry the explanations in that language."""
    localized = portal.in_language(language)
    if localized is portal:  # already in that language, and reviewed when it was made
        return portal
    return replace(localized, review=review(localized))
