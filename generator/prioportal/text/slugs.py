"""Readable address segments and ids made from names: "Helse og omsorg" → "helse-og-omsorg"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters NFKD does not take apart into a base letter and a mark.
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens; "x" when nothing is left."""
    text = text.casefold().translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug for each name, in the order given, none used twice: a name whose slug an earlier
    one took gets "-x" added until it is free ("Helse, og omsorg" after "Helse og omsorg").
    The sectors' pages and their feeds take their addresses from it, in the same order."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        slug = slugify(name)
        while slug in taken:
            slug += "-x"
        taken.add(slug)
        slugs[name] = slug
    return slugs
