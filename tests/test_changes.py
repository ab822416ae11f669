"""What changed between two criteria versions, two rounds, or two revisions of a portal."""

from __future__ import annotations

import json

import pytest

from portal_factory import (MEASURE_DEPRIORITISED, MEASURE_FUNDED, MEASURE_RATIONED, load, patch_file,
                            write_portal)
from prioportal.analyses import changes as ch
from prioportal.analyses import comparisons as cmp
from prioportal.tools import diff_report as report
from prioportal.model.decisions import CriteriaSet, FollowUpResult, Measure, OutcomeKind, ScaleLevel


@pytest.fixture
def portal(portal_dir):
    return load(portal_dir)


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
    assert report.change_text(changes[-1]) == "rank: 5 → 3"


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
    assert report.change_text(changes[0]) == "costs › #2 › year_1: 200 → 250"


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
    text = report.to_text(c)
    assert "level moderat relabelled: Moderat → Middels" in text
    assert "levels reordered: lav, moderat, hoey → hoey, moderat, lav, svaert-hoey" in text


def test_identical_criteria_have_no_differences(portal):
    v1 = portal.criteria_sets[0]
    c = cmp.compare_criteria(v1, v1)
    assert not c.has_differences
    assert "No differences." in report.to_text(c)


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

    text = report.to_text(c)
    assert "Moved up:\n  - Kveldsåpent bibliotek (kveldsapent-bibliotek-2025): rank 9 → 6" in text
    assert "Budget frame: 45 000 000 → 40 000 000 (-5 000 000)" in text
    md = report.to_markdown(c)
    assert "| Measure | Rank | Outcome | Year-1 cost | Granted |" in md
    assert "| Praktisk bistand | 4 → 3 | rationed | 400 000 | 400 000 → 300 000 |" in md
    data = json.loads(report.to_json(c))
    assert data["moved_down"][0]["rank"] == [1, 2]
    assert data["has_differences"] is True


def test_compare_rounds_with_no_change_reports_all_unchanged(portal):
    r25 = portal.rounds[0]
    c = cmp.compare_rounds(r25, portal.measures_in(r25.id), r25, portal.measures_in(r25.id))
    assert len(c.unchanged) == 3 and not c.has_differences


# --- Two revisions of a portal -----------------------------------------------------------------


def test_compare_portals_lists_changes_per_object_and_follow_up_status(tmp_path):
    old_root = write_portal(tmp_path / "old")
    new_root = write_portal(tmp_path / "new", {MEASURE_DEPRIORITISED: None})
    patch_file(new_root, MEASURE_RATIONED, "rank: 4\n", "rank: 2\n")
    patch_file(new_root, MEASURE_FUNDED, "      value: 12.5\n", "      value: 6\n")
    patch_file(new_root, MEASURE_FUNDED, "    decision: continue\n", "    decision: correct\n")
    patch_file(new_root, "decisions/rounds/budsjett-2025.yml", "budget_frame: 45 000 000", "budget_frame: 46 000 000")
    old, new = load(old_root), load(new_root)

    c = cmp.compare_portals(old, new, "abc123", "def456")
    assert c.measures.removed == ("kveldsapent-bibliotek-2025",)
    rationed = next(x for x in c.measures.changed if x.id == "praktisk-bistand-2025")
    assert [report.change_text(x) for x in rationed.changes] == ["rank: 4 → 2"]
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

    text = report.to_text(c)
    assert "Portal abc123 → def456" in text
    assert "praktisk-bistand-2025:\n      - rank: 4 → 2" in text
    assert "ventetid-dager): improving → target_met, latest 12.5 → 6" in text
    md = report.to_markdown(c)
    assert "### praktisk-bistand-2025" in md and "| rank | 4 | 2 |" in md
    data = json.loads(report.to_json(c))
    assert data["measures"]["removed"] == ["kveldsapent-bibliotek-2025"]
    assert data["follow_up"][0]["evaluation"] == ["continue", "correct"]


def test_compare_portals_of_the_same_content_is_empty(portal):
    c = cmp.compare_portals(portal, portal)
    assert not c.has_differences
    assert "No differences." in report.to_text(c)


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


def test_rounds_compare_linearly_for_ten_thousand_measures(portal):
    base = by_id(portal, "praktisk-bistand-2025")
    r25 = portal.rounds[0]
    old = [base.model_copy(update={"id": f"m-{i}", "rank": 1 + i % 10}) for i in range(10_000)]
    new = [base.model_copy(update={"id": f"m-{i}", "rank": 1 + (i + i % 2) % 10}) for i in range(10_000)]
    c = cmp.compare_rounds(r25, old, r25, new)
    assert len(c.moved_down) + len(c.moved_up) == 5_000 and len(c.unchanged) == 5_000
    assert report.to_markdown(c).count("\n| ") > 5_000
