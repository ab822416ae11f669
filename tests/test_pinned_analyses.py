"""The analyses behind the round pages, the difference pages and `prioportal diff`, pinned where
mutation testing (`make mutation`, README "Mutation testing") found a change to the code that no
other test noticed: the order of a round, what was prioritised instead of a measure, a measure's
versions across rounds, the funding line's claims, and the differences between two versions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from portal_factory import load
from prioportal.analyses import changes as ch
from prioportal.analyses import comparisons as cmp
from prioportal.analyses.ranking import lineage, prioritised_instead, prioritised_instead_in_round, ranked, successors
from test_ranking import measure


# --- Ranking --------------------------------------------------------------------------------

def test_a_scale_whose_highest_rank_is_0_puts_rank_0_first():
    zero, one = measure("b", 0, 1, title="Beta"), measure("a", 1, 1, title="Alfa")
    assert [x.id for x in ranked([one, zero])] == ["b", "a"]


def test_what_was_prioritised_instead_is_only_what_was_granted_money():
    """A measure ranked higher that was granted nothing (partly funded with 0) took none of the
    money; one granted 1 krone did; a discontinued service was not prioritised, whatever it got
    to wind down."""
    nothing = measure("a", 1, 400, "partly_funded", granted=0)
    one_krone = measure("b", 2, 400, "partly_funded", granted=1)
    wound_down = measure("c", 3, 400, "discontinued", granted=300)
    below = measure("d", 4, 300, "deprioritised")
    members = [nothing, one_krone, wound_down, below]
    assert [x.id for x in prioritised_instead_in_round(members)["d"]] == ["b"]
    assert [x.id for x in prioritised_instead(below, members)] == ["b"]


def test_a_measures_versions_stop_at_an_earlier_version_that_is_not_in_the_portal():
    """While a communicator edits `previous`, the preview draws the page with what is there."""
    orphan = measure("natt-2026", 1, 1, previous="natt-2024")
    assert lineage(orphan, {orphan.id: orphan}, successors([orphan])) == [orphan]


def test_a_measures_versions_end_where_previous_links_go_round_in_a_circle():
    """A circle (a wrong `previous`, refused by validation) must not hang the preview."""
    a = measure("a", 1, 1, previous="b")
    b = measure("b", 1, 1, round_id="r2025", previous="c")
    c = measure("c", 1, 1, round_id="r2024", previous="b")
    items = [a, b, c]
    assert [x.id for x in lineage(a, {x.id: x for x in items}, successors(items))] == ["c", "b", "a"]


# --- Comparisons: follow-up, rounds, criteria ------------------------------------------------

def test_follow_up_change_names_each_indicator_added_removed_or_measured_for_the_first_time(portal_dir):
    """An indicator without a result yet, one added and one dropped, and an evaluation made:
    each is a line of the measure's follow-up changes, with its own id and name."""
    portal = load(portal_dir)
    measure_read = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    waiting = measure_read.follow_up.indicators[0]
    dropped = waiting.model_copy(update={"id": "klager", "name": "Klager"})
    added = waiting.model_copy(update={"id": "brukertilfredshet", "name": "Brukertilfredshet"})
    old = measure_read.model_copy(update={"follow_up": measure_read.follow_up.model_copy(
        update={"indicators": [waiting, dropped], "results": [], "evaluation": None})})
    new = measure_read.model_copy(update={"follow_up": measure_read.follow_up.model_copy(
        update={"indicators": [waiting, added]})})
    change = cmp.follow_up_change(old, new)
    assert [(i.indicator, i.name, i.old_progress, i.new_progress, i.old_latest, i.new_latest)
            for i in change.indicators] == [
        ("ventetid-dager", "Ventetid på hjemmetjeneste", "not_measured", "improving", None, 12.5),
        ("brukertilfredshet", "Brukertilfredshet", None, "not_measured", None, None),
        ("klager", "Klager", "not_measured", None, None, None)]
    assert (change.measure, change.old_evaluation, change.new_evaluation) == (
        "styrket-hjemmetjeneste-2025", None, "continue")
    assert cmp.follow_up_change(new, old).new_evaluation is None


def test_rounds_without_measures_are_compared_as_empty(portal_dir):
    """A round that has no measures yet in one revision, or in both, is compared, not skipped."""
    portal = load(portal_dir)
    empty = replace(portal, measures=tuple(x for x in portal.measures if x.round != "budsjett-2026"))
    compared = cmp.compare_portals(portal, empty)
    (round_change,) = compared.round_changes
    assert round_change.new_round.id == "budsjett-2026" and round_change.new == ()
    assert [x.id for x in round_change.dropped] == ["gang-og-sykkelvei-2026", "styrket-hjemmetjeneste-2026"]
    (round_change,) = cmp.compare_portals(empty, portal).round_changes
    assert [x.id for x in round_change.new] == ["gang-og-sykkelvei-2026", "styrket-hjemmetjeneste-2026"]
    assert cmp.compare_portals(empty, empty).round_changes == ()


