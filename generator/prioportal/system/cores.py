"""Spreading independent work over the machine's cores: reading the decision files
(`checks.files`), rendering the pages and checking their links (`build`).

Rendering ten thousand pages is the same small job ten thousand times, and Python runs one
job at a time per process. Workers are forked after everything they need (the portal, the
views, the Jinja environment) is built, so they inherit it instead of receiving it pickled;
only the items' indices go to the workers, and only the small results come back.

    results = parallel_map(render_one, range(len(pages)))

The number of processes at work, this one included, is the number of cores this process may
use, or PRIOPORTAL_JOBS if set (PRIOPORTAL_JOBS=1 runs everything in this process, which helps
when debugging). Results come back in the order of the items, so the output does not depend on
which process was quicker.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable[[Any], Any] | None = None  # set in the parent just before forking
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def available_jobs() -> int:
    configured = os.environ.get("PRIOPORTAL_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(parent: int) -> None:
    # The parent's handlers clean up the half-built site; a worker has nothing to clean up,
    # and Ctrl-C is the parent's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(parent)


def _end_with(parent: int) -> None:
    """Have the kernel end this worker when its parent ends. A build killed outright (SIGKILL,
    the out-of-memory killer, a CI time limit) cannot stop its workers, which would otherwise
    wait for work for ever."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent ended before the kernel was asked
        os._exit(1)


def _run_chunk(items: Sequence[Any]) -> list[Any]:
    assert _task is not None
    return [_task(item) for item in items]


def parallel_map(task: Callable[[T], R], items: Sequence[T], *, chunk_size: int = 32,
                 jobs: int | None = None) -> list[R]:
    """[task(item) for item in items], in several processes when that pays off: this one and
    `jobs - 1` forked workers. Workers take chunks from the front, this process from the back,
    until they meet; what this process does itself needs no trip back through a pipe (for the
    files of a portal, a third of what reading them costs)."""
    global _task
    jobs = available_jobs() if jobs is None else jobs
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    jobs = min(jobs, len(chunks))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [task(item) for item in items]
    _task = task
    workers = jobs - 1
    done: list[Any] = [None] * len(chunks)  # each chunk's results, or the future of a worker's
    try:
        # Unlike multiprocessing.Pool, the executor notices a worker that dies or a result that
        # cannot be read back, and raises instead of waiting for ever.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            front, back = 0, len(chunks)
            waiting: set[Future] = set()
            while front < back:
                # Each worker has a chunk ahead of the one it works on, so none waits for this
                # process to hand out more; the last chunk left is always this process's.
                waiting = {future for future in waiting if not future.done()}
                while front < back - 1 and len(waiting) < 2 * workers:
                    done[front] = pool.submit(_run_chunk, chunks[front])
                    waiting.add(done[front])
                    front += 1
                back -= 1
                done[back] = _run_chunk(chunks[back])
            done = [chunk.result() if isinstance(chunk, Future) else chunk for chunk in done]
    finally:
        _task = None
    return [result for chunk in done for result in chunk]


@contextmanager
def in_background(task: Callable[[], R]) -> Iterator[Callable[[], R]]:
    """Run `task()` in a forked process while the caller goes on, for work that would otherwise
    keep one core busy while the other waits (the open data, while pages are rendered). Yields
    a function that waits for the result and raises what the task raised; leaving the block
    without asking stops the task. With one core (or PRIOPORTAL_JOBS=1) the task runs when its
    result is asked for."""
    if available_jobs() <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield task
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    parent = os.getpid()

    def run() -> None:
        _start_worker(parent)
        try:
            value = task()
        except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
            send.send(("raised", exc))
            return
        if isinstance(value, dict) and all(type(data) is bytes for data in value.values()):
            # Files (the open data: tens of megabytes) go one by one: pickled whole, they would
            # be in the caller's memory twice over while it reads them.
            send.send(("files", list(value)))
            for data in value.values():
                send.send_bytes(data)
        else:
            send.send(("returned", value))

    process = context.Process(target=run, daemon=True)
    process.start()
    send.close()

    def result() -> R:
        try:
            kind, value = receive.recv()
            if kind == "files":
                value = {name: receive.recv_bytes() for name in value}
        except EOFError:
            process.join()
            raise RuntimeError(f"work in a background process ended without a result (exit code {process.exitcode})") from None
        process.join()
        if kind == "raised":
            raise value
        return value

    try:
        yield result
    finally:
        if process.is_alive():
            process.kill()  # it holds nothing to clean up, and a handler it inherited must not delay it
        process.join()
        receive.close()
