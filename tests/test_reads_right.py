"""What read wrongly on the bundled examples, read again the way a citizen reads it (issue 28,
"Fix what reads wrongly today"), in both examples: Eksempelvik (bokmål, the repository itself)
and Exempelby (Swedish, examples/exempelby).

- "Under budsjettgrensen" reads in everyday Norwegian as "within budget": a measure stands
  *nedenfor* the funding line, and where it got nothing the page says so.
- One word for rationing per portal: no "Ransonert" beside "Rasjonering".
- On a phone the ranked list shows rank, measure and outcome without scrolling sideways, and the
  indicators their essential columns without blank gaps; the other columns are one tap away.
- The consequences of a cut come before the list of what was prioritised instead.
- The front page's latest decisions, and the fragment for the municipality's website, show
  decisions of every kind, not only the funded ones at the top of the ranking; a search result
  says what was decided.
- Every page, with its style sheet and scripts, weighs at most 40 KB; the search form is valid.

The browser tests use Debian's Chromium through Playwright (tests/browser.py): without it they
skip on a developer's machine and fail under CI.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import browser
from prioportal.cli import main

REPO = Path(__file__).resolve().parent.parent
# The third example, a region's priority lists, is held to the same page weight and valid HTML.
EXAMPLES = {"nb": REPO, "sv": REPO / "examples" / "exempelby", "region": REPO / "examples" / "region-mellanvik"}
BUDGET = 40 * 1024  # bytes: a page with its style sheet and scripts, uncompressed
PHONES = (320, 390)  # CSS pixels: the narrowest phones in use, and a common one


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The examples, built as `make site` builds them."""
    built = {}
    for lang, root in EXAMPLES.items():
        out = tmp_path_factory.mktemp(f"reads-right-{lang}") / "site"
        assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
        built[lang] = out
    return built


@pytest.fixture(scope="module")
def servers(sites):
    found = {lang: browser.LocalServer(site) for lang, site in sites.items()}
    yield found
    for server in found.values():
        server.close()


