"""Every file a build wrote, as text a test can search: for the tests that prove a value never
reaches any output (small numbers, internal notes)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl


def outputs(site: Path) -> dict[str, str]:
    """Every file the build wrote, as text: a workbook by its cells (openpyxl), a zip by its entries."""
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            found[name] = "\n".join(repr(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for entry in archive.namelist():
                    found[f"{name}!{entry}"] = archive.read(entry).decode("utf-8", "replace")
        else:
            found[name] = data.decode("utf-8", "replace")
    return found
