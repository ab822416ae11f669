"""Reading a whole portal: every decision file and narrative page, validated together."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISREG

from prioportal.model import decisions as m
from prioportal.sources.pages import ContentPage, load_content
from prioportal.model.languages import localize, localized_texts
from prioportal.sources.yaml_files import Document, load_yaml
from prioportal.build.parallel import parallel_map
from prioportal.checks.personal_data import Finding, ScanRules, describe, is_allowed, may_hold_personal_data, scan_data, scan_text
from prioportal.problems import InvalidPortal, Problem, Severity, display_path
from prioportal.exports.redirects import redirect_problems
from prioportal.text.readability import MIN_WORDS, lix, word_count
from prioportal.build.reuse import Reuse
from prioportal.analyses.review import ReviewFlag, explanations_from, flag_problem, review_portal, unused_explanations
from prioportal.build.since_last import Checks, check
from prioportal.checks.documents import parse_document, warning

KIND_FOLDERS = tuple(m.KIND_MODELS)  # criteria/, rounds/, measures/


@dataclass(frozen=True)
class Portal:
    """The validated content of one portal, ordered deterministically."""

    criteria_sets: tuple[m.CriteriaSet, ...]
    rounds: tuple[m.Round, ...]
    measures: tuple[m.Measure, ...]
    pages: tuple[ContentPage, ...]
    sources: dict[str, str] = field(default_factory=dict, compare=False)  # id -> file shown as
    warnings: tuple[Problem, ...] = ()
    review: dict[str, list[ReviewFlag]] = field(default_factory=dict, compare=False)  # round id -> flags
    languages: tuple[str, ...] = ()  # the main language first
    language: str | None = None  # the language this copy is in
    translated: bool = True  # whether any text is given per language; if not, the main language needs no copy
    as_written: "Portal | None" = field(default=None, compare=False, repr=False)  # texts per language, unresolved
    # Look-ups made from `measures`, shared by the copies `replace` makes (the review, the views
    # and the feeds each ask): each is kept with the very tuple it was made from.
    _indexes: dict = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, language: str, reuse: Reuse | None = None) -> "Portal":
        """This portal with every text in `language`, or in the main language where untranslated.
        With `reuse` (a preview), a round's review is the last build's where its measures are."""
        if language == self.language or self.as_written is None:
            return self
        main = self.languages[0]
        source = self.as_written
        if language == main and not source.translated:
            # Every text is already a plain string in the main language: nothing to resolve,
            # and walking every field of 10 000 measures would cost seconds.
            localized = replace(self, language=language)
            return replace(localized, review=review_portal(localized, reuse=reuse))
        localized = replace(
            self,
            criteria_sets=localize(source.criteria_sets, language, main),
            rounds=localize(source.rounds, language, main),
            measures=localize(source.measures, language, main),
            pages=tuple(p.in_language(language, main) for p in source.pages),
            language=language,
        )
        return replace(localized, review=review_portal(localized, reuse=reuse))

    def criteria_set(self, ident: str) -> m.CriteriaSet:
        return next(c for c in self.criteria_sets if c.id == ident)

    def round(self, ident: str) -> m.Round:
        return next(r for r in self.rounds if r.id == ident)

    def measures_in(self, round_id: str) -> list[m.Measure]:
        """The round's measures, in the order of `measures`."""
        # Grouped once: asked for every round, a scan of every measure made the views grow
        # with rounds × measures.
        return list(self._index("by round", m.group_by_round).get(round_id, ()))

    @property
    def measures_by_id(self) -> dict[str, m.Measure]:
        return self._index("by id", lambda measures: {x.id: x for x in measures})

    def _index(self, name: str, make: Callable[[tuple[m.Measure, ...]], dict]) -> dict:
        # Each pass over ten thousand measures costs milliseconds, mostly waiting for memory.
        kept = self._indexes.get(name)
        if kept is None or kept[0] is not self.measures:
            kept = self._indexes[name] = (self.measures, make(self.measures))
        return kept[1]


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
    obj: m.Strict | None  # None when the file has errors
    ident: str  # the id, or the file name where no id could be read
    translated: bool  # whether the file gives any text per language

    @property
    def valid(self) -> bool:
        return self.obj is not None

    @property
    def shown_as(self) -> str:
        return self.document.shown_as if self.document is not None else ""