def read(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def as_published(page: BeautifulSoup) -> str:
    """The text a page says now: without its history of changes (what was once written, and what
    replaced it then, shown as it was)."""
    for earlier in page.select("section.history, del, ins"):
        earlier.decompose()
    return text_of(page)


def measures_of(lang: str) -> dict[str, dict]:
    return {d["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                 for p in (EXAMPLES[lang] / "decisions" / "measures").rglob("*.yml"))}


def rounds_of(lang: str) -> list[str]:
    return [yaml.safe_load(p.read_text(encoding="utf-8"))["id"]
            for p in sorted((EXAMPLES[lang] / "decisions" / "rounds").glob("*.yml"))]


# --- The funding line, said plainly ----------------------------------------------------------------

UNDER_THE_LINE = {"nb": r"\b(under|over)\s+budsjettgrens", "sv": r"\b(under|över)\s+budgetgräns"}
# What the list says beside a measure below the line, and what its page says: where it stands, and
# (where it got nothing) that it got no money.
BELOW = {"nb": ("nedenfor budsjettgrensen", "fikk ikke penger", "derfor fikk det ikke penger"),
         "sv": ("nedanför budgetgränsen", "fick inga pengar", "därför fick den inga pengar")}


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_no_page_says_a_measure_is_under_the_funding_line(sites, lang):
    said = [f"{p.relative_to(sites[lang])}: {m.group(0)!r}" for p in pages(sites[lang])
            for m in re.finditer(UNDER_THE_LINE[lang], as_published(read(p)), re.IGNORECASE)]
    assert not said, said[:5]


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_a_measure_below_the_line_says_where_it_stands_and_whether_it_got_money(sites, lang):
    below, nothing, so_nothing = BELOW[lang]
    checked = 0
    for round_id in rounds_of(lang):
        ranking = read(sites[lang] / "rounds" / round_id / "index.html")
        for row in ranking.select("table.ranking tbody tr.below"):
            tag = text_of(row.select_one(".below-tag"))
            granted = row.select("td.num")[-1].get_text(strip=True)
            assert below in tag, tag
            assert (nothing in tag) == (granted.startswith("0\u00a0")), (tag, granted)
            # The measure's page says the same, in a sentence.
            measure = read(sites[lang] / "rounds" / round_id / row.th.a["href"] / "index.html")
            why = measure.select_one("section.why")
            if why is not None:
                assert below in text_of(why)
                assert (so_nothing in text_of(why)) == (granted.startswith("0\u00a0")), text_of(why)[:200]
            checked += 1
    assert checked >= 6


# --- One word for rationing ------------------------------------------------------------------------

@pytest.mark.parametrize("lang, other_spelling", [("nb", r"ranson\w*"), ("sv", r"rasjon\w*")])
def test_every_page_uses_one_word_for_rationing(sites, lang, other_spelling):
    """The badge said "Ransonert" (the example's label, in Swedish spelling) beside the site's own
    "Rasjonering"; a page's history may still show the old word as removed."""
    said = [f"{p.relative_to(sites[lang])}: {m.group(0)!r}" for p in pages(sites[lang])
            for m in re.finditer(other_spelling, as_published(read(p)), re.IGNORECASE)]
    assert not said, said[:5]


# --- Consequences first ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_the_consequences_come_before_the_reasons_and_what_was_prioritised_instead(sites, lang):
    seen = 0
    for ident, data in measures_of(lang).items():
        if not data.get("outcome", {}).get("consequences"):
            continue
        html = (sites[lang] / "measures" / ident / "index.html").read_text(encoding="utf-8")
        consequences = html.index('id="consequences"')
        if 'class="why"' in html:
            assert consequences < html.index('class="why"'), ident
        if 'class="instead"' in html:
            assert consequences < html.index('class="instead"'), ident
            seen += 1
    assert seen >= 3


def test_on_a_phone_a_deprioritised_measure_shows_its_consequences_first(servers, chromium):
    ident = next(i for i, d in measures_of("nb").items()
                 if d["outcome"]["decision"] == "deprioritised" and d["round"] == "budsjett-2026")
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(servers["nb"].url(f"/measures/{ident}/"))
        top = page.evaluate("sel => document.querySelector(sel).getBoundingClientRect().top + scrollY", "#consequences")
        instead = page.evaluate("() => document.querySelector('ul.instead').getBoundingClientRect().top + scrollY")
        assert top < instead
    finally:
        context.close()


# --- The latest decisions and the search ----------------------------------------------------------

def badge_kinds(node) -> list[str]:
    return [next(c for c in b["class"] if c.startswith("badge-"))[6:] for b in node.select(".badge")]


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_the_front_page_shows_the_latest_decisions_of_every_kind(sites, lang):
    home = read(sites[lang] / "index.html")
    cards = home.select("#latest ~ .cards .card")
    shown = [kind for card in cards for kind in badge_kinds(card)]
    titles = [text_of(card.h3) for card in cards]
    newest = home.select_one("#latest ~ p a")["href"].strip("/").split("/")[-1]  # "See the whole ranked list"
    in_round = [d for d in measures_of(lang).values() if d["round"] == newest]
    kinds = {d["outcome"]["decision"] for d in in_round}
    assert len(cards) == min(8, len(in_round))
    assert set(shown) == kinds, (shown, kinds)  # every outcome, not only "funded"
    ranked = [d["title"] for d in sorted(in_round, key=lambda d: (d["rank"], d["title"].casefold()))]
    assert titles == [t for t in ranked if t in titles]  # in rank order


def test_the_fragment_for_the_municipal_website_shows_every_kind_too(sites):
    feed = json.loads((sites["nb"] / "feed.json").read_text(encoding="utf-8"))
    fragment = read(sites["nb"] / "embed" / "latest.html")
    shown = {text_of(o) for o in fragment.select(".prioportal-latest-outcome")}
    assert len(fragment.select("li")) == 10
    assert shown == {item["_prioportal"]["outcome_label"] for item in feed["items"]}


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_a_search_result_for_a_measure_says_what_was_decided(sites, lang):
    site = sites[lang]
    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    per = index["docs_per_file"]
    entries = [entry for n in range(0, index["docs"], per)
               for entry in json.loads((site / "search" / "docs" / f"{n // per}.json").read_text(encoding="utf-8"))]
    measures = {entry[0]: entry for entry in entries if entry[0].startswith("measures/")}
    assert len(measures) == len(measures_of(lang))
    for url, entry in measures.items():
        page = read(site / url / "index.html")
        outcome = text_of(page.select_one(".decision-box .badge"))
        round_title = text_of(page.select("nav.breadcrumbs li")[1])
        assert entry[3] == f"{outcome} · {round_title}", entry
    assert all(len(entry) == 3 for entry in entries if not entry[0].startswith("measures/"))


def test_a_preview_that_changes_only_an_outcome_makes_the_results_again():
    """After a save that changes a measure's outcome and nothing else of its text, the preview's
    index (SearchIndexer) gives the result's new note, as a cold build does."""
    from prioportal.exports.search import SearchEntry, SearchIndexer, search_files

    pages = [SearchEntry(f"measures/m{i}/", f"Tiltak {i}", f"Tekst {i}.", f"tiltak {i}", f"tiltak {i}",
                         "Fullt finansiert · Budsjett 2026") for i in range(120)]
    indexer = SearchIndexer()
    before = indexer.files(pages)
    pages[60] = pages[60]._replace(note="Nedprioritert · Budsjett 2026")
    after = indexer.files(pages)
    assert after == search_files(pages)
    assert {name for name in after if after[name] != before[name]} == {"search/docs/1.json"}
    assert json.loads(after["search/docs/1.json"])[10][3] == "Nedprioritert · Budsjett 2026"


def test_the_search_shows_the_outcome_beside_each_result(servers, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(servers["nb"].url("/search/?q=kulturskolen"))
        page.locator("#search .search-results li").first.wait_for(timeout=15_000)
        notes = page.locator("#search .search-results li .search-note").all_inner_texts()
        assert notes and all(re.search(r" · Budsjett 20\d\d$", note) for note in notes), notes
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_the_search_form_has_no_empty_action(sites, lang):
    form = read(sites[lang] / "search" / "index.html").select_one("#search form")
    assert form.get("action", "missing") != ""


# --- Page weight -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nb", "sv", "region"])
def test_every_page_with_its_style_sheet_and_scripts_weighs_at_most_40_kb(sites, lang):
    site = sites[lang]
    heavy, checked = [], 0
    for path in pages(site):
        page = read(path)
        if not page.select_one('body[class^="page-"]'):
            continue  # not a page of the theme: the editor for the municipality's staff, the fragment
        loaded = [link["href"] for link in page.select('link[rel="stylesheet"]')] + \
                 [script["src"] for script in page.select("script[src]")]
        # The 404 page links from the site's root, as a server shows it at any address.
        weight = path.stat().st_size + sum(((site / href.lstrip("/")) if href.startswith("/") else (path.parent / href))
                                           .resolve().stat().st_size for href in loaded)
        if weight > BUDGET:
            heavy.append(f"{path.relative_to(site)}: {weight} bytes")
        checked += 1
    assert not heavy, heavy
    assert checked >= 50
    # The open data is documented on pages that lead to each other: the downloads and the columns,
    # and the fields of each kind of decision file.
    overview = read(site / "open-data" / "index.html")
    for kind in ("criteria", "rounds", "measures"):
        fields = read(site / "open-data" / "fields" / kind / "index.html")
        assert overview.select_one(f'a[href="../open-data/fields/{kind}/"]') is not None
        assert fields.select_one('nav.breadcrumbs a[href="../../../open-data/"]') is not None


def test_both_open_data_pages_and_the_search_page_are_valid_html(sites):
    browser.require(browser.vnu_missing_reason() is None, browser.vnu_missing_reason() or "")
    files = [sites[lang] / relative for lang in sites
             for relative in ("open-data/index.html", "open-data/fields/criteria/index.html",
                              "open-data/fields/measures/index.html", "search/index.html")]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}: {m.get('message')}" for m in browser.run_vnu(files)
              if m.get("type") in ("error", "non-document-error")]
    assert errors == []


@pytest.mark.parametrize("relative", ["/open-data/", "/open-data/fields/measures/"])
def test_both_open_data_pages_pass_axe(servers, chromium, relative):
    """tests/test_accessibility.py checks one page of each template; these share one."""
    from axe_playwright_python.sync_playwright import Axe

    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for lang in servers:
            page.goto(servers[lang].url(relative))
            page.evaluate(Axe().axe_script)
            violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)",
                                       {"runOnly": {"type": "tag", "values": browser.WCAG_TAGS}})
            assert [v["id"] for v in violations] == [], (lang, relative)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, (lang, relative)
    finally:
        context.close()


