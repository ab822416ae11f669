"""The browser editor end to end, as a communicator uses it: `prioportal serve` on a copy of the
bokmål example, /admin/ in Debian's Chromium driven by Playwright, the forms filled in by
keyboard and mouse, the files checked on disk, with git, and with `prioportal validate`.

One module, one preview, one browser: the editor's program takes a few seconds to start, and the
tests follow one another as a working session would (a new measure, then a changed rank, then
a form left half empty). With PRIOPORTAL_SCREENSHOTS=<folder> the pictures of the README's
guide are saved there as well (`make editor-screenshots`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

import browser
from gitrepo import git
from served import fetch, free_port, wait_for
from prioportal.settings_editor import BUNDLE, VENDOR

REPO = Path(__file__).resolve().parent.parent
ROUND, YEAR = "budsjett-2026", "2026"
NEW_ID = "leksehjelp-biblioteket"
OPTIONAL = " (valgfritt)"  # how the editor, in bokmål, marks a field that may be left empty
SHOTS = os.environ.get("PRIOPORTAL_SCREENSHOTS")


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "prioportal"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "prioportal"]


class Session:
    """A copy of the example portal in git, previewed, and the editor open in a browser."""

    def __init__(self, portal: Path):
        self.portal = portal
        self.port = free_port()
        self.process = subprocess.Popen([*_cli(), "-f", str(portal / "mkdocs.yml"), "serve", "-a",
                                         f"127.0.0.1:{self.port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()
        self.requests: list[str] = []
        self.violations: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def open(self, chromium):
        # The suite's one Chromium (conftest's `chromium`): a second Playwright in the same process
        # would find the first one's event loop running and refuse to start.
        self.browser = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        self.page = self.browser.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: "Content Security Policy" in message.text
                     and self.violations.append(message.text))
        self.page.goto(self.url("/admin/"))
        self.page.get_by_role("button", name="Logg inn").click(timeout=60_000)  # in the preview: no account, the working copy
        self.page.get_by_role("link", name=re.compile("Tiltak: Budsjett 2026")).first.wait_for(timeout=60_000)
        self.shoot("collections")
        return self.page

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def picture(self, name: str) -> str:
        """The page as it is now, for the message of a failed test."""
        path = self.portal.parent / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return f"the page is in {path}"

    def shoot(self, name: str, at=None) -> None:
        """A picture for the README's guide (only with PRIOPORTAL_SCREENSHOTS), with `at` at the top."""
        if SHOTS:
            # A notice of the last save fades after a few seconds; the picture waits for it.
            self.page.locator(".Toastify__toast").first.wait_for(state="detached", timeout=15_000)
            if at is not None:
                at.evaluate("element => element.scrollIntoView({block: 'start'})")
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / f"editor-{name}.png"))


@pytest.fixture(scope="module")
def session(tmp_path_factory, chromium):
    browser.require(all((VENDOR / BUNDLE.package / name).is_file() for name in BUNDLE.sha256),
                    "the editor's program is not vendored: run make editor")
    portal = tmp_path_factory.mktemp("editor") / "eksempelvik"
    for name in ("decisions", "content"):
        shutil.copytree(REPO / name, portal / name)
    shutil.copy(REPO / "mkdocs.yml", portal / "mkdocs.yml")
    (portal / "site_templates").mkdir()  # the portal overrides no template
    (portal / ".gitignore").write_text("site/\nsite_templates/\n", encoding="utf-8")
    git(portal, "init", "-q")
    git(portal, "add", "-A")
    git(portal, "commit", "-q", "-m", "Eksempelvik")
    running = Session(portal)
    try:
        assert wait_for(lambda: fetch(running.url("/admin/config.yml")), 60), "".join(running.lines)
        try:
            running.open(chromium)
            yield running
        finally:
            running.browser.close()
    finally:
        running.close()


# --- Finding the fields of a form as a communicator sees them: by their labels -----------------

def field(scope, label: str):
    """The field labelled `label` (a required field, or one the editor marks as optional) within
    `scope` (the page, or the section or list item a field belongs to)."""
    name = re.compile(rf"^{re.escape(label)}(?:{re.escape(OPTIONAL)})?$")
    return scope.locator("label").filter(has_text=name).first.locator("xpath=ancestor::div[@aria-label][1]")


def choose(page, scope, label: str, option: str) -> None:
    """Choose `option` in the select (or relation) field `label`."""
    field(scope, label).locator("input").first.click()
    page.get_by_role("option", name=option, exact=True).click()


