"""The translation catalogues are complete and safe to render.

The msgids are extracted from the templates and the Python sources when the test runs,
with the method map and options of `babel.cfg` (the same as `make messages`), so a text
added to a template fails here until every catalogue translates it. The languages are the
folders under generator/prioportal/locales: a new catalogue is checked without touching this file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from prioportal.text import i18n
from prioportal.text.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
LOCALE_DIR = ROOT / "generator" / "prioportal" / "locales"
# The keywords of `pybabel extract -k N_ -k _ -k T` on top of Babel's defaults (ngettext etc.).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_": None, "T": (1,)}

LANGUAGES = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))

# `{name}` for str.format, `%(name)s` for ngettext/old-style formatting.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-zA-Z]")


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def _read(language: str) -> Catalog:
    with _po_path(language).open("rb") as f:
        return read_po(f, abort_invalid=True)


def _as_tuple(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, ...]]:
    """Every msgid in the sources, keyed by its singular form, with all its forms."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(BABEL_CFG))
    # Walk only the folders the patterns can match (not node_modules/ or site/), and like
    # pybabel skip hidden and underscore folders. A pattern starting with a glob walks all.
    tops = {pattern.split("/", 1)[0] for pattern, _method in method_map}
    walk_all = any(c in top for top in tops for c in "*?[")

    def wanted(dirpath: str) -> bool:
        rel = Path(dirpath).relative_to(ROOT).parts
        return not rel[-1].startswith((".", "_")) and (walk_all or rel[0] in tops)

    found: dict[str, tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True, directory_filter=wanted
    ):
        forms = _as_tuple(message)
        if forms[0]:
            found[forms[0]] = forms
    assert found, "no msgids extracted: is babel.cfg right?"
    return found


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalog]:
    return {lang: _read(lang) for lang in LANGUAGES}


def test_languages_found() -> None:
    assert {"nb", "nn", "sv", "en"} <= set(LANGUAGES), LANGUAGES


def test_every_msgid_is_translated_in_every_catalogue(extracted, catalogues) -> None:
    problems: dict[str, list[str]] = {}
    for lang, cat in catalogues.items():
        for msgid, forms in sorted(extracted.items()):
            msg = cat.get(msgid)
            if msg is None:
                problems.setdefault(lang, []).append(f"{msgid!r} (not in the catalogue)")
                continue
            if msg.fuzzy:
                problems.setdefault(lang, []).append(f"{msgid!r} (fuzzy)")
                continue
            strings = _as_tuple(msg.string)
            needed = 2 if len(forms) > 1 else 1
            if len(strings) < needed or not all(s.strip() for s in strings):
                problems.setdefault(lang, []).append(f"{msgid!r} (empty)")
    report = "\n".join(
        f"{lang}: {len(ids)} missing\n    " + "\n    ".join(ids) for lang, ids in sorted(problems.items())
    )
    assert not problems, (
        "Untranslated msgids (run `make messages`, then translate them):\n" + report
    )


def test_placeholders_match_the_msgid(catalogues) -> None:
    problems = []
    for lang, cat in catalogues.items():
        for msg in cat:
            if not msg.id:
                continue
            ids = _as_tuple(msg.id)
            for i, text in enumerate(_as_tuple(msg.string)):
                if not text:
                    continue  # reported by the completeness test
                source = ids[min(i, len(ids) - 1)]
                want, got = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(text))
                if want != got:
                    problems.append(
                        f"{lang}: {source!r} -> {text!r}: expected {sorted(want.elements())}, "
                        f"found {sorted(got.elements())}"
                    )
    assert not problems, "Placeholders differ from the msgid:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_parses_and_declares_its_language(language: str) -> None:
    cat = _read(language)  # abort_invalid: a syntax error fails here
    assert cat.locale is not None, f"{language}: no Language header"
    assert str(cat.locale) == language, f"{language}: Language header says {cat.locale}"
    assert cat.charset.lower() == "utf-8", f"{language}: charset {cat.charset}"
    # prioportal.text.i18n.Translator knows two plural forms, singular for n == 1.
    assert cat.num_plurals == 2, f"{language}: Plural-Forms {cat.plural_forms}"
    assert cat.plural_expr.replace(" ", "") == "(n!=1)", f"{language}: Plural-Forms {cat.plural_forms}"
    assert not any(m.fuzzy for m in cat if m.id), f"{language}: fuzzy entries"
    assert i18n.catalogue(language), f"{language}: prioportal.text.i18n reads no texts"


