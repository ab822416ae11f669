"""Narrative pages written in Markdown in `content/`, with a small front matter block.

    ---
    title: Slik prioriterer vi
    order: 20          # position in the navigation, lowest first
    nav: true          # false keeps the page out of the navigation
    description: ...   # one sentence for search results and link previews
    ---
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import Field, ValidationError

from prioportal.sources.yaml_files import Document, YamlProblem, parse_yaml
from prioportal.model.decisions import ShortText, Strict
from prioportal.problems import Problem, T, display_path
from prioportal.checks.documents import _error_to_problem


# Line ends of any system: a page is read with LF only (_load_page), an old version from git as saved.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_PAGE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# First path segments the generated pages own; a narrative page may not take them.
RESERVED_SLUGS = frozenset({"criteria", "process", "rounds", "measures", "assets", "404", "search", "browse",
                            "contact", "accessibility", "privacy", "admin"})  # admin/: the browser editor


class FrontMatter(Strict):
    title: ShortText = Field(description="The page title")
    order: int = Field(default=100, description="Position in the navigation, lowest first")
    nav: bool = Field(default=True, description="false keeps the page out of the navigation")
    description: ShortText | None = Field(default=None, description="One sentence describing the page")
    personal_data_allowed: list[ShortText] = Field(
        default_factory=list, description="Numbers or names the personal-data check may let through on this page")


@dataclass(frozen=True)
class ContentPage:
    slug: str  # "" for the home page text (index.md)
    title: str
    order: int
    in_nav: bool
    description: str | None
    markdown: str
    source: str
    first_line: int = 1  # line of the file where the Markdown body starts, for locating problems
    personal_data_allowed: tuple[str, ...] = ()
    language: str | None = None  # set on a translation (om-portalen.en.md)
    translations: tuple["ContentPage", ...] = ()  # on the main page: its translations
    fallback: str | None = None  # the language shown when this language has no translation
    front_matter: str = ""  # the front matter's text (from line 2 of the file), for the checks of what it says

    def in_language(self, language: str, main: str) -> "ContentPage":
        if language == main:
            return self
        for translation in self.translations:
            if translation.language == language:
                return replace(translation, slug=self.slug, order=self.order, in_nav=self.in_nav, translations=())
        return replace(self, fallback=main, translations=())


_TRANSLATION = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3})$")


def load_content(content_dir: Path, root: Path, languages: tuple[str, ...] = ()) -> tuple[tuple[ContentPage, ...], list[Problem]]:
    """The pages in `content_dir`; `om-portalen.en.md` is the English translation of
    `om-portalen.md` when `en` is one of the portal's other `languages`."""
    if not content_dir.is_dir():
        return (), []
    pages: dict[str, ContentPage] = {}
    translations: list[ContentPage] = []
    problems: list[Problem] = []
    inside = content_dir.resolve()
    for path in sorted(content_dir.glob("*.md")):
        shown = display_path(path, root)
        if not path.resolve().is_relative_to(inside):
            problems.append(Problem(shown, 1, 1, T("this page is a link to a place outside the portal"),
                                    T("copy the file into the content folder instead of linking to it")))
            continue
        translation = _TRANSLATION.match(path.stem)
        language = translation.group("lang") if translation and translation.group("lang") in languages[1:] else None
        page, found = _load_page(path, shown, translation.group("stem") if language else path.stem)
        problems += found
        if page is None:
            continue
        if language:
            translations.append(replace(page, language=language))
        else:
            pages[page.slug] = page
    for page in translations:
        if page.slug not in pages:
            problems.append(Problem(page.source, 1, 1, T("this is a translation of '{file}', which does not exist",
                                                         file=(page.slug or "index") + ".md"),
                                    T("add the page in the main language, or rename this file")))
        else:
            main = pages[page.slug]
            pages[page.slug] = replace(main, translations=main.translations + (page,))
    return tuple(sorted(pages.values(), key=lambda p: (p.order, p.slug))), problems


def _load_page(path: Path, shown: str, stem: str) -> tuple[ContentPage | None, list[Problem]]:
    slug = "" if stem == "index" else stem
    if slug and not _PAGE_SLUG.match(slug):
        return None, [Problem(shown, 1, 1, T("the file name '{name}' cannot be used as a page address", name=path.name),
                              T("rename it with lower-case letters a-z, digits and hyphens, e.g. om-portalen.md"))]
    if slug in RESERVED_SLUGS:
        return None, [Problem(shown, 1, 1, T("the address '{address}' is used by a generated page", address=slug + "/"),
                              T("rename the file, e.g. to {name}", name="om-" + slug + ".md"))]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(shown, 1, 1, T("the file is not UTF-8"), T("save it as UTF-8 in your editor"))]
    # Saved on Windows (CRLF) or an old Mac (CR): read as the LF line ends they stand for, so the
    # front matter is found and every line keeps its number.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, [Problem(shown, 1, 1, T("the page has no front matter with a title"),
                              T("start the file with three lines: ---, title: Your title, ---"))]
    header = match.group(1) or ""
    try:
        data = parse_yaml(header) or {}
    except YamlProblem as problem:  # the header starts on line 2 of the file, after the opening ---
        return None, [Problem(shown, problem.line + 1, problem.column, problem.message, problem.advice)]
    if not isinstance(data, dict):
        return None, [Problem(shown, 2, 1, T("the front matter should be fields (name: value)"),
                              T("write e.g. 'title: Your title' between the two --- lines"))]
    doc = Document(path, shown, header, data)
    try:
        front = FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            p = _error_to_problem(doc, FrontMatter, error)
            # The header starts on line 2 of the file, after the opening ---.
            problems.append(Problem(p.path, p.line + 1, p.column, p.message, p.advice))
        return None, problems
    return ContentPage(slug, front.title, front.order, front.nav, front.description,
                       text[match.end():], shown, text[:match.end()].count("\n") + 1,
                       tuple(front.personal_data_allowed), front_matter=header), []
