"""Rendering pages with the Jinja templates in `site_templates/`.

The environment escapes everything by default: text from YAML can only reach a page as
markup by passing through the Markdown sanitiser (`markdown` filter).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

try:  # MarkupSafe 3's escape of a str in C, without wrapping the result in Markup
    from markupsafe._speedups import _escape_inner
except ImportError:  # another version, or no C extension: the same text, a little slower
    def _escape_inner(text: str) -> str:
        return str(escape(text))

from prioportal.text.i18n import Formatter, Translator
from prioportal.model.languages import Fallback
from prioportal.model.small_numbers import said
from prioportal.text.markup import render_markdown
from prioportal.problems import Problem, T, display_path
from prioportal.site.contexts import PageContext, ThisPage, template_names
from prioportal.site.vocabulary import LABELS, OPENNESS_ITEMS, OPENNESS_STATUS


@dataclass(frozen=True)
class PageSpec:
    """One output file: where it goes, which template renders it, and with what."""

    path: str  # relative to the site root, e.g. "measures/x/index.html"
    template: str
    title: str
    context: PageContext  # what the template receives besides what every page does (contexts.py)
    description: str | None = None
    nav_key: str | None = None
    absolute_root: str | None = None  # for pages served at any address, like 404.html
    searchable: bool = True  # indexed by the search (listings are not: they would repeat every measure)

    @property
    def whole_site(self) -> bool:
        """Whether the template sees the whole portal (`view`): the page type's contract says.
        Pages that do not see it depend only on their own context and the settings, which is
        what lets a preview re-render just them."""
        return self.context.whole_site

    @property
    def root(self) -> str:
        """Relative prefix from this page to the site root, so the site works in any folder."""
        return self.absolute_root if self.absolute_root is not None else "../" * self.path.count("/")

    @property
    def url(self) -> str:
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


def _bundled_theme() -> Path:
    """The theme that ships with prioportal: inside the installed package (a wheel), or at the
    top of a source checkout (an editable install), where communicators and designers find it."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "site_templates"
    return inside if inside.is_dir() else package.parent.parent / "site_templates"


BUNDLED_THEME = _bundled_theme()


def theme_dirs(custom_dir: Path) -> list[Path]:
    """A portal's own templates first, then the bundled theme: like MkDocs' custom_dir, a
    municipality overrides only the files it wants to change."""
    dirs = [custom_dir] if custom_dir.is_dir() and custom_dir.resolve() != BUNDLED_THEME else []
    return dirs + [BUNDLED_THEME]


class _Fallbacks:
    """Marks each text shown in another language than the page's, and remembers that it did,
    so the page can say that parts of it are not translated."""

    def __init__(self) -> None:
        self.used = False

    def finalize(self, value: Any) -> Any:
        if isinstance(value, Fallback):
            self.used = True
            return Markup('<span lang="{}">{}</span>').format(value.lang, str(value))
        return value

    def markdown(self, text: Any) -> Markup:
        html = render_markdown(str(text))
        if isinstance(text, Fallback):
            self.used = True
            return Markup('<div lang="{}">{}</div>').format(text.lang, html)
        return html


TRANSLATION_NOTICE = "<!--translation-notice-->"


class Translated(Markup):
    """A translated text from a template, safe as written. `format` gives what Markup's does,
    but for the plain `{name}` fields of our catalogues it escapes the values and formats in
    C: Markup's own formatter runs in Python, and a measure page calls it some twenty times."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> Markup:
        if args or not _plain_fields(str(self)):
            return Markup(self).format(*args, **kwargs)
        return Markup(str.format(self, **{name: escape(value) for name, value in kwargs.items()}))


@lru_cache(maxsize=4096)
def _plain_fields(text: str) -> bool:
    """Whether every field in `text` is a bare name: no index, attribute, conversion or format."""
    return all(name is None or (name.isidentifier() and not spec and conversion is None)
               for _, name, spec, conversion in string.Formatter().parse(text))


class TranslateWhenCompiling(Extension):
    """Translates `_("a literal text")` once, when a template is compiled, instead of on every
    page: a measure page has over a hundred of them. The result is what the i18n extension's
    gettext gives at run time, the translation marked safe and formatted with no values (so
    `%%` becomes `%`); a call with values, or with anything but one literal, is left to it.
    Where the call is all there is between `{{` and `}}`, the translation becomes part of the
    template's own text, which costs nothing when a page is rendered."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        gettext = self.environment.translate_literal  # type: ignore[attr-defined]
        tokens = list(stream)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            name = tokens[i]
            if (name.test("name:_") and [t.type for t in tokens[i + 1:i + 4]] == ["lparen", "string", "rparen"]):
                line = name.lineno
                translated = str(Markup(gettext(tokens[i + 2].value)) % {})
                if out and out[-1].type == "variable_begin" and i + 4 < len(tokens) and tokens[i + 4].type == "variable_end":
                    out[-1] = Token(line, "data", translated)
                    i += 5
                    continue
                out += (Token(line, "lparen", "("), Token(line, "string", translated), Token(line, "pipe", "|"),
                        Token(line, "name", "translated"), Token(line, "rparen", ")"))
                i += 4
            else:
                out.append(name)
                i += 1
        return iter(out)


