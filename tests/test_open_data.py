"""Open data, feeds, calendar and stable addresses, read back with the libraries a user would use:
pandas for the tables, the frictionless package for the Data Package, feedparser for the Atom
feeds and icalendar for the calendar; each is checked against the YAML files."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import icalendar
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from gitrepo import git
from portal_factory import (MEASURE_DEPRIORITISED, MKDOCS, ROUND_2025, load, patch_file, patched)
from prioportal.cli import main
from prioportal.exports.open_data.tables import TABLES
from prioportal.site.open_data_page import schema_fields
from prioportal.problems import InvalidPortal
from prioportal.checks.former_ids import redirect_problems
from prioportal.exports.redirects import write_redirects
from prioportal.settings import load_settings

needs_git = pytest.mark.usefixtures("git_program")  # real git; missing, it fails under CI
FIRST = "2025-01-10T09:00:00+01:00"
SECOND = "2025-03-01T12:00:00+01:00"


def build(portal: Path, site: Path | None = None) -> Path:
    args = ["-f", str(portal / "mkdocs.yml"), "build"]
    if site is not None:
        args += ["--site-dir", str(site)]
    assert main(args) == 0
    return site or portal / "site"


@pytest.fixture
def no_source_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def repo(make_portal, tmp_path, monkeypatch, no_source_date) -> Path:
    """The factory portal in git: published, then the library measure moved up from rank 9 to 5."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = make_portal()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Publiser budsjettene", when=FIRST)
    patch_file(root, MEASURE_DEPRIORITISED, "rank: 9\n", "rank: 5\n")
    git(root, "commit", "-q", "-am", "Biblioteket rangert høyere etter høringen", when=SECOND)
    return root


# --- The tables -------------------------------------------------------------------------------

def test_csv_tables_read_with_pandas_equal_the_yaml(portal_dir):
    site = build(portal_dir)
    portal = load(portal_dir)
    data = site / "open-data"

    measures = pd.read_csv(data / "measures.csv", dtype={"id": str}, keep_default_na=False, na_values=[""])
    assert list(measures["id"]) == sorted(x.id for x in portal.measures)
    for x in portal.measures:
        row = measures[measures["id"] == x.id].iloc[0]
        assert row["title"] == x.title and row["round"] == x.round and row["summary"] == x.summary
        assert row["type"].split() == [t.value for t in x.type] and row["sector"] == x.sector
        assert (None if pd.isna(row["rank"]) else int(row["rank"])) == x.rank
        assert (None if pd.isna(row["outcome"]) else row["outcome"]) == (x.outcome.decision.value if x.outcome else None)
        assert int(row["cost_year_1"]) == sum(c.year_1 for c in x.costs)
        assert int(row["cost_years_4_10"]) == sum(c.years_4_10 for c in x.costs)
        assert row["url"] == f"https://prioriteringer.testvik.kommune.no/measures/{x.id}/"
    funded = measures.set_index("id").loc["styrket-hjemmetjeneste-2025"]
    assert funded["cost_year_1"] == 1_200_000 and funded["granted"] == 1_200_000  # "1 200 000" in the YAML

    assessments = pd.read_csv(data / "assessments.csv", dtype=str, keep_default_na=False)
    expected = sorted((x.id, c, a.level) for x in portal.measures for c, a in x.assessments.items())
    assert sorted(zip(assessments["measure"], assessments["criterion"], assessments["level"])) == expected
    justification = assessments[(assessments["measure"] == "praktisk-bistand-2025")
                                & (assessments["criterion"] == "ressurs")]["justification"].item()
    assert justification == "Tiltaket koster lite."

    costs = pd.read_csv(data / "costs.csv", dtype={"measure": str})
    assert len(costs) == sum(len(x.costs) for x in portal.measures)
    assert costs[costs["measure"] == "gang-og-sykkelvei-2026"]["year_2"].item() == 2_500_000

    rounds = pd.read_csv(data / "rounds.csv", dtype={"id": str}, keep_default_na=False, na_values=[""])
    for r in portal.rounds:
        row = rounds[rounds["id"] == r.id].iloc[0]
        assert row["budget_frame"] == r.budget_frame and row["status"] == r.status.value
        assert (None if pd.isna(row["decision_meeting_date"]) else date.fromisoformat(row["decision_meeting_date"])) \
            == (r.decision.meeting_date if r.decision else None)

    milestones = pd.read_csv(data / "milestones.csv", keep_default_na=False, na_values=[""])
    expected_ms = [(r.id, ms.title, ms.date.isoformat(), ms.input_deadline) for r in portal.rounds for ms in r.milestones]
    assert sorted(zip(milestones["round"], milestones["title"], milestones["date"], milestones["input_deadline"])) \
        == sorted(expected_ms)

    criteria = pd.read_csv(data / "criteria.csv")
    assert sorted(zip(criteria["criteria_set"], criteria["criterion"], criteria["name"])) == sorted(
        (cs.id, c.id, c.name) for cs in portal.criteria_sets for c in cs.criteria)
    levels = pd.read_csv(data / "scale_levels.csv")
    assert sorted(zip(levels["criteria_set"], levels["criterion"], levels["level"], levels["position"])) == sorted(
        (cs.id, c.id, lvl.id, n) for cs in portal.criteria_sets for c in cs.criteria for n, lvl in enumerate(c.scale, 1))

    # The JSON files hold every field as written; the workbook holds the same tables as the CSVs.
    as_json = pd.read_json(data / "measures.json")
    assert sorted(as_json["id"]) == sorted(x.id for x in portal.measures)
    workbook = pd.read_excel(data / "decisions.xlsx", sheet_name=None, keep_default_na=False, na_values=[""])
    assert sorted(workbook) == sorted(t.name for t in TABLES)
    for table in TABLES:
        from_csv = pd.read_csv(data / table.csv, keep_default_na=False, na_values=[""])
        from_xlsx = workbook[table.name]
        assert list(from_xlsx.columns) == list(from_csv.columns)
        assert len(from_xlsx) == len(from_csv)
    assert list(workbook["measures"]["id"]) == list(measures["id"])