def test_translator_renders_bokmal() -> None:
    nb = Translator("nb")
    assert nb.gettext("Decisions") == "Vedtak"
    assert nb.gettext("Criteria for priority setting") == "Kriterier for prioritering"
    assert nb.ngettext("%(num)s measure", "%(num)s measures", 1) % {"num": 1} == "1 tiltak"
    assert nb.ngettext("%(num)s measure", "%(num)s measures", 5) % {"num": 5} == "5 tiltak"


def test_translator_picks_singular_and_plural() -> None:
    sv = Translator("sv")
    assert sv.gettext("Decisions") == "Beslut"
    assert sv.ngettext("%(num)s measure", "%(num)s measures", 1) == "%(num)s åtgärd"
    assert sv.ngettext("%(num)s measure", "%(num)s measures", 2) == "%(num)s åtgärder"
    assert sv.ngettext("%(num)s measure", "%(num)s measures", 0) == "%(num)s åtgärder"
    en = Translator("en")
    assert en.ngettext("%(num)s measure", "%(num)s measures", 1) == "%(num)s measure"
    assert en.ngettext("%(num)s measure", "%(num)s measures", 3) == "%(num)s measures"


def test_templates_render_translated_plurals() -> None:
    from prioportal.site.render import BUNDLED_THEME, make_environment

    env = make_environment(BUNDLED_THEME, "sv", "SEK")
    template = env.from_string('{{ _("Decisions") }}: {{ ngettext("%(num)s measure", "%(num)s measures", n) }}')
    assert template.render(n=1) == "Beslut: 1 åtgärd"
    assert template.render(n=4) == "Beslut: 4 åtgärder"


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_texts_translated_when_a_template_is_compiled_read_as_translated_on_every_page(language):
    """Template texts are translated once, at compile time; the page must not differ from
    translating them on every render, whatever the text contains (%, &, placeholders)."""
    import jinja2

    from prioportal.text.i18n import Translator
    from prioportal.site.render import make_environment

    source = ('{{ _("Search") }}|{{ _("Rank") ~ "<b>" }}|{{ _("{rank} on a scale from {highest} (highest priority) to {lowest} (lowest priority)").format(rank="<1>", highest=1, lowest=5) }}|'
              '{{ _("What was prioritised instead") }}|{{ _("no such text: 100%% & <i>") }}|{{ _(name) }}')
    compiled = make_environment(Path("/nonexistent"), language, "NOK").from_string(source)
    plain = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    translator = Translator(language)
    plain.install_gettext_callables(translator.gettext, translator.ngettext, newstyle=True)
    expected = plain.from_string(source).render(name="Search")
    assert compiled.render(name="Search") == expected
    assert translator.gettext("Search") in expected


# --- The portal's own wording (`texts:` in mkdocs.yml) ------------------------------------

OWN_TEXTS = """\
      texts:
        nb:
          Sector: Kommunalområde
          By sector: Etter kommunalområde
          "Decisions in {sector}": "Vedtak i kommunalområdet {sector}"
"""


def _with_own_texts(texts: str) -> str:
    from portal_factory import MKDOCS, patched

    return patched(MKDOCS, "      input_url: https://testvik.kommune.no/innspill\n",
                   "      input_url: https://testvik.kommune.no/innspill\n" + texts)


