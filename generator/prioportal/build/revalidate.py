"""`prioportal validate` again after an edit, reading and checking only what the edit touched.

Validating 10 000 measures from scratch takes seconds of parsing and checking, nearly all of it
the same as the last time. This module is a layer around the one load (`checks.portal`) that
decides what to read and check again; the reading and the checks are the load's own functions.
What each file gave (its problems, and its model and text, pickled) and what each round's checks
and review gave are kept on disk between runs (`cache_file`):

- a file whose size and modification time are unchanged is not read again, unless it was
  modified in the two seconds before the last run listed it (a second save within the time
  stamp's resolution could then go unnoticed: git calls such files "racily clean"). The files
  are listed and read by `checks.files`, as `load_portal` lists and reads them, and put together
  with the pages by `checks.portal.files_read`;
- what the files gave goes to `checks.portal.check_portal`, as in `load_portal`, with this
  module's `_KeptRounds` as the layer that says what holds from the last run: a round's checks
  across files and its review (`checks.rounds`) are kept while the fingerprint of what they
  read is the same (`_unit_key`: its measures, their previous versions, the criteria versions
  and rounds), and only for a round checked again are its measures' models unpickled;
- criteria versions, rounds, ids, former ids and the narrative pages are checked every time:
  they are few, or cheap to check from what is kept.

The models are appended to a file of their own, so that after one edit only a small index is
rewritten (`_save`). The result is the same as `load_portal`'s, problem for problem (the tests
compare them after many kinds of edit); where nothing can be kept, or what was kept is lost,
`load_portal` itself gives it. What is kept is valid for the settings the load reads
(`loading_settings`) and for this version of the code.

The cache is only ever read by the user who wrote it, in a folder of their own (`cache_dir`),
so unpickling it runs nothing that user did not write; a cache that cannot be read, or was
written by another version of prioportal or for other settings, is ignored and replaced.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pydantic

from prioportal.analyses.review import RoundToReview
from prioportal.build.runtime import no_cycle_collection, stage
from prioportal.checks.files import RACY_NS, FileRead, Found, list_decision_files, read_decision_file, read_files
from prioportal.checks.former_ids import former_id_problems, former_ids
from prioportal.checks.portal import FilesRead, KeptChecks, check_portal, files_read, load_portal, loading_settings
from prioportal.checks.rounds import Frame, RoundChecked, RoundReviewed, check_round, review_round
from prioportal.model import decisions as m
from prioportal.model.languages import localize
from prioportal.problems import Problem, Severity
from prioportal.settings import Settings, load_settings, with_settings_warnings
from prioportal.system.cores import parallel_map

_FORMAT = 4  # raised when what is kept changes shape, or what the checks find
_MANY = 2000  # measures to check again before the work is worth spreading over other processes


def cache_dir() -> Path | None:
    """Where kept results go: $PRIOPORTAL_CACHE_DIR, else the user's cache folder; None for a
    user without a home folder (nothing is kept then)."""
    if os.environ.get("PRIOPORTAL_CACHE_DIR"):
        return Path(os.environ["PRIOPORTAL_CACHE_DIR"])
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except (RuntimeError, KeyError):
        return None
    return Path(base) / "prioportal"


def cache_file(settings: Settings) -> Path | None:
    """The file for one portal: portals in different folders do not share one."""
    folder = cache_dir()
    where = f"{settings.root.resolve()}\0{settings.decisions_dir.resolve()}"
    return folder / f"validate-{hashlib.sha256(where.encode()).hexdigest()[:16]}.pickle" if folder else None


def _own(f: Any) -> bool:
    """Whether an open file is this user's and no one else can write it. Only then is it
    unpickled: PRIOPORTAL_CACHE_DIR may name a folder others can write into."""
    if not hasattr(os, "getuid"):
        return True
    st = os.fstat(f.fileno())
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


@dataclass
class Kept:
    """What one decision file gave, with enough beside it to check other files against it
    without unpickling its model (which `obj` and `document` do when first asked)."""

    stamp: tuple[int, int]  # modification time (ns) and size when it was read
    digest: bytes  # of its text
    problems: tuple[Problem, ...]
    ident: str
    valid: bool
    translated: bool
    shown_as: str
    round: str | None = None  # for a measure: its round, previous version and former ids
    previous: str | None = None
    former: tuple = ()
    # The pickled (model, document): the bytes until saved, then (file, offset, length).
    blob: bytes | tuple[str, int, int] | None = field(default=None, repr=False)

    @cached_property
    def _loaded(self) -> tuple[Any, Any]:
        if self.blob is None:
            return None, None
        try:
            loaded = pickle.loads(_blob_bytes(self.blob))
        except Exception as exc:  # noqa: BLE001 - removed or damaged meanwhile: see `revalidate`
            raise _Lost from exc
        if loaded[1].shown_as != self.shown_as:  # not this file's: never use another file's model
            raise _Lost(self.shown_as)
        return loaded

    @property
    def obj(self) -> Any:
        return self._loaded[0]

    @property
    def document(self) -> Any:
        return self._loaded[1]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_loaded", None)
        return state


def keep(read: FileRead, stamp: tuple[int, int], digest: bytes) -> Kept:
    """What to keep of a file read: the model is pickled here, in the process that read it."""
    obj = read.obj
    measure = isinstance(obj, m.Measure)
    kept = Kept(stamp, digest, read.problems, read.ident, read.valid, read.translated, read.shown_as,
                obj.round if measure else None, obj.previous if measure else None,
                former_ids(obj) if measure else (),
                pickle.dumps((obj, read.document), pickle.HIGHEST_PROTOCOL) if read.document is not None else None)
    if read.document is not None:
        # Where the checks run in the process that read the file (or one forked from it), they
        # need not unpickle what is at hand; `__getstate__` leaves it out of what is sent or kept.
        kept.__dict__["_loaded"] = (obj, read.document)
    return kept


class _Lost(Exception):
    """A kept model could not be read back (another run compacted the file meanwhile)."""


def _blob_bytes(blob: bytes | tuple[str, int, int]) -> bytes:
    if isinstance(blob, bytes):
        return blob
    name, offset, length = blob
    with open(name, "rb") as f:
        if not _own(f):
            raise _Lost(name)
        f.seek(offset)
        data = f.read(length)
    if len(data) != length:
        raise _Lost(name)
    return data


@dataclass
class _Unit:
    """What the checks of one round's measures gave, and the fingerprint of what they read."""

    key: bytes
    references: list[Problem]
    review: list[Problem] | None = None  # the review's warnings; None until it runs (it does not while there are errors)


