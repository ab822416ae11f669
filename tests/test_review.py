"""The consistency review of a ranking: what a reviewer would ask about."""

from __future__ import annotations

import random

import pytest

from cost import growth
from portal_factory import MEASURE_DEPRIORITISED, load
from prioportal.analyses import review as rv
from prioportal.sources.yaml_files import load_yaml
from prioportal.model.decisions import Assessment, Measure, OutcomeKind
from prioportal.problems import Severity


@pytest.fixture
def portal(portal_dir):
    return load(portal_dir)


@pytest.fixture
def v1(portal):
    return portal.criteria_set("kriterier-2025")


def measure(portal, ident: str) -> Measure:
    return next(x for x in portal.measures if x.id == ident)


def variant(base: Measure, ident: str, levels: dict[str, str] | None = None, **update) -> Measure:
    assessments = dict(base.assessments)
    for criterion, level in (levels or {}).items():
        assessments[criterion] = Assessment(level=level, justification="Vurdert.")
    return base.model_copy(update={"id": ident, "title": ident.replace("-", " ").capitalize(),
                                   "assessments": assessments, **update})


def test_the_factory_round_has_nothing_to_flag(portal, v1):
    in_round = portal.measures_in("budsjett-2025")
    assert rv.dominated(in_round, v1) == []
    assert rv.treated_differently(in_round, v1) == []


