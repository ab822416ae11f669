"""A page's history for the reader: when it was first published, when it last changed, and what
changed in each commit since, in the reader's language (the lines come from `change_lines`).
Made from the git history of the decision file behind the page; a page without one says why.
Personal data in the history is masked before it comes here (`checks.published_history`); the
mark it leaves is shown as the portal's word for "hidden".

Commit messages are the words of whoever committed, often a developer writing in English
("Fuzzing fixes"), not the portal's: they reach the pages only when the settings say so
(`history: {show_commit_messages: true}` in mkdocs.yml); otherwise `without_commit_messages`
takes them out of the history before any page is made, and each version shows only its day
and what changed in each field."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from prioportal.site.change_lines import ChangeDescriber, ChangeLine
from prioportal.sources.git_history import Commit, FileChange, FileHistory, History, Unavailable


@dataclass(frozen=True)
class Version:
    day: date
    subject: str  # the commit message's first line; empty unless the settings publish it
    commit: str
    status: str  # added, modified, deleted, unknown
    lines: tuple[ChangeLine, ...]
    note: str | None


@dataclass(frozen=True)
class PageHistory:
    """When a page was first published and last changed, and what changed in each commit."""

    available: bool
    reason: str | None = None
    complete: bool = True
    first_published: date | None = None
    last_changed: date | None = None
    versions: tuple[Version, ...] = ()  # newest first, the first publication excluded


def without_commit_messages(history: History | Unavailable) -> History | Unavailable:
    """The history with every commit message left empty (the hash and date stay: they say when,
    and which version)."""
    if not isinstance(history, History):
        return history
    commits: dict[str, Commit] = {}

    def commit(c: Commit) -> Commit:
        if c.hash not in commits:
            commits[c.hash] = replace(c, subject="") if c.subject else c
        return commits[c.hash]

    files = {path: FileHistory(fh.path, tuple(FileChange(commit(v.commit), v.status, v.changes, v.note)
                                               for v in fh.versions), fh.complete)
             for path, fh in history.files.items()}
    return History(files, history.partial)


def _commit_day(iso: str) -> date:
    # The committer's own calendar day, so a page does not change with the build machine's time zone.
    return datetime.fromisoformat(iso).date()


def page_history(history: History | Unavailable | None, path: str | None, describe: ChangeDescriber) -> PageHistory:
    if history is None or path is None:
        return PageHistory(False)
    if isinstance(history, Unavailable):
        return PageHistory(False, history.reason)
    fh: FileHistory | None = history.files.get(path)
    if fh is None or not fh.versions:
        return PageHistory(False, None)
    versions = tuple(
        Version(_commit_day(v.commit.date), describe.shown(v.commit.subject), v.commit.hash[:10], v.status,
                tuple(describe.line(c) for c in (v.changes or ())), v.note)
        for v in fh.previous_versions)
    return PageHistory(
        available=True,
        complete=fh.complete,
        first_published=_commit_day(fh.first_published.date) if fh.first_published else None,
        last_changed=_commit_day(fh.last_changed.date) if fh.last_changed else None,
        versions=versions,
    )
