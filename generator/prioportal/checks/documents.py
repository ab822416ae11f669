"""Turning loaded documents into domain objects, and checking them against each other.

Every check reports a Problem at the position of the value concerned, with advice a
communicator can act on; checks never stop at the first problem.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from typing import Any, Iterable, Mapping

from pydantic import BaseModel, ValidationError

from prioportal.model import decisions as m
from prioportal.sources.yaml_files import Document
from prioportal.problems import Problem, Severity
from prioportal.checks.rendered_text import character_name, find_from, invisible_characters, may_hide


def _fields_of(model_cls: type[BaseModel], path: tuple) -> dict[str, Any] | None:
    """The model fields valid at `path` inside a document of `model_cls`, if a model is there."""
    current: Any = model_cls
    parts = list(path)
    while parts:
        part = parts.pop(0)
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return None
        if getattr(field.annotation, "__origin__", None) is dict and parts:
            parts.pop(0)  # the next part is a key of the mapping (e.g. a criterion id), not a field
        current = _inner_model(field.annotation)
        if current is None:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return dict(current.model_fields)
    return None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _choices(model_cls: type[BaseModel], path: tuple) -> list[str]:
    """Allowed values of an enum field, for advice."""
    fields = _fields_of(model_cls, path[:-1])
    if not fields or not isinstance(path[-1], str) or path[-1] not in fields:
        return []
    return _enum_values(fields[path[-1]].annotation)


def _enum_values(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, m.Enum):
        return [e.value for e in annotation]
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _enum_values(arg)
        if found:
            return found
    return []


def _describe(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


_WRITTEN = re.compile(r"[^,\]\}#]*")


def _as_written(doc: Document, path: tuple, value: Any) -> str:
    """`value` described as the communicator wrote it: YAML reads `300.000` as the number 300.0,
    which is not what to quote back. A number is shown as written, without quotes (it was
    written without them); texts are quoted as read."""
    if isinstance(value, str) or not isinstance(value, (int, float, bool)) or not path:
        return _describe(value)
    line, column = doc.locate(path)
    if doc.locate(path[:-1]) == (line, column):  # the value itself has no position of its own
        return _describe(value)
    lines = doc.text.splitlines()
    found = _WRITTEN.match(lines[line - 1], column - 1) if line <= len(lines) else None
    written = found.group().strip() if found else ""
    return (written if len(written) <= 60 else written[:57] + "...") if written else _describe(value)


def _error_to_problem(doc: Document, model_cls: type[BaseModel], error: dict) -> Problem:
    path = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = error["type"]
    value = error.get("input")
    if path and path[-1] == "[key]":  # the problem is a mapping key itself, e.g. an assessment's criterion id
        path = path[:-1]
        return doc.problem(path, f"{_describe(path[-1])} cannot be used as a key here",
                           "use an id in lower-case letters a-z, digits and hyphens, e.g. nytte", key=True)
    # The field's name, also for an item of a list (`type: [efficiency, rationig]`).
    field_path = path
    while field_path and isinstance(field_path[-1], int):
        field_path = field_path[:-1]
    name = str(field_path[-1]) if field_path else ""

    if kind == "missing":
        fields = _fields_of(model_cls, path[:-1]) or {}
        description = fields[name].description if name in fields else None
        what = f" ({description})" if description else ""
        return doc.problem(path[:-1], f"the required field '{name}' is missing",
                           f"add '{name}:'{what}")
    if kind == "extra_forbidden":
        fields = _fields_of(model_cls, path[:-1]) or {}
        close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
        advice = (f"did you mean '{close[0]}'?" if close
                  else "remove it; the fields allowed here are " + ", ".join(fields))
        return doc.problem(path, f"unknown field '{name}'", advice, key=True)
    if kind == "enum":
        choices = _choices(model_cls, field_path) or [
            s.strip(" '") for s in error.get("ctx", {}).get("expected", "").replace(" or ", ",").split(",") if s.strip()]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        advice = (f"did you mean '{close[0]}'? " if close else "") + "use one of: " + ", ".join(choices)
        return doc.problem(path, f"{_as_written(doc, path, value)} is not a valid value for '{name}'", advice)
    if kind in ("iso_date", "iso_date_range"):
        return doc.problem(path, f"{_as_written(doc, path, value)} is not a valid date ({error['msg']})",
                           "write the date as YYYY-MM-DD, e.g. 2026-03-15")
    if kind == "amount" or (kind.startswith("int_") and name in m.AMOUNT_FIELDS):
        return doc.problem(path, f"{_as_written(doc, path, value)} is not an amount",
                           "write the amount in whole kroner with digits only, e.g. 1200000 or \"1 200 000\"")
    if kind == "slug" and len(path) == 3 and path[0] == "assessments" and path[2] == "level":
        return doc.problem(path, f"{_as_written(doc, path, value)} is not the id of a level",
                           "write the id of a level on the scale of the criterion (lower-case letters a-z, "
                           "digits and hyphens), not its label")
    if kind == "slug":
        return doc.problem(path, f"{_as_written(doc, path, value)} is not a valid id",
                           "use lower-case letters a-z, digits and hyphens, e.g. styrket-hjemmetjeneste")
    if kind.startswith("int_") or kind.startswith("float_"):
        what = "a whole number" if kind.startswith("int_") else "a number"
        return doc.problem(path, f"{_as_written(doc, path, value)} is not {what}", f"write {what} with digits only, e.g. 3")
    if kind == "text_empty":
        return doc.problem(path, f"'{name}' is empty", "write the text after the colon, or remove the field if it is optional")
    if kind == "text_too_long":
        return doc.problem(path, f"'{name}' is too long ({error['msg']})", "shorten it")
    if kind == "text_language":
        return doc.problem(path, f"'{name}' has a part named {error['msg'].split(' is not')[0]}, which is not a language code",
                           "write one text, or one per language: e.g. nb: ... and en: ...")
    if kind == "text_type":
        return doc.problem(path, f"'{name}' should be a text, but is {_as_written(doc, path, value)}",
                           "write the text after the colon; quote it if it starts with a special character")
    if kind == "string_type" and value is None:
        return doc.problem(path, f"'{name}' is empty", "write the text after the colon, or remove the field if it is optional")
    if kind in ("string_type",):
        return doc.problem(path, f"'{name}' should be a text, but is {_as_written(doc, path, value)}",
                           "write the text after the colon; quote it if it starts with a special character")
    if kind == "string_too_short":
        return doc.problem(path, f"'{name}' is empty", "write the text, or remove the field if it is optional")
    if kind == "string_too_long":
        return doc.problem(path, f"'{name}' is too long", f"shorten it; {error['msg'].lower()}")
    if kind == "string_pattern_mismatch":
        return doc.problem(path, f"{_as_written(doc, path, value)} is not a web address",
                           "write a full address starting with https://")
    if kind in ("model_type", "dict_type"):
        return doc.problem(path, f"'{name or 'the file'}' should contain fields (name: value)",
                           "indent the fields below it, one per line")
    if kind == "list_type":
        return doc.problem(path, f"'{name}' should be a list", "write each item on its own line starting with '- '")
    if kind == "bool_type" or kind == "bool_parsing":
        return doc.problem(path, f"'{name}' should be true or false", "write true or false")
    if kind == "repeated_item":
        return doc.problem(path, f"'{name}' lists the same value twice", "list each value once")
    if kind == "too_short":
        return doc.problem(path, f"'{name}' needs more items ({error['msg']})", "add the missing items")
    if kind in ("greater_than_equal", "less_than_equal", "too_long"):
        return doc.problem(path, f"{_as_written(doc, path, value)} is out of range for '{name}'", error["msg"].lower())
    return doc.problem(path, f"'{name}' is not valid: {error['msg']}", "check the value against the guide")



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
    model_cls = m.KIND_MODELS[kind]
    unfilled = [doc.problem(path, f"'{path[-1]}' still holds the placeholder {_describe(_get(doc.data, path))}",
                            "replace it with the real text, or delete the field if it is optional")
                for path in (_placeholders(doc.data) if "<" in doc.text else ())]
    unfilled += invisible_characters_in(doc, LABEL_FIELDS)
    try:
        return (model_cls.model_validate(doc.data) if not unfilled else None), unfilled
    except ValidationError as exc:
        errors = exc.errors()
        later = _levels_written_otherwise(errors) if kind == "measures" else {}
        if later and len(later) == len(errors):
            return _with_levels_as_written(model_cls, doc.data, later), unfilled
        return None, unfilled + [_error_to_problem(doc, model_cls, e) for e in errors]


def _levels_written_otherwise(errors: list) -> dict[str, str]:
    """Criterion id -> level, for each assessment whose level is a text but not an id (often the
    level's label, `Middels`). Which level was meant is only known from the criterion's scale,
    in another file: `check_measure` reports it, with the id to write."""
    return {loc[1]: e["input"] for e in errors
            if e["type"] == "slug" and len(loc := e["loc"]) == 3 and loc[0] == "assessments"
            and loc[2] == "level" and isinstance(e.get("input"), str)}


def _with_levels_as_written(model_cls: type[BaseModel], data: dict, later: dict[str, str]) -> Any:
    # Validated with a stand-in id, then given the level as written: no scale has it, since
    # every level id is a slug, so `check_measure` always reports it as an error.
    stand_in = {**data, "assessments": {cid: ({**item, "level": "x"} if cid in later else item)
                                        for cid, item in data["assessments"].items()}}
    obj = model_cls.model_validate(stand_in)
    assessments = {cid: (a.model_copy(update={"level": later[cid]}) if cid in later else a)
                   for cid, a in obj.assessments.items()}
    return obj.model_copy(update={"assessments": assessments})


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
                                 f"'{field_name}' holds an invisible {character_name(char)}, which can make the "
                                 "text read differently from how it is written",
                                 "delete it (retype the text around it if your editor does not show it)"))
    return found


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


# --- Checks across documents ------------------------------------------------------------


def _not_found(doc: Document, path: tuple, what: str, ref: str, known: Iterable[str], own_id: str | None = None) -> Problem:
    known = sorted(k for k in known if k != own_id)
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
    advice = f"did you mean '{close[0]}'?" if close else (
        "use one of: " + ", ".join(known) if known and len(known) <= 12 else f"check the id of the {what}")
    return doc.problem(path, f"there is no {what} with the id '{ref}'", advice)


def skipped(broken: dict[str, set[str]] | None) -> set[str]:
    """The ids of files that could not be read, whose references are not checked."""
    broken = broken or {}
    return broken.get("criteria", set()) | broken.get("rounds", set()) | broken.get("measures", set())


def check_criteria_and_rounds(criteria: dict[str, tuple[m.CriteriaSet, Document]],
                              rounds: dict[str, tuple[m.Round, Document]], skip: set[str]) -> list[Problem]:
    """The checks across the criteria versions and rounds, which measures do not affect."""
    problems = _check_criteria_versions(criteria, skip)
    for rnd, doc in rounds.values():
        if rnd.criteria not in criteria and rnd.criteria not in skip:
            problems.append(_not_found(doc, ("criteria",), "criteria version", rnd.criteria, criteria))
        if rnd.previous is not None and rnd.previous not in skip:
            if rnd.previous not in rounds:
                problems.append(_not_found(doc, ("previous",), "round", rnd.previous, rounds, rnd.id))
            elif rounds[rnd.previous][0].order_key >= rnd.order_key:
                problems.append(doc.problem(("previous",), f"the previous round '{rnd.previous}' is not an earlier round",
                                            "point to the round before this one (an earlier year, or decided earlier the same year)"))
        if rnd.status.is_decided and rnd.decision is None:
            problems.append(doc.problem(("status",), f"the round is '{rnd.status.value}' but has no decision record",
                                        "add 'decision:' with body, meeting_date and case_number"))
    return problems


def _check_criteria_versions(criteria: dict[str, tuple[m.CriteriaSet, Document]], skip: set[str]) -> list[Problem]:
    problems = []
    for cs, doc in criteria.values():
        problems += _duplicates(doc, ("criteria",), [c.id for c in cs.criteria], "criterion")
        problems += _duplicates(doc, ("principles",), [p.id for p in cs.principles], "principle")
        problems += _duplicates(doc, ("outcomes",), [o.kind.value for o in cs.outcomes], "outcome")
        for i, criterion in enumerate(cs.criteria):
            problems += _duplicates(doc, ("criteria", i, "scale"), [lvl.id for lvl in criterion.scale], "level")
        rs = cs.rank_scale
        if rs.highest >= rs.lowest:
            problems.append(doc.problem(("rank_scale",), "the highest rank must be a smaller number than the lowest",
                                        "e.g. highest: 1 and lowest: 10"))
        for i, band in enumerate(rs.bands):
            lo, hi = band.ranks
            if not (rs.highest <= lo <= hi <= rs.lowest):
                problems.append(doc.problem(("rank_scale", "bands", i, "ranks"), f"the band {band.ranks} is not within the rank scale",
                                            f"use ranks from {rs.highest} to {rs.lowest}, the first not larger than the second"))
        if cs.version > 1:
            if not cs.change_note:
                problems.append(doc.problem(("version",), f"version {cs.version} has no change note",
                                            "add 'change_note:' saying what changed from the previous version and why"))
            if cs.previous is None:
                problems.append(doc.problem(("version",), f"version {cs.version} does not say which version it replaces",
                                            "add 'previous:' with the id of the earlier version"))
        if cs.previous is not None and cs.previous not in skip:
            if cs.previous not in criteria:
                problems.append(_not_found(doc, ("previous",), "criteria version", cs.previous, criteria, cs.id))
            elif criteria[cs.previous][0].version >= cs.version:
                problems.append(doc.problem(("previous",), f"'{cs.previous}' is not an earlier version",
                                            "point 'previous' to the version with the next lower number"))
    by_version = defaultdict(list)
    for cs, doc in criteria.values():
        by_version[cs.version].append((cs, doc))
    for version, entries in by_version.items():
        for cs, doc in entries[1:]:
            problems.append(doc.problem(("version",), f"two criteria sets both say they are version {version}",
                                        f"give this one a new number (the other is '{entries[0][0].id}')"))
    return problems


def _duplicates(doc: Document, path: tuple, ids: list[str], what: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, ident in enumerate(ids):
        if ident in seen:
            problems.append(doc.problem(path + (i,), f"the {what} '{ident}' is listed twice",
                                        f"give each {what} its own id, or remove the copy"))
        seen.add(ident)
    return problems


def check_measure(measure: m.Measure, doc: Document, criteria: dict, rounds: dict, measures: Mapping,
                  skip: set[str]) -> list[Problem]:
    """A measure's references: its round, its previous version, its criteria and scales. Of other
    measures it reads only the `previous` one, and their ids when that one is not found."""
    problems: list[Problem] = []
    if measure.round not in rounds:
        return _levels_not_ids(measure, doc) + (
            [] if measure.round in skip else [_not_found(doc, ("round",), "round", measure.round, rounds)])
    rnd: m.Round = rounds[measure.round][0]
    if measure.previous is not None and measure.previous not in skip:
        if measure.previous not in measures:
            problems.append(_not_found(doc, ("previous",), "measure", measure.previous, measures, measure.id))
        else:
            earlier = measures[measure.previous][0]
            if earlier.round in skip:
                pass
            elif earlier.round not in rounds or rounds[earlier.round][0].order_key >= rnd.order_key:
                problems.append(doc.problem(("previous",), f"'{measure.previous}' is not in an earlier round",
                                            "point 'previous' to the same measure in an earlier year"))
    if rnd.criteria not in criteria:
        return problems + _levels_not_ids(measure, doc)
    cs: m.CriteriaSet = criteria[rnd.criteria][0]

    for criterion in cs.criteria:
        if criterion.id not in measure.assessments:
            problems.append(doc.problem(("assessments",), f"there is no assessment for the criterion '{criterion.id}'",
                                        f"add '{criterion.id}:' with level and justification under assessments "
                                        f"(round '{rnd.id}' uses '{cs.id}')"))
    for criterion_id, assessment in measure.assessments.items():
        criterion = cs.criterion(criterion_id)
        if criterion is None:
            close = difflib.get_close_matches(criterion_id, [c.id for c in cs.criteria], n=1, cutoff=0.6)
            advice = f"did you mean '{close[0]}'?" if close else "the criteria are " + ", ".join(c.id for c in cs.criteria)
            problems.append(doc.problem(("assessments", criterion_id), f"'{criterion_id}' is not a criterion in '{cs.id}'",
                                        advice, key=True))
        elif criterion.level(assessment.level) is None:
            valid = ", ".join(lvl.id for lvl in criterion.scale)
            meant = _level_meant(criterion, assessment.level)
            path = ("assessments", criterion_id, "level")
            problems.append(doc.problem(path, f"{_as_written(doc, path, assessment.level)} is not a level on the "
                                        f"scale of '{criterion_id}'",
                                        (f"did you mean '{meant}'? " if meant else "") + f"use one of: {valid}"))

    rs = cs.rank_scale
    if measure.rank is not None and not (rs.highest <= measure.rank <= rs.lowest):
        problems.append(doc.problem(("rank",), f"the rank {measure.rank} is outside the scale",
                                    f"use a whole number from {rs.highest} (highest priority) to {rs.lowest} (lowest)"))
    if rnd.status.is_decided:
        for name, value in (("rank", measure.rank), ("outcome", measure.outcome)):
            if value is None:
                problems.append(doc.problem((), f"the round '{rnd.id}' is decided, but this measure has no {name}",
                                            f"add '{name}:' as decided"))

    problems += _check_outcome(measure, doc, cs)
    indicator_ids = [ind.id for ind in measure.follow_up.indicators]
    problems += _duplicates(doc, ("follow_up", "indicators"), indicator_ids, "indicator")
    for i, result in enumerate(measure.follow_up.results):
        if result.indicator not in indicator_ids:
            problems.append(_not_found(doc, ("follow_up", "results", i, "indicator"), "indicator",
                                       result.indicator, indicator_ids))
    return problems


def _levels_not_ids(measure: m.Measure, doc: Document) -> list[Problem]:
    """The levels that are not ids (see `parse_document`), where no scale says which was meant."""
    return [doc.problem(("assessments", cid, "level"), f"'{a.level}' is not the id of a level",
                        "write the id of a level on the scale of the criterion (lower-case letters a-z, "
                        "digits and hyphens), not its label")
            for cid, a in measure.assessments.items() if not m.SLUG_RE.match(a.level)]


def _level_meant(criterion: m.Criterion, written: str) -> str | None:
    """The id of the level a communicator most likely meant: the one whose label (in any
    language) or id is `written` but for case, else the closest id."""
    wanted = " ".join(written.split()).casefold()
    for lvl in criterion.scale:
        labels = lvl.label.values() if isinstance(lvl.label, dict) else [lvl.label]
        if wanted in {lvl.id} | {" ".join(label.split()).casefold() for label in labels}:
            return lvl.id
    close = difflib.get_close_matches(wanted, [lvl.id for lvl in criterion.scale], n=1, cutoff=0.6)
    return close[0] if close else None


def _check_outcome(measure: m.Measure, doc: Document, cs: m.CriteriaSet) -> list[Problem]:
    outcome = measure.outcome
    if outcome is None:
        return []
    problems = []
    kind = outcome.decision
    if cs.outcome_term(kind) is None:
        problems.append(doc.problem(("outcome", "decision"), f"the outcome '{kind.value}' is not in the vocabulary of '{cs.id}'",
                                    "use one of: " + ", ".join(o.kind.value for o in cs.outcomes)))
    if not kind.is_full_funding:
        for name in ("rationale", "consequences"):
            if getattr(outcome, name) is None:
                what = ("why the measure was not fully funded, in plain language" if name == "rationale"
                        else "who is affected and how (affected, description, mitigation)")
                problems.append(doc.problem(("outcome",), f"the outcome '{kind.value}' has no {name}",
                                            f"add '{name}:' under outcome: {what}"))
    if kind is m.OutcomeKind.rationed and outcome.rationing_type is None:
        problems.append(doc.problem(("outcome",), "a rationed measure must say how it is rationed",
                                    "add 'rationing_type:' with structure, process or result"))
    if kind is not m.OutcomeKind.rationed and outcome.rationing_type is not None:
        problems.append(doc.problem(("outcome", "rationing_type"), "'rationing_type' is only for rationed measures",
                                    "remove it, or set 'decision: rationed'", key=True))
    if kind in (m.OutcomeKind.partly_funded, m.OutcomeKind.rationed) and outcome.granted is None:
        problems.append(doc.problem(("outcome",), f"the outcome '{kind.value}' needs the amount granted",
                                    "add 'granted:' with the amount in kroner for year 1"))
    cost = measure.cost_year_1
    # A measure that saves money in year 1 (a negative cost) may still be granted nothing.
    if outcome.granted is not None and outcome.granted > max(cost, 0):
        path = ("outcome", "granted")
        problems.append(doc.problem(path, f"granted {_as_written(doc, path, outcome.granted)} is more than "
                                    "the measure costs in year 1",
                                    "granted is the money given in year 1; it cannot exceed the year-1 cost of "
                                    f"{cost:,} kr".replace(",", " ") + " — check the amount or the costs"))
    if kind in (m.OutcomeKind.deprioritised, m.OutcomeKind.postponed) and outcome.granted:
        problems.append(doc.problem(("outcome", "granted"), f"a measure that is '{kind.value}' cannot be granted money",
                                    "set granted to 0, or choose partly_funded"))
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
        texts = _title_key(measure.title)
        same = next((first[text] for text in sorted(texts) if text in first), None)
        if same is not None:
            problems.append(warning(doc, ("title",), f"another measure of the round '{measure.round}' has this "
                                    f"title: {same}",
                                    "give each measure its own title, or delete the copy"))
        for text in texts:
            first.setdefault(text, doc.shown_as)
    return problems


def warning(doc: Document, path: tuple, message: str, advice: str) -> Problem:
    return doc.problem(path, message, advice, severity=Severity.warning)
