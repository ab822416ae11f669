"""The decision files of a portal: listing them (quickly again after a save), reading and
checking each on its own, keeping what each gave between loads, and putting what they gave
together by kind and id. The checks across files, and the portal made of them, are `portal`'s."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Protocol

from prioportal.model import decisions as m
from prioportal.sources.yaml_files import Document, load_yaml
from prioportal.system.cores import parallel_map
from prioportal.problems import InvalidPortal, Problem, T, display_path
from prioportal.checks.documents import parse_document
from prioportal.checks.portal_wide import language_problems, per_language_texts, personal_data_in_file, readability_warnings

if TYPE_CHECKING:
    from prioportal.checks.since_last import Checks
    from prioportal.settings import Settings

KIND_FOLDERS = tuple(m.KIND_MODELS)  # criteria/, rounds/, measures/


def find_decision_files(decisions_dir: Path) -> dict[str, list[Path]]:
    """Files per kind, by the folder they are in; sorted so output does not depend on the file system."""
    return {kind: [found.path for found in files] for kind, files in _decision_files(decisions_dir).items()}


class Found:
    """A decision file in the listing. Its Path is made when first asked for: making ten
    thousand of them from their names costs a tenth of a second or more, and a validate after
    one edit needs only a few."""

    __slots__ = ("name", "link", "stamp", "_path")

    def __init__(self, name: str, link: bool, stamp: tuple[int, int], path: Path | None = None):
        self.name = name  # the path as a string, as the listing gives it
        self.link = link  # a symbolic link, to be followed before trusting that the file is in the portal
        self.stamp = stamp  # modification time (ns) and size, to tell whether it changed
        self._path = path

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.name)
        return self._path


# A file or folder changed this shortly before it was listed may change again within the same
# tick of the file system's clock, leaving its time stamp as it was ("racily clean", as git
# says): it is looked at again next time, by the preview's listing and by `prioportal validate`.
RACY_NS = 2_000_000_000


class ListedFolder:
    """What a listing found in one folder, for the next listing: the folder's stamp, whether it
    had settled, and its entries in name order (a subfolder's path, or a Found)."""

    __slots__ = ("stamp", "settled", "entries")

    def __init__(self, stamp: tuple[int, int], settled: bool, entries: list[str | Found]):
        self.stamp, self.settled, self.entries = stamp, settled, entries


def _decision_files(decisions_dir: Path, folders: dict[str, ListedFolder] | None = None) -> dict[str, list[Found]]:
    """The files of each kind, in the order of their paths' parts. With `folders` (what the last
    listing found, by folder, as a preview keeps it; updated to this listing), a folder whose
    stamp is the one a settled listing saw has the same entries: it is not read again, only
    its files' stamps are, and a file whose stamp is unchanged is the very same Found. At
    10 000 files that halves the time a listing takes."""
    found: dict[str, list[Found]] = {kind: [] for kind in KIND_FOLDERS}
    listed: dict[str, ListedFolder] = {}
    now = time.time_ns()
    for kind in KIND_FOLDERS:
        folder = decisions_dir / kind
        if folder.is_dir():
            _yaml_files(str(folder), folders or {}, listed, now, found[kind])
    if folders is not None:
        folders.clear()
        folders.update(listed)
    return found


def _yaml_files(folder: str, last: Mapping[str, ListedFolder], listed: dict[str, ListedFolder], now: int,
                into: list[Found]) -> None:
    """The YAML files below `folder`, as `rglob` finds them (links to folders are not entered),
    from the folder listings: at 10 000 files, asking about each file again costs seconds.
    Each folder's entries are taken in the order of their names, so the files come in the
    order of their paths' parts."""
    stat = os.stat(folder)
    stamp = (stat.st_mtime_ns, stat.st_ino)
    kept = last.get(folder)
    entries = _stamped_again(kept.entries) if kept is not None and kept.settled and kept.stamp == stamp else None
    if entries is None:
        entries = _scanned(folder, kept)
    listed[folder] = ListedFolder(stamp, now - stamp[0] >= RACY_NS, entries)
    for entry in entries:
        if isinstance(entry, str):
            _yaml_files(entry, last, listed, now, into)
        else:
            into.append(entry)


def _scanned(folder: str, kept: ListedFolder | None) -> list[str | Found]:
    # The Paths of files listed before are used again: making ten thousand costs a tenth of a second.
    known = {e.name: e._path for e in kept.entries if isinstance(e, Found)} if kept is not None else {}
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda e: e.name)
    entries: list[str | Found] = []
    for entry in found:
        if entry.is_dir(follow_symlinks=False):
            entries.append(entry.path)
        elif entry.name.endswith((".yml", ".yaml")) and entry.is_file():
            stat = entry.stat()
            entries.append(Found(entry.path, entry.is_symlink(), (stat.st_mtime_ns, stat.st_size), known.get(entry.path)))
    return entries


