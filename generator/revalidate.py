"""`prioportal validate` again after an edit, reading and checking only what the edit touched.

Validating 10 000 measures from scratch takes seconds of parsing and checking, nearly all of it
the same as the last time. So what each file gave (its problems, and its model and text,
pickled) and what each round's checks gave are kept on disk between runs (`cache_file`):

- a file whose size and modification time are unchanged is not read again, unless it was
  modified in the two seconds before the last run listed it (a second save within the time
  stamp's resolution could then go unnoticed: git calls such files "racily clean");
- the checks across files are the ones `portal.load_portal` runs, done per round, because
  every check of a measure looks only at its round, its criteria version, the other rounds and
  its `previous` version. A round is checked again when the fingerprint of those files changed
  (`_unit_key`), and only then are its measures' models unpickled;
- criteria versions, rounds, ids, former ids and the narrative pages are checked every time:
  they are few, or cheap to check from what is kept.

The result is the same as `load_portal`'s, problem for problem (the tests compare them after
many kinds of edit). The cache is only ever read by the user who wrote it, in a folder of
their own (`cache_dir`), so unpickling it runs nothing that user did not write; a cache that
cannot be read, or was written by another version of prioportal or for other settings, is
ignored and replaced.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from .languages import localize
from .parallel import parallel_map
from .portal import Collected, FileRead, _Found, collect, list_decision_files, read_decision_file, read_pages, \
    round_review_warnings
from .problems import InvalidPortal, Problem, Severity
from .redirects import former_id_problems, former_ids
from .review import explanations_from, review_round
from .settings import Settings
from .validate import check_criteria_and_rounds, check_measure, skipped

_FORMAT = 1  # raised when what is kept changes shape
_RACY_NS = 2_000_000_000


def cache_dir() -> Path:
    """Where kept results go: $PRIOPORTAL_CACHE_DIR, else the user's cache folder."""
    if os.environ.get("PRIOPORTAL_CACHE_DIR"):
        return Path(os.environ["PRIOPORTAL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "prioportal"


def cache_file(settings: Settings) -> Path:
    """The file for one portal: portals in different folders do not share one."""
    where = f"{settings.root.resolve()}\0{settings.decisions_dir.resolve()}"
    return cache_dir() / f"validate-{hashlib.sha256(where.encode()).hexdigest()[:16]}.pickle"


@dataclass
class Kept:
    """What one decision file gave, with enough beside it to check other files against it
    without unpickling its model (which `obj` and `document` do when first asked)."""

    stamp: tuple[int, int]  # modification time (ns) and size when it was read
    digest: bytes  # of its content
    problems: tuple[Problem, ...]
    ident: str
    valid: bool
    translated: bool
    shown_as: str
    round: str | None = None  # for a measure: its round, previous version and former ids
    previous: str | None = None
    former: tuple = ()
    blob: bytes | None = field(default=None, repr=False)  # the pickled (model, document)

    @cached_property
    def _loaded(self) -> tuple[Any, Any]:
        return pickle.loads(self.blob) if self.blob is not None else (None, None)

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
    obj = read.obj
    measure = read.valid and hasattr(obj, "assessments")
    return Kept(stamp, digest, read.problems, read.ident, read.valid, read.translated, read.shown_as,
                obj.round if measure else None, obj.previous if measure else None,
                former_ids(obj) if measure else (),
                pickle.dumps((obj, read.document), pickle.HIGHEST_PROTOCOL) if read.document is not None else None)


@dataclass
class _Unit:
    """What the checks of one round's measures gave, and the fingerprint of what they read."""

    key: bytes
    references: list[Problem]
    review: list[Problem] | None = None  # None until the review runs (it does not while there are errors)


@dataclass
class _Store:
    key: bytes
    listed_at: int = 0  # time.time_ns() when the last run listed the files
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
    h = hashlib.sha256(repr((_FORMAT, sys.version, settings.root, settings.decisions_dir, settings.content_dir,
                             settings.readability_limit, settings.personal_data, settings.languages)).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        h.update(source.read_bytes())
    import pydantic
    h.update(pydantic.VERSION.encode())
    return h.digest()


def _open(path: Path, key: bytes) -> _Store:
    try:
        with open(path, "rb") as f:
            store = pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: start afresh
        return _Store(key)
    return store if isinstance(store, _Store) and store.key == key else _Store(key)


def _save(path: Path, store: _Store) -> None:
    """Written whole under another name and then renamed, so that a run stopped halfway, or two
    runs at once, leave a readable file. A cache that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".validate-", delete=False) as f:
            pickle.dump(store, f, pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        try:
            os.unlink(f.name)
        except (OSError, NameError):
            pass


class _Models(Mapping):
    """Measures by id as `check_measure` and the review take them, unpickled only when asked."""

    def __init__(self, kept: Mapping[str, Kept], convert=lambda kept: (kept.obj, kept.document)):
        self._kept = kept
        self._convert = convert

    def __getitem__(self, ident: str) -> Any:
        return self._convert(self._kept[ident])

    def __contains__(self, ident: object) -> bool:
        return ident in self._kept

    def __iter__(self) -> Iterator[str]:
        return iter(self._kept)

    def __len__(self) -> int:
        return len(self._kept)


def _unit_key(members: list[str], measures: Mapping[str, Kept], frame: bytes, all_ids: Any) -> bytes:
    """The fingerprint of what the checks of a round's measures read: the measures, the
    criteria versions and rounds (`frame`), each member's previous version, and the ids of
    all measures where a previous version is missing (the advice names the nearest one)."""
    h = hashlib.sha256(frame)
    for ident in members:
        kept = measures[ident]
        h.update(ident.encode() + b"\0" + kept.digest)
        if kept.previous is not None:
            earlier = measures.get(kept.previous)
            h.update(kept.previous.encode() + b"\0" + (earlier.digest if earlier is not None else all_ids()))
    return h.digest()


def _read(kind: str, found: _Found, settings: Settings) -> Kept:
    read = read_decision_file(found.path, kind, settings.root, settings.readability_limit, settings.personal_data,
                              settings.languages)
    try:
        digest = hashlib.sha256(found.path.read_bytes()).digest()
    except OSError:  # gone since it was listed: the read says so, and it is read again next time
        digest = b""
    return keep(read, found.stamp, digest)


def _reads(settings: Settings, wanted: list[tuple[str, _Found]],
           store: _Store) -> tuple[dict[tuple[str, Path], Kept], int]:
    """What each file gave: kept from the last run where unchanged, else read (on every core)."""
    reads: dict[tuple[str, Path], Kept] = {}
    todo = []
    trusted_before = store.listed_at - _RACY_NS
    for kind, found in wanted:
        kept = store.files.get(str(found.path))
        if kept is not None and kept.stamp == found.stamp and found.stamp[0] < trusted_before:
            reads[(kind, found.path)] = kept
        else:
            todo.append((kind, found))
    fresh = parallel_map(lambda i: _read(todo[i][0], todo[i][1], settings), range(len(todo)), chunk_size=64)
    for (kind, found), kept in zip(todo, fresh):
        reads[(kind, found.path)] = kept
    return reads, len(todo)


def revalidate(settings: Settings, path: Path | None = None) -> Validated:
    """`load_portal`'s verdict on the portal, from what is kept in `path` (by default
    `cache_file(settings)`) where the files it came from are unchanged; the file is updated.
    Raises InvalidPortal with every problem, as `load_portal` does."""
    path = path or cache_file(settings)
    store = _open(path, _settings_key(settings))
    listed_at = time.time_ns()
    listing = list_decision_files(settings.root, settings.decisions_dir)
    reads, files_read = _reads(settings, listing.wanted, store)
    store.files = {str(p): kept for (_, p), kept in reads.items()}
    store.listed_at = listed_at
    try:
        return replace(_verdict(settings, listing.problems, collect(listing.wanted, reads), store), files_read=files_read)
    finally:
        _save(path, store)


def _verdict(settings: Settings, problems: list[Problem], collected: Collected, store: _Store) -> Validated:
    by_id = collected.by_id
    criteria = {ident: (kept.obj, kept.document) for ident, kept in by_id["criteria"].items()}
    rounds = {ident: (kept.obj, kept.document) for ident, kept in by_id["rounds"].items()}
    kept_measures: dict[str, Kept] = by_id["measures"]
    measures = _Models(kept_measures)
    skip = skipped(collected.broken)
    problems = problems + collected.problems + check_criteria_and_rounds(criteria, rounds, skip)
    pages, page_problems = read_pages(settings.content_dir, settings.root, settings.languages, settings.personal_data)
    problems += page_problems
    translated = collected.translated or any(page.translations for page in pages)

    frame = hashlib.sha256(repr((sorted(skip), translated)).encode())
    for kind in ("criteria", "rounds"):
        for ident in sorted(by_id[kind]):
            frame.update(f"{kind}:{ident}\0".encode() + by_id[kind][ident].digest)
    ids_digest: list[bytes] = []

    def all_ids() -> bytes:
        if not ids_digest:
            ids_digest.append(hashlib.sha256("\0".join(sorted(kept_measures)).encode()).digest())
        return ids_digest[0]

    groups: dict[str, list[str]] = {}
    for ident in sorted(kept_measures):
        groups.setdefault(kept_measures[ident].round, []).append(ident)
    units = {}
    for round_id, members in groups.items():
        key = _unit_key(members, kept_measures, frame.digest(), all_ids)
        unit = store.units.get(round_id)
        if unit is None or unit.key != key:
            unit = _Unit(key, [problem for ident in members
                               for problem in check_measure(*measures[ident], criteria, rounds, measures, skip)])
        units[round_id] = unit
        problems += unit.references
    store.units = units

    if any(p.severity is Severity.error for p in problems):
        raise InvalidPortal(problems)
    sources = {f"measures:{ident}": kept.shown_as for ident, kept in kept_measures.items()}
    redirects = former_id_problems([(ident, kept_measures[ident].former) for ident in sorted(kept_measures)],
                                   sources, settings.root)
    if redirects:
        raise InvalidPortal(problems + redirects)

    main = settings.languages[0]

    def in_main(obj: Any) -> Any:
        # The review runs on the portal in its main language, as `Portal.in_language` makes it.
        return localize(obj, main, main) if translated else obj

    localized = _Models(kept_measures, lambda kept: in_main(kept.obj))
    for round_id, members in groups.items():
        unit = units[round_id]
        if unit.review is None:
            rnd = rounds.get(round_id, (None,))[0]
            criteria_set = criteria.get(rnd.criteria, (None,))[0] if rnd is not None else None
            flags = []
            if criteria_set is not None:
                in_round = [localized[ident] for ident in members]
                flags = review_round(round_id, in_round, in_main(criteria_set), localized, explanations_from(in_round))
            unit.review = round_review_warnings(flags, [measures[ident] for ident in members])
        problems += unit.review
    return Validated(len(criteria), len(rounds), len(kept_measures), len(pages), tuple(sorted(problems)))


__all__ = ["Kept", "Validated", "cache_dir", "cache_file", "keep", "revalidate"]