def test_a_portals_own_words_replace_the_catalogues_wherever_the_text_is_shown(make_portal):
    from bs4 import BeautifulSoup

    from portal_factory import MKDOCS
    from prioportal.cli import main

    root = make_portal({MKDOCS: _with_own_texts(OWN_TEXTS)})
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--strict"]) == 0

    def page(path: str) -> BeautifulSoup:
        return BeautifulSoup((root / "site" / path).read_text(encoding="utf-8"), "html.parser")

    measure = page("measures/praktisk-bistand-2025/index.html")
    assert [dt.get_text() for dt in measure.select(".facts dt")].count("Kommunalområde") == 1
    assert "Sektor" not in [dt.get_text() for dt in measure.select(".facts dt")]
    ranking = page("rounds/budsjett-2025/index.html")
    assert "Kommunalområde" in [th.get_text() for th in ranking.select("thead th")]
    browse = page("browse/index.html")
    assert browse.select_one("#by-sector").get_text() == "Etter kommunalområde"
    sector_page = next((root / "site" / "browse" / "sector").glob("*/index.html"))
    title = BeautifulSoup(sector_page.read_text(encoding="utf-8"), "html.parser").select_one("h1").get_text()
    assert title.startswith("Vedtak i kommunalområdet ")
    # The open data page names the column in the portal's words too.
    assert "Kommunalområde" in page("open-data/index.html").get_text()


def test_own_words_that_cannot_be_used_are_all_reported_at_their_lines(make_portal, capsys):
    from portal_factory import MKDOCS
    from prioportal.cli import main

    texts = """\
      texts:
        nb:
          Sectr: Kommunalområde
          "Decisions in {sector}": Vedtak i kommunalområdet
          By sector: ""
        sv:
          Sector: Nämnd
"""
    config = _with_own_texts(texts)
    root = make_portal({MKDOCS: config})
    assert main(["-f", str(root / "mkdocs.yml"), "validate"]) == 1
    err = capsys.readouterr().err
    lines = config.splitlines()

    def at(needle: str) -> str:
        n = next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(needle))
        return f"mkdocs.yml:{n}:{len(lines[n - 1]) - len(lines[n - 1].lstrip()) + 1}: "

    assert at("Sectr:") + "'Sectr' is not a text of the site — did you mean 'Sector'?" in err
    assert at('"Decisions in') + "the own text for 'Decisions in {sector}' does not have the same places " \
        "for values — keep exactly {sector} in it" in err
    assert at("By sector:") + "the own text for 'By sector' is empty" in err
    assert at("sv:") + "'sv' under texts is not a language of the portal — put each text under the language " \
        "it is written in: nb" in err
    assert "Traceback" not in err


def test_texts_finds_a_text_to_copy_into_mkdocs_yml_in_the_portals_words(make_portal, capsys):
    import yaml
    from bs4 import BeautifulSoup

    from portal_factory import MKDOCS
    from prioportal.cli import main

    root = make_portal()
    assert main(["-f", str(root / "mkdocs.yml"), "texts", "SEKTOR", "utfall"]) == 0
    printed = capsys.readouterr().out
    found = yaml.safe_load(printed)["texts"]["nb"]
    assert found == {"All decisions by sector and outcome": "Alle vedtak etter sektor og utfall",
                     "Every decision, sorted three ways. Choose a year, a sector or an outcome.":
                         "Alle vedtak, sortert på tre måter. Velg et år, en sektor eller et utfall."}
    # What it prints, pasted into the plugin's settings and changed, is what the site then shows.
    setting = printed.split("\ntexts:", 1)[1].replace("etter sektor og utfall", "etter kommunalområde og utfall")
    own = "      texts:" + "".join("\n      " + line for line in setting.strip("\n").split("\n")) + "\n"
    root = make_portal({MKDOCS: _with_own_texts(own)})
    assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    footer = BeautifulSoup((root / "site" / "index.html").read_text(encoding="utf-8"), "html.parser").footer
    assert "Alle vedtak etter kommunalområde og utfall" in footer.get_text()

    assert main(["-f", str(root / "mkdocs.yml"), "texts", "finnes-ikke"]) == 1
    assert main(["-f", str(root / "mkdocs.yml"), "texts", "--language", "sv", "sektor"]) == 2
    assert "not published in 'sv'" in capsys.readouterr().err
