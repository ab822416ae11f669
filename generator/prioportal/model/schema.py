"""JSON Schemas of the YAML files, for communicators' editors: the model's, and a portal's own.

`schema_for(kind)` is the model's schema (what every portal's files must be; English, shipped in
`prioportal/schemas/` and published with the open data). `for_portal` narrows it to one portal:
its round ids, each criteria version's criteria, levels, rank scale and outcomes, and the rounds
that are decided. `in_language` says its titles and descriptions in a communicator's language.

Every keyword is a JSON Schema 2020-12 keyword (ajv refuses anything else in strict mode), and
only those that draft-07 has too, used as draft-07 uses them: VS Code's YAML extension
(yaml-language-server) checks files with draft-07's rules, so `dependentRequired`,
`unevaluatedProperties` or `prefixItems` would silently check nothing there. Rules between
fields are `if`/`then`, which draft-07 has. A measure's criteria depend on its round's criteria
version, so the portal's schema holds one `if` per criteria version ("round is one of these
rounds") with that version's criteria in its `then`, rather than an `anyOf` of one branch per
version: under `anyOf` an editor cannot tell which branch a file meant, and marks a wrong level
with "matches none of the schemas" or the errors of every version at once; under `if`/`then` it
names the one field and lists the levels of the measure's own round, and completes them.
"""

from __future__ import annotations

import copy
import inspect
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from pydantic.json_schema import GenerateJsonSchema

from prioportal.model import decisions as m
from prioportal.model.languages import localize
from prioportal.text.i18n import N_

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = tuple(m.KIND_MODELS)

_KIND_TITLES = {"criteria": N_("Criteria version"), "rounds": N_("Round"), "measures": N_("Measure")}
_NOT_NULL = {"not": {"type": "null"}}
# What `_parse_amount` in the model reads as a whole amount besides a number: digits with spaces,
# no-break spaces or underscores between them ("1 200 000").
_AMOUNT_TEXT = "^[ \u00a0\u202f_]*-?[ \u00a0\u202f_]*[0-9][0-9 \u00a0\u202f_]*$"
_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
_SHARED = "prioportal:shared"


def _validator(annotated: Any) -> Callable:
    """The function of the first validator an Annotated type of the model declares."""
    return next(meta.func for meta in get_args(annotated)[1:] if hasattr(meta, "func"))


def _text(limit: int) -> dict:
    one = {"type": "string", "minLength": 1, "maxLength": limit, "pattern": r"\S"}
    number = {"type": "number"}  # "period: 2025" is the text 2025
    per_language = {"type": "object", "minProperties": 1,
                    "propertyNames": {"type": "string", "pattern": m.LANGUAGE_RE.pattern},
                    "additionalProperties": {"anyOf": [one, number]}}
    return {"anyOf": [one, number, per_language]}


def _shared() -> dict[Callable, tuple[str, dict]]:
    """The types of the model whose validators accept more than their Python type says, by
    validator, with the name and schema they have under `$defs`. Each free-text type checks its
    length in a closure: the limit is read there, so the schema follows the model."""
    texts = {name: _validator(t) for name, t in (("Text", m.Text), ("ShortText", m.ShortText),
                                                  ("SummaryText", m.SummaryText))}
    shared = {function: (name, _text(inspect.getclosurevars(function).nonlocals["max_length"]))
              for name, function in texts.items()}
    bounds = {type(meta).__name__: meta for info in get_args(m.Amount)[1:] for meta in getattr(info, "metadata", ())}
    shared[_validator(m.Amount)] = ("Amount", {"anyOf": [
        {"type": "integer", "minimum": bounds["Ge"].ge, "maximum": bounds["Le"].le},
        {"type": "string", "pattern": _AMOUNT_TEXT}]})
    shared[_validator(m.IsoDate)] = ("Date", {"type": "string", "format": "date", "pattern": _DATE_TEXT})
    shared[_validator(m.Slug)] = ("Id", {"type": "string", "pattern": m.SLUG_PATTERN})
    return shared


