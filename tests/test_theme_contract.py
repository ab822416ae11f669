"""The theme contract: each template receives the names docs/theme.md lists for it, no more and
no fewer (site/contexts.py declares them, one class per page type); the bundled templates use
no other names; and a portal that overrides one template gets the bundled theme for the rest."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import jinja2
import jinja2.meta
import pytest
from jinja2 import nodes

from prioportal.checks.portal import load_portal
from prioportal.build.pipeline import history_and_source, load_from_settings, plan_language, translation_notice
from prioportal.cli import main
from prioportal.exports.redirects import redirect_environment, redirect_page, write_redirects
from prioportal.settings import load_settings
from prioportal.site.contexts import (OTHER_CONTEXTS, PAGE_CONTEXTS, EveryPage, PageContext, ThisPage,
                                      TranslationNoticeContext, field_names, template_names)
from prioportal.site.render import BUNDLED_THEME, make_environment

THEME_DOC = Path(__file__).resolve().parent.parent / "docs" / "theme.md"
EVERY_PAGE = set(field_names(EveryPage)) | set(field_names(ThisPage))
EVERY_PAGE_WITHOUT_VIEW = EVERY_PAGE - {"view"}
PARTIALS = ("criteria_body.html", "history.html", "indicators.html", "review_flags.html", "macros.html",
            "decision_record.html", "measure_decision.html", "easy_read.html", "what_became.html",
            "assessment_changes.html", "charts.html", "indicator_charts.html")

_HEADING = re.compile(r"^#{2,3} (.*)$")
_TEMPLATE = re.compile(r"`([\w.]+\.html)`")
_SEES = re.compile(r"^Sees the whole portal: (yes|no)\.")


def documented() -> dict[str, dict]:
    """docs/theme.md by section: the template a heading names first (or the heading itself), the
    names its top-level bullets document (those in backquotes before the bullet's first colon),
    and whether it says the page sees the whole portal."""
    sections: dict[str, dict] = {}
    current: dict | None = None
    for line in THEME_DOC.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            named = _TEMPLATE.search(heading.group(1))
            key = named.group(1) if named else heading.group(1)
            assert key not in sections, f"docs/theme.md documents {key} twice"
            current = sections[key] = {"names": [], "whole_site": None}
        elif current is not None and line.startswith("- `"):
            current["names"] += re.findall(r"`([\w]+)`", line.split(": ", 1)[0])
        elif current is not None and (sees := _SEES.match(line)):
            current["whole_site"] = sees.group(1) == "yes"
    return sections


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return make_environment(Path("/nonexistent"), "nb", "NOK")


def _bound(ast: nodes.Template) -> set[str]:
    """The names a template gives values itself: `set`, loop variables, macros and their
    arguments, imports. Jinja's own analysis counts a name set in one branch of an `if` (or in
    a block) as undeclared, which for this test it is not."""
    names = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {n.name for n in ast.find_all(nodes.Macro)}
    for imported in ast.find_all(nodes.FromImport):
        names |= {alias[1] if isinstance(alias, tuple) else alias for alias in imported.names}
    names |= {n.target for n in ast.find_all(nodes.Import)}
    return names


def _used(env: jinja2.Environment, name: str) -> tuple[set[str], set[str], list[str]]:
    """The names `name` reads that it does not set itself, the filters it uses, and the
    templates it extends, includes or imports."""
    source = (BUNDLED_THEME / name).read_text(encoding="utf-8")
    ast = env.parse(source)
    names = jinja2.meta.find_undeclared_variables(ast) - _bound(ast)
    filters = {f.name for f in ast.find_all(nodes.Filter)}
    return names, filters, [n for n in jinja2.meta.find_referenced_templates(ast) if n]


def _allowed(name: str, doc: dict[str, dict]) -> set[str]:
    """What the contract gives the template `name`."""
    contexts = {cls.template: cls for cls in PAGE_CONTEXTS + OTHER_CONTEXTS}
    if name in contexts and issubclass(contexts[name], PageContext):
        cls = contexts[name]
        return (EVERY_PAGE if cls.whole_site else EVERY_PAGE_WITHOUT_VIEW) | set(field_names(cls))
    if name in contexts:  # rendered outside the page plan: only its own names
        return set(field_names(contexts[name]))
    if name == "base.html":  # extended by pages that do not see the whole portal too
        return EVERY_PAGE_WITHOUT_VIEW
    assert name in PARTIALS, f"{name} is neither a page template nor a known part of one"
    return EVERY_PAGE_WITHOUT_VIEW | set(doc[name]["names"])


# --- The classes and the documentation --------------------------------------------------------

def test_every_context_field_is_documented_under_its_template_and_nothing_more():
    doc = documented()
    every = doc["base.html"]["names"]
    assert sorted(every) == sorted(EVERY_PAGE), "docs/theme.md, the names every page receives"
    for cls in PAGE_CONTEXTS + OTHER_CONTEXTS:
        assert cls.template in doc, f"docs/theme.md has no section for {cls.template}"
        assert sorted(doc[cls.template]["names"]) == sorted(field_names(cls)), \
            f"docs/theme.md and {cls.__name__} differ on what {cls.template} receives"


def test_the_documentation_says_which_pages_see_the_whole_portal():
    doc = documented()
    for cls in PAGE_CONTEXTS:
        assert doc[cls.template]["whole_site"] is cls.whole_site, \
            f"docs/theme.md: {cls.template} should say 'Sees the whole portal: {'yes' if cls.whole_site else 'no'}.'"


def test_every_template_of_the_theme_is_documented_once():
    doc = documented()
    templates = {p.name for p in BUNDLED_THEME.glob("*.html")}
    contexts = {cls.template for cls in PAGE_CONTEXTS + OTHER_CONTEXTS}
    assert templates == contexts | set(PARTIALS) | {"base.html"}
    assert templates <= set(doc)
    assert len(contexts) == len(PAGE_CONTEXTS + OTHER_CONTEXTS), "two context classes name one template"


def test_no_page_context_hides_a_name_every_page_receives():
    for cls in PAGE_CONTEXTS:
        assert not set(field_names(cls)) & EVERY_PAGE, cls.__name__


def test_filters_and_functions_the_environment_adds_are_documented(env):
    doc = documented()["Filters and functions"]["names"]
    added = (set(env.filters) - set(jinja2.filters.FILTERS)) | (set(env.globals) - set(jinja2.defaults.DEFAULT_NAMESPACE))
    assert added == set(doc)


# --- The templates use what the contract gives them ---------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in BUNDLED_THEME.glob("*.html")))
def test_a_template_uses_only_the_names_documented_for_it(env, name):
    doc = documented()
    names, filters, referenced = _used(env, name)
    unknown = names - _allowed(name, doc) - set(env.globals)
    assert not unknown, f"{name} uses {sorted(unknown)}, which docs/theme.md does not list for it"
    assert filters <= set(env.filters), f"{name} uses filters the environment lacks: {sorted(filters - set(env.filters))}"
    # What it extends, includes or imports is a template of the theme, checked on its own here.
    for other in referenced:
        assert (BUNDLED_THEME / other).is_file() and other in doc, f"{name} refers to {other}"


# --- The page plan builds each page with its template's context ---------------------------------

REGION = Path(__file__).resolve().parent.parent / "examples" / "region-mellanvik"


def test_each_page_of_the_plan_has_its_templates_context(portal_dir):
    """The test portal has a page of every type of a budget portal, the region's example (its
    priority lists) those of a priority list, the bokmål example those of the affected groups."""
    seen = set()
    for folder in (portal_dir, REGION, REGION.parent.parent):
        settings = load_settings(folder / "mkdocs.yml")
        portal = load_from_settings(settings)
        history, source = history_and_source(settings, portal)
        plan = plan_language(settings.for_language(settings.languages[0]), portal, history, source)
        for page in plan.pages:
            context = page.context
            assert isinstance(context, PageContext) and type(context).template == page.template, page.path
            assert tuple(template_names(context)) == field_names(type(context)), page.path
            seen.add(type(context))
        assert set(plan.common) == set(field_names(EveryPage))
    assert seen == set(PAGE_CONTEXTS), "the test portal and the region's example should have a page of every type"


def test_the_translation_notice_gets_its_documented_context(portal_dir):
    settings = load_settings(portal_dir / "mkdocs.yml")
    other = replace(settings, language="en", main_language=settings.language)
    env = make_environment(settings.templates_dir, "en", settings.currency)
    expected = env.get_template(TranslationNoticeContext.template).render(
        template_names(TranslationNoticeContext(language="Norwegian Bokmål")))
    assert translation_notice(other, env) == expected


# --- The redirect page ---------------------------------------------------------------------------

REDIRECT = """\
<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=../ny-id/">
<title>Kveld &amp; helg – Prioriteringer i Testvik kommune</title>
<link rel="canonical" href="https://prioriteringer.testvik.kommune.no/measures/ny-id/">
<link rel="stylesheet" href="../../assets/style.css">
</head>
<body>
<main id="main">
<div class="wrap">
<h1>Kveld &amp; helg</h1>
<p>Dette vedtaket har fått en ny adresse: <a href="../ny-id/">Kveld &amp; helg</a></p>
</div>
</main>
</body>
</html>
"""


def test_the_redirect_page_comes_from_its_template(portal_dir):
    settings = load_settings(portal_dir / "mkdocs.yml")
    page = redirect_page(redirect_environment(settings), settings, "gammel-id", "ny-id", "Kveld & helg")
    assert page == REDIRECT  # as the page was when Python wrote it, byte for byte
    without = redirect_page(redirect_environment(replace(settings, site_url=None)), replace(settings, site_url=None),
                            "gammel-id", "ny-id", "Kveld & helg")
    assert without == REDIRECT.replace(
        '<link rel="canonical" href="https://prioriteringer.testvik.kommune.no/measures/ny-id/">\n', "")


def test_a_portal_may_override_the_redirect_page(portal_dir, tmp_path):
    bundled = (BUNDLED_THEME / "redirect.html").read_text(encoding="utf-8")
    (portal_dir / "site_templates").mkdir(exist_ok=True)
    (portal_dir / "site_templates" / "redirect.html").write_text(
        bundled.replace("</h1>\n", "</h1>\n<p>Oppdater bokmerket ditt.</p>\n"), encoding="utf-8")
    settings = load_settings(portal_dir / "mkdocs.yml")
    portal = load_portal(settings)
    measures = tuple(x.model_copy(update={"former_ids": ["bibliotek-kveld"]}) if x.id == "kveldsapent-bibliotek-2025"
                     else x for x in portal.measures)
    write_redirects(tmp_path, settings, replace(portal, measures=measures))
    html = (tmp_path / "measures" / "bibliotek-kveld" / "index.html").read_text(encoding="utf-8")
    assert "</h1>\n<p>Oppdater bokmerket ditt.</p>\n<p>Dette vedtaket" in html


# --- Overriding one template ---------------------------------------------------------------------

def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_portal_overriding_one_template_gets_the_bundled_rest(portal_dir, tmp_path):
    config = str(portal_dir / "mkdocs.yml")
    assert main(["-f", config, "build", "--site-dir", str(tmp_path / "bundled")]) == 0
    sentence = '<p class="our-promise">Vi svarer innen tre virkedager.</p>\n'
    own = portal_dir / "site_templates" / "contact.html"
    own.parent.mkdir(exist_ok=True)
    own.write_text((BUNDLED_THEME / "contact.html").read_text(encoding="utf-8").replace(
        "<h1>{{ page.title }}</h1>\n", "<h1>{{ page.title }}</h1>\n" + sentence, 1), encoding="utf-8")
    assert main(["-f", config, "build", "--site-dir", str(tmp_path / "own")]) == 0

    bundled, overridden = _files(tmp_path / "bundled"), _files(tmp_path / "own")
    assert bundled.keys() == overridden.keys()
    differ = {name for name in bundled if bundled[name] != overridden[name]}
    # The contact page is searchable: the search index holds its words, the new sentence too.
    assert {name for name in differ if not name.startswith("search/")} == {"contact/index.html"}
    contact = bundled["contact/index.html"].decode("utf-8")
    heading = contact.index("</h1>\n") + len("</h1>\n")
    assert overridden["contact/index.html"].decode("utf-8") == contact[:heading] + sentence + contact[heading:]