def test_datapackage_is_valid_for_frictionless(portal_dir):
    import frictionless

    site = build(portal_dir)
    package = site / "open-data" / "datapackage.json"
    cli = Path(sys.executable).parent / "frictionless"
    if cli.exists():
        done = subprocess.run([str(cli), "validate", str(package)], capture_output=True, text=True,
                              cwd=package.parent)
        assert done.returncode == 0, done.stdout + done.stderr
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    descriptor = frictionless.Package(str(package))
    names = [r.name for r in descriptor.resources]
    assert [t.name for t in TABLES] == names[: len(TABLES)]
    assert {"measures-json", "rounds-json", "criteria-json", "workbook", "measures-schema"} <= set(names)
    measures = descriptor.get_resource("measures")
    assert measures.schema.primary_key == ["id"]
    assert measures.schema.get_field("rank").type == "integer"
    assert descriptor.licenses[0]["name"] == "NLOD-2.0"
    assert descriptor.licenses[0]["path"] == "https://data.norge.no/nlod/no/2.0"
    # Every file the package lists is there, with the size and hash it states.
    for resource in descriptor.resources:
        data = (package.parent / resource.path).read_bytes()
        assert resource.bytes == len(data)
        assert resource.hash.split(":")[-1] == hashlib.sha256(data).hexdigest()
    # The JSON Schemas of the YAML files are published as they are in the repository.
    bundled = Path(__file__).resolve().parent.parent / "generator" / "prioportal" / "schemas"
    for kind in ("criteria", "rounds", "measures"):
        assert (site / "open-data" / "schemas" / f"{kind}.schema.json").read_bytes() == \
            (bundled / f"{kind}.schema.json").read_bytes()


