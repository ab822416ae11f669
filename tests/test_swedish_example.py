"""The Swedish example (Exempelby kommun): Prioriteringscentrum's municipal tool, in Swedish."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from prioportal.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "exempelby"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exempelby") / "site"
    assert main(["-f", str(EXAMPLE / "mkdocs.yml"), "build", "--strict", "--site-dir", str(out)]) == 0
    return out


def measures() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (EXAMPLE / "decisions" / "measures").rglob("*.yml")]


def read(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def test_the_swedish_tool_is_expressed_as_data():
    criteria = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (EXAMPLE / "decisions" / "criteria").glob("*.yml")]
    ids = {c["id"] for cs in criteria for c in cs["criteria"]}
    assert ids == {"svarighetsgrad", "effekt", "nytta", "kostnad", "kostnadseffektivitet", "kunskapsunderlag"}
    assert len(max(criteria, key=lambda cs: len(cs["criteria"]))["criteria"]) == 6
    data = measures()
    assert {m["outcome"]["decision"] for m in data} == {"funded", "partly_funded", "rationed", "efficiency",
                                                        "deprioritised", "discontinued", "postponed"}
    assert {m["outcome"].get("rationing_type") for m in data if m["outcome"]["decision"] == "rationed"} == {
        "structure", "process", "result"}
    assert {m.get("target_area") for m in data} >= {"Samhällets livskraft", "Invånares hälsa och välbefinnande",
                                                     "Organisationens effektivitet"}
    assert any(c.get("years_4_10") for m in data for c in m.get("costs", []))
    assert any(m.get("need_cause") for m in data)


def test_pages_are_swedish_with_swedish_numbers_and_dates(site):
    page = read(site, "index.html")
    assert page.html["lang"] == "sv"
    round_dirs = sorted(p.name for p in (site / "rounds").iterdir() if p.is_dir())
    round_page = read(site, f"rounds/{round_dirs[0]}/index.html")
    text = round_page.get_text(" ")
    assert "Plats" in text  # a measure's rank is its plats; rangordning is the whole ordering
    assert not re.search(r"\b(Rangordning|rangordning|rang) \d", text)
    # Words only Norwegian has (Swedish: plats, åtgärd, budget, beslut, kronor as "kr").
    assert not re.search(r"\b(Rang|Plass|Tiltak|Budsjett|Vedtak|Nedprioritert|Utsatt)\b", text), \
        re.findall(r"\b(?:Rang|Plass|Tiltak|Budsjett|Vedtak|Nedprioritert|Utsatt)\b", text)
    assert "\u00a0kr" in text  # "10 000 kr" with a non-breaking space before the currency
    assert "Budsjett" not in text and "Tiltak" not in text and "Vedtak" not in text


def test_investment_measure_shows_costs_for_year_1_to_3_and_years_4_to_10(site):
    investment = next(m for m in measures() if any(c.get("years_4_10") for c in m.get("costs", [])))
    page = read(site, f"measures/{investment['id']}/index.html")
    headers = [th.get_text(strip=True) for th in page.select("#costs ~ div table thead th")]
    assert len(headers) == 6 and headers[2:5] == ["År 1", "År 2", "År 3"]


def test_rank_levels_are_explained_in_words_beside_the_rank(site):
    measure = next(m for m in measures() if m.get("rank"))
    page = read(site, f"measures/{measure['id']}/index.html")
    rank = page.select_one(".decision-box .facts dd").get_text(" ")
    assert str(measure["rank"]) in rank and "–" in rank  # "3 av 10 – Hög prioritet ..."


def test_a_measure_of_two_types_shows_both_and_publishes_both(site):
    import frictionless
    import pandas as pd

    both = next(m for m in measures() if isinstance(m["type"], list))
    assert both["type"] == ["saving", "rationing"]  # "Besparing/Ransonering" in the tool's Typ column
    page = read(site, f"measures/{both['id']}/index.html")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in page.select(".decision-box .facts dt")}
    assert facts["Typ"] == "Besparing och ransonering"

    data = site / "open-data"
    table = pd.read_csv(data / "measures.csv", keep_default_na=False)
    assert table.set_index("id").loc[both["id"], "type"] == "saving rationing"
    assert set(table["type"]) >= {"saving rationing", "rationing", "efficiency"}
    published = {x["id"]: x for x in json.loads((data / "measures.json").read_text(encoding="utf-8"))}
    assert published[both["id"]]["type"] == ["saving", "rationing"]
    assert published["parkskotsel"]["type"] == "rationing"  # one type stays the plain value
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The column's constraint refuses what is not a list of the types.
    schema = frictionless.Package(str(data / "datapackage.json")).get_resource("measures").schema
    pattern = schema.get_field("type").constraints["pattern"]
    assert re.fullmatch(pattern, "saving rationing") and not re.fullmatch(pattern, "saving, rationing")


def _cells(path: Path, sep: str) -> pd.DataFrame:
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_the_open_data_workbook_opens_in_libreoffice_with_the_values_of_the_csv_files(site, tmp_path):
    from libreoffice import sheets_as_csv

    data = site / "open-data"
    sheets = sheets_as_csv(data / "decisions.xlsx", tmp_path / "calc")
    assert set(sheets) == {p.stem for p in data.glob("*.csv")}
    for name, path in sheets.items():
        ours, calc = _cells(data / f"{name}.csv", ","), _cells(path, ";")
        assert list(calc.columns) == list(ours.columns), name
        # Calc shows a true/false cell as TRUE/FALSE; every other cell reads exactly as in the CSV
        # (texts with line breaks and quotes, whole kroner, dates as YYYY-MM-DD, empty cells).
        for column in ours.columns:
            expected = ours[column].str.upper() if set(ours[column]) <= {"true", "false", ""} else ours[column]
            assert list(calc[column]) == list(expected), (name, column)


def test_the_exported_ranking_opens_in_libreoffice_as_the_csv_export_reads(tmp_path):
    from libreoffice import sheets_as_csv

    config = str(EXAMPLE / "mkdocs.yml")
    workbook, table = tmp_path / "budget.xlsx", tmp_path / "budget.csv"
    for fmt, out in (("xlsx", workbook), ("csv", table)):
        assert main(["-f", config, "export", "--round", "budget-2026-namnderna", "--format", fmt, "--out", str(out)]) == 0
    (sheet,) = sheets_as_csv(workbook, tmp_path / "calc").values()
    calc, ours = _cells(sheet, ";"), _cells(table, ";")
    assert list(calc.columns) == list(ours.columns) and len(ours) >= 10
    assert calc.equals(ours)
    assert "Besparing/Ransonering" in list(calc["Typ"])
