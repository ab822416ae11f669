"""`prioportal serve`: the preview a communicator watches while editing."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal_factory import MEASURE_FUNDED
from served import fetch, free_port, wait_for
from prioportal.preview_pages import inject_reload_script
from prioportal.serve import ChangeCollector, Watcher, is_editor_noise, parse_address

MEASURE_URL = f"/measures/{Path(MEASURE_FUNDED).stem}/"
TITLE = "title: Styrket hjemmetjeneste\n"


def test_preview_rebuilds_when_a_decision_file_is_saved(portal_dir):
    port = free_port()
    cli = Path(sys.executable).parent / "prioportal"
    server = subprocess.Popen([str(cli), "-f", str(portal_dir / "mkdocs.yml"), "serve", "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        measure = sorted((portal_dir / "decisions" / "measures").rglob("*.yml"))[0]
        url = f"http://127.0.0.1:{port}/measures/{measure.stem}/"
        first = wait_for(lambda: fetch(url))
        assert first is not None, "the preview did not start"
        assert "Endret tittel i forhåndsvisningen" not in first

        text = measure.read_text(encoding="utf-8")
        title_line = next(line for line in text.splitlines() if line.startswith("title:"))
        measure.write_text(text.replace(title_line, "title: Endret tittel i forhåndsvisningen", 1), encoding="utf-8")
        updated = wait_for(lambda: (page := fetch(url)) and "Endret tittel i forhåndsvisningen" in page and page)
        assert updated, "the preview did not rebuild after the YAML file was saved"
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- The preview as a process ---------------------------------------------------------------------

class RunningPreview:
    """`prioportal serve` in its own process on a free port, its output collected as it comes.

    TMPDIR points into the test's folder, so a test can see the preview folder come and go."""

    def __init__(self, portal_dir: Path, tmp_dir: Path):
        self.portal_dir = portal_dir
        self.tmp_dir = tmp_dir
        tmp_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        cli = Path(sys.executable).parent / "prioportal"
        self.process = subprocess.Popen(
            [str(cli), "-f", str(portal_dir / "mkdocs.yml"), "serve", "-a", f"127.0.0.1:{self.port}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "TMPDIR": str(tmp_dir)},
            # A test runner started in the background ignores Ctrl+C, and children inherit that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self._lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self._lines)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_serving(self) -> str:
        page = wait_for(lambda: fetch(self.url(MEASURE_URL)), seconds=30)
        assert page is not None, f"the preview did not start:\n{self.output}"
        return page

    def wait_for_output(self, pattern: str, seconds: float = 20.0) -> re.Match | None:
        return wait_for(lambda: re.search(pattern, self.output, re.MULTILINE), seconds)

    def raw_get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """GET with `path` sent exactly as given (urllib would normalise ../ away)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


@pytest.fixture
def start_preview(tmp_path):
    started: list[RunningPreview] = []

    def start(portal_dir: Path) -> RunningPreview:
        preview = RunningPreview(portal_dir, tmp_path / "tmp")
        started.append(preview)
        return preview
    yield start
    for preview in started:
        preview.stop()


@pytest.fixture
def preview(start_preview, portal_dir) -> RunningPreview:
    running = start_preview(portal_dir)
    running.wait_until_serving()
    return running


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_version(html: str) -> int:
    return int(re.search(r'<script src="/\.prioportal-preview/reload\.js" data-version="(\d+)" defer>', html)[1])


# --- Live reload ----------------------------------------------------------------------------------

def test_a_page_loads_the_reload_script_and_the_version_answers_after_a_save(preview, portal_dir):
    page = fetch(preview.url(MEASURE_URL))
    scripts = BeautifulSoup(page, "html.parser").find_all("script")
    assert [s["src"] for s in scripts] == ["/.prioportal-preview/reload.js"]
    assert all(s.get("src") and not s.string for s in scripts), "an inline script breaks the pages' CSP"
    version = page_version(page)

    status, headers, script = preview.raw_get("/.prioportal-preview/reload.js")
    assert status == 200
    assert headers["content-type"] == "text/javascript; charset=utf-8"
    assert b"location.reload()" in script and b"/.prioportal-preview/version?since=" in script

    answers: list[int] = []
    poll = threading.Thread(target=lambda: answers.append(
        json.loads(fetch_slowly(preview.url(f"/.prioportal-preview/version?since={version}")))["version"]))
    poll.start()
    time.sleep(1)
    assert poll.is_alive(), "the version answered before anything changed"
    replace_in(portal_dir / MEASURE_FUNDED, TITLE, "title: Lagret mens siden var åpen\n")
    poll.join(timeout=30)
    assert answers and answers[0] > version
    updated = fetch(preview.url(MEASURE_URL))
    assert "Lagret mens siden var åpen" in updated
    assert page_version(updated) == answers[0]
    # A page that is already current waits; one from before the save gets the new version at once.
    assert json.loads(fetch(preview.url(f"/.prioportal-preview/version?since={version}")))["version"] == answers[0]


def fetch_slowly(url: str) -> str:
    with urllib.request.urlopen(url, timeout=40) as response:
        return response.read().decode("utf-8")


def test_responses_are_never_cached_and_say_their_type(preview):
    for path, kind in [(MEASURE_URL, "text/html; charset=utf-8"), ("/sitemap.xml", "application/xml; charset=utf-8"),
                       ("/robots.txt", "text/plain; charset=utf-8")]:
        status, headers, _ = preview.raw_get(path)
        assert (status, headers["content-type"], headers["cache-control"]) == (200, kind, "no-store"), path


def test_the_reload_script_goes_before_the_last_body_end_tag_of_a_page():
    assert inject_reload_script(b"<html><body><p>x</p></BODY>\n</html>", 7) == (
        b'<html><body><p>x</p><script src="/.prioportal-preview/reload.js" data-version="7" defer></script>'
        b"</BODY>\n</html>")
    assert inject_reload_script(b"<p>no body</p>", 3).endswith(b'data-version="3" defer></script>')


# --- Problems in the portal's files ---------------------------------------------------------------

def test_a_file_with_problems_keeps_the_last_good_page_and_says_where_the_problem_is(preview, portal_dir):
    measure = portal_dir / MEASURE_FUNDED
    good = measure.read_text(encoding="utf-8")
    measure.write_text(good.replace(TITLE, 'title: "Et sitat som aldri slutter\n', 1), encoding="utf-8")
    found = preview.wait_for_output(r"^(\S+\.yml):(\d+):(\d+): .+\n.*keeps showing the last good version")
    assert found, f"no problem reported:\n{preview.output}"
    assert found[1].endswith(Path(MEASURE_FUNDED).name)
    page = fetch(preview.url(MEASURE_URL))
    assert "<h1>Styrket hjemmetjeneste</h1>" in page

    measure.write_text(good.replace(TITLE, "title: Rettet og lagret\n", 1), encoding="utf-8")
    assert wait_for(lambda: "<h1>Rettet og lagret</h1>" in (fetch(preview.url(MEASURE_URL)) or "")), preview.output


def test_a_portal_with_problems_at_start_shows_a_notice_until_they_are_fixed(start_preview, portal_dir):
    measure = portal_dir / MEASURE_FUNDED
    good = measure.read_text(encoding="utf-8")
    measure.write_text(good.replace(TITLE, "title: [ikke lukket\n", 1), encoding="utf-8")
    running = start_preview(portal_dir)
    assert running.wait_for_output(r"^\S+\.yml:\d+:\d+: "), running.output
    status, _, body = running.raw_get(MEASURE_URL)
    assert status == 503 and b"/.prioportal-preview/reload.js" in body

    measure.write_text(good, encoding="utf-8")
    assert wait_for(lambda: running.raw_get(MEASURE_URL)[0] == 200), running.output


def test_a_bad_mkdocs_yml_is_reported_without_a_traceback(start_preview, portal_dir):
    replace_in(portal_dir / "mkdocs.yml", "language: nb", "language: xx")
    running = start_preview(portal_dir)
    assert running.process.wait(timeout=30) == 1
    running._reader.join(timeout=5)
    assert "mkdocs.yml" in running.output and "Traceback" not in running.output


# --- Addresses --------------------------------------------------------------------------------------

def test_unknown_addresses_and_paths_out_of_the_site_are_not_found(preview):
    status, _, body = preview.raw_get("/finnes-ikke/")
    assert status == 404
    assert "Fant ikke siden" in body.decode("utf-8")  # the site's own 404.html
    assert b"/.prioportal-preview/reload.js" in body
    for path in ["/../../etc/passwd", "/measures/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                 "/..%2f..%2fetc%2fpasswd", "/.prioportal-preview/../../etc/passwd"]:
        status, _, body = preview.raw_get(path)
        assert status == 404, path
        assert b"root:" not in body, path


def test_a_folder_without_its_slash_leads_to_the_slash_form(preview):
    status, headers, _ = preview.raw_get(MEASURE_URL.rstrip("/") + "?fra=lenke")
    assert status == 301
    assert headers["location"] == MEASURE_URL + "?fra=lenke"


@pytest.mark.parametrize("address, expected", [
    ("127.0.0.1:8000", ("127.0.0.1", 8000)),
    ("localhost:8001", ("localhost", 8001)),
    ("[::1]:8002", ("::1", 8002)),
    ("0.0.0.0", ("0.0.0.0", 8000)),
])
def test_addresses_to_serve_on(address, expected):
    assert parse_address(address) == expected


# --- Stopping ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_stopping_exits_0_and_removes_the_preview_folder(preview, signum):
    assert list(preview.tmp_dir.glob("prioportal-preview-*")), "the preview is not served from a temporary folder"
    assert not (preview.portal_dir / "site").exists()
    assert preview.stop(signum) == 0, preview.output
    assert list(preview.tmp_dir.glob("prioportal-preview-*")) == []
    assert "Traceback" not in preview.output


# --- Watching ---------------------------------------------------------------------------------------

def test_changes_are_collected_without_editor_and_git_files(tmp_path):
    folder = tmp_path / "decisions"
    (folder / ".git").mkdir(parents=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "other.yml").write_text("", encoding="utf-8")
    collector = ChangeCollector()
    watcher = Watcher(collector)
    watcher.start([folder, config])
    stopper = threading.Timer(20, collector.close)  # never hang the test run
    stopper.start()
    try:
        time.sleep(0.2)  # let inotify's watches settle
        for noise in ["tiltak.yml~", ".#tiltak.yml", ".tiltak.yml.swp", ".tiltak.yml.swx", "4913", ".git/index"]:
            (folder / noise).write_text("x", encoding="utf-8")
        (tmp_path / "other.yml").write_text("changed", encoding="utf-8")  # beside mkdocs.yml, not watched
        (folder / "tiltak.yml.tmp").write_text("title: x\n", encoding="utf-8")
        (folder / "tiltak.yml.tmp").replace(folder / "tiltak.yml")  # how many editors save
        config.write_text("site_name: y\n", encoding="utf-8")
        seen: set[Path] = set()
        while not {folder / "tiltak.yml", config} <= seen:
            batch = collector.next_batch()
            assert batch is not None, f"not every change arrived; seen: {sorted(seen)}"
            seen |= batch
    finally:
        stopper.cancel()
        watcher.stop()
    assert seen <= {folder / "tiltak.yml", folder / "tiltak.yml.tmp", config}


def test_editor_and_git_files_are_noise():
    for name in ["a.yml~", ".#a.yml", ".a.yml.swp", ".a.yml.swx", "4913", ".git/HEAD", "x/.git/objects/ab"]:
        assert is_editor_noise(Path(name)), name
    for name in ["a.yml", "content/index.md", "gitignore.md"]:
        assert not is_editor_noise(Path(name)), name


def test_changes_saved_close_together_come_as_one_batch():
    collector = ChangeCollector(quiet=0.2, longest=5)
    collector.add([Path("/a.yml")])
    threading.Timer(0.05, collector.add, [[Path("/b.yml")]]).start()
    assert collector.next_batch() == {Path("/a.yml"), Path("/b.yml")}
    collector.close()
    assert collector.next_batch() is None


# --- In a real browser ------------------------------------------------------------------------------

def test_the_page_in_the_browser_shows_a_saved_change_by_itself(preview, portal_dir, browser_page):
    console: list[str] = []
    browser_page.on("console", lambda message: console.append(message.text))
    browser_page.goto(preview.url(MEASURE_URL))
    browser_page.locator("h1", has_text="Styrket hjemmetjeneste").wait_for(timeout=15_000)
    browser_page.wait_for_load_state("load")

    replace_in(portal_dir / MEASURE_FUNDED, TITLE, "title: Vist uten å laste siden på nytt selv\n")
    browser_page.locator("h1", has_text="Vist uten å laste siden på nytt selv").wait_for(timeout=20_000)
    assert browser_page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
    assert [text for text in console if "Content Security Policy" in text] == []
