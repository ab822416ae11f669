"""LIX, the Scandinavian readability index, for the plain-language check of summaries.

LIX = words per sentence + 100 × share of words longer than six letters. Below 30 reads
as very easy, 30–40 easy (most newspapers), 40–50 medium, above 50 hard (official prose).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)")


# Below this many words a single long word swings LIX by ten points or more.
MIN_WORDS = 10


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def lix(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())) or 1)
    long_words = sum(1 for w in words if len(w.replace("-", "")) > 6)
    return len(words) / sentences + 100 * long_words / len(words)
