"""What the open-data files may take over from the build before, and under which key.

Writing the open data of ten thousand measures again after a preview's save costs seconds,
nearly all of it formatting and compressing rows that did not change. The open data says what
each part is made from, as the key it may be kept under (`cached`): a CSV or worksheet row by
its values, a measure's rows by the measure object, a compressed chunk by the pieces it holds.
Whether anything is kept, and for how long, is the build layer's: the preview passes a `Memo`
it keeps from build to build (`build.site_outputs.OpenData`, a `build.reuse.LastBuild`), and
a cold build passes none. The bytes are the same either way (tests/test_open_data.py,
tests/test_zipped.py)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

R = TypeVar("R")


class Memo(Protocol):
    """Values kept by key: `get` gives the one kept under `key`, else `make()`, kept."""

    def get(self, key: Hashable, make: Callable[[], R]) -> R: ...


def cached(memo: Memo | None, key: Hashable, make: Callable[[], R]) -> R:
    """`make()`, or with a `memo`, the value kept under `key`."""
    return make() if memo is None else memo.get(key, make)
