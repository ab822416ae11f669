"""The rules of a priority list (a round of `kind: priority_list`) and of its pairs.

A priority list ranks pairs of a condition and a measure for one service, as guidance: it has no
budget frame and decides no outcome, so none of the funding line's figures apply to it; a pair
that is not ranked has a recommendation the list's criteria set defines (in the Swedish national
model: icke-göra, FoU). `checks.documents` calls these for every round and every measure, so the
communicator hears each rule at the value concerned, with what to write instead. What the terms
are called is the criteria set's: nothing here names a Swedish health-care term.
"""

from __future__ import annotations

from prioportal.checks.field_errors import as_written, did_you_mean
from prioportal.model import decisions as m
from prioportal.problems import Problem, T
from prioportal.sources.yaml_files import Document


def _unsure(doc: Document, *path: str | int) -> bool:
    """Whether the value at `path` is a stand-in for a value written wrongly (`checks.documents._unsure`)."""
    size = len(path)
    return any(u[:size] == path or path[:len(u)] == u for u in doc.unknown or ())


def check_list_round(rnd: m.Round, doc: Document) -> list[Problem]:
    """A priority list names its service, has no budget frame, and a revised list says what changed."""
    if not rnd.is_priority_list or _unsure(doc, "kind"):
        return []
    problems = []
    if rnd.budget_frame is not None and not _unsure(doc, "budget_frame"):
        problems.append(doc.problem(("budget_frame",), T("a priority list has no budget frame"),
                                    T("remove 'budget_frame:' (a priority list ranks pairs as guidance and "
                                      "distributes no money), or write 'kind: budget' if this is a budget round")))
    if rnd.purpose is not None and not _unsure(doc, "purpose"):
        problems.append(doc.problem(("purpose",), T("a priority list has no purpose of distributing resources"),
                                    T("remove 'purpose:', or write 'kind: budget' if this is a budget round")))
    if rnd.service is None and not _unsure(doc, "service"):
        problems.append(doc.problem(("kind",), T("the priority list does not say which service it is for"),
                                    T("add 'service:' with the service or profession, e.g. Habilitering")))
    if rnd.previous is not None and rnd.change_note is None and not _unsure(doc, "change_note"):
        problems.append(doc.problem(("previous",), T("the revised list has no change note"),
                                    T("add 'change_note:' saying what changed from the previous version, and why")))
    return problems


def check_criteria_recommendations(cs: m.CriteriaSet, doc: Document) -> list[Problem]:
    """Each recommendation once, and none that a rank's number could be mistaken for."""
    problems = []
    seen: set[str] = set()
    for i, recommendation in enumerate(cs.recommendations):
        if _unsure(doc, "recommendations", i, "id"):
            continue
        if recommendation.id in seen:
            problems.append(doc.problem(("recommendations", i), T("the recommendation '{id}' is listed twice",
                                                                  id=recommendation.id),
                                        T("give each recommendation its own id, or remove the copy")))
        seen.add(recommendation.id)
    return problems


# What a pair of a priority list does not have, by field: what is wrong, and what to do.
_NOT_ON_A_LIST = {
    "outcome": (T("a pair of a priority list has no outcome"),
                T("remove 'outcome:': a priority list gives a rank or a recommendation, and the budget decides "
                  "what is funded")),
    "costs": (T("a pair of a priority list has no budget figures"),
              T("remove 'costs:': a priority list has no budget frame; say what the measure costs for its benefit "
                "in the assessment of the criterion for cost")),
}


def check_pair(x: m.Measure, doc: Document, rnd: m.Round, round_doc: Document, cs: m.CriteriaSet,
               criteria_doc: Document) -> list[Problem]:
    """A measure of a priority list: a condition and its group, a rank or a recommendation of
    the list's criteria set, and no outcome or budget figures. For a measure of a budget round,
    the fields only a pair has."""
    if _unsure(round_doc, "kind"):
        return []
    if not rnd.is_priority_list:
        return _pair_fields_on_a_budget_round(x, doc, rnd)
    problems = []
    if x.condition is None and not _unsure(doc, "condition"):
        problems.append(doc.problem((), T("the pair has no condition"),
                                    T("add 'condition:' with the health condition or situation the measure is for "
                                      "(the list '{round}' ranks pairs of a condition and a measure)", round=rnd.id)))
    if x.condition_group is None and not _unsure(doc, "condition_group"):
        problems.append(doc.problem((), T("the pair has no condition group"),
                                    T("add 'condition_group:' with the group of conditions the list shows it under")))
    for name, (message, advice) in _NOT_ON_A_LIST.items():
        if getattr(x, name) and not _unsure(doc, name):
            problems.append(doc.problem((name,), message, advice, key=True))
    if x.recommendation is not None and not _unsure(doc, "recommendation"):
        if x.rank is not None and not _unsure(doc, "rank"):
            problems.append(doc.problem(("recommendation",), T("the pair has both a rank and a recommendation"),
                                        T("keep one: a rank for what the list ranks, or a recommendation "
                                          "for what it does not"), key=True))
        if cs.recommendation(x.recommendation) is None and not _unsure(criteria_doc, "recommendations"):
            choices = [r.id for r in cs.recommendations]
            path = ("recommendation",)
            problems.append(doc.problem(path, T("{value} is not a recommendation of '{criteria}'",
                                                value=as_written(doc, path, x.recommendation), criteria=cs.id),
                                        did_you_mean(x.recommendation, choices) if choices
                                        else T("give the pair a rank, or add the recommendation under "
                                               "'recommendations:' in '{criteria}'", criteria=cs.id)))
    if (rnd.status.is_decided and not _unsure(round_doc, "status") and x.rank is None and x.recommendation is None
            and not _unsure(doc, "rank") and not _unsure(doc, "recommendation")):
        choices = ", ".join(r.id for r in cs.recommendations)
        problems.append(doc.problem((), T("the list '{round}' is decided, but this pair has no rank or recommendation",
                                          round=rnd.id),
                                    T("add 'rank:' as decided, or 'recommendation:' with one of: {choices}",
                                      choices=choices) if choices else T("add 'rank:' as decided")))
    return problems


def _pair_fields_on_a_budget_round(x: m.Measure, doc: Document, rnd: m.Round) -> list[Problem]:
    problems = []
    for name in ("condition", "condition_group", "recommendation"):
        if getattr(x, name) is not None and not _unsure(doc, name):
            problems.append(doc.problem((name,), T("'{name}' is for the pairs of a priority list, and '{round}' is a "
                                                   "budget round", name=name, round=rnd.id),
                                        T("remove it, or put the pair in a round with 'kind: priority_list'"),
                                        key=True))
    return problems
