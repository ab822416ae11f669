"""Who decided and were they impartial, every change a reviewer should see, and easy read
(issue #28, items 6, 8 and 9), end to end: the rules validation applies to the new fields, at
their line and column; what the built pages of both bundled examples show; the open data read
back with pandas and the Data Package with frictionless; and `prioportal diff` in text,
Markdown and JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import browser
from portal_factory import (MEASURE_DEPRIORITISED, MEASURE_FUNDED, MEASURE_INVESTMENT,
                            MEASURE_RATIONED, MKDOCS, ROUND_2025, load, load_problems, patched, position)
from prioportal.cli import main
from prioportal.problems import Severity

ROOT = Path(__file__).resolve().parent.parent
EXEMPELBY = ROOT / "examples" / "exempelby"

# A decision record with everything: the vote, dissent, a remark, a separate vote and a declaration
# of disqualification, on the factory portal's decided round (budsjett-2025).
RECORD = """\
  vote:
    in_favour: 27
    against: 8
  dissents:
    - who: Fremskrittspartiet
      text: Stemte mot budsjettet.
  remarks:
    - who: Senterpartiet
      text: Ber om en ny sak om bibliotekene.
  separate_votes:
    - measure: kveldsapent-bibliotek-2025
      in_favour: 19
      against: 16
      dissents:
        - who: Arbeiderpartiet
          text: Ville gi biblioteket kveldsåpent allerede i 2025.
  disqualifications:
    - person: Kari Bakken
      role: kommunestyremedlem (Sp)
      measure: praktisk-bistand-2025
      reason: Er daglig leder i et firma som selger rengjøring til kommunen.
      ruling: disqualified