# --- On a phone ------------------------------------------------------------------------------------

# Where the rank, measure and outcome cells of every row of the ranked list stand, and whether the
# page or the table scrolls sideways.
RANKING_JS = """() => {
  const table = document.querySelector('table.ranking');
  const region = table.closest('.table-scroll');
  const rows = [...table.querySelectorAll('tbody tr:not(.funding-line)')].map(tr =>
    [...tr.children].slice(0, 3).map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, r.width]; }));
  const rest = [...table.querySelectorAll('tbody tr:not(.funding-line) > :nth-child(n+4)')]
    .filter(c => c.getBoundingClientRect().width > 0).length;
  return {page: document.documentElement.scrollWidth, window: innerWidth, rows, rest,
          table: table.scrollWidth, region: region.clientWidth};
}"""


@pytest.mark.parametrize("lang", ["nb", "sv"])
@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_the_ranked_list_shows_rank_measure_and_outcome_without_scrolling_sideways(
        servers, chromium, lang, width):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for round_id in rounds_of(lang):
            page.goto(servers[lang].url(f"/rounds/{round_id}/"))
            shown = page.evaluate(RANKING_JS)
            where = f"{lang} {round_id} at {width} px"
            assert shown["page"] <= shown["window"], f"{where}: the page scrolls sideways"
            assert shown["table"] <= shown["region"], f"{where}: the table scrolls sideways ({shown['table']} px)"
            for cells in shown["rows"]:
                assert all(0 <= left and right <= width and w > 20 for left, right, w in cells), f"{where}: {cells}"
            assert shown["rest"] == 0, f"{where}: more than the essential columns are shown"
            # The rest is one tap away, and a screen reader hears that it opened.
            summary = page.locator("details.columns summary").first
            assert summary.is_visible()
            summary.click()
            assert page.locator("details.columns").first.get_attribute("open") is not None
            opened = page.evaluate(RANKING_JS)
            assert opened["rest"] == 4 * len(opened["rows"]), f"{where}: the other columns did not open"
            assert opened["page"] <= opened["window"], f"{where}: the open table pushes the page sideways"
    finally:
        context.close()


