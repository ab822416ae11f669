"""The static search index: words of every searchable page, in small files the browser fetches
only as a query needs them.

Built while the pages are rendered, from each page's own text, so it costs one pass over text
already in memory and grows linearly with the portal. What a citizen downloads does not grow
with the portal: a query fetches one file per word it contains (the words sharing its first
three letters) and the titles of the results it shows, in blocks of DOCS_PER_FILE.

    search/index.json                  {"version", "docs", "docs_per_file", "common"}
    search/words/<hex of prefix>.json  {"word": [delta-coded doc numbers], ...}
    search/docs/<n>.json               [[url, title, excerpt], ...] for docs n*DOCS_PER_FILE...

A doc number is `2 * document + 1` where the word is in the page title and `2 * document`
where it is only in the text, so a title hit can rank first. Numbers are ascending and stored
as differences, which keeps the files small. Words in more than half of the pages of a large
portal (og, och, the labels every measure page repeats) are left out and listed in `common`,
so the browser ignores them in a query instead of fetching a list of every page.

A page's words are those of its <main>, without menus, scripts, and the titles of the other
measures it links to. A query word matches every indexed word it begins (prefix search): "skole" finds "skolen" and
"skolebygg", which in Norwegian and Swedish does most of what a stemmer would. The browser side
is site_templates/assets/search.js; it splits words exactly like `words` below.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from .output import Files, write_files

DOCS_PER_FILE = 50
PREFIX = 3
COMMON_SHARE = 0.5  # a word in more than this share of the pages is not worth indexing...
COMMON_MIN_DOCS = 200  # ...once the portal is large enough for that share to say something
EXCERPT_CHARS = 180

_WORD = re.compile(r"[^\W_]+")
_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_SKIPPED = re.compile(r"<(script|style|nav)\b.*?</\1\s*>", re.S)
# The titles of other measures that a page links to (what was prioritised instead, a round's
# ranking) are those measures' words, not this page's: each is found on its own page.
_MEASURE_LINK = re.compile(r"<a\b[^>]*\bhref=\"[^\"]*measures/[^\"]*\"[^>]*>.*?</a>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class SearchEntry(NamedTuple):
    """What the index needs of one page; small, so it is cheap to send back from a worker."""

    url: str
    title: str
    excerpt: str
    words: str  # the page's distinct words, space-separated
    title_words: str


def words(text: str) -> list[str]:
    """Lower-case words of a text, as the browser splits a query."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def page_text(page_html: str) -> str:
    """The readable text of a page's <main>, without menus, scripts and markup."""
    found = _MAIN.search(page_html)
    body = _MEASURE_LINK.sub(" ", _SKIPPED.sub(" ", found.group(1) if found else page_html))
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body))).strip()


def search_entry(url: str, title: str, description: str | None, page_html: str) -> SearchEntry:
    text = page_text(page_html)
    excerpt = _SPACE.sub(" ", description or text[len(title):].lstrip()).strip()
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    title_words = words(title)
    return SearchEntry(str(url), str(title), str(excerpt), " ".join(dict.fromkeys(title_words + words(text))),
                       " ".join(dict.fromkeys(title_words)))


def _key(word: str) -> str:
    return word[:PREFIX].encode("utf-8").hex()


def write_search_index(out_dir: Path, entries: list[SearchEntry]) -> None:
    write_files(out_dir, search_files(entries))


def search_files(entries: list[SearchEntry]) -> Files:
    """The files of search/; `entries` in the order the results should prefer."""
    postings: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        in_title = set(entry.title_words.split())
        for word in entry.words.split():
            postings[word].append(2 * number + (1 if word in in_title else 0))

    limit = len(entries) * COMMON_SHARE if len(entries) >= COMMON_MIN_DOCS else len(entries) + 1
    common = sorted(word for word, docs in postings.items() if len(docs) > limit)
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word in sorted(set(postings) - set(common)):
        docs = postings[word]
        shards[_key(word)][word] = [docs[0]] + [b - a for a, b in zip(docs, docs[1:])]

    files = {"search/index.json": _json({"version": 1, "docs": len(entries), "docs_per_file": DOCS_PER_FILE,
                                         "prefix": PREFIX, "common": common})}
    for key, shard in shards.items():
        files[f"search/words/{key}.json"] = _json(shard)
    for start in range(0, len(entries), DOCS_PER_FILE):
        block = [[e.url, e.title, e.excerpt] for e in entries[start:start + DOCS_PER_FILE]]
        files[f"search/docs/{start // DOCS_PER_FILE}.json"] = _json(block)
    return files


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