def test_workbook_and_feeds_are_byte_identical_across_builds(portal_dir, tmp_path, no_source_date):
    first = build(portal_dir, tmp_path / "a")
    time.sleep(2.1)  # zip timestamps have a resolution of two seconds: a clock would show
    second = build(portal_dir, tmp_path / "b")
    for name in ["open-data/decisions.xlsx", "open-data/datapackage.json", "open-data/measures.csv",
                 "open-data/measures.json", "feed.xml", "calendar.ics", "rounds/budsjett-2025/feed.xml"]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # Without git, the workbook is dated by the newest date in the decisions (the 2026 input deadline).
    with zipfile.ZipFile(first / "open-data" / "decisions.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 10, 1, 0, 0, 0)}
    props = load_workbook(first / "open-data" / "decisions.xlsx").properties
    assert props.modified == props.created == datetime(2025, 10, 1)


def test_source_date_epoch_dates_the_workbook_and_calendar_without_git(portal_dir, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = build(portal_dir)
    props = load_workbook(site / "open-data" / "decisions.xlsx").properties
    assert props.modified == datetime(2023, 11, 14, 22, 13, 20)
    assert "DTSTAMP:20231114T221320Z" in (site / "calendar.ics").read_text(encoding="utf-8")


# --- Made again in a preview ------------------------------------------------------------------

def _changed(portal, change):
    """`portal` with `change` applied to its measures and criteria sets (a function of both
    tuples), in the copy with the texts as written too, as a reload after a save gives it."""
    def apply(p):
        measures, criteria_sets = change(p.measures, p.criteria_sets)
        return replace(p, measures=measures, criteria_sets=criteria_sets)

    written = portal.as_written
    return replace(apply(portal), as_written=apply(written) if written is not None else None)


def _edit(ident: str, **update):
    return lambda measures, sets: (tuple(x.model_copy(update=update) if x.id == ident else x for x in measures), sets)


def _add(copied: str, ident: str):
    def change(measures, sets):
        x = next(x for x in measures if x.id == copied)
        return tuple(measures) + (x.model_copy(update={"id": ident}),), sets
    return change


def _remove(ident: str):
    return lambda measures, sets: (tuple(x for x in measures if x.id != ident), sets)


def _relabel_levels(measures, sets):
    """Every level of the first criteria set renamed; the measures stay as they were."""
    cs = sets[0]
    criteria = [c.model_copy(update={"scale": [lvl.model_copy(update={"label": f"{lvl.label} (ny)"}) for lvl in c.scale]})
                for c in cs.criteria]
    return measures, (cs.model_copy(update={"criteria": criteria}), *sets[1:])


def test_open_data_made_again_with_a_row_cache_is_what_a_build_without_gives(portal_dir):
    from prioportal.exports.open_data.files import open_data_files
    from prioportal.build.reuse import LastBuild

    settings = load_settings(portal_dir / "mkdocs.yml")
    portal = load(portal_dir)
    cache = LastBuild()  # what the preview keeps for the open data
    edits = [
        ("nothing changed", lambda measures, sets: (measures, sets)),
        ("a title", _edit("kveldsapent-bibliotek-2025", title="Kveldsåpent bibliotek på Torget")),
        ("a rank and a cost", _edit("praktisk-bistand-2025", rank=2, costs=[])),
        ("an assessment", _edit("gang-og-sykkelvei-2026", assessments={})),
        ("a measure added before all", _add("praktisk-bistand-2025", "aaa-nytt-tiltak-2025")),
        ("a measure added in between", _add("gang-og-sykkelvei-2026", "nytt-tiltak-2026")),
        ("a measure removed", _remove("styrket-hjemmetjeneste-2025")),
        ("the first measure removed", _remove("aaa-nytt-tiltak-2025")),
        ("the levels of a criteria set relabelled", _relabel_levels),
        ("the last measure edited", lambda measures, sets: _edit(max(x.id for x in measures), summary="Ny.")(measures, sets)),
    ]
    assert open_data_files(settings, portal, None, cache) == open_data_files(settings, portal)
    for what, change in edits:
        cache.next_build()
        portal = _changed(portal, change)
        made_again = open_data_files(settings, portal, None, cache)
        cold = open_data_files(settings, portal)
        assert made_again.keys() == cold.keys(), what
        for name in cold:
            assert made_again[name] == cold[name], (what, name)
    # Another site address gives other addresses in the tables, from the same cache.
    cache.next_build()
    elsewhere = replace(settings, site_url="https://example.org/prioriteringer/")
    assert open_data_files(elsewhere, portal, None, cache) == open_data_files(elsewhere, portal)


def test_table_rows_are_sorted_as_one_sort_of_all_rows_gives(portal_dir):
    """Rows are sorted measure by measure where that gives the order sorting all of them would;
    with two measures of one id (which loading refuses), all rows are sorted together."""
    from prioportal.exports.open_data.rows import table_rows

    settings = load_settings(portal_dir / "mkdocs.yml")
    portal = load(portal_dir)
    twice = _changed(portal, _add("praktisk-bistand-2025", "praktisk-bistand-2025"))
    for p in (portal, twice):
        for table in TABLES:
            keys = [[c.name for c in table.columns].index(k) for k in table.primary_key]
            every = [[row[c.name] for c in table.columns] for row in table.rows(p, settings)]
            expected = sorted(every, key=lambda r: tuple((0, v) if isinstance(v, int) else (1, str(v))
                                                         for v in (r[i] for i in keys)))
            assert table_rows(table, p, settings) == expected, table.name


# --- Feeds ----------------------------------------------------------------------------------

def test_feed_without_git_has_one_entry_per_measure(portal_dir, no_source_date):
    site = build(portal_dir)
    portal = load(portal_dir)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Prioriteringer i Testvik kommune: Vedtak"
    assert feed.feed.language == "nb"
    assert len(feed.entries) == len(portal.measures)
    by_link = {e.link: e for e in feed.entries}
    for x in portal.measures:
        entry = by_link[f"https://prioriteringer.testvik.kommune.no/measures/{x.id}/"]
        assert entry.summary == x.summary
        assert entry.id.startswith("tag:prioriteringer.testvik.kommune.no,")
        assert x.title in entry.title
    # Dated by the round's decision; a round not yet decided by its latest milestone.
    funded = by_link["https://prioriteringer.testvik.kommune.no/measures/styrket-hjemmetjeneste-2025/"]
    assert funded.updated.startswith("2024-12-12")
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)

    round_feed = feedparser.parse((site / "rounds" / "budsjett-2025" / "feed.xml").read_bytes())
    assert sorted(e.link.rstrip("/").rsplit("/", 1)[-1] for e in round_feed.entries) == sorted(
        x.id for x in portal.measures_in("budsjett-2025"))
    # Every page points feed readers at the feed.
    head = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    alternate = head.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate is not None and (site / alternate["href"]).is_file()


@needs_git
def test_feed_from_git_has_an_entry_per_publication_and_change(repo, monkeypatch):
    site = build(repo)
    portal = load(repo)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == len(portal.measures) + 1
    newest = feed.entries[0]
    assert newest.link.endswith("/measures/kveldsapent-bibliotek-2025/")
    assert newest.title == "Endret: Kveldsåpent bibliotek"
    assert "Rang: 9 → 5" in newest.summary
    assert datetime(*newest.updated_parsed[:6], tzinfo=timezone.utc) == datetime.fromisoformat(SECOND)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:prioriteringer.testvik.kommune.no,20") for i in ids)
    published = [e for e in feed.entries if e.link.endswith("/kveldsapent-bibliotek-2025/")]
    assert len(published) == 2 and published[1].updated.startswith("2025-01-10T09:00:00")
    assert published[1].title == "Publisert: Kveldsåpent bibliotek"
    assert datetime(*feed.feed.updated_parsed[:6], tzinfo=timezone.utc) == datetime.fromisoformat(SECOND)
    # The workbook is dated by the newest commit, whatever SOURCE_DATE_EPOCH says.
    props = load_workbook(site / "open-data" / "decisions.xlsx").properties
    assert props.modified == datetime.fromisoformat(SECOND).astimezone(timezone.utc).replace(tzinfo=None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    again = build(repo, repo.parent / "again")
    for name in ("open-data/decisions.xlsx", "calendar.ics", "feed.xml"):
        assert (again / name).read_bytes() == (site / name).read_bytes(), name


# --- The calendar --------------------------------------------------------------------------

def test_icalendar_has_every_milestone_with_its_dates(portal_dir, no_source_date):
    site = build(portal_dir)
    portal = load(portal_dir)
    raw = (site / "calendar.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    milestones = [(r, ms) for r in portal.rounds for ms in r.milestones]
    assert len(events) == len(milestones)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event, (rnd, ms) in zip(events, milestones):
        assert event.decoded("DTSTART") == ms.date and not isinstance(event.decoded("DTSTART"), datetime)
        assert event.decoded("DTEND") == (ms.end_date or ms.date) + timedelta(days=1)
        assert ms.title in str(event["SUMMARY"])
        assert event.decoded("DTSTAMP") == datetime(2025, 10, 1, tzinfo=timezone.utc)
        assert str(event["URL"]).endswith(f"/rounds/{rnd.id}/")
        categories = [str(c) for c in event["CATEGORIES"].cats]
        if ms.input_deadline:
            assert categories == ["Frist for innspill"] and str(event["SUMMARY"]).startswith("Frist for innspill: ")
            assert event.subcomponents and event.subcomponents[0].name == "VALARM"
        else:
            assert "Frist for innspill" not in categories
    seminar = next(e for e, (_, ms) in zip(events, milestones) if ms.end_date)
    assert seminar.decoded("DTEND") == date(2024, 10, 22)  # the last day is included
    assert "Politikerne rangerer tiltakene." in str(seminar["DESCRIPTION"])
    per_round = icalendar.Calendar.from_ical((site / "rounds" / "budsjett-2026" / "calendar.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in per_round.walk("VEVENT")] == ["Frist for innspill: Høringsfrist"]


def test_calendar_lines_are_folded_at_75_octets_within_characters(make_portal):
    long_title = "Innspillsmøte med rådet for personer med funksjonsnedsettelse, eldrerådet og ungdomsrådet ø"
    root = make_portal({ROUND_2025: patched(ROUND_2025, "title: Budsjettseminar\n", f"title: {long_title}\n")})
    site = build(root)
    raw = (site / "calendar.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # no line was cut inside a character
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert any(str(e["SUMMARY"]) == long_title for e in events)


# --- The open-data page ------------------------------------------------------------------------

def test_open_data_page_documents_every_field_and_the_licence(portal_dir):
    site = build(portal_dir)
    page = BeautifulSoup((site / "open-data" / "index.html").read_text(encoding="utf-8"), "html.parser")
    codes = {c.get_text() for c in page.select("main code")}
    for table in TABLES:
        assert table.csv in codes
        for column in table.columns:
            assert column.name in codes, (table.name, column.name)
    # The fields of each kind of decision file on a page of its own, which the open-data page links to.
    links = {a["href"] for a in page.select("#files ~ ul a")}
    for kind in ("criteria", "rounds", "measures"):
        assert f"../open-data/fields/{kind}/" in links
        fields = BeautifulSoup((site / "open-data" / "fields" / kind / "index.html").read_text(encoding="utf-8"),
                               "html.parser")
        codes = {c.get_text() for c in fields.select("main code")}
        for f in schema_fields(kind):
            assert f.name in codes, (kind, f.name)
    assert {"assessments.<criterion>.level", "costs.year_1", "outcome.consequences.affected"} <= codes
    licence = page.select_one('main a[href="https://data.norge.no/nlod/no/2.0"]')
    assert licence is not None and licence.get_text() == "NLOD 2.0"
    hrefs = {a["href"] for a in page.select("main a")}
    for name in ["decisions.xlsx", "datapackage.json", "measures.csv", "measures.json",
                 "schemas/measures.schema.json", "../feed.xml", "../calendar.ics"]:
        assert name in hrefs, name
        assert (site / "open-data" / name).resolve().is_file(), name
    # Every page links to it in the footer.
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one('footer a[href="open-data/"]') is not None


@pytest.mark.parametrize("language", ["nb", "nn", "sv"])
def test_open_data_page_describes_every_field_in_the_portal_language(make_portal, language):
    """The descriptions come from the model (the same English as the JSON Schemas) and are
    translated by the catalogues: none is left in English on the page."""
    root = make_portal({MKDOCS: patched(MKDOCS, "      language: nb\n", f"      language: {language}\n")})
    site = build(root)
    pages = [BeautifulSoup((site / "open-data" / path).read_text(encoding="utf-8"), "html.parser")
             for path in ("index.html", "fields/criteria/index.html", "fields/rounds/index.html",
                          "fields/measures/index.html")]
    assert [p.select("main [lang]") for p in pages] == [[]] * 4
    english = {c.description for table in TABLES for c in table.columns}
    english |= {f.description for kind in ("criteria", "rounds", "measures") for f in schema_fields(kind)}
    def description(dd) -> str:
        """A field's description: the text of its <dd> before the line with its type."""
        before = []
        for node in dd.children:
            if getattr(node, "name", None) == "br":
                break
            before.append(node.get_text() if hasattr(node, "get_text") else str(node))
        return " ".join("".join(before).split())

    cells = {description(dd) for p in pages for dd in p.select("main dl.fields dd")}
    assert len(cells) > 100
    assert not cells & english, sorted(cells & english)[:5]


@pytest.mark.parametrize("language, setting, name, url", [
    ("sv", "", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("nb", "      licence: CC BY 4.0\n", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("nn", "      licence: Eigen lisens\n      licence_url: https://testvik.kommune.no/lisens\n", "eigen-lisens",
     "https://testvik.kommune.no/lisens"),
])
def test_licence_follows_the_setting_or_the_language(make_portal, language, setting, name, url):
    import json

    text = patched(MKDOCS, "      language: nb\n", f"      language: {language}\n{setting}")
    root = make_portal({MKDOCS: text})
    settings = load_settings(root / "mkdocs.yml")
    assert settings.licence_url == url
    site = build(root)
    descriptor = json.loads((site / "open-data" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == name and descriptor["licenses"][0]["path"] == url
    page = BeautifulSoup((site / "open-data" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(f'main a[href="{url}"]') is not None


# --- Stable addresses --------------------------------------------------------------------------

def _with_former_ids(portal, ident: str, former: list[str]):
    from dataclasses import replace

    measures = tuple(x.model_copy(update={"former_ids": former}) if x.id == ident else x for x in portal.measures)
    return replace(portal, measures=measures)


def test_redirect_page_for_a_former_id(portal_dir, tmp_path):
    settings = load_settings(portal_dir / "mkdocs.yml")
    portal = _with_former_ids(load(portal_dir), "kveldsapent-bibliotek-2025", ["bibliotek-kveld", "meraapent-2025"])
    written = write_redirects(tmp_path, settings, portal)
    assert sorted(p.parent.name for p in written) == ["bibliotek-kveld", "meraapent-2025"]
    page = BeautifulSoup((tmp_path / "measures" / "bibliotek-kveld" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    refresh = page.select_one('meta[http-equiv="refresh"]')
    assert refresh["content"] == "0; url=../kveldsapent-bibliotek-2025/"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one('link[rel="canonical"]')["href"] == \
        "https://prioriteringer.testvik.kommune.no/measures/kveldsapent-bibliotek-2025/"
    link = page.select_one("main a")
    assert link["href"] == "../kveldsapent-bibliotek-2025/" and link.get_text() == "Kveldsåpent bibliotek"
    assert page.html["lang"] == "nb"


def test_a_former_id_that_is_a_live_id_is_refused(portal_dir, tmp_path):
    settings = load_settings(portal_dir / "mkdocs.yml")
    portal = _with_former_ids(load(portal_dir), "kveldsapent-bibliotek-2025", ["praktisk-bistand-2025"])
    problems = redirect_problems(portal, portal_dir)
    assert len(problems) == 1 and "is the id of another published measure" in problems[0].message
    with pytest.raises(InvalidPortal):
        write_redirects(tmp_path, settings, portal)
    assert not (tmp_path / "measures").exists()
    twice = _with_former_ids(_with_former_ids(load(portal_dir), "kveldsapent-bibliotek-2025", ["gammel"]),
                             "praktisk-bistand-2025", ["gammel"])
    assert "also listed by the measure" in redirect_problems(twice)[0].message


def test_a_renamed_measure_leaves_a_redirect_in_the_built_site(portal_dir, capsys):
    patch_file(portal_dir, MEASURE_DEPRIORITISED, "id: kveldsapent-bibliotek-2025\n",
               "id: kveldsapent-bibliotek-2025\nformer_ids: [bibliotek-kveld]\n")
    site = build(portal_dir)
    page = (site / "measures" / "bibliotek-kveld" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../kveldsapent-bibliotek-2025/"' in page
    measures = pd.read_csv(site / "open-data" / "measures.csv", keep_default_na=False).set_index("id")
    assert measures.loc["kveldsapent-bibliotek-2025", "former_ids"] == "bibliotek-kveld"
    patch_file(portal_dir, MEASURE_DEPRIORITISED, "former_ids: [bibliotek-kveld]\n",
               "former_ids: [praktisk-bistand-2025]\n")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 1
    assert "is the id of another published measure" in capsys.readouterr().err
