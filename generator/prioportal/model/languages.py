"""Multilingual portals: any free text may be one text or one per language.

A portal is loaded once, with texts as written. Each published language gets its own copy in
which every text is a plain string: the text in that language, or, where it has not been
translated, the text in the portal's main language, marked as `Fallback` so the page can
say so and mark the passage with its real language for screen readers.
"""

from __future__ import annotations

from functools import lru_cache
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from prioportal.model.decisions import LANGUAGE_RE, LocalizedText


class Fallback(str):
    """A text shown in the main language because no translation exists."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "Fallback":
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # so a worker process can send one back
        return str(self), self.lang


def is_localized(value: Any) -> bool:
    return (isinstance(value, dict) and bool(value)
            and all(isinstance(k, str) and LANGUAGE_RE.match(k) and isinstance(v, str) for k, v in value.items()))


def pick(value: dict[str, str], language: str, main: str) -> str:
    if language in value:
        return value[language]
    if main in value:
        return value[main] if language == main else Fallback(value[main], main)
    lang, text = sorted(value.items())[0]  # validation requires the main language; never reached then
    return Fallback(text, lang)


def _is_text(annotation: Any) -> bool:
    """Whether a field's type is free text (LocalizedText), possibly optional or a list of it."""
    if get_origin(annotation) is Annotated:
        return _is_text(get_args(annotation)[0])
    if annotation == LocalizedText:
        return True
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is list:
        return len(args) == 1 and _is_text(args[0])
    return get_origin(annotation) in (Union, UnionType) and len(args) == 1 and _is_text(args[0])


@lru_cache(maxsize=None)
def _text_fields(model: type[BaseModel]) -> frozenset[str]:
    """Fields holding free text, which may be given per language."""
    return frozenset(name for name, f in model.model_fields.items() if _is_text(f.annotation))


def localize(value: Any, language: str, main: str) -> Any:
    """`value` with every per-language text resolved to `language` (falling back to `main`).
    In another language than the main one, a text written only once is the main language's
    text, and is marked as a fallback. A one-language portal is returned as it is."""
    if is_localized(value):
        return pick(value, language, main)
    if isinstance(value, BaseModel):
        changes = {}
        texts = _text_fields(type(value)) if language != main else frozenset()
        for name in type(value).model_fields:
            old = getattr(value, name)
            if name in texts and isinstance(old, str) and not isinstance(old, Fallback):
                new = Fallback(old, main)
            elif name in texts and isinstance(old, list):
                new = [Fallback(x, main) if isinstance(x, str) else localize(x, language, main) for x in old]
            else:
                new = localize(old, language, main)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, list):
        items = [localize(v, language, main) for v in value]
        return items if any(a is not b for a, b in zip(items, value)) else value
    if isinstance(value, tuple):
        items = tuple(localize(v, language, main) for v in value)
        return items if any(a is not b for a, b in zip(items, value)) else value
    if isinstance(value, dict):
        items = {k: localize(v, language, main) for k, v in value.items()}
        return items if any(items[k] is not value[k] for k in value) else value
    return value


def localized_texts(value: Any, path: tuple = ()) -> list[tuple[tuple, dict[str, str]]]:
    """Every per-language text in `value` (plain data from a YAML file), with its field path."""
    if is_localized(value):
        return [(path, value)]
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += localized_texts(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += localized_texts(item, path + (i,))
    return found
