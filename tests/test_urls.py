"""Every page is where everything that names it says it is: the page itself, the sitemap, the
feeds, the open data, the search, the links of other pages and the redirects of former ids
all give the address `prioportal.site.urls` makes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from portal_factory import MEASURE_DEPRIORITISED, patch_file, write_portal
from prioportal.cli import main
from prioportal.site import urls
from prioportal.tools.demo.portal import write_demo_portal

SITE_URL = "https://prioriteringer.testvik.kommune.no/"  # the test portal's site_url
MEASURE = "styrket-hjemmetjeneste-2025"
ROUND = "budsjett-2025"
ATOM = "{http://www.w3.org/2005/Atom}"


def build(portal: Path) -> Path:
    assert main(["-f", str(portal / "mkdocs.yml"), "build"]) == 0
    return portal / "site"


def page(site: Path, address: str) -> BeautifulSoup:
    return BeautifulSoup((site / urls.file_of(address)).read_text(encoding="utf-8"), "html.parser")


def demo_site_url(portal: Path) -> str:
    line = next(x for x in (portal / "mkdocs.yml").read_text(encoding="utf-8").splitlines() if x.startswith("site_url:"))
    return line.partition(":")[2].strip().strip("'\"")


def followed(address: str, href: str) -> str:
    """Where a link on the page at `address` leads, as an address below the site root."""
    target = urljoin(SITE_URL + address, href)
    assert target.startswith(SITE_URL), target
    return target[len(SITE_URL):]


def links(site: Path, address: str, selector: str = "a[href]") -> list[str]:
    """Where the links of the page at `address` lead, but for those to other sites (and mailto:)."""
    return [followed(address, a["href"]) for a in page(site, address).select(selector) if ":" not in a["href"]]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(write_portal(tmp_path_factory.mktemp("urls") / "portal"))


def test_a_measure_is_at_the_address_the_sitemap_the_feeds_open_data_and_search_give(site):
    address = urls.measure(MEASURE)
    absolute = urls.absolute(SITE_URL, address)
    assert absolute == SITE_URL + address
    assert page(site, address).select_one('link[rel="canonical"]')["href"] == absolute

    sitemap = ElementTree.parse(site / urls.sitemap()).getroot()
    assert absolute in [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"Sitemap: {urls.absolute(SITE_URL, urls.sitemap())}" in (site / urls.robots()).read_text()

    for feed in (urls.feed(), urls.round_feed(ROUND)):
        hrefs = {link.get("href") for entry in ElementTree.parse(site / feed).getroot().iter(f"{ATOM}entry")
                 for link in entry.iter(f"{ATOM}link")}
        assert absolute in hrefs, feed

    rows = csv.DictReader(io.StringIO((site / urls.open_data_file("measures.csv")).read_text(encoding="utf-8")))
    assert {row["id"]: row["url"] for row in rows}[MEASURE] == absolute

    meta = json.loads((site / urls.search_data("index.json")).read_text(encoding="utf-8"))
    found = [doc[0] for block in range(-(-meta["docs"] // meta["docs_per_file"]))
             for doc in json.loads((site / urls.search_data(f"docs/{block}.json")).read_text(encoding="utf-8"))]
    assert address in found


def test_a_round_and_a_criteria_set_are_where_open_data_and_the_calendar_say(site):
    rows = csv.DictReader(io.StringIO((site / urls.open_data_file("rounds.csv")).read_text(encoding="utf-8")))
    assert {row["id"]: row["url"] for row in rows}[ROUND] == urls.absolute(SITE_URL, urls.round(ROUND))
    assert (site / urls.file_of(urls.round(ROUND))).is_file()
    calendar = (site / urls.round_calendar(ROUND)).read_text(encoding="utf-8").replace("\r\n ", "")
    assert f"URL:{urls.absolute(SITE_URL, urls.round(ROUND))}" in calendar
    rows = csv.DictReader(io.StringIO((site / urls.open_data_file("criteria_sets.csv")).read_text(encoding="utf-8")))
    for row in rows:
        assert row["url"] == urls.absolute(SITE_URL, urls.criteria(row["id"]))
        assert (site / urls.file_of(urls.criteria(row["id"]))).is_file()


def test_links_between_pages_lead_to_the_addresses_urls_gives(site):
    measure = urls.measure(MEASURE)
    assert links(site, measure, "nav.breadcrumbs a") == [urls.rounds(), urls.round(ROUND)]
    ranking = set(links(site, urls.round(ROUND)))
    assert {measure, urls.criteria("kriterier-2025"), urls.round_openness(ROUND), urls.rounds()} <= ranking
    home = set(links(site, urls.home()))
    assert {urls.criteria_index(), urls.process(), urls.rounds(), urls.search(), urls.browse(), urls.open_data(),
            urls.contact(), urls.privacy(), urls.accessibility()} <= home
    for address in home:
        assert (site / urls.file_of(address.partition("#")[0])).is_file(), address
    head = page(site, urls.search())
    assert followed(urls.search(), head.select_one('link[rel="stylesheet"]')["href"]) == urls.asset("style.css")
    assert followed(urls.search(), head.select_one('link[type="application/atom+xml"]')["href"]) == urls.feed()
    assert followed(urls.search(), head.select_one("#search")["data-index"]) == urls.search_data()


def test_a_renamed_measures_former_address_sends_readers_to_its_page(portal_dir):
    patch_file(portal_dir, MEASURE_DEPRIORITISED, "id: kveldsapent-bibliotek-2025\n",
               "id: kveldsapent-bibliotek-2025\nformer_ids: [bibliotek-kveld]\n")
    site = build(portal_dir)
    old, new = urls.measure("bibliotek-kveld"), urls.measure("kveldsapent-bibliotek-2025")
    redirect = page(site, old)
    refresh = redirect.select_one('meta[http-equiv="refresh"]')["content"]
    assert followed(old, refresh.partition("url=")[2]) == new
    assert followed(old, redirect.select_one("main a")["href"]) == new
    assert redirect.select_one('link[rel="canonical"]')["href"] == urls.absolute(SITE_URL, new)
    assert (site / followed(old, redirect.select_one('link[rel="stylesheet"]')["href"])).is_file()
    assert (site / urls.file_of(new)).is_file()


def test_a_measure_in_another_language_is_in_that_language_s_tree(portal_dir):
    config = portal_dir / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      municipality:", "      languages: [en]\n      municipality:", 1), encoding="utf-8")
    site = build(portal_dir)
    address, english = urls.measure(MEASURE), urls.language_tree("en") + urls.measure(MEASURE)
    assert (site / urls.file_of(english)).is_file()
    alternates = {link["hreflang"]: link["href"] for link in page(site, address).select('link[rel="alternate"][hreflang]')}
    assert alternates == {"nb": urls.absolute(SITE_URL, address), "en": urls.absolute(SITE_URL, english)}
    assert links(site, address, "nav.languages a") == [english]


def test_each_page_of_a_listing_is_where_its_pager_links(tmp_path):
    portal = write_demo_portal(tmp_path / "portal", measures=24)
    config = portal / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      currency: NOK\n", "      currency: NOK\n      listing_page_size: 10\n"), encoding="utf-8")
    site = build(portal)
    rounds = sorted(p.name for p in (site / "rounds").iterdir() if p.is_dir())
    first = urls.round(rounds[0])
    second = urls.listing_page(first, 2)
    assert urls.listing_page(first, 1) == first
    assert (site / urls.file_of(second)).is_file()
    assert second in links(site, first, "nav.pagination a")
    assert first in links(site, second, "nav.pagination a")
    assert f"<loc>{urls.absolute(demo_site_url(portal), second)}</loc>" in (site / urls.sitemap()).read_text()


@pytest.mark.parametrize("source, target", [
    ("measures/x/", "measures/y/"),
    ("measures/x/", "assets/style.css"),
    ("measures/x/index.html", "rounds/r/page/2/"),
    ("", "criteria/c/"),
    ("rounds/r/", ""),
    ("rounds/r/feed.xml", "rounds/r/"),
    ("404.html", "search/"),
])
def test_relative_links_lead_where_they_should(source, target):
    link = urls.relative(source, target)
    assert urljoin(SITE_URL + source, link) == SITE_URL + target
    assert len(link) <= len(urls.up(source) + target)


def test_a_page_address_names_the_file_a_web_server_gives_for_it():
    assert urls.file_of(urls.home()) == "index.html"
    assert urls.file_of(urls.measure("x")) == "measures/x/index.html"
    assert urls.file_of(urls.not_found()) == "404.html"
    assert urls.absolute(None, urls.measure("x")) == "measures/x/"
    assert urls.absolute("https://x.example/prio", urls.measure("x")) == "https://x.example/prio/measures/x/"
