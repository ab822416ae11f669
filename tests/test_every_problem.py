"""One run of `prioportal validate` reports every problem of every file: the problems of a file
itself and those across files, and a `<...>` placeholder left from `prioportal new` hides none
of the others (README, "When validation finds a problem").

The test writes one new measure into the valid portal from `portal_factory` with a dozen kinds of
mistakes, and checks that each is printed, at its own line and column (computed from the test's
own text), in a single run: read afresh, then from what that run kept, and by the preview's load.
"""

from __future__ import annotations

from portal_factory import MEASURE_FUNDED, PORTAL_FILES, position, write_portal
from prioportal.checks.files import FileCache
from prioportal.checks.portal import load_portal
from prioportal.cli import main
from prioportal.problems import InvalidPortal
from prioportal.settings import load_settings

NEW = "decisions/measures/budsjett-2025/vaktpatrulje-natt-2025.yml"  # after the measure whose title it repeats

# A measure of the decided round budsjett-2025 (criteria kriterier-2025), as a communicator might
# leave it half done. Every line marked with a comment is a mistake.
TEXT = """\
id: nattpatrulje-2025
round: budsjett-2025
title: styrket  Hjemmetjeneste
summary: <Two or three plain sentences a citizen understands>
sektor: Helse og omsorg
service_area: Hjemmetjenester
type: new_ned
situation:
  current_state: Ingen hjelp om natten.
  goal: Hjelp innen en halvtime.
proposal:
  description: En nattpatrulje.
  alternative: Dagens ordning.
assessments:
  nytte:
    level: Svært stor
    justification: Mange får hjelp.
  ressurs:
    level: hoy
    justification: To årsverk.
knowledge_base:
  - title: Rapport
    url: www.testvik.kommune.no/rapport
    quality: moderate
costs:
  - description: To årsverk
    kind: recurring
    year_1: 1 000 000
    year_2: 300.000
rank: 12
outcome:
  decision: partly_funded
  rationing_type: process
  granted: 2 000 000
  consequences:
    affected: Eldre
    description: Færre besøk.
inputs:
  - source: elderly_council
    name: Eldrerådet
    date: 31.02.2025
    summary: Ønsker nattpatrulje.
    consideration: Tatt med.
follow_up:
  indicators:
    - id: responstid
      name: Responstid
      unit: minutter
      baseline: 60
      target: 30
      due: 2025-12-31
      responsible: Kommunalsjef
  results:
    - indicator: responstiden
      period: 2025
      value: 45
previous: styrket-hjemmetjeneste-2025
"""

LEVELS = "svaert-stor, stor, moderat, liten, ingen"
# (what the mistake is, where it is (needle, offset), the line printed after "path:line:column: ").
EXPECTED = [
    ("a placeholder", ("<Two", 0),
     "'summary' still holds the placeholder '<Two or three plain sentences a citizen understands>' — "
     "replace it with the real text, or delete the field if it is optional"),
    ("an unknown field, with the field meant", ("sektor:", 0), "unknown field 'sektor' — did you mean 'sector'?"),
    ("a required field missing (the one misspelt)", ("id: natt", 0),
     "the required field 'sector' is missing — add 'sector:' (Sector or committee, e.g. Helse og omsorg)"),
    ("a value outside the vocabulary, with the value meant", ("new_ned", 0),
     "'new_ned' is not a valid value for 'type' — did you mean 'new_need'? use one of: new_need, "
     "ambition_increase, efficiency, rationing, saving, investment"),
    ("a level written as its label (across files: the criterion's scale)", ("Svært stor", 0),
     f"'Svært stor' is not a level on the scale of 'nytte' — did you mean 'svaert-stor'? use one of: {LEVELS}"),
    ("a level near miss", ("hoy", 0),
     "'hoy' is not a level on the scale of 'ressurs' — did you mean 'hoey'? use one of: lav, moderat, hoey"),
    ("a criterion without an assessment (across files)", ("  nytte:", 2),
     "there is no assessment for the criterion 'alvorlighet' — add 'alvorlighet:' with level and justification "
     "under assessments (round 'budsjett-2025' uses 'kriterier-2025')"),
    ("an address that is not one", ("www.testvik", 0),
     "'www.testvik.kommune.no/rapport' is not a web address — write a full address starting with https://"),
    ("an amount written with a thousands dot, quoted as written", ("300.000", 0),
     "300.000 is not an amount — write the amount in whole kroner with digits only, e.g. 1200000 or \"1 200 000\""),
    ("a rank outside the scale (across files: the criteria's rank scale)", ("12\n", 0),
     "the rank 12 is outside the scale — use a whole number from 1 (highest priority) to 10 (lowest)"),
    ("a rationing type on an outcome that is not rationed", ("rationing_type", 0),
     "'rationing_type' is only for rationed measures — remove it, or set 'decision: rationed'"),
    ("an outcome that is not fully funded without a rationale", ("  decision: partly", 2),
     "the outcome 'partly_funded' has no rationale — add 'rationale:' under outcome: why the measure was not "
     "fully funded, in plain language"),
    ("granted above the year-1 cost", ("2 000 000", 0),
     "granted 2 000 000 is more than the measure costs in year 1 — granted is the money given in year 1; it "
     "cannot exceed the year-1 cost of 1 000 000 kr — check the amount or the costs"),
    ("a date that is not one", ("31.02.2025", 0),
     "'31.02.2025' is not a valid date (not a date in the form YYYY-MM-DD) — write the date as YYYY-MM-DD, "
     "e.g. 2026-03-15"),
    ("a result of an indicator the measure does not have", ("responstiden", 0),
     "there is no indicator with the id 'responstiden' — did you mean 'responstid'?"),
    ("a previous version in the same round (across files)", ("styrket-hjemmetjeneste-2025\n", 0),
     "'styrket-hjemmetjeneste-2025' is not in an earlier round — point 'previous' to the same measure in an "
     "earlier year"),
    ("the title of another measure of the round (across files)", ("styrket  Hjemmetjeneste", 0),
     f"warning: another measure of the round 'budsjett-2025' has this title: {MEASURE_FUNDED} — give each "
     "measure its own title, or delete the copy"),
]


