"""A portal published in two languages: texts per language, fallbacks, switcher and hreflang."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from portal_factory import MEASURE_RATIONED, patch_file
from prioportal.cli import main


def bilingual(portal: Path) -> Path:
    config = portal / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      municipality:", "      languages: [en]\n      municipality:", 1), encoding="utf-8")
    patch_file(portal, MEASURE_RATIONED, "title: Praktisk bistand\n",
               "title:\n  nb: Praktisk bistand\n  en: Practical assistance\n")
    (portal / "content" / "index.en.md").write_text("---\ntitle: About\n---\nThis portal shows our priorities.\n",
                                                   encoding="utf-8")
    return portal


def read(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_each_language_gets_its_own_tree_with_switcher_and_hreflang(portal_dir):
    assert main(["-f", str(bilingual(portal_dir) / "mkdocs.yml"), "build"]) == 0
    site = portal_dir / "site"
    nb = read(site / "measures" / "praktisk-bistand-2025" / "index.html")
    en = read(site / "en" / "measures" / "praktisk-bistand-2025" / "index.html")
    assert nb.html["lang"] == "nb" and en.html["lang"] == "en"
    assert nb.h1.get_text() == "Praktisk bistand" and en.h1.get_text() == "Practical assistance"
    links = {link["hreflang"]: link["href"] for link in en.select('link[rel="alternate"][hreflang]')}
    assert links == {"nb": "https://prioriteringer.testvik.kommune.no/measures/praktisk-bistand-2025/",
                     "en": "https://prioriteringer.testvik.kommune.no/en/measures/praktisk-bistand-2025/"}
    switch = {a["hreflang"]: a["href"] for a in nb.select("nav.languages a")}
    assert switch == {"en": "../../en/measures/praktisk-bistand-2025/"}
    assert en.select_one('link[rel="canonical"]')["href"].endswith("/en/measures/praktisk-bistand-2025/")
    assert (site / "en" / "search" / "index.json").is_file()
    assert "/en/measures/praktisk-bistand-2025/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert read(site / "en" / "index.html").select_one("main").get_text(" ").count("This portal shows our priorities") == 1


def test_untranslated_text_falls_back_to_the_main_language_and_says_so(portal_dir):
    assert main(["-f", str(bilingual(portal_dir) / "mkdocs.yml"), "build"]) == 0
    en = read(portal_dir / "site" / "en" / "measures" / "praktisk-bistand-2025" / "index.html")
    notice = en.select_one(".translation-notice")
    assert notice is not None and "Norwegian Bokmål" in notice.get_text()
    summary = en.select_one(".decision-box .summary span[lang='nb']")
    assert summary is not None and "Praktisk bistand gis bare" in summary.get_text()
    # A page whose texts are all translated has no notice.
    nb = read(portal_dir / "site" / "measures" / "praktisk-bistand-2025" / "index.html")
    assert nb.select_one(".translation-notice") is None


def test_a_text_without_the_main_language_is_an_error(portal_dir, capsys):
    bilingual(portal_dir)
    patch_file(portal_dir, MEASURE_RATIONED, "  nb: Praktisk bistand\n", "")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "validate"]) == 1
    err = capsys.readouterr().err
    assert "has no version in the portal's main language (nb)" in err and "add 'nb:'" in err


def test_own_words_apply_to_the_tree_of_their_language_only(portal_dir):
    config = bilingual(portal_dir) / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      municipality:", "      texts:\n        en:\n          Sector: Committee\n"
                                   "      municipality:", 1), encoding="utf-8")
    assert main(["-f", str(config), "build"]) == 0
    site = portal_dir / "site"

    def facts(page: Path) -> list[str]:
        return [dt.get_text() for dt in read(page).select(".decision-box .facts dt")]

    assert "Committee" in facts(site / "en" / "measures" / "praktisk-bistand-2025" / "index.html")
    assert "Sector" not in facts(site / "en" / "measures" / "praktisk-bistand-2025" / "index.html")
    assert "Sektor" in facts(site / "measures" / "praktisk-bistand-2025" / "index.html")
