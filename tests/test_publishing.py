"""Publishing the portal, and putting it into the municipality's own website.

The latest decisions as a fragment of HTML (`embed/latest.html`) a website can include, and as a
JSON Feed 1.1 (`feed.json`) its CMS can fetch; case numbers that link to the public record; the
accessibility statement as Norway (uustatus.no) and Sweden (DIGG) ask for it; a site published
under a sub-path of a plain web server; and the README's server examples, which must send the
same Content-Security-Policy the pages carry.

The factory portal's round 2025 is decided by the council on 2024-12-12 (case 2024/1432): home
care prioritised (rank 1), practical help rationed (rank 4), the library not prioritised (rank
9). Its round 2026 is out for consultation, with nothing decided.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import re
import threading
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

import browser
from portal_factory import MKDOCS, PORTAL_FILES, position, write_portal
from prioportal.cli import main
from prioportal.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://prioriteringer.testvik.kommune.no/"
ANCHOR = "      currency: NOK\n"
SETTINGS = """\
case_url: https://einnsyn.no/sok?q={case_number}
accessibility:
  last_tested: 2026-11-01
  status: partial
  known_issues: [Noen PDF-vedlegg mangler overskrifter]
  statement_url: https://uustatus.no/nb/erklaringer/publisert/0e2b5c3d-1f4a-4b6e-9c8d-7a6b5c4d3e2f
  last_reviewed: 2026-11-15
  evaluation: third_party
  exemptions: [Kart over skolevei fra før 2019]
  outside_scope: [Opptak av kommunestyremøter fra før 23. september 2020]
  enforcement_name: Myndigheten för digital förvaltning (DIGG)
  enforcement_url: https://www.digg.se/tdosanmalan
