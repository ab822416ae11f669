"""Priority lists (issue 27): a region's ranked pairs of a condition and a measure, by the
Swedish national model for open priorities in health care, in the third bundled example
(examples/region-mellanvik): the model expresses them as data, bad input is a located problem
with advice, and the pages, the changes between two versions, `prioportal diff`, the overview
across services, the search and the open data show them as a patient and a clinician read them.

The accessibility, HTML validity and page weight of the list's page types are tested with every
other page type's (test_accessibility.py, test_reads_right.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal_factory import MEASURE_FUNDED, load, load_problems, patched, position, write_portal
from prioportal.cli import main
from region_example import HAB_2024, HAB_2026, LOGOPEDI, REGION, copy_region, docs
from search_client import search_site

def pairs_of(round_id: str) -> list[dict]:
    return [x for x in docs("measures") if x["round"] == round_id]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("region") / "site"
    assert main(["-f", str(REGION / "mkdocs.yml"), "build", "--strict", "--site-dir", str(out)]) == 0
    return out


def read(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative / "index.html").read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


# --- The model expresses it, as data ---------------------------------------------------------

def test_the_region_example_is_the_national_model_as_data():
    (criteria,) = docs("criteria")
    assert [c["id"] for c in criteria["criteria"]] == ["svarighetsgrad", "patientnytta", "kostnad", "kunskapsunderlag"]
    assert (criteria["rank_scale"]["highest"], criteria["rank_scale"]["lowest"]) == (1, 10)
    assert {r["id"] for r in criteria["recommendations"]} == {"icke-gora", "fou"}
    rounds = {r["id"]: r for r in docs("rounds")}
    assert all(r["kind"] == "priority_list" and "budget_frame" not in r for r in rounds.values())
    assert {r["service"] for r in rounds.values()} == {"Habilitering", "Logopedi"}
    assert rounds[HAB_2026]["previous"] == HAB_2024 and rounds[HAB_2026]["change_note"]
    for round_id in (HAB_2024, HAB_2026):
        pairs = pairs_of(round_id)
        assert len(pairs) >= 25 and len({x["condition_group"] for x in pairs}) >= 4
        assert {x.get("recommendation") for x in pairs} >= {"icke-gora", "fou"}
        assert all(x["condition"] and x["proposal"]["description"] and x["proposal"]["alternative"] for x in pairs)
        assert not any({"sector", "outcome", "costs", "type"} & set(x) for x in pairs)
    # The same measure for several conditions, and the same condition with several measures.
    by_condition: dict[str, set[str]] = {}
    for x in pairs_of(HAB_2024):
        by_condition.setdefault(x["condition"], set()).add(x["title"])
    assert max(len(titles) for titles in by_condition.values()) >= 2
    by_measure: dict[str, set[str]] = {}
    for x in pairs_of(HAB_2024):
        by_measure.setdefault(x["title"], set()).add(x["condition"])
    assert max(len(conditions) for conditions in by_measure.values()) >= 2
    assert 2 <= len(pairs_of(LOGOPEDI)) < len(pairs_of(HAB_2026))
    assert all(x["previous"].endswith("-2024") for x in pairs_of(HAB_2026) if "previous" in x)


def test_the_region_example_validates_without_a_warning(capsys):
    assert main(["-f", str(REGION / "mkdocs.yml"), "validate", "--strict"]) == 0


# --- Bad input: a located problem with advice --------------------------------------------------

@pytest.fixture
def region_copy(tmp_path) -> Path:
    return copy_region(tmp_path)


def edit(root: Path, relative: str, old: str, new: str) -> str:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (relative, old)
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


PAIR = "decisions/measures/habilitering-2026/au-glutenfri-kost-2026.yml"
RANKED = "decisions/measures/habilitering-2026/cp-hoftkontroll-2026.yml"
ROUND = "decisions/rounds/habilitering-2026.yml"


def one(problems, path: str, words: str):
    found = [p for p in problems if p.path == path and words in p.message]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


def test_a_recommendation_the_criteria_do_not_define_is_named_with_the_ones_they_do(region_copy):
    text = edit(region_copy, PAIR, "recommendation: icke-gora", "recommendation: ickegora")
    p = one(load_problems(region_copy), PAIR, "is not a recommendation of 'prioriteringskriterier'")
    assert (p.line, p.column) == position(text, "ickegora")
    assert "did you mean 'icke-gora'?" in p.advice and "fou" in p.advice


def test_a_rank_outside_the_lists_scale_is_located(region_copy):
    text = edit(region_copy, RANKED, "rank: 1\n", "rank: 12\n")
    p = one(load_problems(region_copy), RANKED, "the rank 12 is outside the scale")
    assert (p.line, p.column) == position(text, "12")
    assert "from 1" in p.advice and "to 10" in p.advice


def test_a_pair_without_a_condition_or_a_group(region_copy):
    edit(region_copy, RANKED, "condition: Barn med cerebral pares som inte kan gå själva (GMFCS IV–V)\n", "")
    edit(region_copy, PAIR, "condition_group: Barn med autism\n", "")
    problems = load_problems(region_copy)
    missing = one(problems, RANKED, "the pair has no condition")
    assert "add 'condition:'" in missing.advice and HAB_2026 in missing.advice
    # Without its condition the file is a budget measure's: what such a measure needs is said too.
    assert any(p.path == RANKED and "'sector'" in p.message for p in problems)
    group = one(problems, PAIR, "the pair has no condition group")
    assert "add 'condition_group:'" in group.advice


def test_a_pair_without_a_measure(region_copy):
    text = (region_copy / RANKED).read_text(encoding="utf-8")
    start, end = text.index("proposal:"), text.index("assessments:")
    (region_copy / RANKED).write_text(text[:start] + text[end:], encoding="utf-8")
    p = one(load_problems(region_copy), RANKED, "the required field 'proposal' is missing")
    assert "add 'proposal:'" in p.advice and "compared with" in p.advice


def test_budget_figures_on_a_priority_list(region_copy):
    round_text = edit(region_copy, ROUND, "kind: priority_list\n", "kind: priority_list\nbudget_frame: 12 000 000\n")
    pair_text = edit(region_copy, RANKED, "rank: 1\n",
                     "rank: 1\ncosts:\n  - description: Röntgen\n    kind: recurring\n    year_1: 400000\n"
                     "outcome:\n  decision: funded\n")
    problems = load_problems(region_copy)
    frame = one(problems, ROUND, "a priority list has no budget frame")
    assert (frame.line, frame.column) == position(round_text, "12 000 000")
    assert "remove 'budget_frame:'" in frame.advice and "kind: budget" in frame.advice
    costs = one(problems, RANKED, "a pair of a priority list has no budget figures")
    assert (costs.line, costs.column) == position(pair_text, "costs:")
    outcome = one(problems, RANKED, "a pair of a priority list has no outcome")
    assert (outcome.line, outcome.column) == position(pair_text, "outcome:")


def test_a_funding_line_without_a_budget_frame(region_copy):
    """A round of the default kind, a budget round, draws a funding line: it needs a frame (and a
    purpose); one that says `kind: budget` as well."""
    text = edit(region_copy, ROUND, "kind: priority_list\n", "kind: budget\n")
    problems = load_problems(region_copy)
    frame = one(problems, ROUND, "the required field 'budget_frame' is missing")
    assert "add 'budget_frame:'" in frame.advice and "kroner" in frame.advice
    one(problems, ROUND, "the required field 'purpose' is missing")
    edit(region_copy, ROUND, "kind: budget\n", "")
    one(load_problems(region_copy), ROUND, "the required field 'budget_frame' is missing")
    assert text  # the round's pairs are reported as pairs in a budget round, each at its own file
    assert any("is for the pairs of a priority list" in p.message for p in load_problems(region_copy))


def test_a_pair_with_a_rank_and_a_recommendation(region_copy):
    edit(region_copy, PAIR, "recommendation: icke-gora", "rank: 9\nrecommendation: icke-gora")
    p = one(load_problems(region_copy), PAIR, "the pair has both a rank and a recommendation")
    assert "keep one" in p.advice


def test_a_decided_list_needs_a_rank_or_a_recommendation_for_every_pair(region_copy):
    edit(region_copy, PAIR, "recommendation: icke-gora\n", "")
    p = one(load_problems(region_copy), PAIR, "is decided, but this pair has no rank or recommendation")
    assert "'recommendation:' with one of: icke-gora, fou" in p.advice


def test_a_list_names_its_service_and_a_revised_list_says_what_changed(region_copy):
    edit(region_copy, ROUND, "service: Habilitering\n", "")
    text = (region_copy / ROUND).read_text(encoding="utf-8")
    start, end = text.index("change_note:"), text.index("decision:")
    (region_copy / ROUND).write_text(text[:start] + text[end:], encoding="utf-8")
    problems = load_problems(region_copy)
    assert "add 'service:'" in one(problems, ROUND, "does not say which service it is for").advice
    assert "add 'change_note:'" in one(problems, ROUND, "the revised list has no change note").advice


def test_the_fields_of_a_pair_are_refused_on_a_budget_round(tmp_path):
    root = write_portal(tmp_path, {MEASURE_FUNDED: patched(MEASURE_FUNDED, "\nsector:", "\ncondition_group: Eldre\nsector:")})
    p = one(load_problems(root), MEASURE_FUNDED, "'condition_group' is for the pairs of a priority list")
    assert "kind: priority_list" in p.advice


def test_the_terms_are_the_portals_own(region_copy, tmp_path):
    """Nothing in the code names icke-göra, FoU or a service: another region's words are shown as written."""
    criteria = "decisions/criteria/prioriteringskriterier.yml"
    edit(region_copy, criteria, "label: Icke-göra", "label: Ska inte erbjudas")
    edit(region_copy, criteria, "label: FoU", "label: Bara i studier")
    for path in (region_copy / "decisions" / "rounds").glob("*.yml"):
        text = path.read_text(encoding="utf-8").replace("service: Logopedi", "service: Tal och språk")
        path.write_text(text, encoding="utf-8")
    assert load(region_copy)  # valid
    out = tmp_path / "site"
    assert main(["-f", str(region_copy / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    page = text_of(read(out, f"rounds/{HAB_2026}").main)
    assert "Ska inte erbjudas" in page and "Bara i studier" in page and "Icke-göra" not in page
    assert "Tal och språk" in text_of(read(out, "priority-lists").main)


# --- The pages a patient and a clinician read ----------------------------------------------------

def test_the_list_is_grouped_by_condition_group_in_rank_order_with_the_recommendations_apart(site):
    page = read(site, f"rounds/{HAB_2026}")
    pairs = pairs_of(HAB_2026)
    groups = {x["condition_group"] for x in pairs}
    tables = page.select("table.pairs")
    assert [t.caption.get_text() for t in tables] == [
        f"Par i {g}, från högst till lägst prioritet" for g in sorted(groups, key=str.casefold)]
    for table in tables:
        ranks = [int(row.td.get_text()) for row in table.tbody.select("tr")]
        assert ranks == sorted(ranks) and ranks
    ranked_titles = {row.th.get_text(strip=True) for t in tables for row in t.tbody.select("tr")}
    assert ranked_titles == {x["title"] for x in pairs if "rank" in x}
    # Pairs with a recommendation stand apart, under the recommendation and what it means.
    for ident, label in (("icke-gora", "Icke-göra"), ("fou", "FoU")):
        section = page.select_one(f'section[aria-labelledby="recommendation-{ident}"]')
        assert section.h3.get_text() == label
        assert "forskning" in section.get_text() if ident == "fou" else "ska inte göras" in section.get_text()
        listed = {a.get_text() for a in section.select("li a")}
        assert listed == {x["title"] for x in pairs if x.get("recommendation") == ident}
    # The bands' meanings explain what a rank means.
    assert "Det här erbjuds i regel alla som har tillståndet." in text_of(page.select_one("#how-to-read").parent)


def test_the_list_can_be_browsed_by_group_band_and_recommendation_without_javascript(site):
    page = read(site, f"rounds/{HAB_2026}")
    nav = page.select_one("nav.browse-list")
    links = [a["href"] for a in nav.select("a")]
    assert any("/groups/" in h for h in links) and any("/ranks/" in h for h in links)
    assert any("/recommendations/" in h for h in links)
    pairs = pairs_of(HAB_2026)
    for a in nav.select("a"):
        target = (site / "rounds" / HAB_2026 / a["href"] / "index.html").resolve()
        assert target.is_file(), a["href"]
        shown = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        titles = [row.th.get_text(strip=True) for row in shown.select("table.pairs tbody tr")]
        count = int(re.search(r"\((\d+)\)", a.parent.get_text()).group(1))
        assert len(titles) == count, a["href"]
        if "/ranks/1-3/" in a["href"]:
            assert set(titles) == {x["title"] for x in pairs if x.get("rank", 99) <= 3}
            assert "Det här erbjuds i regel" in shown.select_one(".lead").get_text()
        if "/recommendations/icke-gora/" in a["href"]:
            assert set(titles) == {x["title"] for x in pairs if x.get("recommendation") == "icke-gora"}


def test_a_pairs_page_gives_the_reasoning_per_criterion_the_knowledge_base_and_what_it_means(site):
    page = read(site, "measures/cp-gangtraning-2026")
    box = text_of(page.select_one(".decision-box"))
    assert "Plats 4" in box and "Det här erbjuds när resurserna räcker" in box
    assert "Barn med cerebral pares som kan gå (GMFCS I–III)" in box and "Barn med cerebral pares" in box
    rows = page.select("#assessment-caption")[0].find_parent("table").tbody.select("tr")
    assert [r.th.get_text(strip=True) for r in rows] == [
        "Hälsotillståndets svårighetsgrad", "Åtgärdens patientnytta", "Kostnad i relation till patientnytta",
        "Kvalitet i kunskapsunderlaget"]
    assert "Stor" in rows[1].td.get_text() and "nordisk studie" in rows[1].select("td")[1].get_text()
    assert "God" in rows[3].td.get_text()
    knowledge = text_of(page.select_one('section[aria-labelledby="knowledge"]'))
    assert "intensiv gångträning" in knowledge and "Måttlig" in knowledge  # the source and its quality
    pair = text_of(page.select_one('section[aria-labelledby="pair"]'))
    assert "Jämfört med" in pair and "Träning en gång i veckan." in pair
    versions = text_of(page.select_one('section[aria-labelledby="history"]'))
    assert "2024: plats 6" in versions and "2026: plats 4" in versions
    # A pair that should not be done says so, in the criteria's words.
    denied = text_of(read(site, "measures/np-neurofeedback-2026").select_one(".decision-box"))
    assert "Rekommendation: Icke-göra" in denied and "Det här ska inte göras" in denied


def test_the_changes_between_two_versions_of_a_list(site):
    page = read(site, f"rounds/{HAB_2026}/changes")

    def listed(section: str) -> set[str]:
        found = page.select_one(f'section[aria-labelledby="{section}"]')
        return {a.get_text() for a in found.select("a")} if found else set()

    assert listed("moved-up") == {"Intensiv gångträning i block"}
    assert listed("moved-down") == {"Tidiga intensiva beteendeinriktade insatser", "Rörelse i varmvattenbassäng"}
    assert listed("recommendation-changed") == {"Musikterapi", "Neurofeedback"}
    assert listed("new") == {"Intensiv träning av handfunktion", "Digitalt föräldrastöd"}
    assert listed("dropped") == {"Sommarläger med träning"}
    note = text_of(page.select_one('section[aria-labelledby="change-note"]'))
    assert "Sommarlägret med träning är borttaget" in note
    neuro = next(r for r in page.select('section[aria-labelledby="recommendation-changed"] tbody tr')
                 if "Neurofeedback" in r.get_text())
    assert [td.get_text() for td in neuro.select("td")] == ["FoU", "Icke-göra"]
    # The list links to what changed, with its note.
    assert "Sommarlägret" in text_of(read(site, f"rounds/{HAB_2026}").select_one("#what-changed").parent)


def test_prioportal_diff_shows_the_same_changes(capsys):
    assert main(["-f", str(REGION / "mkdocs.yml"), "diff", HAB_2024, HAB_2026, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["title"] for p in data["moved_up"]] == ["Intensiv gångträning i block"]
    assert {p["title"] for p in data["moved_down"]} == {"Tidiga intensiva beteendeinriktade insatser",
                                                         "Rörelse i varmvattenbassäng"}
    assert {(p["title"], tuple(p["recommendation"])) for p in data["recommendation_changed"]} == {
        ("Musikterapi", ("fou", None)), ("Neurofeedback", ("fou", "icke-gora"))}
    assert {x["title"] for x in data["new_measures"]} == {"Intensiv träning av handfunktion", "Digitalt föräldrastöd"}
    assert [x["title"] for x in data["dropped"]] == ["Sommarläger med träning"]
    assert "Sommarlägret" in data["change_note"]
    assert main(["-f", str(REGION / "mkdocs.yml"), "--language", "sv", "diff", HAB_2024, HAB_2026]) == 0
    text = capsys.readouterr().out
    assert "Neurofeedback (np-neurofeedback-2026): FoU → Icke-göra" in text
    assert "Varför listan har ändrats" in text and "Budgetram" not in text


def test_the_overview_shows_every_services_latest_list_by_rank_band(site):
    page = read(site, "priority-lists")
    assert [a.get_text() for a in page.select("main ul.plain-links a")] == [
        "Prioriteringslista för habiliteringen 2026", "Prioriteringslista för logopedin 2025"]
    band = page.select_one('section[aria-labelledby="ranks-1-3"]')
    columns = {card.h3.get_text(): {a.get_text() for a in card.select("a")} for card in band.select("li.card")}
    assert columns == {
        "Habilitering": {x["title"] for x in pairs_of(HAB_2026) if x.get("rank", 99) <= 3},
        "Logopedi": {x["title"] for x in pairs_of(LOGOPEDI) if x.get("rank", 99) <= 3}}
    icke = page.select_one('section[aria-labelledby="recommendation-icke-gora"]')
    assert {card.h3.get_text() for card in icke.select("li.card")} == {"Habilitering", "Logopedi"}
    assert "Prioriteringslista för habiliteringen 2024" in text_of(page.select_one("#earlier").parent)
    nav = [a.get_text() for a in read(site, "").select("header nav a")]
    assert "Prioriteringslistor" in nav


def test_search_finds_conditions_and_measures(site):
    assert "measures/cp-hoftkontroll-2026/" in search_site(site, "höftluxation")  # words of the condition
    assert "measures/au-musikterapi-2026/" in search_site(site, "musikterapi")  # the measure


def test_the_open_data_holds_the_pairs_as_written(site):
    measures = json.loads((site / "open-data" / "measures.json").read_text(encoding="utf-8"))
    pair = next(x for x in measures if x["id"] == "np-neurofeedback-2026")
    assert (pair["condition_group"], pair["recommendation"], pair["sector"]) == ("Vuxna med autism eller adhd",
                                                                                  "icke-gora", None)
    rounds = json.loads((site / "open-data" / "rounds.json").read_text(encoding="utf-8"))
    assert {r["kind"] for r in rounds} == {"priority_list"} and all(r["budget_frame"] is None for r in rounds)
    assert "np-neurofeedback-2026" in (site / "open-data" / "measures.csv").read_text(encoding="utf-8")


def test_a_budget_portals_open_data_says_nothing_of_lists(portal_dir, tmp_path):
    out = tmp_path / "site"
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    written = (out / "open-data" / "measures.json").read_text(encoding="utf-8")
    assert '"condition"' not in written and '"recommendation"' not in written
    assert '"kind"' not in (out / "open-data" / "rounds.json").read_text(encoding="utf-8")
    assert not (out / "priority-lists").exists()


def test_the_list_speaks_swedish(site):
    text = text_of(read(site, f"rounds/{HAB_2026}").main)
    assert "Plats 1 till 3" in text and "Bläddra i listan" in text
    assert not re.search(r"\b(Rank|Pairs|Condition|Rang)\b", text), re.findall(r"\b(?:Rank|Pairs|Condition|Rang)\b", text)


# --- The editors' schemas know priority lists --------------------------------------------------

def test_the_regions_files_meet_its_schemas_and_the_schema_refuses_what_validate_refuses(tmp_path):
    import jsonschema
    from prioportal.sources.yaml_files import parse_yaml

    assert main(["-f", str(REGION / "mkdocs.yml"), "schemas", "--out", str(tmp_path)]) == 0
    schemas = {kind: json.loads((tmp_path / f"{kind}.schema.json").read_text("utf-8"))
               for kind in ("criteria", "rounds", "measures")}

    def errors(kind: str, data: dict) -> list[str]:
        checker = jsonschema.Draft202012Validator(schemas[kind], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        return [e.message for e in checker.iter_errors(data)]

    for kind in schemas:
        for path in sorted((REGION / "decisions" / kind).rglob("*.yml")):
            assert errors(kind, parse_yaml(path.read_text("utf-8"))) == [], path
    pair = parse_yaml((REGION / PAIR).read_text("utf-8"))
    assert errors("measures", {**pair, "recommendation": "ickegora"})  # not one of the criteria's
    assert errors("measures", {k: v for k, v in pair.items() if k != "recommendation"})  # decided: a rank or one
    assert errors("measures", {k: v for k, v in pair.items() if k != "condition"})  # then a sector, a type …
    rnd = parse_yaml((REGION / ROUND).read_text("utf-8"))
    assert errors("rounds", {**rnd, "budget_frame": 1000})
    assert errors("rounds", {k: v for k, v in rnd.items() if k != "service"})
    assert errors("rounds", {k: v for k, v in rnd.items() if k != "kind"})  # a budget round: a frame and a purpose


# --- Spreadsheets of the national model -----------------------------------------------------------

NEW_LIST = """\
id: rehabilitering-2026
year: 2026
title: Prioriteringslista för rehabiliteringen 2026
kind: priority_list
service: Rehabilitering
criteria: prioriteringskriterier
status: consultation
summary: |
  Förslag till prioriteringslista för rehabiliteringen.
"""

SHEETS = {
    "sv": ("Hälsotillstånd + Åtgärd;Tillståndsgrupp;Jämförelsealternativ;Hälsotillståndets svårighetsgrad;"
           "Åtgärdens patientnytta;Kostnad i relation till patientnytta;Kvalitet i kunskapsunderlagen;Rangordning;"
           "Kommentar\n"
           "Stroke med nedsatt gångförmåga + Intensiv gångträning;Vuxna efter stroke;Nuvarande vård;Stor;Stor;"
           "Måttlig;God;2;Gäller de första tre månaderna\n"
           "Stroke med nedsatt armfunktion + Robotassisterad armträning;Vuxna efter stroke;Nuvarande vård;Stor;"
           "Liten;Mycket hög;Låg;FoU;\n"
           "Ländryggssmärta + Akupunktur;Långvarig smärta;Fysioterapi;Måttlig;Ingen;Hög;Måttlig;Icke-göra;\n"),
    "nb": ("Helsetilstand + Tiltak;Tilstandsgruppe;Sammenligningsalternativ;Helsetilstandens alvorlighetsgrad;"
           "Pasientnytte;Kostnad i forhold til pasientnytte;Kvalitet i kunnskapsgrunnlaget;Rangering;Kommentar\n"
           "Hjerneslag + Intensiv gangtrening;Voksne etter hjerneslag;Dagens behandling;Stor;Stor;Moderat;Høy;2;\n"
           "Hjerneslag + Robotassistert armtrening;Voksne etter hjerneslag;Dagens behandling;Stor;Liten;"
           "Svært høy;Lav;FoU;\n"
           "Ryggsmerter + Akupunktur;Langvarige smerter;Fysioterapi;Moderat;Ingen;Høy;Moderat;Icke-göra;\n"),
    "en": ("Health condition + Measure,Condition group,Comparison,Severity of the condition,Patient benefit,"
           "Cost in relation to benefit,Quality of evidence,Rank,Comment\n"
           "Stroke + Intensive gait training,Adults after stroke,Current care,Large,Large,Moderate,High,2,\n"
           "Stroke + Robot-assisted arm training,Adults after stroke,Current care,Large,Small,Very high,Low,FoU,\n"
           "Low back pain + Acupuncture,Long-term pain,Physiotherapy,Moderate,None,High,Moderate,Icke-göra,\n"),
}


@pytest.mark.parametrize("language", sorted(SHEETS))
def test_a_spreadsheet_of_the_national_model_imports_as_a_priority_list(region_copy, tmp_path, language):
    (region_copy / "decisions" / "rounds" / "rehabilitering-2026.yml").write_text(NEW_LIST, encoding="utf-8")
    sheet = tmp_path / f"nationell-modell-{language}.csv"
    sheet.write_text(SHEETS[language], encoding="utf-8")
    assert main(["-f", str(region_copy / "mkdocs.yml"), "import", str(sheet), "--round", "rehabilitering-2026"]) == 0
    written = {x["title"]: x for x in docs("measures", region_copy) if x["round"] == "rehabilitering-2026"}
    assert len(written) == 3
    first = next(x for x in written.values() if x.get("rank") == 2)
    assert first["condition"] and first["condition"] in first["title"] and first["proposal"]["description"]
    assert first["proposal"]["alternative"] in ("Nuvarande vård", "Dagens behandling", "Current care")
    assert {c: a["level"] for c, a in first["assessments"].items()} == {
        "svarighetsgrad": "stor", "patientnytta": "stor", "kostnad": "mattlig", "kunskapsunderlag": "god"}
    assert {x.get("recommendation") for x in written.values()} == {None, "fou", "icke-gora"}
    assert len({x["condition_group"] for x in written.values()}) == 2
    assert not any({"sector", "type", "situation", "costs", "outcome"} & set(x) for x in written.values())
    # What the sheet does not say is left for the communicator, as with any import: only that.
    problems = load_problems(region_copy)
    assert problems and all("placeholder" in p.message for p in problems), "\n".join(map(str, problems))


def test_a_list_exported_and_imported_again_is_the_same_list(region_copy, tmp_path):
    table = tmp_path / "habilitering.xlsx"
    assert main(["-f", str(region_copy / "mkdocs.yml"), "export", "--round", HAB_2026, "--format", "xlsx",
                 "--out", str(table)]) == 0
    before = {p: p.read_bytes() for p in (region_copy / "decisions").rglob("*.yml")}
    assert main(["-f", str(region_copy / "mkdocs.yml"), "import", str(table), "--round", HAB_2026, "--update"]) == 0
    assert {p: p.read_bytes() for p in (region_copy / "decisions").rglob("*.yml")} == before
