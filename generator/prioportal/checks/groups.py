"""The affected groups: the vocabulary a criteria set defines (`affected_groups`: children and
young people, the elderly, persons with disabilities …), and the consequences that name them
(`outcome.consequences.groups`), which must name groups of their round's criteria.

`checks.documents` calls these for every criteria set and every measure, so the communicator
hears each at the value concerned, with the group meant when an id is close to one.
"""

from __future__ import annotations

from prioportal.checks.field_errors import closest
from prioportal.model import decisions as m
from prioportal.problems import Problem, T
from prioportal.sources.yaml_files import Document


def _unsure(doc: Document, *path: str | int) -> bool:
    """Whether the value at `path` is a stand-in for a value written wrongly (`checks.documents._unsure`)."""
    size = len(path)
    return any(u[:size] == path or path[:len(u)] == u for u in doc.unknown or ())


def check_criteria_groups(cs: m.CriteriaSet, doc: Document) -> list[Problem]:
    """Each affected group once."""
    problems = []
    seen: set[str] = set()
    for i, group in enumerate(cs.affected_groups):
        if _unsure(doc, "affected_groups", i, "id"):
            continue
        if group.id in seen:
            problems.append(doc.problem(("affected_groups", i), T("the affected group '{id}' is listed twice", id=group.id),
                                        T("give each group its own id, or remove the copy")))
        seen.add(group.id)
    return problems


def check_consequence_groups(x: m.Measure, doc: Document, cs: m.CriteriaSet, criteria_doc: Document) -> list[Problem]:
    """The groups a measure's consequences name: each one of the affected groups of its round's
    criteria, and each once."""
    consequences = x.outcome.consequences if x.outcome is not None else None
    if consequences is None or not consequences.groups or _unsure(criteria_doc, "affected_groups"):
        return []
    known = [g.id for g in cs.affected_groups]
    problems = []
    seen: set[str] = set()
    for i, ident in enumerate(consequences.groups):
        path = ("outcome", "consequences", "groups", i)
        if _unsure(doc, *path):
            continue
        if ident in seen:
            problems.append(doc.problem(path, T("the group '{id}' is named twice", id=ident), T("remove the copy")))
        elif ident not in known:
            meant = closest(ident, known)
            if meant is not None:
                advice = T("did you mean '{meant}'?", meant=meant)
            elif known:
                advice = T("use one of the affected groups of '{criteria}': {choices}", criteria=cs.id,
                           choices=", ".join(known))
            else:
                advice = T("add the group under 'affected_groups:' in '{criteria}' first", criteria=cs.id)
            problems.append(doc.problem(path, T("there is no affected group with the id '{id}'", id=ident), advice))
        seen.add(ident)
    return problems
