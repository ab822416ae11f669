"""Proof of what was published: each decided round's manifest of SHA-256 digests, checked by
`sha256sum -c` and by `prioportal verify`, against a copy of the site and against a fresh build
of the sources at the manifest's commit.

The portal is published in two languages with real git, built, and copied as an auditor would
download it; each test then changes the copy the way a forger (or a careless upload) would: one
byte, a file removed, a file added, a manifest rewritten to match a changed page. What verify
cannot prove is tested too: without the sources, a manifest rewritten to match passes.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gate import need_program
from gitrepo import git, publish_portal
from portal_factory import MEASURE_DEPRIORITISED, MKDOCS, patch_file, write_portal
from prioportal.cli import main
from prioportal.exports.manifests import file_digest, files_in, parse_manifest
from prioportal.site import urls

pytestmark = pytest.mark.usefixtures("git_program")  # real git; missing, it fails under CI

PUBLISHED = "2025-01-10T09:00:00+01:00"
DECIDED = "budsjett-2025"  # status follow_up, with a decision
UNDECIDED = "budsjett-2026"  # on consultation
MEASURE_PAGE = urls.file_of(urls.measure("kveldsapent-bibliotek-2025"))
MANIFEST = urls.round_manifest(DECIDED)


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


def named(said: str) -> list[str]:
    """The files verify names as not what was published (its lines `path: what`)."""
    return sorted(line.split(": ", 1)[0] for line in said.splitlines()
                  if ": " in line and not line.startswith(("verified", "not ", "and ", "the site was built")))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("verify")
    root = write_portal(base / "portal")
    patch_file(root, MKDOCS, "      municipality:", "      languages: [en]\n      municipality:")
    publish_portal(root, "Vedtakene publisert", when=PUBLISHED)
    code, said = run("-f", str(root / "mkdocs.yml"), "build")
    assert code == 0, said
    return {"root": root, "site": root / "site", "config": root / "mkdocs.yml"}


@pytest.fixture
def copy(published, tmp_path) -> Path:
    """A downloaded copy of the site, to change."""
    return Path(shutil.copytree(published["site"], tmp_path / "download"))


def verify(published, site: Path, *options: str) -> tuple[int, str]:
    return run("-f", str(published["config"]), "verify", str(site), *options)


def test_a_manifest_for_every_decided_round_in_every_language(published):
    site = published["site"]
    assert (site / MANIFEST).is_file() and (site / "en" / MANIFEST).is_file()
    assert not (site / urls.round_manifest(UNDECIDED)).exists()  # not decided: nothing to prove yet
    manifest = parse_manifest((site / MANIFEST).read_bytes())
    assert manifest.round == DECIDED and manifest.uncommitted is False
    assert manifest.commit == git(published["root"], "rev-parse", "HEAD")
    listed = set(manifest.digests)
    assert MANIFEST not in listed  # it does not list itself
    # Which files: every file in the round's folder, in its measures' folders (page and feed)
    # and in the open data; nothing of the other round or of the other language.
    expected = set(files_in(site, urls.round(DECIDED))) - {MANIFEST}
    for measure in ("styrket-hjemmetjeneste-2025", "praktisk-bistand-2025", "kveldsapent-bibliotek-2025"):
        expected |= {urls.file_of(urls.measure(measure)), urls.measure_feed(measure)}
    expected |= set(files_in(site, urls.open_data()))
    assert listed == expected
    assert urls.round_feed(DECIDED) in listed and urls.open_data_file("measures.csv") in listed
    assert not any(path.startswith("en/") or "2026" in path for path in listed)
    assert all(manifest.digests[path] == file_digest(site / path) for path in listed)
    assert all(path.startswith("en/") for path in parse_manifest((site / "en" / MANIFEST).read_bytes()).digests)


def test_the_same_commit_builds_the_same_manifest(published, tmp_path):
    again = tmp_path / "again"
    code, said = run("-f", str(published["config"]), "build", "--site-dir", str(again))
    assert code == 0, said
    assert (again / MANIFEST).read_bytes() == (published["site"] / MANIFEST).read_bytes()


def test_sha256sum_checks_a_manifest_from_the_site_root(published):
    sha256sum = need_program("sha256sum", "coreutils")
    for manifest in (MANIFEST, "en/" + MANIFEST):
        done = subprocess.run([sha256sum, "--check", "--strict", "--quiet", manifest], cwd=published["site"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_an_untouched_copy_is_verified_against_its_manifests_and_its_sources(published, copy):
    code, said = verify(published, copy)
    assert code == 0, said
    assert "verified" in said and "the sources at commit" in said
    assert git(published["root"], "worktree", "list").count("\n") == 0  # the temporary worktree is gone


def test_one_byte_changed_is_named(published, copy):
    data = bytearray((copy / MEASURE_PAGE).read_bytes())
    data[data.index(b"Kveld")] = ord("k")
    (copy / MEASURE_PAGE).write_bytes(bytes(data))
    code, said = verify(published, copy, "--without-sources")
    assert code == 1 and named(said) == [MEASURE_PAGE], said
    # sha256sum says the same.
    done = subprocess.run([need_program("sha256sum", "coreutils"), "--check", "--quiet", MANIFEST], cwd=copy,
                          capture_output=True, text=True)
    assert done.returncode == 1 and MEASURE_PAGE in done.stdout


def test_a_file_removed_and_a_file_added_are_named(published, copy):
    removed = urls.file_of(urls.round_follow_up(DECIDED))
    added = urls.round(DECIDED) + "kunngjoring.html"
    (copy / removed).unlink()
    (copy / added).write_text("<p>Tiltaket er likevel finansiert.</p>\n", encoding="utf-8")
    (copy / "en" / urls.round(DECIDED) / "extra").mkdir()
    (copy / "en" / urls.round(DECIDED) / "extra" / "page.html").write_text("x", encoding="utf-8")
    code, said = verify(published, copy, "--without-sources")
    assert code == 1
    assert named(said) == sorted([removed, added, "en/" + urls.round(DECIDED) + "extra/page.html"]), said


def test_a_manifest_rewritten_to_match_passes_alone_and_fails_against_the_sources(published, copy):
    """Without a signature a manifest can be rewritten by whoever can rewrite the site: verify
    says so; against a fresh build of the sources at the manifest's commit, the change shows."""
    page = copy / MEASURE_PAGE
    original = page.read_bytes()
    page.write_bytes(original.replace(b"Ikke prioritert", b"Fullt prioritert"))
    assert page.read_bytes() != original
    manifest = copy / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(rf"^[0-9a-f]{{64}}(  {re.escape(MEASURE_PAGE)})$", lambda m: file_digest(page) + m.group(1), text,
                  flags=re.MULTILINE)
    manifest.write_text(text, encoding="utf-8")

    code, said = verify(published, copy, "--without-sources")
    assert code == 0, said
    assert "not compared with the sources" in said and "can change its manifests too" in said

    code, said = verify(published, copy)
    assert code == 1 and named(said) == [MEASURE_PAGE], said
    assert "the sources at commit" in said


