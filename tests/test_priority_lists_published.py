"""What a region publishes of its priority lists besides the lists' own pages (issue 27, the
gaps after it): open data a Frictionless check and pandas read as they are, with the pairs'
condition, condition group and recommendation; the browser editor's name for a round's kind;
a feed to follow each pair, linked from its page; the consistency review in the words of a
list (a pair, a condition group), not of a budget (a measure, a sector); the page of every
decision without empty sections; and an older version of a list that says a newer one exists.

Read the way a user reads them: frictionless and pandas for the tables, feedparser for the
feeds, the built pages for what a citizen sees (examples/region-mellanvik, in Swedish).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from portal_factory import load
from prioportal.cli import main
from region_example import HAB_2024, HAB_2026, LOGOPEDI, REGION, copy_region, docs

def build(root: Path, out: Path, *extra: str) -> Path:
    assert main(["-f", str(root / "mkdocs.yml"), "build", *extra, "--site-dir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(REGION, tmp_path_factory.mktemp("region") / "site", "--strict")


@pytest.fixture
def region_copy(tmp_path) -> Path:
    return copy_region(tmp_path)


def read(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative / "index.html").read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


# --- Open data: the columns of a list, and required only what every row has ----------------------

def test_the_regions_open_data_is_valid_for_frictionless_and_pandas_reads_the_pairs(site):
    import frictionless

    data = site / "open-data"
    package = data / "datapackage.json"
    cli = Path(sys.executable).parent / "frictionless"
    if cli.exists():
        done = subprocess.run([str(cli), "validate", str(package)], capture_output=True, text=True, cwd=data)
        assert done.returncode == 0, done.stdout + done.stderr
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    described = frictionless.Package(str(package))
    measures_schema = described.get_resource("measures").schema
    for name in ("condition", "condition_group", "recommendation"):
        assert measures_schema.get_field(name).type == "string"
    # What a pair does without is not required of a list's rows; what every row has still is.
    for name in ("sector", "service_area", "type", "situation_current_state", "situation_goal"):
        assert not measures_schema.get_field(name).constraints.get("required"), name
    assert measures_schema.get_field("proposal_alternative").constraints.get("required")
    rounds_schema = described.get_resource("rounds").schema
    assert rounds_schema.get_field("kind").constraints["enum"] == ["budget", "priority_list"]
    assert not rounds_schema.get_field("budget_frame").constraints.get("required")

    pairs = {x["id"]: x for x in docs("measures")}
    measures = pd.read_csv(data / "measures.csv", dtype=str, keep_default_na=False, na_values=[""])
    assert sorted(measures["id"]) == sorted(pairs)
    for row in measures.itertuples():
        pair = pairs[row.id]
        assert (row.condition, row.condition_group) == (pair["condition"], pair["condition_group"]), row.id
        assert (None if pd.isna(row.recommendation) else row.recommendation) == pair.get("recommendation"), row.id
        assert (None if pd.isna(row.rank) else int(row.rank)) == pair.get("rank"), row.id
        # A pair has no sector and no costs: the cells are empty, not a 0 nobody decided.
        assert pd.isna(row.sector) and pd.isna(row.cost_year_1), row.id
    rounds = pd.read_csv(data / "rounds.csv", dtype=str, keep_default_na=False, na_values=[""]).set_index("id")
    assert rounds.loc[HAB_2026, "kind"] == "priority_list" and rounds.loc[HAB_2026, "service"] == "Habilitering"
    assert pd.isna(rounds.loc[HAB_2026, "budget_frame"]) and "Sommarlägret" in rounds.loc[HAB_2026, "change_note"]
    assert rounds.loc[LOGOPEDI, "service"] == "Logopedi"

    # The workbook holds the same tables, with the same columns.
    workbook = pd.read_excel(data / "decisions.xlsx", sheet_name=None, dtype=str, keep_default_na=False,
                             na_values=[""])
    for name, table in (("measures", measures), ("rounds", rounds.reset_index())):
        assert list(workbook[name].columns) == list(table.columns), name
    sheet = workbook["measures"].set_index("id")
    assert sheet.loc["np-neurofeedback-2026", "recommendation"] == "icke-gora"
    assert sheet.loc["np-neurofeedback-2026", "condition_group"] == "Vuxna med autism eller adhd"

    # The open-data page documents the columns in the portal's words.
    page = read(site, "open-data")
    names = {dt.code.get_text(): text_of(dt) for dt in page.select("main dt") if dt.code}
    assert names["condition_group"] == "condition_group Tillståndsgrupp"
    assert names["recommendation"] == "recommendation Rekommendation"


def test_a_budget_portals_tables_keep_their_columns_and_what_they_require(portal_dir, tmp_path):
    import json

    out = build(portal_dir, tmp_path / "site")
    data = out / "open-data"
    header = (data / "measures.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert not {"condition", "condition_group", "recommendation"} & set(header)
    assert "kind" not in (data / "rounds.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    fields = {f["name"]: f for f in resources["measures"]["schema"]["fields"]}
    for name in ("sector", "service_area", "type", "situation_current_state", "situation_goal"):
        assert fields[name]["constraints"]["required"] is True, name
    rounds = {f["name"]: f for f in resources["rounds"]["schema"]["fields"]}
    assert rounds["budget_frame"]["constraints"]["required"] is True
    assert resources["rounds"]["description"].startswith("One row per budget round")
    measures = pd.read_csv(data / "measures.csv", keep_default_na=False, na_values=[""])
    assert (measures["cost_year_1"].notna()).all()  # a measure without cost lines still says 0


# --- The browser editor and the editors' schemas: a round's kind is the kind of round ------------

def test_the_editor_and_the_schemas_name_a_rounds_kind_as_the_kind_of_round():
    from prioportal.checks.portal import load_portal
    from prioportal.exports.editor_config import collections
    from prioportal.settings import load_settings
    from prioportal.text.i18n import Translator
    from prioportal.tools.editor_schemas import schema_files
    import json

    settings = load_settings(REGION / "mkdocs.yml")
    portal = load_portal(settings)
    sv = Translator("sv")
    found = collections(settings.root, settings.decisions_dir, settings.content_dir, portal.criteria_sets,
                        portal.rounds, portal.measures, portal.sources, sv.gettext, "sv", ("sv",))
    by_name = {c["name"]: c for c in found}
    kind = next(f for f in by_name["rounds"]["fields"] if f["name"] == "kind")
    assert kind["label"] == "Typ av omgång"
    assert {o["value"] for o in kind["options"]} == {"budget", "priority_list"}
    service = next(f for f in by_name["rounds"]["fields"] if f["name"] == "service")
    assert service["label"] == "Verksamhet"
    pair_fields = {f["name"]: f for f in by_name[f"measures-{HAB_2026}"]["fields"]}
    assert pair_fields["condition_group"]["label"] == "Tillståndsgrupp"
    # A cost line's kind keeps its own name.
    costs = next(f for f in pair_fields["costs"]["fields"] if f["name"] == "kind")
    assert costs["label"] == "Typ av kostnad"

    schemas = schema_files(sv)
    rounds = json.loads(schemas["rounds.schema.json"])
    assert rounds["properties"]["kind"]["title"] == "Typ av omgång"
    measures = json.loads(schemas["measures.schema.json"])
    assert measures["$defs"]["CostLine"]["properties"]["kind"]["title"] == "Typ av kostnad"


# --- Follow a pair ---------------------------------------------------------------------------------

def test_a_pairs_page_links_its_feed_which_says_its_place_on_each_version(site):
    page = read(site, "measures/np-neurofeedback-2026")
    head = page.select_one('head link[rel="alternate"][href$="measures/np-neurofeedback-2026/feed.xml"]')
    assert head is not None and head["type"] == "application/atom+xml"
    assert head["title"].endswith(": Neurofeedback")
    follow = page.select_one('section[aria-labelledby="follow"]')
    assert follow.h2.get_text() == "Följ paret"
    link = follow.select_one('a[type="application/atom+xml"]')
    feed_file = (site / "measures" / "np-neurofeedback-2026" / link["href"]).resolve()
    assert feed_file == (site / "measures" / "np-neurofeedback-2026" / "feed.xml").resolve()

    feed = feedparser.parse(feed_file.read_bytes())
    assert not feed.bozo
    assert "paret" in feed.feed.subtitle
    # The pair followed across the list's versions: FoU in 2024, icke-göra in 2026.
    summaries = {e.link.rsplit("/", 2)[-2]: e.summary for e in feed.entries}
    assert summaries["np-neurofeedback-2026"].startswith("Rekommendation: Icke-göra. ")
    assert summaries["np-neurofeedback-2024"].startswith("Rekommendation: FoU. ")
    ranked = feedparser.parse((site / "measures" / "cp-gangtraning-2026" / "feed.xml").read_bytes())
    assert {e.summary.split(".")[0] for e in ranked.entries} == {"Plats 4", "Plats 6"}


# --- The consistency review in the words of a list ------------------------------------------------

PAIR = "decisions/measures/habilitering-2026/if-bildstod-2026.yml"


def test_the_review_of_a_list_speaks_of_pairs_and_condition_groups(region_copy, tmp_path):
    # Alternativ och kompletterande kommunikation, assessed as the check of the hips is (rank 1, in
    # another condition group), ranked three places lower.
    path = region_copy / PAIR
    text = path.read_text(encoding="utf-8")
    for old, new in (("level: stor\n", "level: mycket-stor\n"), ("level: mattlig\n", "level: god\n"),
                     ("rank: 2\n", "rank: 4\n")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")

    warnings = [p for p in load(region_copy).warnings if p.path.endswith(PAIR)]
    treated = [p for p in warnings if "condition group" in p.message]
    assert len(treated) == 1, "\n".join(map(str, warnings))
    assert treated[0].message == (
        "'Alternativ och kompletterande kommunikation' (if-bildstod-2026) in the condition group 'Barn och unga med "
        "intellektuell funktionsnedsättning' and 'Regelbunden kontroll av höfterna' (cp-hoftkontroll-2026) in "
        "'Barn med cerebral pares' are assessed the same on every criterion, but 'Alternativ och kompletterande "
        "kommunikation' is ranked 4 against 1")
    assert treated[0].advice == "write why under 'review_notes: treated_differently:' in this pair, or reconsider its rank"
    assert not any("sector" in p.message or "outcome" in p.advice or "measure" in p.advice for p in warnings)

    out = build(region_copy, tmp_path / "site")
    review = read(out, "measures/if-bildstod-2026").select_one("section.review")
    headings = [h.get_text() for h in review.select("h3")]
    assert "Fick en annan plats än ett par i en annan tillståndsgrupp som fick samma bedömning" in headings
    assert "Fick en lägre plats än ett par som bedömdes lika eller sämre på varje kriterium" in headings
    said = text_of(review)
    assert "det här paret" in said and "verksamhet" not in said and "åtgärd" not in said


# --- The page of every decision: no empty section --------------------------------------------------

def test_the_page_of_every_decision_shows_condition_groups_and_no_empty_sections(site):
    page = read(site, "browse")
    assert page.h1.get_text() == "Alla beslut efter år och tillståndsgrupp"
    assert page.select_one("#by-sector") is None and page.select_one("#by-outcome") is None
    follow = page.select_one('section[aria-labelledby="follow"]')
    assert follow.select("h3") == [] and follow.select("li") == []  # no sector feeds to list
    groups = page.select_one('section[aria-labelledby="by-condition-group"]')
    assert [h.get_text() for h in groups.select("h3")] == [
        "Prioriteringslista för habiliteringen 2026", "Prioriteringslista för logopedin 2025",
        "Prioriteringslista för habiliteringen 2024"]
    pairs = docs("measures")
    for heading in groups.select("h3"):
        links = heading.find_next_sibling("ul").select("a")
        for a in links:
            target = (site / "browse" / a["href"] / "index.html").resolve()
            assert target.is_file(), a["href"]
        listed = {a.get_text(): int(a.parent.get_text().rsplit("(", 1)[1].rstrip(")")) for a in links}
        round_id = links[0]["href"].split("/rounds/")[1].split("/")[0]
        mine = [x for x in pairs if x["round"] == round_id]
        for group in {x["condition_group"] for x in mine}:
            assert listed[group] == sum(x["condition_group"] == group for x in mine), group
        assert listed.get("Icke-göra") == sum(x.get("recommendation") == "icke-gora" for x in mine)
    footer = [a.get_text() for a in page.select("footer a")]
    assert "Alla beslut efter år och tillståndsgrupp" in footer


def test_a_budget_portals_page_of_every_decision_keeps_its_sections(portal_dir, tmp_path):
    out = build(portal_dir, tmp_path / "site")
    page = read(out, "browse")
    assert page.h1.get_text() == "Alle vedtak etter sektor og utfall"
    assert page.select_one("#by-sector") and page.select_one("#by-outcome")
    assert page.select_one("#by-condition-group") is None
    assert page.select('section[aria-labelledby="follow"] h3')[0].get_text() == "Etter sektor"


# --- An older version of a list says that a newer one exists ------------------------------------

def test_an_older_version_of_a_list_and_its_pairs_link_to_the_newest(site):
    notice = read(site, f"rounds/{HAB_2024}").select_one("main .newer-version")
    assert text_of(notice).startswith("Det finns en nyare version av den här listan:")
    assert notice.a["href"] == f"../../rounds/{HAB_2026}/" and notice.a.get_text() == "Prioriteringslista för habiliteringen 2026"
    for newest in (HAB_2026, LOGOPEDI):
        assert read(site, f"rounds/{newest}").select_one(".newer-version") is None
    # Every page of the older list's listings says so, and each of its pairs.
    moved = read(site, "measures/np-neurofeedback-2024").select_one("main .newer-version")
    links = {a["href"]: a.get_text() for a in moved.select("a")}
    assert links == {f"../../rounds/{HAB_2026}/": "Prioriteringslista för habiliteringen 2026",
                     "../../measures/np-neurofeedback-2026/": "Det här paret på den nyare listan: Icke-göra"}
    ranked = read(site, "measures/cp-gangtraning-2024").select_one("main .newer-version")
    assert "Det här paret på den nyare listan: plats 4" in text_of(ranked)
    dropped = read(site, "measures/cp-sommarlager-2024").select_one("main .newer-version")
    assert text_of(dropped).endswith("Det här paret står inte på den nyare listan.")
    assert read(site, "measures/np-neurofeedback-2026").select_one(".newer-version") is None


NEXT_LIST = """\
id: habilitering-2028
year: 2028
title: Prioriteringslista för habiliteringen 2028
kind: priority_list
service: Habilitering
criteria: prioriteringskriterier
status: preparation
summary: |
  Habiliteringen ser över listan igen.
