"""`prioportal import` on the messy sheets real municipalities keep: every sheet is made here, in
the shapes the source tools and council papers use, and each one either imports right or stops
with a located problem (`file[sheet]:row:column`) and writes nothing. Nothing is lost, nothing is
invented: a split CSV row, a range, a missing year, a guessed cost kind, a column of money named
after a criterion, personal data in a cell; a mapping suggested by a warning works as printed;
rows that match measures of the round update them; and export → edit → import --update of the
bundled example changes what was edited and nothing else."""

from __future__ import annotations

import csv
import difflib
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from portal_factory import MEASURE_FUNDED, load
from prioportal.cli import main
from test_import_export import measure_files, run, write_xlsx

REPOSITORY = Path(__file__).resolve().parent.parent
FODSELSNUMMER = "01019012480"  # a valid Norwegian identity number (both check digits), made up


def written_anything(portal: Path, before: list[Path]) -> bool:
    return sorted(portal.rglob("*")) != before


# --- A CSV row with more fields than headings ----------------------------------------------------

@pytest.mark.parametrize("headings, row", [
    # An unquoted ';' in the rationale, in the middle of the row: everything after it moves right.
    ("Tiltak;Alvorlighet;Nytte;Begrunnelse for vedtaket;Rang",
     "Kveldsåpent bibliotek;Liten;Moderat;Andre tiltak er viktigere; vi ser på det igjen neste år;9"),
    # In the last text: the end would land in a column without a heading.
    ("Tiltak;Alvorlighet;Nytte;Rang;Begrunnelse for vedtaket",
     "Kveldsåpent bibliotek;Liten;Moderat;9;Andre tiltak er viktigere; vi ser på det igjen neste år"),
])
def test_a_csv_row_with_more_fields_than_headings_stops_at_its_row(portal_dir, tmp_path, capsys, headings, row):
    table = tmp_path / "rangering.csv"
    table.write_text(f"{headings}\r\nNy lekeplass;Stor;Stor;;\r\n{row}\r\n", encoding="utf-8")
    before = sorted(portal_dir.rglob("*"))
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 1
    err = capsys.readouterr().err
    assert "rangering.csv[rangering]:3:6: cell F3: this row has 6 fields but the headings have 5" in err
    assert "a ';' inside a text" in err and "double quotes" in err
    assert not written_anything(portal_dir, before)

    # Quoted, as a spreadsheet program saves it, the same row imports whole.
    quoted = re.sub(r"(Andre[^;]*; vi[^;]*)", r'"\1"', row)
    table.write_text(f"{headings}\r\n{quoted}\r\n", encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    data = yaml.safe_load(measure_files(portal_dir)["kveldsapent-bibliotek.yml"])
    assert data["outcome"]["rationale"] == "Andre tiltak er viktigere; vi ser på det igjen neste år"


def test_a_cell_without_a_heading_is_reported(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "ark.xlsx", [["Tiltak", "Alvorlighet", "Nytte", None],
                                               ["Ny lekeplass", "Stor", "Stor", "husk å spørre rektor"]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--dry-run") == 0
    err = capsys.readouterr().err
    assert "ark.xlsx[Rangordning]:2:4: warning: cell D2: this column has no heading and is not imported" in err


# --- Headings broken over lines, with hyphens, footnote marks and units -----------------------

NATIONAL_MODEL = [
    ["Öppna prioriteringar – rangordning 2026"] + [None] * 8,
    ["Hälsotillstånd\n+ åtgärd", "Jämförelse-\nalternativ", "Svårighets-\ngrad¹", "Patient-\nnytta*",
     "Kostnad i relation\ntill nytta", "Kostnad per år\n(tkr)", "Rangordning\n1–10", "Kommentar",
     "* enligt\nenkät"],
    ["Trycksår hos äldre + daglig hudkontroll", "Kontroll vid behov", "Stor", "Stor", "Hög", 850, 2,
     "Se bilaga", None],
]


def test_headings_of_the_national_model_as_they_are_typed(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "prioriteringar.xlsx", NATIONAL_MODEL, ("A1:I1",), title="Blad1")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    captured = capsys.readouterr()
    data = yaml.safe_load(measure_files(portal_dir)["trycksar-hos-aldre-daglig-hudkontroll.yml"])
    assert data["situation"]["current_state"] == "Trycksår hos äldre"
    assert data["proposal"] == {"description": "daglig hudkontroll", "alternative": "Kontroll vid behov"}
    assert {k: v["level"] for k, v in data["assessments"].items()} == {
        "alvorlighet": "stor", "nytte": "stor", "kostnadseffektivitet": "hoey"}
    assert data["rank"] == 2
    # "Kostnad per år (tkr)": the same amount every year, in thousands, and the import says so.
    assert data["costs"] == [{"description": "Trycksår hos äldre + daglig hudkontroll", "kind": "recurring",
                              "year_1": 850_000, "year_2": 850_000, "year_3": 850_000, "years_4_10": 850_000}]
    assert ("prioriteringar.xlsx[Blad1]:2:6: warning: cell F2 (Kostnad per år (tkr)): this column is read as a "
            "recurring cost of the same amount every year, years 1 to 10") in captured.err
    assert "column F (Kostnad per år (tkr)): amounts in thousands of kroner (tkr), so 850 in a cell is 850 000 kroner" \
        in captured.out
    # The footnote's own column has no cells below it: nothing to import, nothing to say.
    assert "cell I2 (* enligt enkät)" not in captured.err


@pytest.mark.parametrize("heading, cell, kroner, words", [
    ("År 1 (tkr)", 850, 850_000, "thousands of kroner (tkr), so 850 in a cell is 850 000 kroner"),
    ("År 1\n(MNOK)", "1,5", 1_500_000, "millions of kroner (MNOK), so 1,5 in a cell is 1 500 000 kroner"),
    ("År 1, mkr", 2, 2_000_000, "millions of kroner (mkr), so 2 in a cell is 2 000 000 kroner"),
    ("År 1 (kr)", 850, 850, None),
    ("År 1 (tkr)", "750 000 kr", 750_000, "thousands of kroner (tkr)"),  # the cell's own unit wins
])
def test_units_in_a_heading_scale_its_amounts_and_the_import_says_how(portal_dir, tmp_path, capsys, heading, cell,
                                                                      kroner, words):
    table = write_xlsx(tmp_path / "enheter.xlsx", [["Tiltak", "Alvorlighet", heading, "Kostnadstype"],
                                                   ["Ny lekeplass", "Stor", cell, "Engangs"]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    out = capsys.readouterr().out
    data = yaml.safe_load(measure_files(portal_dir)["ny-lekeplass.yml"])
    assert data["costs"][0]["year_1"] == kroner
    if words:
        assert words in out
    else:
        assert "amounts in" not in out


# --- A column named after a criterion that holds money ----------------------------------------

@pytest.mark.parametrize("heading, cells", [
    ("Kostnad, tkr", [850, 1200]),  # a money unit in the heading
    ("Kostnad", ["850 000", 1_200_000]),  # amounts in the cells
])
def test_a_column_of_money_named_after_a_criterion_is_an_amount(portal_dir, tmp_path, capsys, heading, cells):
    # kriterier-2025 has the criterion Ressurs, whose usual word in the source tools is "Kostnad".
    table = write_xlsx(tmp_path / "kostnader.xlsx", [
        ["Tiltak", "Alvorlighet", "Nytte", heading, "Kostnadstype"],
        ["Ny lekeplass", "Stor", "Stor", cells[0], "Engangs"],
        ["Nytt tak", "Moderat", "Stor", cells[1], "Engangs"]])
    before = sorted(portal_dir.rglob("*"))
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025") == 1
    err = capsys.readouterr().err
    # One problem for the column, at its heading; none for each row.
    problem = [line for line in err.splitlines() if ":1:4:" in line]
    assert len(problem) == 1 and "cell D1" in problem[0] and "holds amounts, but not for which year" in problem[0], err
    assert "is not a level" not in err and "not valid: 1 error(s)" in err
    assert not written_anything(portal_dir, before)

    # The mapping line the problem suggests works as printed.
    suggested = re.search(r"write  (.+?)  \(", problem[0]).group(1)
    mapping = tmp_path / "kolonner.yml"
    mapping.write_text(f"columns:\n  {suggested}\n", encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025", "--mapping", str(mapping)) == 0
    files = measure_files(portal_dir, "2025")
    assert yaml.safe_load(files["ny-lekeplass.yml"])["costs"][0]["year_1"] == 850_000
    assert yaml.safe_load(files["nytt-tak.yml"])["costs"][0]["year_1"] == 1_200_000


def test_a_criterion_column_with_levels_stays_a_criterion(portal_dir, tmp_path):
    table = write_xlsx(tmp_path / "niva.xlsx", [["Tiltak", "Kostnad"], ["Ny lekeplass", "Høy"]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025") == 0
    data = yaml.safe_load(measure_files(portal_dir, "2025")["ny-lekeplass.yml"])
    assert data["assessments"]["ressurs"]["level"] == "hoey"


# --- A mapping a warning suggests works when copied ------------------------------------------

def test_a_suggested_mapping_works_as_printed(portal_dir, tmp_path, capsys):
    rows = [["Tiltak", "Alvorlighet", "Intern-\nvurdering*", "Merknad: økonomi", "# saks-\nnummer"],
            ["Ny lekeplass", "Stor", "God", "Sjekket", "24/118"]]
    table = write_xlsx(tmp_path / "egen.xlsx", rows)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--dry-run") == 0
    err = capsys.readouterr().err
    suggestions = re.findall(r"this column is not imported: its heading is not recognised — .*?write  (.+?)  ", err)
    assert len(suggestions) == 3, err
    mapping = tmp_path / "kolonner.yml"
    mapping.write_text("columns:\n" + "".join(f"  {line}\n" for line in suggestions), encoding="utf-8")
    assert yaml.safe_load(mapping.read_text(encoding="utf-8"))  # valid YAML as printed
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--mapping", str(mapping),
               "--dry-run") == 0
    assert "not imported" not in capsys.readouterr().err

    # Copied and given a field instead of ignore, it imports the column.
    mapping.write_text("columns:\n" + "".join(f"  {line}\n" for line in suggestions).replace(
        ": ignore\n", ": comment\n", 1), encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--mapping", str(mapping)) == 0
    assert yaml.safe_load(measure_files(portal_dir)["ny-lekeplass.yml"])["internal_note"] == "God"


# --- Ranges, missing years and guessed cost kinds ------------------------------------------------

def test_a_range_is_kept_visibly_for_the_communicator(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "spenn.xlsx", [
        ["Tiltak", "Alvorlighet", "År 1 (tkr)", "År 2 (tkr)", "År 3 (tkr)", "År 4–10 (tkr)", "Kostnadstype", "Rang"],
        ["Ny lekeplass", "Stor", "2000-2500", 0, 0, 0, "Engangs", "3–4"]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    err = capsys.readouterr().err
    assert ("spenn.xlsx[Rangordning]:2:3: warning: cell C2 (År 1 (tkr)): '2000-2500' is a range: it is written to "
            "the file as a placeholder for you to decide") in err
    assert "spenn.xlsx[Rangordning]:2:8: warning: cell H2 (Rang): '3–4' is a range" in err
    data = yaml.safe_load(measure_files(portal_dir)["ny-lekeplass.yml"])
    year_1 = data["costs"][0]["year_1"]
    assert year_1.startswith("<") and "2000-2500" in year_1 and "2 000 000 to 2 500 000 kroner" in year_1
    assert data["rank"].startswith("<") and "3–4" in data["rank"]
    capsys.readouterr()
    assert run(portal_dir, "validate") == 1
    err = capsys.readouterr().err
    assert "'year_1' still holds the placeholder" in err and "'rank' still holds the placeholder" in err


def test_missing_years_stay_missing_and_a_guessed_cost_kind_is_reported(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "to-aar.xlsx", [
        ["Tiltak", "Alvorlighet", "År 1", "År 2"],
        ["Ny lekeplass", "Stor", 500_000, 100_000],
        ["Nytt tak", "Stor", 2_000_000, None]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    err = capsys.readouterr().err
    assert ("to-aar.xlsx[Rangordning]:1:1: warning: the sheet has no column for År 3, År 4–10: new files get a "
            "placeholder there, which 'prioportal validate' lists") in err
    assert ("to-aar.xlsx[Rangordning]:2:3: warning: cell C2 (År 1): the sheet does not say whether the cost is "
            "one-off or recurring: it is written as kind: recurring, since the sheet has costs after year 1") in err
    assert ("to-aar.xlsx[Rangordning]:3:3: warning: cell C3 (År 1): the sheet does not say whether the cost is "
            "one-off or recurring: it is written as kind: one_off, since the sheet has no cost after year 1") in err
    files = measure_files(portal_dir)
    first = yaml.safe_load(files["ny-lekeplass.yml"])["costs"][0]
    assert (first["year_1"], first["year_2"], first["kind"]) == (500_000, 100_000, "recurring")
    assert first["year_3"].startswith("<") and first["years_4_10"].startswith("<")
    second = yaml.safe_load(files["nytt-tak.yml"])["costs"][0]
    assert second["year_2"].startswith("<")  # an empty cell is not a 0
    capsys.readouterr()
    assert run(portal_dir, "validate") == 1
    err = capsys.readouterr().err
    assert "'year_3' still holds the placeholder" in err and "'years_4_10' still holds the placeholder" in err


# --- Rows that match measures of the round ------------------------------------------------------

def test_a_row_with_the_title_of_a_measure_of_the_round_is_that_measure(portal_dir, tmp_path, capsys):
    target = portal_dir / MEASURE_FUNDED
    table = write_xlsx(tmp_path / "rangering.xlsx", [["Tiltak", "Nytte", "Rang"],
                                                      ["Styrket  hjemmetjeneste", "Stor", 2]])
    before = sorted(portal_dir.rglob("*"))
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025") == 1
    err = capsys.readouterr().err
    assert ("rangering.xlsx[Rangordning]:2:1: cell A2 (Tiltak): the measure 'styrket-hjemmetjeneste-2025' "
            f"already exists ({MEASURE_FUNDED}) with this title and is not overwritten") in err
    assert not written_anything(portal_dir, before)

    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025", "--update") == 0
    assert "1 updated" in capsys.readouterr().out
    assert measure_files(portal_dir, "2025") == {}  # no duplicate
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["rank"] == 2 and data["assessments"]["nytte"]["level"] == "stor"
    load(portal_dir)


def test_a_new_id_for_a_title_the_round_has_is_stopped(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "rangering.xlsx", [["Id", "Tiltak", "Rang"],
                                                      ["hjemmetjeneste-ny", "Styrket hjemmetjeneste", 2]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025", "--update") == 1
    err = capsys.readouterr().err
    assert ("rangering.xlsx[Rangordning]:2:1: cell A2 (Id): the round already has a measure with this title, "
            f"'styrket-hjemmetjeneste-2025' ({MEASURE_FUNDED})") in err


# --- Personal data in cells ----------------------------------------------------------------------

def test_personal_data_in_cells_is_reported_masked_and_never_printed(portal_dir, tmp_path, capsys):
    rows = [["Tiltak", "Alvorlighet", "Saksbehandler", "Kommentar"],
            ["Ny lekeplass", FODSELSNUMMER, "Kari, tlf 912 34 567", "Ring Ola på 913 45 678"],
            ["Nytt tak", "Stor", int(FODSELSNUMMER), None]]
    table = write_xlsx(tmp_path / "personer.xlsx", rows)
    for extra in ([], ["--dry-run"]):
        assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", *extra) == 1
        captured = capsys.readouterr()
        both = captured.out + captured.err
        for secret in (FODSELSNUMMER, FODSELSNUMMER[1:], "912 34 567", "913 45 678"):
            assert secret not in both, (secret, both)
        # In a cell that is imported: an error, masked; in a column that is not: a warning, masked.
        assert ("personer.xlsx[Rangordning]:2:2: cell B2 (Alvorlighet): a Norwegian national identity number "
                "(fødselsnummer) (010190*****) must not be published") in both
        assert ("personer.xlsx[Rangordning]:2:3: warning: cell C2 (Saksbehandler): a phone number (91* ** ***) is in "
                "a column that is not imported") in both
        assert "personer.xlsx[Rangordning]:3:3: warning: cell C3 (Saksbehandler): a Norwegian national identity" in both
        assert ("personer.xlsx[Rangordning]:2:4: warning: cell D2 (Kommentar): a phone number (91* ** ***) is kept in "
                "the measure's file") in both

    # Without the identity number, the dry run shows the file with the phone number masked.
    rows[1][1] = "Stor"
    table = write_xlsx(tmp_path / "personer.xlsx", rows)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--dry-run") == 0
    captured = capsys.readouterr()
    assert "913 45 678" not in captured.out + captured.err
    assert "Ring Ola på 91* ** ***" in captured.out


def test_an_amount_is_not_a_phone_number_but_an_identity_number_in_an_amount_cell_is_stopped(portal_dir, tmp_path,
                                                                                               capsys):
    rows = [["Tiltak", "Alvorlighet", "År 1", "Kostnadstype"],
            ["Ny skole", "Stor", "91234567", "Engangs"],  # eight digits, as a Norwegian mobile number has
            ["Nytt tak", "Stor", FODSELSNUMMER, "Engangs"]]
    table = write_xlsx(tmp_path / "belop.xlsx", rows)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 1
    err = capsys.readouterr().err
    assert "cell C2" not in err
    assert ("belop.xlsx[Rangordning]:3:3: cell C3 (År 1): a Norwegian national identity number (fødselsnummer) "
            "(010190*****) must not be published") in err
    rows.pop()
    table = write_xlsx(tmp_path / "belop.xlsx", rows)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    assert yaml.safe_load(measure_files(portal_dir)["ny-skole.yml"])["costs"][0]["year_1"] == 91_234_567


# --- Export → edit in a spreadsheet → import --update ---------------------------------------------

@pytest.fixture
def bundled_example(tmp_path) -> Path:
    """The Norwegian example at the top of the repository, whose measures have several cost lines."""
    portal = tmp_path / "eksempel"
    portal.mkdir()
    shutil.copy(REPOSITORY / "mkdocs.yml", portal)
    for folder in ("decisions", "content"):
        shutil.copytree(REPOSITORY / folder, portal / folder)
    (portal / "site_templates").mkdir()
    return portal


def _files(portal: Path) -> dict[str, str]:
    return {p.relative_to(portal).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((portal / "decisions" / "measures").rglob("*.yml"))}


def test_export_edit_a_rank_in_a_spreadsheet_and_import_update(bundled_example, tmp_path, capsys):
    from libreoffice import sheets_as_csv

    portal = bundled_example
    config = str(portal / "mkdocs.yml")
    before = _files(portal)
    several = [path for path, text in before.items()
               if "budsjett-2025" in text and len(yaml.safe_load(text).get("costs") or []) > 1]
    assert len(several) >= 5, several
    workbook = tmp_path / "budsjett-2025.xlsx"
    assert main(["-f", config, "export", "--round", "budsjett-2025", "--out", str(workbook)]) == 0

    # Unchanged, the table updates nothing.
    capsys.readouterr()
    assert main(["-f", config, "import", str(workbook), "--round", "budsjett-2025", "--update"]) == 0
    captured = capsys.readouterr()
    assert "0 new, 0 updated" in captured.out, captured.err
    assert _files(portal) == before

    # A rank changed in the workbook, as a spreadsheet program saves it.
    book = load_workbook(workbook)
    sheet = book.active
    headings = [cell.value for cell in sheet[1]]
    id_col, rank_col = headings.index("Id") + 1, headings.index("Rang") + 1
    row = next(r for r in range(2, sheet.max_row + 1)
               if any(sheet.cell(r, id_col).value in path for path in several))
    ident, old_rank = sheet.cell(row, id_col).value, sheet.cell(row, rank_col).value
    new_rank = old_rank + 1 if old_rank < 10 else old_rank - 1
    sheet.cell(row, rank_col).value = new_rank
    book.save(workbook)

    # LibreOffice reads the edited workbook as the import will: the new rank, the rest as exported.
    (calc,) = sheets_as_csv(workbook, tmp_path / "calc").values()
    with calc.open(encoding="utf-8") as f:
        read = list(csv.reader(f, delimiter=";"))
    assert read[0] == headings
    assert read[row - 1][id_col - 1] == ident and read[row - 1][rank_col - 1] == str(new_rank)

    # Saved again by LibreOffice, as a communicator's spreadsheet program writes it, and imported.
    saved = resaved_by_libreoffice(workbook, tmp_path / "saved")
    assert main(["-f", config, "import", str(saved), "--round", "budsjett-2025", "--update"]) == 0
    assert "1 updated" in capsys.readouterr().out
    after = _files(portal)
    changed = {path for path in after if after[path] != before[path]}
    assert len(changed) == 1 and ident in next(iter(changed))
    (path,) = changed
    diff = [line for line in difflib.ndiff(before[path].splitlines(), after[path].splitlines()) if line[:1] in "+-"]
    assert sorted(diff) == sorted([f"- rank: {old_rank}", f"+ rank: {new_rank}"])
    assert len(yaml.safe_load(after[path])["costs"]) > 1  # the cost lines stay as they were
    # The workbook as openpyxl saved it says the same: nothing more to update.
    assert main(["-f", config, "import", str(workbook), "--round", "budsjett-2025", "--update"]) == 0
    assert "0 new, 0 updated" in capsys.readouterr().out and _files(portal) == after


def resaved_by_libreoffice(workbook: Path, out_dir: Path) -> Path:
    """`workbook` opened and saved as .xlsx by LibreOffice Calc, run headless."""
    import subprocess

    from libreoffice import soffice

    out_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([soffice(), f"-env:UserInstallation={(out_dir / 'profile').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(out_dir),
                           str(workbook)], capture_output=True, text=True, timeout=180)
    saved = out_dir / workbook.name
    assert done.returncode == 0 and saved.is_file(), done.stdout + done.stderr
    return saved


def test_a_changed_sum_of_several_cost_lines_is_stopped_at_its_cell(bundled_example, tmp_path, capsys):
    portal = bundled_example
    config = str(portal / "mkdocs.yml")
    table = tmp_path / "budsjett-2025.csv"
    assert main(["-f", config, "export", "--round", "budsjett-2025", "--format", "csv", "--out", str(table)]) == 0
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    headings = rows[0]
    at = next(i for i, cells in enumerate(rows) if cells[0] == "chatbot-servicetorget")
    year_1 = headings.index("År 1")
    assert rows[at][year_1] == "380000"  # 180 000 one-off + 200 000 recurring
    rows[at][year_1] = "400000"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    table.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    before = _files(portal)
    capsys.readouterr()
    assert main(["-f", config, "import", str(table), "--round", "budsjett-2025", "--update"]) == 1
    err = capsys.readouterr().err
    # The row as a spreadsheet program numbers it (a text with line breaks is one row).
    assert f"budsjett-2025.csv[budsjett-2025]:{at + 1}:{year_1 + 1}: cell " in err
    assert "the measure has 2 cost lines, which add up to 380 000 in this column; 400 000 cannot be shared" in err
    assert _files(portal) == before


# --- How cells and headings are read ---------------------------------------------------------------

@pytest.mark.parametrize("text, unit, expected", [
    ("2000-2500", 1000, (2_000_000, 2_500_000)), ("2 000–2 500 tkr", 1, (2_000_000, 2_500_000)),
    ("1,5-2 mnkr", 1, (1_500_000, 2_000_000)), ("300 til 400", 1, (300, 400)), ("-400", 1, None),
    ("1 200 000,-", 1, None), ("2025-01-01", 1, None), ("2500-2000", 1, None), ("mye", 1, None), (2000, 1, None),
])
def test_ranges_are_told_apart_from_amounts(text, unit, expected):
    from prioportal.tools.spreadsheet.amounts import parse_range
    assert parse_range(text, unit) == expected


@pytest.mark.parametrize("heading, expected", [
    ("År 1 (tkr)", (1000, "tkr")), ("Kostnad, MNOK", (1_000_000, "MNOK")), ("Beløp (kr)", (1, "kr")),
    ("Kostnad i 1000 kr", (1000, "1000 kr")), ("År 2 (mill. kr)", (1_000_000, "mill.")), ("KKR år 3", (1000, "KKR")),
    ("Kostnad (MSEK)", (1_000_000, "MSEK")), ("Kostnadseffektivitet", None), ("Kriterier", None), ("Miljø", None),
])
def test_the_unit_a_heading_gives(heading, expected):
    from prioportal.tools.spreadsheet.amounts import heading_unit
    assert heading_unit(heading) == expected


@pytest.mark.parametrize("text, expected", [("kr 1 200", 1200), ("NOK 1 000", 1000), ("1 200 kr", 1200)])
def test_a_currency_before_the_amount(text, expected):
    from prioportal.tools.spreadsheet.amounts import parse_amount
    assert parse_amount(text, 1000) == expected


@pytest.mark.parametrize("heading, same_as", [
    ("Patient-\nnytta*", "Patient- nytta*"), ("Svårighets-\ngrad¹", "Svårighetsgrad"), ("Nytte 2)", "Nytte"),
    ("Kostnad (tkr)\nÅr 1", "Kostnad (tkr) / År 1"), ("Merknad: økonomi", "merknad økonomi"),
])
def test_a_heading_as_a_message_shows_it_names_the_same_column(heading, same_as):
    from prioportal.tools.spreadsheet.vocabulary import loose_key
    assert loose_key(heading) == loose_key(same_as)
