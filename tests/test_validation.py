"""What a communicator sees when a decision file or page is wrong.

Every test writes the valid portal from `portal_factory` with one file changed, and checks
the problem reported for that file: its path, line and column (computed from the test's own
text with `position`), and the key words of the message and the advice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal_factory import (
    CRITERIA_V2,
    MEASURE_DEPRIORITISED,
    MEASURE_FOLLOW_ON,
    MEASURE_FUNDED,
    MEASURE_INVESTMENT,
    MEASURE_INVESTMENT_TEXT,
    MEASURE_RATIONED,
    MEASURE_RATIONED_TEXT,
    PAGE_HOW,
    PAGE_INDEX,
    PORTAL_FILES,
    ROUND_2025,
    ROUND_2026,
    load,
    load_problems,
    patched,
    position,
    write_portal,
)
from prioportal.cli import main
from prioportal.problems import Problem


# --- Helpers ------------------------------------------------------------------------------


def problems_in(problems: list[Problem], path: str) -> list[Problem]:
    return [p for p in problems if p.path == path]


def the_problem(problems: list[Problem], path: str) -> Problem:
    """The one problem reported for `path` (other files may have follow-on problems)."""
    found = problems_in(problems, path)
    assert len(found) == 1, f"expected one problem in {path}, got:\n" + "\n".join(map(str, problems))
    return found[0]


def problem_at(problems: list[Problem], path: str, line: int, column: int) -> Problem:
    found = [p for p in problems if (p.path, p.line, p.column) == (path, line, column)]
    assert len(found) == 1, (f"expected one problem at {path}:{line}:{column}, got:\n"
                             + "\n".join(map(str, problems)))
    return found[0]


def patched_text(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced (for a second change to a patched file)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def at(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse exits for usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


# --- Reading the file ---------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_unquoted_colon(make_portal):
    # A colon in running text, after non-ASCII letters: the column counts characters.
    text = patched(MEASURE_INVESTMENT, "summary: En trygg vei for barn som går og sykler til Nordby skole.",
                   "summary: Skoleveien på Nordby: trygg for barn som går og sykler.")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "Nordby:", offset=len("Nordby")) == (5, 30)
    assert "the YAML cannot be read" in problem.message
    assert "mapping values are not allowed" in problem.message
    assert "must be quoted" in problem.advice and "'|'" in problem.advice


def test_tab_indentation_is_reported_where_the_tab_is(make_portal):
    text = patched(MEASURE_INVESTMENT, "    level: lav\n", "  \tlevel: lav\n")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "\tlevel: lav") == (24, 3)
    assert "tab is used for indentation" in problem.message
    assert "spaces only" in problem.advice


def test_latin1_file_is_reported_at_the_first_non_utf8_letter(make_portal):
    raw = MEASURE_INVESTMENT_TEXT.encode("latin-1")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: raw}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    # "som går og": the first non-ASCII letter in the file is the "å" of "går" on line 5.
    assert at(problem) == position(MEASURE_INVESTMENT_TEXT, "går og sykler", offset=1) == (5, 37)
    assert "not UTF-8" in problem.message and "Latin-1" in problem.message
    assert "save it as UTF-8" in problem.advice


def test_utf16_file_is_named_as_utf16(make_portal):
    raw = MEASURE_INVESTMENT_TEXT.encode("utf-16")  # with a byte order mark, as Windows writes it
    problems = load_problems(make_portal({MEASURE_INVESTMENT: raw}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == (1, 1)
    assert "UTF-16" in problem.message
    assert "save it as UTF-8" in problem.advice


def test_utf8_byte_order_mark_is_accepted(make_portal):
    without_comment = MEASURE_INVESTMENT_TEXT.split("\n", 1)[1]  # the BOM right before "id:"
    assert without_comment.startswith("id: ")
    root = make_portal({
        MEASURE_INVESTMENT: b"\xef\xbb\xbf" + without_comment.encode("utf-8"),
        PAGE_INDEX: b"\xef\xbb\xbf" + PORTAL_FILES[PAGE_INDEX].encode("utf-8"),
    })

    portal = load(root)
    measure = next(x for x in portal.measures if x.id == "gang-og-sykkelvei-2026")
    assert measure.title == "Gang- og sykkelvei til skolen"
    assert "Prioriteringer i Testvik kommune" in [p.title for p in portal.pages]


@pytest.mark.parametrize("text", ["", "# Fylles ut senere.\n"], ids=["no-bytes", "only-a-comment"])
def test_empty_file(make_portal, text):
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == (1, 1)
    assert "the file is empty" in problem.message
    assert "fill it in" in problem.advice and "delete it" in problem.advice


def test_list_at_top_level(make_portal):
    text = "- id: gang-og-sykkelvei-2026\n  round: budsjett-2026\n"
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == (1, 1)
    assert "should start with fields" in problem.message and "not a list" in problem.message
    assert "'id: ...'" in problem.advice and "left margin" in problem.advice


def test_duplicate_key_is_reported_at_the_second_occurrence(make_portal):
    text = patched(MEASURE_INVESTMENT, "  goal: Alle barn skal ha en trygg skolevei.\n",
                   "  goal: Alle barn skal ha en trygg skolevei.\n  goal: Ingen barn skal gå langs fylkesveien.\n")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "  goal: Ingen", offset=2) == (13, 3)
    assert "the field 'goal' appears twice" in problem.message
    assert "keep one of them" in problem.advice


def test_anchors_and_aliases_are_rejected(make_portal):
    text = patched(MEASURE_INVESTMENT, "situation:\n", "situation: &vei\n")
    text = text.replace("proposal:\n  description: Bygge 1,2 km gang- og sykkelvei.\n"
                        "  alternative: Skoleskyss med buss.\n", "proposal: *vei\n")
    assert "*vei" in text
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "&vei") == (10, 12)
    assert "anchors and aliases" in problem.message
    assert "write the value out in full" in problem.advice


# --- One file against the model -----------------------------------------------------------


def test_misspelt_field_suggests_the_nearest_name(make_portal):
    text = patched(MEASURE_INVESTMENT, "summary: En trygg", "sumary: En trygg")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    unknown = problem_at(problems, MEASURE_INVESTMENT, *position(text, "sumary:"))
    assert at(unknown) == (5, 1)
    assert unknown.message == "unknown field 'sumary'"
    assert unknown.advice == "did you mean 'summary'?"
    # The real field is then missing, which is reported too (at the start of the fields).
    missing = problem_at(problems, MEASURE_INVESTMENT, 2, 1)
    assert "'summary' is missing" in missing.message


def test_misspelt_field_inside_an_assessment_suggests_the_nearest_name(make_portal):
    # Assessments are keyed by criterion id; the fields inside are still level and justification.
    text = patched(MEASURE_INVESTMENT, "    justification: Veien er dyr å bygge.",
                   "    justifcation: Veien er dyr å bygge.")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    unknown = problem_at(problems, MEASURE_INVESTMENT, *position(text, "justifcation:"))
    assert at(unknown) == (25, 5)
    assert unknown.message == "unknown field 'justifcation'"
    assert unknown.advice == "did you mean 'justification'?"


def test_wrong_type_text_where_a_number_belongs(make_portal):
    text = patched(MEASURE_INVESTMENT, "rank: 3\n", "rank: høy\n")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "høy\n") == (34, 7)
    assert "'høy' is not a whole number" in problem.message
    assert "digits only" in problem.advice


def test_wrong_type_mapping_where_a_list_belongs(make_portal):
    text = patched(MEASURE_INVESTMENT, "  - description: Bygging\n    kind: one_off\n    year_1: 10 000 000\n    year_2: 2 500 000\n",
                   "  description: Bygging\n  kind: one_off\n  year_1: 10 000 000\n")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "  description: Bygging", offset=2) == (30, 3)
    assert "'costs' should be a list" in problem.message
    assert "'- '" in problem.advice


def test_missing_required_field_is_named_at_the_enclosing_mapping(make_portal):
    text = patched(MEASURE_INVESTMENT, "sector: Teknikk og miljø\n", "")
    text = patched_text(text, "  goal: Alle barn skal ha en trygg skolevei.\n", "")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    assert len(problems_in(problems, MEASURE_INVESTMENT)) == 2
    top = problem_at(problems, MEASURE_INVESTMENT, *position(text, "id: gang"))
    assert at(top) == (2, 1)  # the fields start after the comment on line 1
    assert top.message == "the required field 'sector' is missing"
    assert "add 'sector:'" in top.advice and "Sector or committee" in top.advice

    nested = problem_at(problems, MEASURE_INVESTMENT, *position(text, "current_state:"))
    assert at(nested) == (10, 3)  # the mapping under situation:
    assert nested.message == "the required field 'goal' is missing"
    assert "add 'goal:'" in nested.advice and "The goal or law" in nested.advice


def test_required_field_left_empty_says_it_is_empty(make_portal):
    # A skeleton filled in halfway: the field is there, the value is not.
    text = patched(MEASURE_INVESTMENT, "summary: En trygg vei for barn som går og sykler til Nordby skole.",
                   "summary:")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert problem.line == 5
    assert "'summary'" in problem.message and "empty" in problem.message
    assert "None" not in problem.message  # Python's word for nothing means nothing to a communicator


def test_enum_value_not_allowed_lists_values_and_suggests_nearest(make_portal):
    text = patched(MEASURE_INVESTMENT, "type: investment", "type: investering")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "investering") == (9, 7)
    assert problem.message == "'investering' is not a valid value for 'type'"
    assert problem.advice.startswith("did you mean 'investment'?")
    assert "use one of: new_need, ambition_increase, efficiency, rationing, saving, investment" in problem.advice


def test_a_measure_may_have_several_types(make_portal):
    text = patched(MEASURE_RATIONED, "type: rationing", "type: [efficiency, rationing]")
    portal = load(make_portal({MEASURE_RATIONED: text}))

    measure = next(x for x in portal.measures if x.id == "praktisk-bistand-2025")
    assert [t.value for t in measure.type] == ["efficiency", "rationing"]


@pytest.mark.parametrize(
    ("new", "needle", "message", "advice"),
    [
        ("type: [efficiency, rationig]", "rationig", "'rationig' is not a valid value for 'type'",
         "did you mean 'rationing'?"),
        ("type: [rationing, rationing]", "[", "'type' lists the same value twice", "list each value once"),
        ("type: []", "[", "'type' needs more items", "add the missing items"),
    ],
    ids=["misspelt-item", "repeated", "empty"],
)
def test_a_bad_list_of_types_is_reported_where_it_is_wrong(make_portal, new, needle, message, advice):
    text = patched(MEASURE_RATIONED, "type: rationing", new)
    problems = load_problems(make_portal({MEASURE_RATIONED: text}))

    problem = the_problem(problems, MEASURE_RATIONED)
    assert at(problem) == position(text, needle)
    assert problem.message.startswith(message)
    assert problem.advice.startswith(advice)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message", "advice"),
    [
        ("valid_from: 2025-09-01", "valid_from: 2026-02-31", "2026-02-31",
         "'2026-02-31' is not a valid date", "no such day"),
        ("valid_from: 2025-09-01", "valid_from: 31.02.2026", "31.02.2026",
         "'31.02.2026' is not a valid date", "YYYY-MM-DD"),
        ("valid_from: 2025-09-01", "valid_from: 20250901", "20250901",
         "20250901 is not a valid date", "YYYY-MM-DD"),
    ],
    ids=["no-such-day", "dotted", "bare-number"],
)
def test_invalid_dates(make_portal, old, new, needle, message, advice):
    text = patched(CRITERIA_V2, old, new)
    problems = load_problems(make_portal({CRITERIA_V2: text}))

    problem = the_problem(problems, CRITERIA_V2)
    assert at(problem) == position(text, needle) == (5, 13)
    assert message in problem.message
    assert advice in problem.message + problem.advice
    assert "YYYY-MM-DD" in problem.advice and "2026-03-15" in problem.advice


def test_invalid_date_deep_in_a_list(make_portal):
    text = patched(MEASURE_FUNDED, "    date: 2025-06-30", "    date: 31.06.2025")
    problems = load_problems(make_portal({MEASURE_FUNDED: text}))

    problem = the_problem(problems, MEASURE_FUNDED)
    assert at(problem) == position(text, "31.06.2025") == (64, 11)
    assert "'31.06.2025' is not a valid date" in problem.message


# --- Checks against the criteria ----------------------------------------------------------


def test_level_not_on_the_criterions_scale(make_portal):
    text = patched(MEASURE_DEPRIORITISED, "    level: moderat\n    justification: Flere", "    level: middels\n    justification: Flere")
    problems = load_problems(make_portal({MEASURE_DEPRIORITISED: text}))

    problem = the_problem(problems, MEASURE_DEPRIORITISED)
    assert at(problem) == position(text, "middels") == (20, 12)
    assert problem.message == "'middels' is not a level on the scale of 'nytte'"
    assert problem.advice == "use one of: svaert-stor, stor, moderat, liten, ingen"


def test_missing_assessment_for_a_criterion_of_the_rounds_criteria_version(make_portal):
    text = patched(MEASURE_DEPRIORITISED, "  ressurs:\n    level: moderat\n    justification: Krever vakter på kveldstid.\n", "")
    problems = load_problems(make_portal({MEASURE_DEPRIORITISED: text}))

    problem = the_problem(problems, MEASURE_DEPRIORITISED)
    assert at(problem) == position(text, "  alvorlighet:", offset=2) == (16, 3)
    assert problem.message == "there is no assessment for the criterion 'ressurs'"
    assert "add 'ressurs:'" in problem.advice and "level and justification" in problem.advice
    assert "'budsjett-2025'" in problem.advice and "'kriterier-2025'" in problem.advice


@pytest.mark.parametrize(
    ("key", "advice"),
    [
        # A criterion of version 1 used in a round that follows version 2.
        ("ressurs", "the criteria are alvorlighet, nytte, kostnadseffektivitet"),
        ("kostnadseffektivtet", "did you mean 'kostnadseffektivitet'?"),
    ],
    ids=["old-version", "misspelt"],
)
def test_assessment_for_a_criterion_that_does_not_exist(make_portal, key, advice):
    text = patched(MEASURE_INVESTMENT, "  kostnadseffektivitet:\n", f"  {key}:\n")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    mine = problems_in(problems, MEASURE_INVESTMENT)
    assert len(mine) == 2, "\n".join(map(str, problems))
    unknown = problem_at(problems, MEASURE_INVESTMENT, *position(text, f"  {key}:", offset=2))
    assert at(unknown) == (23, 3)
    assert unknown.message == f"'{key}' is not a criterion in 'kriterier-2026'"
    assert unknown.advice == advice
    missing = problem_at(problems, MEASURE_INVESTMENT, *position(text, "  alvorlighet:", offset=2))
    assert at(missing) == (17, 3)
    assert missing.message == "there is no assessment for the criterion 'kostnadseffektivitet'"


def test_assessment_key_written_with_a_capital_is_reported_at_the_key(make_portal):
    # Communicators write the criterion's name ("Nytte"); the key line is where to fix it.
    text = patched(MEASURE_INVESTMENT, "  nytte:\n", "  Nytte:\n")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    problem = the_problem(problems, MEASURE_INVESTMENT)
    assert at(problem) == position(text, "  Nytte:", offset=2) == (20, 3)
    assert "'Nytte'" in problem.message


@pytest.mark.parametrize("rank", [11, 0])
def test_rank_outside_the_scale(make_portal, rank):
    text = patched(MEASURE_DEPRIORITISED, "rank: 9\n", f"rank: {rank}\n")
    problems = load_problems(make_portal({MEASURE_DEPRIORITISED: text}))

    problem = the_problem(problems, MEASURE_DEPRIORITISED)
    assert at(problem) == position(text, f"rank: {rank}", offset=6) == (29, 7)
    assert problem.message == f"the rank {rank} is outside the scale"
    assert "from 1 (highest priority) to 10 (lowest)" in problem.advice


# --- Checks across files ------------------------------------------------------------------


def test_duplicate_ids_across_files(make_portal):
    copy = "decisions/measures/budsjett-2026/praktisk-bistand-2026.yml"
    text = MEASURE_RATIONED_TEXT.replace("round: budsjett-2025", "round: budsjett-2026")  # id left unchanged
    problems = load_problems(make_portal({copy: text}))

    assert problems_in(problems, MEASURE_RATIONED) == []
    problem = the_problem(problems, copy)
    assert at(problem) == position(text, "praktisk-bistand-2025") == (2, 5)
    assert problem.message == f"the id 'praktisk-bistand-2025' is already used by {MEASURE_RATIONED}"
    assert "its own id" in problem.advice


@pytest.mark.parametrize(
    ("path", "old", "new", "message", "advice"),
    [
        (ROUND_2026, "criteria: kriterier-2026", "criteria: kriterier-2062",
         "there is no criteria version with the id 'kriterier-2062'", "did you mean 'kriterier-2026'?"),
        (ROUND_2026, "previous: budsjett-2025", "previous: budsjet-2025",
         "there is no round with the id 'budsjet-2025'", "did you mean 'budsjett-2025'?"),
        (MEASURE_INVESTMENT, "round: budsjett-2026", "round: budsjet-2026",
         "there is no round with the id 'budsjet-2026'", "did you mean 'budsjett-2026'?"),
        (MEASURE_INVESTMENT, "round: budsjett-2026", "round: vei",
         "there is no round with the id 'vei'", "use one of: budsjett-2025, budsjett-2026"),
        (MEASURE_FOLLOW_ON, "previous: styrket-hjemmetjeneste-2025", "previous: styrket-hjemmetjenste-2025",
         "there is no measure with the id 'styrket-hjemmetjenste-2025'", "did you mean 'styrket-hjemmetjeneste-2025'?"),
    ],
    ids=["round-criteria", "round-previous", "measure-round", "measure-round-no-close-match", "measure-previous"],
)
def test_reference_to_something_missing(make_portal, path, old, new, message, advice):
    text = patched(path, old, new)
    problems = load_problems(make_portal({path: text}))

    problem = the_problem(problems, path)
    ref = new.split(": ", 1)[1]
    assert at(problem) == position(text, f": {ref}\n", offset=2)
    assert problem.message == message
    assert problem.advice == advice


def test_reference_advice_never_suggests_the_files_own_id(make_portal, tmp_path):
    # The previous year's measure file was deleted: the follow-on must not be told to point at itself.
    problems = load_problems(make_portal({MEASURE_FUNDED: None}))
    problem = the_problem(problems, MEASURE_FOLLOW_ON)
    assert at(problem) == position(PORTAL_FILES[MEASURE_FOLLOW_ON], "styrket-hjemmetjeneste-2025") == (4, 11)
    assert problem.message == "there is no measure with the id 'styrket-hjemmetjeneste-2025'"
    assert "styrket-hjemmetjeneste-2026" not in problem.advice

    # The same for a criteria version naming a previous version that does not exist.
    text = patched(CRITERIA_V2, "previous: kriterier-2025", "previous: kriterier-2052")
    problems = load_problems(write_portal(tmp_path / "second", {CRITERIA_V2: text}))
    problem = the_problem(problems, CRITERIA_V2)
    assert at(problem) == position(text, "kriterier-2052") == (6, 11)
    assert problem.message == "there is no criteria version with the id 'kriterier-2052'"
    assert "kriterier-2026" not in problem.advice


def test_a_file_with_problems_does_not_make_references_to_it_look_wrong(make_portal):
    # The round file exists but has a bad date; the measures that name it are right, and must
    # not be told that the round does not exist (let alone to switch to 'budsjett-2026').
    text = patched(ROUND_2025, "    date: 2024-10-20", "    date: 31.02.2026")
    problems = load_problems(make_portal({ROUND_2025: text}))

    problem = the_problem(problems, ROUND_2025)
    assert at(problem) == position(text, "31.02.2026") == (20, 11)
    misleading = [p for p in problems if p.path != ROUND_2025 and (
        "there is no round with the id 'budsjett-2025'" in p.message or "not in an earlier round" in p.message)]
    assert misleading == [], "\n".join(map(str, misleading))


def test_criteria_version_after_the_first_needs_a_change_note(make_portal):
    text = patched(CRITERIA_V2, "change_note: Ressurs er erstattet av kostnadseffektivitet, som veier nytte mot kostnad.\n", "")
    problems = load_problems(make_portal({CRITERIA_V2: text}))

    problem = the_problem(problems, CRITERIA_V2)
    assert at(problem) == position(text, "version: 2", offset=9) == (4, 10)
    assert problem.message == "version 2 has no change note"
    assert "add 'change_note:'" in problem.advice and "what changed" in problem.advice


# --- Outcomes and follow-up ---------------------------------------------------------------


def test_not_funded_outcome_needs_rationale_and_consequences(make_portal):
    text = patched(MEASURE_DEPRIORITISED,
                   "  rationale: Andre tiltak har høyere alvorlighet.\n  consequences:\n"
                   "    affected: Innbyggere som jobber på dagtid\n"
                   "    description: De kan fortsatt bruke biblioteket på lørdager.\n", "")
    problems = load_problems(make_portal({MEASURE_DEPRIORITISED: text}))

    mine = problems_in(problems, MEASURE_DEPRIORITISED)
    assert len(mine) == 2
    where = position(text, "  decision: deprioritised", offset=2)
    assert where == (31, 3)
    assert all(at(p) == where for p in mine)
    by_message = {p.message: p.advice for p in mine}
    assert "add 'rationale:'" in by_message["the outcome 'deprioritised' has no rationale"]
    assert "not fully funded" in by_message["the outcome 'deprioritised' has no rationale"]
    assert "add 'consequences:'" in by_message["the outcome 'deprioritised' has no consequences"]
    assert "who is affected" in by_message["the outcome 'deprioritised' has no consequences"]


def test_rationed_outcome_needs_rationing_type(make_portal):
    text = patched(MEASURE_RATIONED, "  rationing_type: process\n", "")
    problems = load_problems(make_portal({MEASURE_RATIONED: text}))

    problem = the_problem(problems, MEASURE_RATIONED)
    assert at(problem) == position(text, "  decision: rationed", offset=2) == (31, 3)
    assert "rationed" in problem.message and "how it is rationed" in problem.message
    assert "add 'rationing_type:'" in problem.advice and "structure, process or result" in problem.advice


def test_decided_round_needs_rank_and_outcome(make_portal):
    text = patched(MEASURE_DEPRIORITISED, "rank: 9\n", "")
    text = patched_text(text, "outcome:\n  decision: deprioritised\n  rationale: Andre tiltak har høyere alvorlighet.\n"
                              "  consequences:\n    affected: Innbyggere som jobber på dagtid\n"
                              "    description: De kan fortsatt bruke biblioteket på lørdager.\n", "")
    problems = load_problems(make_portal({MEASURE_DEPRIORITISED: text}))

    mine = problems_in(problems, MEASURE_DEPRIORITISED)
    assert sorted(p.message for p in mine) == [
        "the round 'budsjett-2025' is decided, but this measure has no outcome",
        "the round 'budsjett-2025' is decided, but this measure has no rank",
    ]
    assert all(at(p) == position(text, "id: kveldsapent") == (2, 1) for p in mine)
    assert sorted(p.advice for p in mine) == ["add 'outcome:' as decided", "add 'rank:' as decided"]


def test_follow_up_result_naming_an_unknown_indicator(make_portal):
    text = patched(MEASURE_FUNDED, "    - indicator: ventetid-dager", "    - indicator: ventetid")
    problems = load_problems(make_portal({MEASURE_FUNDED: text}))

    problem = the_problem(problems, MEASURE_FUNDED)
    assert at(problem) == position(text, "indicator: ventetid\n", offset=11) == (58, 18)
    assert problem.message == "there is no indicator with the id 'ventetid'"
    assert problem.advice == "did you mean 'ventetid-dager'?"


# --- Values that must be read as written --------------------------------------------------


def test_amounts_with_spaces_are_accepted(make_portal):
    # "1 200 000" as in council papers, also with the no-break space word processors insert.
    text = patched(MEASURE_RATIONED, "year_1: 400 000", "year_1: 400\u00a0000")
    portal = load(make_portal({MEASURE_RATIONED: text}))

    assert portal.round("budsjett-2025").budget_frame == 45_000_000
    funded = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    assert [funded.costs[0].year_1, funded.costs[0].year_2, funded.costs[0].years_4_10] == [1_200_000, 3_600_000, 3_600_000]
    rationed = next(x for x in portal.measures if x.id == "praktisk-bistand-2025")
    assert rationed.costs[0].year_1 == 400_000


def test_amount_with_a_dot_is_not_silently_read_as_a_few_kroner(make_portal):
    # "400.000" is four hundred thousand where a dot groups thousands; YAML reads 400.0.
    text = patched(MEASURE_RATIONED, "year_1: 400 000", "year_1: 400.000")
    problems = load_problems(make_portal({MEASURE_RATIONED: text}))

    problem = the_problem(problems, MEASURE_RATIONED)
    assert at(problem) == position(text, "400.000") == (28, 13)
    assert "amount" in problem.message
    assert "1200000" in problem.advice or "1 200 000" in problem.advice


def test_no_stays_the_text_no(make_portal):
    text = patched(MEASURE_FUNDED, "target_area: Innbyggernes helse og trivsel", "target_area: no")
    text = patched_text(text, "service_area: Hjemmetjenester", "service_area: off")
    portal = load(make_portal({MEASURE_FUNDED: text}))

    funded = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    assert funded.target_area == "no"
    assert funded.service_area == "off"


def test_a_year_in_a_text_field_is_read_as_text(make_portal):
    # The model's own example for period is "2025"; YAML reads it as a number.
    text = patched(MEASURE_FUNDED, "period: 1. halvår 2025", "period: 2025")
    portal = load(make_portal({MEASURE_FUNDED: text}))

    funded = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    assert funded.follow_up.results[0].period == "2025"


# --- Content pages ------------------------------------------------------------------------


def test_content_page_without_front_matter(make_portal):
    problems = load_problems(make_portal({"content/om-portalen.md": "# Om portalen\n\nTekst.\n"}))

    problem = the_problem(problems, "content/om-portalen.md")
    assert at(problem) == (1, 1)
    assert "no front matter" in problem.message and "title" in problem.message
    assert "---" in problem.advice and "title:" in problem.advice


def test_content_front_matter_field_is_positioned_in_the_file(make_portal):
    problems = load_problems(make_portal({"content/om-portalen.md": "---\norder: 30\ntitel: Om portalen\n---\nTekst.\n"}))

    unknown = problem_at(problems, "content/om-portalen.md", 3, 1)
    assert unknown.message == "unknown field 'titel'"
    assert unknown.advice == "did you mean 'title'?"


# --- Robustness: a problem, never a traceback ---------------------------------------------


def test_duplicate_key_in_front_matter_is_a_problem_not_a_crash(make_portal, capsys):
    root = make_portal({"content/om-portalen.md": "---\ntitle: Om portalen\ntitle: Om oss\n---\nTekst.\n"})
    code, out, err = run_cli(["-f", str(root / "mkdocs.yml"), "validate"], capsys)

    assert code == 1
    assert "Traceback" not in err
    assert "content/om-portalen.md:3:1: the field 'title' appears twice in the same place" in err


def test_a_list_used_as_a_field_name_is_a_problem_not_a_crash(make_portal, capsys):
    text = patched(MEASURE_INVESTMENT, "sector: Teknikk og miljø\n", "sector: Teknikk og miljø\n[vei, skole]: Nordby\n")
    root = make_portal({MEASURE_INVESTMENT: text})
    code, out, err = run_cli(["-f", str(root / "mkdocs.yml"), "validate"], capsys)

    assert code == 1
    assert "Traceback" not in err
    line, column = position(text, "[vei, skole]")
    assert (line, column) == (7, 1)
    assert f"{MEASURE_INVESTMENT}:{line}:{column}: " in err


# --- Reporting ----------------------------------------------------------------------------


def test_all_problems_are_reported_at_once_sorted_by_path_and_line(make_portal):
    investment = patched(MEASURE_INVESTMENT, "summary: En trygg", "sumary: En trygg")
    investment = patched_text(investment, "rank: 3\n", "rank: tre\n")
    rationed = patched(MEASURE_RATIONED, "  rationing_type: process\n", "")
    root = make_portal({
        MEASURE_INVESTMENT: investment,
        MEASURE_RATIONED: rationed,
        PAGE_HOW: "# Slik prioriterer vi\n",
    })
    problems = load_problems(root)

    assert [(p.path, p.line, p.column) for p in problems] == [
        (PAGE_HOW, 1, 1),
        (MEASURE_RATIONED, 31, 3),
        (MEASURE_INVESTMENT, 2, 1),   # summary is missing
        (MEASURE_INVESTMENT, 5, 1),   # unknown field sumary
        (MEASURE_INVESTMENT, 34, 7),  # rank: tre
    ]


def test_output_format_is_path_line_column_message_dash_advice(make_portal):
    text = patched(MEASURE_INVESTMENT, "summary: En trygg", "sumary: En trygg")
    problems = load_problems(make_portal({MEASURE_INVESTMENT: text}))

    unknown = problem_at(problems, MEASURE_INVESTMENT, 5, 1)
    assert str(unknown) == (
        "decisions/measures/budsjett-2026/gang-og-sykkelvei-2026.yml:5:1: "
        "unknown field 'sumary' — did you mean 'summary'?")


# --- The command line ---------------------------------------------------------------------


def test_cli_validate_exits_0_on_the_valid_portal(portal_dir, capsys):
    code, out, err = run_cli(["-f", str(portal_dir / "mkdocs.yml"), "validate"], capsys)

    assert code == 0
    assert "valid: 2 criteria version(s), 2 round(s), 5 measure(s), 2 page(s); 0 error(s), 0 warning(s)" in out
    assert err == ""


def test_cli_validate_exits_1_and_prints_every_problem(make_portal, capsys):
    investment = patched(MEASURE_INVESTMENT, "summary: En trygg", "sumary: En trygg")
    root = make_portal({MEASURE_INVESTMENT: investment, PAGE_HOW: "# Slik prioriterer vi\n"})
    code, out, err = run_cli(["-f", str(root / "mkdocs.yml"), "validate"], capsys)

    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines() == [
        "content/slik-prioriterer-vi.md:1:1: the page has no front matter with a title — "
        "start the file with three lines: ---, title: Your title, ---",
        "decisions/measures/budsjett-2026/gang-og-sykkelvei-2026.yml:2:1: the required field 'summary' is missing — "
        "add 'summary:' (Two or three plain sentences a citizen understands)",
        "decisions/measures/budsjett-2026/gang-og-sykkelvei-2026.yml:5:1: unknown field 'sumary' — "
        "did you mean 'summary'?",
        "not valid: 3 error(s), 0 warning(s)",
    ]
    assert "valid: 2 criteria" not in out


@pytest.mark.parametrize(
    "argv",
    [["valider"], [], ["new", "measure"], ["demo", "--out", "demo"]],
    ids=["unknown-command", "no-command", "new-measure-without-round", "demo-without-measures"],
)
def test_cli_usage_error_exits_2(portal_dir, capsys, argv):
    code, out, err = run_cli(["-f", str(portal_dir / "mkdocs.yml"), *argv], capsys)

    assert code == 2
    assert "Traceback" not in err
    assert "usage: prioportal" in err and "prioportal --help" in err


# --- In the reader's language ----------------------------------------------------------------


@pytest.mark.parametrize(("environment", "heading", "said"), [
    ({}, "filene i portalen har feil:",
     "det finnes ingen kriterieversjon med id-en 'kriterier-2062' — mente du 'kriterier-2026'?"),
    ({"LANGUAGE": "sv"}, "portalens filer har fel:",
     "det finns ingen kriterieversion med id 'kriterier-2062' — menade du 'kriterier-2026'?"),
], ids=["the-portals-bokmal", "swedish-from-LANGUAGE"])
def test_mkdocs_build_lists_the_problems_in_the_messages_language(make_portal, tmp_path, environment, heading, said):
    text = patched(ROUND_2026, "criteria: kriterier-2026", "criteria: kriterier-2062")
    root = make_portal({ROUND_2026: text})
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f", str(root / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True, env={**env, **environment})
    assert result.returncode != 0
    line, column = position(text, "kriterier-2062")
    assert heading in result.stderr, result.stderr
    assert f"{ROUND_2026}:{line}:{column}: {said}" in result.stderr.splitlines(), result.stderr
