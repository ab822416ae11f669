"""The link check reads links, not text; a broken link is reported where it was written; and no
Markdown makes a build take time growing faster than the page (the "Trust" issue, items 6-7)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from portal_factory import (MEASURE_FUNDED, MEASURE_RATIONED, PAGE_HOW, ROUND_2025, HOW_TEXT, patched, position,
                            write_portal)
from prioportal.build.html_links import scan_html
from prioportal.cli import main
from prioportal.text import markup


def build(root: Path, capsys) -> tuple[int, str]:
    code = main(["-f", str(root / "mkdocs.yml"), "build"])
    return code, capsys.readouterr().err


# --- 1. Links, not text -----------------------------------------------------------------------


def test_escaped_markup_in_a_summary_and_in_a_page_is_no_link(tmp_path, capsys):
    """The summary becomes the page's meta description, where `<img src=x>` stands escaped
    inside an attribute value; the page's text holds it escaped in a text node, in code and in a
    quoted attribute value of allowed HTML."""
    root = write_portal(tmp_path / "portal", {
        MEASURE_FUNDED: patched(MEASURE_FUNDED, "summary: Flere ansatte i hjemmetjenesten,",
                                "summary: Flere <img src=x> ansatte & <a href=y>z</a> i hjemmetjenesten,"),
        PAGE_HOW: HOW_TEXT + '\nTekst med &lt;img src=x&gt; og `<img src=q>` og <abbr title="<img src=w>">t</abbr>.\n'
                             '\nEn lenke: src=x href=y.\n',
    })
    code, err = build(root, capsys)
    assert code == 0, err
    page = (root / "site" / "measures" / "styrket-hjemmetjeneste-2025" / "index.html").read_text(encoding="utf-8")
    assert 'content="Flere &lt;img src=x&gt;' in page  # the case of the issue, as it stands in the page


@pytest.mark.parametrize("html, links, ids", [
    ('<meta name="description" content="&lt;img src=x&gt;"><a href="y">', ["y"], set()),
    ("<p>&lt;img src=x&gt; src=x href=&quot;y&quot;</p><a href=y>", ["y"], set()),
    ('<a title="<img src=x>" href="y">', ["y"], set()),  # raw `<` in a quoted value
    ('<a title="a>b" href="y" id="i">', ["y"], {"i"}),  # raw `>` in a quoted value
    ("<!-- <a href=x> --><script>if (a<b) s = '<a href=x>'</script><style>a{}</style><a href=y>", ["y"], set()),
    ("<title>a <a href=x></title><textarea><a href=x></textarea><a href=y>", ["y"], set()),
    ('<script src="s.js"></script>', ["s.js"], set()),  # a real element's src, in a raw-text element
    ('<a href="y" title="never closed><a href=x>', [], set()),  # the rest of the page is in the open tag
    ("<a\nhref = 'y'\n>", ["y"], set()),
    ('<a href="a&amp;b" name="n"><A HREF=Y2 ID=I2><p name="not-an-anchor">', ["a&b", "Y2"], {"n", "I2"}),
    ('<img srcset="a 1x, b 2x"><a data-href="x" hreflang="x">', ["a", "b"], set()),
])
def test_only_real_attributes_of_real_elements_are_read(html, links, ids):
    page = scan_html(html)
    assert [url for _, _, url in page.links] == links
    assert page.ids == ids


# --- 2. Reported where it was written ---------------------------------------------------------


def test_a_broken_link_in_a_markdown_page_is_reported_at_its_file_and_line(tmp_path, capsys):
    text = HOW_TEXT + "\nFørst en linje.\n\nLes [mer her](finnes-ikke/) og [igjen](finnes-ikke/).\n"
    root = write_portal(tmp_path / "portal", {PAGE_HOW: text})
    code, err = build(root, capsys)
    assert code == 1
    line, column = position(text, "(finnes-ikke/) og", 1)
    _, second = position(text, "(finnes-ikke/).", 1)
    assert f"{PAGE_HOW}:{line}:{column}: the link 'finnes-ikke/' leads nowhere" in err
    assert f"{PAGE_HOW}:{line}:{second}: the link 'finnes-ikke/'" in err  # the second one, at its own place
    assert "on site/slik-prioriterer-vi/index.html" in err  # where it was found, for a relative link
    assert "site/slik-prioriterer-vi/index.html:" not in err


def test_a_broken_link_in_a_url_field_is_reported_at_the_yaml_line(tmp_path, capsys):
    measure = patched(MEASURE_FUNDED, "    url: https://testvik.kommune.no/brukerundersokelse\n",
                      "    url: /rapporter/finnes-ikke/\n")
    round_text = patched(ROUND_2025, "  minutes_url: https://testvik.kommune.no/protokoll-2024-12-12\n",
                         "  minutes_url: /protokoller/borte/\n")
    root = write_portal(tmp_path / "portal", {MEASURE_FUNDED: measure, ROUND_2025: round_text})
    code, err = build(root, capsys)
    assert code == 1
    line, column = position(measure, "/rapporter/finnes-ikke/")
    assert f"{MEASURE_FUNDED}:{line}:{column}: the link '/rapporter/finnes-ikke/' leads nowhere" in err
    line, column = position(round_text, "/protokoller/borte/")
    # Shown on the round's page and on the process page: reported once, at the field.
    [reported] = [row for row in err.splitlines() if "/protokoller/borte/" in row]
    assert reported.startswith(f"{ROUND_2025}:{line}:{column}: the link '/protokoller/borte/' leads nowhere")
    assert "and 1 more page" in reported


def test_a_broken_link_in_markdown_of_a_decision_text_is_reported_at_the_link(tmp_path, capsys):
    measure = patched(MEASURE_RATIONED, "    mitigation: Frivilligsentralen tilbyr hjelp.\n",
                      "    mitigation: |\n      Frivilligsentralen tilbyr hjelp,\n      se [siden](/frivillig/borte/).\n")
    root = write_portal(tmp_path / "portal", {MEASURE_RATIONED: measure})
    code, err = build(root, capsys)
    assert code == 1
    line, column = position(measure, "/frivillig/borte/")
    assert f"{MEASURE_RATIONED}:{line}:{column}: the link '/frivillig/borte/' leads nowhere" in err


def test_a_broken_link_made_by_a_template_names_the_template(tmp_path, capsys):
    theme = Path(__file__).parent.parent / "site_templates"
    template = (theme / "contact.html").read_text(encoding="utf-8").replace(
        '<h1>{{ page.title }}</h1>', '<h1>{{ page.title }}</h1>\n<p><a href="skjema/finnes-ikke.html">Skjema</a></p>', 1)
    root = write_portal(tmp_path / "portal", {"site_templates/contact.html": template})
    code, err = build(root, capsys)
    assert code == 1
    line, column = position(template, "skjema/finnes-ikke.html")
    assert f"site_templates/contact.html:{line}:{column}: the link 'skjema/finnes-ikke.html' leads nowhere" in err


def test_a_broken_link_a_template_makes_from_an_expression_is_shown_in_the_page_naming_the_template(tmp_path, capsys):
    theme = Path(__file__).parent.parent / "site_templates"
    template = (theme / "measure.html").read_text(encoding="utf-8").replace(
        "{% block content %}", '{% block content %}<a href="{{ root }}nowhere/">x</a>', 1)
    root = write_portal(tmp_path / "portal", {"site_templates/measure.html": template})
    code, err = build(root, capsys)
    assert code == 1
    line, _ = position(template, "}}nowhere/")
    rows = [row for row in err.splitlines() if "'../../nowhere/'" in row]
    assert len(rows) == 5  # each measure's page: no source holds the link as written
    assert all(row.startswith("site/measures/") and f"the template at site_templates/measure.html:{line} probably"
               in row for row in rows)


def test_the_preview_reports_a_broken_link_where_it_was_written(tmp_path):
    from prioportal.build.preview import Preview

    root = write_portal(tmp_path / "portal")
    preview = Preview(root / "mkdocs.yml", tmp_path / "preview")
    assert preview.build().ok
    text = HOW_TEXT + "\nSe [vedtaket](../measures/finnes-ikke/).\n"
    (root / PAGE_HOW).write_text(text, encoding="utf-8")
    outcome = preview.build([root / PAGE_HOW])
    assert not outcome.ok
    line, column = position(text, "../measures/finnes-ikke/")
    assert f"{PAGE_HOW}:{line}:{column}: the link '../measures/finnes-ikke/' leads nowhere" in outcome.message


# --- 3. Linear time ---------------------------------------------------------------------------

_SIZE = 60_000
_NORMAL = ("Kommunen prioriterer *tiltak* etter [kriteriene](../criteria/) og `kode` med **vekt** & mer.\n\n"
           "- punkt en\n- punkt to med <abbr title=\"a < b\">forkortelse</abbr>\n\n> sitat\n\n")
PATHOLOGICAL = {
    "unclosed <a": "<a ",
    "unclosed <a on lines": "<a x\n",
    "unclosed <div": "<div ",
    "unclosed quoted value": '<a href="',
    "unclosed autolink": "<http://",
    "quoted values hiding >": '<abbr title="<abbr title="?>1. ',
    "unclosed link address": "[x](",
    "many links in one paragraph": "[a](b) ",
    "many references": "[a][r] ",
    "unclosed brackets": "[",
    "many <": "< ",
}


def _seconds(text: str) -> float:
    """The best of two renderings, past the cache."""
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        markup._render_markdown(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_no_markdown_takes_much_longer_than_a_normal_page_of_its_size(name):
    unit = PATHOLOGICAL[name]
    text = (unit * (_SIZE // len(unit) + 1))[:_SIZE]
    normal = (_NORMAL * (_SIZE // len(_NORMAL) + 1))[:_SIZE]
    assert _seconds(text) <= 20 * _seconds(normal), name  # was up to 500× (three minutes)


def test_a_page_of_unclosed_tags_builds_as_fast_as_a_normal_page(tmp_path, capsys):
    """The issue's case, end to end: 60 KB of `<a ` took 38 s to build."""
    seconds = {}
    for name, unit in (("normal", _NORMAL), ("unclosed", "<a ")):
        body = (unit * (_SIZE // len(unit) + 1))[:_SIZE]
        root = write_portal(tmp_path / name, {"content/stor.md": "---\ntitle: Stor side\n---\n" + body})
        started = time.perf_counter()
        code, err = build(root, capsys)
        seconds[name] = time.perf_counter() - started
        assert code == 0, err
    assert seconds["unclosed"] <= 5 * seconds["normal"]


def test_the_link_check_reads_a_pathological_page_in_time_linear_in_its_length():
    normal = ('<p class="x">Tekst <a href="../y/">lenke</a> <span id="s">og</span></p>\n' * 900)[:_SIZE]
    for unit in ("<a ", '<a title="', "<a href=x title='", "<!--", "<script>", "<a href=x <b id=y "):
        text = (unit * (_SIZE // len(unit) + 1))[:_SIZE]
        best = min(_scan_seconds(text) for _ in range(2))
        assert best <= 20 * min(_scan_seconds(normal) for _ in range(2)), unit


def _scan_seconds(text: str) -> float:
    started = time.perf_counter()
    scan_html(text)
    return time.perf_counter() - started


# --- Normal Markdown renders as before ---------------------------------------------------------


@pytest.mark.parametrize("text, html", [
    ("a < b og c > d", "<p>a &lt; b og c &gt; d</p>"),
    ("x <3 og `a < b`", "<p>x &lt;3 og <code>a &lt; b</code></p>"),
    ('<abbr title="a < b">x</abbr> < 5', '<p><abbr title="a &lt; b">x</abbr> &lt; 5</p>'),
    ("[r]: <https://x.y\n\n[lenke][r]", '<p><a href="https://x.y" rel="noopener noreferrer">lenke</a></p>'),
    ("Tekst <!-- merknad --> < slutt", "<p>Tekst  &lt; slutt</p>"),
    ("Se <https://x.y> og [a](/x \"1 < 2\")",
     '<p>Se <a href="https://x.y" rel="noopener noreferrer">https://x.y</a> og '
     '<a href="/x" title="1 &lt; 2" rel="noopener noreferrer">a</a></p>'),
    ("[a [b] c](/x) [d](https://en.wikipedia.org/wiki/A_(b) \"t\")",
     '<p><a href="/x" rel="noopener noreferrer">a [b] c</a> '
     '<a href="https://en.wikipedia.org/wiki/A_(b)" title="t" rel="noopener noreferrer">d</a></p>'),
])
def test_normal_markdown_renders_as_it_did(text, html):
    assert str(markup._render_markdown(text)) == html
