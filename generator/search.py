"""The static search index, built by Pagefind over the finished pages.

Pagefind runs in the citizen's browser and loads only the index fragments a query needs, so
the search works from any static host and its download does not grow with the portal.
Only pages whose <main> carries `data-pagefind-body` are indexed (see PageSpec.searchable).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Pagefind's stemmers know Norwegian as "no"; nynorsk and bokmål share it.
_PAGEFIND_LANGUAGE = {"nb": "no", "nn": "no", "sv": "sv", "en": "en"}


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path, language: str) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent",
               "--force-language", _PAGEFIND_LANGUAGE.get(language, language)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {result.stderr.strip() or result.stdout.strip()}")
