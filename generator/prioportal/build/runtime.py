"""How the pipeline runs: the time each step took (for benchmarks), and the cycle collector
paused while the files are loaded or a preview builds."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stage(name: str) -> Iterator[None]:
    """With PRIOPORTAL_TIMINGS=1, how long each step of a build took, on stderr (for benchmarks)."""
    started = time.perf_counter()
    yield
    if os.environ.get("PRIOPORTAL_TIMINGS"):
        print(f"timing: {name}: {time.perf_counter() - started:.2f} s", file=sys.stderr)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off for a while. Loading makes millions of objects that live as
    long as the build and form no garbage cycles worth finding meanwhile, and each full
    collection walks every one of them: at 10 000 measures eight of them took 2 s of a 9 s load.
    They are kept out of later collections too (frozen) before it is on again, as the first
    young collection would walk them all (0.2 s at 10 000 measures); a process that goes on
    building gives them back with gc.unfreeze() (pipeline.build_site, the preview)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
