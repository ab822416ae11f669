"""After each save, the preview's load (which checks again only what the save can affect, see
generator/prioportal/checks/since_last.py) finds exactly what a cold load of the same files finds: the same
problems, or the same portal with the same warnings, review and look-ups."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from portal_factory import top_field, with_top_field

from prioportal.tools.demo.portal import write_demo_portal
from prioportal.build.pipeline import load_from_settings
from prioportal.checks.files import FileCache
from prioportal.problems import InvalidPortal
from prioportal.settings import load_settings


def _loaded(root: Path, cache: FileCache | None) -> object:
    """What a build would show of the portal, or the problems that stop it."""
    try:
        portal = load_from_settings(load_settings(root / "mkdocs.yml"), cache)
    except InvalidPortal as exc:
        return ("problems", [str(p) for p in exc.problems])
    return ("portal", portal.measures, portal.sources, [str(w) for w in portal.warnings], portal.review,
            {rnd.id: portal.measures_in(rnd.id) for rnd in portal.rounds}, portal.measures_by_id)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_demo_portal(tmp_path_factory.mktemp("since-last") / "demo", 150, seed=5)


def test_each_save_is_loaded_as_a_cold_load_would(demo):
    files = {path: path.read_text(encoding="utf-8") for path in sorted((demo / "decisions" / "measures").rglob("*.yml"))}
    ids = {top_field(text, "id"): path for path, text in files.items()}
    # A later version (b) of a measure (a), another measure (c) of b's round and one (d) of a's.
    b = next(path for path, text in files.items() if re.search("^previous: ", text, re.M))
    a = ids[top_field(files[b], "previous")]
    c = next(path for path, text in files.items()
             if top_field(text, "round") == top_field(files[b], "round") and path not in (a, b))
    d = next(path for path, text in files.items()
             if top_field(text, "round") == top_field(files[a], "round") and path != a)
    cache = FileCache()
    assert _loaded(demo, cache) == _loaded(demo, None)
    edits = [
        (b, with_top_field(files[b], "title", "Et nytt navn")),
        # b's earlier version moved into b's own round: b, unchanged, is now wrong.
        (a, with_top_field(files[a], "round", top_field(files[b], "round"))),
        (a, files[a]),
        (b, with_top_field(files[b], "previous", "et-tiltak-som-ikke-finnes")),
        (b, files[b]),
        (a, with_top_field(files[a], "former_ids", f"[{top_field(files[c], 'id')}]")),  # a live measure's id
        (a, with_top_field(files[a], "former_ids", "[et-gammelt-navn]")),
        (c, with_top_field(files[c], "rank", "1")),
        (c, with_top_field(files[c], "rank", "99")),
        (c, files[c]),
        (b, with_top_field(files[b], "id", "et-nytt-id")),
        (b, files[b]),
        (c, files[c].replace("\nassessments:", "\nassessments: [", 1)),  # cannot be read
        (c, files[c]),
        (b, with_top_field(files[b], "round", top_field(files[a], "round"))),
        (b, files[b]),
        # b now follows d, and d moves into b's round: b is wrong, and a's move no longer matters.
        (b, with_top_field(files[b], "previous", top_field(files[d], "id"))),
        (d, with_top_field(files[d], "round", top_field(files[b], "round"))),
        (a, with_top_field(files[a], "round", top_field(files[b], "round"))),
        (d, files[d]),
        (a, files[a]),
        (b, files[b]),
        # c renamed between two loads: the same measure, from another file, then back.
        (c, None, c.with_name("nytt-navn.yml"), files[c]),
        (c.with_name("nytt-navn.yml"), None, c, files[c]),
    ]
    for step, saved in enumerate(edits):
        for path, text in zip(saved[::2], saved[1::2]):
            if text is None:
                path.unlink()
            else:
                path.write_text(text, encoding="utf-8")
            cache.forget([path])
        assert _loaded(demo, cache) == _loaded(demo, None), f"after edit {step}"
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")


def test_a_folder_the_watcher_reports_is_read_again_below_it(demo):
    """A save that keeps a file's size and time stamp (a quick second save, a tool that sets
    the time back) is seen only through the watcher, which may name the folder rather than the
    file: every file below that folder is then read again."""
    path = sorted((demo / "decisions" / "measures").rglob("*.yml"))[0]
    text = path.read_text(encoding="utf-8")
    stamp = path.stat()
    cache = FileCache()
    before = _loaded(demo, cache)
    try:
        # The title backwards: the same size, so only the watcher can tell.
        path.write_text(with_top_field(text, "title", top_field(text, "title")[::-1]), encoding="utf-8")
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert (path.stat().st_mtime_ns, path.stat().st_size) == (stamp.st_mtime_ns, stamp.st_size)
        assert _loaded(demo, cache) == before  # nothing told: the kept read stands
        cache.forget([path.parent.parent])  # the round's folder's parent: measures/
        assert _loaded(demo, cache) == _loaded(demo, None) != before
    finally:
        path.write_text(text, encoding="utf-8")
