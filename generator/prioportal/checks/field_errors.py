"""A model's validation error as a problem a communicator can act on: where it is, what is
wrong in their words, and what to write instead, with the value quoted as they wrote it.

Every text is a `T(...)`, said in the portal's language where it is shown; field names, ids and
the values of the fixed vocabulary stay as they are written in the files (they are the format),
and a field's description (a msgid of the model) is said in the reader's language.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel

from prioportal.model import decisions as m
from prioportal.problems import Problem, T, Text
from prioportal.sources.yaml_files import Document


def fields_of(model_cls: type[BaseModel], path: tuple) -> dict[str, Any] | None:
    """The model fields valid at `path` inside a document of `model_cls`, if a model is there."""
    model = model_at(model_cls, path)
    return dict(model.model_fields) if model is not None else None


def model_at(model_cls: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model whose fields are written at `path` inside a document of `model_cls`, if any."""
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
        current = inner_model(field.annotation)
        if current is None:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def _choices(model_cls: type[BaseModel], path: tuple) -> list[str]:
    """Allowed values of an enum field, for advice."""
    fields = fields_of(model_cls, path[:-1])
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


def describe(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


_WRITTEN = re.compile(r"[^,\]\}#]*")


def as_written(doc: Document, path: tuple, value: Any) -> str:
    """`value` described as the communicator wrote it: YAML reads `300.000` as the number 300.0,
    which is not what to quote back. A number is shown as written, without quotes (it was
    written without them); texts are quoted as read."""
    if isinstance(value, str) or not isinstance(value, (int, float, bool)) or not path:
        return describe(value)
    line, column = doc.locate(path)
    if doc.locate(path[:-1]) == (line, column):  # the value itself has no position of its own
        return describe(value)
    lines = doc.text.splitlines()
    found = _WRITTEN.match(lines[line - 1], column - 1) if line <= len(lines) else None
    written = found.group().strip() if found else ""
    return (written if len(written) <= 60 else written[:57] + "...") if written else describe(value)


def closest(written: str, choices: Any) -> str | None:
    """The choice `written` most likely meant: the closest in spelling, but one with the very
    same letters in another order first (`kriterier-2052` is `kriterier-2025` with two digits
    swapped, though `kriterier-2026` shares as many letters in place)."""
    close = difflib.get_close_matches(written, list(choices), n=3, cutoff=0.6)
    same_letters = [choice for choice in close if sorted(choice) == sorted(written)]
    return (same_letters or close or [None])[0]


def did_you_mean(written: Any, choices: list[str]) -> Text:
    """"did you mean '…'? use one of: …", or only the choices when none is close."""
    meant = closest(str(written), choices)
    listed = ", ".join(choices)
    if meant is not None:
        return T("did you mean '{meant}'? use one of: {choices}", meant=meant, choices=listed)
    return T("use one of: {choices}", choices=listed)


def error_path(error: dict) -> tuple:
    """Where a pydantic error is, without pydantic's names for its validators."""
    return tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))


