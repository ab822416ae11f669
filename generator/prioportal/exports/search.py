"""The static search index: words of every searchable page, in small files the browser fetches
only as a query needs them.

Built while the pages are rendered, from each page's own text, so it costs one pass over text
already in memory and grows linearly with the portal. What a citizen downloads does not grow
with the portal: a query fetches one file per word it contains (the words sharing its first
three letters) and the titles of the results it shows, in blocks of DOCS_PER_FILE.

    search/index.json                  {"version", "docs", "docs_per_file", "common"}
    search/words/<hex of prefix>.json  {"word": [delta-coded doc numbers], ...}
    search/docs/<n>.json               [[url, title, excerpt(, note)], ...] for docs n*DOCS_PER_FILE...

A note is what a result says besides its excerpt: a measure's outcome and round
("Nedprioritert · Budsjett 2026"), which its page marks with `data-search-note` (measure.html),
so that a search result says what was decided without opening the page.

A doc number is `2 * document + 1` where the word is in the page title and `2 * document`
where it is only in the text, so a title hit can rank first. Numbers are ascending and stored
as differences, which keeps the files small. Words in more than half of the pages of a large
portal (og, och, the labels every measure page repeats) are left out and listed in `common`,
so the browser ignores them in a query instead of fetching a list of every page.

A page's words are those of its <main>, without menus, scripts, and the titles of the other
measures it links to. A query word matches every indexed word it begins (prefix search): "skole" finds "skolen" and
"skolebygg", which in Norwegian and Swedish does most of what a stemmer would. The browser side
is site_templates/assets/search.js; it splits words exactly like `words` below.

A preview keeps a `SearchIndexer` per language tree: after a save it makes again only the files
whose words or docs changed, and gives the same bytes as `search_files`.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from operator import is_
from pathlib import Path
from typing import NamedTuple

from prioportal.system.safe_writing import Files, write_files
from prioportal.site import urls

DOCS_PER_FILE = 50
PREFIX = 3
COMMON_SHARE = 0.5  # a word in more than this share of the pages is not worth indexing...
COMMON_MIN_DOCS = 200  # ...once the portal is large enough for that share to say something
EXCERPT_CHARS = 180
REBUILD_SHARE = 0.2  # beyond this share of changed entries, updating an index takes as long as starting over

_WORD = re.compile(r"[^\W_]+")
_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
# What is not the page's own text, removed in one pass: scripts, styles and menus whole; the
# links to other measures (what was prioritised instead, a round's ranking) with their titles,
# which are those measures' words, each found on its own page; and every other tag.
_NOT_TEXT = re.compile(r"<(script|style|nav)\b.*?</\1\s*>"
                       r"|<a\b[^>]*\bhref=\"[^\"]*" + re.escape(urls.MEASURES) + r"[^\"]*\"[^>]*>.*?</a>"
                       r"|<[^>]+>", re.S)
_SPACE = re.compile(r"\s+")
_NOTE = re.compile(r'\bdata-search-note="([^"]*)"')


class SearchEntry(NamedTuple):
    """What the index needs of one page; small, so it is cheap to send back from a worker."""

    url: str
    title: str
    excerpt: str
    words: str  # the page's distinct words, space-separated
    title_words: str
    note: str = ""  # shown with the result: a measure's outcome and round


def words(text: str) -> list[str]:
    """Lower-case words of a text, as the browser splits a query."""
    return list(_words_of(unicodedata.normalize("NFC", text).lower().split()))


def distinct_words(text: str) -> dict[str, None]:
    """The words of `words(text)`, each once, in the order they first appear. A page repeats
    half its tokens, so each distinct token is split only once."""
    return dict.fromkeys(_words_of(dict.fromkeys(unicodedata.normalize("NFC", text).lower().split())))


def _words_of(tokens: Iterable[str]) -> Iterator[str]:
    # `_WORD` matches exactly the characters for which str.isalnum() is true, so a token
    # between spaces that is all such characters is one word: a quarter quicker than the
    # regular expression alone, on every page of a build.
    for token in tokens:
        if token.isalnum():
            yield token
        else:
            yield from _WORD.findall(token)


def page_text(page_html: str) -> str:
    """The readable text of a page's <main>, without menus, scripts and markup; its spaces are
    not collapsed."""
    found = _MAIN.search(page_html)
    return html.unescape(_NOT_TEXT.sub(" ", found.group(1) if found else page_html))


def search_entry(url: str, title: str, description: str | None, page_html: str) -> SearchEntry:
    text = page_text(page_html)
    if description:
        excerpt = _SPACE.sub(" ", description).strip()
    else:
        # The text after the title, its spaces collapsed. Only the words that can reach the
        # excerpt are joined: each adds at least two characters, a letter and a space.
        enough = len(title) + EXCERPT_CHARS + 2
        excerpt = " ".join(text.split(None, enough)[:enough])[len(title):].lstrip()
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    title_words = distinct_words(title)
    note = _NOTE.search(page_html)
    return SearchEntry(str(url), str(title), str(excerpt), " ".join({**title_words, **distinct_words(text)}),
                       " ".join(title_words), _SPACE.sub(" ", html.unescape(note.group(1))).strip() if note else "")


def _key(word: str) -> str:
    return word[:PREFIX].encode("utf-8").hex()


def write_search_index(out_dir: Path, entries: list[SearchEntry]) -> None:
    write_files(out_dir, search_files(entries))


def search_files(entries: list[SearchEntry]) -> Files:
    """The files of search/; `entries` in the order the results should prefer."""
    postings = _postings(entries)
    common = _common(postings, _limit(len(entries)))
    shards: dict[str, list[str]] = defaultdict(list)
    for word in sorted(postings.keys() - common):
        shards[_key(word)].append(word)
    # A shard's words share a prefix, so they are neighbours in sorted order and the shards
    # come out in the order of their keys: the order SearchIndexer keeps too.
    return _files(_index_file(len(entries), common), {key: _shard(group, postings) for key, group in shards.items()},
                  [_docs_file(entries, block) for block in range(_blocks(len(entries)))])


class SearchIndexer:
    """`files(entries)` returns exactly `search_files(entries)`, but keeps what it computed so
    that the next call, in a preview after a save, redoes only the files the changed entries
    touch. Entries are compared by identity first: a preview passes back the very same objects
    for the pages it did not render again."""

    def __init__(self) -> None:
        self._forget()

    def _forget(self) -> None:
        self._entries: list[SearchEntry] | None = None
        self._postings: dict[str, list[int]] = {}  # word -> ascending doc numbers, as in search_files
        self._words: dict[str, set[str]] = {}  # shard key -> every word with postings, common or not
        self._common: set[str] = set()
        self._index = b""
        self._shards: dict[str, bytes] = {}  # shard key -> file, in the order of the keys
        self._docs: list[bytes] = []

    def files(self, entries: list[SearchEntry]) -> Files:
        entries = list(entries)  # the caller may change its list before the next call
        try:
            changed = self._changed(entries)
            if changed is None:
                self._start_over(entries)
            else:
                self._update(entries, changed)
        except BaseException:
            self._forget()  # a half-done update must not be the base of the next one
            raise
        self._entries = entries
        return _files(self._index, self._shards, self._docs)

    def _changed(self, entries: list[SearchEntry]) -> list[int] | None:
        """The positions whose entry changed since the last call; None when starting over is as
        quick: doc numbers are positions, so an entry added or removed changes those after it."""
        old = self._entries
        if old is None or len(old) != len(entries):
            return None
        if all(map(is_, old, entries)):
            return []
        changed = [n for n, (a, b) in enumerate(zip(old, entries)) if a is not b and a != b]
        return None if len(changed) > REBUILD_SHARE * len(entries) else changed

    def _start_over(self, entries: list[SearchEntry]) -> None:
        self._forget()
        self._postings = _postings(entries)
        for word in self._postings:
            self._words.setdefault(_key(word), set()).add(word)
        self._common = _common(self._postings, _limit(len(entries)))
        self._index = _index_file(len(entries), self._common)
        self._shards = {key: shard for key in sorted(self._words) if (shard := self._shard(key)) is not None}
        self._docs = [_docs_file(entries, block) for block in range(_blocks(len(entries)))]

    def _update(self, entries: list[SearchEntry], changed: list[int]) -> None:
        assert self._entries is not None
        touched: set[str] = set()
        for number in changed:
            touched |= self._replace(number, _occurrences(self._entries[number]), _occurrences(entries[number]))
        for key in sorted(self._recount(touched, len(entries))):
            self._redo_shard(key)
        for block in sorted({n // DOCS_PER_FILE for n in changed if _shown(self._entries[n]) != _shown(entries[n])}):
            self._docs[block] = _docs_file(entries, block)

    def _replace(self, number: int, before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
        """Swap one doc's postings; return the words whose postings changed."""
        touched = {word for word in before.keys() | after.keys() if before.get(word) != after.get(word)}
        for word in touched:
            count, in_title = after.get(word, (0, 0))
            self._set(word, number, before.get(word, (0, 0))[0], [2 * number + in_title] * count)
        return touched

    def _set(self, word: str, number: int, old_count: int, codes: list[int]) -> None:
        """Put `codes` in the place of the `old_count` numbers doc `number` had in the postings of `word`."""
        docs = self._postings.get(word)
        if docs is None:
            docs = self._postings[word] = []
            self._words.setdefault(_key(word), set()).add(word)
        start = bisect_left(docs, 2 * number)
        docs[start:start + old_count] = codes
        if not docs:
            del self._postings[word]
            key = _key(word)
            self._words[key].discard(word)
            if not self._words[key]:
                del self._words[key]

    def _recount(self, touched: set[str], docs: int) -> set[str]:
        """Update which words are common; return the keys of the shards that may have changed.
        The number of docs, and so the limit, is the same as last time, so only the words whose
        postings changed can cross it."""
        limit = _limit(docs)
        common = set(self._common)
        for word in touched:
            if len(self._postings.get(word, ())) > limit:
                common.add(word)
            else:
                common.discard(word)
        if common != self._common:
            self._index = _index_file(docs, common)
        keys = {_key(w) for w in touched if not (w in common and w in self._common)}
        self._common = common
        return keys

    def _redo_shard(self, key: str) -> None:
        shard = self._shard(key)
        if shard is None:
            self._shards.pop(key, None)  # removing keeps the others in order
            return
        new = key not in self._shards
        self._shards[key] = shard
        if new:  # added at the end: put back in the order of the keys
            self._shards = dict(sorted(self._shards.items()))

    def _shard(self, key: str) -> bytes | None:
        words = sorted(w for w in self._words.get(key, ()) if w not in self._common)
        return _shard(words, self._postings) if words else None


