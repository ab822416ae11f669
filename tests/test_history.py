"""The history of each page, read from a real git repository made in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import git
from portal_factory import (CRITERIA_V1, MEASURE_DEPRIORITISED, MEASURE_FUNDED, MEASURE_RATIONED, PAGE_HOW,
                            PORTAL_FILES, patch_file, write_portal)
from prioportal.sources import git_history as h

pytestmark = pytest.mark.usefixtures("git_program")  # real git; missing, it fails under CI

FIRST = "2025-01-10T09:00:00+01:00"
SECOND = "2025-03-01T12:00:00+01:00"
THIRD = "2025-06-15T08:30:00+02:00"
DECISIONS = sorted(p for p in PORTAL_FILES if p.startswith(("decisions/", "content/")))


def change_text(change) -> str:
    """A change as data, compactly: the path as the file writes it, old → new."""
    return f"{' › '.join(str(e) for e in change.path)}: {change.old} → {change.new}"


def commit(root: Path, message: str, date: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=date)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path, monkeypatch) -> dict:
    """The factory portal in git: published, then the library measure re-ranked twice."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find a repository above tmp_path
    root = write_portal(tmp_path / "repo")
    git(root, "init", "-q")
    first = commit(root, "Publiser budsjett 2025", FIRST)
    patch_file(root, MEASURE_DEPRIORITISED, "rank: 9\n", "rank: 5\n")
    patch_file(root, MEASURE_DEPRIORITISED, "decision: deprioritised\n", "decision: postponed\n")
    patch_file(root, PAGE_HOW, "title: Slik prioriterer vi\n", "title: Slik prioriterer kommunen\n")
    second = commit(root, "Biblioteket utsatt, ikke nedprioritert\n\nEtter høringen.", SECOND)
    patch_file(root, MEASURE_DEPRIORITISED, "rank: 5\n", "rank: 3\n")
    third = commit(root, "Rang justert etter budsjettseminaret", THIRD)
    return {"root": root, "commits": [first, second, third]}


def test_first_published_last_changed_and_messages(repo):
    history = h.read_history(repo["root"], DECISIONS)
    assert isinstance(history, h.History) and not history.partial
    library = history.file(MEASURE_DEPRIORITISED)
    assert library.complete
    assert library.first_published.hash == repo["commits"][0]
    assert library.first_published.date == FIRST
    assert library.first_published.timestamp == 1736496000  # 2025-01-10 08:00 UTC
    assert library.last_changed.date == THIRD
    assert [c.subject for c in library.commits] == [
        "Publiser budsjett 2025", "Biblioteket utsatt, ikke nedprioritert", "Rang justert etter budsjettseminaret"]
    # A file changed only by the first commit was last changed when it was first published.
    funded = history.file(MEASURE_FUNDED)
    assert funded.first_published == funded.last_changed
    assert funded.first_published.hash == repo["commits"][0]


def test_changes_are_field_by_field(repo):
    library = h.read_history(repo["root"], DECISIONS).file(MEASURE_DEPRIORITISED)
    added, second, third = library.versions
    assert (added.status, added.changes) == ("added", ())
    assert second.status == "modified"
    assert [change_text(c) for c in second.changes] == ["outcome › decision: deprioritised → postponed", "rank: 9 → 5"]
    assert [change_text(c) for c in third.changes] == ["rank: 5 → 3"]
    assert [v.commit.subject for v in library.previous_versions] == [
        "Rang justert etter budsjettseminaret", "Biblioteket utsatt, ikke nedprioritert"]


def test_markdown_pages_diff_their_front_matter(repo):
    page = h.read_history(repo["root"], [PAGE_HOW]).file(PAGE_HOW)
    assert [change_text(c) for c in page.versions[-1].changes] == [
        "title: Slik prioriterer vi → Slik prioriterer kommunen"]


def test_broken_yaml_deleted_files_and_never_committed_paths(repo):
    root = repo["root"]
    (root / MEASURE_RATIONED).write_text("id: [unclosed\n", encoding="utf-8")
    (root / CRITERIA_V1).unlink()
    commit(root, "Uhell", "2025-07-01T10:00:00+02:00")
    history = h.read_history(root, [MEASURE_RATIONED, CRITERIA_V1, "decisions/measures/ny.yml"])
    broken = history.file(MEASURE_RATIONED).versions[-1]
    assert (broken.status, broken.changes, broken.note) == ("modified", None, h.NOT_READABLE)
    assert history.file(CRITERIA_V1).versions[-1].status == "deleted"
    never = history.file("decisions/measures/ny.yml")
    assert never.versions == () and never.first_published is None and never.last_changed is None


