"""Readable address segments and ids made from names: "Helse og omsorg" → "helse-og-omsorg"."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not take apart into a base letter and a mark.
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens; "x" when nothing is left."""
    text = text.casefold().translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"
