"""What changed between two criteria versions, two rounds, or two revisions of a portal, and
`prioportal diff`'s reports of it: text and Markdown in the portal's language, JSON as data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cost import growth
from portal_factory import (MEASURE_DEPRIORITISED, MEASURE_FUNDED, MEASURE_RATIONED, MKDOCS, load, patch_file,
                            write_portal)
from prioportal.analyses import changes as ch
from prioportal.analyses import comparisons as cmp
from prioportal.cli import main
from prioportal.model import decisions as m
from prioportal.model.decisions import CriteriaSet, FollowUpResult, Measure, OutcomeKind, ScaleLevel
from prioportal.site.change_lines import ChangeDescriber
from prioportal.site.vocabulary import LABELS
from prioportal.text.i18n import Formatter, Translator
from prioportal.tools import diff_report as report

REPO = Path(__file__).resolve().parent.parent
SWEDISH_EXAMPLE = REPO / "examples" / "exempelby"


@pytest.fixture
def portal(portal_dir):
    return load(portal_dir)


def words(language: str, criteria=()) -> ChangeDescriber:
    """The report's describer in `language`, for a portal in kroner."""
    return ChangeDescriber.for_report(Translator(language), Formatter(language, "NOK"), criteria)


def plain(text: str) -> str:
    """Text as read aloud: CLDR's no-break spaces and minus sign as a space and a hyphen."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")


def by_id(portal, ident: str) -> Measure:
    return next(x for x in portal.measures if x.id == ident)


# --- The generic diff ------------------------------------------------------------------------


def test_diff_reports_changed_added_and_removed_fields_by_path():
    old = {"title": "A", "rank": 5, "outcome": {"decision": "postponed", "rationale": "Later."}, "note": "x"}
    new = {"title": "A", "rank": 3, "outcome": {"decision": "funded", "rationale": None}, "extra": [1]}
    changes = ch.diff(old, new)
    assert [(c.path, c.kind, c.old, c.new) for c in changes] == [
        (("extra",), "added", None, [1]),
        (("note",), "removed", "x", None),
        (("outcome", "decision"), "changed", "postponed", "funded"),
        (("outcome", "rationale"), "removed", "Later.", None),
        (("rank",), "changed", 5, 3),
    ]
    assert words("en").sentence(changes[-1]) == "Rank: 5 → 3"
    assert words("nb").sentence(changes[-1]) == "Rang: 5 → 3"


def test_one_describer_words_values_for_pages_and_reports(portal):
    """Dates as the language writes them, the fixed vocabulary by its names, outcomes in the
    criteria set's words; a page cuts long texts and counts an unnamed group of fields, a report
    shows them."""
    report_nb = words("nb", portal.criteria_sets)
    page_nb = ChangeDescriber(Translator("nb"), Formatter("nb", "NOK"), portal.criteria_sets)
    date = ch.Change(("decision", "meeting_date"), "changed", "2025-03-01", "2025-04-02")
    assert report_nb.sentence(date) == "Vedtak › Møtedato: 1. mars 2025 → 2. april 2025"
    rationing = ch.Change(("outcome", "rationing_type"), "added", None, "process")
    process = Translator("nb").gettext(LABELS[m.RationingType.process])  # "Rasjonering av tjenesten (…)"
    assert report_nb.sentence(rationing) == f"Utfall › Type rasjonering: lagt til {process}"
    notes = ch.Change(("review_notes",), "added", None, {"dominated": "Dyrere enn kulturskolen. " * 10})
    assert report_nb.sentence(notes) == "Kontroll av likebehandling: lagt til Begrunnelse for rangeringen: " + (
        "Dyrere enn kulturskolen. " * 10).strip()
    assert page_nb.sentence(notes) == "Kontroll av likebehandling: lagt til (flere felt)"
    long_text = ch.Change(("summary",), "changed", "Kort.", "Lang tekst. " * 30)
    assert page_nb.line(long_text).new.endswith("…") and not report_nb.line(long_text).new.endswith("…")


def test_diff_matches_list_items_by_id_not_position():
    old = {"criteria": [{"id": "nytte", "name": "Nytte"}, {"id": "ressurs", "name": "Ressurs"}]}
    new = {"criteria": [{"id": "ressurs", "name": "Ressurs"}, {"id": "nytte", "name": "Nytte (endret)"},
                        {"id": "alvorlighet", "name": "Alvorlighet"}]}
    changes = ch.diff(old, new)
    kinds = {(c.path, c.kind) for c in changes}
    assert (("criteria", "alvorlighet"), "added") in kinds
    assert (("criteria", "nytte", "name"), "changed") in kinds
    # The two criteria kept swapped places: reported once, as the order, not as two rewordings.
    order = next(c for c in changes if c.path == ("criteria",))
    assert (order.old, order.new) == (["nytte", "ressurs"], ["ressurs", "nytte"])
    assert changes[0] is order  # a list's own change sorts before its items'
    assert isinstance(changes[1].path[1], ch.ItemId)
    assert not any(c.path[-1] == "name" and c.path[1] == "ressurs" for c in changes)


def test_diff_matches_outcome_terms_by_kind_and_results_by_indicator_and_period():
    old = {"outcomes": [{"kind": "funded", "label": "Prioritert", "description": "a"}],
           "results": [{"indicator": "ventetid", "period": "2025", "value": 12.5},
                       {"indicator": "ventetid", "period": "2026", "value": 10}]}
    new = {"outcomes": [{"kind": "postponed", "label": "Utsatt", "description": "b"},
                        {"kind": "funded", "label": "Fullt prioritert", "description": "a"}],
           "results": [{"indicator": "ventetid", "period": "2026", "value": 9}]}
    changes = {(c.path, c.kind): c for c in ch.diff(old, new)}
    assert changes[("outcomes", "funded", "label"), "changed"].new == "Fullt prioritert"
    assert ("outcomes", "postponed") in {p for p, _ in changes}
    assert changes[("results", "ventetid@2026", "value"), "changed"].old == 10
    assert changes[("results", "ventetid@2025"), "removed"].old["value"] == 12.5


def test_diff_falls_back_to_positions_without_ids_and_keeps_cost_lines_apart():
    old = {"costs": [{"kind": "recurring", "year_1": 100}, {"kind": "recurring", "year_1": 200}]}
    new = {"costs": [{"kind": "recurring", "year_1": 100}, {"kind": "recurring", "year_1": 250},
                     {"kind": "one_off", "year_1": 5}]}
    changes = ch.diff(old, new)
    assert [(c.path, c.kind) for c in changes] == [(("costs", 1, "year_1"), "changed"), (("costs", 2), "added")]
    nb = words("nb")
    assert [plain(nb.sentence(c)) for c in changes] == ["Kostnader › #2 › År 1: 200 kr → 250 kr",
                                                        "Kostnader › #3: lagt til Engangskostnad"]


def test_diff_tells_true_from_1_and_ignores_int_against_equal_float():
    assert [c.kind for c in ch.diff({"a": True}, {"a": 1})] == ["changed"]
    assert ch.diff({"a": 7}, {"a": 7.0}) == []


def test_diff_is_deterministic_whatever_the_key_order():
    a = {"b": 1, "a": {"y": 1, "x": 2}}
    b = {"a": {"x": 3, "y": 1}, "b": 2}
    assert ch.diff(a, b) == ch.diff(dict(reversed(list(a.items()))), b)
    assert [c.path for c in ch.diff(a, b)] == [("a", "x"), ("b",)]


# --- Criteria versions -----------------------------------------------------------------------


def test_compare_criteria_of_the_factory_versions(portal):
    v1, v2 = portal.criteria_sets
    c = cmp.compare_criteria(v1, v2)
    assert [x.id for x in c.criteria_removed] == ["ressurs"]
    assert [x.id for x in c.criteria_added] == ["kostnadseffektivitet"]
    nytte = next(x for x in c.criteria_changed if x.id == "nytte")
    assert [lvl.id for lvl in nytte.levels_removed] == ["svaert-stor", "ingen"]
    assert not nytte.levels_added and not nytte.reworded and not nytte.levels_reordered
    assert c.criteria_unchanged == ("alvorlighet",)
    assert [p.id for p in c.principles_removed] == ["upartiskhet"]
    assert {o.kind for o in c.outcomes_added} == {OutcomeKind.efficiency, OutcomeKind.postponed}
    assert {o.kind for o in c.outcomes_removed} == {OutcomeKind.partly_funded, OutcomeKind.rationed}
    assert any(x.path[0] == "bands" and x.kind == "removed" for x in c.rank_scale)
    assert c.change_note.startswith("Ressurs er erstattet")
    assert c.has_differences
    # Side by side: the new version's order, removed criteria last.
    assert [(o and o.id, n and n.id) for o, n in c.criteria_pairs] == [
        ("alvorlighet", "alvorlighet"), ("nytte", "nytte"), (None, "kostnadseffektivitet"), ("ressurs", None)]


def reworded(cs: CriteriaSet, criterion_id: str, **update) -> CriteriaSet:
    criteria = [c.model_copy(update=update) if c.id == criterion_id else c for c in cs.criteria]
    return cs.model_copy(update={"criteria": criteria})


def test_compare_criteria_sees_relabelled_redescribed_and_reordered_levels(portal):
    v1 = portal.criteria_sets[0]
    ressurs = v1.criterion("ressurs")
    lav, moderat, hoey = ressurs.scale
    new_scale = [hoey, moderat.model_copy(update={"label": "Middels"}),
                 lav.model_copy(update={"description": "Under 5 millioner over ti år."}),
                 ScaleLevel(id="svaert-hoey", label="Svært høy", description="Over 50 millioner.")]
    v1b = reworded(v1, "ressurs", scale=new_scale, question="Hva koster tiltaket over ti år?")
    c = cmp.compare_criteria(v1, v1b)
    (change,) = c.criteria_changed
    assert change.id == "ressurs"
    assert [(x.path, x.new) for x in change.fields] == [(("question",), "Hva koster tiltaket over ti år?")]
    assert [x.id for x in change.levels_relabelled] == ["moderat"]
    assert [x.id for x in change.levels_redescribed] == ["lav"]
    assert [x.id for x in change.levels_added] == ["svaert-hoey"]
    assert change.levels_reordered  # "hoey" is now the most favourable: the meaning of the scale turned round
    text = report.to_text(c, words("en", [v1, v1b]))
    assert text.startswith("Changes from Kriterier for prioritering 2025 (version 1) to Kriterier for prioritering "
                           "2025 (version 1)\n")  # the same title: the versions tell them apart
    assert "Level renamed: Moderat → Middels" in text
    assert "Order of the levels: Lav, Moderat, Høy → Høy, Middels, Lav, Svært høy" in text
    text = report.to_text(c, words("nb", [v1, v1b]))
    assert "Nytt navn på nivå: Moderat → Middels" in text
    assert "Rekkefølgen på nivåene: Lav, Moderat, Høy → Høy, Middels, Lav, Svært høy" in text
    assert "Spørsmål: Hvor mye ressurser krever tiltaket? → Hva koster tiltaket over ti år?" in text


def test_identical_criteria_have_no_differences(portal):
    v1 = portal.criteria_sets[0]
    c = cmp.compare_criteria(v1, v1)
    assert not c.has_differences
    assert "Ingen forskjeller." in report.to_text(c, words("nb", [v1]))
    assert "No differences." in report.to_text(c, words("en", [v1]))


# --- Rounds ------------------------------------------------------------------------------------


def test_compare_rounds_follows_previous_links_across_years(portal):
    r25, r26 = portal.rounds
    c = cmp.compare_rounds(r25, portal.measures_in(r25.id), r26, portal.measures_in(r26.id))
    assert [x.id for x in c.new] == ["gang-og-sykkelvei-2026"]
    assert [x.id for x in c.dropped] == ["praktisk-bistand-2025", "kveldsapent-bibliotek-2025"]  # old rank order
    (pair,) = c.continued
    assert (pair.old.id, pair.new.id) == ("styrket-hjemmetjeneste-2025", "styrket-hjemmetjeneste-2026")
    assert pair in c.rank_removed and pair in c.outcome_changed  # 2026 is not decided yet
    assert c.budget_frame_delta == 30_000_000 - 45_000_000
    assert c.criteria_changed


def test_difference_pages_of_a_portal(portal):
    criteria = cmp.criteria_differences(portal)
    assert list(criteria) == ["kriterier-2026"]  # the first version has nothing to compare with
    assert criteria["kriterier-2026"].old.id == "kriterier-2025"
    rounds = cmp.round_differences(portal)
    assert list(rounds) == ["budsjett-2026"]
    assert rounds["budsjett-2026"].old_round.id == "budsjett-2025"


def test_compare_rounds_classifies_moves_outcomes_and_amounts(portal):
    """The same round at two revisions: matched by id."""
    r25 = portal.rounds[0]
    old = portal.measures_in(r25.id)
    rationed = by_id(portal, "praktisk-bistand-2025")
    deprioritised = by_id(portal, "kveldsapent-bibliotek-2025")
    funded = by_id(portal, "styrket-hjemmetjeneste-2025")
    new = [
        funded.model_copy(update={"rank": 2}),
        rationed.model_copy(update={"rank": 3, "outcome": rationed.outcome.model_copy(update={"granted": 300_000})}),
        deprioritised.model_copy(update={"rank": 6, "outcome": deprioritised.outcome.model_copy(
            update={"decision": OutcomeKind.postponed})}),
    ]
    c = cmp.compare_rounds(r25, old, r25.model_copy(update={"budget_frame": 40_000_000}), new)
    assert [p.new.id for p in c.moved_up] == ["kveldsapent-bibliotek-2025", "praktisk-bistand-2025"]  # biggest first
    assert [p.rank_delta for p in c.moved_up] == [3, 1]
    assert [p.new.id for p in c.moved_down] == ["styrket-hjemmetjeneste-2025"]
    assert [(p.old_outcome, p.new_outcome) for p in c.outcome_changed] == [("deprioritised", "postponed")]
    assert [(p.old.granted, p.new.granted) for p in c.granted_changed] == [(400_000, 300_000)]
    assert not c.cost_changed and not c.new and not c.dropped and not c.unchanged
    assert c.budget_frame_delta == -5_000_000

    nb = words("nb", portal.criteria_sets)
    text = plain(report.to_text(c, nb))
    assert "Høyere opp i listen:\n  - Kveldsåpent bibliotek (kveldsapent-bibliotek-2025): rang 9 → 6" in text
    assert "Budsjettramme: 45 000 000 kr → 40 000 000 kr (-5 000 000 kr)" in text
    # Outcomes in the criteria set's words ("Ikke prioritert", "Utsatt"), never as their codes.
    assert "Endret utfall:\n  - Kveldsåpent bibliotek (kveldsapent-bibliotek-2025): Ikke prioritert → Utsatt" in text
    md = plain(report.to_markdown(c, nb))
    assert "| Tiltak | Rang | Utfall | Kostnad år 1 | Bevilget |" in md
    assert "| Praktisk bistand | 4 → 3 | Rasjonert | 400 000 kr | 400 000 kr → 300 000 kr |" in md
    en = plain(report.to_markdown(c, words("en", portal.criteria_sets)))
    assert "| Measure | Rank | Outcome | Cost, year 1 | Granted |" in en
    assert "| Praktisk bistand | 4 → 3 | Rasjonert | 400,000 NOK | 400,000 NOK → 300,000 NOK |" in en
    data = json.loads(report.to_json(c))
    assert data["moved_down"][0]["rank"] == [1, 2]
    assert data["has_differences"] is True


def test_compare_rounds_with_no_change_reports_all_unchanged(portal):
    r25 = portal.rounds[0]
    c = cmp.compare_rounds(r25, portal.measures_in(r25.id), r25, portal.measures_in(r25.id))
    assert len(c.unchanged) == 3 and not c.has_differences


# --- Two revisions of a portal -----------------------------------------------------------------


def test_compare_portals_lists_changes_per_object_and_follow_up_status(tmp_path):
    old, new = revisions(tmp_path)

    c = cmp.compare_portals(old, new, "abc123", "def456")
    assert c.measures.removed == ("kveldsapent-bibliotek-2025",)
    rationed = next(x for x in c.measures.changed if x.id == "praktisk-bistand-2025")
    assert [(x.path, x.old, x.new) for x in rationed.changes] == [(("rank",), 4, 2)]
    assert [x.id for x in c.rounds.changed] == ["budsjett-2025"]
    assert not c.criteria_sets.has_differences

    (follow,) = c.follow_up
    assert follow.measure == "styrket-hjemmetjeneste-2025"
    (indicator,) = follow.indicators
    assert (indicator.old_progress, indicator.new_progress) == ("improving", "target_met")
    assert (indicator.old_latest, indicator.new_latest) == (12.5, 6)
    assert (follow.old_evaluation, follow.new_evaluation) == ("continue", "correct")

    (round_change,) = c.round_changes
    assert [p.new.id for p in round_change.moved_up] == ["praktisk-bistand-2025"]
    assert [x.id for x in round_change.dropped] == ["kveldsapent-bibliotek-2025"]

    nb = words("nb", new.criteria_sets)
    text = report.to_text(c, nb)
    assert text.startswith("Endringer fra abc123 til def456\n\nPrioriteringsrunder:\n")
    assert "praktisk-bistand-2025:\n      - Rang: 4 → 2" in text
    # Follow-up statuses and evaluation decisions by their names (vocabulary.LABELS), numbers as in Norway.
    assert ("Ventetid på hjemmetjeneste: Bedre, men målet er ikke nådd → Målet er nådd, "
            "Siste resultat: 12,5 → 6") in text
    assert "Evaluering: Videreføres → Justeres" in text
    assert not re.search(r"\b(improving|target_met|continue|correct)\b", text)
    md = report.to_markdown(c, nb)
    assert "### praktisk-bistand-2025" in md and "| Rang | 4 | 2 |" in md
    assert "| Oppfølging › Evaluering › Vedtak | Videreføres | Justeres |" in md
    data = json.loads(report.to_json(c))
    assert data["measures"]["removed"] == ["kveldsapent-bibliotek-2025"]
    assert data["follow_up"][0]["evaluation"] == ["continue", "correct"]
    assert data["follow_up"][0]["indicators"][0]["progress"] == ["improving", "target_met"]


def test_compare_portals_of_the_same_content_is_empty(portal):
    c = cmp.compare_portals(portal, portal)
    assert not c.has_differences
    assert report.to_text(c, words("nb")) == "Endringer fra old til new\n\nIngen forskjeller.\n"


def test_json_is_stable_and_keeps_letters(portal):
    v1, v2 = portal.criteria_sets
    c = cmp.compare_criteria(v1, v2)
    first, second = report.to_json(c), report.to_json(cmp.compare_criteria(v1, v2))
    assert first == second
    assert "Svært stor" in first  # ensure_ascii=False
    data = json.loads(first)
    assert list(data)[:4] == ["type", "old", "new", "versions"]


def test_follow_up_change_notices_a_new_result(portal):
    funded = by_id(portal, "styrket-hjemmetjeneste-2025")
    results = list(funded.follow_up.results) + [FollowUpResult(indicator="ventetid-dager", period="2. halvår 2025",
                                                               value=8)]
    newer = funded.model_copy(update={"follow_up": funded.follow_up.model_copy(update={"results": results})})
    found = cmp.follow_up_change(funded, newer)
    assert found is not None and found.indicators[0].new_latest == 8
    assert cmp.follow_up_change(funded, funded) is None


def test_comparing_rounds_takes_work_in_proportion_to_their_measures(portal):
    """Comparing two versions of a round and writing the report, at 2 000 and at 8 000 measures:
    four times the measures may cost at most six times the work (lines of Python run, counted,
    not timed; matching every measure against every other would cost sixteen times)."""
    base = by_id(portal, "praktisk-bistand-2025")
    r25 = portal.rounds[0]
    old = [base.model_copy(update={"id": f"m-{i}", "rank": 1 + i % 10}) for i in range(8_000)]
    new = [base.model_copy(update={"id": f"m-{i}", "rank": 1 + (i + i % 2) % 10}) for i in range(8_000)]
    describe = words("nb", portal.criteria_sets)

    def compare_and_report(n: int) -> str:
        return report.to_markdown(cmp.compare_rounds(r25, old[:n], r25, new[:n]), describe)

    c = cmp.compare_rounds(r25, old, r25, new)
    assert len(c.moved_down) + len(c.moved_up) == 4_000 and len(c.unchanged) == 4_000
    assert compare_and_report(8_000).count("\n| ") > 4_000
    assert growth(compare_and_report, 2_000, 8_000) < 1.5


# --- `prioportal diff`: the reports in the portal's language --------------------------------

# Every code of the fixed vocabulary a round's report could show, and the outcome kinds.
CODES = sorted({e.value for enum in (m.OutcomeKind, m.RationingType, m.RoundStatus, m.RoundPurpose,
                                     m.EvaluationDecision, m.CostKind) for e in enum}, key=len, reverse=True)
RAW_CODE = re.compile(r"(?<![\w-])(" + "|".join(CODES) + r")(?![\w-])")
# In English some codes are words ("decided", "result"): those with an underscore never are.
RAW_CODE_IN_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(c for c in CODES if "_" in c) + r")(?![\w-])")
# Words of the English report that must not show in a report in another language.
ENGLISH = ("Changes from", "Budget frame", "Criteria used", "Continued:", "Moved up", "Outcome changed",
           "New measures", "Dropped measures", "Changed measures", "| Measure |", "| Rank |", "Change note",
           "Criteria changed", "Other changes", "Follow-up changed", "No differences", "rank ")


def outcome_labels(criteria_file: Path) -> dict[str, str]:
    """The outcome labels a criteria version defines, read from its file."""
    import yaml

    return {t["kind"]: t["label"] for t in yaml.safe_load(criteria_file.read_text(encoding="utf-8"))["outcomes"]}


def outcomes_in_tables(md: str) -> set[str]:
    """The outcomes a Markdown report's tables show (the third column of the tables whose third
    column is headed as the first table's, the outcome), each side of an arrow."""
    tables: list[list[list[str]]] = []
    for line in md.splitlines():
        if not line.startswith("| "):
            tables.append([])
        elif not line.startswith("| ---"):
            tables[-1].append(line.split(" | "))
    tables = [t for t in tables if t]
    found = {label for t in tables if t[0][2] == tables[0][0][2] for row in t[1:] for label in row[2].split(" → ")}
    assert found, md
    return found


