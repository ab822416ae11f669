"""The work a function does, counted rather than timed: the lines of Python it runs.

A count is the same on every run and on every machine, so a test can compare the work at two sizes
(a ratio) without waiting on a shared CI runner's clock. Every executed line is counted, including
each pass of a loop or a comprehension, so a loop inside a loop shows as such; work done inside C
(a sort, a dict look-up) counts as the line that calls it.
"""

from __future__ import annotations

import sys
from typing import Any, Callable


def lines_run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[int, Any]:
    """(lines of Python run by fn(*args, **kwargs), its result)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def start(frame, event, arg):
        return local

    previous = sys.gettrace()
    sys.settrace(start)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return count, result


def growth(fn: Callable[[int], Any], small: int, large: int) -> float:
    """How many times more lines `fn(large)` runs than `fn(small)`, divided by large / small:
    about 1 for linear work, large / small for quadratic work."""
    work_small, _ = lines_run(fn, small)
    work_large, _ = lines_run(fn, large)
    return (work_large / work_small) / (large / small)