def write(page, scope, label: str, text: str) -> None:
    """Type `text` into the field `label`: a line, a box of text or a Markdown editor."""
    target = field(scope, label)
    editable = target.locator("[contenteditable='true'], textarea, input").first
    if editable.get_attribute("contenteditable") == "true":  # the Markdown editor: typed as a person does
        editable.click()
        page.keyboard.type(text)
    else:
        editable.fill(text)


def publish(page) -> None:
    page.get_by_role("button", name="Publiser", exact=True).click()
    page.get_by_role("menuitem", name="Publiser nå").click()


def validate(portal: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*_cli(), "-f", str(portal / "mkdocs.yml"), "validate"], capture_output=True, text=True,
                          env={**os.environ, "LANGUAGE": "en"})


# --- The tests ----------------------------------------------------------------------------------

def test_a_measure_made_in_the_form_is_saved_validated_and_published(session):
    page, portal = session.page, session.portal
    page.goto(session.url(f"/admin/#/collections/measures-{ROUND}/new"))
    field(page, "Id").wait_for()
    write(page, page, "Id", NEW_ID)
    write(page, page, "Tittel", "Leksehjelp på biblioteket")
    write(page, page, "Sammendrag", "Elever får hjelp med leksene på biblioteket to dager i uka. "
                                    "Det er gratis og åpent for alle.")
    write(page, page, "Sektor", "Oppvekst og skole")
    write(page, page, "Tjenesteområde", "Bibliotek")
    choose(page, page, "Type", "Nytt behov")
    proposal = field(page, "Tiltaket")
    write(page, proposal, "Beskrivelse", "Frivillige og en bibliotekar gir leksehjelp to ettermiddager i uka.")
    write(page, proposal, "Sammenlignet med", "Ingen leksehjelp utenom skoletiden.")
    situation = field(page, "Situasjon")
    write(page, situation, "Slik er det nå", "Mange elever har ingen hjemme som kan hjelpe med leksene.")
    write(page, situation, "Målet", "Alle elever skal få den hjelpen de trenger for å lære.")
    assessments = field(page, "Vurdering")
    for criterion, level in (("Nytte", "Middels"), ("Ressurs", "Lav"), ("Alvorlighet", "Moderat")):
        one = field(assessments, criterion)
        choose(page, one, "Nivå", level)
        write(page, one, "Begrunnelse", f"{criterion}: {level.lower()}, ut fra tellingen blant elevene.")
    costs = field(page, "Kostnader")
    costs.get_by_role("button", name=re.compile("Add")).click()
    write(page, costs, "Beskrivelse", "Bibliotekar i 20 prosent stilling")
    choose(page, costs, "Type kostnad", "Løpende kostnad")
    field(costs, "År 1").locator("input").fill("150000")
    field(page, "Rang").locator("input").fill("10")
    outcome = field(page, "Utfall")
    choose(page, outcome, "Vedtak", "Fullt finansiert")
    write(page, outcome, "Hvorfor dette vedtaket", "Tiltaket er billig og hjelper mange elever.")
    session.shoot("new-measure", at=assessments)
    publish(page)

    saved = portal / "decisions" / "measures" / YEAR / f"{NEW_ID}.yml"
    assert wait_for(saved.is_file, 30), f"the editor saved no {saved.name}: {session.picture('not-saved')}"
    text = saved.read_text(encoding="utf-8")
    assert f"round: {ROUND}\n" in text and "level: middels" in text and "year_1: 150000" in text, text
    checked = validate(portal)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shown = wait_for(lambda: (html := fetch(session.url(f"/measures/{NEW_ID}/")))
                      and "Leksehjelp på biblioteket" in html and html, 30)
    assert shown, f"the preview does not show the new measure:\n{''.join(session.lines)}"
    assert "Tiltaket er billig og hjelper mange elever." in shown


