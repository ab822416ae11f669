"""One way in to loading a portal (`checks.portal.load_portal`, given the portal's settings whole):
every command loads with the same settings, so a portal valid for `validate` is valid for all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import git, publish_portal
from portal_factory import MEASURE_FOLLOW_ON, MEASURE_RATIONED, patch_file
from prioportal.checks.portal import in_language, load_portal
from prioportal.cli import main
from prioportal.settings import load_settings


@pytest.fixture
def multilingual_repo(portal_dir) -> Path:
    """The test portal published in nb and en, with an English title, committed twice: the
    second revision changes the rank of the measure with the English title."""
    config = portal_dir / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      municipality:", "      languages: [en]\n      municipality:", 1), encoding="utf-8")
    patch_file(portal_dir, MEASURE_RATIONED, "title: Praktisk bistand\n",
               "title:\n  nb: Praktisk bistand\n  en: Practical assistance\n")
    publish_portal(portal_dir, "Vedtak publisert", when="2025-12-15T10:00:00+01:00")
    patch_file(portal_dir, MEASURE_RATIONED, "rank: 4\n", "rank: 3\n")
    git(portal_dir, "commit", "-q", "-am", "Rang rettet", when="2026-01-20T09:30:00+01:00")
    return portal_dir


def test_diff_of_two_revisions_of_a_multilingual_portal(multilingual_repo, capsys):
    config = str(multilingual_repo / "mkdocs.yml")
    # The portal is valid as it is: the revisions must load with the very same settings.
    assert main(["-f", config, "validate"]) == 0
    capsys.readouterr()
    assert main(["-f", config, "diff", "HEAD~1", "HEAD", "--format", "json"]) == 0, capsys.readouterr().err
    measures = json.loads(capsys.readouterr().out)["measures"]
    assert measures["added"] == measures["removed"] == []
    assert [(x["id"], [(c["field"], c["old"], c["new"]) for c in x["changes"]]) for x in measures["changed"]] == [
        ("praktisk-bistand-2025", [("rank", 4, 3)])]


def test_a_revision_is_loaded_from_its_own_folder(multilingual_repo, capsys, no_language_in_environment):
    """The working tree's files do not leak into an old revision: an uncommitted edit is not
    part of HEAD, so HEAD against HEAD has no differences whatever the working tree holds."""
    patch_file(multilingual_repo, MEASURE_RATIONED, "rank: 3\n", "rank: 2\n")
    config = str(multilingual_repo / "mkdocs.yml")
    assert main(["-f", config, "diff", "HEAD~1", "HEAD", "--format", "json"]) == 0, capsys.readouterr().err
    changed = json.loads(capsys.readouterr().out)["measures"]["changed"]
    assert [(c["field"], c["old"], c["new"]) for x in changed for c in x["changes"]] == [("rank", 4, 3)]
    assert main(["-f", config, "diff", "HEAD", "HEAD"]) == 0
    assert "Ingen forskjeller" in capsys.readouterr().out  # in the portal's language (nb)


def test_each_language_copy_is_reviewed_by_the_loading_code_in_its_own_language(multilingual_repo):
    patch_file(multilingual_repo, MEASURE_FOLLOW_ON,
               "  assessment_changed: Ventetiden er kortere enn i 2025, så nytten av flere årsverk er mindre.\n",
               "  assessment_changed:\n    nb: Ventetiden er kortere enn i 2025.\n    en: Waiting times are shorter than in 2025.\n")
    portal = load_portal(load_settings(multilingual_repo / "mkdocs.yml"))

    def explanations(copy) -> set[str]:
        return {flag.explanation for flags in copy.review.values() for flag in flags if flag.explanation}

    assert portal.language == "nb" and explanations(portal) == {"Ventetiden er kortere enn i 2025."}
    assert portal.in_language("en").review == {}  # the model makes the copy and runs no review
    english = in_language(portal, "en")
    assert explanations(english) == {"Waiting times are shorter than in 2025."}
    assert in_language(portal, "nb") is portal
