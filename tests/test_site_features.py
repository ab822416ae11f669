"""Pages and checks a municipality configures: readability, branding, statement, search, browsing."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from search_client import search_site

from portal_factory import patch_file
from prioportal.cli import main
from prioportal.text.readability import lix


def build(portal: Path) -> int:
    return main(["-f", str(portal / "mkdocs.yml"), "build"])


def soup(portal: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((portal / "site" / relative).read_text(encoding="utf-8"), "html.parser")


def add_settings(portal: Path, yaml_text: str) -> None:
    """Append options under the prioportal plugin in the factory's mkdocs.yml."""
    config = portal / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      municipality:"
    assert anchor in text
    indented = "".join(f"      {line}\n" for line in yaml_text.strip("\n").splitlines())
    config.write_text(text.replace(anchor, indented + anchor, 1), encoding="utf-8")


def test_lix_scores_plain_and_bureaucratic_text_apart():
    plain = "Flere får hjelp om natten. De kan bo hjemme lenger. Det koster to millioner."
    hard = ("Implementeringen av kvalitetsforbedringstiltakene forutsetter tverrsektoriell samhandling "
            "og ressursomdisponering innenfor eksisterende budsjettrammer for virksomhetsområdet.")
    assert lix(plain) < 30 < 60 < lix(hard)


def test_hard_summary_gives_a_warning_with_file_line_and_score(portal_dir, capsys):
    measure = "decisions/measures/budsjett-2025/praktisk-bistand-2025.yml"
    patch_file(portal_dir, measure, "summary: Praktisk bistand gis bare til dem som ikke har andre å spørre.",
               "summary: Implementeringen av kvalitetsforbedringstiltakene forutsetter tverrsektoriell "
               "samhandling og ressursomdisponering innenfor eksisterende budsjettrammer.")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "validate"]) == 0
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate((portal_dir / measure).read_text().splitlines(), 1) if text.startswith("summary:"))
    assert f"{measure}:{line}:10: warning: the summary is hard to read (LIX" in err
    assert "the limit is 40" in err


def test_readability_limit_is_configurable(portal_dir, capsys):
    add_settings(portal_dir, "readability_limit: 10")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "validate"]) == 0
    assert "the limit is 10" in capsys.readouterr().err


def test_brand_colours_logo_and_footer_come_from_mkdocs_yml(portal_dir):
    (portal_dir / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', encoding="utf-8")
    add_settings(portal_dir, 'brand:\n  color: "#5a1a6e"\n  logo: logo.svg\n  footer: "Org.nr. 123 456 789 · [Personvern](https://example.no/personvern)"')
    assert build(portal_dir) == 0
    css = (portal_dir / "site" / "assets" / "style.css").read_text(encoding="utf-8")
    assert "--brand: #5a1a6e" in css
    home = soup(portal_dir, "index.html")
    assert home.select_one("header img.logo")["src"] == "assets/logo.svg"
    assert (portal_dir / "site" / "assets" / "logo.svg").is_file()
    assert "Org.nr. 123 456 789" in home.select_one("footer").get_text()


def test_low_contrast_brand_colour_is_reported_at_build_time(portal_dir, capsys):
    add_settings(portal_dir, 'brand:\n  color: "#9fc5e8"')
    assert build(portal_dir) == 0
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate((portal_dir / "mkdocs.yml").read_text().splitlines(), 1) if "#9fc5e8" in text)
    assert f"mkdocs.yml:{line}:1: warning: the contrast of header text on the brand colour is" in err
    assert "below the 4.5:1 that WCAG AA requires" in err


def test_bad_setting_is_reported_at_its_line(portal_dir, capsys):
    add_settings(portal_dir, 'brand:\n  color: blue')
    assert build(portal_dir) == 1
    err = capsys.readouterr().err
    line, text = next((n, text) for n, text in enumerate((portal_dir / "mkdocs.yml").read_text().splitlines(), 1)
                      if "color: blue" in text)
    assert f"mkdocs.yml:{line}:{text.index('blue') + 1}: the setting is not valid" in err and "#RRGGBB" in err


def test_accessibility_statement_is_generated_from_configuration(portal_dir):
    add_settings(portal_dir, "accessibility:\n  last_tested: 2026-10-01\n  status: partial\n"
                             "  known_issues:\n    - PDF-vedlegg fra 2024 er ikke universelt utformet.\n"
                             "  enforcement_name: Tilsynet for universell utforming av ikt\n"
                             "  enforcement_url: https://www.uutilsynet.no/")
    assert build(portal_dir) == 0
    page = soup(portal_dir, "accessibility/index.html")
    text = page.select_one("main").get_text(" ")
    assert "2026" in text and "PDF-vedlegg fra 2024" in text
    assert page.select_one('main a[href="https://www.uutilsynet.no/"]') is not None
    assert page.select_one('main a[href^="mailto:"]') is not None  # how to report a barrier
    footer_links = [a["href"] for a in soup(portal_dir, "index.html").select("footer a")]
    assert "accessibility/" in footer_links and "privacy/" in footer_links


def test_browse_index_lists_every_measure_by_sector_and_outcome_without_javascript(portal_dir):
    assert build(portal_dir) == 0
    site = portal_dir / "site"
    measures = {p.parent.name for p in (site / "measures").glob("*/index.html")}
    by_sector = {a["href"].rstrip("/").split("/")[-1] for p in (site / "browse" / "sector").glob("*/index.html")
                 for a in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select('main a[href*="measures/"]')}
    by_outcome = {a["href"].rstrip("/").split("/")[-1] for p in (site / "browse" / "outcome").glob("*/index.html")
                  for a in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select('main a[href*="measures/"]')}
    decided = {p.stem for p in (portal_dir / "decisions" / "measures").rglob("*.yml") if "outcome:" in p.read_text()}
    assert by_sector == measures
    assert by_outcome == decided
    browse = soup(portal_dir, "browse/index.html")
    assert browse.select('main a[href^="../browse/sector/"]') and browse.select('main a[href^="../browse/outcome/"]')


def test_search_index_covers_decisions_and_the_page_works_without_javascript(portal_dir):
    assert build(portal_dir) == 0
    site = portal_dir / "site"
    measure = next((site / "measures").glob("*/index.html"))
    title = BeautifulSoup(measure.read_text(encoding="utf-8"), "html.parser").h1.get_text()
    found = search_site(site, title)
    assert found and found[0] == measure.parent.relative_to(site).as_posix() + "/"
    assert "browse/" not in search_site(site, "sektor utfall")  # listings are not indexed
    search = soup(portal_dir, "search/index.html")
    fallback = search.select_one("#search-fallback")
    assert fallback is not None and fallback.select_one('a[href="../browse/"]')
    assert search.select_one("#search form")["hidden"] is not None  # shown only by the script


def test_every_page_has_social_preview_and_canonical_metadata(portal_dir):
    assert build(portal_dir) == 0
    site = portal_dir / "site"
    for html in site.rglob("index.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        url = html.parent.relative_to(site).as_posix()
        expected = "https://prioriteringer.testvik.kommune.no/" + ("" if url == "." else url + "/")
        assert page.select_one('link[rel="canonical"]')["href"] == expected, html
        assert page.select_one('meta[property="og:title"]')["content"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://prioriteringer.testvik.kommune.no/measures/" in sitemap
    assert "Sitemap: https://prioriteringer.testvik.kommune.no/sitemap.xml" in (site / "robots.txt").read_text()