def test_the_round_before_is_the_one_named_else_the_latest_of_an_earlier_year(portal_dir):
    portal = load(portal_dir)
    r2025, r2026 = portal.round("budsjett-2025"), portal.round("budsjett-2026")
    assert cmp.previous_round(portal, r2026) is r2025  # named by `previous`
    assert cmp.previous_round(portal, r2025) is None  # the first round
    spring = r2025.model_copy(update={"id": "budsjett-2025-var", "title": "Vår"})
    unnamed = r2026.model_copy(update={"previous": None})
    wider = replace(portal, rounds=(r2025, spring, unnamed))
    assert cmp.previous_round(wider, unnamed) is spring  # the same year: the later id
    gone = r2026.model_copy(update={"previous": "budsjett-2019"})
    assert cmp.previous_round(replace(portal, rounds=(r2025, gone)), gone) is None


def test_each_round_is_compared_with_the_measures_of_the_round_before(portal_dir):
    portal = load(portal_dir)
    differences = cmp.round_differences(portal)
    assert list(differences) == ["budsjett-2026"]
    compared = differences["budsjett-2026"]
    assert [(p.old.id, p.new.id) for p in compared.continued] == [
        ("styrket-hjemmetjeneste-2025", "styrket-hjemmetjeneste-2026")]
    assert [x.id for x in compared.new] == ["gang-og-sykkelvei-2026"]
    assert [x.id for x in compared.dropped] == ["praktisk-bistand-2025", "kveldsapent-bibliotek-2025"]
    # A round with no measures yet, after one with none, or both.
    for left_out in ({"budsjett-2026"}, {"budsjett-2025"}, {"budsjett-2025", "budsjett-2026"}):
        some = replace(portal, measures=tuple(x for x in portal.measures if x.round not in left_out))
        compared = cmp.round_differences(some)["budsjett-2026"]
        assert {x.id for x in compared.new + compared.dropped} | {p.new.id for p in compared.continued} == {
            x.id for x in some.measures}


def test_a_criteria_version_whose_previous_is_not_in_the_portal_has_no_difference_page(portal_dir):
    portal = load(portal_dir)
    assert list(cmp.criteria_differences(portal)) == ["kriterier-2026"]
    v1, v2 = portal.criteria_sets
    orphan = replace(portal, criteria_sets=(v2,))
    assert cmp.criteria_differences(orphan) == {}


def test_a_changed_title_principle_and_outcome_term_of_the_criteria_are_each_named(portal_dir):
    portal = load(portal_dir)
    v1 = portal.criteria_sets[0]
    likhet = v1.principles[0]
    funded = next(o for o in v1.outcomes if o.kind.value == "funded")
    v1b = v1.model_copy(update={
        "title": "Nye kriterier",
        "principles": [likhet.model_copy(update={"name": "Lik tilgang"}), *v1.principles[1:]],
        "outcomes": [funded.model_copy(update={"label": "Fullt finansiert"}) if o is funded else o for o in v1.outcomes]})
    compared = cmp.compare_criteria(v1, v1b)
    assert compared.other == (ch.Change(("title",), "changed", v1.title, "Nye kriterier"),)
    assert compared.principles_changed == (cmp.ItemChange("likhet", (ch.Change(("name",), "changed", "Likhet", "Lik tilgang"),)),)
    assert compared.outcomes_changed == (cmp.ItemChange("funded", (ch.Change(("label",), "changed", funded.label, "Fullt finansiert"),)),)


def test_a_changed_date_is_a_difference_between_dates_written_as_in_the_file(portal_dir):
    """Dates and the fixed vocabulary are compared as the file writes them (2024-12-12, funded)."""
    portal = load(portal_dir)
    r2025 = portal.round("budsjett-2025")
    moved = r2025.model_copy(update={"decision": r2025.decision.model_copy(update={"meeting_date": date(2024, 12, 19)})})
    compared = cmp.compare_portals(portal, replace(portal, rounds=(moved, portal.round("budsjett-2026"))))
    assert compared.rounds.changed == (cmp.EntityChange("budsjett-2025", (
        ch.Change(("decision", "meeting_date"), "changed", "2024-12-12", "2024-12-19"),)),)
    assert ch.dump({"rank": 3}) == {"rank": 3}  # a plain value is already as written


# --- The field-by-field difference: which list items are the same item --------------------

def test_cost_lines_are_compared_by_position_not_by_their_kind():
    """A cost line's `kind` (recurring, one_off) is not what it is: two lines swapped are two
    lines changed, not the same lines listed in another order."""
    drift = {"description": "Drift", "kind": "recurring", "year_1": 100}
    bygg = {"description": "Bygg", "kind": "one_off", "year_1": 200}
    changes = ch.diff({"costs": [drift, bygg]}, {"costs": [bygg, drift]})
    assert {c.path for c in changes} == {("costs", i, field) for i in (0, 1) for field in ("description", "kind", "year_1")}


