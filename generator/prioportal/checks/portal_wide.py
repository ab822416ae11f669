"""The checks of a portal's texts and ranking beyond the shape of each file: the consistency
review's flags without a written reason (and reasons no flag needs), summaries too hard to read,
personal data in decision files and pages (their text, front matter and file name), invisible
characters in page titles, and texts per language the portal does not publish.

Each is asked of one file, page or round at a time, so that the warm paths (the preview's
load, `prioportal validate` from what it kept) can ask again only where something changed."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from prioportal.model import decisions as m
from prioportal.model.languages import localized_texts
from prioportal.sources.yaml_files import Document, YamlProblem, parse_yaml
from prioportal.checks.personal_data import Finding, ScanRules, describe, is_allowed, may_hold_personal_data, scan_data, scan_text
from prioportal.checks.rendered_text import line_and_column, may_hide, position_in
from prioportal.problems import Problem, Severity, T, Text
from prioportal.text.readability import MIN_WORDS, lix, word_count
from prioportal.analyses.review import ReviewFlag, explanations_from, flag_problem, unused_explanations
from prioportal.checks.documents import invisible_characters_in, warning

if TYPE_CHECKING:
    from prioportal.sources.pages import ContentPage


def round_review_warnings(flags: list[ReviewFlag], members: list[tuple[m.Measure, Document]]) -> list[Problem]:
    """Every flag of a round's consistency review without a written reason, and every written
    reason that no flag needs any more (so a stale explanation is not published); `members`
    are the round's measures as written, with their documents (`checks.rounds.review_round`)."""
    docs = {measure.id: doc for measure, doc in members}
    found = [flag_problem(flag, docs[flag.measure].shown_as, docs[flag.measure]) for flag in flags if not flag.explained]
    for ident, kind in unused_explanations(flags, explanations_from(measure for measure, _ in members)):
        found.append(warning(docs[ident], ("review_notes", kind),
                             T("the review no longer flags this measure for '{kind}'", kind=kind),
                             T("remove this explanation, or check whether the rank or assessment was changed by mistake")))
    return found


def readability_warnings(measures, limit: int, easy_read_limit: int = 30) -> list[Problem]:
    """Summaries harder to read than the portal's LIX limit: many readers arrive upset, on a phone.
    An easy-read summary (lettlest, lättläst) is held to its own, stricter limit."""
    found = []
    for measure, doc in measures:
        found += _hard_to_read(doc, "summary", measure.summary, limit,
                               T("use shorter sentences and shorter words; see 'Write for the reader' in the README"))
        if measure.easy_read is not None:
            found += _hard_to_read(doc, "easy_read", measure.easy_read, easy_read_limit,
                                   T("use very short sentences and everyday words; see 'Write for the reader' in the README"))
    return found


def _hard_to_read(doc: Document, name: str, given: m.LocalizedText, limit: int, advice: Text) -> list[Problem]:
    found = []
    for language, text in (given.items() if isinstance(given, dict) else [(None, given)]):
        if word_count(text) < MIN_WORDS:
            continue
        score = lix(text)
        if score > limit:
            path = (name,) if language is None else (name, language)
            message = (T("the summary is hard to read (LIX {score}, the limit is {limit})",
                         score=format(score, ".0f"), limit=limit) if name == "summary"
                       else T("the easy-read summary is hard to read (LIX {score}, the limit for easy read is {limit})",
                              score=format(score, ".0f"), limit=limit))
            found.append(warning(doc, path, message, advice))
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
            found.append(doc.problem(path, T("this text has no version in the portal's main language ({language})",
                                             language=main),
                                     T("add '{language}:' with the text; other languages fall back to it", language=main)))
        for language in sorted(set(versions) - set(languages)):
            found.append(doc.problem(path + (language,), T("'{language}' is not one of the portal's languages ({languages})",
                                                           language=language, languages=", ".join(languages)),
                                     T("remove this version, or add the language under 'languages' in mkdocs.yml"), key=True))
    return found


def _not_published(finding: Finding) -> tuple[Text, Text]:
    return (T("{what} ({text}) must not be published", what=describe(finding.kind), text=finding.text),
            T("remove it; if it is not about a person, add it to personal_data_allowed in this file"))


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
        severity = Severity.error
        if path[:1] == ("internal_note",):  # never published, but everyone who edits the portal reads it
            message, advice, severity = _in_internal_note(finding)
        found.append(Problem(doc.shown_as, line + first_line - 1, column, message, advice, severity))
    return found


def _in_internal_note(finding: Finding) -> tuple[Text, Text, Severity]:
    if finding.is_id_number:
        return (T("{kind} ({masked}) must not be kept in the measure's file", kind=describe(finding.kind),
                  masked=finding.text), T("remove it from the internal note"), Severity.error)
    return (T("{kind} ({masked}) is kept in the internal note, which is not published", kind=describe(finding.kind),
              masked=finding.text),
            T("remove it unless it is needed: everyone who edits the portal reads the file"), Severity.warning)


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
            found.append(Problem(page.source, 1, 1, T("the file name holds {what} ({text}), and the file name becomes "
                                                      "the page's address", what=describe(finding.kind), text=finding.text),
                                 T("rename the file; an address once published is hard to take back")))
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