def test_non_ascii_file_names_and_a_portal_in_a_subfolder(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    top = tmp_path / "kommune"
    portal = write_portal(top / "portal", {"decisions/measures/budsjett-2026/bølgebad.yml": "id: bølgebad\nrank: 2\n"})
    git(top, "init", "-q")
    commit(top, "Første", FIRST)
    patch_file(portal, "decisions/measures/budsjett-2026/bølgebad.yml", "rank: 2\n", "rank: 1\n")
    commit(top, "Andre", SECOND)
    file = h.read_history(portal, ["decisions/measures/budsjett-2026/bølgebad.yml"]).file(
        "decisions/measures/budsjett-2026/bølgebad.yml")
    assert [change_text(c) for c in file.versions[-1].changes] == ["rank: 2 → 1"]
    assert file.first_published.subject == "Første"


def test_shallow_clone_gives_partial_history(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo['root']}", str(clone))
    history = h.read_history(clone, DECISIONS)
    assert isinstance(history, h.History) and history.partial
    library = history.file(MEASURE_DEPRIORITISED)
    assert not library.complete and library.first_published is None
    assert library.earliest.subject == "Biblioteket utsatt, ikke nedprioritert"
    boundary, last = library.versions
    assert (boundary.status, boundary.changes, boundary.note) == ("unknown", None, h.BEFORE_CLONE)
    assert [change_text(c) for c in last.changes] == ["rank: 5 → 3"]
    assert library.last_changed.date == THIRD

    depth_one = tmp_path / "depth-one"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo['root']}", str(depth_one))
    only = h.read_history(depth_one, DECISIONS)
    assert only.partial
    assert all(not f.complete and len(f.versions) == 1 for f in only.files.values())


def test_a_folder_without_git_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = write_portal(tmp_path / "plain")
    result = h.read_history(root, DECISIONS)
    assert isinstance(result, h.Unavailable) and not result
    assert "not in a git repository" in result.reason
    assert h.source_commit(root) is None
    assert h.uncommitted_changes(root) is None
    missing = h.read_history(tmp_path / "does-not-exist", DECISIONS)
    assert isinstance(missing, h.Unavailable)


def test_git_missing_is_unavailable(repo, monkeypatch):
    monkeypatch.setenv("PATH", "")
    result = h.read_history(repo["root"], DECISIONS)
    assert result == h.Unavailable("git is not installed")
    assert h.source_commit(repo["root"]) is None


def test_a_repository_without_commits_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = write_portal(tmp_path / "fresh")
    git(root, "init", "-q")
    result = h.read_history(root, DECISIONS)
    assert isinstance(result, h.Unavailable) and "no commits" in result.reason


def test_source_commit_and_uncommitted_changes(repo):
    root = repo["root"]
    assert h.source_commit(root) == repo["commits"][-1]
    assert h.uncommitted_changes(root) is False
    (root / "mkdocs.yml").write_text("site_name: endret\n", encoding="utf-8")
    assert h.uncommitted_changes(root) is False  # only decisions/ and content/ count
    patch_file(root, MEASURE_FUNDED, "rank: 1\n", "rank: 2\n")
    assert h.uncommitted_changes(root) is True
    git(root, "checkout", "-q", "--", MEASURE_FUNDED)
    (root / "content" / "ny-side.md").write_text("---\ntitle: Ny\n---\nTekst.\n", encoding="utf-8")
    assert h.uncommitted_changes(root) is True  # an untracked page is an unpublished change


def test_history_is_deterministic_and_ignores_the_work_tree(repo):
    first = h.read_history(repo["root"], DECISIONS)
    patch_file(repo["root"], MEASURE_FUNDED, "rank: 1\n", "rank: 2\n")  # not committed
    second = h.read_history(repo["root"], list(reversed(DECISIONS)))
    assert first == second


def test_many_files_use_folder_pathspecs(repo):
    root = repo["root"]
    extra = {f"decisions/measures/budsjett-2026/tiltak-{i:03d}.yml": f"id: tiltak-{i:03d}\nrank: {1 + i % 10}\n"
             for i in range(150)}
    for relative, text in extra.items():
        (root / relative).write_text(text, encoding="utf-8")
    commit(root, "Mange tiltak", "2025-08-01T10:00:00+02:00")
    history = h.read_history(root, DECISIONS + sorted(extra))
    assert len(history.files) == len(DECISIONS) + 150
    assert history.file("decisions/measures/budsjett-2026/tiltak-149.yml").first_published.subject == "Mange tiltak"
    assert history.file(MEASURE_DEPRIORITISED).last_changed.date == THIRD
