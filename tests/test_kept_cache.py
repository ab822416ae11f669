"""`prioportal build` with the kept cache (.prioportal-cache/) gives, byte for byte, the site a
cold build gives, after the edits a municipality makes between two publications; a cache that
is damaged, from another version or for another site is ignored, and the site is still right.

Each test builds the portal (a git repository, as every real one is) into `site`, edits it the
way a communicator does, commits, builds again into `site` with the cache, builds the same
files into another folder with --no-cache (nothing kept, nothing reused), and compares every
file of the two sites, the rounds' manifests included.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import git, publish_portal
from portal_factory import CRITERIA_V1, MEASURE_DEPRIORITISED, MEASURE_FUNDED, MKDOCS, patch_file, write_portal

from prioportal.build.kept_build import FOLDER
from prioportal.build.pipeline import BuildReport, build_from_config
from prioportal.tools.demo.portal import write_demo_portal


def every_difference(left: Path, right: Path) -> list[str]:
    """The files only in one site, and those whose bytes differ."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(left), files(right)
    return sorted([f"only in one: {name}" for name in a.keys() ^ b.keys()]
                  + [f"differs: {name}" for name in a.keys() & b.keys() if a[name].read_bytes() != b[name].read_bytes()])


class Portal:
    def __init__(self, root: Path, tmp_path: Path):
        self.root, self.tmp_path = root, tmp_path
        self.site = tmp_path / "site"
        self.colds = 0
        first = self.build()
        assert first.reused == 0

    def build(self) -> BuildReport:
        return build_from_config(self.root / MKDOCS, self.site)

    def publish(self, message: str, when: str = "2026-01-10T12:00:00+01:00") -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message, when=when)

    def rebuild_as_cold(self) -> BuildReport:
        """Build with the cache, then cold elsewhere; the two sites are the same, file for file."""
        warm = self.build()
        self.colds += 1
        cold_site = self.tmp_path / f"cold-{self.colds}"
        cold = build_from_config(self.root / MKDOCS, cold_site, cache=False)
        assert warm.pages == cold.pages and cold.reused == 0
        assert every_difference(self.site, cold_site) == []
        assert not (cold_site / FOLDER).exists()
        return warm

    @property
    def state(self) -> Path:
        return self.root / FOLDER / "build.json"


@pytest.fixture
def portal(tmp_path) -> Portal:
    root = write_portal(tmp_path / "portal")
    publish_portal(root, "Vedtak publisert", "2025-12-15T12:00:00+01:00")
    return Portal(root, tmp_path)


@pytest.fixture
def demo(tmp_path) -> Portal:
    root = write_demo_portal(tmp_path / "demo", 60, seed=5)
    git(root, "init", "-q")
    (root / ".gitignore").write_text("site/\n.prioportal-cache/\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Vedtak publisert", when="2025-12-15T12:00:00+01:00")
    return Portal(root, tmp_path)


def _measures(root: Path) -> list[Path]:
    return sorted((root / "decisions" / "measures").rglob("*.yml"))


def test_one_measure_edited_and_committed_renders_only_a_few_pages(demo):
    target = _measures(demo.root)[4]
    text = target.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    target.write_text(text.replace(title, title + " (endret)", 1), encoding="utf-8")
    demo.publish("Ny tittel")
    warm = demo.rebuild_as_cold()
    # Most pages are the last build's, though every page names the new commit.
    assert warm.reused > warm.pages * 0.6, warm
    assert warm.cache_ignored is None


def test_nothing_changed_reuses_every_page_that_does_not_show_the_whole_portal(demo):
    warm = demo.rebuild_as_cold()
    again = demo.build()
    assert again.reused == warm.reused > 0


def test_an_edit_not_yet_committed(demo):
    target = _measures(demo.root)[10]
    text = target.read_text(encoding="utf-8")
    rank = next(line for line in text.splitlines() if line.startswith("rank:"))
    target.write_text(text.replace(rank, "rank: 1", 1), encoding="utf-8")
    demo.rebuild_as_cold()
    demo.publish("Ny rangering")
    demo.rebuild_as_cold()


