"""`prioportal serve` shows the problems of a save in the page itself, until they are fixed,
and a published build never holds that notice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal_factory import MEASURE_FUNDED
from prioportal.preview_pages import inject_problems
from prioportal.problems import Problem, T
from prioportal.text.i18n import Translator
from test_serve import MEASURE_URL, RunningPreview, fetch, wait_for

HEADING_NB = "Den siste lagringen har feil – nettstedet nedenfor er den siste versjonen uten dem"
GOOD_LEVEL = "    level: stor\n"
# A level no scale has, written as markup: the notice must show it as text.
BAD_LEVEL = '    level: "<i>enorm</i>"\n'
# The problem and its advice, in the portal's language (nb), as the page is.
ADVICE = "bruk en av disse: svaert-stor, stor, moderat, liten"


@pytest.fixture
def preview(tmp_path, portal_dir):
    running = RunningPreview(portal_dir, tmp_path / "tmp")
    running.wait_until_serving()
    yield running
    running.stop()


def alert(html: str):
    return BeautifulSoup(html, "html.parser").find(attrs={"role": "alert"})


def save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_with_problems_lists_them_on_the_page_until_they_are_fixed(preview, portal_dir, tmp_path):
    url = preview.url(MEASURE_URL)
    assert alert(fetch(url)) is None
    measure = portal_dir / MEASURE_FUNDED
    line = measure.read_text(encoding="utf-8").splitlines().index(GOOD_LEVEL.rstrip("\n")) + 1
    save(measure, GOOD_LEVEL, BAD_LEVEL)

    page = wait_for(lambda: (html := fetch(url)) and alert(html) is not None and html)
    assert page, f"no notice on the page:\n{preview.output}"
    notice = alert(page)
    assert notice.find("h2").get_text() == HEADING_NB  # the portal's language (nb), from the catalogue
    [problem] = [li.get_text() for li in notice.find_all("li")]
    assert problem.startswith(f"{MEASURE_FUNDED}:{line}:12: '<i>enorm</i>' er ikke et nivå på skalaen til 'alvorlighet'")
    assert problem.endswith(f" — {ADVICE}")
    assert notice.find("i") is None, "text from the file reached the page as markup"
    # The notice sits at the top of the body, above the last good version of the page.
    soup = BeautifulSoup(page, "html.parser")
    assert soup.body.find(True) is soup.find(attrs={"role": "alert"})
    assert "<h1>Styrket hjemmetjeneste</h1>" in page
    # Every page of the preview says so, the site's 404 page too.
    assert alert(fetch(preview.url("/"))) is not None
    assert alert(preview.raw_get("/finnes-ikke/")[2].decode("utf-8")) is not None

    save(measure, BAD_LEVEL, GOOD_LEVEL)  # back to the very bytes of the last good build
    fixed = wait_for(lambda: (html := fetch(url)) and alert(html) is None and html)
    assert fixed, f"the notice stayed after the fix:\n{preview.output}"
    assert "<h1>Styrket hjemmetjeneste</h1>" in fixed

    # The same portal built for publishing holds no notice, on any page.
    out = tmp_path / "published"
    cli = Path(sys.executable).parent / "prioportal"
    subprocess.run([str(cli), "-f", str(portal_dir / "mkdocs.yml"), "build", "--site-dir", str(out)],
                   check=True, capture_output=True)
    pages = list(out.rglob("*.html"))
    assert pages
    for built in pages:
        text = built.read_text(encoding="utf-8")
        assert HEADING_NB not in text and 'role="alert"' not in text and "prioportal-preview" not in text, built


def test_the_notice_is_in_each_pages_language():
    problem = Problem("decisions/a.yml", 3, 7, "a <b> problem", "write & save")
    translators = {"nb": Translator("nb"), "sv": Translator("sv")}
    swedish = inject_problems(b'<html lang="sv"><body class="x"><h1>T</h1></body></html>', [problem], translators)
    notice = alert(swedish.decode("utf-8"))
    assert notice.find("h2").get_text().startswith("Den senaste sparningen har fel")
    assert notice.find("li").get_text() == "decisions/a.yml:3:7: a <b> problem — write & save"
    assert swedish.startswith(b'<html lang="sv"><body class="x"><section class="notice" role="alert"')
    english = inject_problems(b'<html lang="de"><body></body></html>', [problem], {})
    assert b"The last save has problems" in english
    # A problem found by the checks is said in the page's language, its values as written.
    found = Problem("decisions/b.yml", 5, 1, T("unknown field '{name}'", name="titel"),
                    T("did you mean '{meant}'?", meant="title"))
    # (A page in a language the portal does not publish gets the portal's first, here bokmål.)
    for language, said in (("sv", "okänt fält 'titel' — menade du 'title'?"), ("nb", "ukjent felt 'titel' — mente du 'title'?"),
                           ("de", "ukjent felt 'titel' — mente du 'title'?")):
        page = inject_problems(f'<html lang="{language}"><body></body></html>'.encode(), [found], translators)
        assert alert(page.decode("utf-8")).find("li").get_text() == "decisions/b.yml:5:1: " + said, language
    page = inject_problems(b'<html lang="de"><body></body></html>', [found], {})
    assert alert(page.decode("utf-8")).find("li").get_text() == "decisions/b.yml:5:1: unknown field 'titel' — did you mean 'title'?"


def test_the_page_in_the_browser_shows_the_problems_by_itself(preview, portal_dir, browser_page):
    console: list[str] = []
    browser_page.on("console", lambda message: console.append(message.text))
    browser_page.goto(preview.url(MEASURE_URL))
    browser_page.wait_for_load_state("load")
    save(portal_dir / MEASURE_FUNDED, GOOD_LEVEL, BAD_LEVEL)
    notice = browser_page.get_by_role("alert")
    notice.get_by_text(ADVICE, exact=False).wait_for(timeout=20_000)
    assert browser_page.get_by_role("heading", name=HEADING_NB).is_visible()

    save(portal_dir / MEASURE_FUNDED, BAD_LEVEL, GOOD_LEVEL)
    notice.wait_for(state="detached", timeout=20_000)
    assert browser_page.locator("h1", has_text="Styrket hjemmetjeneste").is_visible()
    assert [text for text in console if "Content Security Policy" in text] == []
