"""`prioportal import` and `prioportal export`: real-shaped ranking tables made here, read the way
municipalities keep them (merged heading rows, line breaks in headings, Nordic CSV), and a round
trip import → export → import that changes nothing."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from portal_factory import MEASURE_FOLLOW_ON, MEASURE_FUNDED, MEASURE_INVESTMENT, load
from prioportal.cli import main
from prioportal.tools.spreadsheet.amounts import CellError, parse_amount
from prioportal.tools.spreadsheet.layout import Recogniser
from prioportal.tools.spreadsheet.measure_yaml import COMMENT_MARKER, read_comment
from prioportal.tools.spreadsheet.vocabulary import key, normalise


def run(portal: Path, *args: str) -> int:
    return main(["-f", str(portal / "mkdocs.yml"), *args])


def measure_files(portal: Path, year: str = "2026") -> dict[str, str]:
    folder = portal / "decisions" / "measures" / year
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yml"))} if folder.is_dir() else {}


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), title: str = "Rangordning") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_ods(path: Path, rows: list[list], spans: dict[tuple[int, int], int] | None = None,
              name: str = "Tiltak") -> Path:
    """An .ods file as LibreOffice writes it: a cell spanning columns, covered cells after it."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    spans = spans or {}
    doc = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for r, row in enumerate(rows):
        tr = TableRow()
        c = 0
        while c < len(row):
            value = row[c]
            span = spans.get((r, c), 1)
            attrs = {"numbercolumnsspanned": span} if span > 1 else {}
            if value is None:
                cell = TableCell(**attrs)
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value, **attrs)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string", **attrs)
                for line in str(value).split("\n"):
                    cell.addElement(P(text=line))
            tr.addElement(cell)
            for _ in range(span - 1):
                tr.addElement(CoveredTableCell())
            c += span
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


# --- The Basverktyg, as a Swedish municipality keeps it in Excel -----------------------------

BASVERKTYG = [
    ["Rangordning av åtgärder 2026 – Socialnämnden"] + [None] * 11,
    ["Situation", "Målområde", "Åtgärd/\nInsats", "Svårighets-\ngrad", "Effekt av\nåtgärden", "KOSTNADSEFFEKTIVITET",
     "Kostnad (tkr)", None, None, None, "Rangordning\n(1–10)", "Kommentar"],
    [None, None, None, None, None, None, "År 1", "År 2", "År 3", "År 4–10", None, None],
    ["Många äldre väntar länge på hemtjänst", "Invånares hälsa och välbefinnande", "Fler medarbetare i hemtjänsten",
     "Mycket stor", "Stor", "Hög", 1200, 3600, "3 600", 3600, 1, "Kräver beslut i KF"],
    [None] * 12,
    ["Obrukbar fotbollsplan", "Samhällets livskraft", "Ny fotbollsplan", "Måttlig", "Måttlig", "Låg",
     "10 000", "10 000", 100, 700, 3, None],
]
BASVERKTYG_MERGES = ("A1:L1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:J2", "K2:K3", "L2:L3")


