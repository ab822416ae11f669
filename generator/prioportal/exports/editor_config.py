"""The browser editor's configuration (Decap CMS's config.yml), made from the model and the portal.

Nothing of it is written by hand. The fields come from the portal's own JSON Schemas
(`model.schema.for_portal`, said in the portal's language with `in_language`: the same
knowledge the communicators' text editors get): their order is the model's, their labels the
site's words for the fields (`site.vocabulary.field_label`), their hints the model's
descriptions, and which are required, the model's. Each kind of value has its widget:

- a text: one line (a short text), several lines (a summary) or Markdown (a longer text); on a
  portal in several languages, one box per language, the main language's required;
- an amount: a whole number of kroner; a date: a date picker that writes YYYY-MM-DD;
- an id: a line with the id's pattern; a value of the fixed vocabulary: a list to choose from,
  each value named as citizens read it; lists and sections as lists and sections;
- `round`, `previous` and `criteria`: a choice among the rounds, measures or criteria versions
  the portal has.

A measure's assessments depend on its round's criteria version, so there is one collection of
measures per round, in the folder its measures are in (decisions/measures/<year>/, as `new
measure` makes it), with a choice of that version's levels for every criterion. A section the
model allows to be left out (an outcome before the decision) asks for none of its fields: the
editor only helps, and `prioportal validate` says what a half-filled section lacks.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from prioportal.model import decisions as m
from prioportal.model.languages import localize
from prioportal.model.schema import for_portal, in_language, schema_for
from prioportal.site.vocabulary import LABELS, field_label
from prioportal.text.i18n import N_

Gettext = Callable[[str], str]

# Names of fields the site's change history never shows, so `field_label` has no word for them.
EXTRA_LABELS = {
    "former_ids": N_("Former ids"), "personal_data_allowed": N_("Allowed by the personal-data check"),
    "internal_note": N_("Internal note (not published)"),
}
# A text in one language over several lines, which no text of the site is (a note kept with the file).
_PLAIN_TEXTS = ("internal_note",)
_TEXT_WIDGETS = {"ShortText": "string", "SummaryText": "text", "Text": "markdown"}
# The fields a file of each kind ends with in the editor: kept last, where a communicator adds
# them, whatever the model's base class puts first (the editor writes a file's keys in the order
# of its fields).
_LAST = ("personal_data_allowed",)
_MARKDOWN = {"widget": "markdown", "modes": ["rich_text", "raw"], "editor_components": []}
_LANGUAGE_NAMES = {"nb": N_("Norwegian Bokmål"), "nn": N_("Norwegian Nynorsk"), "sv": N_("Swedish"),
                   "en": N_("English"), "se": N_("Northern Sami")}
# Looked up member by member: two vocabularies share a value (ambition_increase), which LABELS,
# keyed by equal str enums, holds once.
_ENUMS = {kind.__name__: kind for kind in {type(member) for member in LABELS}}
_VALUE_LABELS = {kind: {member.value: LABELS[member] for member in kind if member in LABELS}
                 for kind in _ENUMS.values()}


class _Fields:
    """Turns the nodes of one JSON Schema into the editor's fields."""

    def __init__(self, kind: str, schema: dict, gettext: Gettext, languages: Sequence[str],
                 relations: dict[str, dict]):
        self.kind = kind  # criteria, rounds or measures: a field's name may depend on it (`field_label`)
        self.defs = schema.get("$defs", {})
        self.gettext = gettext
        self.languages = tuple(languages)
        self.relations = relations  # field name → relation widget, for the top-level fields

    def of(self, properties: dict, required: Sequence[str], *, top: bool = False, inherited: bool = True,
           within: str = "") -> list:
        ordered = [n for n in properties if n not in _LAST] + [n for n in properties if n in _LAST]
        return [self.field(name, properties[name], inherited and name in required, top=top,
                           path=f"{within}.{name}" if within else name) for name in ordered]

    def field(self, name: str, node: dict, required: bool, *, top: bool = False, path: str = "") -> dict:
        node, optional = _without_null(node)
        required = required and not optional
        path = path or name  # dotted, costs.kind
        said = {"name": name, "label": node["title"] if "title" in node else self._label(path)}  # titles: said already
        if node.get("description") and node["description"] != said["label"]:
            said["hint"] = node["description"]
        said["required"] = required
        if top and name in self.relations:
            return {**said, **self.relations[name]}
        widget = {"widget": "text"} if path in _PLAIN_TEXTS else self.widget(node, required, said["label"], path)
        if widget["widget"] == "select" and all(o["value"] in said.get("hint", "") for o in widget["options"]):
            del said["hint"]  # it only lists the values' ids, which the choice names in words
        return {**said, **widget}

    def _label(self, path: str) -> str:
        name = path.rsplit(".", 1)[-1]
        msgid = field_label(self.kind, path) or EXTRA_LABELS.get(name)
        return self.gettext(msgid) if msgid else name

    def widget(self, node: dict, required: bool, label: str = "", path: str = "") -> dict:
        """The widget (and its options) for a value of the schema `node`."""
        reference = node.get("$ref", "").rsplit("/", 1)[-1]
        if reference in _TEXT_WIDGETS:
            return self.text(_TEXT_WIDGETS[reference], required)
        if reference == "Amount":
            bounds = self.defs["Amount"]["anyOf"][0]
            return {"widget": "number", "value_type": "int", "min": bounds["minimum"], "max": bounds["maximum"],
                    "step": 1}
        if reference == "Date":
            return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
                    "picker_utc": True}
        if reference == "Id":
            return {"widget": "string", "pattern": [self.defs["Id"]["pattern"], self.gettext(_ID_ADVICE)]}
        if reference:
            target = self.defs[reference]
            if "enum" in target:
                return self.choice(target["enum"], _ENUMS.get(reference))
            return self.widget(target, required, label, path)
        if "anyOf" in node:
            one = next((b for b in node["anyOf"] if b.get("type") != "array"), None)
            if any(b.get("type") == "array" for b in node["anyOf"]) and one is not None:
                # One value, or a list of them (a measure's type): the editor chooses one. Decap's
                # choice of several shows a single value as none chosen, and writes it back as a
                # list; a list written by hand is kept as it is while the field is not touched.
                return self.widget(one, required, label, path)
            return self.text("string", required)  # a text or a number (a period written 2025)
        if "enum" in node:  # the portal's own values (a criterion's levels), named in its words
            return self.choice(node["enum"], None, node.get(_NAMED))
        kind = node.get("type")
        if kind == "object":
            return {"widget": "object", "collapsed": False,
                    "fields": self.of(node.get("properties", {}), node.get("required", ()), inherited=required,
                                      within=path)}
        if kind == "array":
            return self.listed(node["items"], label, path)
        if kind in ("integer", "number"):
            return {"widget": "number", "value_type": "int" if kind == "integer" else "float",
                    **({"min": node["minimum"]} if "minimum" in node else {}),
                    **({"max": node["maximum"]} if "maximum" in node else {})}
        if kind == "boolean":
            return {"widget": "boolean"}
        return {"widget": "string"}

    def text(self, widget: str, required: bool) -> dict:
        one = copy.deepcopy(_MARKDOWN) if widget == "markdown" else {"widget": widget}
        if len(self.languages) == 1:
            return dict(one)
        # One box per language; the main language's is the one a text needs.
        return {"widget": "object", "collapsed": False, "fields": [
            {"name": language, "label": self.gettext(_LANGUAGE_NAMES[language]) if language in _LANGUAGE_NAMES
             else language, "required": required and n == 0, **copy.deepcopy(one)}
            for n, language in enumerate(self.languages)]}

    def choice(self, values: Sequence[str], kind: type | None, labels: dict[str, str] | None = None) -> dict:
        named = labels or {value: self.gettext(label) for value, label in _VALUE_LABELS.get(kind, {}).items()}
        return {"widget": "select", "options": [{"label": named.get(value, value), "value": value} for value in values]}

    def listed(self, items: dict, label: str, path: str = "") -> dict:
        items, _ = _without_null(items)
        reference = items.get("$ref", "").rsplit("/", 1)[-1]
        target = self.defs.get(reference, items)
        if target.get("type") == "object" and "properties" in target:
            return {"widget": "list", "collapsed": True,
                    "fields": self.of(target["properties"], target.get("required", ()), within=path)}
        if "enum" in target:
            return {**self.choice(target["enum"], _ENUMS.get(reference)), "multiple": True}
        # A list of single values (ids, names, the two ranks of a band): one box per item.
        return {"widget": "list", "field": {"name": "value", "label": label, **self.widget(items, True, label, path)}}


