"""Turning loaded documents into domain objects, and checking them against each other.

Every check reports a Problem at the position of the value concerned, with advice a
communicator can act on; checks never stop at the first problem. A file with errors of its own
is still read into its model, with stand-ins for what is wrong (`checks.stand_ins`), so the
checks across files run on the rest of it in the same run; they leave the stand-ins alone
(`Document.unknown`). Every text is a `T(...)`, said in the portal's language where it is shown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable, Mapping

from pydantic import ValidationError

from prioportal.model import decisions as m
from prioportal.sources.yaml_files import Document
from prioportal.problems import Problem, Severity, T, Text
from prioportal.checks.field_errors import as_written, closest, describe, error_path, error_to_problem
from prioportal.checks.groups import check_consequence_groups, check_criteria_groups
from prioportal.checks.priority_lists import check_criteria_recommendations, check_list_round, check_pair
from prioportal.checks.rendered_text import character_name, find_from, invisible_characters, may_hide
from prioportal.checks.stand_ins import is_level_as_written, read_with_stand_ins

_error_to_problem = error_to_problem  # the name the pages' front matter uses


_PLACEHOLDER = re.compile(r"^<[^<>]+>$")


def _placeholders(value: Any, path: tuple = ()) -> Iterable[tuple]:
    """Paths of values still holding a `<...>` placeholder from `prioportal new`."""
    if isinstance(value, str):
        if _PLACEHOLDER.match(value.strip()):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _placeholders(item, path + (i,))


def parse_document(doc: Document, kind: str) -> tuple[m.Strict | None, list[Problem]]:
    """The document's model and its own problems. Where it has problems, the model has stand-ins
    for the values concerned, whose paths are noted in `doc.unknown`; None when even that cannot
    be made (its id is wrong, or what is wrong is the shape of the whole file). A level written
    as its label is kept as written without a problem here: `check_measure` reports it, naming
    the level meant, from the criterion's scale."""
    model_cls = m.KIND_MODELS[kind]
    holders = list(_placeholders(doc.data)) if "<" in doc.text else []
    problems = [doc.problem(path, T("'{name}' still holds the placeholder {value}", name=str(path[-1]),
                                    value=describe(_get(doc.data, path))),
                            T("replace it with the real text, or delete the field if it is optional"))
                for path in holders]
    problems += invisible_characters_in(doc, LABEL_FIELDS)
    try:
        obj = model_cls.model_validate(doc.data)
        if not holders:
            return obj, problems
        errors: list[dict] = []
    except ValidationError as exc:
        errors = exc.errors()
    obj, doc.unknown = read_with_stand_ins(model_cls, doc.data, errors, holders)
    for error in errors:
        path = error_path(error)
        if any(path[:len(holder)] == holder for holder in holders):
            continue  # reported as the placeholder it is
        if obj is not None and is_level_as_written(error):
            continue
        problems.append(error_to_problem(doc, model_cls, error))
    return obj, problems


# The texts that name or sum up a thing wherever it is listed: titles, names, the labels of
# levels and outcomes ("funded"), summaries. Ids are slugs (a-z, 0-9, -) and cannot hold one.
LABEL_FIELDS = frozenset({"title", "name", "label", "summary"})


