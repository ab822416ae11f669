"""Fields that one kind of document does without: a pair of a priority list has no sector, type
or situation, a priority list no purpose or budget frame (`model.decisions`).

The model's own `before` validator gives such a field `NOT_FOR_THIS_KIND` when the document is of
that kind, and the field's wrap validator (`unless_not_for_this_kind`) turns it into None (or an
empty value). Absent from any other document, the field is missing as it always was, with the
same problem at the same place; written as null, it is empty, as before.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Iterable

from pydantic import BaseModel, SerializerFunctionWrapHandler, WrapValidator, model_serializer

NOT_FOR_THIS_KIND = object()


def unless_not_for_this_kind(empty: Any) -> WrapValidator:
    """The field's validator: `empty` for a document of the kind that does without it."""
    def check(value: Any, handler: Callable[[Any], Any]) -> Any:
        return empty if value is NOT_FOR_THIS_KIND else handler(value)
    return WrapValidator(check)


def not_for_this_kind(data: Any, names: Iterable[str]) -> Any:
    """The document's data with the fields `names` marked as done without, where not written."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for name in names:
        data.setdefault(name, NOT_FOR_THIS_KIND)
    return data


class OmitsUnused(BaseModel):
    """A model whose dump leaves out the fields added for priority lists while they hold their
    default (`_omitted_when_default`), so that the open data and histories of a budget portal read
    as they did before lists existed."""

    _omitted_when_default: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _without_unused(self, handler: SerializerFunctionWrapHandler) -> Any:
        if self is None:
            return None  # a field a pair of a priority list does without (`decisions.NOT_FOR_PAIRS`)
        dumped = handler(self)
        if self._omitted_when_default and isinstance(dumped, dict):
            fields = type(self).model_fields
            for name in self._omitted_when_default:
                if name in dumped and getattr(self, name) == fields[name].get_default(call_default_factory=True):
                    del dumped[name]
        return dumped
