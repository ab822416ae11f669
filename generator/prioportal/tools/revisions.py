"""`prioportal diff A B`: what A and B name, and the portal as it was at a git revision."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from prioportal.analyses.comparisons import compare_criteria, compare_portals, compare_rounds
from prioportal.checks.portal import load_portal
from prioportal.model.decisions import CriteriaSet
from prioportal.model.portal import Portal
from prioportal.problems import T, UsageError, display_path
from prioportal.settings import Settings


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True)


def is_revision(root: Path, ref: str) -> bool:
    if ref.startswith("-"):
        return False  # never let a reference be read as an option
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0
    except OSError:  # git is not installed
        return False


def portal_at(settings: Settings, ref: str) -> Portal:
    """The portal's decisions and pages as committed at `ref`, loaded into a temporary folder
    with the current settings (its languages, readability limit and personal-data rules):
    only the folders are the revision's, so a revision the current portal would accept loads."""
    prefix = _git(settings.root, "rev-parse", "--show-prefix").stdout.decode().strip()
    folders = [display_path(d, settings.root) for d in (settings.decisions_dir, settings.content_dir)]
    present = [f for f in folders if _git(settings.root, "cat-file", "-e", f"{ref}:{prefix}{f}").returncode == 0]
    with tempfile.TemporaryDirectory(prefix="prioportal-diff-") as tmp:
        root = Path(tmp)
        if present:
            archive = _git(settings.root, "archive", "--format=tar", f"{ref}:{prefix}" if prefix else ref, *present)
            if archive.returncode != 0:
                raise UsageError(T("the revision '{revision}' cannot be read: {reason}", revision=ref,
                                   reason=archive.stderr.decode().strip()))
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(root, filter="data")
        (root / folders[0]).mkdir(parents=True, exist_ok=True)
        return load_portal(replace(settings, root=root, decisions_dir=root / folders[0], content_dir=root / folders[1]))


def comparison(settings: Settings, current: Portal, a: str, b: str,
               language: str | None = None) -> tuple[Any, tuple[CriteriaSet, ...]]:
    """Compare two criteria versions, two rounds, or two git revisions of the whole portal; with
    the criteria versions whose words (criterion names, outcome labels) describe it: the current
    portal's, or both revisions'. Texts are in `language` where the portal publishes it."""
    def worded(portal: Portal) -> Portal:
        return portal.in_language(language) if language in portal.languages else portal

    current = worded(current)
    criteria = {c.id: c for c in current.criteria_sets}
    rounds = {r.id: r for r in current.rounds}
    if a in criteria and b in criteria:
        return compare_criteria(criteria[a], criteria[b]), current.criteria_sets
    if a in rounds and b in rounds:
        return (compare_rounds(rounds[a], current.measures_in(a), rounds[b], current.measures_in(b)),
                current.criteria_sets)
    unknown = [ref for ref in (a, b) if ref not in criteria and ref not in rounds and not is_revision(settings.root, ref)]
    if unknown:
        known = ", ".join(sorted(criteria) + sorted(rounds))
        raise UsageError(T("'{found}' is neither a criteria version, a round nor a git revision"
                           " — use two of: {known}, or two revisions such as HEAD~1 and HEAD", found=unknown[0],
                           known=known))
    if not (is_revision(settings.root, a) and is_revision(settings.root, b)):
        raise UsageError(T("'{a}' and '{b}' are not the same kind of thing"
                           " — compare two criteria versions, two rounds or two git revisions", a=a, b=b))
    old, new = worded(portal_at(settings, a)), worded(portal_at(settings, b))
    # The newer revision's words win where both have a criteria version of the same id.
    both = {c.id: c for c in (*old.criteria_sets, *new.criteria_sets)}
    return compare_portals(old, new, a, b), tuple(both.values())
