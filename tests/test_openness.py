"""The openness report of a round, item by item, as an auditor would read it."""

from __future__ import annotations

import dataclasses

import pytest

from portal_factory import load
from prioportal.model.decisions import InputSource, Input
from prioportal.analyses.openness import KEYS, ItemStatus, openness_report, report_text


@pytest.fixture
def portal(portal_dir):
    return load(portal_dir)


def items(portal, round_id: str) -> dict:
    report = openness_report(portal, round_id)
    assert [i.key for i in report] == list(KEYS)
    return {i.key: i for i in report}


def replace_measure(portal, ident: str, **update):
    measures = tuple(x.model_copy(update=update) if x.id == ident else x for x in portal.measures)
    return dataclasses.replace(portal, measures=measures)


def test_first_round_of_the_factory(portal):
    report = items(portal, "budsjett-2025")
    assert report["criteria_published"].passed
    assert report["all_assessed"].passed and report["all_assessed"].measures == ()
    assert report["non_funded_explained"].passed
    councils = report["statutory_councils_heard"]
    assert not councils.passed and councils.status is ItemStatus.failed
    assert councils.missing == ("disability_council", "youth_council")  # only the elderly council was heard
    decision = report["decision_published"]
    assert decision.passed and "2024/1432" in decision.detail
    follow_up = report["previous_follow_up_published"]
    assert not follow_up.applicable and follow_up.status is ItemStatus.not_applicable
    assert "first round" in follow_up.detail


def test_second_round_of_the_factory(portal):
    report = items(portal, "budsjett-2026")
    criteria = report["criteria_published"]
    assert criteria.passed and "kriterier-2025" in criteria.detail and "change note" in criteria.detail
    # The round is on consultation: no decision yet is not a failure.
    assert report["decision_published"].status is ItemStatus.not_applicable
    # The rationed measure of 2025 received money but nothing was reported on it.
    follow_up = report["previous_follow_up_published"]
    assert not follow_up.passed and follow_up.applicable
    assert follow_up.measures == ("praktisk-bistand-2025",)


def test_criteria_changed_without_a_note_fail(portal):
    v2 = portal.criteria_set("kriterier-2026").model_copy(update={"change_note": None})
    changed = dataclasses.replace(portal, criteria_sets=(portal.criteria_sets[0], v2))
    item = items(changed, "budsjett-2026")["criteria_published"]
    assert not item.passed and "without a change note" in item.detail


def test_criteria_that_apply_only_after_the_decision_fail(portal):
    from datetime import date

    v1 = portal.criteria_set("kriterier-2025").model_copy(update={"valid_from": date(2025, 1, 1)})
    changed = dataclasses.replace(portal, criteria_sets=(v1, portal.criteria_sets[1]))
    assert not items(changed, "budsjett-2025")["criteria_published"].passed


def test_a_measure_not_assessed_on_every_criterion_is_named(portal):
    rationed = next(x for x in portal.measures if x.id == "praktisk-bistand-2025")
    partial = {k: v for k, v in rationed.assessments.items() if k != "nytte"}
    item = items(replace_measure(portal, "praktisk-bistand-2025", assessments=partial), "budsjett-2025")["all_assessed"]
    assert not item.passed and item.measures == ("praktisk-bistand-2025",)
    assert "1 of 3 measures" in item.detail


def test_a_deprioritised_measure_without_consequences_is_named(portal):
    library = next(x for x in portal.measures if x.id == "kveldsapent-bibliotek-2025")
    outcome = library.outcome.model_copy(update={"consequences": None})
    item = items(replace_measure(portal, library.id, outcome=outcome), "budsjett-2025")["non_funded_explained"]
    assert not item.passed and item.measures == ("kveldsapent-bibliotek-2025",)


def test_all_three_councils_heard_passes(portal):
    funded = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    heard = list(funded.inputs) + [
        Input(source=source, name=name, date="2024-09-20", summary="Uttalelse.", consideration="Tatt med.")
        for source, name in ((InputSource.disability_council, "Rådet for personer med funksjonsnedsettelse"),
                             (InputSource.youth_council, "Ungdomsrådet"))]
    item = items(replace_measure(portal, funded.id, inputs=heard), "budsjett-2025")["statutory_councils_heard"]
    assert item.passed and item.missing == ()


def test_a_decided_round_without_a_decision_record_fails(portal):
    r25 = portal.round("budsjett-2025").model_copy(update={"decision": None})
    changed = dataclasses.replace(portal, rounds=(r25, portal.rounds[1]))
    item = items(changed, "budsjett-2025")["decision_published"]
    assert not item.passed and item.applicable
    assert item.missing == ("body", "meeting_date", "case_number")


def test_follow_up_published_for_every_funded_measure_passes(portal):
    funded = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    with_results = replace_measure(portal, "praktisk-bistand-2025", follow_up=funded.follow_up)
    assert items(with_results, "budsjett-2026")["previous_follow_up_published"].passed


def test_unknown_round_raises_key_error(portal):
    with pytest.raises(KeyError):
        openness_report(portal, "budsjett-1999")


def test_report_text_marks_each_item(portal):
    text = report_text(openness_report(portal, "budsjett-2026"))
    assert "[ ] previous_follow_up_published:" in text and "praktisk-bistand-2025" in text
    assert "[-] decision_published:" in text
    assert "[x] criteria_published:" in text
