"""A measure's `internal_note` is kept in its file and never published.

It is where `prioportal import` keeps a ranking table's *Kommentar*, so that a save through the
browser editor (which drops YAML comments) loses nothing the portal uses. The proof that nothing
of it is published: a portal whose note holds a word found nowhere else, added and then changed
in its git history, is built, and no file the build writes (pages, feeds, open data with the
workbook's cells and the zip's entries, search index, history) holds the word; nor does
`prioportal diff` between the two commits, in either format. The export still gives it back in
the Kommentar column, and the editor shows it as a text the communicator is told is not
published.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from gitrepo import git, publish_portal
from portal_factory import MEASURE_FUNDED, load, load_problems, patch_file, write_portal
from site_files import outputs
from prioportal.cli import main
from prioportal.checks.portal import load_portal
from prioportal.exports.editor import editor_config
from prioportal.settings import load_settings
from prioportal.problems import Severity

pytestmark = pytest.mark.usefixtures("git_program")

EXAMPLE = Path(__file__).resolve().parents[1]  # the bokmål example, with the editor switched on

WORD = "Fiskekakeprotokoll"  # in no file of the portal but the note
LATER = "Snøskuffeavtale"  # the note as changed in the next commit


def with_note(root: Path, note: str) -> None:
    text = (root / MEASURE_FUNDED).read_text(encoding="utf-8")
    if "internal_note:" in text:
        patch_file(root, MEASURE_FUNDED, text[text.index("internal_note:"):], f"internal_note: {note}\n")
    else:
        (root / MEASURE_FUNDED).write_text(text + f"internal_note: {note}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    """The test portal in git: published, then given a note, then the note changed."""
    root = write_portal(tmp_path_factory.mktemp("note") / "portal")
    publish_portal(root, "Vedtakene publisert", when="2025-08-01T09:00:00+02:00")
    with_note(root, f"Drøftet i ledermøtet; se {WORD}.")
    git(root, "commit", "-q", "-am", "Merknad", when="2025-09-01T09:00:00+02:00")
    with_note(root, f"Drøftet i ledermøtet; se {WORD} og {LATER}.")
    git(root, "commit", "-q", "-am", "Ny merknad", when="2025-10-01T09:00:00+02:00")
    return root


def test_no_file_of_the_site_holds_the_note(portal, tmp_path):
    site = tmp_path / "site"
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(site)]) == 0
    files = outputs(site)
    assert any(name.endswith("measures.json") for name in files) and any(".xml" in name for name in files)
    assert any("styrket-hjemmetjeneste-2025" in name and name.endswith(".html") for name in files)
    leaked = sorted(name for name, text in files.items() if WORD in text or LATER in text)
    assert leaked == []


def test_diff_between_the_commits_does_not_show_the_note(portal, capsys):
    for extra in ([], ["--format", "json"]):
        assert main(["-f", str(portal / "mkdocs.yml"), "diff", "HEAD~2", "HEAD", *extra]) == 0
        out = capsys.readouterr().out
        assert out and WORD not in out and LATER not in out


def test_the_note_is_in_the_model_but_in_no_dump(portal):
    measure = next(x for x in load(portal).measures if x.id == "styrket-hjemmetjeneste-2025")
    assert WORD in measure.internal_note
    assert "internal_note" not in measure.model_dump(mode="json")


def test_export_gives_the_note_back_in_the_kommentar_column(portal, tmp_path):
    out = tmp_path / "tabell.xlsx"
    assert main(["-f", str(portal / "mkdocs.yml"), "export", "--round", "budsjett-2025", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    heading = next(r for r in rows if "Kommentar" in r)
    column = heading.index("Kommentar")
    notes = [r[column] for r in rows[rows.index(heading) + 1:] if len(r) > column and r[column]]
    assert notes == [f"Drøftet i ledermøtet; se {WORD} og {LATER}."]


def test_the_editor_shows_it_as_a_text_said_not_to_be_published():
    settings = load_settings(EXAMPLE / "mkdocs.yml")
    config = editor_config(settings, settings.editor, load_portal(settings))
    for collection in (c for c in config["collections"] if c["name"].startswith("measures-")):
        note = next(f for f in collection["fields"] if f["name"] == "internal_note")
        assert note["widget"] == "text" and not note["required"]
        assert "ikke" in note["label"].lower() and "aldri" in note["hint"].lower()  # bokmål: not, never


def test_personal_data_in_the_note_is_reported_but_only_an_identity_number_stops(tmp_path):
    root = write_portal(tmp_path / "phone")
    with_note(root, "Ring Kari på 912 34 567.")
    assert main(["-f", str(root / "mkdocs.yml"), "validate"]) == 0  # a warning: it is not published
    root = write_portal(tmp_path / "id")
    with_note(root, "Gjelder 04039151222.")
    problems = load_problems(root)
    found = [p for p in problems if "must not be kept in the measure's file" in str(p)]
    assert found and found[0].severity == Severity.error and "04039151222" not in str(found[0])