def test_xlsx_with_merged_heading_rows_and_line_breaks(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "basverktyg.xlsx", BASVERKTYG, BASVERKTYG_MERGES)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    files = measure_files(portal_dir)
    assert sorted(files) == ["fler-medarbetare-i-hemtjansten.yml", "ny-fotbollsplan.yml"]
    first = yaml.safe_load(files["fler-medarbetare-i-hemtjansten.yml"])
    assert first["title"] == "Fler medarbetare i hemtjänsten"
    assert first["round"] == "budsjett-2026"
    assert first["situation"]["current_state"] == "Många äldre väntar länge på hemtjänst"
    assert first["target_area"] == "Invånares hälsa och välbefinnande"
    assert {k: v["level"] for k, v in first["assessments"].items()} == {
        "alvorlighet": "svaert-stor", "nytte": "stor", "kostnadseffektivitet": "hoey"}
    assert first["costs"] == [{"description": "Fler medarbetare i hemtjänsten", "kind": "recurring",
                               "year_1": 1_200_000, "year_2": 3_600_000, "year_3": 3_600_000,
                               "years_4_10": 3_600_000}]
    assert first["rank"] == 1
    # The table's comment is kept for the communicator, in a field that is never published.
    assert first["internal_note"] == "Kräver beslut i KF"
    second = yaml.safe_load(files["ny-fotbollsplan.yml"])
    assert second["costs"][0]["year_1"] == 10_000_000 and second["costs"][0]["years_4_10"] == 700_000
    assert {k: v["level"] for k, v in second["assessments"].items()} == {
        "alvorlighet": "moderat", "nytte": "moderat", "kostnadseffektivitet": "lav"}
    assert "2 measure(s); 2 new" in capsys.readouterr().out

    # Ready to validate: what the sheet did not say is a placeholder, listed with its line.
    capsys.readouterr()
    assert run(portal_dir, "validate") == 1
    err = capsys.readouterr().err
    assert "fler-medarbetare-i-hemtjansten.yml" in err and "still holds the placeholder" in err
    assert "Traceback" not in err


def test_ods_with_a_spanned_group_heading(portal_dir, tmp_path):
    rows = [
        ["Tiltak", "Sektor", "Tjenesteområde", "Alvorlighet", "Nytte", "Kostnadseffektivitet", "Kostnad (mnkr)",
         None, "Rang", "Type", "Årsak til behov"],
        [None, None, None, None, None, None, "År 1", "År 2", None, None, None],
        ["Trygghetsalarm for alle over 80", "Helse og omsorg", "Hjemmetjenester", "Stor", "Moderat", "Moderat",
         1.5, "0,5", 2, "Nytt behov", "Volum/demografi"],
    ]
    table = write_ods(tmp_path / "rangering.ods", rows, {(0, 6): 2})
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    data = yaml.safe_load(measure_files(portal_dir)["trygghetsalarm-for-alle-over-80.yml"])
    assert data["sector"] == "Helse og omsorg" and data["service_area"] == "Hjemmetjenester"
    assert data["costs"][0]["year_1"] == 1_500_000 and data["costs"][0]["year_2"] == 500_000
    assert data["type"] == "new_need" and data["need_cause"] == "volume_demography"
    assert data["rank"] == 2
    assert data["assessments"]["alvorlighet"]["level"] == "stor"


def test_nordic_csv_cp1252_semicolons_and_decimal_commas(portal_dir, tmp_path):
    text = ("Tiltak;Situasjon;Alvorlighet;Nytte;Kostnadseffektivitet;År 1 (tkr);År 2;Rang;Type\r\n"
            "Leksehjelp på biblioteket;Mange elever får ikke hjelp hjemme;Moderat;Stor;Høy;250;\"1,5 mnkr\";4;"
            "Høyere ambisjonsnivå\r\n"
            ";;;;;;;;\r\n"
            "Gatelys i Sørvik;Mørke veier om vinteren;Liten;Liten;Lav;\"1 200,5\";0;8;Investering\r\n")
    table = tmp_path / "rangering.csv"
    table.write_bytes(text.encode("cp1252"))
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    files = measure_files(portal_dir)
    first = yaml.safe_load(files["leksehjelp-pa-biblioteket.yml"])
    assert first["situation"]["current_state"] == "Mange elever får ikke hjelp hjemme"
    assert first["costs"][0]["year_1"] == 250_000 and first["costs"][0]["year_2"] == 1_500_000
    assert first["type"] == "ambition_increase"
    second = yaml.safe_load(files["gatelys-i-sorvik.yml"])
    assert second["costs"][0]["year_1"] == 1_200_500 and second["type"] == "investment"
    assert second["assessments"]["kostnadseffektivitet"]["level"] == "lav"


