"""The search index a citizen's browser fetches in pieces: what a query finds, in what order,
and how little of the index it needs to download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prioportal.cli import main
from prioportal.demo import write_demo_portal
from prioportal.search import COMMON_MIN_DOCS, DOCS_PER_FILE, SearchEntry, search_entry, write_search_index
from search_client import search_site

PAGE = """<html><head><title>{title}</title></head><body>
<header><nav aria-label="Hovedmeny"><a href="../">Hovedmenylenke</a></nav></header>
<main id="main"><nav class="breadcrumbs"><a href="../">Brødsmule</a></nav><h1>{title}</h1>
<p>{text}</p><script>var hemmelig = 1;</script></main><footer>Bunntekst</footer></body></html>"""


def entry(url: str, title: str, text: str) -> SearchEntry:
    return search_entry(url, title, None, PAGE.format(title=title, text=text))


def test_a_word_finds_its_inflected_and_compound_forms(tmp_path):
    write_search_index(tmp_path, [entry("a/", "Nytt tak", "Skolebygget på Vestdalen lekker."),
                                  entry("b/", "Vei", "Asfalt og fortau i sentrum.")])
    assert search_site(tmp_path, "skole") == ["a/"]
    assert search_site(tmp_path, "SKOLEBYGGET vestdal") == ["a/"]
    assert search_site(tmp_path, "skole asfalt") == []  # every word must match
    assert search_site(tmp_path, "fortau") == ["b/"]


def test_title_matches_come_first_then_the_order_of_the_site(tmp_path):
    write_search_index(tmp_path, [entry("text/", "Vei", "Lys i gatene."), entry("title/", "Lys i gatene", "Nye lamper."),
                                  entry("later/", "Park", "Mer lys.")])
    assert search_site(tmp_path, "lys") == ["title/", "text/", "later/"]


def test_only_the_main_text_is_indexed_not_menus_scripts_or_footer(tmp_path):
    e = entry("a/", "Nytt tak", "Vi skifter taket.")
    assert set(e.words.split()) == {"nytt", "tak", "vi", "skifter", "taket"}
    assert e.excerpt == "Vi skifter taket."


def test_words_on_most_pages_of_a_large_portal_are_left_out_and_ignored_in_queries(tmp_path):
    entries = [entry(f"m{i}/", f"Tiltak {i}", f"og kommunen {'sjelden' if i == 7 else 'vanlig'}")
               for i in range(COMMON_MIN_DOCS)]
    write_search_index(tmp_path, entries)
    meta = json.loads((tmp_path / "search" / "index.json").read_text(encoding="utf-8"))
    assert {"og", "kommunen", "vanlig", "tiltak"} <= set(meta["common"])
    shards = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "search" / "words").glob("*.json")]
    assert not any("og" in shard for shard in shards)
    assert search_site(tmp_path, "og sjelden") == ["m7/"]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    root = write_demo_portal(tmp_path_factory.mktemp("search") / "portal", measures=400)
    assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    return root / "site"


def test_a_query_downloads_a_few_small_files_however_large_the_portal(demo_site):
    folder = demo_site / "search"
    assert (folder / "index.json").stat().st_size < 4_000
    assert max(p.stat().st_size for p in (folder / "words").glob("*.json")) < 64_000
    for block in (folder / "docs").glob("*.json"):
        entries = json.loads(block.read_text(encoding="utf-8"))
        assert 0 < len(entries) <= DOCS_PER_FILE
        assert block.stat().st_size < 32_000


def test_every_measure_of_a_demo_portal_is_found_by_its_title(demo_site):
    for page in sorted((demo_site / "measures").glob("*/index.html"))[:40]:
        title = page.read_text(encoding="utf-8").split("<h1>", 1)[1].split("</h1>", 1)[0]
        url = page.parent.relative_to(demo_site).as_posix() + "/"
        assert url in search_site(demo_site, title)[:10], title
