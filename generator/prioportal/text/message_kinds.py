"""Which catalogue entries are texts of the site and which only messages of the command line.

One catalogue per language holds both, so translators have one file. But `texts:` in mkdocs.yml
and `prioportal texts` are about the site's wording: a communicator must not be offered the
validator's sentences as "texts of the site". `make messages` marks each entry that only `T(...)`
uses (a message to a communicator, never shown on a page) with an extracted comment, and the
catalogues carry the mark; `site_texts` leaves those entries out.

Run by `make messages` as `python -m prioportal.text.message_kinds POT COMMANDS_POT SITE_POT`:
POT is the full extraction, COMMANDS_POT the extraction of `T` alone, SITE_POT that of every
other keyword.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

COMMAND_LINE = "command line"  # the extracted comment (`#. command line`) of a message-only entry


def _ids(path: Path) -> set[str]:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def mark(pot: Path, commands: Path, site: Path) -> None:
    """Mark, in `pot`, the entries `commands` has and `site` has not."""
    only_commands = _ids(commands) - _ids(site)
    with pot.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.id:
            message.auto_comments = [COMMAND_LINE] if key in only_commands else []
    with pot.open("wb") as f:
        write_po(f, catalog, width=76, no_location=True, omit_header=True, sort_output=True)


if __name__ == "__main__":
    mark(*(Path(arg) for arg in sys.argv[1:4]))