def test_a_measure_ranked_below_one_it_equals_on_every_criterion_is_flagged(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")  # rank 4: moderat, moderat, lav
    library = measure(portal, "kveldsapent-bibliotek-2025")  # rank 9
    same = variant(library, "bibliotek-likt", {"alvorlighet": "moderat", "nytte": "moderat", "ressurs": "lav"})
    (flag,) = rv.dominated(portal.measures_in("budsjett-2025")[:2] + [same], v1)
    assert flag.kind is rv.FlagKind.dominated
    assert (flag.measure, flag.others) == ("bibliotek-likt", (rationed.id,))
    assert "has rank 9, below 'Praktisk bistand' (praktisk-bistand-2025) with rank 4" in flag.description
    assert flag.round == "budsjett-2025" and not flag.explained


def test_a_measure_that_beats_another_everywhere_but_is_ranked_lower_names_the_highest_ranked(portal, v1):
    funded = measure(portal, "styrket-hjemmetjeneste-2025")  # rank 1: stor, svaert-stor, hoey
    rationed = measure(portal, "praktisk-bistand-2025")  # rank 4
    best = variant(rationed, "best-overalt", {"alvorlighet": "svaert-stor", "nytte": "svaert-stor",
                                              "ressurs": "lav"}, rank=6)
    (flag,) = rv.dominated([funded, rationed, best], v1)
    assert flag.measure == "best-overalt"
    assert flag.others == (funded.id,)  # rank 1 beats rank 4 as the clearest case


def test_equal_ranks_unranked_measures_and_other_rounds_are_not_flagged(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")
    tie = variant(rationed, "lik-rang", rank=4)
    unranked = variant(rationed, "uten-rang", rank=None)
    elsewhere = variant(rationed, "annen-runde", rank=9, round="budsjett-2024")
    assert rv.dominated([rationed, tie, unranked, elsewhere], v1) == []


def test_a_measure_worse_on_one_criterion_may_be_ranked_lower(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")
    costlier = variant(rationed, "dyrere", {"ressurs": "moderat"}, rank=8)
    assert rv.dominated([rationed, costlier], v1) == []


def naive_dominated(measures, cs):
    found = {}
    for a in measures:
        pa = rv.profile(a, cs)
        candidates = [b for b in measures if b.rank < a.rank and all(x <= y for x, y in zip(pa, rv.profile(b, cs)))]
        if candidates:
            found[a.id] = min(candidates, key=lambda b: (b.rank, b.title.casefold(), b.id)).id
    return found


@pytest.mark.parametrize("lattice_limit", [rv._LATTICE_LIMIT, 0])
def test_dominance_agrees_with_comparing_every_pair(portal, v1, monkeypatch, lattice_limit):
    monkeypatch.setattr(rv, "_LATTICE_LIMIT", lattice_limit)
    rng = random.Random(2025)
    base = measure(portal, "praktisk-bistand-2025")
    levels = {c.id: [lvl.id for lvl in c.scale] for c in v1.criteria}
    measures = [variant(base, f"m-{i:03d}", {c: rng.choice(ids) for c, ids in levels.items()}, rank=rng.randint(1, 10))
                for i in range(300)]
    flags = rv.dominated(measures, v1)
    assert {f.measure: f.others[0] for f in flags} == naive_dominated(measures, v1)


def test_reviewing_a_round_takes_work_in_proportion_to_its_measures(portal, v1):
    """Dominance and the check across sectors, at 1 000 and at 4 000 measures in six sectors: four
    times the measures may cost at most six times the work (lines of Python run, counted, not
    timed; a comparison of every pair would cost sixteen times). Both checks must find something
    at both sizes, so neither is skipped over."""
    rng = random.Random(7)
    base = measure(portal, "praktisk-bistand-2025")
    levels = {c.id: [lvl.id for lvl in c.scale] for c in v1.criteria}
    assessments = {c: {lvl: Assessment(level=lvl, justification="x") for lvl in ids} for c, ids in levels.items()}
    sectors = ["Helse og omsorg", "Kultur", "Oppvekst", "Teknikk", "Administrasjon", "Næring"]
    every = [base.model_copy(update={"id": f"m-{i}", "rank": rng.randint(1, 40), "sector": rng.choice(sectors),
                                     "assessments": {c: assessments[c][rng.choice(ids)] for c, ids in levels.items()}})
             for i in range(4_000)]

    def review(n: int) -> list:
        return rv.dominated(every[:n], v1) + rv.treated_differently(every[:n], v1)

    for n in (1_000, 4_000):
        kinds = {flag.kind for flag in review(n)}
        assert kinds >= {rv.FlagKind.dominated, rv.FlagKind.treated_differently}, (n, kinds)
    assert growth(review, 1_000, 4_000) < 1.5


def test_similar_measures_in_different_sectors_ranked_far_apart(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")  # Helse og omsorg, rank 4, rationed
    culture = variant(rationed, "kultur-likt", sector="Kultur", rank=7)
    flags = rv.treated_differently([rationed, culture], v1)
    (flag,) = flags
    assert (flag.measure, flag.others) == ("kultur-likt", (rationed.id,))
    assert "is ranked 7 against 4" in flag.description
    assert "Kultur" in flag.description and "Helse og omsorg" in flag.description


def test_similar_measures_where_only_one_received_resources(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")
    library = measure(portal, "kveldsapent-bibliotek-2025")
    denied = variant(rationed, "kultur-nei", sector="Kultur", rank=5, outcome=library.outcome)
    (flag,) = rv.treated_differently([rationed, denied], v1)
    assert flag.measure == "kultur-nei"
    assert "received no resources (deprioritised) while the other did (rationed)" in flag.description


def test_same_sector_or_small_gap_is_not_treated_differently(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")
    same_sector = variant(rationed, "samme-sektor", sector="helse  og Omsorg", rank=8)  # typed differently
    close = variant(rationed, "naer", sector="Kultur", rank=6)
    assert rv.treated_differently([rationed, same_sector, close], v1) == []


def test_assessment_changed_between_rounds(portal):
    earlier = measure(portal, "styrket-hjemmetjeneste-2025")
    later = measure(portal, "styrket-hjemmetjeneste-2026")
    flag = rv.assessment_changed(later, earlier)
    assert flag.kind is rv.FlagKind.assessment_changed
    # nytte went from svaert-stor to stor; ressurs is not a criterion in 2026, so it is not compared
    assert flag.shifts == (rv.LevelShift("nytte", "svaert-stor", "stor"),)
    assert flag.criteria == ("nytte",)
    assert flag.others == (earlier.id,) and flag.round == "budsjett-2026"
    assert "nytte svaert-stor → stor" in flag.description
    assert rv.assessment_changed(earlier, earlier) is None


def test_a_written_explanation_is_carried_on_the_flag(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")
    culture = variant(rationed, "kultur-likt", sector="Kultur", rank=7)
    notes = {"kultur-likt": {"treated_differently": "Kulturtilbudet har et annet tilbud i nærheten.",
                             "dominated": "Rangert lavere fordi tilbudet finnes privat."}}
    flags = rv.review_round("budsjett-2025", [rationed, culture], v1, explanations=notes)
    assert {f.kind for f in flags} == {rv.FlagKind.dominated, rv.FlagKind.treated_differently}
    assert all(f.explained for f in flags)
    assert next(f for f in flags if f.kind is rv.FlagKind.dominated).explanation.startswith("Rangert lavere")


def test_review_portal_reads_explanations_from_review_notes(portal):
    later = measure(portal, "styrket-hjemmetjeneste-2026")
    # The factory records a reason for the changed assessment in the measure's review_notes.
    assert later.review_notes is not None and later.review_notes.assessment_changed
    assert rv.explanations_from(portal.measures) == {later.id: {"assessment_changed": later.review_notes.assessment_changed}}
    flags = rv.review_portal(portal)
    assert [f.kind for f in flags["budsjett-2026"]] == [rv.FlagKind.assessment_changed]
    assert flags["budsjett-2026"][0].explained
    assert flags["budsjett-2026"][0].explanation == later.review_notes.assessment_changed
    assert flags["budsjett-2025"] == []
    # Without the written reason the same flag is unexplained.
    unexplained = rv.review_portal(portal, explanations={})
    assert unexplained["budsjett-2026"][0].explained is False


def test_unused_explanations_are_found(portal):
    flags = rv.review_portal(portal)["budsjett-2026"]
    notes = {"styrket-hjemmetjeneste-2026": {"assessment_changed": "Grunn.", "dominated": "Foreldet grunn."}}
    assert rv.unused_explanations(flags, notes) == [("styrket-hjemmetjeneste-2026", "dominated")]


def test_flag_becomes_a_warning_at_the_rank(portal, v1, portal_dir):
    rationed = measure(portal, "praktisk-bistand-2025")
    library = measure(portal, "kveldsapent-bibliotek-2025")
    same = library.model_copy(update={"assessments": rationed.assessments})
    (flag,) = rv.dominated([rationed, same], v1)
    doc = load_yaml(portal_dir / MEASURE_DEPRIORITISED, MEASURE_DEPRIORITISED).document
    problem = rv.flag_problem(flag, MEASURE_DEPRIORITISED, doc)
    text = (portal_dir / MEASURE_DEPRIORITISED).read_text(encoding="utf-8")
    assert problem.severity is Severity.warning
    assert problem.line == text.splitlines().index("rank: 9") + 1
    assert "review_notes: dominated:" in problem.advice
    assert rv.flag_problem(flag, MEASURE_DEPRIORITISED).line == 1


def test_flags_need_a_full_valid_assessment(portal, v1):
    rationed = measure(portal, "praktisk-bistand-2025")
    partial = rationed.model_copy(update={"id": "delvis", "rank": 9, "assessments": {
        k: v for k, v in rationed.assessments.items() if k != "ressurs"}})
    assert rv.profile(partial, v1) is None
    assert rv.dominated([rationed, partial], v1) == []
    assert OutcomeKind.rationed.receives_resources