"""
DECIDED = ["styrket-hjemmetjeneste-2025", "praktisk-bistand-2025", "kveldsapent-bibliotek-2025"]


def with_options(options: str, base: str = PORTAL_FILES[MKDOCS]) -> str:
    """The factory's mkdocs.yml with `options` (indented as the plugin's options) after currency."""
    return base.replace(ANCHOR, ANCHOR + "".join(f"      {line}\n" for line in options.strip("\n").split("\n")))


def run(root: Path, *command: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-f", str(root / MKDOCS), *command])
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_portal(tmp_path_factory.mktemp("publishing") / "portal", {MKDOCS: with_options(SETTINGS)})
    code, said = run(root, "build")
    assert code == 0, said
    return root / "site"


def read(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def file_of(site: Path, url: str) -> Path:
    """The file a web server gives for an address of the site."""
    assert url.startswith(SITE_URL), url
    path = url[len(SITE_URL):].split("#")[0]
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


# --- The fragment -----------------------------------------------------------------------------

def test_the_fragment_lists_the_latest_decisions_with_their_outcome_and_a_link(site):
    fragment = read(site / "embed" / "latest.html")
    [section] = fragment.find_all(recursive=False)
    assert section.name == "section" and section["lang"] == "nb"
    assert section.h2.get_text() == "Siste vedtak" and section["aria-labelledby"] == section.h2["id"]
    items = section.select("ul > li")
    # Newest meeting first, then by rank; the round out for consultation has no decisions yet.
    assert [li.a["href"] for li in items] == [f"{SITE_URL}measures/{x}/" for x in DECIDED]
    assert [li.select_one(".prioportal-latest-outcome").get_text() for li in items] == [
        "Prioritert", "Rasjonert", "Ikke prioritert"]
    assert " ".join(items[0].get_text(" ").split()).endswith("Vedtatt av Kommunestyret 12. desember 2024.")
    for li in items:
        page = read(file_of(site, li.a["href"]))
        assert page.h1.get_text() == li.a.get_text()  # the link leads to that measure's page
    assert file_of(site, section.select("p > a")[-1]["href"]).is_file()  # every decision
    # Style-neutral and safe to include: nothing that styles, runs or loads anything.
    assert not fragment.select("script, style, link, img, iframe, [style]")
    assert not [a for a in fragment.find_all(True) if any(n.startswith("on") for n in a.attrs)]
    assert all(c.startswith("prioportal-") for tag in fragment.find_all(class_=True) for c in tag["class"])


def test_the_fragment_in_a_plain_page_is_valid_html_and_passes_axe(site, tmp_path, chromium):
    fragment = (site / "embed" / "latest.html").read_text(encoding="utf-8")
    page_file = tmp_path / "kommune.html"
    # A municipality's page in English around the Norwegian fragment: the section's lang says so.
    page_file.write_text('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                         "<title>Testvik municipality</title>\n</head>\n<body>\n<main>\n<h1>Testvik municipality</h1>\n"
                         f"{fragment}</main>\n</body>\n</html>\n", encoding="utf-8")
    browser.require(browser.vnu_missing_reason() is None, browser.vnu_missing_reason() or "")
    errors = [m for m in browser.run_vnu([page_file]) if m.get("type") in ("error", "non-document-error")]
    assert errors == []

    from axe_playwright_python.sync_playwright import Axe
    context = chromium.new_context(java_script_enabled=True)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri(), wait_until="load")
        page.evaluate(Axe().axe_script)
        violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)",
                                   {"runOnly": {"type": "tag", "values": browser.WCAG_TAGS}})
        assert [v["id"] for v in violations] == []
        # Three links a screen reader lists by their own names, and one more to every decision.
        names = page.evaluate("() => [...document.querySelectorAll('section a')].map(a => a.textContent)")
        assert len(names) == 4 and len(set(names)) == 4
    finally:
        context.close()


def test_without_site_url_the_fragment_links_from_its_own_folder(tmp_path):
    root = write_portal(tmp_path / "portal", {MKDOCS: PORTAL_FILES[MKDOCS].replace(f"site_url: {SITE_URL}\n", "")})
    assert run(root, "build")[0] == 0
    embed = root / "site" / "embed" / "latest.html"
    links = [a["href"] for a in read(embed).select("a")]
    assert links[0] == "../measures/styrket-hjemmetjeneste-2025/"
    for link in links:
        target = (embed.parent / link).resolve()
        assert (target / "index.html" if link.endswith("/") else target).is_file(), link


# --- The JSON Feed ----------------------------------------------------------------------------

def test_the_json_feed_is_a_json_feed_1_1_of_the_latest_decisions(site):
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    # What JSON Feed 1.1 requires of the feed and of every item.
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    ids = [item["id"] for item in feed["items"]]
    assert all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids)
    assert all(isinstance(item.get("content_text") or item.get("content_html"), str) for item in feed["items"])
    # What it recommends, and what a CMS needs to show each decision.
    assert feed["feed_url"] == SITE_URL + "feed.json" and (site / "feed.json").is_file()
    assert file_of(site, feed["home_page_url"]).is_file()
    assert feed["language"] == "nb" and feed["authors"] == [{"name": "Testvik kommune", "url": SITE_URL}]
    assert [item["url"] for item in feed["items"]] == [f"{SITE_URL}measures/{x}/" for x in DECIDED]
    for item in feed["items"]:
        assert file_of(site, item["url"]).is_file()
        assert datetime.fromisoformat(item["date_published"]).date().isoformat() == "2024-12-12"
        assert item["title"] == read(file_of(site, item["url"])).h1.get_text()
    first = feed["items"][0]
    assert first["content_text"].startswith("Prioritert: vedtatt av Kommunestyret 12. desember 2024.")
    assert first["tags"][0] == "Prioritert"
    assert first["_prioportal"] == {
        "measure": "styrket-hjemmetjeneste-2025", "round": "budsjett-2025", "outcome": "funded",
        "outcome_label": "Prioritert", "rank": 1, "decided_by": "Kommunestyret", "meeting_date": "2024-12-12",
        "case_number": "2024/1432", "case_url": "https://einnsyn.no/sok?q=2024/1432"}
    # Every page tells feed readers where it is.
    head = read(site / "index.html").select_one('link[type="application/feed+json"]')
    assert head is not None and head["href"] == "feed.json"


# --- Case numbers link to the public record ------------------------------------------------------

def test_every_case_number_links_to_the_public_record(site):
    for page in ("rounds/budsjett-2025/index.html", "process/index.html"):
        links = [a for a in read(site / page).select("a") if a.get_text() == "2024/1432"]
        assert [a["href"] for a in links] == ["https://einnsyn.no/sok?q=2024/1432"], page
    # A number is put in as written, with what would end or change the address encoded.
    settings = load_settings(site.parent / MKDOCS)
    assert settings.case_link("2024/14 32#a&b=c") == "https://einnsyn.no/sok?q=2024/14%2032%23a%26b%3Dc"


@pytest.mark.parametrize("value, says", [
    ("https://einnsyn.no/sok", "has no {case_number}"),
    ("javascript:alert('{case_number}')", "is not a web address"),
    ("https://einnsyn.no/sok?q={case_number}&x={other}", "braces that are not {case_number}"),
    ("'https://einnsyn.no/sok?q={case_number} '", "a space"),
])
def test_a_case_address_must_be_a_web_address_with_the_place_for_the_number(make_portal, value, says):
    config = with_options(f"case_url: {value}")
    root = make_portal({MKDOCS: config})
    code, said = run(root, "validate")
    assert code == 1
    line, column = position(config, "case_url:", len("case_url: "))
    [problem] = [p for p in said.splitlines() if p.startswith("mkdocs.yml:")]
    assert problem.startswith(f"mkdocs.yml:{line}:{column}: the setting is not valid: case_url: ") and says in problem


# --- The accessibility statement -----------------------------------------------------------------

def test_the_statement_in_uustatus_is_linked_from_every_footer_and_the_statement_page(site):
    statement = "https://uustatus.no/nb/erklaringer/publisert/0e2b5c3d-1f4a-4b6e-9c8d-7a6b5c4d3e2f"
    for page in ("index.html", "measures/praktisk-bistand-2025/index.html", "accessibility/index.html"):
        [link] = [a for a in read(site / page).select("footer a") if a["href"] == statement]
        assert link.get_text() == "Tilgjengelighetserklæring på uustatus.no"
    main_part = read(site / "accessibility" / "index.html").select_one("main")
    assert statement in [a["href"] for a in main_part.select("a")]


def test_the_statement_page_has_what_digg_requires(site):
    text = " ".join(read(site / "accessibility" / "index.html").select_one("main").get_text(" ").split())
    for said in ("Sist testet: 1. november 2026.",  # the date of the evaluation
                 "En uavhengig tredjepart har vurdert portalen.",  # how it was evaluated
                 "Noen PDF-vedlegg mangler overskrifter",  # what is not accessible
                 "Kart over skolevei fra før 2019",  # exempted: a disproportionate burden
                 "Opptak av kommunestyremøter fra før 23. september 2020",  # not covered by the law
                 "Erklæringen ble sist gjennomgått 15. november 2026."):  # when it was last reviewed
        assert said in text, said
    digg = read(site / "accessibility" / "index.html").select_one('main a[href="https://www.digg.se/tdosanmalan"]')
    assert digg is not None and digg.get_text() == "Myndigheten för digital förvaltning (DIGG)"


@pytest.mark.parametrize("setting, key, says", [
    ("statement_url: erklaering/", "statement_url:", "is not a web address"),
    ("statement_url: javascript:alert(1)", "statement_url:", "a javascript: address"),
    ("last_reviewed: 15.11.2026", "last_reviewed:", "is not a date"),
    ("evaluation: selv", "evaluation:", "selv"),
    ("last_reviewd: 2026-01-01", "last_reviewd:", "did you mean 'last_reviewed'"),
])
def test_the_statement_settings_are_checked_at_their_line(make_portal, setting, key, says):
    config = with_options(f"accessibility:\n  last_tested: 2026-01-01\n  {setting}")
    root = make_portal({MKDOCS: config})
    code, said = run(root, "validate")
    assert code == 1
    [problem] = [p for p in said.splitlines() if p.startswith("mkdocs.yml:")]
    line, _ = position(config, key)
    assert problem.startswith(f"mkdocs.yml:{line}:") and says in problem, problem


# --- A plain web server, under a sub-path ----------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def sub_path_server(make_portal, tmp_path):
    """The portal with site_url https://testvik.kommune.no/prioriteringer/, built into the folder
    prioriteringer/ of what a plain web server (Python's) serves at the root."""
    root = make_portal({MKDOCS: PORTAL_FILES[MKDOCS].replace(
        f"site_url: {SITE_URL}", "site_url: https://testvik.kommune.no/prioriteringer/")})
    served = tmp_path / "www"
    served.mkdir()
    assert run(root, "build", "--site-dir", str(served / "prioriteringer"))[0] == 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", served / "prioriteringer"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_a_site_under_a_sub_path_works_from_a_plain_web_server(sub_path_server):
    origin, site = sub_path_server
    local = lambda url: url.replace("https://testvik.kommune.no", origin)  # noqa: E731

    def resources(page_url: str, html: bytes) -> list[str]:
        soup = BeautifulSoup(html, "html.parser")
        found = [urljoin(page_url, tag["href"]) for tag in soup.select('link[rel="stylesheet"], link[rel="icon"]')]
        found += [urljoin(page_url, a["href"]) for a in soup.select("main a[href], nav a[href]")
                  if not urlsplit(a["href"]).scheme or a["href"].startswith("https://testvik.kommune.no/prioriteringer/")]
        return [local(u) for u in found]

    for path in ("/prioriteringer/", "/prioriteringer/rounds/budsjett-2025/", "/prioriteringer/404.html"):
        status, html = fetch(origin + path)
        assert status == 200, path
        for url in resources(origin + path, html):
            assert fetch(url)[0] == 200, f"{path} → {url}"
    # 404.html is shown at any address: its links are written from the site's path.
    not_found = BeautifulSoup(fetch(origin + "/prioriteringer/404.html")[1], "html.parser")
    assert not_found.select_one('link[rel="stylesheet"]')["href"] == "/prioriteringer/assets/style.css"
    # The feed, the fragment and the catalogue name addresses under the sub-path, which work.
    feed = json.loads(fetch(origin + "/prioriteringer/feed.json")[1])
    assert feed["feed_url"] == "https://testvik.kommune.no/prioriteringer/feed.json"
    assert all(fetch(local(item["url"]))[0] == 200 for item in feed["items"])
    fragment = BeautifulSoup(fetch(origin + "/prioriteringer/embed/latest.html")[1], "html.parser")
    assert all(fetch(local(a["href"]))[0] == 200 for a in fragment.select("a"))
    catalogue = fetch(origin + "/prioriteringer/open-data/catalog.ttl")[1].decode("utf-8")
    for url in re.findall(r"dcat:accessURL <([^>]+)>", catalogue):
        assert url.startswith("https://testvik.kommune.no/prioriteringer/open-data/") and fetch(local(url))[0] == 200


# --- The README's web server examples ------------------------------------------------------------

def test_the_readme_sends_the_content_security_policy_the_pages_carry():
    base = (REPO / "site_templates" / "base.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', base).group(1)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Publishing\n"):]
    section = section[:section.index("\n## ", 1)]
    nginx = re.findall(r'add_header Content-Security-Policy "([^"]+)"', section)
    apache = re.findall(r'Header always set Content-Security-Policy "([^"]+)"', section)
    assert nginx == [policy] and apache == [policy]
    assert "error_page 404" in section and "ErrorDocument 404" in section
    assert "fetch-depth: 0" in section and "git fetch --unshallow" in section