def test_a_manifest_removed_is_missed_alone_and_found_against_the_sources(published, copy):
    (copy / "en" / MANIFEST).unlink()
    code, said = verify(published, copy, "--without-sources")
    assert code == 0, said  # the other manifests hold
    code, said = verify(published, copy)
    assert code == 1 and named(said) == ["en/" + MANIFEST], said


def test_a_site_built_from_uncommitted_changes_cannot_be_verified_against_its_sources(published, tmp_path):
    root = Path(shutil.copytree(published["root"], tmp_path / "portal", ignore=shutil.ignore_patterns("site")))
    patch_file(root, MEASURE_DEPRIORITISED, "rank: 9\n", "rank: 8\n")
    code, said = run("-f", str(root / "mkdocs.yml"), "build")
    assert code == 0, said
    assert "# uncommitted changes: yes" in (root / "site" / MANIFEST).read_text(encoding="utf-8")
    code, said = run("-f", str(root / "mkdocs.yml"), "verify", str(root / "site"))
    assert code == 1 and MANIFEST in named(said) and "not committed" in said, said


def test_outside_a_checkout_only_the_manifests_are_checked(published, copy, tmp_path):
    code, said = run("-f", str(tmp_path / "mkdocs.yml"), "verify", str(copy))
    assert code == 0, said
    assert "not compared with the sources" in said


def test_a_folder_without_manifests_is_not_verified(published, tmp_path):
    (tmp_path / "empty").mkdir()
    code, said = verify(published, tmp_path / "empty")
    assert code == 1 and "no manifest" in said