# The fields only a pair of a priority list has (a measure with a condition, `Measure.is_pair`).
PAIR_ONLY = ("condition", "condition_group", "recommendation")
# Where `_measures_of` puts the portal's names of its own values (levels, outcomes) beside their ids.
_NAMED = "prioportal:named"
_ID_ADVICE = N_("Use lower-case letters a-z, digits and hyphens, e.g. gang-sykkelvei-sorvik")


def _without_null(node: dict) -> tuple[dict, bool]:
    """`node` without the `null` it may be (an optional field), and whether it may be null."""
    branches = node.get("anyOf")
    if not branches or not any(b.get("type") == "null" for b in branches):
        return node, False
    rest = [b for b in branches if b.get("type") != "null"]
    kept = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
    return {**kept, **(rest[0] if len(rest) == 1 else {"anyOf": rest})}, True


def _relation(collection: str, display: str = "title", filters: list | None = None, **extra: Any) -> dict:
    found = {"widget": "relation", "collection": collection, "value_field": "id",
             "search_fields": ["id", display], "display_fields": [display], "options_length": 100}
    if filters:
        found["filters"] = filters
    return {**found, **extra}


def _display(languages: Sequence[str]) -> str:
    # A title given per language is shown in the main language.
    return "title" if len(languages) == 1 else f"title.{languages[0]}"


