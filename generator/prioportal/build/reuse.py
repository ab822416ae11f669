"""Results of pure functions handed on from one preview build to the next.

The preview reads an unchanged decision file into the very same objects as last time (see
`checks.files.FileCache`). A function of such objects need not run again: `Reuse` gives back the
result it returned for them before, the same object, so that comparing the new build's pages
with the last build's (`preview.same`) stops at the first identity test instead of walking
every value. Values are kept by the identities of what they were computed from, and those
objects are kept with them, so an identity cannot be taken over by a new object.
Only what the last build used is kept, so memory does not grow from edit to edit.

A cold build passes no `Reuse` and calls the functions directly.

Who decides what is reused: the build layer, for the consistency review (`reviews`, per round),
the views and page plans (`plan_reuse`, per round and per measure) and the outputs beside the
pages (`site_outputs`: feeds per round, redirects per measure, the sitemap, and the open data's
`LastBuild`); the analyses, views and exports they call take plain inputs. The open data is
given its `LastBuild` as an `exports.memo.Memo`: it says under which key a row or a compressed
chunk may be kept, and the build decides that it is kept, and for how long.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

R = TypeVar("R")


class LastBuild:
    """Values made in one build, kept for the next: what a build does not ask for is dropped,
    so memory does not grow from edit to edit."""

    def __init__(self) -> None:
        self._last: dict = {}
        self._this: dict = {}

    def next_build(self) -> None:
        """Keep what this build used, for the next one; forget the rest."""
        self._last, self._this = self._this, {}

    def get(self, key: Any, make: Callable[[], R]) -> R:
        """The value kept under `key` (by this build or the last), else `make()`, kept."""
        found = self._this.get(key)
        if found is None:
            found = self._last.get(key)
            if found is None:
                self._made()
                found = make()
            self._this[key] = found
        return found

    def _made(self) -> None:
        """Called when a value is made rather than found."""


def cached(cache: LastBuild | None, key: Any, make: Callable[[], R]) -> R:
    """`make()`, or with a `cache`, the value kept under `key`."""
    return make() if cache is None else cache.get(key, make)


class Reuse(LastBuild):
    """For one language tree of one preview: each value by the objects it was computed from.

    A part of the site (a round) may keep its values in a `scope` of its own. A build that
    makes nothing new in a scope leaves it as it is, so a round that a build takes over whole,
    without asking for its parts, still has them for the build that next makes it again."""

    def __init__(self) -> None:
        super().__init__()
        self._parent: Reuse | None = None
        self._made_now = False  # whether this build made anything in this scope
        self._scopes_made: list[Reuse] = []  # the scopes of this tree that did

    def _made(self) -> None:
        if self._parent is not None and not self._made_now:
            self._made_now = True
            self._parent._scopes_made.append(self)

    def from_sources(self, what: str, sources: tuple, compute: Callable[[], R], values: tuple = ()) -> R:
        """The value `what` computed from `sources` (by identity) and `values` (hashable, by
        equality: dates, numbers), from the last build if it had it, else from `compute()`.
        `compute` may use other values only if they are the same for every build of this tree
        (the language, the translations). The sources are kept with the value, so none of their
        identities can pass to a new object meanwhile."""
        return self.get((what, values, *map(id, sources)), lambda: (sources, compute()))[1]

    def scope(self, key: Any) -> "Reuse":
        """The scope `key` of this tree, kept while each build asks for it."""
        def new() -> Reuse:
            scope = Reuse()
            scope._parent = self
            return scope
        return self.get(("scope", key), new)

    def last(self, key: Any) -> Any:
        """The value kept under `key`, or None. Asking does not keep it for the next build;
        a scope in which nothing is made keeps everything it has."""
        found = self._this.get(key)
        return found if found is not None else self._last.get(key)

    def put(self, key: Any, value: Any) -> None:
        """Keep `value` under `key`, in place of what was kept."""
        self._made()
        self._this[key] = value

    def next_build(self) -> None:
        for scope in self._scopes_made:
            scope._made_now = False
            scope.next_build()
        self._scopes_made = []
        super().next_build()


def reused(reuse: Reuse | None, what: str, sources: tuple, compute: Callable[[], R], values: tuple = ()) -> R:
    """`compute()`, or with a `reuse`, the value it gave for the same sources in the last build."""
    return compute() if reuse is None else reuse.from_sources(what, sources, compute, values)