"""
MINUTES = "  minutes_url: https://testvik.kommune.no/protokoll-2024-12-12\n"


def with_record(record: str = RECORD) -> str:
    return patched(ROUND_2025, MINUTES, MINUTES + record)


def build(config: Path, site: Path) -> Path:
    assert main(["-f", str(config), "build", "--site-dir", str(site)]) == 0
    return site


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text("utf-8"), "html.parser")


def words(node) -> str:
    """The text of a part of a page as a reader reads it, on one line."""
    return " ".join(node.get_text().split())


def section(soup: BeautifulSoup, heading_id: str):
    found = soup.find("section", attrs={"aria-labelledby": heading_id})
    assert found is not None, f"no section {heading_id}"
    return found


# --- 6. Who decided: the rules ---------------------------------------------------------------

def test_a_decision_record_with_votes_dissent_and_disqualification_is_valid(make_portal):
    portal = load(make_portal({ROUND_2025: with_record()}))
    record = next(r for r in portal.rounds if r.id == "budsjett-2025").decision
    assert (record.vote.in_favour, record.vote.against) == (27, 8)
    assert record.vote_on("kveldsapent-bibliotek-2025").dissents[0].who == "Arbeiderpartiet"
    assert [q.person for q in record.disqualifications_for("praktisk-bistand-2025")] == ["Kari Bakken"]


@pytest.mark.parametrize("record, needle, words_said", [
    (RECORD.replace("    in_favour: 27\n    against: 8\n", "    unanimous: true\n    against: 8\n"),
     "8\n  dissents", ("unanimous vote has no votes against", "remove 'against'")),
    (RECORD.replace("    in_favour: 27\n    against: 8\n", "    in_favour: 27\n"),
     "in_favour: 27", ("neither how many voted for and against", "unanimous: true")),
    (RECORD.replace("    - measure: kveldsapent-bibliotek-2025", "    - measure: kveldsapent-biblotek-2025"),
     "kveldsapent-biblotek-2025", ("no measure with the id 'kveldsapent-biblotek-2025'",
                                    "did you mean 'kveldsapent-bibliotek-2025'?")),
    (RECORD.replace("      measure: praktisk-bistand-2025", "      measure: gang-og-sykkelvei-2026"),
     "gang-og-sykkelvei-2026", ("belongs to the round 'budsjett-2026', not to this one",)),
])
def test_a_wrong_decision_record_is_reported_where_it_is_written(make_portal, record, needle, words_said):
    text = with_record(record)
    problems = [p for p in load_problems(make_portal({ROUND_2025: text})) if p.path == ROUND_2025]
    line, column = position(text, needle)
    assert [(p.line, p.column) for p in problems] == [(line, column)], "\n".join(map(str, problems))
    said = str(problems[0])
    for expected in words_said:
        assert expected in said, said


def test_two_separate_votes_on_one_measure_are_an_error_at_the_second(make_portal):
    second = ("    - measure: kveldsapent-bibliotek-2025\n      unanimous: true\n  disqualifications:\n")
    text = with_record(RECORD.replace("  disqualifications:\n", second))
    problems = [p for p in load_problems(make_portal({ROUND_2025: text})) if p.path == ROUND_2025]
    assert len(problems) == 1 and "has two separate votes" in str(problems[0])
    assert (problems[0].line, problems[0].column) == position(text, "kveldsapent-bibliotek-2025\n      unanimous")


def test_the_names_of_decision_makers_pass_the_personal_data_check_unless_the_portal_lists_them(make_portal):
    """An elected official's name is public: not flagged by default; a portal that lists the same
    name under `personal_data: names:` gets it reported at its line, and allows it in the file."""
    text = with_record()
    root = make_portal({ROUND_2025: text})
    settings_with_name = (root / MKDOCS).read_text("utf-8").replace(
        "      input_url: https://testvik.kommune.no/innspill\n",
        "      input_url: https://testvik.kommune.no/innspill\n      personal_data:\n        names: [Kari Bakken]\n")
    (root / MKDOCS).write_text(settings_with_name, "utf-8")
    assert main(["-f", str(root / MKDOCS), "validate"]) == 1
    (root / ROUND_2025).write_text("personal_data_allowed: [Kari Bakken]\n" + text, "utf-8")
    assert main(["-f", str(root / MKDOCS), "validate"]) == 0
    (root / MKDOCS).write_text(settings_with_name.replace("        names: [Kari Bakken]\n", "        names: []\n"), "utf-8")
    (root / ROUND_2025).write_text(text, "utf-8")
    assert main(["-f", str(root / MKDOCS), "validate"]) == 0


def test_a_listed_name_in_a_dissent_is_found_at_its_line(make_portal, capsys):
    text = with_record(RECORD.replace("Stemte mot budsjettet.", "Stemte mot, fordi Ola Hansen ikke får hjelp."))
    root = make_portal({ROUND_2025: text})
    config = (root / MKDOCS).read_text("utf-8").replace(
        "      input_url: https://testvik.kommune.no/innspill\n",
        "      input_url: https://testvik.kommune.no/innspill\n      personal_data:\n        names: [Ola Hansen]\n")
    (root / MKDOCS).write_text(config, "utf-8")
    assert main(["-f", str(root / MKDOCS), "validate"]) == 1
    line, column = position(text, "Ola Hansen")
    assert f"{ROUND_2025}:{line}:{column}:" in capsys.readouterr().err


# --- 6. Who decided: the pages and the open data ----------------------------------------------

@pytest.fixture(scope="module")
def nb_example() -> Path:
    return browser.built_example(ROOT / MKDOCS)


@pytest.fixture(scope="module")
def sv_example() -> Path:
    return browser.built_example(EXEMPELBY / MKDOCS)


def test_the_round_page_says_who_decided_and_how(nb_example):
    said = words(section(page(nb_example, "rounds/budsjett-2026"), "how-decided"))
    assert "Avstemning i Kommunestyret, 11. desember 2025: 27 stemte for og 8 mot." in said
    assert "Dissens Fremskrittspartiet: Stemte mot budsjettet." in said
    assert "Protokolltilførsel Senterpartiet:" in said
    assert "Lengre åpningstid i barnehagene: 20 stemte for og 15 mot." in said
    assert ("Kari Bakken, kommunestyremedlem (Sp) – om tiltaket Gang- og sykkelvei mellom Sørvik og sentrum. "
            "Inhabil: deltok ikke. Eier en eiendom") in said
    assert "Inhabil: deltok ikke" in said
    links = {a["href"] for a in section(page(nb_example, "rounds/budsjett-2026"), "how-decided").find_all("a")}
    assert "../../measures/gang-sykkelvei-sorvik/" in links and "../../measures/barnehage-apningstid/" in links


def test_a_measure_page_shows_its_separate_vote_and_who_was_disqualified_for_it(nb_example, sv_example):
    vote = words(section(page(nb_example, "measures/barnehage-apningstid"), "how-decided"))
    assert "Kommunestyret stemte særskilt over dette tiltaket, 11. desember 2025: 20 stemte for og 15 mot." in vote
    assert "Dissens Arbeiderpartiet og Sosialistisk Venstreparti:" in vote
    declared = words(section(page(nb_example, "measures/gang-sykkelvei-sorvik"), "how-decided"))
    assert "Kari Bakken, kommunestyremedlem (Sp). Inhabil: deltok ikke." in declared and "Eier en eiendom" in declared
    # A measure the record does not name shows nothing of it.
    assert page(nb_example, "measures/dagaktivitet-demens").find(id="how-decided") is None
    sv = words(section(page(sv_example, "measures/bokbussen"), "how-decided"))
    assert "29 röstade ja och 20 nej, 2 avstod från att rösta" in sv and "Reservation" in sv
    jav = words(section(page(sv_example, "measures/fritidsgard-norrby"), "how-decided"))
    assert "Jäv" in jav and "Anna Lindqvist, ledamot (C). Jävig: deltog inte." in jav
    whole = words(section(page(sv_example, "rounds/budget-2026-namnderna"), "how-decided"))
    assert "31 röstade ja och 18 nej, 2 avstod från att rösta" in whole and "Protokollsanteckning" in whole


def test_the_open_data_holds_the_votes_the_statements_and_the_declarations(sv_example):
    import frictionless

    data = sv_example / "open-data"
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rounds = pd.read_csv(data / "rounds.csv", keep_default_na=False, na_values=[""]).set_index("id")
    decided = rounds.loc["budget-2026-namnderna"]
    assert (decided["decision_in_favour"], decided["decision_against"], decided["decision_abstained"]) == (31, 18, 2)
    assert pd.isna(rounds.loc["investeringsbudget-2026"]["decision_in_favour"])
    votes = pd.read_csv(data / "separate_votes.csv")
    assert votes.to_dict("records") == [{"round": "budget-2026-namnderna", "measure": "bokbussen", "in_favour": 29,
                                         "against": 20, "abstained": 2, "unanimous": False}]
    said = pd.read_csv(data / "dissents_and_remarks.csv", keep_default_na=False, na_values=[""])
    assert list(zip(said["position"], said["kind"], said["measure"].fillna(""), said["who"])) == [
        (1, "dissent", "", "Moderaterna och Kristdemokraterna"), (2, "remark", "", "Centerpartiet"),
        (3, "dissent", "bokbussen", "Vänsterpartiet och Miljöpartiet")]
    declared = pd.read_csv(data / "disqualifications.csv")
    assert declared[["person", "measure", "ruling"]].to_dict("records") == [
        {"person": "Anna Lindqvist", "measure": "fritidsgard-norrby", "ruling": "disqualified"}]
    package = json.loads((data / "datapackage.json").read_text("utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"separate_votes", "dissents_and_remarks", "disqualifications"} <= names


# --- 8. Reviewers see every change -------------------------------------------------------------

def test_the_changes_page_shows_each_changed_assessment_with_its_levels_and_reason(nb_example):
    changed = section(page(nb_example, "rounds/budsjett-2026/changes"), "assessment-changed")
    said = words(changed)
    assert said.startswith("Endret vurdering (1)")
    assert "Flere plasser i kulturskolen" in said
    assert "Ressurs: Lav → Moderat" in said and "Alvorlighet: Liten → Moderat" in said
    assert "Begrunnelse for endret vurdering: Kriteriene ble endret i januar 2025." in said


def test_a_measure_of_last_year_is_described_by_what_became_of_it_never_bare(nb_example):
    dropped = section(page(nb_example, "rounds/budsjett-2026/changes"), "dropped")
    entries = {words(li.find("a")): words(li) for li in dropped.find_all("li")}
    assert len(entries) == 13
    assert "Hva som skjedde etterpå: Nå en del av den ordinære driften" in entries["Hverdagsrehabilitering i hjemmetjenesten"]
    assert "Hva som skjedde etterpå: Gjennomført Fortauet ble ferdig i 2025." in entries[
        "Fortau langs skoleveien til Nordbyen skole"]
    assert "Hva som skjedde etterpå: Avsluttet" in entries["Chatbot som svarer på enkle spørsmål på nettsidene"]
    # Every measure that got money last year says what became of it beside its badge.
    for title, said in entries.items():
        if "Fullt finansiert" in said:
            assert "Hva som skjedde etterpå:" in said and "Det står ikke" not in said, said
    # A measure discontinued in its round says so by its badge, with nothing added.
    assert "Hva som skjedde" not in entries["Kommuneavisen på papir til alle husstander"]
    # The measure's own page says it too.
    own = words(section(page(nb_example, "measures/hverdagsrehabilitering"), "what-became"))
    assert own == "Hva som skjedde med tiltaket etterpå Nå en del av den ordinære driften Teamet er nå en fast del av hjemmetjenesten."


def test_diff_reports_changed_assessments_and_what_became_of_dropped_measures(capsys):
    config = str(ROOT / MKDOCS)
    assert main(["-f", config, "--language", "en", "diff", "budsjett-2025", "budsjett-2026"]) == 0
    text = capsys.readouterr().out
    block = text.split("Assessment changed:\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines()[:3] == [
        "  - Flere plasser i kulturskolen (kulturskole-venteliste-2026):",
        "      - Ressurs: Lav → Moderat",
        "      - Alvorlighet: Liten → Moderat"]
    assert "Reason for the changed assessment: Kriteriene ble endret i januar 2025." in block
    assert ("Hverdagsrehabilitering i hjemmetjenesten (hverdagsrehabilitering): rank 2, Fullt finansiert, "
            "cost in year 1: 1,850,000\xa0NOK; what became of it: Now part of ordinary operation: Teamet er nå en fast "
            "del av hjemmetjenesten.") in text

    assert main(["-f", config, "--language", "nb", "diff", "budsjett-2025", "budsjett-2026", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "## Endret vurdering" in md
    assert "| Flere plasser i kulturskolen | Ressurs | Lav | Moderat | Kriteriene ble endret" in md
    assert "| Alvorlighet | Liten | Moderat |  |" in md
    assert "| Fortau langs skoleveien til Nordbyen skole | 3 | Fullt finansiert | 2\xa0400\xa0000\xa0kr | Gjennomført: " in md

    assert main(["-f", config, "diff", "budsjett-2025", "budsjett-2026", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["assessment_changed"] == [{
        "id": "kulturskole-venteliste-2026", "previous_id": "kulturskole-venteliste-2025",
        "title": "Flere plasser i kulturskolen",
        "levels": [{"criterion": "ressurs", "old": "lav", "new": "moderat"},
                   {"criterion": "alvorlighet", "old": "liten", "new": "moderat"}],
        "reason": data["assessment_changed"][0]["reason"]}]
    assert data["assessment_changed"][0]["reason"].startswith("Kriteriene ble endret i januar 2025.")
    dropped = {x["id"]: x["continuation"] for x in data["dropped"]}
    assert dropped["fortau-skolevei-nordbyen"]["status"] == "completed"
    assert dropped["kommuneavis-papir"] is None


def test_the_factory_portals_changes_page_shows_the_assessment_change_and_says_what_is_not_said(portal_dir, tmp_path):
    """Without a `continuation`, the page says the file does not say what became of a measure."""
    site = build(portal_dir / MKDOCS, tmp_path / "site")
    said = words(section(page(site, "rounds/budsjett-2026/changes"), "assessment-changed"))
    assert "Nytte: Svært stor → Stor" in said and "Ventetiden er kortere enn i 2025" in said
    dropped = words(section(page(site, "rounds/budsjett-2026/changes"), "dropped"))
    assert dropped.count("Det står ikke hva som skjedde med tiltaket etterpå.") == 2


def test_a_measure_moved_to_another_round_links_to_it(make_portal, tmp_path):
    moved = "continuation:\n  status: moved\n  round: budsjett-2026\n  note: Blir vurdert på nytt i 2026.\n"
    root = make_portal({MEASURE_RATIONED: patched(MEASURE_RATIONED, "id: praktisk-bistand-2025\n",
                                                  "id: praktisk-bistand-2025\n" + moved)})
    site = build(root / MKDOCS, tmp_path / "site")
    own = section(page(site, "measures/praktisk-bistand-2025"), "what-became")
    assert words(own) == "Hva som skjedde med tiltaket etterpå Flyttet til Budsjett 2026 Blir vurdert på nytt i 2026."
    assert own.find("a")["href"] == "../../rounds/budsjett-2026/"
    entry = next(li for li in section(page(site, "rounds/budsjett-2026/changes"), "dropped").find_all("li")
                 if "praktisk-bistand-2025" in li.find("a")["href"])
    assert "Hva som skjedde etterpå: Flyttet til Budsjett 2026" in words(entry)


@pytest.mark.parametrize("continuation, needle, expected", [
    ("continuation:\n  status: moved\n", "moved", "must say which round"),
    ("continuation:\n  status: stopped\n  round: budsjett-2026\n", "budsjett-2026\n",
     "only a measure moved to another round names one ('stopped' is written here)"),
    ("continuation:\n  status: moved\n  round: budsjett-2062\n", "budsjett-2062", "no round with the id 'budsjett-2062'"),
    ("continuation:\n  status: moved\n  round: budsjett-2025\n", "  round: budsjett-2025\n",
     "cannot move to its own round 'budsjett-2025'"),
    ("continuation:\n  status: discontinued\n", "discontinued", "stopped"),
])
def test_a_wrong_continuation_is_reported_where_it_is_written(make_portal, continuation, needle, expected):
    text = patched(MEASURE_DEPRIORITISED, "id: kveldsapent-bibliotek-2025\n",
                   "id: kveldsapent-bibliotek-2025\n" + continuation)
    problems = [p for p in load_problems(make_portal({MEASURE_DEPRIORITISED: text})) if p.path == MEASURE_DEPRIORITISED]
    assert len(problems) == 1, "\n".join(map(str, problems))
    # At the value (a key's value starts after "round: ").
    offset = len("  round: ") if needle.startswith("  round: ") else 0
    assert (problems[0].line, problems[0].column) == position(text, needle, offset)
    assert expected in str(problems[0])


def test_the_open_data_says_what_became_of_each_measure(nb_example):
    measures = pd.read_csv(nb_example / "open-data" / "measures.csv", keep_default_na=False,
                           na_values=[""]).set_index("id")
    assert measures.loc["fortau-skolevei-nordbyen", "continuation"] == "completed"
    assert measures.loc["chatbot-servicetorget", "continuation_note"].startswith("Avtalen om chatboten sies opp")
    assert pd.isna(measures.loc["kommuneavis-papir", "continuation"])


# --- 9. Easy read ------------------------------------------------------------------------------

def test_an_easy_read_summary_comes_first_on_the_measure_page(nb_example, sv_example):
    for site, path, heading, start in ((nb_example, "measures/miljoterapeut-skolefravaer", "Lettlest",
                                        "Er du mye borte fra skolen?"),
                                       (sv_example, "measures/hemtjanst-stadning", "Lättläst",
                                        "Du som får hjälp med städning")):
        article = page(site, path).find("article")
        first = article.find("h1").find_next_sibling()
        assert first.name == "section" and first["aria-labelledby"] == "easy-read"
        assert words(first).startswith(f"{heading} {start}")
        # Before the summary, in the order of the page.
        text = words(article)
        assert text.index(start) < text.index(words(article.find(class_="summary"))[:30])
    # A measure without one has no such section.
    assert page(nb_example, "measures/barnehage-apningstid").find(id="easy-read") is None
    measures = pd.read_csv(sv_example / "open-data" / "measures.csv", keep_default_na=False,
                           na_values=[""]).set_index("id")
    assert measures.loc["hemtjanst-stadning", "easy_read"].startswith("Du som får hjälp med städning")


HARD = ("Kommunestyret vedtok forsterket bemanning gjennom omdisponering av eksisterende "
        "stillingsressurser innenfor hjemmebaserte tjenester i sentrumsområdet.")


def test_an_easy_read_summary_is_held_to_its_own_stricter_limit(make_portal, capsys):
    # LIX of the factory's summary is well under 40 (no warning); as an easy-read text above 30 it warns.
    plain = "Flere ansatte i hjemmetjenesten, slik at eldre får hjelp når de trenger det."
    text = patched(MEASURE_FUNDED, "sector: Helse og omsorg\n", f"easy_read: {plain}\nsector: Helse og omsorg\n")
    root = make_portal({MEASURE_FUNDED: text})
    portal = load(root)
    easy = [w for w in portal.warnings if "easy-read" in str(w)]
    assert len(easy) == 1 and easy[0].severity is Severity.warning
    assert (easy[0].path, easy[0].line, easy[0].column) == (MEASURE_FUNDED, *position(text, f"easy_read: {plain}",
                                                                                      len("easy_read: ")))
    assert "the limit for easy read is 30" in str(easy[0])
    # The setting moves the limit; the summary's own limit stays as it is.
    config = (root / MKDOCS).read_text("utf-8").replace("      currency: NOK\n", "      currency: NOK\n      easy_read_limit: 60\n")
    (root / MKDOCS).write_text(config, "utf-8")
    assert main(["-f", str(root / MKDOCS), "validate", "--strict"]) == 0
    (root / MKDOCS).write_text(config.replace("easy_read_limit: 60", "easy_read_limit: 30"), "utf-8")
    assert main(["-f", str(root / MKDOCS), "validate", "--strict"]) == 1
    assert "easy-read summary is hard to read" in capsys.readouterr().err


def test_a_hard_easy_read_text_warns_even_where_the_summary_passes(make_portal):
    text = patched(MEASURE_INVESTMENT, "sector: Teknikk og miljø\n", f"easy_read: {HARD}\nsector: Teknikk og miljø\n")
    warnings = [str(w) for w in load(make_portal({MEASURE_INVESTMENT: text})).warnings]
    assert any("easy-read summary is hard to read" in w for w in warnings)
    assert not any("the summary is hard to read" in w for w in warnings)


def test_a_portal_without_the_new_fields_is_valid_as_before(make_portal):
    """The new fields are optional: the factory portal, which has none, is valid as before."""
    portal = load(make_portal())
    assert all(x.easy_read is None and x.continuation is None for x in portal.measures)
    assert all(r.decision is None or not r.decision.recorded_in_detail for r in portal.rounds)


# --- The preview follows what the new fields show ----------------------------------------------

def test_the_preview_shows_what_a_cold_build_shows_after_each_edit(tmp_path):
    """A round's title named by a measure that moved to it, a decision record edited, an easy-read
    summary added: each preview comes out as a cold build of the same files."""
    from test_incremental import Session

    from portal_factory import ROUND_2026, write_portal

    moved = "continuation:\n  status: moved\n  round: budsjett-2026\n"
    root = write_portal(tmp_path / "portal", {MEASURE_RATIONED: patched(
        MEASURE_RATIONED, "id: praktisk-bistand-2025\n", "id: praktisk-bistand-2025\n" + moved)})
    session = Session(root, tmp_path)
    session.update(session.save(ROUND_2026, patched(ROUND_2026, "title: Budsjett 2026\n", "title: Omfordeling 2026\n")))
    session.assert_as_cold()
    assert "Flyttet til Omfordeling 2026" in words(page(session.preview.out_dir, "measures/praktisk-bistand-2025"))
    session.update(session.save(ROUND_2025, with_record()))
    session.assert_as_cold()
    session.update(session.save(MEASURE_FUNDED, patched(MEASURE_FUNDED, "sector: Helse og omsorg\n",
                                                        "easy_read: Flere får hjelp.\nsector: Helse og omsorg\n")))
    session.assert_as_cold()
