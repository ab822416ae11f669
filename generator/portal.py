"""Reading a whole portal: every decision file and narrative page, validated together."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import model as m
from .content import ContentPage, load_content
from .load import Document, load_yaml
from .problems import InvalidPortal, Problem, Severity, display_path
from .readability import MIN_WORDS, lix, word_count
from .review import ReviewFlag, explanations_from, flag_problem, review_portal, unused_explanations
from .validate import check_references, parse_document, warning

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

    def criteria_set(self, ident: str) -> m.CriteriaSet:
        return next(c for c in self.criteria_sets if c.id == ident)

    def round(self, ident: str) -> m.Round:
        return next(r for r in self.rounds if r.id == ident)

    def measures_in(self, round_id: str) -> list[m.Measure]:
        return [x for x in self.measures if x.round == round_id]


def find_decision_files(decisions_dir: Path) -> dict[str, list[Path]]:
    """Files per kind, by the folder they are in; sorted so output does not depend on the file system."""
    found: dict[str, list[Path]] = {kind: [] for kind in KIND_FOLDERS}
    for kind in KIND_FOLDERS:
        folder = decisions_dir / kind
        if folder.is_dir():
            found[kind] = sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    return found


def load_portal(root: Path, decisions_dir: Path, content_dir: Path, readability_limit: int = 40) -> Portal:
    """Load and validate everything; raise InvalidPortal with every error at once."""
    problems: list[Problem] = []
    parsed: dict[str, dict[str, tuple[m.Strict, Document]]] = {kind: {} for kind in KIND_FOLDERS}
    broken: dict[str, set[str]] = {kind: set() for kind in KIND_FOLDERS}

    try:
        usable = decisions_dir.is_dir()
    except OSError:  # e.g. a name longer than the file system allows
        usable = False
    if not usable:
        raise InvalidPortal([Problem(display_path(decisions_dir, root), 1, 1, "the decisions folder does not exist",
                                     "create it with the subfolders criteria/, rounds/ and measures/")])
    stray = sorted(p for p in decisions_dir.iterdir() if p.suffix in (".yml", ".yaml"))
    for path in stray:
        problems.append(Problem(display_path(path, root), 1, 1, "this file is not in a folder for its kind",
                                "move it into decisions/criteria/, decisions/rounds/ or decisions/measures/"))

    inside = decisions_dir.resolve()
    for kind, paths in find_decision_files(decisions_dir).items():
        for path in paths:
            if not path.resolve().is_relative_to(inside):
                problems.append(Problem(display_path(path, root), 1, 1, "this file is a link to a place outside the portal",
                                        "copy the file into the decisions folder instead of linking to it"))
                continue
            result = load_yaml(path, display_path(path, root))
            problems += result.problems
            if result.document is None:
                broken[kind].add(path.stem)
                continue
            obj, found = parse_document(result.document, kind)
            problems += found
            if obj is None:
                ident = result.document.data.get("id")
                broken[kind].add(ident if isinstance(ident, str) else path.stem)
                continue
            if obj.id in parsed[kind]:
                first = parsed[kind][obj.id][1].shown_as
                problems.append(result.document.problem(("id",), f"the id '{obj.id}' is already used by {first}",
                                                        "give each file its own id"))
                continue
            parsed[kind][obj.id] = (obj, result.document)

    problems += check_references(parsed["criteria"], parsed["rounds"], parsed["measures"], broken)
    problems += readability_warnings(parsed["measures"].values(), readability_limit)
    pages, page_problems = load_content(content_dir, root)
    problems += page_problems

    errors = [p for p in problems if p.severity is Severity.error]
    if errors:
        raise InvalidPortal(problems)

    def ordered(kind: str, key) -> tuple:
        return tuple(sorted((obj for obj, _ in parsed[kind].values()), key=key))

    sources = {f"{kind}:{ident}": doc.shown_as for kind in KIND_FOLDERS for ident, (_, doc) in parsed[kind].items()}
    portal = Portal(
        criteria_sets=ordered("criteria", lambda c: c.version),
        rounds=ordered("rounds", lambda r: (r.year, r.id)),
        measures=ordered("measures", lambda x: x.id),
        pages=pages,
        sources=sources,
    )
    flags = review_portal(portal)
    problems += review_warnings(flags, parsed["measures"])
    return replace(portal, review=flags, warnings=tuple(sorted(problems)))


def review_warnings(flags: dict[str, list[ReviewFlag]], measures: dict[str, tuple[m.Measure, Document]]) -> list[Problem]:
    """Every flag of the consistency review without a written reason, and every written reason
    that no flag needs any more (so a stale explanation is not published)."""
    found = []
    for round_flags in flags.values():
        for flag in round_flags:
            if not flag.explained:
                doc = measures[flag.measure][1]
                found.append(flag_problem(flag, doc.shown_as, doc))
    all_flags = [f for round_flags in flags.values() for f in round_flags]
    for ident, kind in unused_explanations(all_flags, explanations_from(x for x, _ in measures.values())):
        doc = measures[ident][1]
        found.append(warning(doc, ("review_notes", kind), f"the review no longer flags this measure for '{kind}'",
                             "remove this explanation, or check whether the rank or assessment was changed by mistake"))
    return found


def readability_warnings(measures, limit: int) -> list[Problem]:
    """Summaries harder to read than the portal's LIX limit: many readers arrive upset, on a phone."""
    found = []
    for measure, doc in measures:
        if word_count(measure.summary) < MIN_WORDS:
            continue
        score = lix(measure.summary)
        if score > limit:
            found.append(warning(doc, ("summary",), f"the summary is hard to read (LIX {score:.0f}, the limit is {limit})",
                                 "use shorter sentences and shorter words; see 'Write for the reader' in the README"))
    return found