def error_to_problem(doc: Document, model_cls: type[BaseModel], error: dict) -> Problem:
    path = error_path(error)
    kind = error["type"]
    value = error.get("input")
    if path and path[-1] == "[key]":  # the problem is a mapping key itself, e.g. an assessment's criterion id
        path = path[:-1]
        return doc.problem(path, T("{key} cannot be used as a key here", key=describe(path[-1])),
                           T("use an id in lower-case letters a-z, digits and hyphens, e.g. nytte"), key=True)
    # The field's name, also for an item of a list (`type: [efficiency, rationig]`).
    field_path = path
    while field_path and isinstance(field_path[-1], int):
        field_path = field_path[:-1]
    name = str(field_path[-1]) if field_path else ""
    written = as_written(doc, path, value)
    ctx = error.get("ctx") or {}

    if kind == "missing":
        fields = fields_of(model_cls, path[:-1]) or {}
        description = fields[name].description if name in fields else None
        return doc.problem(path[:-1], T("the required field '{name}' is missing", name=name),
                           T("add '{name}:' ({description})", name=name, description=Text(description, {}))
                           if description else T("add '{name}:'", name=name))
    if kind == "extra_forbidden":
        fields = fields_of(model_cls, path[:-1]) or {}
        meant = closest(name, fields)
        advice = (T("did you mean '{meant}'?", meant=meant) if meant is not None
                  else T("remove it; the fields allowed here are {fields}", fields=", ".join(fields)))
        return doc.problem(path, T("unknown field '{name}'", name=name), advice, key=True)
    if kind == "enum":
        choices = _choices(model_cls, field_path) or [
            s.strip(" '") for s in ctx.get("expected", "").replace(" or ", ",").split(",") if s.strip()]
        return doc.problem(path, T("{value} is not a valid value for '{name}'", value=written, name=name),
                           did_you_mean(value, choices))
    if kind == "iso_date":
        return doc.problem(path, T("{value} is not a valid date (not a date in the form YYYY-MM-DD)", value=written),
                           T("write the date as YYYY-MM-DD, e.g. 2026-03-15"))
    if kind == "iso_date_range":
        return doc.problem(path, T("{value} is not a valid date (no such day in the calendar)", value=written),
                           T("write the date as YYYY-MM-DD, e.g. 2026-03-15"))
    if kind == "amount" or (kind.startswith("int_") and name in m.AMOUNT_FIELDS):
        return doc.problem(path, T("{value} is not an amount", value=written),
                           T("write the amount in whole kroner with digits only, e.g. 1200000 or \"1 200 000\""))
    if kind == "slug" and len(path) == 3 and path[0] == "assessments" and path[2] == "level":
        # Reported here only where no criterion's scale can say which level was meant (see `parse_document`).
        return doc.problem(path, T("{value} is not the id of a level", value=written),
                           T("write the id of a level on the scale of the criterion (lower-case letters a-z, "
                             "digits and hyphens), not its label"))
    if kind == "slug":
        return doc.problem(path, T("{value} is not a valid id", value=written),
                           T("use lower-case letters a-z, digits and hyphens, e.g. styrket-hjemmetjeneste"))
    if kind.startswith("int_"):
        return doc.problem(path, T("{value} is not a whole number", value=written),
                           T("write a whole number with digits only, e.g. 3"))
    if kind.startswith("float_"):
        return doc.problem(path, T("{value} is not a number", value=written), T("write a number with digits only, e.g. 3"))
    if kind == "text_empty" or (kind == "string_type" and value is None):
        return doc.problem(path, T("'{name}' is empty", name=name),
                           T("write the text after the colon, or remove the field if it is optional"))
    if kind == "text_too_long":
        return doc.problem(path, T("'{name}' is too long (longer than {max} characters)", name=name, max=ctx.get("max")),
                           T("shorten it"))
    if kind == "text_language":
        return doc.problem(path, T("'{name}' has a part named '{key}', which is not a language code", name=name,
                                   key=ctx.get("key")),
                           T("write one text, or one per language: e.g. nb: ... and en: ..."))
    if kind in ("text_type", "string_type"):
        return doc.problem(path, T("'{name}' should be a text, but is {value}", name=name, value=written),
                           T("write the text after the colon; quote it if it starts with a special character"))
    if kind == "string_too_short":
        return doc.problem(path, T("'{name}' is empty", name=name),
                           T("write the text, or remove the field if it is optional"))
    if kind == "string_too_long":
        return doc.problem(path, T("'{name}' is too long", name=name),
                           T("shorten it to at most {max} characters", max=ctx.get("max_length")))
    if kind == "string_pattern_mismatch":
        return doc.problem(path, T("{value} is not a web address", value=written),
                           T("write a full address starting with https://"))
    if kind in ("model_type", "dict_type"):
        return doc.problem(path, T("'{name}' should contain fields (name: value)", name=name) if name
                           else T("the file should contain fields (name: value)"),
                           T("indent the fields below it, one per line"))
    if kind == "list_type":
        return doc.problem(path, T("'{name}' should be a list", name=name),
                           T("write each item on its own line starting with '- '"))
    if kind in ("bool_type", "bool_parsing"):
        return doc.problem(path, T("'{name}' should be true or false", name=name), T("write true or false"))
    if kind == "repeated_item":
        return doc.problem(path, T("'{name}' lists the same value twice", name=name), T("list each value once"))
    if kind == "too_short":
        return doc.problem(path, T("'{name}' needs more items (at least {count})", name=name,
                                   count=ctx.get("min_length", 1)), T("add the missing items"))
    if kind == "too_long":
        return doc.problem(path, T("{value} is out of range for '{name}'", value=written, name=name),
                           T("write at most {count} items", count=ctx.get("max_length")))
    if kind in ("greater_than_equal", "greater_than"):
        return doc.problem(path, T("{value} is out of range for '{name}'", value=written, name=name),
                           T("write a number of at least {bound}", bound=ctx.get("ge", ctx.get("gt"))))
    if kind in ("less_than_equal", "less_than"):
        return doc.problem(path, T("{value} is out of range for '{name}'", value=written, name=name),
                           T("write a number of at most {bound}", bound=ctx.get("le", ctx.get("lt"))))
    return doc.problem(path, T("'{name}' is not valid: {reason}", name=name, reason=error["msg"]),
                       T("check the value against the guide"))
