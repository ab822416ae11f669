"""A validated portal: its criteria versions, rounds, measures and narrative pages, in a
deterministic order, and copies of it in each of its languages.

Only what the files say is held and resolved here; the checks that produced it and the
consistency review stored on it (`review`) are run by the loading code (`checks.portal`), so
the model depends on no analysis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from prioportal.model import decisions as m
from prioportal.model.languages import localize
from prioportal.problems import Problem

if TYPE_CHECKING:  # the pages are read by `sources`; the model only holds them
    from prioportal.sources.pages import ContentPage


@dataclass(frozen=True)
class Portal:
    """The validated content of one portal, ordered deterministically."""

    criteria_sets: tuple[m.CriteriaSet, ...]
    rounds: tuple[m.Round, ...]
    measures: tuple[m.Measure, ...]
    pages: tuple[ContentPage, ...]
    sources: dict[str, str] = field(default_factory=dict, compare=False)  # id -> file shown as
    warnings: tuple[Problem, ...] = ()
    # Round id -> the consistency review's flags (`analyses.review.ReviewFlag`) on this copy,
    # in its language: filled in by whoever makes the copy (`checks.portal.in_language`).
    review: dict[str, list] = field(default_factory=dict, compare=False)
    languages: tuple[str, ...] = ()  # the main language first
    language: str | None = None  # the language this copy is in
    translated: bool = True  # whether any text is given per language; if not, the main language needs no copy
    as_written: "Portal | None" = field(default=None, compare=False, repr=False)  # texts per language, unresolved
    # Look-ups made from `measures`, shared by the copies `replace` makes (the review, the views
    # and the feeds each ask): each is kept with the very tuple it was made from.
    _indexes: dict = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, language: str) -> "Portal":
        """This portal with every text in `language`, or in the main language where untranslated.
        A new copy has no review yet (the last copy's flags would carry texts in its language);
        the same copy when it is already in `language`, or holds no texts per language."""
        if language == self.language or self.as_written is None:
            return self
        main = self.languages[0]
        source = self.as_written
        if language == main and not source.translated:
            # Every text is already a plain string in the main language: nothing to resolve,
            # and walking every field of 10 000 measures would cost seconds.
            return replace(self, language=language, review={})
        return replace(
            self,
            criteria_sets=localize(source.criteria_sets, language, main),
            rounds=localize(source.rounds, language, main),
            measures=localize(source.measures, language, main),
            pages=tuple(p.in_language(language, main) for p in source.pages),
            language=language,
            review={},
        )

    def criteria_set(self, ident: str) -> m.CriteriaSet:
        return next(c for c in self.criteria_sets if c.id == ident)

    def round(self, ident: str) -> m.Round:
        return next(r for r in self.rounds if r.id == ident)

    def measures_in(self, round_id: str) -> list[m.Measure]:
        """The round's measures, in the order of `measures`."""
        # Grouped once: asked for every round, a scan of every measure made the views grow
        # with rounds × measures.
        return list(self._index("by round", m.group_by_round).get(round_id, ()))

    @property
    def measures_by_id(self) -> dict[str, m.Measure]:
        return self._index("by id", lambda measures: {x.id: x for x in measures})

    def _index(self, name: str, make: Callable[[tuple[m.Measure, ...]], dict]) -> dict:
        # Each pass over ten thousand measures costs milliseconds, mostly waiting for memory.
        kept = self._indexes.get(name)
        if kept is None or kept[0] is not self.measures:
            kept = self._indexes[name] = (self.measures, make(self.measures))
        return kept[1]
