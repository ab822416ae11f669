"""Field-level differences between two versions of the same JSON-like value.

`diff` compares what a file said before and after (`model_dump(mode="json")`, or YAML as
written) and lists every field that was added, removed or changed, with the path that leads to
it. The page history (`sources.git_history`) and the comparisons of criteria, rounds and whole
portals (`analyses.comparisons`) are built on it. A pure function: nothing reads files, git or
the clock, and the result is ordered deterministically. `site.change_lines` puts a change into
words, for the pages, the feeds and `prioportal diff`'s reports alike (`tools.diff_report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

ChangeKind = Literal["added", "removed", "changed"]


class ItemId(str):
    """A path element naming a list item by its id (or outcome kind, or indicator@period),
    as opposed to a mapping key. Compares and serialises as the plain string."""

    __slots__ = ()


PathElement = str | int


@dataclass(frozen=True)
class Change:
    """One field that differs. `path` leads from the top of the value to the field: mapping keys
    and list-item ids are strings (ids are `ItemId`), list positions are ints (0-based).

    - added: `old` is None (the field or item did not exist, or was null);
    - removed: `new` is None;
    - changed: both set. A list whose items are matched by id and whose common items are listed
      in a different order gets a `changed` at the list's own path, with `old` and `new` the
      lists of ids in order (for a scale, the order says which level is most favourable).
    """

    path: tuple[PathElement, ...]
    kind: ChangeKind
    old: Any = None
    new: Any = None


def _path_sort_key(path: tuple[PathElement, ...]) -> tuple:
    return tuple((0, e, "") if isinstance(e, int) else (1, 0, str(e)) for e in path)


_KIND_ORDER = {"removed": 0, "changed": 1, "added": 2}


def _change_sort_key(change: Change) -> tuple:
    return (_path_sort_key(change.path), _KIND_ORDER[change.kind])


def _item_key(item: Any) -> str | None:
    """The identity of a list item, if it has one."""
    if not isinstance(item, Mapping):
        return None
    ident = item.get("id")
    if isinstance(ident, (str, int)) and not isinstance(ident, bool):
        return str(ident)
    kind = item.get("kind")
    if isinstance(kind, str) and "label" in item:  # an outcome term (a cost line's kind is not an identity)
        return kind
    indicator, period = item.get("indicator"), item.get("period")
    if isinstance(indicator, str) and isinstance(period, (str, int)) and not isinstance(period, bool):
        return f"{indicator}@{period}"
    return None


def _keys_of(items: Sequence[Any]) -> list[str] | None:
    """Keys for every item, or None when some item has none or a key repeats (then match by position)."""
    keys = []
    for item in items:
        key = _item_key(item)
        if key is None:
            return None
        keys.append(key)
    return keys if len(set(keys)) == len(keys) else None


def diff(old: Any, new: Any, path: tuple[PathElement, ...] = ()) -> list[Change]:
    """Field-level differences between two JSON-like values, sorted by path.

    Mappings are compared key by key; lists item by item, matched by `id` (outcome terms by
    `kind`, follow-up results by `indicator` and `period`) when every item on both sides has a
    unique one, and by position otherwise. Linear in the size of the values.
    """
    found: list[Change] = []
    _diff(old, new, tuple(path), found)
    found.sort(key=_change_sort_key)
    return found


def _diff(old: Any, new: Any, path: tuple, out: list[Change]) -> None:
    if old is None and new is None:
        return
    if old is None:
        out.append(Change(path, "added", None, new))
        return
    if new is None:
        out.append(Change(path, "removed", old, None))
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in old:
            if key in new:
                _diff(old[key], new[key], path + (str(key),), out)
            elif old[key] is not None:
                out.append(Change(path + (str(key),), "removed", old[key], None))
        for key in new:
            if key not in old and new[key] is not None:
                out.append(Change(path + (str(key),), "added", None, new[key]))
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_lists(old, new, path, out)
        return
    # True == 1 in Python, but true and 1 are different values in a file.
    if old != new or (type(old) is not type(new) and not (_is_number(old) and _is_number(new))):
        out.append(Change(path, "changed", old, new))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _diff_lists(old: list, new: list, path: tuple, out: list[Change]) -> None:
    old_keys, new_keys = _keys_of(old), _keys_of(new)
    if old_keys is None or new_keys is None or not old or not new:
        for i in range(max(len(old), len(new))):
            if i >= len(old):
                out.append(Change(path + (i,), "added", None, new[i]))
            elif i >= len(new):
                out.append(Change(path + (i,), "removed", old[i], None))
            else:
                _diff(old[i], new[i], path + (i,), out)
        return
    old_by_key = dict(zip(old_keys, old))
    new_by_key = dict(zip(new_keys, new))
    for key, item in old_by_key.items():
        if key in new_by_key:
            _diff(item, new_by_key[key], path + (ItemId(key),), out)
        else:
            out.append(Change(path + (ItemId(key),), "removed", item, None))
    for key, item in new_by_key.items():
        if key not in old_by_key:
            out.append(Change(path + (ItemId(key),), "added", None, item))
    old_order = [k for k in old_keys if k in new_by_key]
    new_order = [k for k in new_keys if k in old_by_key]
    if old_order != new_order:
        out.append(Change(path, "changed", old_order, new_order))


def dump(obj: Any) -> Any:
    """The JSON-like form of a model object (dates as ISO text, enums as their values)."""
    return obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj


__all__ = ["Change", "ChangeKind", "ItemId", "PathElement", "diff", "dump"]
