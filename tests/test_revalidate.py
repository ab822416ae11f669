"""`prioportal validate` keeps what it found between runs (generator/prioportal/build/revalidate.py). What it
reports after an edit must be exactly what reading and checking every file again reports."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from portal_factory import (CRITERIA_V2, MEASURE_FOLLOW_ON, MEASURE_FUNDED, MEASURE_INVESTMENT,
                            MKDOCS, PAGE_HOW, ROUND_2026, patch_file, write_portal)
from prioportal.cli import main
from prioportal.build.pipeline import load_from_settings
from prioportal.build import revalidate as revalidate_module
from prioportal.build.revalidate import revalidate
from prioportal.settings import load_settings


def _validate(capsys, root: Path, *flags: str) -> tuple[int, str, str]:
    code = main(["-f", str(root / MKDOCS), "validate", *flags])
    out, err = capsys.readouterr()
    return code, out, err


def _saved_a_while_ago(root: Path) -> Path:
    """The file, or the portal's files, as if saved a minute ago: files saved in the two seconds before a run
    are read again by the next run whatever their time stamps (see the racy-save test)."""
    then = time.time_ns() - 60_000_000_000
    for path in [root, *root.rglob("*")]:
        os.utime(path, ns=(then, then))
    return root


def _write(root: Path, relative: str, text: str) -> None:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_text(text, encoding="utf-8")


# Edits a communicator makes, each as a function of the portal folder. Several reach across
# files: the checks of one measure look at its round, its criteria and its previous version.
EDITS = {
    "a title": lambda root: patch_file(root, MEASURE_FUNDED, "title: Styrket hjemmetjeneste\n",
                                       "title: Styrket hjemmetjeneste for eldre\n"),
    # The 2026 measure explains a changed assessment against this one; after the edit nothing
    # changed, so its explanation is stale: a warning in another round than the file edited.
    "the previous version's assessment": lambda root: patch_file(root, MEASURE_FUNDED, "level: svaert-stor\n",
                                                                 "level: stor\n"),
    "a YAML error in a previous version": lambda root: patch_file(root, MEASURE_FUNDED, "title: Styrket hjemmetjeneste\n",
                                                                  "title: Styrket: hjemmetjeneste\n"),
    "a previous version deleted": lambda root: (root / MEASURE_FUNDED).unlink(),
    "a previous version renamed": lambda root: patch_file(root, MEASURE_FUNDED, "id: styrket-hjemmetjeneste-2025\n",
                                                          "id: styrket-hjemmetjenester-2025\n"),
    "an id used twice": lambda root: _write(root, "decisions/measures/budsjett-2026/kopi.yml",
                                            (root / MEASURE_INVESTMENT).read_text(encoding="utf-8")),
    "a new measure": lambda root: _write(root, "decisions/measures/budsjett-2026/ny.yml",
                                         (root / MEASURE_INVESTMENT).read_text(encoding="utf-8").replace(
                                             "id: gang-og-sykkelvei-2026", "id: ny-gang-og-sykkelvei-2026")),
    "a round's criteria version": lambda root: patch_file(root, ROUND_2026, "criteria: kriterier-2026\n",
                                                          "criteria: kriterier-2025\n"),
    "a criterion renamed": lambda root: patch_file(root, CRITERIA_V2, "- id: kostnadseffektivitet\n",
                                                   "- id: kostnadseffekt\n"),
    "a round that does not exist": lambda root: patch_file(root, MEASURE_FOLLOW_ON, "round: budsjett-2026\n",
                                                           "round: budsjett-2027\n"),
    "a former id that is live": lambda root: patch_file(root, MEASURE_FUNDED, "round: budsjett-2025\n",
                                                        "round: budsjett-2025\nformer_ids: [gang-og-sykkelvei-2026]\n"),
    "a phone number in a summary": lambda root: patch_file(
        root, MEASURE_FUNDED, "summary: Flere ansatte", "summary: Ring Kari på 912 34 567. Flere ansatte"),
    "an unexplained change": lambda root: patch_file(
        root, MEASURE_FOLLOW_ON, "review_notes:\n  assessment_changed: Ventetiden er kortere enn i 2025, så nytten av "
                                 "flere årsverk er mindre.\n", ""),
    "a page": lambda root: _write(root, PAGE_HOW, (root / PAGE_HOW).read_text(encoding="utf-8")
                                  + "\nRing Kari på 912 34 567.\n"),
    "a setting": lambda root: patch_file(root, MKDOCS, "      currency: NOK\n",
                                         "      currency: NOK\n      readability_limit: 20\n"),
}


def _in_two_languages(root: Path) -> Path:
    """The portal published in English too, with titles per language: the review's messages
    quote titles in the main language."""
    patch_file(root, MKDOCS, "      municipality:", "      languages: [en]\n      municipality:")
    patch_file(root, MEASURE_FOLLOW_ON, "title: Styrket hjemmetjeneste, videreføring\n",
               "title:\n  nb: Styrket hjemmetjeneste, videreføring\n  en: Stronger home care, continued\n")
    _write(root, "content/index.en.md", "---\ntitle: About\n---\nThis portal shows our priorities.\n")
    return root


@pytest.mark.parametrize("languages", ["nb", "nb+en"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_after_an_edit_validate_reports_what_reading_every_file_again_reports(edit, languages, tmp_path, capsys,
                                                                               monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    root = write_portal(tmp_path / "portal")
    if languages == "nb+en":
        _in_two_languages(root)
    first = _validate(capsys, root)
    assert first == _validate(capsys, root, "--no-cache")
    assert first[0] == 0

    EDITS[edit](root)
    again = _validate(capsys, root)
    from_scratch = _validate(capsys, root, "--no-cache")
    assert again == from_scratch
    # And so does a first run, which checks the rounds in other processes when there are many.
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(tmp_path / "empty"))
    monkeypatch.setattr(revalidate_module, "_MANY", 0)
    assert _validate(capsys, root) == from_scratch


def test_each_edit_is_seen_by_the_check(tmp_path, capsys, monkeypatch):
    """The edits above must change what validate says, or the comparison proves nothing."""
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    unchanged = _validate(capsys, write_portal(tmp_path / "valid"), "--no-cache")
    quiet = {"a title"}  # a valid edit that changes no message: nothing must appear that should not
    for i, (name, edit) in enumerate(EDITS.items()):
        root = write_portal(tmp_path / f"p{i}")
        edit(root)
        if name not in quiet:
            assert _validate(capsys, root, "--no-cache")[1:] != unchanged[1:], name


def test_only_changed_files_are_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    root = _saved_a_while_ago(write_portal(tmp_path / "portal"))
    settings = load_settings(root / MKDOCS)
    assert revalidate(settings).files_read == len(list((root / "decisions").rglob("*.yml")))
    assert revalidate(settings).files_read == 0
    patch_file(root, MEASURE_FUNDED, "level: svaert-stor\n", "level: stor\n")
    _saved_a_while_ago(root / MEASURE_FUNDED)
    assert revalidate(settings).files_read == 1
    # Its next version: the review compares it with the model kept from the edit before.
    patch_file(root, MEASURE_FOLLOW_ON, "title: Styrket hjemmetjeneste, videreføring\n",
               "title: Styrket hjemmetjeneste, videreført\n")
    _saved_a_while_ago(root / MEASURE_FOLLOW_ON)
    found = revalidate(settings)
    assert found.files_read == 1
    assert found.warnings == load_from_settings(settings).warnings != ()


def test_a_second_save_with_the_same_size_and_time_stamp_is_not_missed(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    root = write_portal(tmp_path / "portal")
    settings = load_settings(root / MKDOCS)
    assert revalidate(settings).warnings == ()
    target = root / MEASURE_FUNDED
    stamp = target.stat().st_mtime_ns
    # The same number of bytes, and the time stamp put back: only the content tells.
    patch_file(root, MEASURE_FUNDED, "summary: Flere ansatte", "summary: Ring 91234567")
    os.utime(target, ns=(stamp, stamp))
    from prioportal.problems import InvalidPortal
    with pytest.raises(InvalidPortal, match="phone number"):
        revalidate(settings)


def test_a_damaged_or_unwritable_cache_is_no_error(tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(cache))
    root = _saved_a_while_ago(write_portal(tmp_path / "portal"))
    expected = _validate(capsys, root, "--no-cache")
    assert _validate(capsys, root) == expected
    [index] = cache.glob("*.pickle")
    index.write_bytes(index.read_bytes()[:1000])  # cut short, as by a full disk
    assert _validate(capsys, root) == expected

    # The models kept for the round are needed again after an edit, and are gone.
    [models] = cache.glob("*.blobs")
    models.write_bytes(b"")
    patch_file(root, MEASURE_FUNDED, "level: svaert-stor\n", "level: stor\n")
    expected = _validate(capsys, root, "--no-cache")
    assert expected[0] == 0 and "no longer flags" in expected[1] + expected[2]
    assert _validate(capsys, root) == expected

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(blocked / "cache"))  # cannot be made, even by root
    assert _validate(capsys, root) == expected


def test_kept_results_others_could_have_written_are_not_used(tmp_path, monkeypatch):
    """PRIOPORTAL_CACHE_DIR may be a shared folder: a file another user could write is not
    unpickled (it could run any code)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("PRIOPORTAL_CACHE_DIR", str(cache))
    root = _saved_a_while_ago(write_portal(tmp_path / "portal"))
    settings = load_settings(root / MKDOCS)
    every = revalidate(settings).files_read
    assert revalidate(settings).files_read == 0
    [index] = cache.glob("*.pickle")
    index.chmod(0o666)
    assert revalidate(settings).files_read == every
    assert revalidate(settings).files_read == 0  # written anew, by this user alone
