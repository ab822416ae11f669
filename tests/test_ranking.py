"""The analyses behind the round page and the 'why' section: order, funding line, opportunity cost."""

from prioportal.model import decisions as m
from prioportal.analyses.ranking import (funding_line, lineage, prioritised_instead, prioritised_instead_in_round,
                                         ranked, successors)


def measure(ident, rank, cost, decision="funded", granted=None, round_id="r2026", previous=None, title=None):
    outcome = None
    if decision is not None:
        outcome = {"decision": decision, "granted": granted}
        if decision != "funded":
            outcome |= {"rationale": "Fordi.", "consequences": {"affected": "Noen", "description": "Slik."}}
        if decision == "rationed":
            outcome["rationing_type"] = "process"
    return m.Measure.model_validate({
        "id": ident, "round": round_id, "title": title or ident.upper(), "summary": "Kort.",
        "sector": "Helse", "service_area": "Hjemmetjenester", "type": "new_need",
        "situation": {"current_state": "Nå.", "goal": "Mål."},
        "proposal": {"description": "Tiltak.", "alternative": "Dagens praksis."},
        "assessments": {}, "rank": rank, "outcome": outcome, "previous": previous,
        "costs": [{"description": "Drift", "kind": "recurring", "year_1": cost}],
    })


def a_round(frame):
    return m.Round.model_validate({
        "id": "r2026", "year": 2026, "title": "Budsjett 2026", "purpose": "new_resources",
        "criteria": "k", "budget_frame": frame, "status": "decided", "summary": "Runde.",
    })


def test_ranked_orders_by_rank_then_title_with_unranked_last():
    items = [measure("c", None, 1), measure("b", 2, 1, title="Beta"), measure("a", 2, 1, title="Alfa"), measure("d", 1, 1)]
    assert [x.id for x in ranked(items)] == ["d", "a", "b", "c"]


def test_funding_line_falls_where_cumulative_cost_passes_the_frame():
    items = [measure("a", 1, 400), measure("b", 2, 500), measure("c", 3, 300), measure("d", 4, 50)]
    line = funding_line(a_round(1000), items)
    assert [(r.measure.id, r.cumulative_cost, r.above_line) for r in line.rows] == [
        ("a", 400, True), ("b", 900, True), ("c", 1200, False), ("d", 1250, False)]
    assert line.line_after == 2
    assert line.total_cost == 1250
    assert line.shortfall == 250
    assert line.cost_above_line == 900


def test_a_cheap_measure_below_the_line_stays_below_it():
    # d (50) would fit in the 100 left after a and b, but the council ranked c first.
    items = [measure("a", 1, 400), measure("b", 2, 500), measure("c", 3, 300), measure("d", 4, 50)]
    rows = {r.measure.id: r for r in funding_line(a_round(1000), items).rows}
    assert rows["d"].above_line is False


def test_funding_line_exact_fit_and_all_fit():
    exact = funding_line(a_round(900), [measure("a", 1, 400), measure("b", 2, 500)])
    assert all(r.above_line for r in exact.rows)
    none_fit = funding_line(a_round(100), [measure("a", 1, 400), measure("b", 2, 50)])
    assert [r.above_line for r in none_fit.rows] == [False, False]


def test_granted_totals_follow_the_decisions_not_the_line():
    items = [measure("a", 1, 400), measure("b", 2, 500, "partly_funded", granted=200),
             measure("c", 3, 300, "deprioritised")]
    line = funding_line(a_round(1000), items)
    assert line.total_granted == 600
    assert line.remaining == 400


def test_prioritised_instead_lists_higher_ranked_measures_that_received_money():
    # prioritised_instead_in_round is what the measure pages use (site/views.py), one round at a time.
    a = measure("a", 1, 400)
    b = measure("b", 2, 500, "partly_funded", granted=200)
    c = measure("c", 2, 100, "deprioritised")           # same rank: not "instead"
    d = measure("d", 3, 300, "postponed")                # got nothing: not "instead"
    e = measure("e", 5, 300, "deprioritised")
    instead = prioritised_instead_in_round([e, d, c, b, a])  # in any order
    assert [x.id for x in instead["e"]] == ["a", "b"]
    assert [x.id for x in instead["c"]] == ["a"] and [x.id for x in instead["d"]] == ["a", "b"]


