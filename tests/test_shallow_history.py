"""A portal built from a shallow clone (`git clone --depth N`, the default checkout of most CI
services) says so, fails under --strict, and publishes no version or date it cannot know.

The repository is made in the test with real git: published on 2025-01-10, the home-care
measure re-ranked on 2025-03-01, the library measure re-ranked on 2025-06-15, and on
2025-09-01 a commit that touches only the README. A clone of depth 1 holds that last commit
alone, as if it had added every file; a clone of depth 3 holds the last three, its boundary
being the first re-ranking. Nothing from a boundary commit may show up as a change of a page,
as a date on it, or as an entry of a feed.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from gitrepo import git, publish_portal
from portal_factory import MEASURE_DEPRIORITISED, MEASURE_RATIONED, patch_file
from prioportal.cli import main

pytestmark = pytest.mark.usefixtures("git_program")  # real git; missing, it fails under CI

PUBLISHED = "2025-01-10T09:00:00+01:00"
RATIONED_RERANKED = "2025-03-01T12:00:00+01:00"
LIBRARY_RERANKED = "2025-06-15T08:30:00+02:00"
README_ONLY = "2025-09-01T14:00:00+02:00"


@pytest.fixture
def repo(portal_dir, monkeypatch) -> Path:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(portal_dir.parent))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (portal_dir / "README.md").write_text("Prioriteringer i Testvik kommune\n", encoding="utf-8")
    publish_portal(portal_dir, "Vedtakene publisert", when=PUBLISHED)
    patch_file(portal_dir, MEASURE_RATIONED, "rank: 4\n", "rank: 3\n")
    git(portal_dir, "commit", "-q", "-am", "Praktisk bistand: rang rettet", when=RATIONED_RERANKED)
    patch_file(portal_dir, MEASURE_DEPRIORITISED, "rank: 9\n", "rank: 8\n")
    git(portal_dir, "commit", "-q", "-am", "Biblioteket: rang rettet", when=LIBRARY_RERANKED)
    (portal_dir / "README.md").write_text("Prioriteringer i Testvik kommune, med lenker\n", encoding="utf-8")
    git(portal_dir, "commit", "-q", "-am", "README oppdatert", when=README_ONLY)
    return portal_dir


def clone(repo: Path, target: Path, depth: int | None) -> Path:
    git(target.parent, "clone", "-q", *(["--depth", str(depth)] if depth else []), f"file://{repo}", str(target))
    return target


def build(portal: Path, *options: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-f", str(portal / "mkdocs.yml"), "build", *options])
    return code, out.getvalue() + err.getvalue()


def history_of(site: Path, measure: str) -> BeautifulSoup:
    page = BeautifulSoup((site / "measures" / measure / "index.html").read_text(encoding="utf-8"), "html.parser")
    return page.select_one("section.history")


def days_on(section: BeautifulSoup) -> set[str]:
    return {t["datetime"] for t in section.select("time")}


def feed_days(site: Path) -> list[str]:
    return [entry.updated[:10] for entry in feedparser.parse((site / "feed.xml").read_bytes()).entries]


def test_a_build_in_a_shallow_clone_says_what_to_do_and_fails_under_strict(repo, tmp_path):
    shallow = clone(repo, tmp_path / "shallow", 1)
    code, said = build(shallow)
    assert code == 0, said
    [warning] = [line for line in said.splitlines() if "shallow clone" in line]
    assert warning.startswith(".git/shallow:1:1: warning: ")
    assert "git fetch --unshallow" in warning and "fetch-depth: 0" in warning
    assert "1 warning(s)" in said

    (shallow / "site").rename(tmp_path / "first-site")
    code, said = build(shallow, "--strict")
    assert code == 1
    assert "git fetch --unshallow" in said
    assert not (shallow / "site").exists()  # nothing published

    full = clone(repo, tmp_path / "full", None)
    code, said = build(full, "--strict")
    assert code == 0 and "shallow clone" not in said


def test_depth_one_shows_no_commit_and_no_date_the_clone_cannot_know(repo, tmp_path):
    shallow = clone(repo, tmp_path / "shallow", 1)
    assert build(shallow)[0] == 0
    site = shallow / "site"
    for measure in ("praktisk-bistand-2025", "kveldsapent-bibliotek-2025", "styrket-hjemmetjeneste-2025"):
        section = history_of(site, measure)
        text = section.get_text(" ")
        # The README commit touched no decision: it is no version of the page, and its day is
        # neither the day the measure was published nor the day it last changed.
        assert "README oppdatert" not in text
        assert not section.select(".versions > li")
        assert days_on(section) == set()
    # Not one feed entry: the clone knows no day on which any measure was published or changed.
    assert feed_days(site) == []
    # The open data and calendar are dated from the decisions, not by the README commit.
    assert "DTSTAMP:20250901" not in (site / "calendar.ics").read_text(encoding="utf-8")


def test_a_deeper_clone_shows_the_changes_after_its_boundary_and_nothing_of_the_boundary(repo, tmp_path):
    shallow = clone(repo, tmp_path / "shallow", 3)
    full = clone(repo, tmp_path / "full", None)
    assert build(shallow)[0] == 0 and build(full)[0] == 0
    site, whole = shallow / "site", full / "site"

    # The library's re-ranking came after the boundary: it is known, with its day and change.
    library = history_of(site, "kveldsapent-bibliotek-2025")
    [version] = library.select(".versions > li")
    assert " ".join(version.select_one(".change-lines li").get_text(" ").split()) == "Rang: 9 → 8"
    assert days_on(library) == {"2025-06-15"}  # last changed; the first publication is not known here
    assert days_on(history_of(whole, "kveldsapent-bibliotek-2025")) == {"2025-01-10", "2025-06-15"}

    # Home care was re-ranked by the boundary commit itself: the clone cannot tell what that
    # commit changed, so the page names neither the commit nor its day.
    rationed = history_of(site, "praktisk-bistand-2025")
    assert not rationed.select(".versions > li") and days_on(rationed) == set()

    # The feed holds the one entry the clone knows, dated by its commit; the full clone's
    # feed holds it too, with the same id, so a feed reader sees no new entry later.
    assert feed_days(site) == ["2025-06-15"]
    [entry] = feedparser.parse((site / "feed.xml").read_bytes()).entries
    assert entry.id in {e.id for e in feedparser.parse((whole / "feed.xml").read_bytes()).entries}
    # The calendar is dated by the newest commit of the decisions, as in the full clone (not by
    # the README commit that followed it).
    assert (site / "calendar.ics").read_bytes() == (whole / "calendar.ics").read_bytes()