previous: habilitering-2026
change_note: |
  Arbetet har börjat.
"""


def test_each_older_version_names_the_newest_not_the_next(region_copy, tmp_path):
    (region_copy / "decisions" / "rounds" / "habilitering-2028.yml").write_text(NEXT_LIST, encoding="utf-8")
    out = build(region_copy, tmp_path / "site")
    for older in (HAB_2024, HAB_2026):
        notice = read(out, f"rounds/{older}").select_one("main .newer-version")
        assert notice.a.get_text() == "Prioriteringslista för habiliteringen 2028", older
    # The newest list holds no pairs yet: the 2026 version of a pair says it is not on it.
    assert text_of(read(out, "measures/np-neurofeedback-2026").select_one(".newer-version")).endswith(
        "Det här paret står inte på den nyare listan.")
    assert read(out, f"rounds/{LOGOPEDI}").select_one(".newer-version") is None  # another service's list


def test_the_preview_names_a_new_version_on_the_older_ones_as_a_cold_build_does(region_copy, tmp_path):
    from test_incremental import Session

    session = Session(region_copy, tmp_path)
    added = session.save("decisions/rounds/habilitering-2028.yml", NEXT_LIST)
    session.update(added)
    session.assert_as_cold()
    notice = read(session.preview.out_dir, "measures/cp-gangtraning-2024").select_one(".newer-version")
    assert "Prioriteringslista för habiliteringen 2028" in text_of(notice)
    retitled = session.save("decisions/rounds/habilitering-2028.yml",
                            NEXT_LIST.replace("habiliteringen 2028\n", "habiliteringen 2028 (förslag)\n"))
    session.update(retitled)
    session.assert_as_cold()
    session.update(session.save("decisions/rounds/habilitering-2028.yml", None))
    session.assert_as_cold()
    assert "habiliteringen 2026" in text_of(read(session.preview.out_dir, f"rounds/{HAB_2024}").select_one(".newer-version"))
