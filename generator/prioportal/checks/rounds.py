"""A round's measures checked against each other and the other files, and its consistency
review: the unit in which every load checks across files (`portal.check_portal`), and in which
the warm paths keep what they found (the preview's `since_last`, per measure; `prioportal
validate`'s `build.revalidate`, per round on disk).

A measure's checks across files look only at itself, its round, its criteria version and its
`previous` version (and the other measures' ids when that one is missing); a round's review
only at its measures, their previous versions and its criteria version. So what a round gave
holds for as long as those are the same, and each warm path decides that in its own way: by the
very objects read (the preview), or by a digest of the files (validate)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from prioportal.analyses.review import ReviewFlag, RoundToReview, review_one
from prioportal.checks.decision_records import check_continuation
from prioportal.checks.documents import check_measure, check_round_titles
from prioportal.checks.portal_wide import round_review_warnings
from prioportal.problems import Problem


class Pairs(Mapping):
    """Files read, by id, as the checks take them: (model, document), made when asked for, so
    that a warm path that kept them on disk reads back only the ones a check looks at."""

    def __init__(self, reads: Mapping[str, Any]):
        self._reads = reads  # id -> what the file gave (a `files.FileRead`, or what validate kept)

    def __getitem__(self, ident: str) -> tuple:
        read = self._reads[ident]
        return read.obj, read.document

    def __contains__(self, ident: object) -> bool:
        return ident in self._reads

    def __iter__(self) -> Iterator[str]:
        return iter(self._reads)

    def __len__(self) -> int:
        return len(self._reads)


@dataclass(frozen=True)
class Frame:
    """What the checks of a measure look at besides the measure itself."""

    criteria: dict[str, tuple]  # id -> (criteria version, document)
    rounds: dict[str, tuple]  # id -> (round, document)
    measures: Pairs  # every measure, by id
    skip: set[str]  # ids of files that could not be read: references to them are not checked (`documents.skipped`)


def check_measures(idents: Iterable[str], frame: Frame) -> dict[str, list[Problem]]:
    """The checks across files of each of these measures (`documents.check_measure`): only the
    measures with problems are given."""
    found = {}
    for ident in idents:
        measure, doc = frame.measures[ident]
        problems = check_measure(measure, doc, frame.criteria, frame.rounds, frame.measures, frame.skip)
        problems += check_continuation(measure, doc, frame.rounds, frame.skip)
        if problems:
            found[ident] = problems
    return found


@dataclass(frozen=True)
class RoundChecked:
    """What the checks across files found in one round."""

    references: dict[str, list[Problem]]  # measure id -> its problems (measures without any are left out)
    titles: list[Problem]  # titles used twice in the round

    @property
    def problems(self) -> list[Problem]:
        return [p for found in self.references.values() for p in found] + self.titles


def check_round(members: list[str], frame: Frame) -> RoundChecked:
    """The checks across files of one round's measures, by their ids."""
    return RoundChecked(check_measures(members, frame), check_round_titles([frame.measures[x] for x in members]))


@dataclass(frozen=True)
class RoundReviewed:
    """A round's consistency review: its flags, and the warnings they give (flags without a
    written reason, reasons no flag needs)."""

    flags: list[ReviewFlag] | None  # None where only the warnings were kept (`prioportal validate` makes no portal)
    warnings: list[Problem]


def review_round(given: RoundToReview, members: list[tuple]) -> RoundReviewed:
    """The review of one round, from its measures in the portal's main language (`given`), and
    the warnings placed in their files (`members`: each measure as written, with its document)."""
    flags = review_one(given)
    return RoundReviewed(flags, round_review_warnings(flags, members))


__all__ = ["Frame", "Pairs", "RoundChecked", "RoundReviewed", "check_measures", "check_round", "review_round"]
