"""The open-data pages: what they document of every table's columns and of every field of the
YAML files, from the model's own field descriptions (the same text as the JSON Schemas). The
columns are on the open-data page (`urls.open_data`), the fields of each kind of file on a page
of their own (`urls.open_data_fields`): together they weighed twice the page-weight budget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prioportal.exports.open_data.tables import DATAPACKAGE, JSON_FILES, SCHEMA_KINDS, WORKBOOK, Column, tables_of
from prioportal.model.schema import schema_for
from prioportal.site import urls
from prioportal.site.vocabulary import N_, field_label
from prioportal.text.i18n import Translator

_TYPE_WORDS = {
    "string": N_("Free text"), "integer": N_("Whole number"), "number": N_("Number"), "boolean": N_("true or false"),
    "date": N_("Date"),
}


@dataclass(frozen=True)
class FieldDoc:
    name: str  # column name, or field path in a YAML file (costs.year_1)
    label: str | None  # the field's name in the reader's language, where the portal has one
    type: str
    description: str
    required: bool
    values: tuple[str, ...] = ()  # the allowed values of a fixed vocabulary
    description_lang: str | None = None  # "en" while the model's description has no translation


@dataclass(frozen=True)
class TableDoc:
    name: str
    title: str
    description: str
    csv: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class KindDoc:
    kind: str
    title: str
    folder: str
    schema: str  # path within the open-data folder
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class OpenDataPage:
    tables: tuple[TableDoc, ...]
    kinds: tuple[KindDoc, ...]
    json_files: tuple[tuple[str, str], ...]  # (kind title, file name)
    workbook: str = WORKBOOK
    datapackage: str = DATAPACKAGE
    feed: str = urls.feed()  # relative to the site root
    calendar: str = urls.calendar()
    round_feeds: tuple[tuple[str, str, str], ...] = ()  # (round title, feed, calendar), relative to the site root
    part: str = "tables"  # what the page shows: "tables" (the downloads and the columns), or a kind of file


_KIND_TITLES = {"criteria": N_("Criteria"), "rounds": N_("Rounds"), "measures": N_("Measures")}
FIELD_KINDS = SCHEMA_KINDS  # a page each documents the fields of these decision files


def open_data_view(view: Any, tr: Translator, part: str = "tables") -> OpenDataPage:
    """What the open-data pages document: every column of every table (`part` "tables"), and
    every field of one kind of YAML file (`part` the kind, one of FIELD_KINDS), from the model's
    own field descriptions (the same text as the JSON Schemas)."""
    _ = tr.gettext

    def label(table: str, key: str | None) -> str | None:
        named = field_label(table, key) if key else None  # a cost line's `kind` is the kind of cost, a round's its kind
        return _(named) if named else None

    tables = tuple(
        TableDoc(t.name, _(t.title), _(t.description), t.csv, tuple(
            FieldDoc(c.name, label(t.name, c.label_key), _column_type_word(c, tr),
                     _(c.description), c.required, c.enum, _untranslated(c.description, tr))
            for c in t.columns))
        for t in tables_of(view.portal))
    kinds = tuple(KindDoc(kind, _(_KIND_TITLES[kind]), f"decisions/{kind}/", f"schemas/{kind}.schema.json",
                          tuple(schema_fields(kind, tr)))
                  for kind in SCHEMA_KINDS)
    portal = view.portal
    round_feeds = tuple((str(r.title), urls.round_feed(r.id), urls.round_calendar(r.id))
                        for r in reversed(portal.rounds))
    return OpenDataPage(tables, kinds, tuple((_(_KIND_TITLES[k]), JSON_FILES[k]) for k in SCHEMA_KINDS),
                        round_feeds=round_feeds, part=part)


def _untranslated(text: str, tr: Translator | None) -> str | None:
    """'en' when `text` (a model description, in English) is shown untranslated on a page in
    another language, so the page can mark it with its language for screen readers."""
    if tr is None or tr.language == "en" or not text or tr.gettext(text) != text:
        return None
    return "en"


def _column_type_word(column: Column, tr: Translator) -> str:
    if column.enum and column.several:
        return tr.gettext("One or more of these values, separated by spaces")
    return tr.gettext("One of these values") if column.enum else tr.gettext(_TYPE_WORDS[column.type])


def schema_fields(kind: str, tr: Translator | None = None) -> list[FieldDoc]:
    """Every field of a YAML file of `kind`, flattened from its JSON Schema: `costs.year_1`,
    `assessments.<criterion>.level`."""
    _ = tr.gettext if tr is not None else (lambda s: s)
    schema = schema_for(kind)
    defs = schema.get("$defs", {})
    found: list[FieldDoc] = []

    def resolve(node: dict) -> dict:
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            return {**resolve(options[0]), **{k: v for k, v in node.items() if k != "anyOf"}}
        return node

    def type_word(node: dict) -> tuple[str, tuple[str, ...]]:
        options = node.get("anyOf", [])
        if options and {o.get("type") for o in options} >= {"string", "object"}:
            return _("Free text"), ()  # one text, or one per language
        if {resolve(o).get("type") for o in options} == {"integer", "string"}:
            return _(_TYPE_WORDS["integer"]), ()  # an amount: a number, or digits with spaces ("1 200 000")
        if "enum" in node:
            return _("One of these values"), tuple(str(v) for v in node["enum"])
        choices = [resolve(o) for o in options]
        if (len(choices) == 2 and "enum" in choices[0] and choices[1].get("type") == "array"
                and resolve(choices[1]["items"]).get("enum") == choices[0]["enum"]):
            return _("One of these values, or a list of several"), tuple(str(v) for v in choices[0]["enum"])
        kind_ = node.get("type")
        if kind_ == "string" and node.get("format") == "date":
            return _("Date"), ()
        if kind_ == "string" and node.get("pattern", "").startswith("^(https?"):
            return _("Address"), ()
        if kind_ == "array":
            return _("List"), ()
        if kind_ == "object":
            return _("Group of fields"), ()
        return _(_TYPE_WORDS.get(kind_, "Free text")), ()

    def walk(node: dict, path: str, required: bool) -> None:
        node = resolve(node)
        word, values = type_word(node)
        if path:
            description = node.get("description") or ""
            named = field_label(kind, path)
            found.append(FieldDoc(path, _(named) if named else None, word,
                                  _(description) if description else "", required, values,
                                  _untranslated(description, tr)))
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            walk_object(resolve(node["items"]), path)
        elif node.get("type") == "object":
            extra = node.get("additionalProperties")
            if "properties" in node:
                walk_object(node, path)
            elif isinstance(extra, dict) and ("$ref" in extra or extra.get("type") == "object"):
                walk_object(resolve(extra), f"{path}.<{_key_name(path)}>")

    def walk_object(node: dict, prefix: str) -> None:
        # A field required of every document but one kind (a pair of a priority list needs no
        # sector, a list no budget frame: the `else` of the model's rule) is required as well.
        required = set(node.get("required", ())) | {name for rule in node.get("allOf", ()) if "if" in rule
                                                    for name in rule.get("else", {}).get("required", ())}
        for name, child in node.get("properties", {}).items():
            walk(child, f"{prefix}.{name}" if prefix else name, name in required)

    walk_object(schema, "")
    return found


def _key_name(path: str) -> str:
    return "criterion" if path.endswith("assessments") else "id"
