"""The link checker on small hand-written sites: what a reader would hit as a dead link."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from prioportal.build.linkcheck import BrokenLink, check_links


def write_site(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n"


GOOD_SITE = {
    "index.html": page(
        '<a href="#main">skip</a><main id="main">\n'
        '<a href="measures/a/">A</a> <a href="measures/a/index.html">A again</a>\n'
        '<a href="criteria/k1/#criterion-nytte">Nytte</a> <a href="criteria/k1/#top">top</a>\n'
        '<a href="./criteria/k1/?from=home#">query and empty fragment</a>\n'
        '<a href="mailto:post@eksempelvik.kommune.no">e-mail</a> <a href="tel:+4712345678">phone</a>\n'
        '<img src="assets/logo.svg" alt="" srcset="assets/logo.svg 1x, assets/logo.svg 2x">\n'
        '</main>',
        head='<link rel="stylesheet" href="assets/style.css">'),
    "measures/a/index.html": page(
        '<a href="../../">home</a> <a href="../../criteria/k1/#criterion-nytte">criterion</a>\n'
        '<a href="../b">B without the slash</a> <a href="../../measures/a/#fn-1">note</a><p id="fn-1">1</p>\n'
        '<script src="../../assets/search.js"></script>'),
    "measures/b/index.html": page('<a href="/">home (root-relative)</a> <a href="/criteria/k1/#criterion-nytte">K1</a>'),
    "criteria/k1/index.html": page('<h2 id="criterion-nytte">Nytte</h2> <a name="old-anchor"></a>'
                                   '<a href="#old-anchor">old</a>'),
    "assets/style.css": "body{}",
    "assets/logo.svg": "<svg/>",
    "assets/search.js": "//",
    "404.html": page('<a href="/">home</a> <a href="/criteria/k1/">criteria</a>'
                     '<link rel="stylesheet" href="/assets/style.css">'),
}


def test_a_good_site_has_no_broken_links(tmp_path):
    report = check_links(write_site(tmp_path, GOOD_SITE))
    assert report.broken == []
    assert report.ok
    assert report.pages == 5
    assert report.external == []


def test_a_missing_page_is_reported_with_its_line_and_column(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/a/index.html"] = page('<p>Se også\n  <a href="../gone/">et tiltak som er slettet</a>.</p>')
    report = check_links(write_site(tmp_path, files))
    assert report.broken == [BrokenLink("measures/a/index.html", 5, 3, "../gone/",
                                        "there is no file measures/gone/index.html in the site")]
    assert not report.ok
    assert str(report.broken[0]) == ("measures/a/index.html:5:3: broken link '../gone/' — "
                                     "there is no file measures/gone/index.html in the site")


def test_a_missing_file_and_a_folder_without_index(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/b/index.html"] = page('<img src="../../assets/missing.png" alt="">\n<a href="../../assets/">x</a>')
    report = check_links(write_site(tmp_path, files))
    assert [(b.line, b.href, b.reason) for b in report.broken] == [
        (4, "../../assets/missing.png", "there is no file assets/missing.png in the site"),
        (5, "../../assets/", "the folder assets has no index.html"),
    ]


def test_a_missing_anchor_is_reported(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/a/index.html"] = page(
        '<a href="../../criteria/k1/#criterion-ressurs">Ressurs</a>\n<a href="#footnote">note</a>')
    report = check_links(write_site(tmp_path, files))
    assert [(b.page, b.line, b.reason) for b in report.broken] == [
        ("measures/a/index.html", 4, 'criteria/k1/index.html has no element with id="criterion-ressurs"'),
        ("measures/a/index.html", 5, 'this page has no element with id="footnote"'),
    ]


def test_root_relative_links_follow_the_base_path(tmp_path):
    files = dict(GOOD_SITE)
    files["404.html"] = page('<a href="/prioriteringer/">home</a>\n'
                             '<a href="/prioriteringer/criteria/k1/#criterion-nytte">criteria</a>\n'
                             '<a href="/prioriteringer/rounds/">rounds</a>\n'
                             '<a href="/criteria/k1/">forgot the base path</a>')
    files["measures/b/index.html"] = page('<a href="/prioriteringer">home without slash</a>')
    report = check_links(write_site(tmp_path, files), base_path="/prioriteringer/")
    assert [(b.page, b.line, b.href, b.reason) for b in report.broken] == [
        ("404.html", 6, "/prioriteringer/rounds/", "there is no file rounds/index.html in the site"),
        ("404.html", 7, "/criteria/k1/", "it leads outside the site, which is published under /prioriteringer/"),
    ]
    # The same site published at the root: now the base-path links are the broken ones.
    at_root = check_links(tmp_path, base_path="/")
    assert {b.href for b in at_root.broken} >= {"/prioriteringer/", "/prioriteringer/rounds/"}
    assert "/criteria/k1/" not in {b.href for b in at_root.broken}


def test_a_link_above_the_site_root_is_broken(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/a/index.html"] = page('<a href="../../../../outside/">up</a>')
    report = check_links(write_site(tmp_path, files))
    [broken] = report.broken
    assert broken.href == "../../../../outside/"
    assert broken.reason == "there is no file outside/index.html in the site"  # as a browser resolves it
    report = check_links(tmp_path, base_path="/prioriteringer/")
    [broken] = [b for b in report.broken if b.page == "measures/a/index.html"]
    assert broken.reason == "it leads outside the site, which is published under /prioriteringer/"


def test_external_links_are_collected_not_fetched(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the link checker tried to use the network")
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    files = dict(GOOD_SITE)
    files["measures/a/index.html"] = page('<a href="https://lovdata.no/lov">lov</a> <a href="http://x.no/">x</a>')
    files["measures/b/index.html"] = page('<a href="https://lovdata.no/lov">lov</a> <img src="//cdn.example/x.png">')
    report = check_links(write_site(tmp_path, files))
    assert report.broken == []
    assert [(e.url, e.pages) for e in report.external] == [
        ("//cdn.example/x.png", ("measures/b/index.html",)),
        ("http://x.no/", ("measures/a/index.html",)),
        ("https://lovdata.no/lov", ("measures/a/index.html", "measures/b/index.html")),
    ]


def test_links_to_the_site_itself_are_checked_when_site_url_is_given(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/a/index.html"] = page(
        '<link rel="canonical" href="https://prio.kommune.no/measures/a/">\n'
        '<a href="https://prio.kommune.no/measures/zz/">gone</a>')
    root = write_site(tmp_path, files)
    without = check_links(root)
    assert without.broken == [] and len(without.external) == 2
    report = check_links(root, site_url="https://prio.kommune.no/")
    assert [(b.line, b.href) for b in report.broken] == [(5, "https://prio.kommune.no/measures/zz/")]
    assert report.external == []


def test_percent_encoded_and_non_ascii_file_names(tmp_path):
    files = dict(GOOD_SITE)
    files["sider/måling/index.html"] = page('<p id="før">x</p>')
    files["measures/b/index.html"] = page('<a href="../../sider/m%C3%A5ling/#f%C3%B8r">encoded</a>'
                                          '<a href="../../sider/måling/#før">as written</a>')
    assert check_links(write_site(tmp_path, files)).broken == []


def test_entities_in_attributes_are_decoded(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/b/index.html"] = page('<a href="../../criteria/k1/?a=1&amp;b=2#criterion-nytte">x</a>')
    assert check_links(write_site(tmp_path, files)).broken == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_many_pages_give_the_same_report_in_one_or_more_processes(tmp_path, jobs):
    files = dict(GOOD_SITE)
    for i in range(240):
        files[f"measures/m{i}/index.html"] = page(f'<a href="../m{(i + 1) % 240}/#x">next</a><p id="x"></p>'
                                                  f'<a href="../m{i}/#nope">self</a>')
    report = check_links(write_site(tmp_path, files), jobs=jobs)
    assert report.pages == 245
    assert len(report.broken) == 240
    assert all(b.reason == 'this page has no element with id="nope"' for b in report.broken)


@pytest.mark.parametrize("site_url, base_path", [
    ("https://prioriteringer.testvik.kommune.no/", "/"),
    ("https://testvik.kommune.no/prioriteringer/", "/prioriteringer/"),
])
def test_the_built_portal_has_no_broken_links(make_portal, tmp_path, site_url, base_path):
    from portal_factory import MKDOCS, PORTAL_FILES
    from prioportal.cli import main

    mkdocs = PORTAL_FILES[MKDOCS].replace("site_url: https://prioriteringer.testvik.kommune.no/",
                                          f"site_url: {site_url}")
    root = make_portal({MKDOCS: mkdocs})
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(tmp_path / "site")]) == 0
    report = check_links(tmp_path / "site", base_path, site_url=site_url)
    assert [str(b) for b in report.broken] == []
    assert report.pages > 20 and report.links > 400
    assert "https://testvik.kommune.no/innspill" in {e.url for e in report.external}
    # 404.html uses root-relative links, so a wrong base path shows up there.
    wrong = check_links(tmp_path / "site", "/" if base_path != "/" else "/elsewhere/")
    assert any(b.page == "404.html" for b in wrong.broken)


def test_links_inside_comments_and_scripts_are_not_links(tmp_path):
    files = dict(GOOD_SITE)
    files["measures/b/index.html"] = page('<a href="../../">home</a>\n<!-- <a href="nowhere/">old</a> -->\n'
                                          '<script>var a = \'<a href="gone/">\';</script>\n<a href="../../missing/">x</a>')
    report = check_links(write_site(tmp_path, files))
    [broken] = report.broken
    assert broken.href == "../../missing/"
    assert (broken.line, broken.column) == (7, 1)  # the fourth line of the body


HTML_PIECES = st.sampled_from(['<a href="', '">', "<", ">", "</a>", '<p id="', '"', "'", "#", "../", "/", "x/",
                               "index.html", "<![", "<!--", "-->", "&amp;", "&#", "<base href=", "<img srcset=",
                               " ", "\n", "?", "%", "%C3", "mailto:", "https://", "//", "\x00", "\ud800"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.one_of(HTML_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_property_any_page_text_gives_a_report_never_an_exception(tmp_path, body):
    root = write_site(tmp_path / "site", {"index.html": "", "x/index.html": ""})
    (root / "x" / "index.html").write_bytes(body.encode("utf-8", errors="surrogatepass"))
    report = check_links(root, base_path="/p/")
    for broken in report.broken:
        assert broken.page == "x/index.html" and broken.line >= 1 and broken.column >= 1


def test_the_preview_link_index_reports_what_a_full_check_reports(tmp_path):
    """The preview keeps each page's scan between builds; after pages change, files appear and
    files go, its report must still be the full check's."""
    from prioportal.build.linkcheck import LinkIndex, site_files

    site = write_site(tmp_path / "site", GOOD_SITE)
    index = LinkIndex("/")

    def index_report(changed: dict[str, str]):
        return index.check(set(site_files(site)), changed)

    everything = {name: (site / name).read_text(encoding="utf-8") for name in site_files(site) if name.endswith(".html")}
    assert index_report(everything) == check_links(site) and check_links(site).ok

    (site / "measures" / "b" / "index.html").unlink()  # a page goes: links to it break
    (site / "measures" / "b").rmdir()
    after_removal = index_report({})
    assert after_removal == check_links(site) and not after_removal.ok

    changed = page('<a href="../../">home</a> <a href="../c/">C</a> <a href="#nowhere">x</a>')
    write_site(site, {"measures/a/index.html": changed, "measures/b/index.html": GOOD_SITE["measures/b/index.html"],
                      "measures/c/index.html": page('<a href="../a/#fn-1">A</a>')})  # mends, adds, breaks
    after_edit = index_report({name: (site / name).read_text(encoding="utf-8")
                               for name in ("measures/a/index.html", "measures/b/index.html", "measures/c/index.html")})
    assert after_edit == check_links(site)
    assert [b.href for b in after_edit.broken] == ["#nowhere", "../a/#fn-1"]
    # The preview asks for the broken links alone.
    assert index.check(set(site_files(site)), {}, list_external=False) == replace(after_edit, external=[])

    # An id appears in a page that another links to: that link is mended, though its page is the same.
    mended = page('<a href="../../">home</a> <a href="../c/">C</a> <p id="fn-1">1</p>')
    write_site(site, {"measures/a/index.html": mended})
    after_id = index.check(set(site_files(site)), {"measures/a/index.html": mended}, list_external=False)
    assert after_id == replace(check_links(site), external=[]) and after_id.ok
    write_site(site, {"measures/a/index.html": changed})
    assert index_report({"measures/a/index.html": changed}) == after_edit  # and broken again

    # A folder without index.html, linked to, and then gone with its only file: the same link is
    # broken for another reason, and a link to the file itself breaks.
    linking = page('<a href="../../">home</a> <a href="../../docs/">docs</a> <a href="../../docs/x.pdf">pdf</a>')
    write_site(site, {"measures/a/index.html": linking, "docs/x.pdf": "%PDF"})
    with_folder = index_report({"measures/a/index.html": linking})
    assert with_folder == check_links(site)
    assert [b.reason for b in with_folder.broken if "docs" in b.href] == ["the folder docs has no index.html"]
    (site / "docs" / "x.pdf").unlink()
    (site / "docs").rmdir()
    without_folder = index_report({})
    assert without_folder == check_links(site)
    assert [b.reason for b in without_folder.broken if "docs" in b.href] == [
        "there is no file docs/index.html in the site", "there is no file docs/x.pdf in the site"]