def _postings(entries: list[SearchEntry]) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        in_title = set(entry.title_words.split())
        # One int object per doc and bit, shared by all its words: a SearchIndexer keeps these
        # lists, and millions of separate ints would triple their size.
        text, title = 2 * number, 2 * number + 1
        for word in entry.words.split():
            postings[word].append(title if word in in_title else text)
    return dict(postings)  # a missing word must stay missing, not become an empty list


def _occurrences(entry: SearchEntry) -> dict[str, tuple[int, int]]:
    """Each word of a page: how often it is listed (once, from search_entry) and whether it is
    in the title, which together are what the page adds to the word's postings."""
    in_title = set(entry.title_words.split())
    return {word: (count, 1 if word in in_title else 0) for word, count in Counter(entry.words.split()).items()}


def _limit(docs: int) -> float:
    return docs * COMMON_SHARE if docs >= COMMON_MIN_DOCS else docs + 1


def _common(postings: dict[str, list[int]], limit: float) -> set[str]:
    return {word for word, docs in postings.items() if len(docs) > limit}


def _blocks(docs: int) -> int:
    return -(-docs // DOCS_PER_FILE)


def _index_file(docs: int, common: set[str]) -> bytes:
    return _json({"version": 1, "docs": docs, "docs_per_file": DOCS_PER_FILE, "prefix": PREFIX,
                  "common": sorted(common)})


def _shard(words: list[str], postings: dict[str, list[int]]) -> bytes:
    """The file of one shard: each word's doc numbers as differences, which keeps them short."""
    shard = {}
    for word in words:
        docs = postings[word]
        shard[word] = [docs[0]] + [b - a for a, b in zip(docs, docs[1:])]
    return _json(shard)


def _shown(e: SearchEntry) -> list[str]:
    """What a result shows of a page: its address, title, excerpt and, if it has one, its note."""
    return [e.url, e.title, e.excerpt, e.note] if e.note else [e.url, e.title, e.excerpt]


def _docs_file(entries: list[SearchEntry], block: int) -> bytes:
    start = block * DOCS_PER_FILE
    return _json([_shown(e) for e in entries[start:start + DOCS_PER_FILE]])


def _files(index: bytes, shards: dict[str, bytes], docs: list[bytes]) -> Files:
    files = {urls.search_data("index.json"): index}
    files.update((urls.search_data(f"words/{key}.json"), data) for key, data in shards.items())
    files.update((urls.search_data(f"docs/{block}.json"), data) for block, data in enumerate(docs))
    return files


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