def written_as_the_editor_writes(portal: Path) -> tuple[Path, dict]:
    """A ranked measure of the round whose file is written as the editor writes one: no comment
    (the editor drops them) and no list in brackets (it writes one item per line); the README
    says both. The example's files change, so the test looks for one rather than naming it."""
    for path in sorted((portal / "decisions" / "measures" / YEAR).glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if (data.get("round") == ROUND and isinstance(data.get("rank"), int)
                and not re.search(r"^\s*#|:\s*[\[{]", text, re.MULTILINE)):
            return path, data
    raise AssertionError("no measure of the example is written as the editor writes one")


def test_changing_a_rank_in_the_form_changes_that_one_line(session):
    page, portal = session.page, session.portal
    path, data = written_as_the_editor_writes(portal)
    before, after = data["rank"], data["rank"] + 1 if data["rank"] < 10 else data["rank"] - 1
    page.goto(session.url(f"/admin/#/collections/measures-{ROUND}"))  # the list, as a communicator goes
    page.get_by_role("link", name=re.compile(re.escape(data["title"]))).first.click()
    page.wait_for_function("id => document.querySelector('input[id^=\"id-field\"]')?.value === id", arg=data["id"])
    rank = field(page, "Rang").locator("input")
    assert rank.input_value() == str(before)
    rank.fill(str(after))
    session.shoot("edit-rank", at=field(page, "Kostnader"))
    publish(page)
    assert wait_for(lambda: f"\nrank: {after}\n" in path.read_text(encoding="utf-8"), 20), "the rank was not saved"
    changed = git(portal, "diff", "--numstat", "--", str(path.relative_to(portal)))
    assert changed.split()[:2] == ["1", "1"], git(portal, "diff")
    assert git(portal, "diff", "-U0").count(f"\n-rank: {before}\n+rank: {after}") == 1
    checked = validate(portal)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_page_written_in_the_editor_is_a_page_of_the_site(session):
    page, portal = session.page, session.portal
    page.goto(session.url("/admin/#/collections/pages"))
    page.goto(session.url("/admin/#/collections/pages/new"))
    field(page, "Tittel").wait_for()
    write(page, page, "Tittel", "Åpne møter")
    write(page, page, "Sidetekst", "Alle møtene i kommunestyret er åpne for alle.")
    publish(page)
    saved = portal / "content" / "apne-moter.md"
    assert wait_for(saved.is_file, 30), f"the editor saved no {saved.name}: {session.picture('page-not-saved')}"
    assert saved.read_text(encoding="utf-8").startswith("---\ntitle: Åpne møter\n")
    checked = validate(portal)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shown = wait_for(lambda: (html := fetch(session.url("/apne-moter/"))) and "kommunestyret er åpne" in html, 30)
    assert shown, "".join(session.lines)


def test_a_form_with_a_required_field_left_empty_cannot_be_saved(session):
    # Last of those that use the browser: it leaves a form with changes not saved, which the
    # editor would ask about before going elsewhere.
    page, portal = session.page, session.portal
    folder = portal / "decisions" / "measures" / YEAR
    files = sorted(folder.iterdir())
    page.goto(session.url(f"/admin/#/collections/measures-{ROUND}"))
    page.goto(session.url(f"/admin/#/collections/measures-{ROUND}/new"))
    field(page, "Id").wait_for()
    write(page, page, "Id", "uten-tittel")  # and no title, no summary, no assessments …
    publish(page)
    title = field(page, "Tittel")
    title.get_by_text(re.compile("påkrevd|required", re.I)).first.wait_for(timeout=10_000)
    session.shoot("required")
    time.sleep(1)  # what a save would have written by now
    assert sorted(folder.iterdir()) == files


def test_another_site_open_in_the_browser_cannot_save_through_the_preview(session):
    target = "decisions/measures/2026/fra-et-annet-nettsted.yml"
    body = ('{"action": "persistEntry", "params": {"dataFiles": [{"path": "%s", "raw": "id: x\\n", "slug": "x"}],'
            ' "assets": []}}' % target).encode()
    for origin, host in (("https://evil.example", f"127.0.0.1:{session.port}"),  # a page of another site
                         (f"http://evil.example:{session.port}", f"evil.example:{session.port}")):  # a name led here
        request = urllib.request.Request(session.url("/admin/api/v1"), data=body, method="POST", headers={
            "Content-Type": "application/json", "Origin": origin, "Host": host})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
    assert not (session.portal / target).exists()
    # The editor's page is served as built: no reload script that a save would set off.
    assert "preview" not in (fetch(session.url("/admin/")) or "").lower()


def test_the_editor_asks_nothing_of_other_sites_and_breaks_none_of_its_own_rules(session):
    """Over the whole session, the page loaded its program, its configuration and the files from
    the preview and nothing from elsewhere, and its Content-Security-Policy blocked nothing it
    needs (a violation is reported in the console)."""
    assert session.requests, "the editor made no request at all"
    assert all(url.startswith(session.url("/")) or url.startswith(("data:", "blob:")) for url in session.requests), \
        sorted(set(session.requests))
    assert not session.violations, session.violations