def test_on_a_desktop_every_column_is_shown_and_there_is_nothing_to_open(servers, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(servers["nb"].url("/rounds/budsjett-2026/"))
        shown = page.evaluate(RANKING_JS)
        assert shown["rest"] == 4 * len(shown["rows"])
        assert not page.locator("details.columns").first.is_visible()
    finally:
        context.close()


# Each row of the indicator tables: whether its essential cells are in view, and how much taller the
# row is than the tallest content of the cells in view (a blank gap, when a column out of view set
# the row's height).
INDICATORS_JS = """() => [...document.querySelectorAll('table.indicators tbody tr')].map(tr => {
  const row = tr.getBoundingClientRect();
  const cells = [...tr.children].filter(c => c.getBoundingClientRect().width > 0);
  const content = c => { const r = document.createRange(); r.selectNodeContents(c); return r.getBoundingClientRect().height; };
  return {inView: cells.every(c => c.getBoundingClientRect().right <= innerWidth),
          essential: [0, 2, 3, 4].every(i => tr.children[i].getBoundingClientRect().width > 0),
          gap: row.height - Math.max(...cells.map(content))};
})"""


@pytest.mark.parametrize("lang", ["nb", "sv"])
@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_the_follow_up_tables_fit_and_have_no_blank_gaps(servers, chromium, lang, width):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        checked = 0
        for round_id in rounds_of(lang):
            response = page.goto(servers[lang].url(f"/rounds/{round_id}/follow-up/"))
            if response is None or response.status != 200:
                continue
            rows = page.evaluate(INDICATORS_JS)
            where = f"{lang} {round_id} at {width} px"
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: the page scrolls sideways"
            assert all(r["inView"] and r["essential"] for r in rows), f"{where}: {rows}"
            # Cell padding and a line's leading are all that may be blank, not a line or more (a row
            # as tall as a column out of view made gaps of 250 px).
            assert max(r["gap"] for r in rows) < 32, f"{where}: gaps of {[round(r['gap']) for r in rows]} px"
            checked += len(rows)
        assert checked >= 10
    finally:
        context.close()
