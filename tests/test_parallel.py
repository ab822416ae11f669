"""Work spread over the cores gives what one process gives, in the same order, and fails loudly."""

from __future__ import annotations

import os
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from prioportal.model.languages import Fallback
from prioportal.system.cores import available_jobs, in_background, parallel_map


def test_results_come_back_in_the_order_of_the_items_whatever_the_number_of_workers():
    items = list(range(500))
    expected = [i * i for i in items]
    assert parallel_map(lambda i: i * i, items, jobs=1) == expected
    assert parallel_map(lambda i: i * i, items, jobs=2, chunk_size=7) == expected


def _slowly(value):
    time.sleep(0.002)  # long enough for a forked worker to start and take its share
    return value


def test_workers_see_what_the_parent_built_before_they_started():
    built = {i: f"page {i}" for i in range(200)}  # never pickled: inherited by the forked workers
    pids = parallel_map(lambda i: _slowly((built[i], os.getpid())), list(built), jobs=2, chunk_size=10)
    assert [text for text, _ in pids] == list(built.values())
    assert len({pid for _, pid in pids} - {os.getpid()}) >= 1


def test_this_process_takes_its_share_of_the_work_too():
    """Chunks done here need no trip back through a pipe; workers start at the front, this
    process at the back, and every item is done once."""
    calls = []
    done = parallel_map(lambda i: _slowly((i, os.getpid(), calls.append(i))), list(range(300)), jobs=2, chunk_size=5)
    assert [i for i, _, _ in done] == list(range(300))
    here = [i for i, pid, _ in done if pid == os.getpid()]
    assert here and here == sorted(calls) and here[-1] == 299
    assert len(here) < 300
    # However few the chunks, the last one is this process's: two chunks, one each.
    pids = parallel_map(lambda i: os.getpid(), list(range(10)), jobs=2, chunk_size=5)
    assert pids[5:] == [os.getpid()] * 5 and os.getpid() not in pids[:5]


def test_a_text_marked_as_untranslated_survives_the_trip_back():
    back = parallel_map(lambda i: Fallback(f"tekst {i}", "nb"), list(range(100)), jobs=2)
    assert all(isinstance(t, Fallback) and t.lang == "nb" for t in back)


def test_a_worker_that_dies_makes_the_build_fail_instead_of_waiting_for_ever():
    parent = os.getpid()
    with pytest.raises(BrokenProcessPool):
        parallel_map(lambda i: os._exit(3) if os.getpid() != parent else _slowly(i), list(range(100)), jobs=2,
                     chunk_size=1)


def test_the_number_of_workers_can_be_set(monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_JOBS", "3")
    assert available_jobs() == 3
    monkeypatch.setenv("PRIOPORTAL_JOBS", "not a number")
    assert available_jobs() >= 1


def test_work_in_the_background_runs_alongside_and_gives_its_result(monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_JOBS", "2")
    built = {"rows": list(range(1000))}  # inherited, not pickled
    with in_background(lambda: (os.getpid(), sum(built["rows"]))) as result:
        here = sum(range(10))
        pid, total = result()
    assert (here, total) == (45, sum(range(1000)))
    assert pid != os.getpid()


def test_files_made_in_the_background_come_back_whole_and_in_order(monkeypatch):
    """Files are handed back one by one (the open data is tens of megabytes); every byte and
    the order of the names must survive, an empty file and a large one too."""
    monkeypatch.setenv("PRIOPORTAL_JOBS", "2")
    files = {"b.csv": b"x,y\r\n1,2\r\n", "a/empty.json": b"", "decisions.xlsx": os.urandom(3_000_000)}
    with in_background(lambda: dict(files)) as result:
        received = result()
    assert received == files and list(received) == list(files)


def test_an_error_in_the_background_is_raised_where_the_result_is_asked_for(monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_JOBS", "2")

    def fail():
        raise ValueError("a bug in the open data")

    with pytest.raises(ValueError, match="a bug in the open data"):
        with in_background(fail) as result:
            result()


def test_background_work_is_stopped_when_the_build_fails_before_asking_for_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PRIOPORTAL_JOBS", "2")
    marker = tmp_path / "finished"

    def slow():
        time.sleep(5)
        marker.write_text("done")

    started = time.monotonic()
    with pytest.raises(RuntimeError):
        with in_background(slow):
            raise RuntimeError("a template error while the pages were rendered")
    assert time.monotonic() - started < 4
    time.sleep(0.2)
    assert not marker.exists()


def test_with_one_core_the_background_work_runs_when_asked_for(monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_JOBS", "1")
    with in_background(os.getpid) as result:
        assert result() == os.getpid()
