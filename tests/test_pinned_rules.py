"""Rules that once survived a mutation of the code: each test here fails when its rule is removed or
weakened (tried by hand: the operator weakened, the line deleted), so the rule cannot go quietly.

The rules: a `previous` must be in an earlier round; partly_funded and rationed need `granted`;
deprioritised and postponed cannot be granted money; `rationing_type` is only for rationed
measures; a changed year-1 cost is a difference between two versions of a round; the published
site can be read by the web server (mode 0755), not only by the user who built it.

And rules that mutation testing (`make mutation`, README "Mutation testing") found unpinned: a
placeholder in a list item, an invisible character in a title in a list or per language (and not
in a longer text), a level written as its label, and the advice for a round that is not there.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from gitrepo import git
from portal_factory import (CRITERIA_V1, MEASURE_DEPRIORITISED, MEASURE_FUNDED, MEASURE_RATIONED, ROUND_2025, load,
                            load_problems, patch_file, position)
from prioportal.analyses.comparisons import compare_rounds
from prioportal.cli import main


def problems_at_or_none(portal: Path, relative: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of every problem reported for the file `relative`, if the portal
    has problems at all."""
    try:
        return problems_at(portal, relative)
    except AssertionError:  # it loaded as valid
        return []


def problems_at(portal: Path, relative: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of every problem reported for the file `relative`."""
    return [(p.line, p.column, p.message) for p in load_problems(portal) if p.path.endswith(relative)]


# --- previous: an earlier round ----------------------------------------------------------------

def test_a_measure_whose_previous_is_in_the_same_round_is_refused(make_portal):
    portal = make_portal()
    # Both measures are in budsjett-2025: the "earlier version" is not earlier.
    text = patch_file(portal, MEASURE_DEPRIORITISED, "round: budsjett-2025\n",
                      "round: budsjett-2025\nprevious: styrket-hjemmetjeneste-2025\n")
    line, column = position(text, "previous:", len("previous: "))
    assert (line, column, "'styrket-hjemmetjeneste-2025' is not in an earlier round") in \
        problems_at(portal, MEASURE_DEPRIORITISED)


def test_a_round_that_names_itself_as_previous_is_refused(make_portal):
    portal = make_portal()
    text = patch_file(portal, ROUND_2025, "year: 2025\n", "year: 2025\nprevious: budsjett-2025\n")
    line, column = position(text, "previous:", len("previous: "))
    assert [(ln, col) for ln, col, message in problems_at(portal, ROUND_2025)
            if message == "the previous round 'budsjett-2025' is not an earlier round"] == [(line, column)]


# --- granted and the outcome -------------------------------------------------------------------

def test_a_rationed_measure_without_granted_is_refused(make_portal):
    portal = make_portal()
    patch_file(portal, MEASURE_RATIONED, "  granted: 400000\n", "")
    assert [m for _, _, m in problems_at(portal, MEASURE_RATIONED)] == \
        ["the outcome 'rationed' needs the amount granted"]


def test_a_partly_funded_measure_without_granted_is_refused(make_portal):
    portal = make_portal()
    patch_file(portal, MEASURE_FUNDED, "  decision: funded\n", "  decision: partly_funded\n")
    assert "the outcome 'partly_funded' needs the amount granted" in \
        [m for _, _, m in problems_at(portal, MEASURE_FUNDED)]


@pytest.mark.parametrize("decision", ["deprioritised", "postponed"])
def test_a_measure_not_given_priority_cannot_be_granted_money(make_portal, decision):
    portal = make_portal()
    patch_file(portal, MEASURE_DEPRIORITISED, "  decision: deprioritised\n",
               f"  decision: {decision}\n  granted: 100000\n")
    text = (portal / MEASURE_DEPRIORITISED).read_text(encoding="utf-8")
    line, column = position(text, "granted:", len("granted: "))
    assert (line, column, f"a measure that is '{decision}' cannot be granted money") in \
        problems_at(portal, MEASURE_DEPRIORITISED)


def test_a_deprioritised_measure_may_say_it_was_granted_nothing(make_portal):
    """The advice the message gives ("set granted to 0") must be one the validator accepts."""
    portal = make_portal()
    patch_file(portal, MEASURE_DEPRIORITISED, "  decision: deprioritised\n", "  decision: deprioritised\n  granted: 0\n")
    load(portal)  # raises InvalidPortal with the problems if refused


def test_rationing_type_on_a_measure_that_is_not_rationed_is_refused(make_portal):
    portal = make_portal()
    patch_file(portal, MEASURE_DEPRIORITISED, "  decision: deprioritised\n",
               "  decision: deprioritised\n  rationing_type: process\n")
    assert "'rationing_type' is only for rationed measures" in \
        [m for _, _, m in problems_at(portal, MEASURE_DEPRIORITISED)]


# --- A changed year-1 cost is a difference -----------------------------------------------------

def test_a_changed_year_1_cost_is_a_difference_of_the_round(make_portal, tmp_path):
    before = load(make_portal())
    after_dir = tmp_path / "after"
    from portal_factory import write_portal
    write_portal(after_dir)
    patch_file(after_dir, MEASURE_RATIONED, "year_1: 400 000", "year_1: 450 000")
    after = load(after_dir)
    old_round, new_round = before.round("budsjett-2025"), after.round("budsjett-2025")
    comparison = compare_rounds(old_round, before.measures, new_round, after.measures)
    assert [(p.old.cost_year_1, p.new.cost_year_1) for p in comparison.cost_changed] == [(400_000, 450_000)]
    assert "praktisk-bistand-2025" not in [p.new.id for p in comparison.unchanged]
    assert comparison.has_differences


def test_diff_of_two_revisions_names_the_changed_year_1_cost_in_the_round(portal_dir, capsys,
                                                                       no_language_in_environment):
    """Said in the portal's language (bokmål), as a communicator reads it."""
    (portal_dir / "site_templates" / ".gitkeep").write_text("", encoding="utf-8")  # git keeps no empty folder
    git(portal_dir, "init", "-q")
    git(portal_dir, "add", "-A")
    git(portal_dir, "commit", "-q", "-m", "Vedtatt", when="2025-12-15T10:00:00+01:00")
    patch_file(portal_dir, MEASURE_RATIONED, "year_1: 400 000", "year_1: 450 000")
    git(portal_dir, "commit", "-q", "-am", "Kostnaden rettet", when="2026-01-15T10:00:00+01:00")
    config = str(portal_dir / "mkdocs.yml")
    assert main(["-f", config, "diff", "HEAD~1", "HEAD", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (rounds,) = data["round_changes"]
    assert [(c["id"], c["cost_year_1"]) for c in rounds["cost_changed"]] == [("praktisk-bistand-2025", [400000, 450000])]
    assert "praktisk-bistand-2025" not in rounds["unchanged"]
    assert main(["-f", config, "diff", "HEAD~1", "HEAD"]) == 0
    text = capsys.readouterr().out
    assert "Budsjett 2025: Endret kostnad i år 1:\n  - Praktisk bistand (praktisk-bistand-2025): 400 000 kr → 450 000 kr" \
        in text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Ingen forskjeller" not in text


# --- The published site can be served -----------------------------------------------------------

def test_the_published_site_folder_can_be_read_by_the_web_server(portal_dir, tmp_path):
    """The site is built in a private temporary folder (mode 0700) and then published: a web server
    running as another user must be able to read it. Tests run as root, who reads everything, so
    the mode bits are checked, not whether a read succeeds."""
    site = tmp_path / "site"
    previous = os.umask(0o022)  # the usual umask, whatever the test runner's
    try:
        assert main(["-f", str(portal_dir / "mkdocs.yml"), "build", "--site-dir", str(site)]) == 0
        assert stat.S_IMODE(site.stat().st_mode) == 0o755
        # And again, replacing the published site: the new one gets the mode too.
        assert main(["-f", str(portal_dir / "mkdocs.yml"), "build", "--site-dir", str(site)]) == 0
        assert stat.S_IMODE(site.stat().st_mode) == 0o755
    finally:
        os.umask(previous)
    unreadable = [p.relative_to(site).as_posix() for p in site.rglob("*")
                  if not stat.S_IMODE(p.stat().st_mode) & (0o005 if p.is_dir() else 0o004)]
    assert not unreadable, unreadable[:10]


# --- A placeholder left from `prioportal new` ---------------------------------------------------

def test_a_placeholder_in_a_list_item_is_reported_at_the_item(make_portal):
    """`prioportal new` writes `<...>` in list items too (a round's milestones)."""
    portal = make_portal()
    text = patch_file(portal, ROUND_2025, "  - title: Innspillsmøte med eldrerådet\n",
                      "  - title: <Name of the meeting>\n")
    line, column = position(text, "<Name of the meeting>")
    assert (line, column, "'title' still holds the placeholder '<Name of the meeting>'") in \
        problems_at(portal, ROUND_2025)
    assert {p.advice for p in load_problems(portal) if "placeholder" in p.message} == {
        "replace it with the real text, or delete the field if it is optional"}


def test_a_round_whose_year_is_wrong_is_not_also_said_to_come_before_its_previous_round(make_portal):
    """Its place in time is unknown, so nothing is concluded from it: one problem, the year's."""
    portal = make_portal()
    text = patch_file(portal, "decisions/rounds/budsjett-2026.yml", "year: 2026\n", "year: tjueseks\n")
    problems = problems_at(portal, "decisions/rounds/budsjett-2026.yml")
    assert [(ln, col) for ln, col, _ in problems] == [position(text, "tjueseks")]
    assert problems_at(portal, "styrket-hjemmetjeneste-2026.yml") == []  # nor its measures' `previous`


# --- Invisible characters in titles, names, labels and summaries --------------------------------

def test_an_invisible_character_is_found_in_a_title_in_a_list_and_in_a_title_per_language(make_portal):
    portal = make_portal()
    milestone = patch_file(portal, ROUND_2025, "  - title: Innspillsmøte med eldrerådet\n",
                           "  - title: Innspills\u200bmøte med eldrerådet\n")
    per_language = patch_file(portal, MEASURE_RATIONED, "title: ", "title:\n  nb: Prak\u202etisk\n  en: ")
    said = "'title' holds an invisible {}, which can make the text read differently from how it is written"
    assert (*position(milestone, "\u200b"), said.format("zero-width space (U+200B)")) in problems_at(portal, ROUND_2025)
    assert (*position(per_language, "\u202e"), said.format("right-to-left override (U+202E)")) in \
        problems_at(portal, MEASURE_RATIONED)


def test_an_invisible_character_in_a_longer_text_is_not_one_of_these_problems(make_portal):
    """Titles, names, labels and summaries are what a listing shows; a description is not."""
    portal = make_portal()
    patch_file(portal, ROUND_2025, "    description: Politikerne rangerer tiltakene.\n",
               "    description: Politikerne rangerer\u200b tiltakene.\n")
    assert not [m for _, _, m in problems_at_or_none(portal, ROUND_2025) if "holds an invisible" in m]


# --- A reference to what is not there -----------------------------------------------------------

def test_a_level_written_as_its_label_is_named_where_no_scale_says_which_was_meant(make_portal):
    portal = make_portal()
    text = patch_file(portal, MEASURE_FUNDED, "round: budsjett-2025\n", "round: budsjett-2099\n")
    text = patch_file(portal, MEASURE_FUNDED, "    level: svaert-stor\n", "    level: Svært stor\n")
    assert (*position(text, "Svært stor"), "'Svært stor' is not the id of a level") in problems_at(portal, MEASURE_FUNDED)
    (problem,) = [p for p in load_problems(portal) if p.message == "'Svært stor' is not the id of a level"]
    assert problem.advice == ("write the id of a level on the scale of the criterion (lower-case letters a-z, digits "
                              "and hyphens), not its label")


@pytest.mark.parametrize("rounds, advice", [
    (2, "use one of: budsjett-2025, budsjett-2026"),
    (12, "use one of: " + ", ".join(sorted(["budsjett-2025", "budsjett-2026"] + [f"runde-{i:02}" for i in range(10)]))),
    (13, "check the id of the round"),
])
def test_a_round_that_is_not_there_is_answered_with_the_rounds_there_are_while_they_are_few(make_portal, rounds, advice):
    portal = make_portal()
    template = (portal / ROUND_2025).read_text(encoding="utf-8")
    for i in range(rounds - 2):
        (portal / f"decisions/rounds/runde-{i:02}.yml").write_text(
            template.replace("id: budsjett-2025", f"id: runde-{i:02}"), encoding="utf-8")
    patch_file(portal, MEASURE_FUNDED, "round: budsjett-2025\n", "round: xq\n")
    (problem,) = [p for p in load_problems(portal) if p.message == "there is no round with the id 'xq'"]
    assert problem.advice == advice


def test_a_level_written_as_its_label_per_language_in_other_case_and_spacing_names_the_level_meant(make_portal):
    portal = make_portal()
    criteria = (portal / CRITERIA_V1).read_text(encoding="utf-8")
    liten = "        label: Liten\n        description: Tiltaket gir liten forbedring."
    assert criteria.count(liten) == 1
    (portal / CRITERIA_V1).write_text(criteria.replace(liten, liten.replace(
        "label: Liten", "label:\n          nb: Nesten  ingen")), encoding="utf-8")
    text = patch_file(portal, MEASURE_FUNDED, "    level: svaert-stor\n", "    level: NESTEN ingen\n")
    (problem,) = [p for p in load_problems(portal) if p.path.endswith(MEASURE_FUNDED)]
    assert (problem.line, problem.column) == position(text, "NESTEN ingen")
    assert problem.advice.startswith("did you mean 'liten'?")
