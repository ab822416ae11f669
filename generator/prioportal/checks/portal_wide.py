"""The checks of a portal's texts and ranking beyond the shape of each file: the consistency
review's flags without a written reason (and reasons no flag needs), summaries too hard to read,
personal data in decision files and pages (their text, front matter and file name), invisible
characters in page titles, and texts per language the portal does not publish.

Each is asked of one file, page or round at a time, so that the warm paths (the preview's
load, `prioportal validate` from what it kept) can ask again only where something changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from prioportal.model import decisions as m
from prioportal.model.languages import localized_texts
from prioportal.sources.yaml_files import Document, YamlProblem, parse_yaml
from prioportal.checks.personal_data import Finding, ScanRules, describe, is_allowed, may_hold_personal_data, scan_data, scan_text
from prioportal.checks.rendered_text import line_and_column, may_hide, position_in
from prioportal.problems import Problem
from prioportal.text.readability import MIN_WORDS, lix, word_count
from prioportal.analyses.review import ReviewFlag, explanations_from, flag_problem, unused_explanations
from prioportal.checks.documents import invisible_characters_in, warning

if TYPE_CHECKING:
    from prioportal.checks.since_last import Checks
    from prioportal.sources.pages import ContentPage


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


# Field names of two or three letters (id, url, due) look like language codes and are left out.
_SHORT_FIELDS = frozenset({name for model in m._models(m.Strict) for name in model.model_fields if m.LANGUAGE_RE.match(name)})
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


def personal_data_in_file(doc: Document, rules: ScanRules, first_line: int = 1) -> list[Problem]:
    """Identity numbers and other personal data in any text of a decision file (or of a page's
    front matter, whose text starts on line `first_line` of the page), each an error at its own
    line: openness must never publish information about a service recipient."""
    data = doc.data
    allowed = data.get("personal_data_allowed") if isinstance(data, dict) else None
    allowed = [str(x) for x in allowed] if isinstance(allowed, list) else []
    found = []
    if not may_hold_personal_data(doc.text, rules):
        return found
    for path, finding in scan_data(data, rules):
        if path[:1] == ("personal_data_allowed",) or is_allowed(finding, allowed):
            continue
        line, column = position_in(doc.text, finding.written or finding.value, *doc.locate(path))
        message, advice = _not_published(finding)
        found.append(Problem(doc.shown_as, line + first_line - 1, column, message, advice))
    return found


def personal_data_on_page(page: ContentPage, rules: ScanRules) -> list[Problem]:
    """Personal data anywhere a narrative page publishes it: its text (as a reader sees it), its
    front matter (every field but the allow list, as in a decision file: the title and the
    description are shown), and its file name, which becomes the page's address."""
    found = _personal_data_in_file_name(page, rules)
    if page.front_matter and may_hold_personal_data(page.front_matter, rules):
        try:
            data = parse_yaml(page.front_matter)
        except YamlProblem:
            data = None  # the page was read, so this cannot happen; a page that cannot be read says so itself
        if isinstance(data, dict):
            doc = Document(PurePosixPath(page.source), page.source, page.front_matter, data)  # type: ignore[arg-type]
            found += personal_data_in_file(doc, rules, first_line=2)
    for finding in scan_text(page.markdown, rules):
        if is_allowed(finding, page.personal_data_allowed):
            continue
        line, column = line_and_column(page.markdown, finding.start)
        message, advice = _not_published(finding)
        found.append(Problem(page.source, page.first_line + line - 1, column, message, advice))
    return found


def _personal_data_in_file_name(page: ContentPage, rules: ScanRules) -> list[Problem]:
    name = PurePosixPath(page.source).name
    found = []
    for finding in scan_text(name.replace("-", " "), ScanRules(names=rules.names)):
        if not is_allowed(finding, page.personal_data_allowed):
            found.append(Problem(page.source, 1, 1, f"the file name holds {describe(finding.kind)} ({finding.text}), "
                                                    "and the file name becomes the page's address",
                                 "rename the file; an address once published is hard to take back"))
    return found


def invisible_characters_on_page(page: ContentPage) -> list[Problem]:
    """A direction control or zero-width character in a page's title or description: it can
    make the title in the navigation read differently from how it is written."""
    if not page.front_matter or not may_hide(page.front_matter):
        return []  # written neither as itself nor as an escape ("\u202e")
    try:
        data = parse_yaml(page.front_matter)
    except YamlProblem:
        return []
    if not isinstance(data, dict):
        return []
    doc = Document(PurePosixPath(page.source), page.source, page.front_matter, data)  # type: ignore[arg-type]
    return [Problem(p.path, p.line + 1, p.column, p.message, p.advice)
            for p in invisible_characters_in(doc, frozenset({"title", "description"}))]
