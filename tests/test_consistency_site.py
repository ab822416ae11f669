"""Konsistens on the site: history from real git, differences between years, and reproducible builds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gitrepo import git, publish_portal
from portal_factory import MEASURE_RATIONED, patch_file
from prioportal.cli import main
from prioportal.text.i18n import Translator

@pytest.fixture
def repo(portal_dir) -> Path:
    publish_portal(portal_dir, "Vedtak budsjett 2025 og 2026 publisert", when="2025-12-15T10:00:00+01:00")
    patch_file(portal_dir, MEASURE_RATIONED, "rank: 4\n", "rank: 3\n")
    git(portal_dir, "commit", "-q", "-am", "Rang rettet etter protokollen", when="2026-01-20T09:30:00+01:00")
    return portal_dir


def build(portal: Path, site: Path | None = None) -> int:
    args = ["-f", str(portal / "mkdocs.yml"), "build"]
    return main(args + (["--site-dir", str(site)] if site else []))


def read(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_measure_page_shows_when_it_was_published_and_what_changed(repo):
    assert build(repo) == 0
    page = read(repo / "site" / "measures" / "praktisk-bistand-2025" / "index.html")
    history = page.select_one("section.history")
    text = " ".join(history.get_text(" ").split())
    assert "15. desember 2025" in text        # first published
    assert "20. januar 2026" in text          # last changed
    # The commit message is the committer's, not the portal's: published only when the settings
    # say so (history.show_commit_messages); what changed in the field always is.
    assert "Rang rettet etter protokollen" not in text
    change = history.select_one(".change-lines li")
    assert " ".join(change.get_text(" ").split()) == "Rang: 4 → 3"
    head = git(repo, "rev-parse", "HEAD").strip()
    # The version the site was built from is for programs, not in the citizen's footer.
    assert head[:10] not in page.select_one("footer").get_text()
    assert page.select_one('meta[name="generator-source"]')["content"] == head


def test_a_second_type_is_shown_in_the_history_in_words(repo):
    patch_file(repo, MEASURE_RATIONED, "type: rationing\n", "type: [rationing, efficiency]\n")
    git(repo, "commit", "-q", "-am", "Også en effektivisering", when="2026-02-02T09:00:00+01:00")
    assert build(repo) == 0
    page = read(repo / "site" / "measures" / "praktisk-bistand-2025" / "index.html")
    change = page.select_one("section.history .change-lines li")
    assert " ".join(change.get_text(" ").split()) == "Type: Rasjonering → Rasjonering og effektivisering"
    facts = [" ".join(dd.get_text(" ").split()) for dd in page.select(".decision-box .facts dd")]
    assert "Rasjonering og effektivisering" in facts


def test_shallow_clone_and_plain_folder_build_and_say_history_is_missing(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    assert build(shallow) == 0
    footer = " ".join(read(shallow / "site" / "index.html").select_one("footer").get_text().split())
    partial = Translator("nb").gettext("Only the most recent history of changes is available for this build.")
    assert partial in footer
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git", "site"))
    assert build(plain) == 0
    page = read(plain / "site" / "measures" / "praktisk-bistand-2025" / "index.html")
    assert page.select_one("section.history .muted") is not None
    assert "rettet etter protokollen" not in page.get_text()


def test_same_commit_built_in_two_folders_at_different_times_is_byte_identical(repo, tmp_path):
    copies = []
    for name in ("a", "b"):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
        copies.append(clone)
    env_before = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
        assert build(copies[0]) == 0
        os.environ["SOURCE_DATE_EPOCH"] = "1800000000"
        assert build(copies[1]) == 0
    finally:
        if env_before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = env_before
    assert digest(copies[0] / "site") == digest(copies[1] / "site")


def test_round_difference_page_is_linked_from_both_rounds(repo):
    assert build(repo) == 0
    site = repo / "site"
    changes = site / "rounds" / "budsjett-2026" / "changes" / "index.html"
    assert changes.is_file()
    for round_id in ("budsjett-2025", "budsjett-2026"):
        page = read(site / "rounds" / round_id / "index.html")
        assert any(a["href"].endswith("budsjett-2026/changes/") for a in page.select("main a")), round_id
    text = read(changes).select_one("main").get_text(" ")
    assert "Styrket hjemmetjeneste" in text  # the measure that continued from 2025
    criteria_changes = site / "criteria" / "kriterier-2026" / "changes" / "index.html"
    assert read(criteria_changes).select_one("table.side-by-side caption") is not None


def test_openness_report_is_published_per_round(repo):
    assert build(repo) == 0
    page = read(repo / "site" / "rounds" / "budsjett-2025" / "openness" / "index.html")
    rows = page.select("table.checklist tbody tr")
    assert len(rows) == 6
    assert all(row.select_one(".check") for row in rows)


def test_diff_cli_compares_rounds_criteria_and_revisions(repo, capsys, no_language_in_environment):
    config = str(repo / "mkdocs.yml")
    assert main(["-f", config, "diff", "HEAD~1", "HEAD", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measures"]["changed"][0]["id"] == "praktisk-bistand-2025"
    assert main(["-f", config, "diff", "HEAD", "HEAD"]) == 0
    assert "Ingen forskjeller" in capsys.readouterr().out  # in the portal's language (nb)
    assert main(["-f", config, "diff", "budsjett-2025", "budsjett-2026", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Endringer fra Budsjett 2025 til Budsjett 2026")
    assert main(["-f", config, "diff", "kriterier-2025", "kriterier-2026"]) == 0
    assert "Forklaring på endringen" in capsys.readouterr().out
    assert main(["-f", config, "diff", "kriterier-2025", "no-such-thing"]) == 2
    assert "er verken en kriterieversjon, en prioriteringsrunde eller en git-revisjon" in capsys.readouterr().err
    assert main(["-f", config, "diff", "kriterier-2025", "budsjett-2026"]) == 2