def test_a_criteria_change(portal):
    patch_file(portal.root, CRITERIA_V1, "    name: Alvorlighet\n", "    name: Alvorlighetsgrad\n")
    portal.publish("Nytt navn på et kriterium")
    portal.rebuild_as_cold()


def test_a_measure_file_renamed_and_one_deleted(demo):
    measures = _measures(demo.root)
    git(demo.root, "mv", str(measures[3]), str(measures[3].with_name("nytt-navn.yml")))
    demo.publish("Nytt filnavn")
    demo.rebuild_as_cold()
    (demo.root / MEASURE_DEPRIORITISED).unlink(missing_ok=True)
    measures[20].unlink()
    demo.publish("Et tiltak fjernet")
    demo.rebuild_as_cold()


def test_a_settings_change_renders_every_page_again(portal):
    patch_file(portal.root, MKDOCS, "site_name: ", "site_name: Nye ")
    portal.publish("Nytt navn på nettstedet")
    warm = portal.rebuild_as_cold()
    assert warm.reused == 0


@pytest.mark.parametrize("damage", ["truncated", "garbage", "another version", "another shape", "not json"])
def test_a_damaged_cache_is_ignored(portal, damage):
    patch_file(portal.root, MEASURE_FUNDED, "title: Styrket hjemmetjeneste\n", "title: Raskere hjemmetjeneste\n")
    portal.publish("Ny tittel")
    text = portal.state.read_text(encoding="utf-8")
    state = json.loads(text)
    if damage == "truncated":
        portal.state.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "garbage":
        portal.state.write_bytes(b"\x00\xff" * 100)
    elif damage == "another version":
        state["key"] = "0" * 64
        portal.state.write_text(json.dumps(state), encoding="utf-8")
    elif damage == "another shape":
        state["trees"][""]["pages"] = {name: "x" for name in state["trees"][""]["pages"]}
        portal.state.write_text(json.dumps(state), encoding="utf-8")
    else:
        portal.state.write_text("[1, 2", encoding="utf-8")
    warm = portal.rebuild_as_cold()
    assert warm.reused == 0
    assert warm.cache_ignored is not None
    assert portal.build().cache_ignored is None  # written afresh by the build that ignored it


def test_a_page_changed_in_the_site_folder_is_rendered_again(demo):
    """The site folder is checked against the digests kept, file by file: a page edited by hand
    (or damaged) there is not copied into the next site."""
    page = next(p for p in sorted(demo.site.rglob("*.html")) if "/measures/" in p.as_posix() or "tiltak" in p.as_posix())
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>lagt til</p></main>"), encoding="utf-8")
    demo.rebuild_as_cold()


def test_a_cache_for_another_site_folder_is_ignored(demo):
    elsewhere = demo.tmp_path / "elsewhere"
    build_from_config(demo.root / MKDOCS, elsewhere)  # the cache now describes `elsewhere`
    warm = demo.rebuild_as_cold()
    assert warm.cache_ignored is not None and warm.reused == 0


def test_no_cache_on_the_command_line_keeps_nothing(tmp_path):
    root = write_demo_portal(tmp_path / "demo", 12, seed=2)
    done = subprocess.run([sys.executable, "-m", "prioportal", "--language", "en", "-f", str(root / MKDOCS), "build",
                           "--no-cache"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (root / FOLDER).exists()
    again = [sys.executable, "-m", "prioportal", "--language", "en", "-f", str(root / MKDOCS), "build"]
    assert subprocess.run(again, capture_output=True, text=True).returncode == 0
    assert (root / FOLDER / "build.json").exists()
    done = subprocess.run(again, capture_output=True, text=True)
    assert "taken from the last build" in done.stdout, done.stdout