def test_items_without_an_identity_are_compared_by_position_even_alone_or_with_a_period_only():
    assert [c.path for c in ch.diff({"x": [{"value": 1}]}, {"x": [{"value": 2}]})] == [("x", 0, "value")]
    assert [(c.path, c.old, c.new) for c in ch.diff({"x": [{"period": "2024", "value": 1}]},
                                                    {"x": [{"period": "2025", "value": 1}]})] == [
        (("x", 0, "period"), "2024", "2025")]
    assert [c.path for c in ch.diff({"x": [{"indicator": "i", "value": 1}]}, {"x": [{"indicator": "i", "value": 2}]})] \
        == [("x", 0, "value")]


def test_items_whose_id_repeats_are_compared_by_position():
    old = {"x": [{"id": "a", "v": 1}, {"id": "a", "v": 2}]}
    new = {"x": [{"id": "a", "v": 1}, {"id": "a", "v": 3}]}
    assert [(c.path, c.old, c.new) for c in ch.diff(old, new)] == [(("x", 1, "v"), 2, 3)]


def test_a_list_that_was_empty_or_lost_its_ids_is_compared_by_position():
    item = {"id": "ventetid", "value": 1}
    assert [(c.path, c.kind) for c in ch.diff({"x": []}, {"x": [item]})] == [(("x", 0), "added")]
    assert [(c.path, c.kind) for c in ch.diff({"x": [item]}, {"x": []})] == [(("x", 0), "removed")]
    assert [(c.path, c.kind) for c in ch.diff({"x": [item]}, {"x": [{"value": 1}]})] == [(("x", 0, "id"), "removed")]


def test_a_field_that_was_empty_and_now_holds_a_value_is_added_with_the_value():
    assert [(c.path, c.kind, c.old, c.new) for c in ch.diff({"rationale": None}, {"rationale": "Fordi."})] == [
        (("rationale",), "added", None, "Fordi.")]


def test_list_items_added_or_removed_keep_their_values():
    drift = {"description": "Drift", "year_1": 100}
    assert [(c.path, c.kind, c.old, c.new) for c in ch.diff({"costs": [drift]}, {"costs": []})] == [
        (("costs", 0), "removed", drift, None)]
    old, new = {"x": [{"id": "a", "v": 1}]}, {"x": [{"id": "b", "v": 2}]}
    assert [(c.path, c.kind, c.old, c.new) for c in ch.diff(old, new)] == [
        (("x", "a"), "removed", {"id": "a", "v": 1}, None), (("x", "b"), "added", None, {"id": "b", "v": 2})]


def test_changes_in_a_long_list_are_in_the_order_of_the_list():
    old = {"x": list(range(12))}
    new = {"x": [0, 1, 20, *range(3, 10), 100, 11]}
    assert [c.path for c in ch.diff(old, new)] == [("x", 2), ("x", 10)]


def test_a_round_compared_with_itself_changed_sorts_each_measure_by_how_it_moved(portal_dir):
    portal = load(portal_dir)
    rnd = portal.round("budsjett-2025")
    old = [x for x in portal.measures if x.round == "budsjett-2025"]  # ranks 1, 4 and 9
    by_id = {x.id: x for x in old}

    def ranked_as(**ranks):
        return [by_id[i].model_copy(update={"rank": r}) for i, r in ranks.items()]

    new = ranked_as(**{"styrket-hjemmetjeneste-2025": 3, "praktisk-bistand-2025": 9, "kveldsapent-bibliotek-2025": 1})
    compared = cmp.compare_rounds(rnd, old, rnd, new)
    assert [p.new.id for p in compared.moved_up] == ["kveldsapent-bibliotek-2025"]
    assert [(p.new.id, p.rank_delta) for p in compared.moved_down] == [
        ("praktisk-bistand-2025", -5), ("styrket-hjemmetjeneste-2025", -2)]  # the largest fall first
    assert compared.rank_added == () and compared.rank_removed == () and compared.unchanged == ()
    unranked = ranked_as(**{"styrket-hjemmetjeneste-2025": None, "praktisk-bistand-2025": 4,
                            "kveldsapent-bibliotek-2025": 9})
    there_and_back = cmp.compare_rounds(rnd, unranked, rnd, old)
    assert [p.new.id for p in there_and_back.rank_added] == ["styrket-hjemmetjeneste-2025"]
    assert there_and_back.rank_removed == () and there_and_back.moved_down == () == there_and_back.moved_up
    assert [p.new.id for p in cmp.compare_rounds(rnd, old, rnd, unranked).rank_removed] == [
        "styrket-hjemmetjeneste-2025"]