def folder_name(root: Path, folder: Path) -> str:
    """`folder` as the editor names it: relative to the portal's folder, the top of its repository
    (a folder outside it is named with .., which the preview's local backend refuses to open)."""
    return Path(os.path.relpath(folder.resolve(), root.resolve())).as_posix()


def _measure_folders(rounds: Sequence[m.Round], measures: Sequence[m.Measure], sources: dict[str, str],
                     decisions: str) -> dict[str, str]:
    """The folder of each round's measures: where most of them are, else measures/<year>/."""
    found: dict[str, Counter] = {r.id: Counter() for r in rounds}
    for x in measures:
        source = sources.get(f"measures:{x.id}")  # as shown in problems: relative to the portal's folder
        if source and x.round in found:
            found[x.round][PurePosixPath(source).parent.as_posix()] += 1
    return {r.id: (found[r.id].most_common(1)[0][0] if found[r.id] else f"{decisions}/measures/{r.year}")
            for r in rounds}


def collections(root: Path, decisions_dir: Path, content_dir: Path, criteria_sets: Sequence[m.CriteriaSet],
                rounds: Sequence[m.Round], measures: Sequence[m.Measure], sources: dict[str, str],
                gettext: Gettext, language: str, languages: Sequence[str]) -> list[dict]:
    """The editor's collections: criteria versions, rounds, the measures of each round, the pages."""
    decisions = folder_name(root, decisions_dir)
    display = _display(languages)
    schemas = {kind: for_portal(kind, in_language(schema_for(kind), gettext, partial(field_label, kind)), criteria_sets,
                                rounds, gettext, language, languages) for kind in ("criteria", "rounds", "measures")}

    def kind_collection(name: str, label: str, one: str, folder: str, kind: str, relations: dict,
                        schema: dict | None = None, **extra: Any) -> dict:
        schema = schema or schemas[kind]
        fields = _Fields(kind, schema, gettext, languages, relations).of(schema["properties"],
                                                                          schema.get("required", ()), top=True)
        return {"name": name, "label": label, "label_singular": gettext(one), "folder": folder,
                "extension": "yml", "format": "yml",
                "create": True, "delete": False, "identifier_field": "id", "slug": "{{id}}",
                "editor": {"preview": False},  # the preview is the portal's own, `prioportal serve`
                "summary": "{{" + display + "}}", **extra, "fields": fields}

    found = [
        kind_collection("criteria", gettext(N_("Criteria versions")), N_("Criteria version"), f"{decisions}/criteria",
                        "criteria",
                        {"previous": _relation("criteria", display)}),
        kind_collection("rounds", gettext(N_("Rounds")), N_("Round"), f"{decisions}/rounds", "rounds",
                        {"criteria": _relation("criteria", display), "previous": _relation("rounds", display)}),
    ]
    folders = _measure_folders(rounds, measures, sources, decisions)
    versions = {}
    for cs in criteria_sets:  # in the portal's language; the first of an id counts, as in validate
        versions.setdefault(cs.id, localize(cs, language, languages[0]))
    shared = Counter(folders.values())
    ordered = sorted(rounds, key=lambda r: r.order_key, reverse=True)  # the newest round first
    for rnd in ordered:
        earlier = rnd.previous or next((r.id for r in ordered if r.order_key < rnd.order_key), None)
        previous = (_relation(f"measures-{earlier}", display) if earlier in folders
                    else {"widget": "string", "pattern": [schemas["measures"]["$defs"]["Id"]["pattern"],
                                                          gettext(_ID_ADVICE)]})
        same_version = [r.id for r in rounds if r.criteria == rnd.criteria and folders[r.id] == folders[rnd.id]]
        relations = {"round": _relation("rounds", display, filters=[{"field": "id", "values": same_version}],
                                        default=rnd.id),
                     "previous": previous}
        extra = {"filter": {"field": "round", "value": rnd.id}} if shared[folders[rnd.id]] > 1 else {}
        found.append(kind_collection(f"measures-{rnd.id}", gettext(N_("Measures: {round}")).format(round=rnd.title),
                                     N_("Measure"), folders[rnd.id], "measures", relations,
                                     _measures_of(schemas["measures"], rnd, versions.get(rnd.criteria), gettext),
                                     sortable_fields=["rank", "title"], **extra))
    found.append(_pages(folder_name(root, content_dir), gettext, languages))
    return found


