"""The history of each published file, read from git: when it was first published, when it last
changed, and what changed in each commit, field by field.

Everything comes from git's own data (committer dates, subjects, blobs); nothing reads the clock,
so the same repository gives the same history on every machine. Two processes do all the work,
however many files and commits there are: one `git log` pass over the requested paths, and one
`git cat-file --batch` for the file contents, each distinct version read once.

A tree without git, or without git installed, gives `Unavailable` (never an exception). A shallow
clone gives what it has, marked `partial`; a file whose oldest commit here is the clone's
boundary has `complete=False`: its first publication is older than what the clone holds. The
boundary commit shows every file as added, though it may not have touched it at all (a depth-1
clone of a commit that changed only the README), so its version of a file says nothing about
when the file was published or changed: `previous_versions` and `last_changed` leave it out,
and only the commits after it count as changes (`shallow_clone` tells a build to say so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Literal


from prioportal.analyses.changes import Change, diff
from prioportal.problems import Problem, Severity, T, display_path
from prioportal.sources.yaml_files import MAX_FILE_BYTES, YamlProblem, parse_yaml

GIT_TIMEOUT = 600  # seconds; a portal of 10 000 measures with years of history takes a few
NOT_READABLE = "file could not be read at this commit"
BEFORE_CLONE = "earlier versions are not in this clone"

# Variables that would point git at another repository than the one asked about.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                         "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX")
# Settings a user's configuration could otherwise change: file names as written (ø, not "\303\270"),
# and paths in diffs relative to the repository's top, which is what the log is parsed against.
_GIT_OPTIONS = ("-c", "core.quotepath=false", "-c", "diff.relative=false")
_NULL_OID = frozenset({"0" * 40, "0" * 64})

FileStatus = Literal["added", "modified", "deleted", "unknown"]


@dataclass(frozen=True)
class Commit:
    hash: str
    date: str  # committer date, ISO 8601 with the committer's offset, e.g. 2025-03-01T10:00:00+01:00
    timestamp: int  # committer date, Unix seconds
    subject: str  # first line of the commit message


@dataclass(frozen=True)
class FileChange:
    """What one commit did to one file.

    - added: the file appeared (no earlier version); `changes` is empty;
    - modified: `changes` lists the fields that differ (empty if only comments or layout changed);
    - deleted: the file was removed;
    - unknown: the commit is the boundary of a shallow clone, the earlier version is not here.
    `note` is set, and `changes` is None, when either version could not be read as YAML.
    """

    commit: Commit
    status: FileStatus
    changes: tuple[Change, ...] | None
    note: str | None = None


@dataclass(frozen=True)
class FileHistory:
    path: str  # as asked for, relative to repo_root
    versions: tuple[FileChange, ...]  # oldest first
    complete: bool  # False when older commits are cut off by a shallow clone

    @property
    def commits(self) -> tuple[Commit, ...]:
        return tuple(v.commit for v in self.versions)

    @property
    def first_published(self) -> Commit | None:
        """The first commit of the file, if the history here reaches back to it."""
        return self.versions[0].commit if self.versions and self.complete else None

    @property
    def earliest(self) -> Commit | None:
        """The oldest commit known here (the first publication when `complete`)."""
        return self.versions[0].commit if self.versions else None

    @property
    def known_versions(self) -> tuple[FileChange, ...]:
        """The versions whose commit is known to have made them, oldest first: all of them, but
        the boundary of a shallow clone (status "unknown"), which only holds the file as it was
        then, whenever it was published or last changed."""
        return self.versions if self.complete else self.versions[1:]

    @property
    def last_changed(self) -> Commit | None:
        """The last commit that changed the file; None when no commit in a shallow clone did
        (it was last changed at its boundary or before, on a day the clone does not hold)."""
        known = self.known_versions
        return known[-1].commit if known else None

    @property
    def previous_versions(self) -> tuple[FileChange, ...]:
        """Every change after the first publication, newest first, for a "previous versions" list;
        in a shallow clone, the changes after its boundary."""
        return tuple(reversed(self.versions[1:]))


@dataclass(frozen=True)
class History:
    files: dict[str, FileHistory]  # every requested path; a path never committed has no versions
    partial: bool  # a shallow clone: older commits are missing

    def file(self, path: str) -> FileHistory:
        return self.files[path]


@dataclass(frozen=True)
class Unavailable:
    """No history can be read; `reason` says why, in plain English."""

    reason: str

    def __bool__(self) -> bool:
        return False


class _GitError(Exception):
    pass


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_OPTIONAL_LOCKS"] = "0"  # reading history must not take the index lock of a running editor
    env["LC_ALL"] = "C"
    return env


def _git(repo_root: Path, args: list[str], input: bytes | None = None) -> bytes:
    if shutil.which("git") is None:
        raise _GitError("git is not installed")
    try:
        done = subprocess.run(["git", *_GIT_OPTIONS, *args], cwd=repo_root, input=input, capture_output=True,
                              env=_git_env(), timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise _GitError("git is not installed") from None
    except NotADirectoryError:
        raise _GitError(f"{repo_root} is not a folder") from None
    except subprocess.TimeoutExpired:
        raise _GitError(f"git took longer than {GIT_TIMEOUT} seconds") from None
    except OSError as exc:
        raise _GitError(f"git could not be run ({exc.strerror})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitError(_plain_reason(message[0] if message else f"git exited with {done.returncode}"))
    return done.stdout


def _plain_reason(message: str) -> str:
    text = message.removeprefix("fatal: ").strip()
    if "not a git repository" in text:
        return "the folder is not in a git repository"
    if "does not have any commits yet" in text or "bad default revision" in text:
        return "the git repository has no commits yet"
    if "dubious ownership" in text:
        return "git refuses to read the repository because it belongs to another user (see git's safe.directory)"
    return text


def _repository(repo_root: Path) -> tuple[str, bool, set[str]]:
    """The path prefix of repo_root inside the repository, whether it is shallow, and the
    shallow boundary commits."""
    out = _git(repo_root, ["rev-parse", "--is-shallow-repository", "--git-path", "shallow", "--show-prefix"])
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    shallow = lines[0].strip() == "true"
    shallow_file = lines[1] if len(lines) > 1 else ""
    prefix = lines[2] if len(lines) > 2 else ""
    boundary: set[str] = set()
    if shallow and shallow_file:
        try:
            boundary = set((repo_root / shallow_file).read_text(encoding="ascii").split())
        except (OSError, UnicodeDecodeError):
            boundary = set()
    return prefix, shallow, boundary


def _pathspecs(paths: list[str]) -> list[str]:
    """Few pathspecs for many files: a portal of 10 000 measures would not fit on a command line."""
    if len(paths) <= 100:
        return sorted(set(paths))
    folders = {str(PurePosixPath(p).parent) for p in paths}
    return sorted(folders)


@dataclass
class _Entry:
    commit: Commit
    parentless: bool
    old_oid: str
    new_oid: str
    status: str  # git's letter: A, M, D, T


def _parse_log(raw: bytes, prefix: str, wanted: set[str]) -> dict[str, list[_Entry]]:
    """`git log -z --raw` output, newest first, into entries per requested path."""
    found: dict[str, list[_Entry]] = {}
    for record in raw.split(b"\x1e")[1:]:
        header, _, rest = record.partition(b"\x00")
        fields = header.decode("utf-8", "replace").split("\x1f")
        if len(fields) < 5:
            continue
        hash_, parents, timestamp, date, subject = fields[:5]
        commit = Commit(hash_, date, int(timestamp), subject)
        parts = rest.lstrip(b"\n").split(b"\x00")
        i = 0
        while i + 1 < len(parts):
            meta, name = parts[i], parts[i + 1]
            i += 2
            if not meta.startswith(b":"):
                break
            info = meta[1:].decode("ascii", "replace").split()
            if len(info) < 5:
                continue
            path = name.decode("utf-8", "surrogateescape")
            if prefix:
                if not path.startswith(prefix):
                    continue
                path = path[len(prefix):]
            if path in wanted:
                found.setdefault(path, []).append(_Entry(commit, not parents.strip(), info[2], info[3], info[4][:1]))
    return found


def _read_blobs(repo_root: Path, oids: Iterable[str]) -> dict[str, bytes | None]:
    """The contents of each blob, in one `git cat-file --batch` process; None for a missing one."""
    wanted = sorted(set(oids))
    if not wanted:
        return {}
    out = _git(repo_root, ["cat-file", "--batch"], input="".join(f"{oid}\n" for oid in wanted).encode("ascii"))
    blobs: dict[str, bytes | None] = {}
    pos = 0
    for oid in wanted:
        end = out.find(b"\n", pos)
        if end < 0:
            blobs[oid] = None  # output cut short: read as missing, reported as unreadable
            continue
        header = out[pos:end].decode("ascii", "replace").split()
        pos = end + 1
        if len(header) == 3 and header[1] in ("blob", "commit", "tree", "tag"):
            size = int(header[2])
            blobs[oid] = out[pos:pos + size]
            pos += size + 1  # the contents are followed by a newline
        else:
            blobs[oid] = None  # "<oid> missing"
    return blobs


def parse_file(path: str, content: bytes | None) -> Any:
    """The data of one version of a file, for a field-level diff; raises ValueError when it
    cannot be read. YAML is read with the portal's loader (YAML 1.2 core, no aliases);
    Markdown pages give their front matter fields plus `text` for the body."""
    if content is None:
        raise ValueError("missing")
    if len(content) > MAX_FILE_BYTES:
        raise ValueError("too large")
    text = content.decode("utf-8-sig")
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in (".yml", ".yaml"):
        return _load_yaml(text)
    if suffix == ".md":
        from prioportal.sources.pages import _FRONT_MATTER  # content imports validate; kept local so this module stays light

        match = _FRONT_MATTER.match(text)
        data: dict[str, Any] = {}
        if match:
            front = _load_yaml(match.group(1) or "")
            if front is not None and not isinstance(front, dict):
                raise ValueError("front matter is not fields")
            data.update(front or {})
            text = text[match.end():]
        data["text"] = text
        return data
    return text


def _load_yaml(text: str) -> Any:
    try:
        return parse_yaml(text)
    except YamlProblem as problem:
        raise ValueError(problem.message) from None


def read_history(repo_root: Path, paths: list[str],
                 prepare: Callable[[str, Any], Any] | None = None) -> History | Unavailable:
    """The git history of each of `paths` (relative to repo_root, with forward slashes). With
    `prepare`, each version of a file is compared as `prepare(path, data)` gives it: what the
    portal publishes of it (`model.small_numbers.suppressing`), which is all its changes show."""
    repo_root = Path(repo_root)
    wanted = {PurePosixPath(p).as_posix() for p in paths}
    try:
        prefix, shallow, boundary = _repository(repo_root)
        if not wanted:
            return History({}, shallow)
        raw = _git(repo_root, [
            "--literal-pathspecs", "log", "-z", "--raw", "--no-abbrev", "--no-renames", "--root", "--no-color",
            "--no-show-signature", "--format=%x1e%H%x1f%P%x1f%ct%x1f%cI%x1f%s", "--", *_pathspecs(sorted(wanted)),
        ])
        entries = _parse_log(raw, prefix, wanted)
        oids = {oid for found in entries.values() for e in found for oid in (e.old_oid, e.new_oid)
                if oid not in _NULL_OID}
        blobs = _read_blobs(repo_root, oids)
    except _GitError as exc:
        return Unavailable(str(exc))

    parsed: dict[str, tuple[bool, Any]] = {}

    def data(path: str, oid: str) -> tuple[bool, Any]:
        key = f"{oid}\x00{PurePosixPath(path).suffix}"
        if key not in parsed:
            try:
                found = parse_file(path, blobs.get(oid))
                parsed[key] = (True, prepare(path, found) if prepare is not None else found)
            except (ValueError, UnicodeDecodeError):
                parsed[key] = (False, None)
        return parsed[key]

    files: dict[str, FileHistory] = {}
    for path in sorted(wanted):
        found = list(reversed(entries.get(path, [])))  # oldest first
        versions = []
        complete = True
        for n, entry in enumerate(found):
            versions.append(_file_change(path, entry, data))
            if n == 0 and entry.parentless and entry.commit.hash in boundary:
                complete = False
        if found and not complete:
            first = versions[0]
            versions[0] = FileChange(first.commit, "unknown", None, BEFORE_CLONE)
        files[path] = FileHistory(path, tuple(versions), complete)
    return History(files, shallow)


def _file_change(path: str, entry: _Entry, data) -> FileChange:
    old_missing = entry.old_oid in _NULL_OID
    new_missing = entry.new_oid in _NULL_OID
    if new_missing:
        return FileChange(entry.commit, "deleted", ())
    if old_missing:
        ok, _ = data(path, entry.new_oid)
        return FileChange(entry.commit, "added", () if ok else None, None if ok else NOT_READABLE)
    old_ok, old = data(path, entry.old_oid)
    new_ok, new = data(path, entry.new_oid)
    if not (old_ok and new_ok):
        return FileChange(entry.commit, "modified", None, NOT_READABLE)
    return FileChange(entry.commit, "modified", tuple(diff(old, new)))


def shallow_clone(repo_root: Path) -> str | None:
    """The git folder of repo_root's repository when it is a shallow clone (`git clone --depth`,
    the default checkout of most CI services), else None (also without git)."""
    try:
        out = _git(Path(repo_root), ["rev-parse", "--is-shallow-repository", "--absolute-git-dir"])
    except _GitError:
        return None
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    return lines[1] if lines[0].strip() == "true" and len(lines) > 1 else None


def shallow_clone_problems(repo_root: Path) -> tuple[Problem, ...]:
    """A warning when the portal is built from a shallow clone, whose cut-off history would
    otherwise go unnoticed until someone wonders why every page lost its dates."""
    git_dir = shallow_clone(repo_root)
    if git_dir is None:
        return ()
    marker = display_path(Path(git_dir) / "shallow", Path(repo_root).resolve())
    return (Problem(marker, 1, 1, T("the portal is built from a shallow clone of its repository: the history of "
                                    "changes on the pages and the entries of the feeds end at the clone's oldest "
                                    "commit"),
                    T("fetch the whole history with 'git fetch --unshallow' and build again; in CI, check out "
                      "with the whole history (GitHub Actions: 'fetch-depth: 0' on actions/checkout; GitLab: "
                      "GIT_DEPTH: 0)"), Severity.warning),)


def source_commit(repo_root: Path) -> str | None:
    """The commit the work tree is at (HEAD), or None without git or commits."""
    try:
        out = _git(Path(repo_root), ["rev-parse", "--verify", "--quiet", "HEAD"])
    except _GitError:
        return None
    text = out.decode("ascii", "replace").strip()
    return text or None


def uncommitted_changes(repo_root: Path, folders: tuple[str, ...] = ("decisions", "content")) -> bool | None:
    """Whether files under `folders` differ from HEAD (edited, added, deleted or untracked, not
    ignored); None when it cannot be told (no git)."""
    try:
        out = _git(Path(repo_root), ["--literal-pathspecs", "status", "--porcelain", "-z",
                                     "--untracked-files=all", "--", *folders])
    except _GitError:
        return None
    return bool(out.strip(b"\x00"))


__all__ = ["Commit", "FileChange", "FileHistory", "History", "Unavailable", "read_history", "parse_file",
           "shallow_clone", "shallow_clone_problems", "source_commit", "uncommitted_changes", "NOT_READABLE",
           "BEFORE_CLONE"]