def test_fully_funded_measure_has_no_opportunity_cost_section():
    a = measure("a", 1, 400)
    assert prioritised_instead_in_round([a, measure("b", 2, 100)])["a"] == []


def test_lineage_follows_previous_links_both_ways():
    old = measure("natt-2024", 3, 1, round_id="r2024")
    mid = measure("natt-2025", 2, 1, round_id="r2025", previous="natt-2024")
    new = measure("natt-2026", 1, 1, previous="natt-2025")
    items = [old, mid, new]
    by_id = {x.id: x for x in items}
    assert [x.id for x in lineage(mid, by_id, successors(items))] == ["natt-2024", "natt-2025", "natt-2026"]


def test_indicator_progress_follows_the_stated_direction():
    from prioportal.analyses.followup import Progress, progress
    base = {"id": "i", "name": "Ventetid", "unit": "dager", "due": "2026-12-31", "responsible": "Enhetsleder"}
    falling = m.Indicator.model_validate(base | {"baseline": 30, "target": 14})
    assert progress(falling, 12) is Progress.target_met
    assert progress(falling, 20) is Progress.improving
    assert progress(falling, 35) is Progress.not_improving
    assert progress(falling, None) is Progress.not_measured
    # Rationing: satisfaction may fall to 75 %, but higher is still better.
    floor = m.Indicator.model_validate(base | {"baseline": 85, "target": 75, "direction": "higher_is_better"})
    assert progress(floor, 80) is Progress.target_met
    assert progress(floor, 71) is Progress.not_improving


def test_names_sort_in_the_reader_s_alphabet():
    from prioportal.text.i18n import sort_key
    names = ["Åsen skole", "Zinkgruva", "Øvre vei", "Ærfugl", "Alta", "Örnsköldsvik", "Ängelholm"]
    assert sorted(names, key=lambda n: sort_key(n, "nb")) == [
        "Alta", "Zinkgruva", "Ängelholm", "Ærfugl", "Örnsköldsvik", "Øvre vei", "Åsen skole"]
    assert sorted(names, key=lambda n: sort_key(n, "sv")) == [
        "Alta", "Zinkgruva", "Åsen skole", "Ängelholm", "Ærfugl", "Örnsköldsvik", "Øvre vei"]


def test_amounts_and_dates_in_each_locale_s_own_form():
    from datetime import date
    from prioportal.text.i18n import Formatter
    nb, sv, en = Formatter("nb", "NOK"), Formatter("sv", "SEK"), Formatter("en", "NOK")
    assert nb.money(10000) == "10\u00a0000\u00a0kr" and sv.money(10000) == "10\u00a0000\u00a0kr"
    assert nb.money_short(1_500_000) == "1,5\u00a0mill.\u00a0kr"
    assert sv.money_short(1_500_000) == "1,5\u00a0mnkr"
    assert en.money_short(1_500_000) == "NOK\u00a01.5\u00a0million"
    assert nb.date(date(2025, 4, 10)) == "10. april 2025" and sv.date(date(2025, 4, 10)) == "10 april 2025"


def test_what_was_prioritised_instead_is_the_same_computed_for_a_whole_round_at_once():
    from prioportal.tools.demo.portal import iter_documents
    from prioportal.model.decisions import Measure

    measures = [Measure.model_validate(data) for path, data in iter_documents(300, seed=3) if "/measures/" in path]
    by_round: dict[str, list[Measure]] = {}
    for x in measures:
        by_round.setdefault(x.round, []).append(x)
    checked = 0
    for members in by_round.values():
        at_once = prioritised_instead_in_round(members)
        for x in members:
            assert [o.id for o in at_once[x.id]] == [o.id for o in prioritised_instead(x, members)], x.id
            checked += bool(at_once[x.id])
    assert checked > 20  # many measures below the line have a list
