"""A file read into its model although some of its values are not valid, so that the checks
across files still run on the rest of it (README: every problem at once).

Each value the model cannot take (a `<...>` placeholder, a wrong type, a missing field) is
replaced by a stand-in that the model accepts: the field's default where it has one, else the
first of a few plain values its type accepts (`x`, `1`, the first value of the vocabulary, a
stand-in of a nested model). The paths replaced are returned with the object, and the checks
across files leave them alone (`Document.unknown`), so a stand-in never causes a problem of its
own. A file with stand-ins always has errors of its own, so its object never reaches a portal.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Annotated, Any, Iterable

from pydantic import BaseModel, TypeAdapter, ValidationError

from prioportal.checks.field_errors import error_path, fields_of, inner_model, model_at
from prioportal.model import decisions as m

_NOTHING = object()
_PASSES = 4  # a stand-in may uncover an error below it (a nested model): a few passes suffice


def field_of(model_cls: type[BaseModel], path: tuple) -> tuple | None:
    """The path of the innermost field of a model that holds `path` (a list item or a key of a
    mapping belongs to its field), or None when no field does."""
    for end in range(len(path), 0, -1):
        name = path[end - 1]
        if isinstance(name, str) and name in (fields_of(model_cls, path[:end - 1]) or {}):
            return path[:end]
    return None


def is_level_as_written(error: dict) -> bool:
    """A level written as a text that is not an id (often its label, `Middels`): which level was
    meant is only known from the criterion's scale, in another file, so `check_measure` says it."""
    loc = error_path(error)
    return (error["type"] == "slug" and len(loc) == 3 and loc[0] == "assessments" and loc[2] == "level"
            and isinstance(error.get("input"), str))


def read_with_stand_ins(model_cls: type[BaseModel], data: dict, errors: list[dict],
                        placeholders: Iterable[tuple]) -> tuple[Any, frozenset]:
    """The model of `data` with stand-ins where `errors` and `placeholders` are, and the paths of
    the fields given a stand-in; (None, ...) when the file's id is one of them, or the model still
    refuses what is left. A level written otherwise than as an id is kept as written."""
    data = copy.deepcopy(data)
    unknown: set[tuple] = set()
    levels: dict[str, str] = {}
    for path in placeholders:
        target = field_of(model_cls, path)
        if target is None or not _replace(model_cls, data, target, unknown):
            return None, frozenset(unknown)
    for _ in range(_PASSES):
        for error in sorted(errors, key=lambda e: len(error_path(e))):
            path = error_path(error)
            if any(path[:len(u)] == u for u in unknown):
                continue  # inside a value already replaced
            if path and path[-1] == "[key]":
                container = _at(data, path[:-2])
                if not isinstance(container, dict):
                    return None, frozenset(unknown)
                container.pop(path[-2], None)
                unknown.add(path[:-1])
            elif error["type"] == "extra_forbidden":
                container = _at(data, path[:-1])
                if isinstance(container, dict):
                    container.pop(path[-1], None)
            elif is_level_as_written(error) and isinstance(_at(data, path[:-1]), dict):
                levels[path[1]] = error["input"]
                _at(data, path[:-1])["level"] = "x"
            else:
                target = field_of(model_cls, path)
                if target is None or not _replace(model_cls, data, target, unknown):
                    return None, frozenset(unknown)
        if ("id",) in unknown:
            return None, frozenset(unknown)
        try:
            obj = model_cls.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
            continue
        return _with_levels(obj, levels), frozenset(unknown)
    return None, frozenset(unknown)


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _replace(model_cls: type[BaseModel], data: dict, target: tuple, unknown: set[tuple]) -> bool:
    container = _at(data, target[:-1])
    model = model_at(model_cls, target[:-1])
    if not isinstance(container, dict) or model is None:
        return False
    value = stand_in(model, target[-1])
    if value is _NOTHING:
        return False
    container[target[-1]] = copy.deepcopy(value)
    unknown.add(target)
    return True


@lru_cache(maxsize=None)
def _adapter(model_cls: type[BaseModel], name: str) -> TypeAdapter:
    field = model_cls.model_fields[name]
    return TypeAdapter(Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation)


@lru_cache(maxsize=None)
def stand_in(model_cls: type[BaseModel], name: str) -> Any:
    """A value the field `name` of `model_cls` accepts (copy it before changing it), or _NOTHING."""
    adapter = _adapter(model_cls, name)
    for candidate in _candidates(model_cls.model_fields[name]):
        try:
            adapter.validate_python(candidate)
        except ValidationError:
            continue
        return candidate
    return _NOTHING


def _candidates(field: Any) -> Iterable[Any]:
    if not field.is_required():
        yield field.get_default(call_default_factory=True)
    for bound in field.metadata:
        if getattr(bound, "ge", None) is not None:
            yield bound.ge
    yield from ("x", "https://example.invalid/", 1, 0.0, "2000-01-01", False)
    vocabulary = _vocabulary(field.annotation)
    if vocabulary is not None:
        yield vocabulary
        yield [vocabulary]
    model = inner_model(field.annotation)
    if model is not None:
        nested = {name: stand_in(model, name) for name, inner in model.model_fields.items() if inner.is_required()}
        if _NOTHING not in nested.values():
            yield nested
            yield [nested]
            yield [nested, nested]  # a list that needs items (a criterion's scale needs two levels)
    yield from ([], {}, [1, 1], ["x"])


def _vocabulary(annotation: Any) -> str | None:
    if isinstance(annotation, type) and issubclass(annotation, m.Enum):
        return next(iter(annotation)).value
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _vocabulary(arg)
        if found is not None:
            return found
    return None


def _with_levels(obj: Any, levels: dict[str, str]) -> Any:
    if not levels:
        return obj
    assessments = {cid: (a.model_copy(update={"level": levels[cid]}) if cid in levels else a)
                   for cid, a in obj.assessments.items()}
    return obj.model_copy(update={"assessments": assessments})
