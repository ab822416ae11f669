"""The synthetic demo portal (`prioportal demo`): valid, complete, deterministic.

The benchmarks and anyone trying the portal out rely on it, so it must pass validation
without a single problem and exercise every part of the vocabulary.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prioportal.model import decisions as m
from prioportal.cli import main
from prioportal.tools.demo.portal import iter_documents, write_demo_portal
from prioportal.tools.demo.yaml_writer import to_yaml
from prioportal.sources.yaml_files import _PortalLoader, load_yaml
from prioportal.build.pipeline import load_everything
from prioportal.checks.portal import load_portal
from prioportal.problems import UsageError
from prioportal.settings import load_settings

N = 60


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def without_defaults(value):
    """What the YAML says: the demo leaves out None values and empty lists (the defaults)."""
    if isinstance(value, dict):
        cleaned = {k: without_defaults(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in cleaned.items() if v != [] and v != {}}
    if isinstance(value, list):
        return [without_defaults(v) for v in value]
    return value


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_demo_portal(tmp_path_factory.mktemp("demo") / "portal", N)


@pytest.fixture(scope="module")
def portal(demo):
    return load_everything(demo / "mkdocs.yml")


# --- Valid and complete ---------------------------------------------------------------------


def test_demo_portal_validates_without_problems(demo, capsys):
    assert main(["-f", str(demo / "mkdocs.yml"), "validate"]) == 0
    out = capsys.readouterr().out
    assert f"{N} measure(s)" in out and "0 error(s), 0 warning(s)" in out


def test_demo_portal_loads_with_load_portal(demo):
    settings = load_settings(demo / "mkdocs.yml")
    loaded = load_portal(settings)
    assert len(loaded.measures) == N
    assert loaded.warnings == (), "\n".join(str(p) for p in loaded.warnings)


def test_every_outcome_rationing_type_and_rank_occurs(portal):
    outcomes = {x.outcome.decision for x in portal.measures if x.outcome}
    assert outcomes == set(m.OutcomeKind)
    rationing = {x.outcome.rationing_type for x in portal.measures
                 if x.outcome and x.outcome.decision is m.OutcomeKind.rationed}
    assert rationing == set(m.RationingType)
    assert {x.rank for x in portal.measures} == set(range(1, 11))


def test_demo_has_the_parts_a_real_portal_has(portal):
    assert len(portal.criteria_sets) == 2
    v2 = max(portal.criteria_sets, key=lambda c: c.version)
    assert v2.change_note and v2.previous
    assert len(portal.rounds) >= 2 and len({r.year for r in portal.rounds}) == len(portal.rounds)
    assert len({x.sector for x in portal.measures}) >= 4
    assert len({x.service_area for x in portal.measures}) >= 8
    sources = {i.source for x in portal.measures for i in x.inputs}
    assert {s for s in m.InputSource if s.is_statutory_council} <= sources
    assert any(x.costs for x in portal.measures)
    assert any(x.previous for x in portal.measures), "no measure returns from an earlier round"
    assert any(x.follow_up.results for x in portal.measures)
    assert any(x.follow_up.evaluation for x in portal.measures)
    assert {p.slug for p in portal.pages} >= {""}
    assert len(portal.pages) >= 2
    # plain, varied texts: summaries are short and not all the same
    assert all(len(x.summary) < 400 for x in portal.measures)
    assert len({x.summary for x in portal.measures}) > N // 2
    assert len({x.situation.current_state for x in portal.measures}) > N // 2


def test_measure_files_are_grouped_by_year(demo, portal):
    years = {r.id: r.year for r in portal.rounds}
    for x in portal.measures:
        assert (demo / "decisions" / "measures" / str(years[x.round]) / f"{x.id}.yml").is_file()


@pytest.mark.parametrize("n", [1, 2, 11])
def test_small_demo_portals_are_valid(tmp_path, n):
    out = write_demo_portal(tmp_path / "p", n)
    assert main(["-f", str(out / "mkdocs.yml"), "validate"]) == 0


def test_a_demo_portal_builds(tmp_path):
    out = write_demo_portal(tmp_path / "p", 20)
    assert main(["-f", str(out / "mkdocs.yml"), "build", "--site-dir", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()


# --- Deterministic --------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(demo, tmp_path):
    again = write_demo_portal(tmp_path / "again", N)
    assert tree(again) == tree(demo)


def test_another_seed_gives_another_portal(demo, tmp_path):
    other = tree(write_demo_portal(tmp_path / "other", N, seed=2))
    first = tree(demo)
    assert other != first
    assert other["mkdocs.yml"] == first["mkdocs.yml"]


def test_rewriting_a_demo_folder_leaves_no_stale_files(tmp_path):
    out = write_demo_portal(tmp_path / "p", 40)
    write_demo_portal(out, 15)
    assert tree(out) == tree(write_demo_portal(tmp_path / "fresh", 15))


def test_a_folder_that_is_not_a_demo_is_never_overwritten(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["demo", "--measures", "5", "--out", str(folder)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_number_of_measures_must_be_positive(tmp_path):
    with pytest.raises(UsageError):
        write_demo_portal(tmp_path / "p", 0)
    assert not (tmp_path / "p").exists()


# --- The YAML says what the generator meant ---------------------------------------------------


def test_every_decision_file_reads_back_as_its_data(demo):
    for rel, data in iter_documents(N):
        if isinstance(data, str):
            assert (demo / rel).read_text(encoding="utf-8") == data
            continue
        result = load_yaml(demo / rel, rel)
        assert result.problems == [], rel
        assert result.document.data == without_defaults(data), rel


@pytest.mark.parametrize("text", [
    "no", "yes", "On", "null", "~", "true", "12:30", "1_000", "0x1F", "1e3", "2026-01-01", "1. halvår 2026",
    "- dash", "# hash", "key: value", "ends with colon:", "a # b", "quote \"inside\"", "'single'", "back\\slash",
    "Æøå – en tankestrek", "[liste]", "{kart}", "&anker", "*alias", "!tag", "%prosent", "@at", "`tick`",
    "line one\nline two", "para\n\n- item\n- item", "  leading", "trailing  ", "ends with newline\n",
    "tab\tinside", "x" * 200, ("ord " * 60).strip(), "lang tekst: med kolon " * 10, "sep\u2028line",
    "nel\x85char", "bom\ufeff", "del\x7f", "",
])
def test_the_emitter_round_trips_awkward_text(text):
    data = {"value": text, "items": [text, {"nested": text}]}
    written = to_yaml(data)
    assert yaml.load(written, Loader=_PortalLoader) == data  # YAML 1.2 core, as the portal reads it
    assert yaml.safe_load(written) == data  # YAML 1.1, as other tools read it


def test_the_emitter_writes_numbers_and_booleans_as_themselves():
    data = {"i": 1200000, "neg": -5, "f": 12.5, "small": 0.05, "t": True, "f2": False}
    assert yaml.load(to_yaml(data), Loader=_PortalLoader) == data


# --- Command line ---------------------------------------------------------------------------


def test_demo_command(tmp_path):
    out = tmp_path / "cli"
    done = subprocess.run([sys.executable, "-m", "prioportal", "demo", "--measures", "25", "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "25 measures" in done.stdout
    assert (out / "mkdocs.yml").is_file() and (out / "content" / "index.md").is_file()
    assert len(list((out / "decisions" / "criteria").glob("*.yml"))) == 2
    assert len(list((out / "decisions" / "rounds").glob("*.yml"))) >= 2
    assert len(list((out / "decisions" / "measures").rglob("*.yml"))) == 25
