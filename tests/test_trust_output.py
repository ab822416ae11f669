"""Trust in what a build does to the disk: it never destroys a source, replaces only a folder a
build made, and says what went wrong in plain words when the machine is the problem (exit 1,
never the "internal error" of a bug).

Each test looks at what a communicator sees: the exit code, the message, and the decision files
(and the site published before) still there.

What is and is not tested of the machine's faults: a read-only drive, a full disk and a drive
mounted at the site folder are real (a small tmpfs, mounted in a mount namespace of the test's
own with `unshare -m`, read-only by remounting it); those tests are skipped where the namespace
or the mount is not allowed. A refused permission is the kernel's "operation not permitted" for
a folder in /sys (tests run as root, for whom chmod takes nothing away), skipped where /sys lets
root make one; "permission denied" (EACCES) itself and a disk quota are tested only through
`os_fault`, with the error as the kernel would give it. `/dev/full` gives a real full disk to
`prioportal export`. Windows (no fcntl: msvcrt's lock) is not tested here.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from gate import need, need_program
from gitrepo import git
from portal_factory import MEASURE_FUNDED, PAGE_HOW, ROUND_2025, ROUND_2026, patch_file
from prioportal.build import site_folder
from prioportal.build.site_folder import SIGNATURE, foreign_entries, os_fault
from prioportal.cli import main
from prioportal.exports.zipped import zip_archive

CLI = Path(sys.executable).parent / "prioportal"
MKDOCS = Path(sys.executable).parent / "mkdocs"


def digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` (hidden ones and .git included) by its content."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str | Path, cwd: Path | None = None, program: Path = CLI) -> subprocess.CompletedProcess:
    return subprocess.run([str(program), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture
def portal(portal_dir) -> Path:
    """The test portal in a git repository of its own, with one commit."""
    git(portal_dir, "init", "-q")
    git(portal_dir, "add", "-A")
    git(portal_dir, "commit", "-q", "-m", "Første versjon", when="2025-01-15T10:00:00+01:00")
    return portal_dir


# --- 1. Never destroy a source -------------------------------------------------------------------

@pytest.mark.parametrize("site_dir, message", [
    ("decisions", "the site folder would be the folder of the decision files (decisions): a build replaces its site "
                  "folder whole, so every decision file would be deleted"),
    (".", "the site folder would be the portal's own folder (where mkdocs.yml is): a build replaces its site folder "
          "whole, so every decision file, page and setting of the portal, and its git history would be deleted"),
    ("..", "the site folder would hold the portal's own folder (where mkdocs.yml is)"),
    ("content", "the site folder would be the folder of the Markdown pages (content)"),
    ("site_templates", "the site folder would be the theme folder (site_templates)"),
    (".git", "the site folder would be the git history (.git)"),
    ("decisions/measures/site", "the site folder would lie inside the folder of the decision files (decisions)"),
    ("content/../decisions/", "the site folder would be the folder of the decision files (decisions)"),
])
def test_a_site_folder_that_is_holds_or_lies_inside_a_source_is_refused_before_anything_is_touched(
        portal, monkeypatch, capsys, site_dir, message):
    before = digest(portal.parent)
    monkeypatch.chdir(portal)
    assert main(["build", "--site-dir", site_dir]) == 1
    err = capsys.readouterr().err
    assert f"prioportal: --site-dir {Path(site_dir)}: {message}" in err
    assert "— choose a folder of its own for the site, e.g. --site-dir site" in err
    assert "internal error" not in err
    assert digest(portal.parent) == before  # every decision file, page and commit, and nothing added


def test_site_dir_in_mkdocs_yml_that_names_the_decisions_is_refused_at_its_line_by_mkdocs_build(portal):
    patch_file(portal, "mkdocs.yml", "docs_dir: content\n", "docs_dir: content\nsite_dir: decisions\n")
    before = digest(portal / "decisions")
    done = run("build", "-q", cwd=portal, program=MKDOCS)
    assert done.returncode == 1
    assert ("mkdocs.yml:5:1: the site folder (decisions) would be the folder of the decision files (decisions): "
            "a build replaces its site folder whole, so every decision file would be deleted — set site_dir to a "
            "folder of its own, e.g. site_dir: site") in done.stderr
    assert digest(portal / "decisions") == before


def test_a_setting_that_puts_the_decisions_where_the_site_goes_is_refused_at_its_line(portal, capsys):
    (portal / "decisions").rename(portal / "site")
    text = patch_file(portal, "mkdocs.yml", "decisions_dir: decisions", "decisions_dir: site")
    (portal / "mkdocs.yml").write_text(text.replace("  - decisions\n", "  - site\n"), encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "decisions_dir" in t)
    before = digest(portal / "site")
    assert main(["-f", str(portal / "mkdocs.yml"), "build"]) == 1
    err = capsys.readouterr().err
    assert (f"mkdocs.yml:{line}:7: the site folder (site) would be the folder of the decision files (site): a build "
            "replaces its site folder whole, so every decision file would be deleted — give decisions_dir a folder "
            "apart from the site's (site)") in err
    assert digest(portal / "site") == before


# --- 1. Replace only a folder a build made -------------------------------------------------------

@pytest.mark.parametrize("own, shown", [
    ({"rapport.docx": b"et utkast", "bilder/kart.png": b"png"}, "bilder/, rapport.docx"),
    ({".git/HEAD": b"ref: refs/heads/gh-pages\n", "index.html": b"<p>"}, "a git repository (.git)"),
    ({"index.html": b"<p>mitt eget nettsted</p>"}, "assets/style.css is not the stylesheet a build writes"),
])
def test_a_folder_holding_what_no_build_made_is_refused_and_kept(portal, tmp_path, capsys, own, shown):
    out = tmp_path / "eget"
    for name, data in own.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    before = digest(out)
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert (f"prioportal: --site-dir {out}: this folder holds what a prioportal build did not make ({shown}); "
            "a build replaces its site folder whole, so this would be lost — move those files elsewhere, or delete "
            "the folder yourself if nothing in it is needed, or build into another folder") in err
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eget", "portal"]  # no lock or half-built folder left


def test_a_site_a_build_made_an_empty_folder_and_desktop_clutter_are_replaced(portal, tmp_path, capsys):
    """No marker file is written: a site is known by its stylesheet's brand colours and by holding
    nothing at its top that a build does not make, as sites built before this rule do too."""
    out = tmp_path / "ut"
    out.mkdir()
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    assert SIGNATURE in (out / "assets" / "style.css").read_bytes()
    assert foreign_entries(out) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # nothing published beside the site
    (out / ".DS_Store").write_bytes(b"Finder")
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    assert (out / "index.html").is_file() and not (out / ".DS_Store").exists()
    # The same, by `mkdocs build` into the site `prioportal build` made.
    assert main(["-f", str(portal / "mkdocs.yml"), "build"]) == 0
    done = run("build", "-q", cwd=portal, program=MKDOCS)
    assert done.returncode == 0, done.stderr
    assert foreign_entries(portal / "site") == []


def test_a_site_folder_below_a_file_is_refused(portal, capsys):
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(portal / "mkdocs.yml" / "site")]) == 1
    err = capsys.readouterr().err
    assert f"'{portal / 'mkdocs.yml'}' is a file, not a folder — name a folder for the site" in err
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(portal / "mkdocs.yml")]) == 1
    assert "this is a file, not a folder" in capsys.readouterr().err
    assert (portal / "mkdocs.yml").is_file()


# --- 2. One build at a time ----------------------------------------------------------------------

def test_a_second_build_into_the_same_folder_says_one_is_running(portal, monkeypatch, capsys):
    config = str(portal / "mkdocs.yml")
    assert main(["-f", config, "build"]) == 0
    site = portal / "site"
    before = digest(site)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from prioportal.build.site_folder import site_lock\n"
         "with site_lock(Path(sys.argv[1])):\n    print('holding', flush=True); time.sleep(120)", str(site)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(site_folder, "LOCK_WAIT", 0.5)
        assert main(["-f", config, "build"]) == 1
        err = capsys.readouterr().err
        assert ("prioportal: site: another build is writing this site right now — wait until it has finished, "
                "then build again") in err
        assert digest(site) == before
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert main(["-f", config, "build"]) == 0
    assert not (portal / ".site.lock").exists()


def test_two_builds_started_together_both_end_plainly(portal):
    """The second waits for the first (up to LOCK_WAIT); neither deletes the other's folder."""
    builds = [subprocess.Popen([str(CLI), "-f", str(portal / "mkdocs.yml"), "build"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for build in builds:
        out, err = build.communicate(timeout=300)
        assert build.returncode == 0 or (build.returncode == 1 and "another build is writing this site" in err), err
        assert "internal error" not in err
    assert (portal / "site" / "index.html").is_file() and foreign_entries(portal / "site") == []


def test_waiting_for_the_lock_ends_when_the_other_build_does(tmp_path):
    """The second build waits rather than giving up at once."""
    site = tmp_path / "site"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from prioportal.build.site_folder import site_lock\n"
         "with site_lock(Path(sys.argv[1])):\n    print('holding', flush=True); time.sleep(1)", str(site)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with site_folder.site_lock(site, wait=60):
            waited = time.monotonic() - started
        assert 0.2 < waited < 60
    finally:
        holder.wait(timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- 2. Faults of the machine in plain words -----------------------------------------------------

def _own_tmpfs(mountpoint: Path, kib: int, script: str) -> subprocess.CompletedProcess:
    """Run the shell `script` with a tmpfs of `kib` KiB at `mountpoint`, in a mount namespace of
    its own (nothing outside sees it). Where that is not allowed the test skips on a developer's
    machine and fails under CI (tests/gate.py): CI runs as root, where it is."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    need_program("unshare", "util-linux")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{mountpoint}'"],
                           capture_output=True)
    need(probe.returncode == 0, "no mount namespace with a tmpfs here (run as root): "
         + probe.stderr.decode(errors="replace").strip())
    return subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size={kib}k tmpfs '{mountpoint}' && {script}"],
                          capture_output=True, text=True, timeout=600)


def test_a_full_disk_is_said_plainly_and_the_site_stays(portal, tmp_path):
    config = portal / "mkdocs.yml"
    assert main(["-f", str(config), "build", "--site-dir", str(tmp_path / "measure")]) == 0
    # Room for one site and less than half of another: a build needs both while it replaces one.
    pages = sum(-(-p.stat().st_size // 4096) for p in (tmp_path / "measure").rglob("*") if p.is_file())
    kib = pages * 4 * 14 // 10
    mnt, kept = tmp_path / "liten-disk", tmp_path / "kept"
    done = _own_tmpfs(mnt, kib, f"""
        '{CLI}' -f '{config}' build --site-dir '{mnt}/site' >/dev/null || exit 3
        cp -r '{mnt}/site' '{kept}-before'
        '{CLI}' -f '{config}' build --site-dir '{mnt}/site'; echo "exit=$?"
        cp -r '{mnt}/site' '{kept}-after'
        ls -A '{mnt}'""")
    assert done.returncode == 0, done.stderr
    assert "exit=1" in done.stdout
    assert "the disk is full (no space left on device); nothing was published and the site is as it was — make room " \
           "on the disk, or build into a folder on another disk (--site-dir), then build again" in done.stderr
    assert f"prioportal: {mnt}/site/" in done.stderr  # named as in the site, not as the hidden folder it was built in
    assert "internal error" not in done.stderr
    assert digest(Path(f"{kept}-after")) == digest(Path(f"{kept}-before"))
    assert done.stdout.split() == ["exit=1", "site"]  # nothing half-built or locked is left beside it


def test_a_read_only_drive_is_said_plainly_and_the_site_stays(portal, tmp_path):
    config = portal / "mkdocs.yml"
    mnt, kept = tmp_path / "skrivebeskyttet", tmp_path / "kept"
    done = _own_tmpfs(mnt, 65536, f"""
        '{CLI}' -f '{config}' build --site-dir '{mnt}/site' >/dev/null || exit 3
        cp -r '{mnt}/site' '{kept}-before'
        mount -o remount,ro '{mnt}' || exit 4
        '{CLI}' -f '{config}' build --site-dir '{mnt}/site'; echo "exit=$?"
        cp -r '{mnt}/site' '{kept}-after'""")
    assert done.returncode == 0, done.stderr
    assert "exit=1" in done.stdout
    assert (f"prioportal: {mnt}: this is on a drive that can only be read (read-only file system); nothing was "
            "published and the site is as it was — build into a folder on a drive you can write to (--site-dir), or "
            "ask whoever runs the machine to make it writable") in done.stderr
    assert digest(Path(f"{kept}-after")) == digest(Path(f"{kept}-before"))


def test_a_site_folder_where_a_drive_is_mounted_is_said_plainly(portal, tmp_path):
    """A container's volume, say: the folder itself cannot be replaced, a folder inside it can."""
    config = portal / "mkdocs.yml"
    mnt = tmp_path / "volum"
    done = _own_tmpfs(mnt, 65536, f"""
        '{CLI}' -f '{config}' build --site-dir '{mnt}'; echo "exit=$?"
        '{CLI}' -f '{config}' build --site-dir '{mnt}/site' >/dev/null; echo "inside=$?"
        ls -A '{mnt}' '{tmp_path}'""")
    assert done.returncode == 0, done.stderr
    assert (f"prioportal: {mnt}: this is in use, or a drive is mounted here (device or resource busy); nothing was "
            "published and the site is as it was — close what uses it, or build into a folder inside it "
            "(--site-dir …/site), then build again") in done.stderr
    assert "exit=1" in done.stdout and "inside=0" in done.stdout
    assert not [name for name in done.stdout.split() if name.startswith(".")]  # nothing left beside it or in it


def test_a_folder_prioportal_may_not_write_in_is_said_plainly(portal, capsys):
    try:
        os.mkdir("/sys/prioportal-probe")
    except PermissionError:
        pass
    except OSError as exc:
        need(False, f"/sys gives no permission error here: {exc}")
    else:
        os.rmdir("/sys/prioportal-probe")
        need(False, "root may make folders in /sys here")
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", "/sys/prioportal-test/site"]) == 1
    err = capsys.readouterr().err
    assert ("prioportal: /sys/prioportal-test: prioportal is not allowed to use this (permission denied); nothing was "
            "published and the site is as it was — build into a folder of your own (--site-dir), or ask whoever "
            "manages this one for access") in err
    assert (portal / "decisions").is_dir()


def test_an_export_to_a_full_disk_is_said_plainly(portal, capsys):
    need(os.path.exists("/dev/full"), "no /dev/full (a Linux machine has one)")
    assert main(["-f", str(portal / "mkdocs.yml"), "export", "--round", "budsjett-2025", "--format", "csv",
                 "--out", "/dev/full"]) == 1
    assert ("prioportal: /dev/full: the disk is full (no space left on device) — make room on the disk, or use a "
            "folder on another disk, then try again") in capsys.readouterr().err


@pytest.mark.parametrize("code, said", [
    (errno.ENOSPC, "the disk is full"), (errno.EDQUOT, "disk quota exceeded"), (errno.EROFS, "read-only file system"),
    (errno.EACCES, "permission denied"), (errno.EPERM, "permission denied"), (errno.EBUSY, "a drive is mounted here"),
    (errno.ENOENT, None), (errno.EIO, None),
])
def test_only_faults_of_the_machine_are_said_as_such(code, said):
    found = os_fault(OSError(code, os.strerror(code), "/srv/prio/.site.building-x1y2/rounds/index.html"), building=True)
    if said is None:
        assert found is None  # a missing file, a broken drive: not something the message could fix; exit 70
    else:
        assert found.startswith("/srv/prio/site/rounds/index.html: ") and said in found
        assert " — " in found and "nothing was published and the site is as it was" in found
    assert os_fault(ValueError("no")) is None


# --- 2. A page saved on Windows --------------------------------------------------------------------

def test_a_markdown_page_with_windows_line_ends_builds(portal, capsys):
    page = portal / PAGE_HOW
    text = page.read_text(encoding="utf-8")
    page.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert main(["-f", str(portal / "mkdocs.yml"), "build"]) == 0
    html = (portal / "site" / "slik-prioriterer-vi" / "index.html").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:")).split(":", 1)[1].strip()
    assert title in html
    assert "\r" not in html
    # A mistake in it is still reported at its own line.
    page.write_bytes(text.replace("order: 20", "order: først", 1).replace("\n", "\r\n").encode("utf-8"))
    assert main(["-f", str(portal / "mkdocs.yml"), "validate", "--no-cache"]) == 1
    err = capsys.readouterr().err
    assert f"{PAGE_HOW}:3:" in err and "no front matter" not in err


# --- 2. Dates far in the future --------------------------------------------------------------------

def _workbook(site: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO((site / "open-data" / next(
        p.name for p in (site / "open-data").iterdir() if p.suffix == ".xlsx")).read_bytes()))


def test_decisions_dated_far_ahead_build_everywhere(portal_dir, tmp_path, capsys, monkeypatch):
    """A round planned to 2206 and a placeholder 9999-12-31 are valid dates: the site, the
    workbook (whose zip entries can only be dated up to 2107) and the calendar all build."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    patch_file(portal_dir, ROUND_2026, "date: 2025-10-01", "date: 9999-12-31")
    patch_file(portal_dir, ROUND_2025, "meeting_date: 2024-12-12", "meeting_date: 2206-06-01")
    patch_file(portal_dir, MEASURE_FUNDED, "due: 2025-12-31", "due: 2206-12-31")
    config = str(portal_dir / "mkdocs.yml")
    assert main(["-f", config, "build"]) == 0, capsys.readouterr().err
    site = portal_dir / "site"
    with _workbook(site) as book:
        assert book.testzip() is None
        assert {info.date_time for info in book.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        assert b"9999-12-31T00:00:00Z" in book.read("docProps/core.xml")  # its own date is the true one
    calendar = (site / "calendar.ics").read_bytes()
    assert b"DTSTART;VALUE=DATE:99991231\r\nDURATION:P1D\r\n" in calendar
    assert main(["-f", config, "export", "--round", "budsjett-2026", "--out", str(tmp_path / "r.xlsx")]) == 0
    with zipfile.ZipFile(tmp_path / "r.xlsx") as book:
        assert book.testzip() is None


def test_a_commit_dated_far_ahead_gives_a_workbook_that_opens(portal_dir):
    git(portal_dir, "init", "-q")
    git(portal_dir, "add", "-A")
    when = datetime(2206, 6, 1, 12, tzinfo=timezone.utc)
    git(portal_dir, "commit", "-q", "-m", "Fra framtiden", when=f"@{int(when.timestamp())} +0000")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 0
    with _workbook(portal_dir / "site") as book:
        assert book.testzip() is None
        assert b"2206-06-01T12:00:00Z" in book.read("docProps/core.xml")


@pytest.mark.parametrize("when, stored", [
    ((2206, 1, 1, 0, 0, 0), (2107, 12, 31, 23, 59, 58)), ((9999, 12, 31, 0, 0, 0), (2107, 12, 31, 23, 59, 58)),
    ((1970, 1, 1, 0, 0, 0), (1980, 1, 1, 0, 0, 0)), ((2026, 5, 17, 12, 30, 10), (2026, 5, 17, 12, 30, 10)),
])
def test_a_zip_entry_gets_the_nearest_date_a_zip_can_hold(when, stored):
    with zipfile.ZipFile(io.BytesIO(zip_archive([("a.xml", [b"<a/>"])], when))) as archive:
        assert archive.infolist()[0].date_time == stored
        assert archive.read("a.xml") == b"<a/>"
