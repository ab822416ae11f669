"""Work spread over the cores gives what one process gives, in the same order, and fails loudly."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from prioportal.languages import Fallback
from prioportal.parallel import available_jobs, parallel_map


def test_results_come_back_in_the_order_of_the_items_whatever_the_number_of_workers():
    items = list(range(500))
    expected = [i * i for i in items]
    assert parallel_map(lambda i: i * i, items, jobs=1) == expected
    assert parallel_map(lambda i: i * i, items, jobs=2, chunk_size=7) == expected


def test_workers_see_what_the_parent_built_before_they_started():
    built = {i: f"page {i}" for i in range(200)}  # never pickled: inherited by the forked workers
    pids = parallel_map(lambda i: (built[i], os.getpid()), list(built), jobs=2, chunk_size=10)
    assert [text for text, _ in pids] == list(built.values())
    assert len({pid for _, pid in pids} - {os.getpid()}) >= 1


def test_a_text_marked_as_untranslated_survives_the_trip_back():
    back = parallel_map(lambda i: Fallback(f"tekst {i}", "nb"), list(range(100)), jobs=2)
    assert all(isinstance(t, Fallback) and t.lang == "nb" for t in back)


def test_a_worker_that_dies_makes_the_build_fail_instead_of_waiting_for_ever():
    with pytest.raises(BrokenProcessPool):
        parallel_map(lambda i: os._exit(3) if i == 50 else i, list(range(100)), jobs=2)


def test_the_number_of_workers_can_be_set(monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_JOBS", "3")
    assert available_jobs() == 3
    monkeypatch.setenv("PRIOPORTAL_JOBS", "not a number")
    assert available_jobs() >= 1