MESSY = [
    ["Tiltak", "Alvorlighet", "Nytte", "Kostnadseffektivitet", "År 1", "Intern merknad", "Rang"],
    [None] * 7,
    ["Helse og omsorg"] + [None] * 6,  # a section heading: skipped with a warning
    ["Flere sykepleiere", "Enorm", "Stor", "Høy", "mye", "sjekk med økonomi", 2],
    [None] * 7,
    ["Nytt tak på skolen", "Stor", "Moderat", "Moderat", "ca. 2 mill?", None, "først"],
    [None, "Stor", None, None, "100", None, None],  # no title
    ["Sum", None, None, None, 5000, None, None],  # a total row
    ["Ny lekeplass", "Stor", "Liten", "Lav", "750 000", None, 5],
]


def test_messy_sheet_reports_every_problem_with_sheet_row_and_column(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "messy.xlsx", MESSY, title="Ark1")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 1
    err = capsys.readouterr().err
    lines = err.splitlines()

    def line_for(ref: str) -> str:
        found = [line for line in lines if f": cell {ref} " in line]
        assert len(found) == 1, (ref, err)
        return found[0]

    # Sheet, row and column number, then the cell's reference and heading.
    assert line_for("B4").startswith("messy.xlsx[Ark1]:4:2: cell B4 (Alvorlighet): 'Enorm' is not a level on the "
                                     "scale of 'Alvorlighet' — use one of: Svært stor, Stor, Moderat, Liten")
    assert line_for("E4").startswith("messy.xlsx[Ark1]:4:5: cell E4 (År 1): 'mye' is not an amount")
    assert line_for("E6").startswith("messy.xlsx[Ark1]:6:5: cell E6 (År 1): 'ca. 2 mill?' is not an amount")
    assert line_for("G6").startswith("messy.xlsx[Ark1]:6:7: cell G6 (Rang): 'først' is not a rank")
    assert "messy.xlsx[Ark1]:7:1: cell A7 (Tiltak): this row has no measure title" in err
    # Warnings: the unknown column, the section heading and the total row; not errors.
    assert "messy.xlsx[Ark1]:1:6: warning: cell F1 (Intern merknad): this column is not imported" in err
    assert "messy.xlsx[Ark1]:3:1: warning: cell A3 (Tiltak): this row is skipped" in err
    assert "messy.xlsx[Ark1]:8:1: warning: cell A8 (Tiltak): this row is skipped: it looks like a total" in err
    # And what the good row's file would lack: the years the sheet has no column for, and the
    # kind of its cost, which the sheet does not say.
    assert "messy.xlsx[Ark1]:1:1: warning: the sheet has no column for År 2, År 3, År 4–10" in err
    assert "messy.xlsx[Ark1]:9:5: warning: cell E9 (År 1): the sheet does not say whether the cost is one-off" in err
    assert "not valid: 5 error(s), 5 warning(s)" in err
    # All or nothing: the good row is not written either.
    assert measure_files(portal_dir) == {}


