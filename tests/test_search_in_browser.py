"""The search, used as a citizen uses it: in a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prioportal.text.i18n import Translator

REPO = Path(__file__).resolve().parent.parent
tr = Translator("nb")  # the language of the example and the demo portal


def test_searching_finds_a_measure_in_norwegian_with_the_page_s_own_policy(site_server, browser_page):
    violations: list[str] = []
    browser_page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    measure = yaml.safe_load((REPO / "decisions" / "measures" / "2026" / "lys-og-lyd-kulturhuset.yml").read_text(encoding="utf-8"))
    browser_page.goto(site_server.url("/search/"))
    field = browser_page.locator("#search input")
    field.wait_for(timeout=15_000)
    assert browser_page.locator("#search-fallback").is_hidden()  # the links are replaced by the search box
    field.fill("lydanlegg")  # a word from the title; the index stems Norwegian
    result = browser_page.locator(f'#search a[href*="measures/{measure["id"]}/"]').first
    result.wait_for(timeout=15_000)
    assert violations == []


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    import browser
    from prioportal.cli import main
    from prioportal.tools.demo.portal import write_demo_portal

    root = write_demo_portal(tmp_path_factory.mktemp("search-demo") / "portal", measures=300)
    assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    server = browser.LocalServer(root / "site")
    yield server
    server.close()


def test_many_results_are_announced_shown_ten_at_a_time_and_fetched_in_small_pieces(demo_server, browser_page):
    from search_client import search_site

    fetched: list[str] = []
    browser_page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(".json") else None)
    browser_page.goto(demo_server.url("/search/"))
    field = browser_page.get_by_label(tr.gettext("Search for a measure, a service or a word"))
    field.wait_for(timeout=15_000)
    field.fill("vann")
    field.press("Enter")
    expected = search_site(demo_server.directory, "vann")
    assert len(expected) > 10
    status = browser_page.locator("#search [role=status]")
    status.filter(has_text=tr.gettext("{count} pages match your search.").format(count=len(expected))).wait_for(timeout=15_000)
    links = browser_page.locator("#search .search-results a")
    links.nth(9).wait_for(timeout=15_000)
    assert links.count() == 10
    assert [a.get_attribute("href") for a in links.all()] == ["../" + url for url in expected[:10]]
    browser_page.get_by_role("button", name=tr.gettext("Show more results")).click()
    links.nth(10).wait_for(timeout=15_000)
    assert browser_page.evaluate("document.activeElement.getAttribute('href')") == "../" + expected[10]
    assert "?q=vann" in browser_page.url  # the query can be shared and bookmarked
    words = [url for url in fetched if "/search/words/" in url]
    assert len(words) == 1, words  # one small file for a one-word query, not the whole index
    total = sum(len((demo_server.directory / url.split("/", 3)[3]).read_bytes()) for url in fetched)
    assert total < 100_000, f"the search downloaded {total} bytes"


def test_a_query_that_matches_nothing_says_so(demo_server, browser_page):
    browser_page.goto(demo_server.url("/search/?q=zzzyxq"))
    browser_page.locator("#search [role=status]").filter(
        has_text=tr.gettext("No decisions or pages match your search.")).wait_for(timeout=15_000)
    assert browser_page.locator("#search .search-results li").count() == 0


def test_screenshots_of_the_main_page_types_at_phone_and_desktop_width(tmp_path, chromium):
    # Its own process: the script drives its own browser, as it does when run by hand for the README.
    result = subprocess.run([sys.executable, str(REPO / "tests" / "screenshots.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    files = sorted(tmp_path.glob("*.png"))
    # The reading test the README shows: a deprioritised and a rationed measure and a ranked list,
    # at phone width, in both bundled examples (bokmål and Swedish).
    assert {f.stem for f in files} >= {f"{lang}-{page}-phone" for lang in ("nb", "sv")
                                       for page in ("measure-deprioritised", "measure-rationed", "round")}
    for png in files:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png.name