def _escaped(value: Any) -> str:
    """What a `{{ … }}` writes into the page: the value escaped, as the text it is. Markup's
    own escape also wraps the result in a new Markup, which nothing here needs: at these
    points the text goes straight into the page, or into the output of a block or macro,
    which Jinja marks safe as a whole."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


class _Template(jinja2.Template):
    """A compiled template that writes its `{{ … }}` with `_escaped`. In Jinja's compiled
    code, the module's `escape` is called only where a value is output (`jinja2.compiler`,
    `_output_child_pre`); filters such as `|e` keep their own. Some 240 values on a measure
    page: a tenth of the time it takes to render."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any, uptodate: Any = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escaped  # every function of the module shares these
        return template


def make_environment(templates_dir: Path, language: str, currency: str,
                     mark_fallbacks: bool = True, own_texts: tuple[tuple[str, str], ...] = ()) -> jinja2.Environment:
    """The environment for one language tree; `own_texts` are the portal's own wording of some
    texts (Settings.texts). A text shown in another language is marked as such; the main
    language's tree holds no such text, and leaves out the test, which every `{{ … }}` of
    every page would make (some 240 on a measure page)."""
    fallbacks = _Fallbacks()
    env = jinja2.Environment(
        **({"finalize": fallbacks.finalize} if mark_fallbacks else {}),
        loader=jinja2.FileSystemLoader([str(d) for d in theme_dirs(templates_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n", TranslateWhenCompiling],
        # Templates do not change during a build; checking each file's time on every page did.
        auto_reload=False,
    )
    translator = Translator(language, own_texts)
    fmt = Formatter(language, currency)
    # The templates' gettext: the portal's own texts escaped, as every text from YAML (i18n.py).
    env.install_gettext_callables(translator.markup_gettext, translator.markup_ngettext,  # type: ignore[attr-defined]
                                  newstyle=True)
    env.template_class = _Template
    env.translate_literal = translator.markup_gettext  # type: ignore[attr-defined]
    env.fallbacks = fallbacks  # type: ignore[attr-defined]
    env.compiled = set()  # type: ignore[attr-defined]  # names compiled with what they use (pipeline.compile_templates)
    env.filters.update(
        markdown=fallbacks.markdown,
        money=fmt.money,
        money_short=fmt.money_short,
        date=fmt.date,
        # A measured value too small to publish is said in words (model/small_numbers.py).
        number=lambda value: said(value, translator.gettext, fmt.number),
        label=lambda value: _label(translator, fmt, value),
        translated=Translated,
    )
    env.globals.update(openness_items=OPENNESS_ITEMS, openness_status=OPENNESS_STATUS)
    return env


def _label(translator: Translator, fmt: Formatter, value: Any) -> Any:
    """A value of the fixed vocabulary by its name in the portal's language; several (a measure
    of two types) as one phrase."""
    if isinstance(value, tuple):
        return fmt.labels([translator.gettext(LABELS[v]) for v in value])
    return translator.gettext(LABELS[value]) if isinstance(value, Enum) else value


def render_page(env: jinja2.Environment, page: PageSpec, common: dict[str, Any], notice: str = "") -> str:
    """The page's HTML; `notice` replaces the translation-notice marker when some text on the
    page had to be shown in the main language."""
    env.fallbacks.used = False  # type: ignore[attr-defined]
    if not page.whole_site:
        common = {key: value for key, value in common.items() if key != "view"}
    # The names of the theme contract (contexts.py): what every page shares, what it is told
    # about itself, and its own context (tests/test_theme_contract.py keeps the three apart).
    html = env.get_template(page.template).render(common, **template_names(ThisPage(page, page.root)),
                                                  **template_names(page.context))
    return html.replace(TRANSLATION_NOTICE, notice if env.fallbacks.used else "")  # type: ignore[attr-defined]


def template_problem(exc: jinja2.TemplateError, root: Path) -> Problem:
    """Where a template failed, for a municipality that overrides templates."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites tracebacks so template frames carry template lines
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    shown = display_path(Path(filename), root) if filename else "site_templates"
    return Problem(shown, line or 1, 1, T("the template failed: {error}", error=exc.message or exc),
                   T("fix the template, or remove your copy to use the bundled one"))