class _Generator(GenerateJsonSchema):
    """pydantic's generator, told what the model's own validators accept: ids, amounts written
    with spaces, dates as YAML 1.2 reads them (text), texts per language or as a number. Each
    is one entry of `$defs`, which the fields refer to."""

    shared = _shared()

    def _shared_ref(self, schema) -> dict | None:
        # A mark `_standard` turns into a `$ref` once pydantic, which checks the refs it knows, is done.
        found = self.shared.get(schema["function"]["function"])
        return {_SHARED: found[0]} if found else None

    def field_title_should_be_set(self, schema) -> bool:
        return False  # "Years 4 10" helps no one: titles come in the reader's language (`in_language`)

    def function_before_schema(self, schema):
        return self._shared_ref(schema) or super().function_before_schema(schema)

    def function_after_schema(self, schema):
        return self._shared_ref(schema) or super().function_after_schema(schema)

    def str_schema(self, schema):
        found = super().str_schema(schema)
        if "pattern" in found or "format" in found:
            return found
        return {"anyOf": [found, {"type": "number"}]}  # the model reads a number as its text


def _standard(node: Any) -> Any:
    """pydantic's `ge`/`le` (of constraints it cannot place) as JSON Schema's `minimum` and
    `maximum`, in the branch that holds the number; class names and docstrings (words for
    developers, in English) left out."""
    if isinstance(node, list):
        return [_standard(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _standard(value) for key, value in node.items()}
    if _SHARED in node:
        node["$ref"] = f"#/$defs/{node.pop(_SHARED)}"
    bounds = {"minimum": node.pop("ge")} if "ge" in node else {}
    if "le" in node:
        bounds["maximum"] = node.pop("le")
    if bounds:
        numbers = [b for b in node.get("anyOf", [node]) if b.get("type") in ("integer", "number")]
        for branch in numbers:
            branch.update(bounds)
    if "$defs" in node:
        node["$defs"] = {name: {k: v for k, v in d.items() if k not in ("title", "description")}
                         for name, d in node["$defs"].items()}
    return node


def _when(field: str, values: Sequence, then: dict) -> dict:
    return {"if": {"properties": {field: {"enum": [getattr(v, "value", v) for v in values]}}, "required": [field]},
            "then": then}


def _needs(*names: str) -> dict:
    return {"required": list(names), "properties": {name: _NOT_NULL for name in names}}


_K = m.OutcomeKind
# The rules `validate` checks between an outcome's fields (`_check_outcome` in
# checks/documents.py). tests/test_schemas.py breaks each in a real file and expects validate and
# the schema both to refuse it, so the two do not drift apart.
OUTCOME_RULES = (
    _when("decision", [k for k in _K if not k.is_full_funding], _needs("rationale", "consequences")),
    _when("decision", [_K.rationed], _needs("rationing_type")),
    _when("decision", [k for k in _K if k is not _K.rationed], {"properties": {"rationing_type": {"type": "null"}}}),
    _when("decision", [_K.partly_funded, _K.rationed], _needs("granted")),
    _when("decision", [_K.deprioritised, _K.postponed], {"properties": {"granted": {"enum": [0, None]}}}),
)
ROUND_RULES = (_when("status", [s for s in m.RoundStatus if s.is_decided], _needs("decision")),)
CRITERIA_RULES = ({"if": {"properties": {"version": {"type": "integer", "minimum": 2}}, "required": ["version"]},
                   "then": _needs("change_note", "previous")},)
# A priority list names its service and has no budget frame; any other round has a purpose and a
# frame (the model's `Round._priority_list_has_no_budget`, `check_criteria_and_rounds`).
PRIORITY_LIST_RULES = ({**_when("kind", [m.RoundKind.priority_list], {
    "required": ["service"], "properties": {"service": _NOT_NULL, "budget_frame": {"type": "null"}}}),
    "else": _needs(*m.NOT_FOR_PRIORITY_LISTS)},)
# A pair of a priority list (a measure with a condition) needs no sector, service area, type or
# situation; any other measure does (the model's `Measure._pair_has_no_sector`).
PAIR_RULES = ({"if": {"properties": {"condition": _NOT_NULL}, "required": ["condition"]},
               "else": _needs(*m.NOT_FOR_PAIRS)},)


@lru_cache(maxsize=None)
def schema_for(kind: str) -> dict:
    """The model's JSON Schema of a kind of decision file, in English. Made once per process
    (the open-data page reads it at every preview build); callers must not change it."""
    schema = m.KIND_MODELS[kind].model_json_schema(mode="validation", schema_generator=_Generator)
    schema = _standard({**schema, "$defs": {**schema.get("$defs", {}), **dict(_Generator.shared.values())}})
    schema.pop("title", None)
    schema.pop("description", None)
    if kind == "measures":
        schema["$defs"][m.Outcome.__name__]["allOf"] = list(OUTCOME_RULES)
        schema["required"] = [name for name in schema["required"] if name not in m.NOT_FOR_PAIRS]
        schema["allOf"] = list(PAIR_RULES)
    elif kind == "rounds":
        schema["required"] = [name for name in schema["required"] if name not in m.NOT_FOR_PRIORITY_LISTS]
        schema["allOf"] = list(ROUND_RULES + PRIORITY_LIST_RULES)
    else:
        schema["allOf"] = list(CRITERIA_RULES)
    return {"$schema": DIALECT, "$id": f"https://prioportal.invalid/schemas/{kind}.schema.json",
            "title": _KIND_TITLES[kind], **schema}


def as_json(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_text(kind: str) -> str:
    return as_json(schema_for(kind))


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """The model's schemas, as the package ships them (`make schemas`)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        target = folder / f"{kind}.schema.json"
        target.write_text(schema_text(kind), encoding="utf-8")
        written.append(target)
    return written


def in_language(schema: dict, gettext: Callable[[str], str], label: Callable[[str], str | None] | None = None) -> dict:
    """A new tree of `schema` with every title and description said with `gettext` (they are the
    catalogues' msgids), and each field titled with its name `label(path)` (the field's dotted
    path, `costs.kind`, → a msgid or None), so an editor names and explains each field in the
    communicator's language. A field of a shared definition has the path of its first use."""
    label = label or (lambda path: None)
    where = _def_paths(schema)

    def said(node: Any, path: str, name: str | None = None) -> Any:
        if isinstance(node, list):
            return [said(item, path) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in ("title", "description", "$comment") and isinstance(value, str):
                out[key] = gettext(value)
            elif key == "properties" and isinstance(value, dict):
                out[key] = {field: said(child, _joined(path, field), field) for field, child in value.items()}
            elif key == "$defs" and isinstance(value, dict):
                out[key] = {ref: said(child, where.get(ref, "")) for ref, child in value.items()}
            else:
                out[key] = said(value, _joined(path, _KEY) if key == "additionalProperties" else path)
        msgid = label(path) if name is not None else None
        if msgid and "description" in node and "title" not in node:
            out["title"] = gettext(msgid)
        return out

    return said(schema, "")


_KEY = "<key>"  # a path's step into a mapping's values (assessments.<key>.level)


def _joined(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _def_paths(schema: dict) -> dict[str, str]:
    """The path of each definition of `schema` where the schema first uses it (CostLine: costs)."""
    defs = schema.get("$defs", {})
    found: dict[str, str] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, path)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.rsplit("/", 1)[-1]
            if name in defs and name not in found:
                found[name] = path
                walk(defs[name], path)
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for field, child in value.items():
                    walk(child, _joined(path, field))
            elif key != "$defs":
                walk(value, _joined(path, _KEY) if key == "additionalProperties" else path)

    walk(schema, "")
    return found


# --- A portal's own schemas -------------------------------------------------------------------


_LEVELS = N_("A level on the scale of {criterion}: {levels}")
_RANKS = N_("A whole number from {highest} (highest priority) to {lowest} (lowest priority)")
_OUTCOMES = N_("One of the outcomes of {criteria}: {outcomes}")
_WRITTEN_FOR = N_("Written by 'prioportal schemas' for this portal's rounds and criteria versions: "
                  "write the schemas again after adding a round or a criteria version, or changing "
                  "a scale, so that the editor knows them")


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _once(values: Sequence[str]) -> list[str]:
    # An id a portal uses twice (which validate reports) is listed once: `required` must not repeat one.
    return list(dict.fromkeys(values))


def _one_of(values: Sequence[str], schema: dict, nullable: bool = False) -> dict:
    """`schema` (a field of the model's schema) allowing only `values` (or nothing, when
    `nullable`); as it was when there are none."""
    if not values:
        return schema
    kept = {k: v for k, v in schema.items() if k in ("title", "description", "default")}
    one = {"type": "string", "enum": _once(values)}
    return {**kept, **(_nullable(one) if nullable else one)}


def for_portal(kind: str, schema: dict, criteria_sets: Sequence[m.CriteriaSet], rounds: Sequence[m.Round],
               gettext: Callable[[str], str], language: str, languages: Sequence[str]) -> dict:
    """`schema` (the model's, said in `language` with `in_language`) narrowed to one portal:
    the ids its files may refer to, its languages (`languages`, the main one first) for a text
    given per language, and for a measure the criteria, levels, rank scale and outcomes of its
    round's criteria version. Texts of the portal (criteria names, level labels) are given in
    `language` where the portal has them, else in its main language."""
    schema = copy.deepcopy(schema)
    schema.pop("$id", None)  # found by its path in the portal; an editor resolves nothing against an address
    schema["$comment"] = gettext(_WRITTEN_FOR)
    main_language = languages[0]
    for name in ("Text", "ShortText", "SummaryText"):
        if name in schema["$defs"]:
            per_language = schema["$defs"][name]["anyOf"][-1]
            per_language["propertyNames"] = {"type": "string", "enum": list(languages)}
            per_language["properties"] = {main_language: per_language["additionalProperties"]}
            per_language["required"] = [main_language]
    criteria_sets = [localize(cs, language, main_language)
                     for cs in sorted(criteria_sets, key=lambda c: (c.version, c.id))]
    rounds = sorted(rounds, key=lambda r: r.order_key)
    round_ids = [r.id for r in rounds]
    criteria_ids = [cs.id for cs in criteria_sets]
    props = schema["properties"]
    if kind == "criteria":
        props["previous"] = _one_of(criteria_ids, props["previous"], nullable=True)
    elif kind == "rounds":
        props["criteria"] = _one_of(criteria_ids, props["criteria"])
        props["previous"] = _one_of(round_ids, props["previous"], nullable=True)
    else:
        props["round"] = _one_of(round_ids, props["round"])
        schema["allOf"] = _measure_rules(criteria_sets, rounds, gettext) + list(schema.get("allOf", ()))
        if not schema["allOf"]:
            del schema["allOf"]
    return schema


def _measure_rules(criteria_sets: Sequence[m.CriteriaSet], rounds: Sequence[m.Round],
                   gettext: Callable[[str], str]) -> list[dict]:
    rules = []
    seen = set()
    for cs in criteria_sets:
        if cs.id in seen:
            continue  # two files with one id (validate reports it): the first counts
        seen.add(cs.id)
        using = _once(r.id for r in rounds if r.criteria == cs.id)
        if using:
            rules.append(_when("round", using, {"properties": _criteria_of(cs, gettext)}))
    decided = _once(r.id for r in rounds if r.status.is_decided and not r.is_priority_list)
    if decided:
        must = {"rank": {"type": "integer"}, "outcome": {"type": "object"}}
        rules.append(_when("round", decided, {"required": list(must), "properties": must}))
    # A decided priority list gives each pair a rank or a recommendation, and no outcome.
    lists = _once(r.id for r in rounds if r.status.is_decided and r.is_priority_list)
    if lists:
        rules.append(_when("round", lists, {"anyOf": [_needs("rank"), _needs("recommendation")],
                                            "properties": {"outcome": {"type": "null"}}}))
    return rules


def _criteria_of(cs: m.CriteriaSet, gettext: Callable[[str], str]) -> dict:
    """What one criteria version asks of a measure: an assessment of each of its criteria, on
    its scale; a rank on its rank scale; an outcome of its vocabulary."""
    assessments = {}
    for criterion in cs.criteria:
        if criterion.id in assessments:
            continue  # a criterion listed twice (validate reports it): the first counts
        levels = "; ".join(f"{level.id} ({level.label})" for level in criterion.scale)
        said = gettext(_LEVELS).format(criterion=criterion.name, levels=levels)
        assessments[criterion.id] = {
            "type": "object", "title": str(criterion.name), "description": str(criterion.question),
            "properties": {"level": {"enum": _once(level.id for level in criterion.scale), "description": said}}}
    rs = cs.rank_scale
    outcomes = "; ".join(f"{term.kind.value} ({term.label})" for term in cs.outcomes)
    recommendations = ({"recommendation": _nullable({"enum": _once(r.id for r in cs.recommendations)})}
                       if cs.recommendations else {})
    return {
        **recommendations,
        "assessments": {"type": "object", "properties": assessments,
                        "required": _once(c.id for c in cs.criteria), "additionalProperties": False},
        "rank": _nullable({"type": "integer", "minimum": rs.highest, "maximum": rs.lowest,
                           "description": gettext(_RANKS).format(highest=rs.highest, lowest=rs.lowest)}),
        "outcome": _nullable({"type": "object", "properties": {"decision": {
            "enum": _once(term.kind.value for term in cs.outcomes),
            "description": gettext(_OUTCOMES).format(criteria=cs.title, outcomes=outcomes)}}}),
    }