def _stamped_again(entries: list[str | Found]) -> list[str | Found] | None:
    """The entries of a folder known to hold the same names, with each file's stamp taken
    again; None when one is no longer a file (a link whose target went), to list it anew."""
    fresh: list[str | Found] = []
    for entry in entries:
        if isinstance(entry, Found):
            try:
                stat = os.stat(entry.name)
            except OSError:
                return None
            if not S_ISREG(stat.st_mode):
                return None
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp != entry.stamp:
                entry = Found(entry.name, entry.link, stamp, entry._path)
        fresh.append(entry)
    return fresh


@dataclass(frozen=True)
class FileRead:
    """All that one decision file gives, on its own: what later checks compare across files."""

    problems: tuple[Problem, ...]
    document: Document | None
    obj: m.Strict | None  # None when it cannot be read into its model; with stand-ins where it has errors (`parse_document`)
    ident: str  # the id, or the file name where no id could be read
    translated: bool  # whether the file gives any text per language

    @property
    def valid(self) -> bool:
        return self.obj is not None

    @property
    def shown_as(self) -> str:
        return self.document.shown_as if self.document is not None else ""


def read_decision_file(path: Path, kind: str, settings: Settings) -> FileRead:
    """The file read and checked on its own, with the settings that say how (its portal's
    folder, languages, readability limit and personal-data rules)."""
    result = load_yaml(path, display_path(path, settings.root))
    if result.document is None:
        return FileRead(tuple(result.problems), None, None, path.stem, False)
    doc = result.document
    problems = result.problems + personal_data_in_file(doc, settings.personal_data)
    texts = per_language_texts(doc)
    problems += language_problems(doc, texts, settings.languages)
    obj, found = parse_document(doc, kind)
    problems += found
    # Later steps need the text (for positions), never the parsed data again: the data of ten
    # thousand files is a quarter of what a build holds.
    kept = doc.without_data()
    if obj is None:
        ident = doc.data.get("id")
        return FileRead(tuple(problems), kept, None, ident if isinstance(ident, str) else path.stem, bool(texts))
    if isinstance(obj, m.Measure):
        problems += readability_warnings([(obj, doc)], settings.readability_limit, settings.easy_read_limit)
    return FileRead(tuple(problems), kept, obj, obj.id, bool(texts))


class KeptReads(Protocol):
    """What each file gave when it was last read, as a load's warm path keeps it: in memory
    (`FileCache`, the preview's) or on disk (`prioportal validate`'s, see `revalidate`)."""

    def kept(self, name: str, kind: str, stamp: tuple[int, int]) -> object | None:
        """What the file gave, if it need not be read again."""

    def keep(self, name: str, kind: str, stamp: tuple[int, int], read: object) -> None:
        """What the file gave now, for the next load."""


def read_files(wanted: list[tuple[str, Found]], load: Callable[[str, Found], FileRead],
               cache: KeptReads | None) -> dict[tuple[str, str], FileRead]:
    """Each wanted file read with `load`, on every core (parsing and validating is most of the
    time it takes to load a portal), except those the cache still holds."""
    reads: dict[tuple[str, str], FileRead] = {}
    todo = []
    for kind, found in wanted:
        kept = cache.kept(found.name, kind, found.stamp) if cache is not None else None
        if kept is None:
            todo.append((kind, found))
        else:
            reads[(kind, found.name)] = kept
    fresh = parallel_map(lambda i: load(*todo[i]), range(len(todo)), chunk_size=64)
    for (kind, found), read in zip(todo, fresh):
        reads[(kind, found.name)] = read
        if cache is not None:
            cache.keep(found.name, kind, found.stamp, read)
    return reads