def _texts_named(value: Any, names: frozenset[str], path: tuple = (), named: bool = False) -> Iterable[tuple[tuple, str]]:
    """Every text at a key in `names` (a text per language as well), with its path."""
    if isinstance(value, str):
        if named:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            # A text per language is a mapping below the named key: its texts are named too.
            yield from _texts_named(item, names, path + (key,), key in names or (named and isinstance(item, str)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts_named(item, names, path + (i,))


def invisible_characters_in(doc: Document, names: frozenset[str]) -> list[Problem]:
    """Each direction control or zero-width character in a text at a key in `names`, an error
    where it stands: in a title it can make a ranked list read "funded" where it says otherwise."""
    if not may_hide(doc.text):
        return []  # written neither as itself nor as an escape ("\u202e")
    found = []
    for path, text in _texts_named(doc.data, names):
        for offset, char in invisible_characters(text):
            # The text on its line up to the character, as written, is looked for from the
            # field's position; written as an escape, the field's position is the answer.
            before = text[:offset + 1].rsplit("\n", 1)[-1]
            line, column = doc.locate(path)
            start = find_from(doc.text, before, line, column)
            if start is not None:
                line, column = start[0], start[1] + len(before) - 1
            field_name = next((p for p in reversed(path) if isinstance(p, str) and p in names), path[-1])
            found.append(Problem(doc.shown_as, line, column,
                                 T("'{name}' holds an invisible {character}, which can make the text read "
                                   "differently from how it is written", name=str(field_name),
                                   character=character_name(char)),
                                 T("delete it (retype the text around it if your editor does not show it)")))
    return found


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


# --- Checks across documents ------------------------------------------------------------


def _unsure(doc: Document, *path: str | int) -> bool:
    """Whether the value at `path`, or a part of it, is a stand-in (see `parse_document`): the
    file reports what is wrong there itself, and nothing is concluded from it."""
    unknown = doc.unknown
    if not unknown:
        return False
    size = len(path)
    return any(u[:size] == path or path[:len(u)] == u for u in unknown)


# What is looked for and not found, by what it is, and the advice when no id is close.
_NOT_FOUND = {
    "criteria version": (T("there is no criteria version with the id '{ref}'"), T("check the id of the criteria version")),
    "round": (T("there is no round with the id '{ref}'"), T("check the id of the round")),
    "measure": (T("there is no measure with the id '{ref}'"), T("check the id of the measure")),
    "indicator": (T("there is no indicator with the id '{ref}'"), T("check the id of the indicator")),
}


def _not_found(doc: Document, path: tuple, what: str, ref: str, known: Iterable[str], own_id: str | None = None) -> Problem:
    known = sorted(k for k in known if k != own_id)
    message, otherwise = _NOT_FOUND[what]
    meant = closest(ref, known)
    advice = (T("did you mean '{meant}'?", meant=meant) if meant is not None
              else T("use one of: {choices}", choices=", ".join(known)) if known and len(known) <= 12 else otherwise)
    return doc.problem(path, Text(message.msgid, {"ref": ref}), advice)


def skipped(broken: dict[str, set[str]] | None) -> set[str]:
    """The ids of files that could not be read, whose references are not checked."""
    broken = broken or {}
    return broken.get("criteria", set()) | broken.get("rounds", set()) | broken.get("measures", set())


def _order_unsure(doc: Document) -> bool:
    """Whether a round's place in time (`Round.order_key`) rests on a stand-in."""
    return _unsure(doc, "year") or _unsure(doc, "decision", "meeting_date") or _unsure(doc, "id")


def check_criteria_and_rounds(criteria: dict[str, tuple[m.CriteriaSet, Document]],
                              rounds: dict[str, tuple[m.Round, Document]], skip: set[str]) -> list[Problem]:
    """The checks across the criteria versions and rounds, which measures do not affect."""
    problems = _check_criteria_versions(criteria, skip)
    for rnd, doc in rounds.values():
        if rnd.criteria not in criteria and rnd.criteria not in skip and not _unsure(doc, "criteria"):
            problems.append(_not_found(doc, ("criteria",), "criteria version", rnd.criteria, criteria))
        if rnd.previous is not None and rnd.previous not in skip and not _unsure(doc, "previous"):
            if rnd.previous not in rounds:
                problems.append(_not_found(doc, ("previous",), "round", rnd.previous, rounds, rnd.id))
            elif (not _order_unsure(doc) and not _order_unsure(rounds[rnd.previous][1])
                  and rounds[rnd.previous][0].order_key >= rnd.order_key):
                problems.append(doc.problem(("previous",), T("the previous round '{round}' is not an earlier round",
                                                             round=rnd.previous),
                                            T("point to the round before this one (an earlier year, or decided "
                                              "earlier the same year)")))
        if rnd.status.is_decided and rnd.decision is None and not _unsure(doc, "status") and not _unsure(doc, "decision"):
            problems.append(doc.problem(("status",), T("the round is '{status}' but has no decision record",
                                                       status=rnd.status.value),
                                        T("add 'decision:' with body, meeting_date and case_number")))
        problems += check_list_round(rnd, doc)
    return problems


def _check_criteria_versions(criteria: dict[str, tuple[m.CriteriaSet, Document]], skip: set[str]) -> list[Problem]:
    problems = []
    for cs, doc in criteria.values():
        problems += _duplicates(doc, ("criteria",), [c.id for c in cs.criteria], "criterion")
        problems += _duplicates(doc, ("principles",), [p.id for p in cs.principles], "principle")
        problems += _duplicates(doc, ("outcomes",), [o.kind.value for o in cs.outcomes], "outcome", "kind")
        for i, criterion in enumerate(cs.criteria):
            problems += _duplicates(doc, ("criteria", i, "scale"), [lvl.id for lvl in criterion.scale], "level")
        problems += check_criteria_recommendations(cs, doc) + check_criteria_groups(cs, doc)
        rs = cs.rank_scale
        scale_known = not _unsure(doc, "rank_scale", "highest") and not _unsure(doc, "rank_scale", "lowest")
        if scale_known and rs.highest >= rs.lowest:
            problems.append(doc.problem(("rank_scale",), T("the highest rank must be a smaller number than the lowest"),
                                        T("e.g. highest: 1 and lowest: 10")))
        for i, band in enumerate(rs.bands):
            lo, hi = band.ranks
            if scale_known and not _unsure(doc, "rank_scale", "bands", i, "ranks") and not (rs.highest <= lo <= hi <= rs.lowest):
                problems.append(doc.problem(("rank_scale", "bands", i, "ranks"),
                                            T("the band [{first}, {last}] is not within the rank scale", first=lo, last=hi),
                                            T("use ranks from {highest} to {lowest}, the first not larger than the second",
                                              highest=rs.highest, lowest=rs.lowest)))
        version_known = not _unsure(doc, "version")
        if cs.version > 1 and version_known:
            if not cs.change_note and not _unsure(doc, "change_note"):
                problems.append(doc.problem(("version",), T("version {version} has no change note", version=cs.version),
                                            T("add 'change_note:' saying what changed from the previous version and why")))
            if cs.previous is None and not _unsure(doc, "previous"):
                problems.append(doc.problem(("version",), T("version {version} does not say which version it replaces",
                                                            version=cs.version),
                                            T("add 'previous:' with the id of the earlier version")))
        if cs.previous is not None and cs.previous not in skip and not _unsure(doc, "previous"):
            if cs.previous not in criteria:
                problems.append(_not_found(doc, ("previous",), "criteria version", cs.previous, criteria, cs.id))
            elif (version_known and not _unsure(criteria[cs.previous][1], "version")
                  and criteria[cs.previous][0].version >= cs.version):
                problems.append(doc.problem(("previous",), T("'{previous}' is not an earlier version", previous=cs.previous),
                                            T("point 'previous' to the version with the next lower number")))
    by_version = defaultdict(list)
    for cs, doc in criteria.values():
        if not _unsure(doc, "version"):
            by_version[cs.version].append((cs, doc))
    for version, entries in by_version.items():
        for cs, doc in entries[1:]:
            problems.append(doc.problem(("version",), T("two criteria sets both say they are version {version}",
                                                        version=version),
                                        T("give this one a new number (the other is '{other}')", other=entries[0][0].id)))
    return problems


_TWICE = {
    "criterion": (T("the criterion '{id}' is listed twice"), T("give each criterion its own id, or remove the copy")),
    "principle": (T("the principle '{id}' is listed twice"), T("give each principle its own id, or remove the copy")),
    "outcome": (T("the outcome '{id}' is listed twice"), T("give each outcome its own kind, or remove the copy")),
    "level": (T("the level '{id}' is listed twice"), T("give each level its own id, or remove the copy")),
    "indicator": (T("the indicator '{id}' is listed twice"), T("give each indicator its own id, or remove the copy")),
}


def _duplicates(doc: Document, path: tuple, ids: list[str], what: str, field: str = "id") -> list[Problem]:
    seen: set[str] = set()
    problems = []
    message, advice = _TWICE[what]
    for i, ident in enumerate(ids):
        if _unsure(doc, *path, i, field):
            continue
        if ident in seen:
            problems.append(doc.problem(path + (i,), Text(message.msgid, {"id": ident}), advice))
        seen.add(ident)
    return problems


def check_measure(measure: m.Measure, doc: Document, criteria: dict, rounds: dict, measures: Mapping,
                  skip: set[str]) -> list[Problem]:
    """A measure's own rules (its outcome, its follow-up) and its references: its round, its
    previous version, its criteria and scales. Of other measures it reads only the `previous`
    one, and their ids when that one is not found."""
    problems = _check_outcome(measure, doc) + _check_follow_up(measure, doc)
    earlier = None
    if measure.previous is not None and measure.previous not in skip and not _unsure(doc, "previous"):
        if measure.previous not in measures:
            problems.append(_not_found(doc, ("previous",), "measure", measure.previous, measures, measure.id))
        else:
            earlier = measures[measure.previous]
    if _unsure(doc, "round"):
        return problems + _levels_not_ids(measure, doc)
    if measure.round not in rounds:
        return problems + _levels_not_ids(measure, doc) + (
            [] if measure.round in skip else [_not_found(doc, ("round",), "round", measure.round, rounds)])
    rnd, round_doc = rounds[measure.round]
    if earlier is not None and earlier[0].round not in skip and not _unsure(earlier[1], "round"):
        before = rounds.get(earlier[0].round)
        if before is None or (not _order_unsure(before[1]) and not _order_unsure(round_doc)
                              and before[0].order_key >= rnd.order_key):
            problems.append(doc.problem(("previous",), T("'{previous}' is not in an earlier round",
                                                         previous=measure.previous),
                                        T("point 'previous' to the same measure in an earlier year")))
    if _unsure(round_doc, "criteria") or rnd.criteria not in criteria:
        return problems + _levels_not_ids(measure, doc)
    cs, criteria_doc = criteria[rnd.criteria]
    problems += _check_assessments(measure, doc, rnd, cs, criteria_doc)
    problems += check_pair(measure, doc, rnd, round_doc, cs, criteria_doc)  # a priority list's own rules
    problems += check_consequence_groups(measure, doc, cs, criteria_doc)

    rs = cs.rank_scale
    if (measure.rank is not None and not (rs.highest <= measure.rank <= rs.lowest) and not _unsure(doc, "rank")
            and not _unsure(criteria_doc, "rank_scale", "highest") and not _unsure(criteria_doc, "rank_scale", "lowest")):
        problems.append(doc.problem(("rank",), T("the rank {rank} is outside the scale", rank=as_written(doc, ("rank",), measure.rank)),
                                    T("use a whole number from {highest} (highest priority) to {lowest} (lowest)",
                                      highest=rs.highest, lowest=rs.lowest)))
    if rnd.status.is_decided and not _unsure(round_doc, "status") and not rnd.is_priority_list:
        if measure.rank is None and not _unsure(doc, "rank"):
            problems.append(doc.problem((), T("the round '{round}' is decided, but this measure has no rank", round=rnd.id),
                                        T("add 'rank:' as decided")))
        if measure.outcome is None and not _unsure(doc, "outcome"):
            problems.append(doc.problem((), T("the round '{round}' is decided, but this measure has no outcome",
                                              round=rnd.id),
                                        T("add 'outcome:' as decided")))
    outcome = measure.outcome
    if (outcome is not None and cs.outcome_term(outcome.decision) is None and not _unsure(doc, "outcome", "decision")
            and not _unsure(criteria_doc, "outcomes") and not rnd.is_priority_list):
        problems.append(doc.problem(("outcome", "decision"), T("the outcome '{outcome}' is not in the vocabulary of '{criteria}'",
                                                               outcome=outcome.decision.value, criteria=cs.id),
                                    T("use one of: {choices}", choices=", ".join(o.kind.value for o in cs.outcomes))))
    return problems


def _check_assessments(measure: m.Measure, doc: Document, rnd: m.Round, cs: m.CriteriaSet,
                       criteria_doc: Document) -> list[Problem]:
    problems = []
    # A criterion id written wrongly was left out of the stand-in: its assessment is not missing.
    keys_known = not any(u[:1] == ("assessments",) and len(u) <= 2 for u in doc.unknown)
    ids_known = not any(_unsure(criteria_doc, "criteria", i, "id") for i in range(len(cs.criteria)))
    for i, criterion in enumerate(cs.criteria):
        if criterion.id not in measure.assessments and keys_known and not _unsure(criteria_doc, "criteria", i, "id"):
            problems.append(doc.problem(("assessments",), T("there is no assessment for the criterion '{criterion}'",
                                                            criterion=criterion.id),
                                        T("add '{criterion}:' with level and justification under assessments "
                                          "(round '{round}' uses '{criteria}')", criterion=criterion.id, round=rnd.id,
                                          criteria=cs.id)))
    for criterion_id, assessment in measure.assessments.items():
        index = next((i for i, c in enumerate(cs.criteria) if c.id == criterion_id), None)
        if index is None:
            if ids_known:
                choices = [c.id for c in cs.criteria]
                meant = closest(criterion_id, choices)
                advice = (T("did you mean '{meant}'?", meant=meant) if meant is not None
                          else T("the criteria are {criteria}", criteria=", ".join(choices)))
                problems.append(doc.problem(("assessments", criterion_id),
                                            T("'{criterion}' is not a criterion in '{criteria}'", criterion=criterion_id,
                                              criteria=cs.id), advice, key=True))
            continue
        criterion = cs.criteria[index]
        path = ("assessments", criterion_id, "level")
        if (criterion.level(assessment.level) is None and not _unsure(doc, *path)
                and not _unsure(criteria_doc, "criteria", index, "scale")):
            meant = _level_meant(criterion, assessment.level)
            valid = ", ".join(lvl.id for lvl in criterion.scale)
            problems.append(doc.problem(path, T("{value} is not a level on the scale of '{criterion}'",
                                                value=as_written(doc, path, assessment.level), criterion=criterion_id),
                                        T("did you mean '{meant}'? use one of: {choices}", meant=meant, choices=valid)
                                        if meant else T("use one of: {choices}", choices=valid)))
    return problems


def _levels_not_ids(measure: m.Measure, doc: Document) -> list[Problem]:
    """The levels that are not ids (see `parse_document`), where no scale says which was meant."""
    return [doc.problem(("assessments", cid, "level"), T("{value} is not the id of a level", value=describe(a.level)),
                        T("write the id of a level on the scale of the criterion (lower-case letters a-z, "
                          "digits and hyphens), not its label"))
            for cid, a in measure.assessments.items() if not m.SLUG_RE.match(a.level)]


def _level_meant(criterion: m.Criterion, written: str) -> str | None:
    """The id of the level a communicator most likely meant: the one whose label (in any
    language) or id is `written` but for case, else the closest id."""
    wanted = " ".join(written.split()).casefold()
    for lvl in criterion.scale:
        labels = lvl.label.values() if isinstance(lvl.label, dict) else [lvl.label]
        if wanted in {lvl.id} | {" ".join(label.split()).casefold() for label in labels}:
            return lvl.id
    return closest(wanted, [lvl.id for lvl in criterion.scale])


_WHAT_IS_MISSING = {
    "rationale": T("why the measure was not fully funded, in plain language"),
    "consequences": T("who is affected and how (affected, description, mitigation)"),
}


def _check_outcome(measure: m.Measure, doc: Document) -> list[Problem]:
    """The rules of an outcome, which need no other file."""
    outcome = measure.outcome
    if outcome is None or _unsure(doc, "outcome", "decision"):
        return []
    problems = []
    kind = outcome.decision
    if not kind.is_full_funding:
        for name in ("rationale", "consequences"):
            if getattr(outcome, name) is None and not _unsure(doc, "outcome", name):
                problems.append(doc.problem(("outcome",), T("the outcome '{outcome}' has no {name}", outcome=kind.value,
                                                            name=name),
                                            T("add '{name}:' under outcome: {what}", name=name, what=_WHAT_IS_MISSING[name])))
    rationing_known = not _unsure(doc, "outcome", "rationing_type")
    if kind is m.OutcomeKind.rationed and outcome.rationing_type is None and rationing_known:
        problems.append(doc.problem(("outcome",), T("a rationed measure must say how it is rationed"),
                                    T("add 'rationing_type:' with structure, process or result")))
    if kind is not m.OutcomeKind.rationed and outcome.rationing_type is not None and rationing_known:
        problems.append(doc.problem(("outcome", "rationing_type"), T("'rationing_type' is only for rationed measures"),
                                    T("remove it, or set 'decision: rationed'"), key=True))
    if _unsure(doc, "outcome", "granted"):
        return problems
    if kind in (m.OutcomeKind.partly_funded, m.OutcomeKind.rationed) and outcome.granted is None:
        problems.append(doc.problem(("outcome",), T("the outcome '{outcome}' needs the amount granted", outcome=kind.value),
                                    T("add 'granted:' with the amount in kroner for year 1")))
    cost = measure.cost_year_1
    # Only a cost line or a year-1 cost that is a stand-in leaves the year-1 cost unknown.
    cost_known = not any(u[:1] == ("costs",) and (len(u) <= 2 or u[2] == "year_1") for u in doc.unknown)
    # A measure that saves money in year 1 (a negative cost) may still be granted nothing.
    if outcome.granted is not None and outcome.granted > max(cost, 0) and cost_known:
        path = ("outcome", "granted")
        problems.append(doc.problem(path, T("granted {amount} is more than the measure costs in year 1",
                                            amount=as_written(doc, path, outcome.granted)),
                                    T("granted is the money given in year 1; it cannot exceed the year-1 cost of "
                                      "{cost} kr — check the amount or the costs", cost=format(cost, ",").replace(",", " "))))
    if kind in (m.OutcomeKind.deprioritised, m.OutcomeKind.postponed) and outcome.granted:
        problems.append(doc.problem(("outcome", "granted"), T("a measure that is '{outcome}' cannot be granted money",
                                                              outcome=kind.value),
                                    T("set granted to 0, or choose partly_funded")))
    return problems


def _check_follow_up(measure: m.Measure, doc: Document) -> list[Problem]:
    indicator_ids = [ind.id for ind in measure.follow_up.indicators]
    problems = _duplicates(doc, ("follow_up", "indicators"), indicator_ids, "indicator")
    if _unsure(doc, "follow_up", "indicators"):
        return problems
    for i, result in enumerate(measure.follow_up.results):
        if result.indicator not in indicator_ids and not _unsure(doc, "follow_up", "results", i, "indicator"):
            problems.append(_not_found(doc, ("follow_up", "results", i, "indicator"), "indicator",
                                       result.indicator, indicator_ids))
    return problems


def _title_key(title: m.LocalizedText) -> frozenset[str]:
    texts = title.values() if isinstance(title, dict) else [title]
    return frozenset(" ".join(text.split()).casefold() for text in texts)


def check_round_titles(members: Iterable[tuple[m.Measure, Document]]) -> list[Problem]:
    """A warning for each measure of one round with the title of another (but for case and
    spaces; in any language), at the title of the one in the later file, naming the earlier:
    often a copy saved under a new name and forgotten."""
    first: dict[str, str] = {}
    problems = []
    for measure, doc in sorted(members, key=lambda pair: pair[1].shown_as):
        if _unsure(doc, "title"):
            continue
        texts = _title_key(measure.title)
        if measure.condition is not None:  # a pair: the same measure for another condition is another pair
            texts = frozenset(f"{t} + {c}" for t in texts for c in _title_key(measure.condition))
        same = next((first[text] for text in sorted(texts) if text in first), None)
        if same is not None:
            problems.append(warning(doc, ("title",), T("another measure of the round '{round}' has this title: {file}",
                                                       round=measure.round, file=same),
                                    T("give each measure its own title, or delete the copy")))
        for text in texts:
            first.setdefault(text, doc.shown_as)
    return problems


def warning(doc: Document, path: tuple, message: str, advice: str) -> Problem:
    return doc.problem(path, message, advice, severity=Severity.warning)