def test_mapping_file_names_other_columns_and_labels(portal_dir, tmp_path, capsys):
    rows = [["Hva", "Alv.", "Nyttevurd.", "KE", "Koster 2026 (tkr)", "Internt"],
            ["Mer kveldsåpent", "++", "Stor", "Moderat", 300, "x"]]
    table = write_xlsx(tmp_path / "egen.xlsx", rows)
    mapping = tmp_path / "kolonner.yml"
    mapping.write_text("columns:\n  Hva: title\n  Alv.: alvorlighet\n  Nyttevurd.: nytte\n"
                       "  KE: kostnadseffektivitet\n  Koster 2026 (tkr): year_1\n  Internt: ignore\n"
                       "values:\n  alvorlighet:\n    '++': svaert-stor\n", encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--mapping", str(mapping)) == 0
    data = yaml.safe_load(measure_files(portal_dir)["mer-kveldsapent.yml"])
    assert data["assessments"]["alvorlighet"]["level"] == "svaert-stor"
    assert data["costs"][0]["year_1"] == 300_000
    err = capsys.readouterr().err
    assert "not imported" not in err  # every column is named
    assert "the sheet has no column for År 2, År 3, År 4–10" in err  # and the years it lacks are said

    mapping.write_text("columns:\n  Hva: titel\n", encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--mapping", str(mapping),
               "--dry-run") == 1
    err = capsys.readouterr().err
    assert "kolonner.yml:2:8: 'titel' is not a field or a criterion of kriterier-2026 — did you mean 'title'?" in err


def test_dry_run_writes_nothing_and_shows_the_files(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "basverktyg.xlsx", BASVERKTYG, BASVERKTYG_MERGES)
    before = sorted(p.relative_to(portal_dir) for p in portal_dir.rglob("*"))
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026", "--dry-run") == 0
    out = capsys.readouterr().out
    assert sorted(p.relative_to(portal_dir) for p in portal_dir.rglob("*")) == before
    assert "would write decisions/measures/2026/fler-medarbetare-i-hemtjansten.yml (row 4)" in out
    assert "title: Fler medarbetare i hemtjänsten" in out
    assert "dry run: nothing written" in out


def test_an_existing_file_is_not_overwritten(portal_dir, tmp_path, capsys):
    table = write_xlsx(tmp_path / "basverktyg.xlsx", BASVERKTYG, BASVERKTYG_MERGES)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    target = portal_dir / "decisions/measures/2026/fler-medarbetare-i-hemtjansten.yml"
    target.write_text(target.read_text(encoding="utf-8").replace("<Sector or committee>", "Helse og omsorg"),
                      encoding="utf-8")
    edited = target.read_bytes()
    capsys.readouterr()
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 1
    err = capsys.readouterr().err
    assert ("basverktyg.xlsx[Rangordning]:4:3: cell C4 (Åtgärd/ Insats): the measure 'fler-medarbetare-i-hemtjansten' "
            "already exists") in err
    assert "run again with --update" in err
    assert target.read_bytes() == edited


def test_update_keeps_comments_and_field_order(portal_dir, tmp_path, capsys):
    target = portal_dir / MEASURE_FUNDED
    text = target.read_text(encoding="utf-8")
    text = text.replace("rank: 1\n", "# Rangert på budsjettseminaret.\nrank: 1  # foreløpig\n")
    target.write_text(text, encoding="utf-8")
    old_keys = list(yaml.safe_load(text))
    rows = [["Id", "Tiltak", "Nytte", "Rang", "Kommentar"],
            ["styrket-hjemmetjeneste-2025", "Styrket hjemmetjeneste", "Stor", 2, "Flyttet ned etter høringen"]]
    table = write_xlsx(tmp_path / "oppdatering.xlsx", rows)
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025", "--update") == 0
    assert "1 updated" in capsys.readouterr().out
    new_text = target.read_text(encoding="utf-8")
    assert new_text.startswith("# Tiltak i budsjettet 2025.\n")
    assert "# Rangert på budsjettseminaret.\nrank: 2  # foreløpig\n" in new_text
    assert list(yaml.safe_load(new_text)) == old_keys + ["internal_note"]
    data = yaml.safe_load(new_text)
    assert data["assessments"]["nytte"] == {"level": "stor", "justification": "Ventetiden blir kortere for alle."}
    assert data["costs"][0]["year_1"] == "1 200 000"  # not in the sheet: untouched, as written
    assert data["internal_note"] == "Flyttet ned etter høringen"
    # The rest of the file is line for line as it was.
    changed = [line for line in difflib.ndiff(text.splitlines(), new_text.splitlines()) if line[:1] in "+-"]
    assert sorted(changed) == sorted([
        "+ internal_note: Flyttet ned etter høringen",
        "-     level: svaert-stor", "+     level: stor",
        "- rank: 1  # foreløpig", "+ rank: 2  # foreløpig"])
    load(portal_dir)  # still valid

    # A second update with the same sheet changes nothing.
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025", "--update") == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == new_text


COMPLETE = [
    ["Nämnd", "Verksamhetsområde", "Målområde", "Situation", "Mål", "Åtgärd/Insats", "Sammanfattande beskrivning",
     "Beskrivning av åtgärden", "Jämförelsealternativ", "Typ", "Orsak till behov", "Effekt på längre sikt",
     "Svårighetsgrad", "Motivering svårighetsgrad", "Nytta", "Nytta – motivering", "Kostnadseffektivitet",
     "Kostnadseffektivitet kommentar", "År 1 (tkr)", "År 2 (tkr)", "År 3 (tkr)", "År 4–10 (tkr)", "Rangordning",
     "Beslut", "Beviljat", "Motivering till beslutet", "Vilka berörs", "Konsekvensanalys", "Kommentar"],
    ["Helse og omsorg", "Hjemmetjenester", "Innbyggernes helse", "Ventetiden er lang.", "Kort ventetid.",
     "Flere i hjemmetjenesten", "Flere ansatte gir kortere ventetid.", "Fire nye årsverk.", "Dagens bemanning.",
     "Nytt behov", "Mangel på arbeidskraft", "Færre innleggelser.", "Mycket stor", "Mange venter.", "Stor",
     "Ventetiden går ned.", "Hög", "Mye nytte for pengene.", 2400, 2400, 2400, 2400, 1, "Prioritert", None,
     "Høy alvorlighet.", None, None, "Ta med i økonomiplanen"],
    ["Kultur", "Bibliotek", None, "Biblioteket er stengt om kvelden.", "Åpent for alle.", "Kveldsåpent bibliotek",
     "Biblioteket holder åpent om kvelden.", "Vakter tre kvelder.", "Dagens åpningstider.", "Ambisjonsøkning",
     None, None, "Liten", "Det finnes andre tilbud.", "Moderat", "Noen flere låner bøker.", "Lav",
     "Vakter er dyrt.", "350", "0", "0", "0", 9, "Ej prioriterad", 0, "Andre tiltak er viktigere.",
     "Innbyggere som jobber på dagtid", "De kan bruke biblioteket på lørdager.\nMeråpent vurderes neste år.",
     None],
    ["Helse og omsorg", "Hjemmetjenester", None, "Nattbesøk vekker mange.", "God søvn.", "Digitalt nattilsyn",
     "Kamera i stedet for besøk for dem som vil.", "Kamera med fast tid.", "Dagens nattbesøk.",
     "Effektivisering/Ransonering", None, None, "Måttlig", "Noen blir vekket.", "Stor", "Bedre søvn.", "Hög",
     "Billig.", 500, 200, 200, 200, 2, "Prioritert", None, "Sparer tid i nattpatruljen.", None, None, None],
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_import_export_import_changes_nothing(make_portal, tmp_path, fmt, capsys):
    first = make_portal({MEASURE_FOLLOW_ON: None, MEASURE_INVESTMENT: None})  # the round holds only the sheet's
    table = write_xlsx(tmp_path / "komplett.xlsx", COMPLETE)
    assert run(first, "import", str(table), "--round", "budsjett-2026") == 0
    written = measure_files(first)
    assert len(written) == 3
    assert not any("<" in text for text in written.values()), written
    portal = load(first)  # valid as imported
    assert {x.id for x in portal.measures} >= {"flere-i-hjemmetjenesten", "kveldsapent-bibliotek"}
    # The Swedish tool's "Effektivisering/Ransonering" is a measure of both types.
    assert yaml.safe_load(written["digitalt-nattilsyn.yml"])["type"] == ["efficiency", "rationing"]

    exported = tmp_path / f"budsjett-2026.{fmt}"
    assert run(first, "export", "--round", "budsjett-2026", "--format", fmt, "--out", str(exported)) == 0

    second = tmp_path / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("2026"))
    assert measure_files(second) == {}
    assert run(second, "import", str(exported), "--round", "budsjett-2026") == 0
    assert measure_files(second) == written

    # And --update with the exported table leaves the files as they are.
    capsys.readouterr()
    assert run(first, "import", str(exported), "--round", "budsjett-2026", "--update") == 0
    assert "0 updated" in capsys.readouterr().out
    assert measure_files(first) == written


def test_export_has_the_headings_the_import_reads_in_the_portals_language(portal_dir, tmp_path):
    out = tmp_path / "runde.csv"
    assert run(portal_dir, "export", "--round", "budsjett-2025", "--format", "csv", "--out", str(out)) == 0
    assert out.read_bytes().startswith("\ufeff".encode("utf-8"))  # Excel opens it as UTF-8
    table = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    portal = load(portal_dir)
    assert list(table["Id"]) == [x.id for x in sorted(portal.measures_in("budsjett-2025"), key=lambda x: x.rank)]
    assert list(table["Rang"]) == ["1", "4", "9"]
    assert list(table["Vedtak"]) == ["Prioritert", "Rasjonert", "Ikke prioritert"]
    assert list(table["Alvorlighet"]) == ["Stor", "Moderat", "Liten"]
    assert list(table["År 1"]) == ["1200000", "400000", "350000"]
    criteria = portal.criteria_set("kriterier-2025")
    recogniser = Recogniser(criteria)
    recognised = {h: recogniser.recognise(h) for h in table.columns}
    assert all(recognised.values()), [h for h, t in recognised.items() if t is None]

    out = tmp_path / "runde.json"
    assert run(portal_dir, "export", "--round", "budsjett-2025", "--format", "json", "--out", str(out)) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["round"] == "budsjett-2025" and len(document["rows"]) == 3
    assert document["rows"][0]["Tiltak"] == "Styrket hjemmetjeneste"

    out = tmp_path / "runde.xlsx"
    assert run(portal_dir, "export", "--round", "budsjett-2025", "--out", str(out)) == 0
    sheet = pd.read_excel(out, dtype=object)
    assert list(sheet["Tildelt"].fillna(0)) == [0, 400000, 0]


def test_export_of_an_unknown_round_is_a_usage_error(portal_dir, tmp_path, capsys):
    assert run(portal_dir, "export", "--round", "budsjett-2062", "--out", str(tmp_path / "x.xlsx")) == 2
    assert "there is no round 'budsjett-2062'" in capsys.readouterr().err
    assert run(portal_dir, "import", str(tmp_path / "finnes-ikke.xlsx"), "--round", "budsjett-2026") == 2


@pytest.mark.parametrize("text, unit, expected", [
    ("10 000", 1, 10_000), ("10 000 tkr", 1, 10_000_000), ("1,5 mnkr", 1, 1_500_000), ("1,5 mkr", 1, 1_500_000),
    ("10\u00a0000 kr", 1, 10_000), ("1.200.000", 1, 1_200_000), ("1 200 000,-", 1, 1_200_000), (1200, 1000, 1_200_000),
    (1.5, 1_000_000, 1_500_000), ("2,5", 1000, 2500), ("-400", 1, -400), ("−400 tkr", 1, -400_000), ("", 1, None),
    ("–", 1, None), (None, 1, None), ("750 000 kr", 1000, 750_000), ("3 mill. kr", 1, 3_000_000),
])
def test_amounts_as_written_in_council_papers(text, unit, expected):
    assert parse_amount(text, unit) == expected


@pytest.mark.parametrize("text", ["mye", "ca. 2 mill?", "1,2345", "12 34 56 kr x", "true"])
def test_what_is_not_an_amount(text):
    with pytest.raises(CellError):
        parse_amount(text)


@pytest.mark.parametrize("heading, field, criterion", [
    ("Situation", "situation", None), ("MÅLOMRÅDE", "target_area", None), ("Åtgärd/\nInsats", "title", None),
    ("Åtgärd / insats", "title", None), ("Tiltak", "title", None), ("  Svårighets-\ngrad ", "level", "alvorlighet"),
    ("Alvorlighet", "level", "alvorlighet"), ("Effekt av\nåtgärden", "level", "nytte"), ("Nytta", "level", "nytte"),
    ("Nytte", "level", "nytte"), ("Kostnad", "level", "ressurs"), ("Ressurs", "level", "ressurs"),
    ("Rangordning (1–10)", "rank", None), ("Rang", "rank", None), ("År 1", "year_1", None),
    ("År 4-10 (tkr)", "years_4_10", None), ("Kostnad år 2", "year_2", None), ("Nämnd", "sector", None),
    ("Verksamhetsområde", "service_area", None), ("Typ", "type", None), ("Orsak till behov", "need_cause", None),
    ("Konsekvensanalys", "consequences", None), ("Kommentar", "comment", None),
    ("Situation + åtgärdsförslag", "situation_and_measure", None), ("Alvorlighet – begrunnelse", "justification",
                                                                      "alvorlighet"),
    ("Motivering\nsvårighetsgrad", "justification", "alvorlighet"), ("Effekt på längre sikt", "long_term_effect", None),
])
def test_headings_of_the_source_tools(portal_dir, heading, field, criterion):
    criteria = load(portal_dir).criteria_set("kriterier-2025")
    target = Recogniser(criteria).recognise(heading)
    assert target is not None and (target.field, target.criterion) == (field, criterion), (heading, target)


def test_normalising_headings():
    assert normalise("Svårighets-\ngrad (1–4)") == "svårighetsgrad"
    assert normalise("År 4–10 (tkr)") == "år 4-10"
    assert key("Høy") == key("HØY") == key("hoey")


def test_site_build_never_imports_pandas(portal_dir):
    import subprocess
    import sys
    code = ("import sys; from pathlib import Path; from prioportal.build.pipeline import build_from_config; "
            f"build_from_config(Path({str(portal_dir / 'mkdocs.yml')!r})); "
            "assert 'pandas' not in sys.modules, 'the build imported pandas'; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=portal_dir)
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr


def test_comment_block_is_read_back():
    text = f"# Tiltak.\n{COMMENT_MARKER}\n#   Linje en\n#\n#   Linje tre\nid: x\n"
    assert read_comment(text) == "Linje en\n\nLinje tre"
    assert read_comment("id: x\n# " + COMMENT_MARKER[2:] + "\n") is None


def test_a_comment_an_earlier_import_wrote_is_exported_and_moved_into_the_field(portal_dir, tmp_path, capsys):
    """Imports before `internal_note` kept the Kommentar as comment lines at the top of the file:
    the export still reads it, and an update that gives it moves it into the field."""
    target = portal_dir / MEASURE_FUNDED
    old = target.read_text(encoding="utf-8").replace(
        "# Tiltak i budsjettet 2025.\n", f"# Tiltak i budsjettet 2025.\n{COMMENT_MARKER}\n#   Avklares med KS\n")
    target.write_text(old, encoding="utf-8")
    out = tmp_path / "tabell.xlsx"
    assert run(portal_dir, "export", "--round", "budsjett-2025", "--out", str(out)) == 0
    sheet = pd.read_excel(out, dtype=object)
    assert list(sheet.loc[sheet["Id"] == "styrket-hjemmetjeneste-2025", "Kommentar"]) == ["Avklares med KS"]
    table = write_xlsx(tmp_path / "oppdatering.xlsx", [["Id", "Tiltak", "Kommentar"],
                                                       ["styrket-hjemmetjeneste-2025", "Styrket hjemmetjeneste",
                                                        "Avklares med KS"]])
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2025", "--update") == 0
    capsys.readouterr()
    new_text = target.read_text(encoding="utf-8")
    assert COMMENT_MARKER not in new_text and read_comment(new_text) is None
    assert yaml.safe_load(new_text)["internal_note"] == "Avklares med KS"
    assert new_text.startswith("# Tiltak i budsjettet 2025.\nid: ")


def test_csv_group_heading_over_sub_headings(portal_dir, tmp_path):
    # Excel saves a merged "Kostnad (tkr)" over År 1 and År 2 as one cell followed by an empty one.
    table = tmp_path / "gruppe.csv"
    table.write_text("Tiltak;Alvorlighet;Nytte;Kostnad (tkr);;Rang\r\n;;;År 1;År 2;\r\n"
                     "Ny vei;Stor;Stor;100;\"2,5\";3\r\n", encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 0
    data = yaml.safe_load(measure_files(portal_dir)["ny-vei.yml"])
    assert (data["costs"][0]["year_1"], data["costs"][0]["year_2"]) == (100_000, 2_500)


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "exempelby"


def test_investment_tool_against_the_swedish_example(tmp_path, capsys):
    # The investment ranking of the source tools: situation + measure in one column, costs per year
    # in thousands under a merged heading, and two criteria of one concept told apart by their words.
    portal = tmp_path / "examples" / "exempelby"
    shutil.copytree(EXAMPLE, portal, ignore=shutil.ignore_patterns("site", "investeringsbudget-2026"))
    (tmp_path / "site_templates").mkdir()
    rows = [
        ["Investeringar 2026 – rangordning"] + [None] * 11,
        ["Situation + åtgärdsförslag", "Kostnad (tkr)", None, None, None, "Svårighetsgrad", "Förväntad effekt",
         "Bedömd nytta", "Kostnad/år (tkr)", "Kostnad", "Kostnadseffektivitet", "Rang"],
        [None, "År 1", "År 2", "År 3", "År 4–10", None, None, None, None, None, None, None],
        ["Obrukbar fotbollsplan + sportarena", "10 000", "10 000", 100, 700, "Stor", "Stor", "Måttlig", 700,
         "Mycket hög", "Låg", 7],
        ["Brist på cykelväg A + utbyggnad A", 2500, 0, 0, 50, "Måttlig", "Måttlig", "Stor", 50, "Måttlig", "Hög", 2],
    ]
    merges = ("A1:L1", "A2:A3", "B2:E2", "F2:F3", "G2:G3", "H2:H3", "I2:I3", "J2:J3", "K2:K3", "L2:L3")
    table = write_xlsx(tmp_path / "investeringar.xlsx", rows, merges, title="Investeringar")
    assert run(portal, "import", str(table), "--round", "investeringsbudget-2026") == 0
    err = capsys.readouterr().err
    assert "investeringar.xlsx[Investeringar]:3:9: warning: cell I3 (Kostnad/år (tkr)): this column is not imported" in err
    data = yaml.safe_load(measure_files(portal)["obrukbar-fotbollsplan-sportarena.yml"])
    assert data["title"] == "Obrukbar fotbollsplan + sportarena"
    assert data["situation"]["current_state"] == "Obrukbar fotbollsplan"
    assert data["proposal"]["description"] == "sportarena"
    assert {k: v["level"] for k, v in data["assessments"].items()} == {
        "svarighetsgrad": "stor", "effekt": "stor", "nytta": "mattlig", "kostnad": "mycket-hog",
        "kostnadseffektivitet": "lag"}
    assert data["costs"][0] == {"description": "Obrukbar fotbollsplan + sportarena", "kind": "recurring",
                                "year_1": 10_000_000, "year_2": 10_000_000, "year_3": 100_000, "years_4_10": 700_000}
    assert data["rank"] == 7
