"""Personal data in the git history that pages and feeds publish: commit messages (on every
page's history, "2025-03-01 – <subject>", where `history.show_commit_messages` publishes them)
and the values of earlier versions (the changes listed there and in the feeds: "removed <the
old text>").

The build refuses personal data in the files as they are now, but the history cannot be mended
by editing a file: an earlier version keeps what it said, and a commit message cannot be changed
without rewriting the repository's history for everyone. So what the rules find there is masked
rather than refused: it is replaced by `HIDDEN`, and the history pages and the feeds show the
portal's word for it ("[skjult]", "[hidden]"; `site.change_lines.ChangeDescriber.shown`). A
value listed under `personal_data_allowed` in the file as it is now is not masked.

    allowed = allowed_by_file(portal)
    history = without_personal_data(read_history(root, paths), settings.personal_data, allowed)
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping

from prioportal.analyses.changes import Change
from prioportal.checks.personal_data import ScanRules, is_allowed, scan_data, scan_text
from prioportal.sources.git_history import Commit, FileChange, FileHistory, History, Unavailable

if TYPE_CHECKING:
    from prioportal.model.portal import Portal

# What stands where personal data was: readable as it is in a feed, which has no catalogue to
# word it with, and replaced on the history pages by the portal's word for "hidden".
HIDDEN = "[***]"


def allowed_by_file(portal: Portal | None) -> dict[str, tuple[str, ...]]:
    """Each published file's `personal_data_allowed`, as the file is now."""
    if portal is None:
        return {}
    written = getattr(portal, "as_written", None) or portal
    found: dict[str, tuple[str, ...]] = {}
    for kind, objects in (("criteria", written.criteria_sets), ("rounds", written.rounds),
                          ("measures", written.measures)):
        for obj in objects:
            path = portal.sources.get(f"{kind}:{obj.id}")
            if path is not None and obj.personal_data_allowed:
                found[path] = tuple(obj.personal_data_allowed)
    for page in portal.pages:
        for version in (page,) + page.translations:
            if version.personal_data_allowed:
                found[version.source] = tuple(version.personal_data_allowed)
    return found


def masked_text(text: str, rules: ScanRules, allowed: tuple[str, ...] = ()) -> str:
    """`text` with each piece of personal data the rules find replaced by HIDDEN."""
    findings = [f for f in scan_text(text, rules) if not is_allowed(f, allowed)]
    for finding in reversed(findings):  # from the end, so the earlier offsets stay right
        text = text[:finding.start] + HIDDEN + text[finding.end:]
    return text


def masked_value(value: Any, rules: ScanRules, allowed: tuple[str, ...] = ()) -> Any:
    """A value of a file (a text, a number, a list or mapping of them) with the personal data in
    it masked; the very same object where there is none."""
    if isinstance(value, str):
        masked = masked_text(value, rules, allowed)
        return value if masked == value else masked
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        # An identity number written without quotes is read as a number: all of it is hidden.
        return HIDDEN if any(not is_allowed(f, allowed) for _, f in scan_data(value, rules)) else value
    if isinstance(value, dict):
        items = {key: masked_value(item, rules, allowed) for key, item in value.items()}
        return value if all(items[key] is item for key, item in value.items()) else items
    if isinstance(value, (list, tuple)):
        masked_items = [masked_value(item, rules, allowed) for item in value]
        return value if all(a is b for a, b in zip(masked_items, value)) else type(value)(masked_items)
    return value


def _masked_change(change: Change, rules: ScanRules, allowed: tuple[str, ...]) -> Change:
    old, new = masked_value(change.old, rules, allowed), masked_value(change.new, rules, allowed)
    return change if old is change.old and new is change.new else replace(change, old=old, new=new)


def without_personal_data(history: History | Unavailable, rules: ScanRules,
                          allowed_in: Mapping[str, tuple[str, ...]] | None = None) -> History | Unavailable:
    """The history with the personal data in its commit messages and in the values of its
    changes masked; the very same objects wherever there is none (the preview compares them by
    identity), and the very same history when there is none at all."""
    if not isinstance(history, History):
        return history
    allowed_in = allowed_in or {}
    commits: dict[str, Commit] = {}

    def commit(c: Commit) -> Commit:
        if c.hash not in commits:
            subject = masked_text(c.subject, rules)
            commits[c.hash] = c if subject == c.subject else replace(c, subject=subject)
        return commits[c.hash]

    files: dict[str, FileHistory] = {}
    changed = False
    for path, fh in history.files.items():
        allowed = allowed_in.get(path, ())
        versions = []
        for version in fh.versions:
            changes = version.changes
            if changes:
                masked = tuple(_masked_change(c, rules, allowed) for c in changes)
                if any(a is not b for a, b in zip(masked, changes)):
                    changes = masked
            new_commit = commit(version.commit)
            if changes is not version.changes or new_commit is not version.commit:
                version = FileChange(new_commit, version.status, changes, version.note)
            versions.append(version)
        if any(a is not b for a, b in zip(versions, fh.versions)):
            fh = FileHistory(fh.path, tuple(versions), fh.complete)
            changed = True
        files[path] = fh
    return History(files, history.partial) if changed else history
