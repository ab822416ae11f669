"""`prioportal serve`: a local preview that rebuilds when a decision file, page or template changes.

MkDocs' development server does the serving and live reload; the plugin tells it to watch
the decisions folder. A build that fails prints its problems and keeps the last good
preview in the browser.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from .problems import InvalidPortal
from .settings import load_settings


def serve(config_file: Path, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    load_settings(config_file)  # report a bad mkdocs.yml as a problem before MkDocs starts
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("mkdocs", "prioportal"):
        log = logging.getLogger(name)
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as exc:
        message = str(exc)
        print(message, file=sys.stderr)
        return 1
    except InvalidPortal:
        raise
    return 0
