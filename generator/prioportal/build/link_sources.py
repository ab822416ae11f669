"""Where a broken link was written, so that it is reported in the communicator's own file.

The link check finds a broken link in a generated page (`site/measures/x/index.html:65:9`),
which nobody edits. Each link came from somewhere: the Markdown of a page in `content/`, a URL
field of a decision file (`knowledge_base[].url`, a milestone's `links[].url`,
`decision.minutes_url`), a text of a decision file written in Markdown, or a template of the
theme. Only after the check has found broken links (so never in a build that succeeds) each is
looked for in those sources: first in the source of the page it is on (the content page, or the
decision file of the measure, round or criteria the page shows), then in every content page,
then in every decision file that holds the link's text at all, then in the theme's templates.
Where none holds it, it is reported in the generated page, as made by a template.

The same link written once and shown on several pages is reported once, at its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prioportal.build.linkcheck import BrokenLink
from prioportal.model.portal import Portal
from prioportal.problems import Problem, T
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.render import theme_dirs
from prioportal.sources.pages import ContentPage
from prioportal.sources.yaml_files import Document, FieldPath, YamlProblem, parse_yaml

# What stands right before a link target in Markdown or HTML: `](`, `]: ` (a reference), `<`
# (an autolink), `href=` or `src=` (raw HTML). A link is looked for only there, so that a word
# of the text that happens to equal the link is not taken for it.
_BEFORE_TARGET = r"""(?:\]\([ \t]*<?|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?|<|\b(?i:href|src)[ \t]*=[ \t]*["']?)"""
_WORD = re.compile(r"""[^\s()<>"'\[\]\\]+""")
_PUNCTUATION = frozenset("!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True)
class Source:
    """Where one broken link was written."""

    path: str  # as shown to the communicator, e.g. content/om-portalen.md
    line: int
    column: int
    kind: str  # "markdown", "field", "template" or "page" (not found: the generated page)
    template: str | None = None  # for "page": the template (file:line) that seems to make the link


def broken_link_problems(broken: Sequence[BrokenLink], shown_in: str, settings: Settings | None = None,
                         portal: Portal | None = None) -> list[Problem]:
    """One problem for each place a broken link was written; `shown_in` names the site folder
    the link check read (e.g. "site"). Without `settings` and `portal`, each is reported in the
    generated page."""
    finder = _Finder(settings, portal) if settings is not None and portal is not None else None
    on_page: dict[tuple[str, str], list[BrokenLink]] = {}
    # The main language's pages first: a link shown in several trees is named by its page there.
    for link in sorted(broken, key=lambda link: (finder is not None and finder.in_other_tree(link.page), link)):
        on_page.setdefault((link.page, link.href), []).append(link)
    found: dict[tuple[Source, str], list[BrokenLink]] = {}
    for (page, href), links in on_page.items():
        # The second broken link with the same address on a page is the second one written.
        sources = finder.find(page, href, len(links)) if finder is not None else [None] * len(links)
        for link, source in zip(links, sources):
            if source is None:
                guess = finder.template_guess(href) if finder is not None else None
                source = Source(f"{shown_in}/{link.page}", link.line, link.column, "page", guess)
            found.setdefault((source, href), []).append(link)
    return [_problem(source, href, links, shown_in) for (source, href), links in found.items()]


def _problem(source: Source, href: str, links: list[BrokenLink], shown_in: str) -> Problem:
    first = links[0]
    if source.kind == "page":
        made_by = (T("the template at {place}", place=source.template) if source.template
                   else T("a template of the theme"))
        return Problem(source.path, source.line, source.column,
                       T("the link '{link}' leads nowhere ({reason})", link=href, reason=first.reason),
                       T("no Markdown page or decision file holds this link, so {made_by} probably makes it: "
                         "fix the link there", made_by=made_by))
    more = len({link.page for link in links}) - 1
    page = f"{shown_in}/{first.page}"
    what = (T("the link '{link}' leads nowhere ({reason}) on {page}", link=href, reason=first.reason, page=page)
            if not more else
            T("the link '{link}' leads nowhere ({reason}) on {page} and 1 more page", link=href, reason=first.reason,
              page=page) if more == 1 else
            T("the link '{link}' leads nowhere ({reason}) on {page} and {more} more pages", link=href,
              reason=first.reason, page=page, more=more))
    return Problem(source.path, source.line, source.column, what, _ADVICE[source.kind])


_ADVICE = {
    "markdown": T("fix the link (a link without / at the start is read from the address of the page it is on), "
                  "or remove it"),
    "field": T("give the address of a page or file that exists (an address starting with / is read from the "
               "site's root), or remove the link"),
    "template": T("fix the link in the template"),
}


class _Finder:
    """Looks links up in the portal's sources. Each source is read once, and each is looked
    through for a link only when it holds the link's text as one word (`_index`): after a
    build with thousands of broken links, each looked for in every file, the report took longer
    than the build."""

    def __init__(self, settings: Settings, portal: Portal):
        self.settings, self.portal = settings, portal
        self._texts: dict[str, str | None] = {}
        self._documents: dict[str, Document | None] = {}
        self._found: dict[tuple[str, str], list[Source]] = {}  # (source, link) -> where it is written there
        self._targets: dict[str, re.Pattern] = {}
        self._pages = {content.source: content for content in self._all_pages()}
        self._page_words: dict[str, list[str]] | None = None
        self._file_words: dict[str, list[str]] | None = None
        self._templates: list[tuple[str, str]] | None = None

    def find(self, page: str, href: str, count: int) -> list[Source | None]:
        """Where each of the `count` broken links to `href` on `page` was written, in order."""
        if not href:
            return [None] * count
        if href not in self._targets:
            self._targets[href] = _target_pattern(href)
        language, page = self._tree(page)
        own = self._own_sources(page, language)
        # Each list is made only when the ones before it do not have the link.
        for sources in (lambda: own, lambda: self._candidates(href, self._words_of_pages(), own),
                        lambda: self._candidates(href, self._words_of_files(), own)):
            for source in sources():
                if found := self._written(source, href):
                    return [found[min(nth, len(found) - 1)] for nth in range(count)]
        return [self._in_templates(href)] * count

    def in_other_tree(self, page: str) -> bool:
        return self._tree(page)[0] is not None

    def _tree(self, page: str) -> tuple[str | None, str]:
        """The language tree a page is in (None for the main language) and its path within it."""
        for language in self.settings.languages[1:]:
            if page.startswith(language + "/"):
                return language, page[len(language) + 1:]
        return None, page

    def _own_sources(self, page: str, language: str | None) -> list[str]:
        """The content page (its translation first), or the decision file, that the page shows."""
        for content in self.portal.pages:
            if page == urls.content_page(content.slug) + "index.html":
                return [t.source for t in content.translations if t.language == language] + [content.source]
        parts = page.split("/")
        if len(parts) > 2 and parts[0] in ("measures", "rounds", "criteria") and parts[1] in self.portal.sources:
            return [self.portal.sources[parts[1]]]
        return []

    def _candidates(self, href: str, words: dict[str, list[str]], skip: list[str]) -> list[str]:
        """The sources that hold `href` as a word; all of them when it is not one word."""
        if _WORD.fullmatch(href):
            found = words.get(href, [])
        else:
            found = list(dict.fromkeys(source for sources in words.values() for source in sources))
        return [source for source in found if source not in skip]

    def _all_pages(self) -> Iterator[ContentPage]:
        for content in self.portal.pages:
            yield content
            yield from content.translations

    def _words_of_pages(self) -> dict[str, list[str]]:
        if self._page_words is None:
            self._page_words = _index((content.source, content.markdown) for content in self._pages.values())
        return self._page_words

    def _words_of_files(self) -> dict[str, list[str]]:
        if self._file_words is None:
            files = sorted(set(self.portal.sources.values()))
            self._file_words = _index((shown, self._text(shown) or "") for shown in files)
        return self._file_words

    def _written(self, source: str, href: str) -> list[Source]:
        """Where `source` (a content page or a decision file) has the link, in its order."""
        key = (source, href)
        if key not in self._found:
            target = self._targets[href]
            content = self._pages.get(source)
            self._found[key] = (_in_markdown(content, target) if content is not None
                                else self._in_decision_file(source, href, target))
        return self._found[key]

    def _text(self, shown: str) -> str | None:
        if shown not in self._texts:
            try:
                self._texts[shown] = self._path(shown).read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._texts[shown] = None
        return self._texts[shown]

    def _path(self, shown: str) -> Path:
        path = Path(shown)
        return path if path.is_absolute() else self.settings.root / path

    def _document(self, shown: str, text: str) -> Document | None:
        if shown not in self._documents:
            try:
                self._documents[shown] = Document(self._path(shown), shown, text, parse_yaml(text))
            except YamlProblem:
                self._documents[shown] = None
        return self._documents[shown]

    def _in_decision_file(self, shown: str, href: str, target: re.Pattern) -> list[Source]:
        """The fields of a decision file whose value is the link, or a text of it (Markdown)
        that links to it, in the file's order."""
        text = self._text(shown)
        document = self._document(shown, text) if text is not None else None
        if document is None:
            return []
        found = []
        for path, value in _strings(document.data):
            if value.strip() == href:
                found.append(Source(shown, *document.locate(path), "field"))
            elif target.search(value):
                line, column = document.locate(path)
                # The link itself, within a text written over several lines.
                at = target.search(text, _offset(text, line, column))
                found.append(Source(shown, *(_position(text, at.start("href")) if at else (line, column)), "field"))
        return found

    def _in_templates(self, href: str) -> Source | None:
        """A template that has the link as written: only a link without `{{ ... }}` in it."""
        for shown, text in self._read_templates():
            if href in text and (at := self._targets[href].search(text)) is not None:
                return Source(shown, *_position(text, at.start("href")), "template")
        return None

    def _read_templates(self) -> list[tuple[str, str]]:
        """The theme's templates, the portal's own first (as Jinja finds them), as shown and their text."""
        if self._templates is None:
            self._templates = []
            for folder in theme_dirs(self.settings.templates_dir):
                for path in sorted(folder.rglob("*.html")):
                    try:
                        self._templates.append((self._shown(path), path.read_text(encoding="utf-8")))
                    except (OSError, UnicodeDecodeError):
                        continue
        return self._templates

    def template_guess(self, href: str) -> str | None:
        """The template (file:line) that seems to make a link it does not hold as written: one
        that writes the link's end after an expression, as in `{{ root }}measures/x/`."""
        rest = re.sub(r"^(?:\.\./|\./|/)+", "", href)
        if not rest:
            return None
        ending = re.compile(r"\}\}" + re.escape(rest) + r"""["'\s>]""")
        for shown, text in self._read_templates():
            if (at := ending.search(text)) is not None:
                return f"{shown}:{_position(text, at.start())[0]}"
        return None

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.settings.root).as_posix()
        except ValueError:
            return path.as_posix()


def _index(sources: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each word of the sources (a run without spaces, quotes, brackets or parentheses), with
    the sources that hold it, in their order."""
    words: dict[str, list[str]] = {}
    for name, text in sources:
        # As `_target_pattern` reads a link: Markdown's escapes and `&amp;` taken for what they stand for.
        for word in set(_WORD.findall(text.replace("\\", "").replace("&amp;", "&"))):
            words.setdefault(word, []).append(name)
    return words


def _target_pattern(href: str) -> re.Pattern:
    """The link as a Markdown or HTML target: each punctuation mark may be escaped with `\\`
    in Markdown, and `&` may be written `&amp;`."""
    parts = []
    for char in href:
        if char == "&":
            parts.append(r"\\?&(?:amp;)?")
        elif char in _PUNCTUATION:
            parts.append(r"\\?" + re.escape(char))
        else:
            parts.append(re.escape(char))
    return re.compile(rf"{_BEFORE_TARGET}(?P<href>{''.join(parts)})(?=[\s)>\"']|$)", re.M)


def _in_markdown(page: ContentPage, target: re.Pattern) -> list[Source]:
    """Where a content page has the link, in its order."""
    found, text = [], page.markdown
    line, counted = page.first_line, 0  # lines counted on from match to match
    for at in target.finditer(text):
        start = at.start("href")
        line += text.count("\n", counted, start)
        counted = start
        found.append(Source(page.source, line, start - text.rfind("\n", 0, start), "markdown"))
    return found


def _strings(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every text of a decision file's data, with its field path, in the file's order."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _offset(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return start + column - 1
