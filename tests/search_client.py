"""The browser's search (site_templates/assets/search.js) done in Python, over a built site's
search/ folder, so tests can ask what a citizen's query finds without starting a browser.
The browser test in test_search_in_browser.py checks that the script does the same."""

from __future__ import annotations

import json
from pathlib import Path

from prioportal.exports.search import words


def _load(site: Path, name: str):
    path = site / "search" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def postings(site: Path, term: str, meta: dict) -> dict[int, int]:
    """Document number -> score for every document with a word starting with `term`."""
    shard = _load(site, f"words/{term[: meta['prefix']].encode('utf-8').hex()}.json") or {}
    found: dict[int, int] = {}
    for word, steps in shard.items():
        if not word.startswith(term):
            continue
        value = 0
        for step in steps:
            value += step
            doc = value >> 1
            found[doc] = max(found.get(doc, 0), (value & 1) + (word == term))
    return found


def search_site(site: Path, query: str) -> list[str]:
    """URLs (relative to the site root) of what the query finds, best first, as search.js ranks them."""
    meta = _load(site, "index.json")
    terms = list(dict.fromkeys(t for t in words(query) if t not in meta["common"]))
    if not terms:
        return []
    each = [postings(site, term, meta) for term in terms]
    score = {doc: sum(p[doc] for p in each) for doc in each[0] if all(doc in p for p in each)}
    ranked = sorted(score, key=lambda doc: (-score[doc], doc))
    per = meta["docs_per_file"]
    return [_load(site, f"docs/{doc // per}.json")[doc % per][0] for doc in ranked]


def indexed_urls(site: Path) -> set[str]:
    meta = _load(site, "index.json")
    per = meta["docs_per_file"]
    return {entry[0] for n in range(0, meta["docs"], per) for entry in _load(site, f"docs/{n // per}.json")}