def read_decision_file(path: Path, kind: str, root: Path, readability_limit: int, personal_data: ScanRules,
                       languages: tuple[str, ...]) -> FileRead:
    result = load_yaml(path, display_path(path, root))
    if result.document is None:
        return FileRead(tuple(result.problems), None, None, path.stem, False)
    doc = result.document
    problems = result.problems + personal_data_in_file(doc, personal_data)
    texts = per_language_texts(doc)
    problems += language_problems(doc, texts, languages)
    obj, found = parse_document(doc, kind)
    problems += found
    # Later steps need the text (for positions), never the parsed data again: the data of ten
    # thousand files is a quarter of what a build holds.
    kept = doc.without_data()
    if obj is None:
        ident = doc.data.get("id")
        return FileRead(tuple(problems), kept, None, ident if isinstance(ident, str) else path.stem, bool(texts))
    if isinstance(obj, m.Measure):
        problems += readability_warnings([(obj, doc)], readability_limit)
    return FileRead(tuple(problems), kept, obj, obj.id, bool(texts))


def read_files(wanted: list[tuple[str, Found]], load: Callable[[str, Path], FileRead],
               cache: FileCache | None) -> dict[tuple[str, str], FileRead]:
    """Each wanted file read, on every core (parsing and validating is most of the time it takes
    to load a portal), except those the cache still holds."""
    reads: dict[tuple[str, str], FileRead] = {}
    todo = []
    for kind, found in wanted:
        kept = cache.kept(found.name, kind, found.stamp) if cache is not None else None
        if kept is None:
            todo.append((kind, found))
        else:
            reads[(kind, found.name)] = kept
    fresh = parallel_map(lambda i: load(todo[i][0], todo[i][1].path), range(len(todo)), chunk_size=64)
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
        self.reuse = Reuse()  # for what is computed from several files (a round's review)

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
        raise InvalidPortal([Problem(display_path(decisions_dir, root), 1, 1, "the decisions folder does not exist",
                                     "create it with the subfolders criteria/, rounds/ and measures/")])
    problems = [Problem(display_path(path, root), 1, 1, "this file is not in a folder for its kind",
                        "move it into decisions/criteria/, decisions/rounds/ or decisions/measures/")
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
                problems.append(Problem(display_path(f.path, root), 1, 1, "this file is a link to a place outside the portal",
                                        "copy the file into the decisions folder instead of linking to it"))
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
            problems.append(read.document.problem(("id",), f"the id '{read.ident}' is already used by {first}",
                                                  "give each file its own id"))
        else:
            by_id[kind][read.ident] = read
    return Collected(problems, by_id, broken, translated)


def load_portal(root: Path, decisions_dir: Path, content_dir: Path, readability_limit: int = 40,
                personal_data: ScanRules = ScanRules(phone_numbers=True), languages: tuple[str, ...] = ("nb",),
                cache: FileCache | None = None) -> Portal:
    """Load and validate everything; raise InvalidPortal with every error at once. The portal
    returned is in the main language (`languages[0]`); `in_language` gives the others. With a
    `cache`, files unchanged since the last call are not read again."""
    listing = list_decision_files(root, decisions_dir, cache.folders if cache is not None else None)

    def load(kind: str, path: Path) -> FileRead:
        return read_decision_file(path, kind, root, readability_limit, personal_data, languages)

    collected = collect(listing.wanted, read_files(listing.wanted, load, cache))
    problems = listing.problems + collected.problems
    by_id = collected.by_id
    last = cache.checked if cache is not None else None
    checked = check(by_id["criteria"], by_id["rounds"], by_id["measures"], collected.broken, last,
                    keep=cache is not None)
    if cache is not None:
        cache.checked = checked
    problems += checked.problems
    pages, page_problems = read_pages(content_dir, root, languages, personal_data)
    problems += page_problems

    errors = [p for p in problems if p.severity is Severity.error]
    if errors:
        raise InvalidPortal(problems)

    def ordered(kind: str, key) -> tuple:
        return tuple(sorted((read.obj for read in by_id[kind].values()), key=key))

    sources = {f"{kind}:{ident}": read.shown_as for kind in ("criteria", "rounds") for ident, read in by_id[kind].items()}
    sources.update(checked.sources)
    indexes = {}
    if checked.by_id is not None:  # made by `check` for the next load: no need to make them again
        indexes = {"by id": (checked.order, checked.by_id), "by round": (checked.order, checked.by_round)}
    as_written = Portal(
        criteria_sets=ordered("criteria", lambda c: c.version),
        rounds=ordered("rounds", lambda r: r.order_key),
        measures=checked.order,
        pages=pages,
        sources=sources,
        languages=languages,
        translated=collected.translated or any(page.translations for page in pages),
        _indexes=indexes,
    )
    main = languages[0]
    portal = replace(as_written, as_written=as_written, language=None).in_language(
        main, cache.reuse if cache is not None else None)
    redirects = _redirect_problems(portal, root, checked, last)
    if redirects:
        raise InvalidPortal(problems + redirects)
    flags = portal.review
    problems += review_warnings(flags, checked, last)
    if cache is not None:
        cache.reuse.next_build()
    return replace(portal, review=flags, warnings=tuple(sorted(problems)))


def _redirect_problems(portal: Portal, root: Path, checked: Checks, last: Checks | None) -> list[Problem]:
    """`redirect_problems`, or the last load's where no measure read again has or had former ids."""
    if checked.changed is not None and last is not None and last.redirects is not None and not any(
            x.former_ids for ident in checked.changed for x in (last.by_id[ident], checked.by_id[ident])):
        checked.redirects = last.redirects
    else:
        checked.redirects = redirect_problems(portal, root)
    return checked.redirects


def read_pages(content_dir: Path, root: Path, languages: tuple[str, ...],
               personal_data: ScanRules) -> tuple[tuple[ContentPage, ...], list[Problem]]:
    """The narrative pages, with their problems and any personal data found in them."""
    pages, problems = load_content(content_dir, root, languages)
    for page in pages:
        for version in (page,) + page.translations:
            problems += personal_data_on_page(version, personal_data)
    return pages, problems


def review_warnings(flags: dict[str, list[ReviewFlag]], checked: Checks, last: Checks | None = None) -> list[Problem]:
    """Every flag of the consistency review without a written reason, and every written reason
    that no flag needs any more (so a stale explanation is not published). A round's flags are
    about its own measures, so each round is looked at on its own; after a preview's save, only
    a round whose flags or measures changed."""
    members = _grouped_pairs(checked)
    kept = last.review_warnings if last is not None and last.review_warnings is not None else {}
    again = checked.changed_rounds(last) if last is not None and checked.by_round is not None else set(members)
    found = []
    checked.review_warnings = {}
    for round_id, pairs in members.items():
        round_flags = flags.get(round_id, [])
        before = kept.get(round_id)
        if round_id in again or before is None or before[0] is not round_flags:
            before = (round_flags, round_review_warnings(round_flags, pairs()))
        checked.review_warnings[round_id] = before
        found += before[1]
    return found


def _grouped_pairs(checked: Checks) -> dict[str, Callable[[], list[tuple[m.Measure, Document]]]]:
    """Each round's (measure, document) pairs, made when asked for."""
    reads = checked.measures
    groups = checked.by_round if checked.by_round is not None else m.group_by_round(checked.order)
    return {round_id: (lambda members=members: [(x, reads[x.id].document) for x in members])
            for round_id, members in groups.items()}


def round_review_warnings(flags: list[ReviewFlag], members: list[tuple[m.Measure, Document]]) -> list[Problem]:
    docs = {measure.id: doc for measure, doc in members}
    found = [flag_problem(flag, docs[flag.measure].shown_as, docs[flag.measure]) for flag in flags if not flag.explained]
    for ident, kind in unused_explanations(flags, explanations_from(measure for measure, _ in members)):
        found.append(warning(docs[ident], ("review_notes", kind), f"the review no longer flags this measure for '{kind}'",
                             "remove this explanation, or check whether the rank or assessment was changed by mistake"))
    return found


def readability_warnings(measures, limit: int) -> list[Problem]:
    """Summaries harder to read than the portal's LIX limit: many readers arrive upset, on a phone."""
    found = []
    for measure, doc in measures:
        summary = measure.summary
        for language, text in (summary.items() if isinstance(summary, dict) else [(None, summary)]):
            if word_count(text) < MIN_WORDS:
                continue
            score = lix(text)
            if score > limit:
                path = ("summary",) if language is None else ("summary", language)
                found.append(warning(doc, path, f"the summary is hard to read (LIX {score:.0f}, the limit is {limit})",
                                     "use shorter sentences and shorter words; see 'Write for the reader' in the README"))
    return found


def _models(model: type[m.Strict]) -> Iterator[type[m.Strict]]:
    yield model
    for sub in model.__subclasses__():
        yield from _models(sub)


# Field names of two or three letters (id, url, due) look like language codes and are left out.
_SHORT_FIELDS = frozenset({name for model in _models(m.Strict) for name in model.model_fields if m.LANGUAGE_RE.match(name)})
# A text per language is a mapping with language codes as keys, so such a key stands somewhere
# in the file, indented or in braces; a file without one needs no walk through its data.
_LANGUAGE_KEY = re.compile(r"(?:^[ ]+|^[ ]*(?:[-?][ ]+)+|[{,?][ ]*)(?!(?:%s)[ ]*:)[a-z]{2,3}[ ]*:" % "|".join(sorted(_SHORT_FIELDS)),
                           re.M)


# A quicker first look for the same: a key of two or three letters right before a colon, found
# by a search for ':' that runs in C (the pattern above tries every position in Python's re).
_SHORT_KEY = re.compile(r":(?<=[ {,?][a-z]{2}:)|:(?<=[ {,?][a-z]{3}:)")


def _may_have_language_keys(text: str) -> bool:
    """False only where `_LANGUAGE_KEY` finds nothing: every short key is a field's name."""
    if " :" in text:
        return True  # a space before the colon: only the full pattern knows
    for match in _SHORT_KEY.finditer(text):
        colon = match.start()
        key = text[colon - 2:colon] if text[colon - 3] in " {,?" else text[colon - 3:colon]
        if key not in _SHORT_FIELDS:
            return True
    return False


def per_language_texts(doc: Document) -> list[tuple[tuple, dict[str, str]]]:
    text = doc.text
    return localized_texts(doc.data) if _may_have_language_keys(text) and _LANGUAGE_KEY.search(text) else []


def language_problems(doc: Document, texts: list[tuple[tuple, dict[str, str]]],
                      languages: tuple[str, ...]) -> list[Problem]:
    """A text given per language must include the main language, and only the portal's languages."""
    found = []
    main = languages[0]
    for path, versions in texts:
        if main not in versions:
            found.append(doc.problem(path, f"this text has no version in the portal's main language ({main})",
                                     f"add '{main}:' with the text; other languages fall back to it"))
        for language in sorted(set(versions) - set(languages)):
            found.append(doc.problem(path + (language,), f"'{language}' is not one of the portal's languages ({', '.join(languages)})",
                                     "remove this version, or add the language under 'languages' in mkdocs.yml", key=True))
    return found


def _not_published(finding: Finding) -> tuple[str, str]:
    return (f"{describe(finding.kind)} ({finding.text}) must not be published",
            "remove it; if it is not about a person, add it to personal_data_allowed in this file")


def _position_in(text: str, value: str, line: int, column: int) -> tuple[int, int]:
    """Where `value` stands in the file, searching from the field's own position; a wrapped
    block of text may not contain it verbatim, and then the field's position is the answer."""
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    found = text.find(value, offset) if value else -1
    if found < 0:
        return line, column
    return text.count("\n", 0, found) + 1, found - (text.rfind("\n", 0, found) + 1) + 1


def personal_data_in_file(doc: Document, rules: ScanRules) -> list[Problem]:
    """Identity numbers and other personal data in any text of a decision file, each an error
    at its own line: openness must never publish information about a service recipient."""
    data = doc.data
    allowed = data.get("personal_data_allowed") if isinstance(data, dict) else None
    allowed = [str(x) for x in allowed] if isinstance(allowed, list) else []
    found = []
    if not may_hold_personal_data(doc.text, rules):
        return found
    for path, finding in scan_data(data, rules):
        if path[:1] == ("personal_data_allowed",) or is_allowed(finding, allowed):
            continue
        line, column = _position_in(doc.text, finding.value, *doc.locate(path))
        message, advice = _not_published(finding)
        found.append(Problem(doc.shown_as, line, column, message, advice))
    return found


def personal_data_on_page(page: ContentPage, rules: ScanRules) -> list[Problem]:
    found = []
    for finding in scan_text(page.markdown, rules):
        if is_allowed(finding, page.personal_data_allowed):
            continue
        before = page.markdown[: finding.start]
        line = page.first_line + before.count("\n")
        column = finding.start - (before.rfind("\n") + 1) + 1
        message, advice = _not_published(finding)
        found.append(Problem(page.source, line, column, message, advice))
    return found
