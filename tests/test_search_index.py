"""The search index a citizen's browser fetches in pieces: what a query finds, in what order,
and how little of the index it needs to download."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from prioportal.exports import search
from prioportal.cli import main
from prioportal.tools.demo.portal import write_demo_portal
from prioportal.exports.search import (COMMON_MIN_DOCS, DOCS_PER_FILE, SearchEntry, SearchIndexer, search_entry, search_files,
                               write_search_index)
from search_client import search_site

PAGE = """<html><head><title>{title}</title></head><body>
<header><nav aria-label="Hovedmeny"><a href="../">Hovedmenylenke</a></nav></header>
<main id="main"><nav class="breadcrumbs"><a href="../">Brødsmule</a></nav><h1>{title}</h1>
<p>{text}</p><script>var hemmelig = 1;</script></main><footer>Bunntekst</footer></body></html>"""


def entry(url: str, title: str, text: str) -> SearchEntry:
    return search_entry(url, title, None, PAGE.format(title=title, text=text))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_pages_are_split_into_words_as_the_browser_splits_a_query(text):
    """The words of a page are the runs of letters and digits after NFC and lower case, as
    search.js splits a query (/[\\p{L}\\p{N}]+/gu); the quick split must find exactly those."""
    assert search.words(text) == re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).lower())
    # What the index takes of a page: each word once, in the order of its first appearance.
    assert list(search.distinct_words(text)) == list(dict.fromkeys(search.words(text)))


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


# Words sharing their first letters share a shard, and words shorter than the prefix have one
# each; with a few words over a few pages, words often become and stop being common.
VOCABULARY = ["a", "ab", "abc", "abcd", "og", "skole", "skolen", "skolebygg", "vei", "øl", "ærlig", "år", "årets"]
word_lists = st.lists(st.sampled_from(VOCABULARY), max_size=6).map(" ".join)  # repeats too: search_files keeps them
entries = st.builds(SearchEntry, url=st.sampled_from(["a/", "b/", "c/"]), title=st.sampled_from(["Tak", "Vei"]),
                    excerpt=st.sampled_from(["", "Kort.", "Lengre tekst."]), words=word_lists, title_words=word_lists)
positions = st.integers(min_value=0, max_value=99)  # taken modulo the length of the list
edits = st.one_of(
    st.tuples(st.just("replace"), positions, entries),
    st.tuples(st.just("insert"), positions, entries),
    st.tuples(st.just("remove"), positions),
    st.tuples(st.just("swap"), positions, positions),
    st.tuples(st.just("reverse")),
    st.tuples(st.just("copy"), positions),  # an equal entry, but not the same object
    st.tuples(st.just("spread"), positions, positions, st.sampled_from(VOCABULARY)),
    st.tuples(st.just("nothing")),
)


def apply(edit: tuple, pages: list[SearchEntry]) -> None:
    """Change `pages` in place, as a save in the preview might."""
    kind, *args = edit
    if kind == "insert":
        pages.insert(args[0] % (len(pages) + 1), args[1])
    elif not pages or kind == "nothing":
        return
    at = args[0] % len(pages) if args else 0
    if kind == "replace":
        pages[at] = args[1]
    elif kind == "remove":
        del pages[at]
    elif kind == "swap":
        other = args[1] % len(pages)
        pages[at], pages[other] = pages[other], pages[at]
    elif kind == "reverse":
        pages.reverse()
    elif kind == "copy":
        pages[at] = SearchEntry(*pages[at])
    elif kind == "spread":  # push a word towards (and over) the common limit
        count, word = args[1] % len(pages) + 1, args[2]
        for n in range(at, min(at + count, len(pages))):
            pages[n] = pages[n]._replace(words=f"{pages[n].words} {word}")


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(entries, max_size=12), steps=st.lists(edits, max_size=12),
       common_min_docs=st.sampled_from([1, 4, COMMON_MIN_DOCS]), rebuild_share=st.sampled_from([0.2, 1.0]))
def test_an_indexer_gives_exactly_the_files_of_a_full_index_after_any_edits(start, steps, common_min_docs,
                                                                          rebuild_share):
    with pytest.MonkeyPatch.context() as patch:
        # Small numbers, so that a dozen pages have common words and several blocks of docs;
        # a rebuild share of 1 updates even when every entry changed.
        patch.setattr(search, "COMMON_MIN_DOCS", common_min_docs)
        patch.setattr(search, "DOCS_PER_FILE", 3)
        patch.setattr(search, "REBUILD_SHARE", rebuild_share)
        indexer = SearchIndexer()
        pages = list(start)
        for edit in [("nothing",), *steps]:
            apply(edit, pages)
            got, expected = indexer.files(pages), search_files(pages)
            assert got == expected
            assert list(got) == list(expected)  # and in the same order


def test_an_indexer_makes_again_only_the_files_a_change_touches():
    pages = [SearchEntry(f"m{i}/", f"Tiltak {i}", f"Tekst {i}.", f"tiltak {i} og {'vei' if i % 2 else 'skole'}",
                         f"tiltak {i}") for i in range(COMMON_MIN_DOCS + 50)]
    indexer = SearchIndexer()
    last = indexer.files(pages)

    def made_again() -> set[str]:
        nonlocal last
        files = indexer.files(pages)
        assert files == search_files(pages)
        made = {name for name, data in files.items() if last.get(name) is not data}
        last = files
        return made

    assert made_again() == set()
    pages[8] = SearchEntry(*pages[8])  # equal, though not the same object
    assert made_again() == set()
    pages[8] = pages[8]._replace(words=pages[8].words + " skolebygg")
    assert made_again() == {f"search/words/{'sko'.encode().hex()}.json"}
    pages[60] = pages[60]._replace(excerpt="Ny tekst.")
    assert made_again() == {"search/docs/1.json"}
    pages[0] = pages[0]._replace(words=pages[0].words + " vei")  # now on more than half of the pages
    assert made_again() == {"search/index.json"}
    assert "vei" in json.loads(last["search/index.json"])["common"]
    assert f"search/words/{'vei'.encode().hex()}.json" not in last
