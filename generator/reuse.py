"""Results of pure functions handed on from one preview build to the next.

The preview reads an unchanged decision file into the very same objects as last time (see
`portal.FileCache`). A function of such objects need not run again: `Reuse` gives back the
result it returned for them before, the same object, so that comparing the new build's pages
with the last build's (`incremental.same`) stops at the first identity test instead of walking
every value. Values are kept by the identities of what they were computed from, and those
objects are kept with them, so an identity cannot be taken over by a new object.
Only what the last build used is kept, so memory does not grow from edit to edit.

A cold build passes no `Reuse` and calls the functions directly.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

R = TypeVar("R")


class Reuse:
    """For one language tree of one preview: each value by what it was computed from."""

    def __init__(self) -> None:
        self._last: dict[tuple, tuple[tuple, Any]] = {}
        self._this: dict[tuple, tuple[tuple, Any]] = {}

    def next_build(self) -> None:
        """Keep what this build used, for the next one; forget the rest."""
        self._last, self._this = self._this, {}

    def get(self, what: str, sources: tuple, compute: Callable[[], R]) -> R:
        """The value `what` computed from `sources` (by identity), from the last build if it had
        it, else from `compute()`. `compute` may use other values only if they are the same
        for every build of this tree (the language, the translations)."""
        key = (what, *map(id, sources))
        kept = self._this.get(key) or self._last.get(key)
        if kept is not None and len(kept[0]) == len(sources) and all(a is b for a, b in zip(kept[0], sources)):
            self._this[key] = kept
            return kept[1]
        value = compute()
        self._this[key] = (sources, value)
        return value


def reused(reuse: Reuse | None, what: str, sources: tuple, compute: Callable[[], R]) -> R:
    """`compute()`, or with a `reuse`, the value it gave for the same sources in the last build."""
    return compute() if reuse is None else reuse.get(what, sources, compute)