def measure_file(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def diff(capsys, config: Path, *args: str) -> str:
    assert main(["-f", str(config), "diff", *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_markdown_report_of_the_bundled_example_is_norwegian_with_the_criteria_sets_outcomes(
        capsys, no_language_in_environment):
    """The communicators' issue: `--format markdown`, for a council paper, printed `# Round`,
    `Budget frame` and `postponed → partly_funded`."""
    no_language_in_environment.setenv("LANG", "C.UTF-8")  # names no language: the portal's is used
    md = diff(capsys, REPO / "mkdocs.yml", "budsjett-2025", "budsjett-2026", "--format", "markdown")
    assert plain(md).startswith("# Endringer fra Budsjett 2025 til Budsjett 2026\n\n"
                                "- Budsjettramme: 14 000 000 kr → 16 500 000 kr (+2 500 000 kr)\n")
    assert "| Tiltak | Rang | Utfall | Kostnad år 1 | Bevilget |" in md
    before = outcome_labels(REPO / "decisions" / "criteria" / "kriterier-2025.yml")
    after = outcome_labels(REPO / "decisions" / "criteria" / "kriterier-2026.yml")
    # The example, the night patrol: each year's outcome in that year's criteria version's words.
    old, new = (measure_file(REPO / "decisions" / "measures" / year / f"nattpatrulje-hjemmetjenesten-{year}.yml")
                for year in ("2025", "2026"))
    row = next(line for line in md.splitlines() if line.startswith(f"| {new['title']} | "))
    assert row.split(" | ")[1:3] == [f"{old['rank']} → {new['rank']}", f"{before[old['outcome']['decision']]} → "
                                                                         f"{after[new['outcome']['decision']]}"]
    # Every outcome in the tables is one of the criteria versions' labels.
    assert outcomes_in_tables(md) <= {*before.values(), *after.values()}
    assert RAW_CODE.search(md) is None, RAW_CODE.search(md)
    assert not [w for w in ENGLISH if w in md]


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_reports_of_the_swedish_example_are_swedish(capsys, fmt, no_language_in_environment):
    rounds = diff(capsys, SWEDISH_EXAMPLE / "mkdocs.yml", "budget-2026-namnderna", "investeringsbudget-2026",
                  "--format", fmt)
    assert rounds.startswith(("# Ändringar från Budget 2026", "Ändringar från Budget 2026"))
    assert "Budgetram: " in rounds
    labels = {label for version in ("kriterier-version-1", "kriterier-version-2")
              for label in outcome_labels(SWEDISH_EXAMPLE / "decisions" / "criteria" / f"{version}.yml").values()}
    if fmt == "markdown":
        assert "| Åtgärd | Plats | Utfall | Kostnad år 1 |" in rounds
        rows = [line for line in plain(rounds).splitlines() if line.startswith("| ") and line.endswith(" kr |")]
        cells = {row.split(" | ")[2] for row in rows}
        assert cells and cells <= labels  # every outcome by the criteria version's label
    else:
        assert "Nya åtgärder:" in rounds and ": plats 1, " in rounds
    criteria = diff(capsys, SWEDISH_EXAMPLE / "mkdocs.yml", "kriterier-version-1", "kriterier-version-2",
                    "--format", fmt)
    assert "Förklaring till ändringen" in criteria
    for report_text in (rounds, criteria):
        assert RAW_CODE.search(report_text) is None, RAW_CODE.search(report_text)
        assert not [w for w in ENGLISH if w in report_text]


def test_language_option_gives_english_and_json_stays_data(capsys):
    config = REPO / "mkdocs.yml"
    md = diff(capsys, config, "budsjett-2025", "budsjett-2026", "--format", "markdown", "--language", "en")
    assert md.startswith("# Changes from Budsjett 2025 to Budsjett 2026\n\n- Budget frame: 14,000,000\u00a0NOK")
    assert "| Measure | Rank | Outcome | Cost, year 1 | Granted |" in md
    after = outcome_labels(REPO / "decisions" / "criteria" / "kriterier-2026.yml")
    # The example publishes no English: its outcomes keep the criteria version's words, never a code.
    before = outcome_labels(REPO / "decisions" / "criteria" / "kriterier-2025.yml")
    assert outcomes_in_tables(md) <= {*before.values(), *after.values()}
    assert RAW_CODE_IN_ENGLISH.search(md) is None
    text = diff(capsys, config, "kriterier-2025", "kriterier-2026", "--language", "en")
    assert text.startswith("Changes from Kriterier for prioritering 2025 to Kriterier for prioritering 2026\n")
    # JSON is an interface: the same data, codes and all, in whatever language it is asked for.
    json_nb = diff(capsys, config, "budsjett-2025", "budsjett-2026", "--format", "json")
    json_en = diff(capsys, config, "budsjett-2025", "budsjett-2026", "--format", "json", "--language", "en")
    assert json_nb == json_en
    assert json.loads(json_nb)["outcome_changed"][0]["outcome"] == ["postponed", "partly_funded"]


def test_the_language_is_the_chosen_then_the_environments_then_the_portals(portal_dir, capsys,
                                                                          no_language_in_environment):
    env = no_language_in_environment
    config = portal_dir / MKDOCS
    args = ("budsjett-2025", "budsjett-2026")
    assert diff(capsys, config, *args).startswith("Endringer fra ")  # mkdocs.yml says nb
    env.setenv("LANG", "sv_SE.UTF-8")  # the reader's own choice for the programs they run
    assert diff(capsys, config, *args).startswith("Ändringar från ")
    assert diff(capsys, config, *args, "--language", "nn").startswith("Endringar frå ")
    assert main(["-f", str(config), "--language", "en", "diff", *args]) == 0  # the option for every command
    assert capsys.readouterr().out.startswith("Changes from ")
    env.setenv("LANGUAGE", "de:nn")  # the first language with texts, in gettext's order of the variables
    assert diff(capsys, config, *args).startswith("Endringar frå ")
    env.delenv("LANGUAGE")
    env.setenv("LC_ALL", "C.UTF-8")  # names no language: the next variable does
    assert diff(capsys, config, *args).startswith("Ändringar från ")
    env.setenv("LANG", "C")
    assert diff(capsys, config, *args).startswith("Endringer fra ")  # none named: the portal's
    assert main(["-f", str(config), "diff", *args, "--language", "de"]) == 2
    assert "det finnes ingen tekster på «de» – bruk et av disse: en, nb, nn, sv" in capsys.readouterr().err


def test_a_report_in_a_language_the_portal_publishes_uses_its_texts_in_that_language(portal_dir, capsys,
                                                                                     no_language_in_environment):
    config = portal_dir / MKDOCS
    patch_file(portal_dir, MKDOCS, "      municipality:", "      languages: [en]\n      municipality:")
    patch_file(portal_dir, MEASURE_RATIONED, "title: Praktisk bistand\n",
               "title:\n  nb: Praktisk bistand\n  en: Practical assistance\n")
    english = diff(capsys, config, "budsjett-2025", "budsjett-2026", "--language", "en")
    assert "  - Practical assistance (praktisk-bistand-2025): rank 4, " in english
    norwegian = diff(capsys, config, "budsjett-2025", "budsjett-2026")
    assert "  - Praktisk bistand (praktisk-bistand-2025): rang 4, " in norwegian


def revisions(tmp_path):
    """The test portal and a later revision of it: a rank, a result, an evaluation and a budget
    frame changed, a measure removed."""
    old_root = write_portal(tmp_path / "old")
    new_root = write_portal(tmp_path / "new", {MEASURE_DEPRIORITISED: None})
    patch_file(new_root, MEASURE_RATIONED, "rank: 4\n", "rank: 2\n")
    patch_file(new_root, MEASURE_FUNDED, "      value: 12.5\n", "      value: 6\n")
    patch_file(new_root, MEASURE_FUNDED, "    decision: continue\n", "    decision: correct\n")
    patch_file(new_root, "decisions/rounds/budsjett-2025.yml", "budget_frame: 45 000 000", "budget_frame: 46 000 000")
    return load(old_root), load(new_root)


@pytest.fixture(scope="module")
def every_comparison(tmp_path_factory):
    old, new = revisions(tmp_path_factory.mktemp("revisions"))
    (v1, v2), (r25, r26) = new.criteria_sets, new.rounds
    return new.criteria_sets, {
        "criteria": cmp.compare_criteria(v1, v2),
        "rounds": cmp.compare_rounds(r25, new.measures_in(r25.id), r26, new.measures_in(r26.id)),
        "portal": cmp.compare_portals(old, new, "abc123", "def456"),
    }


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
@pytest.mark.parametrize("kind", ["criteria", "rounds", "portal"])
def test_every_report_is_in_its_language_without_codes(every_comparison, language, kind):
    criteria, comparisons = every_comparison
    d = words(language, criteria)
    for render in (report.to_text, report.to_markdown):
        out = render(comparisons[kind], d)
        assert Translator(language).gettext("Changes from {old} to {new}").split("{old}")[0] in out.splitlines()[0]
        codes = RAW_CODE_IN_ENGLISH if language == "en" else RAW_CODE
        assert codes.search(out) is None, (render.__name__, codes.search(out))
        if language != "en":
            assert not [w for w in ENGLISH if w in out], render.__name__


def test_the_readmes_sample_is_what_the_command_prints(capsys, no_language_in_environment):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "`prioportal diff budsjett-2025 budsjett-2026 --format markdown`"
    block = readme[readme.index(command):]
    block = block[block.index("```markdown\n") + len("```markdown\n"):block.index("  ```\n")]
    sample = [line[2:] for line in block.splitlines()]
    md = diff(capsys, REPO / "mkdocs.yml", "budsjett-2025", "budsjett-2026", "--format", "markdown")
    assert plain(md).splitlines()[:len(sample)] == sample


def test_a_changed_kind_is_named_for_the_field_it_is():
    """Three fields are called `kind`: a round's, a cost line's and an outcome term's. A history
    line names each by what it is, never all three as the kind of a cost."""
    nb = words("nb")
    assert nb.field(("kind",)) == "Type runde"
    assert nb.field(("costs", 0, "kind")).endswith("Type kostnad")
    assert nb.field(("outcomes", ch.ItemId("utsatt"), "kind")).endswith("Type utfall")
    assert "Type kostnad" not in nb.field(("outcomes", ch.ItemId("utsatt"), "kind"))
