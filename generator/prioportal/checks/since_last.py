"""A preview's load after a save: the measures checked again are only those the save can affect.

The preview reads an unchanged decision file into the very same objects as last time
(`checks.files.FileCache`). When the criteria versions and rounds are the very same and the
measures have the same ids, a save changed some measures and nothing else. A measure's checks
across files look only at itself, its round, its criteria version and its `previous` version
(`checks.rounds`), so only the measures read again, and those whose previous version was, are
checked again (`rounds.check_measures`), and the titles of their rounds. The measures in id
order, the files they come from and the look-ups by id and by round are the last load's with
the new measures put in. Anything else (a criteria version or round changed, a measure added,
removed or given another id, a file that cannot be read) and the measures are checked round by
round as in a cold load (`rounds.check_round`). This is the preview's layer around
`portal.check_portal`, which checks the criteria versions and rounds themselves every time.

At 10 000 measures each pass over all of them costs several milliseconds, mostly waiting for
memory; a save of one measure now makes none here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prioportal.model import decisions as m
from prioportal.model.decisions import group_by_round
from prioportal.problems import Problem
from prioportal.checks.documents import check_round_titles
from prioportal.checks.rounds import Frame, check_measures, check_round

if TYPE_CHECKING:
    from prioportal.checks.files import FileRead


@dataclass
class Checks:
    """The measures of one load, in id order, with what their checks across files found."""

    criteria: Mapping[str, FileRead]  # the reads the checks were made from, by id
    rounds: Mapping[str, FileRead]
    measures: Mapping[str, FileRead]
    order: tuple[m.Measure, ...]  # the measures sorted by id, as `Portal.measures`
    sources: dict[str, str]  # "measures:<id>" -> the file it comes from, as shown
    references: dict[str, list[Problem]]  # measure id -> its problems (measures without any are left out)
    # Kept only for a preview's next load:
    ids: list[str] | None = None  # of `order`
    by_id: dict[str, m.Measure] | None = None
    by_round: dict[str, list[m.Measure]] | None = None  # in the order of `order`
    successors: dict[str, list[str]] | None = None  # id -> ids of the measures whose previous version it is
    changed: tuple[str, ...] | None = None  # ids of measures read again since the last load; None: all
    titles: dict[str, list[Problem]] = field(default_factory=dict)  # round id -> its titles used twice
    # Filled in by `checks.portal.load_portal` once the portal is put together:
    redirects: list[Problem] | None = None  # what `redirects.redirect_problems` found
    # `order` as published (`model.small_numbers.published_measures`), the very tuple the portal
    # holds: a measure not read again keeps its published copy from one load to the next.
    published: tuple[m.Measure, ...] | None = None

    @property
    def problems(self) -> list[Problem]:
        return [p for found in self.references.values() for p in found] + [p for found in self.titles.values() for p in found]


def _pairs(reads: Mapping[str, FileRead]) -> dict[str, tuple]:
    return {ident: (read.obj, read.document) for ident, read in reads.items()}


def _changed(last: Checks | None, criteria: Mapping[str, FileRead], rounds: Mapping[str, FileRead],
             measures: Mapping[str, FileRead], skip: set[str]) -> list[str] | None:
    """The ids of the measures not read into the very objects of `last`, or None when anything
    else changed (or there is no `last` to compare with)."""
    if last is None or last.ids is None or skip:
        return None
    for now, before in ((criteria, last.criteria), (rounds, last.rounds)):
        if now.keys() != before.keys() or any(read is not before[ident] for ident, read in now.items()):
            return None
    if measures.keys() != last.measures.keys():
        return None
    before = last.measures
    return [ident for ident, read in measures.items() if read is not before[ident]]


def measures_changed(before: Checks | None, now: Checks) -> list[str] | None:
    """The ids of the measures not read into the very objects between two loads, or None when
    anything else differs (or `before` was not kept)."""
    return _changed(before, now.criteria, now.rounds, now.measures, set())


def check(frame: Frame, criteria: Mapping[str, FileRead], rounds: Mapping[str, FileRead],
          measures: Mapping[str, FileRead], last: Checks | None = None, keep: bool = False) -> Checks:
    """The checks across files of the measures (`frame`, made from these reads), from `last` where
    a save cannot have changed them. With `keep` (a preview), what the next load needs to do the same."""
    changed = _changed(last, criteria, rounds, measures, frame.skip)
    if changed is None or last is None:
        return _cold(frame, criteria, rounds, measures, keep)
    assert last.ids is not None and last.by_id is not None and last.by_round is not None
    assert last.successors is not None
    order = list(last.order)
    sources = dict(last.sources)
    by_id = dict(last.by_id)
    successors = dict(last.successors)
    by_round: dict[str, list[m.Measure]] | None = dict(last.by_round)
    for ident in changed:
        read, old = measures[ident], last.by_id[ident]
        new: m.Measure = read.obj  # type: ignore[assignment]
        order[bisect_left(last.ids, ident)] = new
        sources[f"measures:{ident}"] = read.shown_as
        by_id[ident] = new
        if new.previous != old.previous:
            if old.previous is not None:
                successors[old.previous] = [x for x in successors[old.previous] if x != ident]
            if new.previous is not None:
                successors[new.previous] = successors.get(new.previous, []) + [ident]
        if by_round is not None and new.round == old.round:
            members = by_round[new.round] = list(by_round[new.round])
            members[next(i for i, x in enumerate(members) if x is old)] = new
        else:  # a measure moved to another round: grouped again when asked for
            by_round = None
    again = set(changed).union(*(successors.get(ident, ()) for ident in changed))
    references = dict(last.references)
    for ident in again:
        references.pop(ident, None)
    references.update(check_measures(again, frame))
    by_round = by_round if by_round is not None else group_by_round(order)
    titles = dict(last.titles)
    for round_id in {x.round for ident in changed for x in (last.by_id[ident], by_id[ident])}:
        titles.pop(round_id, None)
        found = check_round_titles([frame.measures[x.id] for x in by_round.get(round_id, ())])
        if found:
            titles[round_id] = found
    return Checks(criteria, rounds, measures, tuple(order), sources, references,
                  last.ids, by_id, by_round, successors, tuple(changed), titles=titles)


def _cold(frame: Frame, criteria: Mapping[str, FileRead], rounds: Mapping[str, FileRead],
          measures: Mapping[str, FileRead], keep: bool) -> Checks:
    """Every measure checked, round by round (`rounds.check_round`, as `prioportal validate` does)."""
    pairs = _pairs(measures)
    members: dict[str, list[str]] = {}
    for ident, (measure, _) in pairs.items():
        members.setdefault(measure.round, []).append(ident)
    references: dict[str, list[Problem]] = {}
    titles = {}
    for round_id, in_round in members.items():
        found = check_round(in_round, frame)
        references.update(found.references)
        if found.titles:
            titles[round_id] = found.titles
    order = tuple(sorted((measure for measure, _ in pairs.values()), key=lambda x: x.id))
    sources = {f"measures:{ident}": doc.shown_as for ident, (_, doc) in pairs.items()}
    checked = Checks(criteria, rounds, measures, order, sources, references, titles=titles)
    if keep:
        checked.ids = [x.id for x in order]
        checked.by_id = dict(zip(checked.ids, order))
        checked.by_round = group_by_round(order)
        successors: dict[str, list[str]] = {}
        for x in order:
            if x.previous is not None:
                successors.setdefault(x.previous, []).append(x.id)
        checked.successors = successors
    return checked
