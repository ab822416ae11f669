"""Messages from `prioportal validate` that say what the communicator most likely meant: a level
written as its label or a near miss, an amount granted above the cost, a value quoted as it was
written, and two measures of a round with the same title; and the README's sample output, which
is what `prioportal validate` prints for the bundled example with the mistakes it describes, in
English, in the example's own language (bokmål) and in Swedish.

Each test writes the valid portal from `portal_factory` with one change and checks the line
`prioportal validate` prints for it: file, line and column (from the test's own text), message
and advice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal_factory import MEASURE_FUNDED, PORTAL_FILES, patched, position, write_portal
from prioportal.checks.files import FileCache
from prioportal.checks.portal import load_portal
from prioportal.cli import main
from prioportal.settings import load_settings


def validate(root, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["-f", str(root / "mkdocs.yml"), "validate", *extra])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def line_for(lines: list[str], prefix: str) -> str:
    found = [line for line in lines if line.startswith(prefix)]
    assert len(found) == 1, f"expected one line starting {prefix!r}, got:\n" + "\n".join(lines)
    return found[0]


def test_level_written_as_its_label_or_a_near_miss_gets_the_id_meant(tmp_path, capsys):
    text = patched(MEASURE_FUNDED, "level: svaert-stor", "level: Svært  STOR")
    text = text.replace("level: hoey", "level: hoy")
    root = write_portal(tmp_path, {MEASURE_FUNDED: text})
    code, lines = validate(root, capsys)
    assert code != 0
    line, column = position(text, "Svært  STOR")
    label = line_for(lines, f"{MEASURE_FUNDED}:{line}:{column}: ")
    assert label.endswith("'Svært  STOR' is not a level on the scale of 'nytte' — did you mean 'svaert-stor'? "
                          "use one of: svaert-stor, stor, moderat, liten, ingen"), label
    line, column = position(text, "hoy")
    near = line_for(lines, f"{MEASURE_FUNDED}:{line}:{column}: ")
    assert near.endswith("'hoy' is not a level on the scale of 'ressurs' — did you mean 'hoey'? "
                         "use one of: lav, moderat, hoey"), near
    assert not any("is not a valid id" in line for line in lines), lines


def test_granted_above_the_year_1_cost_is_an_error_at_granted(tmp_path, capsys):
    text = patched(MEASURE_FUNDED, "  decision: funded\n", "  decision: funded\n  granted: 1 500 000\n")
    root = write_portal(tmp_path, {MEASURE_FUNDED: text})
    code, lines = validate(root, capsys)
    assert code != 0
    line, column = position(text, "1 500 000")
    found = line_for(lines, f"{MEASURE_FUNDED}:{line}:{column}: ")
    assert found.endswith("granted 1 500 000 is more than the measure costs in year 1 — granted is the money "
                          "given in year 1; it cannot exceed the year-1 cost of 1 200 000 kr — check the amount "
                          "or the costs"), found


def test_an_amount_is_quoted_as_written_not_as_yaml_read_it(tmp_path, capsys):
    text = patched(MEASURE_FUNDED, "year_1: 1 200 000", "year_1: 300.000")
    root = write_portal(tmp_path, {MEASURE_FUNDED: text})
    code, lines = validate(root, capsys)
    assert code != 0
    line, column = position(text, "300.000")
    found = line_for(lines, f"{MEASURE_FUNDED}:{line}:{column}: ")
    assert found.endswith(": 300.000 is not an amount — write the amount in whole kroner with digits only, "
                          "e.g. 1200000 or \"1 200 000\""), found
    assert "300.0'" not in found and "300.0 " not in found


def test_two_measures_of_a_round_with_the_same_title_are_a_warning_naming_the_first(tmp_path, capsys):
    copy = "decisions/measures/budsjett-2025/styrket-hjemmetjeneste-kopi.yml"
    text = PORTAL_FILES[MEASURE_FUNDED].replace("id: styrket-hjemmetjeneste-2025", "id: styrket-hjemmetjeneste-kopi")
    text = text.replace("title: Styrket hjemmetjeneste", "title: styrket   Hjemmetjeneste ")
    root = write_portal(tmp_path, {copy: text})
    line, column = position(text, "styrket   Hjemmetjeneste")
    expected = (f"{copy}:{line}:{column}: warning: another measure of the round 'budsjett-2025' has this title: "
                f"{MEASURE_FUNDED} — give each measure its own title, or delete the copy")
    # Read afresh, then from what the first run kept: the same line both times.
    for extra in (("--no-cache",), (), ()):
        code, lines = validate(root, capsys, *extra)
        assert code == 0, lines
        assert expected in lines, "\n".join(lines)
        assert not any(line.startswith(f"{MEASURE_FUNDED}:") and "title" in line for line in lines)
    # A preview's load keeps what it checked: it finds the same after the copy is given a new title.
    settings, cache = load_settings(root / "mkdocs.yml"), FileCache()
    assert expected in [str(p) for p in load_portal(settings, cache).warnings]
    (root / copy).write_text(text.replace("styrket   Hjemmetjeneste ", "Styrket hjemmetjeneste, nattevakt"),
                             encoding="utf-8")
    cache.forget([root / copy])  # as the preview does when told of a save
    assert not any("has this title" in str(p) for p in load_portal(settings, cache).warnings)
    assert cache.checked.changed == ("styrket-hjemmetjeneste-kopi",)  # checked again: that one only
    code, lines = validate(root, capsys)
    assert code == 0 and not any("has this title" in line for line in lines), lines


# --- The README's sample messages are real output ------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ("mkdocs.yml", "decisions", "content", "site_templates")


def broken_example(folder: Path) -> Path:
    """A copy of the bundled example (bokmål) with the mistakes the README's section "When
    validation finds a problem" describes: a misspelt field and a level near miss in one
    measure, an under-indented level in another, and a round naming a criteria version that
    does not exist."""
    folder.mkdir()
    for name in EXAMPLE_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)

    def change(relative: str, old: str, new: str) -> None:
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    change("decisions/measures/2026/dagaktivitet-demens.yml", "\nsummary: |", "\nsumary: |")
    change("decisions/measures/2026/dagaktivitet-demens.yml", "  ressurs:\n    level: moderat", "  ressurs:\n    level: hoey")
    change("decisions/measures/2026/frivillige-eldreomsorg.yml", "  nytte:\n    level: middels", "  nytte:\n  level: middels")
    change("decisions/rounds/budsjett-2025.yml", "criteria: kriterier-2025", "criteria: kriterier-2052")
    return folder


def readme_samples(language: str) -> list[str]:
    """The lines of the README's sample output in `language` (the block after the line that
    says so), without the command itself."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## When validation finds a problem\n", 1)[1]
    text = text.split("\n## ", 1)[0]
    block = text.split(f"<!-- sample output: {language} -->\n```\n", 1)[1].split("\n```", 1)[0]
    return [line for line in block.splitlines() if not line.startswith("$ ")]


@pytest.mark.parametrize(("language", "argv"), [("en", ["--language", "en"]), ("nb", []), ("sv", ["--language", "sv"])])
def test_the_readmes_sample_messages_are_what_validate_prints(tmp_path, capsys, no_language_in_environment,
                                                              language, argv):
    samples = readme_samples(language)
    assert len(samples) >= 5, samples
    root = broken_example(tmp_path / "example")
    code = main([*argv, "-f", str(root / "mkdocs.yml"), "validate", "--no-cache"])
    captured = capsys.readouterr()
    assert code == 1
    printed = (captured.out + captured.err).splitlines()
    assert [line for line in samples if line not in printed] == [], "\n".join(printed)
    assert printed == samples  # the README shows the whole output, in the order it is printed