def test_links_checked_while_the_pages_render_give_the_report_of_a_check_of_the_finished_site(portal_dir, tmp_path):
    """A build checks each page's links in the worker that renders it, before the open data,
    feeds and other language trees exist: links to those wait until the site is written. The
    report must be what a check of the finished site gives: the same broken links, nothing more."""
    from test_multilingual import bilingual
    from prioportal.build.linkcheck import LinkCheck
    from prioportal.build.pipeline import load_from_settings, render_site, site_path
    from prioportal.settings import load_settings

    bilingual(portal_dir)
    page = portal_dir / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Data](open-data/measures.csv), [feed](feed.xml), "
                    "[English](en/), [gone](open-data/gone.csv), [no page](measures/finnes-ikke/), "
                    "[no id](criteria/#nope).\n", encoding="utf-8")
    settings = load_settings(portal_dir / "mkdocs.yml")
    check = LinkCheck(site_path(settings), settings.site_url)
    render_site(settings, load_from_settings(settings), tmp_path / "site", check)
    during = check.report(tmp_path / "site", jobs=2)
    assert during == check_links(tmp_path / "site", site_path(settings), site_url=settings.site_url)
    assert sorted(b.href for b in during.broken) == ["criteria/#nope", "measures/finnes-ikke/", "open-data/gone.csv"]
    assert all(b.page == "index.html" for b in during.broken)
    assert during.pages > 40