@dataclass
class _Store:
    key: bytes
    listed_at: int = 0  # time.time_ns() when the last run listed the files
    blobs: str | None = None  # the file the kept models are appended to
    files: dict[str, Kept] = field(default_factory=dict)
    units: dict[str, _Unit] = field(default_factory=dict)


@dataclass(frozen=True)
class Validated:
    """What `prioportal validate` reports about a valid portal."""

    criteria_sets: int
    rounds: int
    measures: int
    pages: int
    warnings: tuple[Problem, ...]
    files_read: int | None = None  # decision files read and checked again (None: all of them)


def _settings_key(settings: Settings) -> bytes:
    """Everything a kept result depends on besides the files: these settings, and the code."""
    h = hashlib.sha256(repr((_FORMAT, sys.version, loading_settings(settings))).encode())
    for source in sorted(Path(__file__).parent.parent.rglob("*.py")):
        h.update(source.read_bytes())
    h.update(pydantic.VERSION.encode())
    return h.digest()


def _open(path: Path, key: bytes) -> _Store:
    try:
        with open(path, "rb") as f:
            store = pickle.load(f) if _own(f) else None
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: start afresh
        return _Store(key)
    return store if isinstance(store, _Store) and store.key == key else _Store(key)


def _save(path: Path, store: _Store) -> None:
    """The models read in this run are appended to the blob file; the rest is written whole
    under another name and then renamed, so that a run stopped halfway, or two runs at once,
    leave readable files. When most of the blob file is models no longer kept, the live ones
    are copied into a new one. A cache that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = [kept for kept in store.files.values() if isinstance(kept.blob, bytes)]
        live = sum(len(kept.blob) if isinstance(kept.blob, bytes) else kept.blob[2]
                   for kept in store.files.values() if kept.blob is not None)
        old = store.blobs
        try:
            size = os.path.getsize(old) if old is not None else None
        except OSError:
            size = None
        if size is None or size > 2 * live + (16 << 20):
            store.blobs = str(path.with_name(f"{path.stem}-{secrets.token_hex(8)}.blobs"))
            new = [kept for kept in store.files.values() if kept.blob is not None]
        _append(store.blobs, new)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".validate-", delete=False) as f:
            pickle.dump(store, f, pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
        if store.blobs != old:
            for stale in path.parent.glob(f"{path.stem}-*.blobs"):
                if str(stale) != store.blobs:
                    stale.unlink(missing_ok=True)
    except (OSError, _Lost) as exc:
        try:
            os.unlink(f.name)
        except (OSError, NameError):
            pass
        if isinstance(exc, _Lost):  # models kept in a file gone meanwhile: the next run starts afresh
            path.unlink(missing_ok=True)


def _append(name: str, kept: list[Kept]) -> None:
    """The models of `kept` appended to the file `name`, in one write where other runs may
    append at the same time; each `blob` then says where its model is."""
    fd = os.open(name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_size == 0:  # a new file, which no other run knows: one model at a time
            offset = 0
            for k in kept:
                data = _blob_bytes(k.blob)
                _write(fd, data)
                k.blob = (name, offset, len(data))
                offset += len(data)
            return
        blobs = [_blob_bytes(k.blob) for k in kept]
        data = b"".join(blobs)
        _write(fd, data)
        offset = os.lseek(fd, 0, os.SEEK_CUR) - len(data)  # where this write began, whoever else appended
    finally:
        os.close(fd)
    for k, blob in zip(kept, blobs):
        k.blob = (name, offset, len(blob))
        offset += len(blob)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _unit_key(members: list[str], measures: Mapping[str, Kept], frame: bytes, all_ids: Any) -> bytes:
    """The fingerprint of what the checks and the review of a round's measures read: the
    measures, the criteria versions and rounds (`frame`), each member's previous version, and
    the ids of all measures where a previous version is missing (the advice names the nearest one)."""
    h = hashlib.sha256(frame)
    for ident in members:
        kept = measures[ident]
        h.update(ident.encode() + b"\0" + kept.digest)
        if kept.previous is not None:
            earlier = measures.get(kept.previous)
            h.update(kept.previous.encode() + b"\0" + (earlier.digest if earlier is not None else all_ids()))
    return h.digest()


def _read(kind: str, found: Found, settings: Settings) -> Kept:
    read = read_decision_file(found.path, kind, settings)
    # Of the text read: a file that could not be read is no round's member, and needs none.
    digest = hashlib.sha256(read.document.text.encode()).digest() if read.document is not None else b""
    return keep(read, found.stamp, digest)


class _KeptFiles:
    """The files kept by the last run, as `read_files` asks for them: a file is read again
    when its stamp changed, or when it was saved shortly before the last run listed it (a
    second save within the same tick of the clock would leave the stamp as it was)."""

    def __init__(self, store: _Store):
        self._files = store.files
        self._trusted_before = store.listed_at - RACY_NS

    def kept(self, name: str, kind: str, stamp: tuple[int, int]) -> Kept | None:
        kept = self._files.get(name)
        return kept if kept is not None and kept.stamp == stamp and stamp[0] < self._trusted_before else None

    def keep(self, name: str, kind: str, stamp: tuple[int, int], read: Kept) -> None:
        pass  # the run's reads become the store's files as a whole (`_revalidate`)


def _reads(settings: Settings, wanted: list[tuple[str, Found]],
           store: _Store) -> tuple[dict[tuple[str, str], Kept], int]:
    """What each file gave: kept from the last run where unchanged, else read (on every core);
    and how many were read."""
    reads = read_files(wanted, lambda kind, found: _read(kind, found, settings), _KeptFiles(store))
    return reads, sum(1 for (_, name), kept in reads.items() if store.files.get(name) is not kept)


def revalidate(settings: Settings, path: Path | None = None) -> Validated:
    """`load_portal`'s verdict on the portal, from what is kept in `path` (by default
    `cache_file(settings)`) where the files it came from are unchanged; the file is updated.
    Raises InvalidPortal with every problem, as `load_portal` does."""
    path = path or cache_file(settings)
    if path is None:  # nowhere to keep anything (no home folder): nothing to gain over the one load
        return _loaded(settings)
    try:
        return _revalidate(settings, path, _open(path, _settings_key(settings)))
    except _Lost:
        # Another run compacted the kept models meanwhile, or they were damaged: what is kept
        # cannot be trusted, so it goes (the next run keeps afresh), and the verdict is the one
        # load's, every file read and checked.
        path.unlink(missing_ok=True)
        return _loaded(settings)


def _loaded(settings: Settings) -> Validated:
    """The verdict of `load_portal` itself, with nothing kept."""
    portal = load_portal(settings)
    return Validated(len(portal.criteria_sets), len(portal.rounds), len(portal.measures), len(portal.pages),
                     portal.warnings)


def _revalidate(settings: Settings, path: Path | None, store: _Store) -> Validated:
    listed_at = time.time_ns()
    listing = list_decision_files(settings.root, settings.decisions_dir)
    reads, read_again = _reads(settings, listing.wanted, store)
    files = {name: kept for (_, name), kept in reads.items()}
    files_changed = read_again > 0 or files.keys() != store.files.keys()
    store.files = files
    units = {round_id: (unit, unit.review) for round_id, unit in store.units.items()}
    try:
        found = files_read(settings, listing, reads)
        checked = check_portal(settings, found, _KeptRounds(settings, found, store))
        by_id = found.collected.by_id
        return Validated(len(by_id["criteria"]), len(by_id["rounds"]), len(by_id["measures"]), len(found.pages),
                         checked.warnings, read_again)
    finally:
        # When nothing changed, nothing is written: the index alone is 3 MB at 10 000 measures.
        units_changed = units.keys() != store.units.keys() or any(
            unit is not units[round_id][0] or unit.review is not units[round_id][1]
            for round_id, unit in store.units.items())
        if (files_changed or units_changed) and path is not None:
            store.listed_at = listed_at
            _save(path, store)


class _KeptRounds(KeptChecks):
    """`check_portal`'s layer for `prioportal validate`: a round's checks across files and its
    review are the last run's while the fingerprint of what they read (`_unit_key`) is the
    same; the rounds checked again replace theirs in `store`. Only their measures' models are
    unpickled."""

    def __init__(self, settings: Settings, files: FilesRead, store: _Store):
        self.settings, self.files, self.store = settings, files, store
        self.measures: dict[str, Kept] = files.collected.by_id["measures"]
        self.groups: dict[str, list[str]] = {}
        for ident in sorted(self.measures):
            self.groups.setdefault(self.measures[ident].round, []).append(ident)
        main = settings.languages[0]
        translated = files.translated

        def in_main(obj: Any) -> Any:
            # The review runs on the portal in its main language, as `Portal.in_language` makes it
            # (only a portal with texts per language has them resolved).
            return localize(obj, main, main) if translated else obj

        self.in_main = in_main

    def _frame_key(self, frame: Frame) -> bytes:
        by_id = self.files.collected.by_id
        h = hashlib.sha256(repr((sorted(frame.skip), self.files.translated)).encode())
        for kind in ("criteria", "rounds"):
            for ident in sorted(by_id[kind]):
                h.update(f"{kind}:{ident}\0".encode() + by_id[kind][ident].digest)
        return h.digest()

    def _to_review(self, round_id: str, frame: Frame) -> RoundToReview:
        """What the round is reviewed from, in the main language, as `review.rounds_to_review` gives it."""
        rnd = frame.rounds.get(round_id, (None,))[0]
        criteria_set = frame.criteria.get(rnd.criteria, (None,))[0] if rnd is not None else None
        members = [self.in_main(self.measures[ident].obj) for ident in self.groups[round_id]]
        earlier = [self.in_main(self.measures[x.previous].obj) if x.previous in self.measures else None
                   for x in members]
        return RoundToReview(round_id, self.in_main(criteria_set) if criteria_set is not None else None, members,
                             earlier)

    def _review(self, round_id: str, frame: Frame) -> RoundReviewed:
        return review_round(self._to_review(round_id, frame), [frame.measures[x] for x in self.groups[round_id]])

    def check_measures(self, frame: Frame) -> list[Problem]:
        self.frame = frame
        ids_digest: list[bytes] = []

        def all_ids() -> bytes:
            if not ids_digest:
                ids_digest.append(hashlib.sha256("\0".join(sorted(self.measures)).encode()).digest())
            return ids_digest[0]

        def check(round_id: str) -> tuple[RoundChecked, list[Problem] | None]:
            checked = check_round(self.groups[round_id], frame)
            # The review is reported only for a portal without errors, but it depends on nothing
            # the round's key does not, so it is done while the round's models are at hand. On a
            # round with errors it could meet data a build never reviews: not then.
            if any(p.severity is Severity.error for p in checked.problems):
                return checked, None
            try:
                return checked, self._review(round_id, frame).warnings
            except _Lost:
                raise
            except Exception:  # noqa: BLE001 - done in `review`, if the portal turns out to have no errors
                return checked, None

        units: dict[str, _Unit] = {}
        stale = []
        around = self._frame_key(frame)
        for round_id, members in self.groups.items():
            key = _unit_key(members, self.measures, around, all_ids)
            unit = self.store.units.get(round_id)
            if unit is not None and unit.key == key:
                units[round_id] = unit
            else:
                stale.append((round_id, key))
        # On a first run every round is checked: on every core, each unpickling only its rounds' models.
        many = sum(len(self.groups[round_id]) for round_id, _ in stale) >= _MANY
        for (round_id, key), (checked, reviewed) in zip(
                stale, parallel_map(lambda i: check(stale[i][0]), range(len(stale)), chunk_size=1,
                                    jobs=None if many else 1)):
            units[round_id] = _Unit(key, checked.problems, reviewed)
        self.store.units = units
        return [p for unit in units.values() for p in unit.references]

    def former_ids(self, root: Path) -> list[Problem]:
        measures = self.measures
        sources = {f"measures:{ident}": kept.shown_as for ident, kept in measures.items()}
        formers = [(ident, kept.former) for ident in sorted(measures) if (kept := measures[ident]).former]
        return former_id_problems(formers, set(measures), sources, root)

    def review(self) -> dict[str, RoundReviewed]:
        """Each round's warnings, kept or made now; the flags are not kept (no portal is made)."""
        for round_id, unit in self.store.units.items():
            if unit.review is None:
                unit.review = self._review(round_id, self.frame).warnings
        return {round_id: RoundReviewed(None, unit.review) for round_id, unit in self.store.units.items()}  # type: ignore[arg-type]


def validate_from_config(config_file: Path, kept: bool = True) -> Validated:
    """What `prioportal validate` reports. With `kept`, from what the last run kept where the
    files are unchanged (see `revalidate`); else every file is read and checked again."""
    settings = load_settings(config_file)
    with stage("load and validate"), no_cycle_collection():
        found = revalidate(settings) if kept else _loaded(settings)
    return replace(found, warnings=with_settings_warnings(found.warnings, settings))


__all__ = ["Kept", "Validated", "cache_dir", "cache_file", "keep", "revalidate", "validate_from_config"]