class FileCache:
    """What each decision file gave when it was last read, for a preview that reads again after
    every save: a file whose size and modification time are unchanged is not read again (and one
    the preview was told has changed always is). The objects kept are the very ones returned
    before, so later steps can tell unchanged parts by identity. Valid for one set of settings."""

    def __init__(self) -> None:
        # By the path as the listing gives it (`Found.name`): making and hashing ten thousand
        # Paths after every save costs more than the rest of what a save of one file needs.
        self._reads: dict[tuple[str, str], tuple[tuple[int, int], FileRead]] = {}
        self.folders: dict[str, ListedFolder] = {}  # what the last listing found in each folder
        self.checked: Checks | None = None  # the last load's checks across files (see `since_last`)

    def kept(self, name: str, kind: str, stamp: tuple[int, int]) -> FileRead | None:
        """What the file gave when last read, if its `stamp` is unchanged since. (The stamp is
        taken before the file is read, so a save during the read is noticed next time.)"""
        kept = self._reads.get((name, kind))
        return kept[1] if kept is not None and kept[0] == stamp else None

    def keep(self, name: str, kind: str, stamp: tuple[int, int], read: FileRead) -> None:
        self._reads[(name, kind)] = (stamp, read)

    def forget(self, paths) -> None:
        """Files (or folders of files) known to have changed, whatever their time stamps say:
        those are coarser than a quick second save."""
        changed = {str(p) for p in paths}
        if not changed:
            return
        for name in changed:
            for kind in KIND_FOLDERS:
                self._reads.pop((name, kind), None)
        # Only a folder (one now, or one the last listing went into) has files read below it, so
        # a save of one file need not look at every other file read (1-2 ms at ten thousand).
        folders = tuple(p.rstrip(os.sep) + os.sep for p in changed if p.rstrip(os.sep) in self.folders or os.path.isdir(p))
        if folders:
            for key in [key for key in self._reads if key[0].startswith(folders)]:
                del self._reads[key]
        # A file created, removed or renamed: its folder is listed again, whatever its stamp says.
        for name in changed:
            for folder in (name.rstrip(os.sep), os.path.dirname(name.rstrip(os.sep))):
                self.folders.pop(folder, None)


@dataclass(frozen=True)
class Listing:
    """The decision files of a portal, and what is wrong with where some of them are."""

    problems: list[Problem]  # files outside a kind's folder, links to places outside the portal
    wanted: list[tuple[str, Found]]  # (kind, file) of every file to read, in the order of their paths


def list_decision_files(root: Path, decisions_dir: Path, folders: dict[str, ListedFolder] | None = None) -> Listing:
    """Every decision file to read; `folders` as for `_decision_files`. Raises InvalidPortal
    when there is no decisions folder."""
    try:
        usable = decisions_dir.is_dir()
    except OSError:  # e.g. a name longer than the file system allows
        usable = False
    if not usable:
        raise InvalidPortal([Problem(display_path(decisions_dir, root), 1, 1, T("the decisions folder does not exist"),
                                     T("create it with the subfolders criteria/, rounds/ and measures/"))])
    problems = [Problem(display_path(path, root), 1, 1, T("this file is not in a folder for its kind"),
                        T("move it into decisions/criteria/, decisions/rounds/ or decisions/measures/"))
                for path in sorted(p for p in decisions_dir.iterdir() if p.suffix in (".yml", ".yaml"))]
    inside = decisions_dir.resolve()
    found = _decision_files(decisions_dir, folders)
    # The listing enters no linked folder, so a file that is not a link lies where its kind's
    # folder really is: only links, and the kind folders themselves, need resolving.
    kind_inside = {kind: (decisions_dir / kind).resolve().is_relative_to(inside) for kind in found}
    wanted = []
    for kind, files in found.items():
        for f in files:
            if f.path.resolve().is_relative_to(inside) if f.link else kind_inside[kind]:
                wanted.append((kind, f))
            else:
                problems.append(Problem(display_path(f.path, root), 1, 1, T("this file is a link to a place outside the portal"),
                                        T("copy the file into the decisions folder instead of linking to it")))
    return Listing(problems, wanted)


@dataclass(frozen=True)
class Collected:
    """The files read, by kind and id, with the problems of each file and of their ids."""

    problems: list[Problem]
    by_id: dict[str, dict]  # kind -> id -> what the first file with that id gave (a FileRead or alike)
    broken: dict[str, set[str]]  # kind -> ids (or file names) of files that could not be read
    translated: bool  # whether any file gives text per language


def collect(wanted: list[tuple[str, Found]], reads: Mapping[tuple[str, str], FileRead]) -> Collected:
    """What each file gave, put together; a second file with an id already used is a problem.
    A read needs `problems`, `valid`, `ident`, `translated` and `shown_as`; its `document` is
    asked for only to place a problem about its id."""
    problems: list[Problem] = []
    by_id: dict[str, dict] = {kind: {} for kind in KIND_FOLDERS}
    broken: dict[str, set[str]] = {kind: set() for kind in KIND_FOLDERS}
    translated = False
    for kind, f in wanted:
        read = reads[(kind, f.name)]
        problems += read.problems
        translated = translated or read.translated
        if not read.valid:
            broken[kind].add(read.ident)
        elif read.ident in by_id[kind]:
            first = by_id[kind][read.ident].shown_as
            problems.append(read.document.problem(("id",), T("the id '{id}' is already used by {file}", id=read.ident,
                                                              file=first),
                                                  T("give each file its own id")))
        else:
            by_id[kind][read.ident] = read
    return Collected(problems, by_id, broken, translated)