def _measures_of(schema: dict, rnd: m.Round, cs: m.CriteriaSet | None, gettext: Gettext) -> dict:
    """The measure schema with the assessments, rank and outcome of `rnd`'s criteria version `cs`
    in place of the open ones (the portal's schema says them in an `if` per version), each level
    and outcome named as the criteria version names it; and the fields of the round's kind: a
    priority list's pairs have a condition and no sector, a budget round's measures the reverse."""
    schema = copy.deepcopy(schema)
    properties = schema["properties"]
    if getattr(rnd, "is_priority_list", False):
        dropped, needed = getattr(m, "NOT_FOR_PAIRS", ()), ("condition",)
    else:
        dropped, needed = PAIR_ONLY, getattr(m, "NOT_FOR_PAIRS", ())
    for name in dropped:
        properties.pop(name, None)
    schema["required"] = [n for n in schema.get("required", ()) if n in properties] + [
        n for n in needed if n in properties and n not in schema.get("required", ())]
    for rule in schema.pop("allOf", []):
        # The rules between fields (an outcome's reasons, …) are validate's to say; only the
        # choice of the round's criteria version is the editor's.
        if rnd.id not in rule.get("if", {}).get("properties", {}).get("round", {}).get("enum", ()):
            continue
        then = rule.get("then", {}).get("properties", {})
        if "assessments" not in then:
            continue  # not the rule of a criteria version (e.g. what a decided round requires)
        for name, narrowed in then.items():
            if name == "assessments" and cs is not None:
                justification = schema["$defs"]["Assessment"]["properties"]["justification"]
                assessments = {}
                for cid, criterion in narrowed["properties"].items():
                    levels = cs.criterion(cid).scale if cs.criterion(cid) else []
                    level = {"enum": criterion["properties"]["level"]["enum"], "title": gettext(N_("Level")),
                             _NAMED: {str(x.id): str(x.label) for x in levels}}
                    assessments[cid] = {"type": "object", "title": criterion["title"],
                                        "description": criterion["description"], "required": ["level", "justification"],
                                        "properties": {"level": level, "justification": justification}}
                schema["properties"]["assessments"] = {
                    **schema["properties"]["assessments"], "type": "object", "properties": assessments,
                    "required": list(assessments)}
                schema["properties"]["assessments"].pop("additionalProperties", None)
                continue
            one, _ = _without_null(narrowed)
            if name == "outcome" and cs is not None and "properties" in one:
                decision = schema["$defs"]["Outcome"]["properties"]["decision"]
                decision.pop("$ref", None)
                decision["enum"] = one["properties"]["decision"]["enum"]
                decision[_NAMED] = {term.kind.value: str(term.label) for term in cs.outcomes}
            elif name in schema["properties"] and ("enum" in one or "minimum" in one):
                # The version's own values: its rank scale, …
                kept = {k: v for k, v in schema["properties"][name].items() if k in ("title", "description")}
                schema["properties"][name] = {**kept, **({"description": one["description"]}
                                                         if "description" in one else {}),
                                              "anyOf": [{k: v for k, v in one.items() if k != "description"},
                                                        {"type": "null"}]}
    return schema


def _pages(folder: str, gettext: Gettext, languages: Sequence[str]) -> dict:
    """The narrative pages: Markdown with a front matter (`sources.pages`)."""
    return {
        "name": "pages", "label": gettext(N_("Pages")), "label_singular": gettext(N_("Page")), "folder": folder,
        "extension": "md",
        "format": "frontmatter", "create": True, "delete": False, "identifier_field": "title",
        "editor": {"preview": False},
        "slug": "{{slug}}", "summary": "{{title}}",
        "fields": [
            {"name": "title", "label": gettext(N_("Title")), "widget": "string", "required": True},
            {"name": "description", "label": gettext(N_("Description")), "widget": "string", "required": False,
             "hint": gettext(N_("One sentence describing the page, for search results and link previews"))},
            {"name": "order", "label": gettext(N_("Order")), "widget": "number", "value_type": "int",
             "required": False, "hint": gettext(N_("Position in the menu, lowest first"))},
            {"name": "nav", "label": gettext(N_("In the menu")), "widget": "boolean", "required": False,
             "default": True},
            {"name": "body", "label": gettext(N_("Text")), "required": True, **copy.deepcopy(_MARKDOWN)},
        ],
    }
