"""Listings cut into pages: a citizen reaches every measure, and no page grows with the portal."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from prioportal.cli import main
from prioportal.tools.demo.portal import write_demo_portal
from prioportal.text.i18n import Translator
from prioportal.site.listings import Pagination, paginate
from prioportal.site.measure_views import INSTEAD_SHOWN
from search_client import indexed_urls

PAGE_SIZE = 10
tr = Translator("nb")  # the demo portal's language


def demo(folder: Path, measures: int, page_size: int | None = None) -> Path:
    write_demo_portal(folder, measures=measures)
    if page_size is not None:
        config = folder / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("      currency: NOK\n",
                                       f"      currency: NOK\n      listing_page_size: {page_size}\n"),
                          encoding="utf-8")
    return folder


def build(portal: Path, site: Path) -> Path:
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory) -> tuple[Path, Path]:
    """A demo portal of two rounds of 60 measures, with ten entries per listing page."""
    portal = demo(tmp_path_factory.mktemp("paged") / "portal", 120, PAGE_SIZE)
    return portal, build(portal, portal.parent / "site")


def read(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def follow_pages(site: Path, first_url: str) -> list[tuple[str, BeautifulSoup]]:
    """Every page of a listing, reached the way a reader does: the "next page" link, from page 1."""
    pages, url = [], first_url
    while url is not None:
        soup = read(site, url)
        pages.append((url, soup))
        nxt = next((a for a in soup.select("nav.pagination a") if tr.gettext("Next page") in a.get_text()), None)
        url = None
        if nxt is not None:
            depth = url_depth(pages[-1][0])
            url = nxt["href"][len("../" * depth):]
    return pages


def url_depth(url: str) -> int:
    return url.count("/")


def round_ids(portal: Path) -> list[str]:
    return sorted(p.stem for p in (portal / "decisions" / "rounds").glob("*.yml"))


def measures_of(portal: Path, round_id: str) -> set[str]:
    return {p.stem for p in (portal / "decisions" / "measures").rglob("*.yml")
            if re.search(rf"^round: {round_id}$", p.read_text(encoding="utf-8"), re.M)}


def test_a_citizen_reaches_every_measure_of_a_round_and_ranks_continue(small_pages):
    portal, site = small_pages
    for round_id in round_ids(portal):
        pages = follow_pages(site, f"rounds/{round_id}/")
        assert len(pages) == 6, round_id  # 60 measures, 10 a page
        seen, ranks, lines = [], [], 0
        for _, soup in pages:
            rows = soup.select("table.ranking tbody tr.above, table.ranking tbody tr.below")
            assert 0 < len(rows) <= PAGE_SIZE
            seen += [row.select_one("th a")["href"].rstrip("/").rsplit("/", 1)[-1] for row in rows]
            ranks += [row.select_one("td").get_text(strip=True) for row in rows]
            lines += len(soup.select("table.ranking tr.funding-line"))
        assert sorted(seen) == sorted(measures_of(portal, round_id)) and len(seen) == len(set(seen))
        numbers = [int(r) for r in ranks if r != "–"]
        assert numbers == sorted(numbers), "ranks continue from one page to the next"
        assert lines == 1, "the funding line is drawn once, on the page where it falls"


def test_the_funding_line_page_is_named_on_the_other_pages(small_pages):
    portal, site = small_pages
    pages = follow_pages(site, f"rounds/{round_ids(portal)[-1]}/")
    with_line = [n for n, (_, soup) in enumerate(pages, 1) if soup.select("table.ranking tr.funding-line")]
    for n, (url, soup) in enumerate(pages, 1):
        status = " ".join(p.get_text(" ") for p in soup.select("p.listing-status"))
        assert tr.gettext("Budget frame").split()[0].lower() in status.lower()
        if n != with_line[0]:
            link = soup.select_one("p.listing-status a")
            assert link is not None and link["href"].endswith(f"page/{with_line[0]}/" if with_line[0] > 1
                                                              else f"rounds/{round_ids(portal)[-1]}/")


def test_navigation_marks_the_current_page_and_titles_differ(small_pages):
    portal, site = small_pages
    pages = follow_pages(site, f"rounds/{round_ids(portal)[0]}/")
    titles, headings = set(), set()
    for n, (url, soup) in enumerate(pages, 1):
        nav = soup.select_one("nav.pagination")
        assert nav["aria-label"] == tr.gettext("Pages")
        current = nav.select('[aria-current="page"]')
        assert len(current) == 1 and current[0].name != "a"
        assert current[0].get_text(" ", strip=True).startswith(tr.gettext("Page {number}").format(number=n))
        assert (nav.select_one("a") is not None)
        titles.add(soup.title.get_text())
        headings.add(soup.select_one("main h1").get_text())
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical.endswith("/" + url), "each page is its own canonical address"
        indexed = url in indexed_urls(site)
        assert indexed == (n == 1), "only page 1 is indexed for search"
        if n > 1:
            assert tr.gettext("{title} – page {number} of {count}").format(
                title="", number=n, count=len(pages)).strip(" –") in soup.title.get_text()
            crumbs = soup.select_one("nav.breadcrumbs [aria-current]").get_text()
            assert crumbs == tr.gettext("Page {number} of {count}").format(number=n, count=len(pages))
    assert len(titles) == len(pages) and len(headings) == len(pages)


def test_every_listing_page_is_linked_and_in_the_sitemap(small_pages):
    portal, site = small_pages
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    paged = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("page/*/index.html"))
    listings = {u.split("page/")[0] for u in paged}
    assert {"browse/sector/", "rounds/"} & {re.sub(r"[^/]+/$", "", x) for x in listings}
    assert any("/follow-up/" in x for x in listings) and any("/openness/" in x or "/changes/" in x for x in listings)
    reached = set()
    for listing in listings:
        pages = follow_pages(site, listing)
        reached |= {url for url, _ in pages}
        assert all(len(soup.select("nav.pagination")) == 1 for _, soup in pages)
    assert set(paged) <= reached
    for url in paged:
        assert f"https://prioriteringer.demovik.example/{url}</loc>" in sitemap


def test_follow_up_changes_and_groups_list_every_entry_once_across_pages(small_pages):
    portal, site = small_pages
    newest = round_ids(portal)[-1]
    for listing, selector in [(f"rounds/{newest}/follow-up/", "section.follow-up-item h2 a"),
                              (f"rounds/{newest}/changes/", "main table tbody th a, main ul.listing li > a"),
                              ("browse/outcome/funded/", "main ul.listing li > a")]:
        pages = follow_pages(site, listing)
        assert len(pages) > 1, listing
        entries = [a["href"].lstrip("./") for _, soup in pages for a in soup.select(selector)]
        total = int(re.search(r"(\d+)\D*$", pages[0][1].select_one("p.listing-status").get_text()).group(1))
        assert len(entries) == total, listing
        if "changes" not in listing:  # a measure may both move up and change outcome
            assert len(entries) == len(set(entries)), listing


def test_same_input_gives_byte_identical_paginated_output(small_pages, tmp_path):
    portal, site = small_pages
    again = build(portal, tmp_path / "again")

    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert digest(site) == digest(again)


def test_page_size_below_ten_is_refused(make_portal, capsys):
    from portal_factory import MKDOCS, MKDOCS_TEXT
    portal = make_portal({MKDOCS: MKDOCS_TEXT.replace("      currency: NOK\n",
                                                      "      currency: NOK\n      listing_page_size: 5\n")})
    assert main(["-f", str(portal / "mkdocs.yml"), "build"]) == 1
    err = capsys.readouterr().err
    assert "listing_page_size" in err and "at least 10" in err


def test_listing_pages_stay_within_the_page_weight_budget_by_default(tmp_path):
    """A few hundred measures with the default page size: every listing page, each of its
    later pages included, weighs at most 40 KB of HTML (the style sheet, cached after the
    first page, comes on top)."""
    site = build(demo(tmp_path / "portal", 300), tmp_path / "site")
    listings = [p for p in site.rglob("index.html")
                if p.relative_to(site).parts[0] in ("rounds", "browse") and "measures" not in p.parts]
    assert any("page" in p.parts for p in listings), "the demo portal's listings are long enough to be paged"
    heaviest = max(listings, key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size <= 40 * 1024, f"{heaviest.relative_to(site)}: {heaviest.stat().st_size} bytes"
    # A measure far below the funding line of a long round names only the measures ranked just
    # above it, not every one that was funded, so its page does not grow with the round either.
    measure_pages = list((site / "measures").glob("*/index.html"))
    heaviest = max(measure_pages, key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size <= 40 * 1024, f"{heaviest.relative_to(site)}: {heaviest.stat().st_size} bytes"
    assert max(len(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select("ul.instead li"))
               for p in measure_pages) == INSTEAD_SHOWN


@pytest.mark.parametrize("number, count, expected", [
    (1, 1, (1,)),
    (1, 5, (1, 2, 3, 4, 5)),
    (1, 20, (1, 2, 3, None, 20)),
    (10, 20, (1, None, 8, 9, 10, 11, 12, None, 20)),
    (4, 20, (1, 2, 3, 4, 5, 6, None, 20)),
    (20, 20, (1, None, 18, 19, 20)),
])
def test_page_links_show_a_window_with_the_first_and_last(number, count, expected):
    assert Pagination("x/", number, count, 0, 1, count).window() == expected


def test_paginate_keeps_order_and_addresses():
    pages = paginate(list(range(25)), 10, "rounds/r/")
    assert [len(items) for items, _ in pages] == [10, 10, 5]
    assert [p.path for _, p in pages] == ["rounds/r/index.html", "rounds/r/page/2/index.html",
                                          "rounds/r/page/3/index.html"]
    assert (pages[2][1].first, pages[2][1].last, pages[2][1].total) == (21, 25, 25)
    assert paginate([], 10, "x/")[0][1].count == 1  # an empty listing still has its page


def test_openness_report_shows_every_item_on_every_page_and_where_its_other_measures_are():
    from prioportal.analyses.openness import ChecklistItem
    from prioportal.site.listings import openness_pages
    items = [ChecklistItem("assessed", False, tuple(f"m{i}" for i in range(15)), ""),
             ChecklistItem("decision", True, (), ""),
             ChecklistItem("explained", False, ("x", "y"), "")]
    pages = openness_pages(items, 10, "rounds/r/openness/")
    assert [[(row.item.key, len(row.item.measures), row.elsewhere) for row in rows] for rows, _ in pages] == [
        [("assessed", 10, (2,)), ("decision", 0, ()), ("explained", 0, (2,))],
        [("assessed", 5, (1,)), ("decision", 0, ()), ("explained", 2, ())],
    ]
