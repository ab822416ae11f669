"""The checks of who decided and what became of a measure afterwards: a round's decision record
(its votes, the measures its separate votes and declarations of disqualification name) and a
measure's `continuation` (the round it moved to).

A decision record names measures by id, as the minutes name the cases; each must be a measure
of the round it was decided in. These checks read a round's record and only the measures it
names, so `checks.portal.check_portal` makes them on every load, as it checks the rounds
themselves; a measure's continuation looks only at the rounds, and is checked with the
measure's other references (`checks.rounds.check_measures`).
"""

from __future__ import annotations

from collections.abc import Mapping

from prioportal.checks.documents import _not_found, _unsure
from prioportal.model import decisions as m
from prioportal.problems import Problem, T
from prioportal.sources.yaml_files import Document


def _vote_problems(vote: m.Vote, doc: Document, path: tuple) -> list[Problem]:
    """A vote says how many voted for and against, or that it was unanimous, and not both ways."""
    if _unsure(doc, *path):
        return []
    if vote.unanimous and vote.against:
        return [doc.problem(path + ("against",), T("a unanimous vote has no votes against ({against} are written here)",
                                                   against=vote.against),
                            T("remove 'against', or 'unanimous: true' if some voted against"))]
    if not vote.unanimous and (vote.in_favour is None or vote.against is None):
        return [doc.problem(path, T("the vote says neither how many voted for and against, nor that it was unanimous"),
                            T("write 'in_favour:' and 'against:' (and 'abstained:' if any did), or 'unanimous: true'"))]
    return []


def _measure_of_round(doc: Document, path: tuple, ref: str, rnd: m.Round, measures: Mapping[str, tuple],
                      skip: set[str]) -> list[Problem]:
    """The measure `ref` named at `path` of a round's file: one of the round's measures."""
    if ref in skip or _unsure(doc, *path):
        return []
    if ref not in measures:
        return [_not_found(doc, path, "measure", ref, measures)]
    measure, measure_doc = measures[ref]
    if measure.round != rnd.id and not _unsure(measure_doc, "round"):
        return [doc.problem(path, T("the measure '{measure}' belongs to the round '{other}', not to this one",
                                    measure=ref, other=measure.round),
                            T("name a measure of this round, or move this entry to the round '{other}'",
                              other=measure.round))]
    return []


def check_decision_record(rnd: m.Round, doc: Document, measures: Mapping[str, tuple], skip: set[str]) -> list[Problem]:
    """The votes of one round's decision record, and the measures its separate votes and
    declarations of disqualification name (`measures`: every measure, by id, as (measure, document))."""
    record = rnd.decision
    if record is None or not record.recorded_in_detail or _unsure(doc, "decision"):
        return []
    problems = _vote_problems(record.vote, doc, ("decision", "vote")) if record.vote else []
    seen: set[str] = set()
    for i, vote in enumerate(record.separate_votes):
        path = ("decision", "separate_votes", i)
        problems += _vote_problems(vote, doc, path)
        problems += _measure_of_round(doc, path + ("measure",), vote.measure, rnd, measures, skip)
        if vote.measure in seen and not _unsure(doc, *path, "measure"):
            problems.append(doc.problem(path + ("measure",), T("the measure '{measure}' has two separate votes",
                                                               measure=vote.measure),
                                        T("keep one vote per measure, as the minutes record it")))
        seen.add(vote.measure)
    for i, declared in enumerate(record.disqualifications):
        if declared.measure is not None:
            problems += _measure_of_round(doc, ("decision", "disqualifications", i, "measure"), declared.measure,
                                          rnd, measures, skip)
    return problems


def check_decision_records(rounds: Mapping[str, tuple[m.Round, Document]], measures: Mapping[str, tuple],
                           skip: set[str]) -> list[Problem]:
    """`check_decision_record` of every round."""
    return [p for rnd, doc in rounds.values() for p in check_decision_record(rnd, doc, measures, skip)]


def check_continuation(measure: m.Measure, doc: Document, rounds: Mapping[str, tuple], skip: set[str]) -> list[Problem]:
    """A measure moved to another round names that round, an existing one other than its own;
    a measure that was not moved names none."""
    after = measure.continuation
    if after is None or _unsure(doc, "continuation"):
        return []
    moved = after.status is m.ContinuationStatus.moved
    if moved and after.round is None:
        return [doc.problem(("continuation", "status"), T("a measure moved to another round must say which round"),
                            T("add 'round:' under 'continuation' with the id of the round it moved to"))]
    if not moved and after.round is not None:
        return [doc.problem(("continuation", "round"),
                            T("only a measure moved to another round names one ('{status}' is written here)",
                              status=after.status.value),
                            T("remove 'round', or write 'status: moved'"))]
    if after.round is None or after.round in skip:
        return []
    if after.round not in rounds:
        return [_not_found(doc, ("continuation", "round"), "round", after.round, rounds)]
    if after.round == measure.round and not _unsure(doc, "round"):
        return [doc.problem(("continuation", "round"), T("a measure cannot move to its own round '{round}'",
                                                         round=after.round),
                            T("write the id of the round it moved to"))]
    return []


__all__ = ["check_continuation", "check_decision_record", "check_decision_records"]