def expected_lines() -> list[str]:
    lines = []
    for _, (needle, offset), said in EXPECTED:
        line, column = position(TEXT, needle, offset)
        lines.append(f"{NEW}:{line}:{column}: {said}")
    return lines


def validate(root, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["-f", str(root / "mkdocs.yml"), "validate", *extra])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def test_one_run_reports_every_problem_of_a_file_each_at_its_line(tmp_path, capsys):
    assert "alvorlighet" in PORTAL_FILES[MEASURE_FUNDED]  # the criterion the new measure leaves out
    root = write_portal(tmp_path, {NEW: TEXT})
    wanted = expected_lines()
    # Read afresh, then from what the first run kept: the same lines, all in the first run.
    for extra in (("--no-cache",), ()):
        code, lines = validate(root, capsys, *extra)
        assert code == 1
        mine = [line for line in lines if line.startswith(f"{NEW}:")]
        missing = [line for line in wanted if line not in mine]
        assert not missing, "not reported:\n" + "\n".join(missing) + "\n\nreported:\n" + "\n".join(lines)
        # Nothing besides: no stand-in for a value that is wrong made a problem of its own.
        assert sorted(mine) == sorted(wanted), "\n".join(sorted(set(mine) - set(wanted)))
        assert f"not valid: {len(wanted) - 1} error(s), 1 warning(s)" in lines
        # The other files are as they were: nothing is reported about them.
        assert all(line.startswith(f"{NEW}:") or line.startswith("not valid:") for line in lines), lines

    # The preview's load reports the same problems.
    try:
        load_portal(load_settings(root / "mkdocs.yml"), FileCache())
    except InvalidPortal as exc:
        assert sorted(str(p) for p in exc.problems) == sorted(wanted)
    else:
        raise AssertionError("the portal loaded as valid")


def test_a_placeholder_hides_neither_the_files_other_problems_nor_those_across_files(tmp_path, capsys):
    # A file with only an id and a placeholder title (as in the README's example), and a level
    # written as its label in another file: all of it in one run.
    other = PORTAL_FILES[MEASURE_FUNDED].replace("    level: stor\n", "    level: Stor\n", 1)
    new = "decisions/measures/budsjett-2026/ny.yml"
    root = write_portal(tmp_path, {new: "id: ny\ntitle: <skriv tittel>\n", MEASURE_FUNDED: other})
    code, lines = validate(root, capsys, "--no-cache")
    assert code == 1
    line, column = position(other, "Stor\n")
    assert (f"{MEASURE_FUNDED}:{line}:{column}: 'Stor' is not a level on the scale of 'alvorlighet' — "
            "did you mean 'stor'? use one of: svaert-stor, stor, moderat, liten") in lines, lines
    assert (f"{new}:2:8: 'title' still holds the placeholder '<skriv tittel>' — replace it with the real text, "
            "or delete the field if it is optional") in lines, lines
    missing = sorted(line.split("'")[1] for line in lines if line.startswith(f"{new}:1:1: the required field"))
    assert missing == ["assessments", "proposal", "round", "sector", "service_area", "situation", "summary", "type"]


def test_a_round_with_a_placeholder_still_checks_its_measures_against_it(tmp_path, capsys):
    # The round's summary is a placeholder; its measures are still checked against its criteria.
    rnd = "decisions/rounds/budsjett-2025.yml"
    text = PORTAL_FILES[rnd].replace("summary: |\n  Kommunen fordeler nye midler til helse og omsorg.\n",
                                     "summary: <What this round is about>\n")
    assert text != PORTAL_FILES[rnd]
    measure = PORTAL_FILES[MEASURE_FUNDED].replace("rank: 1\n", "rank: 11\n")
    root = write_portal(tmp_path, {rnd: text, MEASURE_FUNDED: measure})
    code, lines = validate(root, capsys, "--no-cache")
    assert code == 1
    line, column = position(measure, "11\n")
    assert any(x.startswith(f"{MEASURE_FUNDED}:{line}:{column}: the rank 11 is outside the scale") for x in lines), lines
    assert any(x.startswith(f"{rnd}:") and "placeholder" in x for x in lines), lines
