"""LibreOffice Calc, run headless, as the spreadsheet program a municipality opens a workbook in.

Debian's package `libreoffice-calc-nogui` (.ci/run installs it). Each sheet of a workbook is
saved as a CSV file, as LibreOffice itself reads the cells: a workbook it cannot open gives none.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from browser import require

# Semicolons, double quotes, UTF-8 (76), first line as is, cells as shown (formatted), and the
# last token -1: every sheet to a file of its own, <workbook>-<sheet>.csv (LibreOffice 7.2+).
_CSV_FILTER = "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1"


def soffice() -> str:
    found = shutil.which("soffice")
    require(found is not None, "LibreOffice not found: apt-get install libreoffice-calc-nogui")
    assert found is not None
    return found


def sheets_as_csv(workbook: Path, out_dir: Path) -> dict[str, Path]:
    """Every sheet of `workbook` as LibreOffice saves it in CSV, by sheet name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "profile"  # a profile of its own: no clash with a running LibreOffice
    done = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", _CSV_FILTER, "--outdir", str(out_dir), str(workbook)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    prefix = workbook.stem + "-"
    found = {p.stem[len(prefix):]: p for p in out_dir.glob(f"{prefix}*.csv")}
    assert found, f"LibreOffice did not open {workbook.name}: {done.stdout}{done.stderr}"
    return found
