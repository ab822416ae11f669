"""WCAG 2.1 AA (EN 301 549) and valid HTML on every page type of the built example portal.

Each test runs once per page type. The page types are found by walking the built site
(browser.discover_page_types): pages are grouped by the template that rendered them, so a page
kind added later (a search page, an accessibility statement) is tested without touching this
file, and measure pages are tested once per outcome kind. The page types only a priority list
has come from the third example, a region's lists (examples/region-mellanvik, `REGION_KINDS`),
served on a server of their own. Debian's Chromium renders the pages,
axe-core checks the WCAG rules and vnu.jar validates the HTML. Without Chromium or Java these
tests skip on a developer's machine and fail under CI.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import yaml

import browser
from browser import PageType

# --- Parametrisation over the page types found in the built site ---------------------------


def only_pages(predicate):
    """Run the decorated test only on page types whose HTML satisfies predicate(html)."""
    def mark(test):
        test.page_filter = predicate
        return test
    return mark


# The page types of the region's example (examples/region-mellanvik) that only a priority list
# has, and the pages every site has whose content a priority list changes: one page of each.
REGION_KINDS = ("priority-list", "priority-list-part", "priority-list-changes", "pair", "priority-lists", "rounds",
                "home", "browse")


def region_page_types() -> list[PageType]:
    found: dict[str, PageType] = {}
    for t in browser.discover_page_types(browser.built_example(browser.REGION)):
        kind = t.name.split(" (")[0]
        if kind in REGION_KINDS and kind not in found:
            found[kind] = replace(t, name=f"region: {kind}", example="region")
    return list(found.values())


def _page_types() -> list[PageType] | str:
    try:
        return browser.discover_page_types(browser.built_site()) + region_page_types()
    except browser.BuildFailed as exc:
        return str(exc)


def pytest_generate_tests(metafunc):
    if "page_type" not in metafunc.fixturenames:
        return
    types = _page_types()
    if isinstance(types, str):  # the build failed: one case, which fails with the build's message
        metafunc.parametrize("page_type", [None], ids=["build-failed"], indirect=True)
        return
    wanted = getattr(metafunc.function, "page_filter", None)
    if wanted is not None:
        types = [t for t in types if wanted(t.file.read_text(encoding="utf-8"))]
    metafunc.parametrize("page_type", types, ids=[t.name for t in types], indirect=True)


@pytest.fixture
def page_type(request) -> PageType:
    if request.param is None:
        request.getfixturevalue("example_site")  # fails with the build's own message
    return request.param


@pytest.fixture(scope="session")
def shared_tabs(chromium):
    """One page with JavaScript and one without, reused by every test (a new browser context per
    test costs more than most tests); each test sets the viewport and media it needs, then loads."""
    tabs: dict[bool, tuple] = {}

    def get(javascript: bool):
        if javascript not in tabs or tabs[javascript][1].is_closed():
            context = chromium.new_context(java_script_enabled=javascript)
            tabs[javascript] = (context, context.new_page())
        return tabs[javascript][1]
    yield get
    for context, _ in tabs.values():
        context.close()


@pytest.fixture(scope="session")
def region_server():
    """The region's example (priority lists), served like the bokmål one."""
    server = browser.LocalServer(browser.built_example(browser.REGION))
    yield server
    server.close()


@pytest.fixture
def server_of(request, site_server):
    """server_of(page_type) -> the server of the example the page type is from."""
    return lambda page_type: request.getfixturevalue("region_server") if page_type.example == "region" else site_server


@pytest.fixture
def page_of(shared_tabs, server_of):
    """page_of(page_type, width=, height=, color_scheme=, reduced_motion=, javascript=, requests=)
    -> a Playwright page with that page type freshly loaded from the local server."""
    listeners = []

    def load(page_type: PageType, *, width=1280, height=900, color_scheme="light",
             reduced_motion="no-preference", javascript=True, requests: list | None = None):
        page = shared_tabs(javascript)
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme=color_scheme, reduced_motion=reduced_motion)
        if requests is not None:
            listener = lambda r: requests.append(r.url)  # noqa: E731
            page.on("request", listener)
            listeners.append((page, listener))
        response = page.goto(server_of(page_type).url(page_type.url), wait_until="load")
        assert response is not None and response.status == 200, \
            f"{page_type.url}: HTTP {response.status if response else 'no response'}"
        return page
    yield load
    for page, listener in listeners:
        page.remove_listener("request", listener)


# --- axe-core ------------------------------------------------------------------------------

def axe_violations(page, options: dict) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe
    if page.evaluate("() => typeof window.axe === 'undefined'"):
        page.evaluate(Axe().axe_script)
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def test_axe_finds_no_wcag_21_aa_violation_in_light_and_dark_mode(page_type, page_of):
    """Every WCAG 2.1 A/AA rule with the light colours; then the colour rules again in dark mode."""
    page = page_of(page_type, color_scheme="light")
    report = []
    light = axe_violations(page, {"runOnly": {"type": "tag", "values": browser.WCAG_TAGS}, "resultTypes": ["violations"]})
    if light:
        report.append(f"light mode:\n{describe_violations(light)}")
    page.emulate_media(color_scheme="dark")
    dark = axe_violations(page, {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
                                 "resultTypes": ["violations"]})
    if dark:
        report.append(f"dark mode (prefers-color-scheme: dark):\n{describe_violations(dark)}")
    assert not report, f"{page_type.name} ({page_type.url}):\n" + "\n".join(report)


# --- A listing cut into pages (the example's listings all fit on one page) ------------------

@pytest.fixture(scope="session")
def paged_site_server(tmp_path_factory):
    """A demo portal whose rounds of 60 measures run onto a second page, served like the example."""
    from prioportal.cli import main
    from prioportal.tools.demo.portal import write_demo_portal
    portal = write_demo_portal(tmp_path_factory.mktemp("paged") / "portal", measures=120)
    site = portal.parent / "site"
    assert main(["-f", str(portal / "mkdocs.yml"), "build", "--site-dir", str(site)]) == 0
    server = browser.LocalServer(site)
    yield server
    server.close()


def test_axe_finds_no_violation_on_a_paginated_round_page(shared_tabs, paged_site_server):
    page = shared_tabs(True)
    page.set_viewport_size({"width": 1280, "height": 900})
    report = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme, reduced_motion="no-preference")
        response = page.goto(paged_site_server.url("/rounds/budsjett-2026/page/2/"), wait_until="load")
        assert response is not None and response.status == 200
        found = axe_violations(page, {"runOnly": {"type": "tag", "values": browser.WCAG_TAGS},
                                      "resultTypes": ["violations"]})
        if found:
            report.append(f"{scheme} mode:\n{describe_violations(found)}")
    assert not report, "\n".join(report)


# --- The Nu HTML Checker --------------------------------------------------------------------

@pytest.fixture(scope="session")
def vnu_messages(example_site):
    """vnu.jar over every page type's file and the style sheets, in one Java call."""
    browser.require(browser.vnu_missing_reason() is None, browser.vnu_missing_reason() or "")
    types = browser.discover_page_types(example_site) + region_page_types()
    files = [t.file for t in types] + sorted((example_site / "assets").glob("*.css"))
    by_file: dict[str, list[dict]] = {}
    for message in browser.run_vnu(files):
        by_file.setdefault(message.get("url", ""), []).append(message)
    return by_file


def _vnu_errors(messages: list[dict]) -> list[str]:
    return [f"line {m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()[:120]}]"
            for m in messages if m.get("type") in ("error", "non-document-error")]


def test_html_is_valid(page_type, vnu_messages):
    errors = _vnu_errors(vnu_messages.get(page_type.file.as_uri(), []))
    assert not errors, f"{page_type.name} ({page_type.file}):\n" + "\n".join(errors)


def test_style_sheets_are_valid_css(vnu_messages):
    errors = [f"{url.rsplit('/', 1)[-1]}: {e}" for url, messages in vnu_messages.items() if url.endswith(".css")
              for e in _vnu_errors(messages)]
    assert not errors, "\n".join(errors)


# --- Structure: headings, landmarks, language, tables ----------------------------------------

STRUCTURE_JS = """() => {
  const name = el => (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).map(id => document.getElementById(id))
           .filter(Boolean).map(e => e.textContent.trim()).join(' ');
  const inSection = el => el.parentElement.closest('article, aside, main, nav, section');
  return {
    lang: document.documentElement.getAttribute('lang'),
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
    banners: [...document.querySelectorAll('header, [role=banner]')].filter(h => h.getAttribute('role') === 'banner' || !inSection(h)).length,
    contentinfos: [...document.querySelectorAll('footer, [role=contentinfo]')].filter(f => f.getAttribute('role') === 'contentinfo' || !inSection(f)).length,
    mains: document.querySelectorAll('main, [role=main]').length,
    navs: [...document.querySelectorAll('nav, [role=navigation]')].map(n => name(n)),
    tables: [...document.querySelectorAll('table')].map((t, i) => ({
      index: i,
      caption: t.caption ? t.caption.textContent.trim() : '',
      headers: t.querySelectorAll('th').length,
      headersWithoutScope: [...t.querySelectorAll('tbody th, tfoot th')].filter(th => !th.getAttribute('scope')).length,
    })),
  };
}"""


def test_one_h1_landmarks_and_language(page_type, page_of):
    s = page_of(page_type).evaluate(STRUCTURE_JS)
    problems = []
    if len(s["h1"]) != 1 or not s["h1"][0]:
        problems.append(f"expected exactly one non-empty h1, found {s['h1']}")
    if s["banners"] != 1:
        problems.append(f"expected one banner landmark (page header), found {s['banners']}")
    if s["contentinfos"] != 1:
        problems.append(f"expected one contentinfo landmark (page footer), found {s['contentinfos']}")
    if s["mains"] != 1:
        problems.append(f"expected one main landmark, found {s['mains']}")
    if not s["navs"]:
        problems.append("no nav landmark")
    if any(not n for n in s["navs"]):
        problems.append(f"every nav needs a label (aria-label/aria-labelledby): {s['navs']}")
    if len(set(s["navs"])) != len(s["navs"]):
        problems.append(f"two navs with the same label cannot be told apart: {s['navs']}")
    language = browser.portal_language(browser.REGION if page_type.example == "region" else browser.REPO / "mkdocs.yml")
    if s["lang"] != language:
        problems.append(f"<html lang> is {s['lang']!r}, the portal's language is {language!r}")
    assert not problems, f"{page_type.name} ({page_type.url}):\n" + "\n".join(problems)


@only_pages(lambda html: "<table" in html)
def test_tables_have_a_caption_and_header_cells(page_type, page_of):
    problems = []
    for t in page_of(page_type).evaluate(STRUCTURE_JS)["tables"]:
        if not t["caption"]:
            problems.append(f"table {t['index']} has no caption")
        if not t["headers"]:
            problems.append(f"table {t['index']} has no header cells")
        if t["headersWithoutScope"]:
            problems.append(f"table {t['index']}: {t['headersWithoutScope']} row header(s) without scope")
    assert not problems, f"{page_type.name} ({page_type.url}):\n" + "\n".join(problems)


def test_a_markdown_table_in_content_gets_the_caption_its_writer_gave_it():
    """The example's content/ pages have no table, so the page types above may show none: the
    caption a communicator writes (README: a paragraph `: Caption` after the table) is checked here."""
    from bs4 import BeautifulSoup

    from prioportal.text.markup import render_markdown
    html = BeautifulSoup(str(render_markdown(browser.NARRATIVE_PAGE.split("---\n", 2)[2])), "html.parser")
    table = html.select_one("div.table-scroll[role=region] > table")
    assert table is not None and table.caption is not None
    assert table.caption.get_text() == "Når du kan si din mening, og når kommunen vedtar"
    assert table.find_parent("div")["aria-label"] == table.caption.get_text()
    assert [th.get_text() for th in table.select("thead th")] == ["Fase", "Når"]


# --- Keyboard -------------------------------------------------------------------------------

# The style of an element, and the first opaque background behind it (for the focus ring's contrast).
STYLE_FN = """el => {
  const cs = getComputedStyle(el);
  let bg = 'rgb(255, 255, 255)';
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) { bg = c; break; }
  }
  return {outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0, outlineColor: cs.outlineColor,
          boxShadow: cs.boxShadow, background: bg};
}"""

# Every element reachable with Tab, in document order, marked so the test can tell them apart,
# with its style while nothing has focus.
TABBABLE_JS = """() => {
  const style = """ + STYLE_FN + """;
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], iframe, [contenteditable=""], [contenteditable=true]';
  const main = document.querySelector('main');
  const items = [];
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.tabIndex < 0 || el.disabled) continue;
    if (el.closest('[inert], [hidden]')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || !el.getClientRects().length) continue;
    el.dataset.a11yKey = String(n++);
    items.push({key: el.dataset.a11yKey, tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 60),
                positive: el.tabIndex > 0, beforeMain: !!(main && (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)),
                unfocused: style(el)});
  }
  return items;
}"""

FOCUS_STATE_JS = """() => {
  const style = """ + STYLE_FN + """;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const r = el.getBoundingClientRect();
  return Object.assign(style(el), {
    key: el.dataset.a11yKey || null, tag: el.tagName.toLowerCase(), id: el.id,
    text: (el.textContent || '').trim().slice(0, 60), href: el.getAttribute('href'),
    top: r.top, left: r.left, width: r.width, height: r.height,
  });
}"""

_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _luminance(colour: str) -> float | None:
    m = _RGB.search(colour)
    if not m or (m.group(4) is not None and float(m.group(4)) == 0):
        return None

    def channel(v: str) -> float:
        c = float(v) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(m.group(i)) for i in (1, 2, 3))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    if la is None or lb is None:
        return 1.0
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def focus_ring_problem(focused: dict, unfocused: dict) -> str | None:
    """None if the focused element shows a ring it lacks unfocused (an outline of at least 2 px or
    a box-shadow) in a colour with 3:1 contrast against the background (WCAG 1.4.11)."""
    outline = focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] >= 2
    shadow = focused["boxShadow"] not in ("none", "")
    changed = any(focused[k] != unfocused[k] for k in ("outlineStyle", "outlineWidth", "outlineColor", "boxShadow"))
    if not (outline or shadow) or not changed:
        return (f"no visible focus indicator: outline {focused['outlineStyle']} {focused['outlineWidth']}px, "
                f"box-shadow {focused['boxShadow']}")
    colours = ([focused["outlineColor"]] if outline else []) + (
        [m.group(0) for m in _RGB.finditer(focused["boxShadow"])] if shadow else [])
    best = max(contrast(c, focused["background"]) for c in colours)
    if best < 3:
        return f"focus indicator contrast {best:.2f}:1 against {focused['background']} (needs 3:1): {colours}"
    return None


@only_pages(lambda html: 'class="skip-link"' in html or 'href="#main"' in html)
def test_skip_link_appears_on_focus_and_moves_focus_to_main(page_type, page_of):
    page = page_of(page_type)
    skip = page.locator("a[href='#main']").first
    box = skip.bounding_box()
    hidden_before = box is None or box["y"] + box["height"] <= 0 or box["x"] + box["width"] <= 0
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE_JS)
    assert state and state["href"] == "#main", f"{page_type.name}: the first Tab stop is {state}, not the skip link"
    assert hidden_before, f"{page_type.name}: the skip link is visible before it gets focus"
    assert state["top"] >= 0 and state["left"] >= 0 and state["width"] > 20 and state["height"] > 10, \
        f"{page_type.name}: the focused skip link is not on screen: {state}"
    problem = focus_ring_problem(state, {"outlineStyle": "none", "outlineWidth": 0, "outlineColor": "", "boxShadow": "none"})
    assert problem is None, f"{page_type.name}: skip link: {problem}"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main", \
        f"{page_type.name}: activating the skip link did not move focus to <main id=main>"
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')"), \
        f"{page_type.name}: after the skip link, Tab does not go on inside main"


def test_skip_link_exists_on_every_page(page_type):
    assert 'href="#main"' in page_type.file.read_text(encoding="utf-8"), f"{page_type.name}: no skip link to #main"


def test_tab_reaches_every_link_in_order_with_a_visible_focus_ring(page_type, page_of, color_scheme="light"):
    page = page_of(page_type, color_scheme=color_scheme)
    expected = page.evaluate(TABBABLE_JS)
    by_key = {item["key"]: item for item in expected}
    problems = [f"positive tabindex changes the reading order: {i['tag']} {i['text']!r}" for i in expected if i["positive"]]
    reached: list[str] = []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE_JS)
        if state is None or state["key"] is None:  # focus left the document: not trapped
            break
        if reached and state["key"] == reached[0]:  # headless Chromium wraps round to the top: not trapped
            break
        if state["key"] in reached:
            problems.append(f"focus went back to {state['tag']} {state['text']!r}: trapped in a loop")
            break
        reached.append(state["key"])
        problem = focus_ring_problem(state, by_key[state["key"]]["unfocused"])
        if problem:
            problems.append(f"{state['tag']} {state['text']!r}: {problem}")
    else:
        problems.append("Tab never left the page: focus is trapped")
    if reached != [item["key"] for item in expected]:
        missing = [f"{i['tag']} {i['text']!r}" for i in expected if i["key"] not in reached]
        problems.append(f"Tab order is not the document order: reached {len(reached)} of {len(expected)}; "
                        f"never reached: {missing[:5]}")
    assert not problems, f"{page_type.name} ({page_type.url}, {color_scheme}):\n" + "\n".join(problems)


# Focus each element from script after one real Tab press, so that :focus-visible applies as it
# does for keyboard users, and read its style: one call for the whole page.
FOCUS_ALL_JS = """() => {
  const style = """ + STYLE_FN + """;
  return [...document.querySelectorAll('[data-a11y-key]')].map(el => {
    el.focus({focusVisible: true});
    const s = Object.assign(style(el), {key: el.dataset.a11yKey, tag: el.tagName.toLowerCase(),
                                        text: (el.textContent || '').trim().slice(0, 60), visible: el.matches(':focus-visible')});
    el.blur();
    return s;
  });
}"""


def test_focus_ring_is_visible_in_dark_mode(page_type, page_of):
    page = page_of(page_type, color_scheme="dark")
    unfocused = {item["key"]: item["unfocused"] for item in page.evaluate(TABBABLE_JS)}
    page.keyboard.press("Tab")
    problems = []
    for state in page.evaluate(FOCUS_ALL_JS):
        if not state["visible"]:
            problems.append(f"{state['tag']} {state['text']!r}: :focus-visible does not apply")
            continue
        problem = focus_ring_problem(state, unfocused[state["key"]])
        if problem:
            problems.append(f"{state['tag']} {state['text']!r}: {problem}")
    assert not problems, f"{page_type.name} ({page_type.url}, dark):\n" + "\n".join(problems)


def test_shift_tab_goes_back_through_the_header_in_reverse_order(page_type, page_of):
    page = page_of(page_type)
    before_main = [item["key"] for item in page.evaluate(TABBABLE_JS) if item["beforeMain"]]
    assert before_main, f"{page_type.name}: nothing before main is focusable (the skip link and the menu should be)"
    page.locator("main").focus()
    visited: list[str] = []
    for _ in range(len(before_main) + 3):
        page.keyboard.press("Shift+Tab")
        state = page.evaluate(FOCUS_STATE_JS)
        if state is None or state["key"] not in before_main or state["key"] in visited:
            break  # left the page, or wrapped round to the end: either way, not trapped
        visited.append(state["key"])
    assert visited == list(reversed(before_main)), \
        f"{page_type.name}: Shift+Tab from main visited {visited}, expected {list(reversed(before_main))}"


# --- Reflow and text size -----------------------------------------------------------------

OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const problems = [];
  if (doc.scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways: ${doc.scrollWidth}px content in a ${window.innerWidth}px window`);
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '');
  // Anything sticking out of the window, outside a scroll region of its own.
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll, [role=region][tabindex]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 1) {
      problems.push(`${name(el)} reaches ${Math.round(r.right)}px: "${(el.textContent || '').trim().slice(0, 50)}"`);
      if (problems.length > 8) break;
    }
  }
  // Text cut off by a box that hides its overflow (the skip link hides off-screen on purpose).
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (!['hidden', 'clip'].includes(cs.overflowX) && !['hidden', 'clip'].includes(cs.overflowY)) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      problems.push(`${name(el)} clips its content: "${(el.textContent || '').trim().slice(0, 50)}"`);
  }
  // Wide content may scroll inside its own region, which keyboard users must reach and hear named.
  for (const region of document.querySelectorAll('.table-scroll')) {
    if (region.scrollWidth <= region.clientWidth) continue;
    const cs = getComputedStyle(region);
    if (!['auto', 'scroll'].includes(cs.overflowX)) problems.push('a wide table region does not scroll');
    if (region.tabIndex !== 0) problems.push('a scrolling table region is not focusable (tabindex=0)');
    if (!region.getAttribute('aria-label') && !region.getAttribute('aria-labelledby')) problems.push('a scrolling table region has no name');
  }
  return problems;
}"""

# Through the CSSOM: the pages' Content-Security-Policy (style-src 'self') refuses a <style> tag.
ROOT_FONT_200_JS = "() => document.documentElement.style.setProperty('font-size', '200%', 'important')"


def test_reflow_at_320_css_pixels(page_type, page_of):
    """WCAG 1.4.10: at 320 CSS px (1280 px at 400 %) nothing but a data table scrolls sideways."""
    problems = page_of(page_type, width=320, height=640).evaluate(OVERFLOW_JS)
    assert not problems, f"{page_type.name} at 320 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("how", ["root font-size 200%", "zoom 200%"])
def test_text_at_200_percent_is_not_cut_off(page_type, page_of, how):
    """WCAG 1.4.4: text enlarged to 200 %, by the text size alone or by browser zoom."""
    if how == "zoom 200%":  # a 1280 px window zoomed to 200 % lays out like a 640 px one
        page = page_of(page_type, width=640, height=450)
    else:
        page = page_of(page_type, width=1280, height=900)
        page.evaluate(ROOT_FONT_200_JS)
    problems = page.evaluate(OVERFLOW_JS)
    assert not problems, f"{page_type.name} with {how}:\n" + "\n".join(problems)


def test_text_at_200_percent_on_a_phone(page_type, page_of):
    """A phone set to its largest text size (about 200 %) in a 375 px window still reflows."""
    page = page_of(page_type, width=375, height=812)
    page.evaluate(ROOT_FONT_200_JS)
    problems = page.evaluate(OVERFLOW_JS)
    assert not problems, f"{page_type.name} at 375 px with 200 % text:\n" + "\n".join(problems)


# --- Motion and colour scheme -----------------------------------------------------------------

def test_reduced_motion_turns_off_animation(page_type, page_of):
    page = page_of(page_type, reduced_motion="reduce")
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(el => {
        const cs = getComputedStyle(el);
        return cs.animationName !== 'none' || parseFloat(cs.transitionDuration) > 0 || cs.scrollBehavior === 'smooth';
      }).map(el => el.tagName.toLowerCase() + '.' + el.className).slice(0, 10)""")
    assert not moving, f"{page_type.name}: moves with prefers-reduced-motion: reduce: {moving}"


def test_dark_mode_is_applied(page_type, page_of):
    colours_js = "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    page = page_of(page_type, color_scheme="light")
    light = page.evaluate(colours_js)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(colours_js)
    assert dark != light, f"{page_type.name}: prefers-color-scheme: dark changes nothing ({dark})"
    assert contrast(*dark) >= 7 and contrast(*light) >= 7, f"{page_type.name}: body text contrast light {light}, dark {dark}"


# --- Meaning in text, not colour --------------------------------------------------------------

def _outcome_labels() -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for path in (browser.REPO / "decisions" / "criteria").glob("*.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        for term in data.get("outcomes", []) or []:
            labels.setdefault(term.get("kind", ""), set()).add(term.get("label", "").strip())
    return labels


BADGES_JS = """() => [...document.querySelectorAll('.badge')].map(b => {
  const clone = b.cloneNode(true);
  clone.querySelectorAll('[aria-hidden=true]').forEach(e => e.remove());
  return {kind: [...b.classList].find(c => c.startsWith('badge-')).slice(6), text: clone.textContent.trim(),
          visible: b.innerText.trim()};
})"""


@only_pages(lambda html: 'class="badge ' in html)
def test_outcome_badges_say_the_outcome_in_words(page_type, page_of):
    badges = page_of(page_type).evaluate(BADGES_JS)
    labels = _outcome_labels()
    problems = []
    for badge in badges:
        if not re.search(r"\w", badge["text"]):
            problems.append(f"a {badge['kind']} badge has no text, only colour and an icon")
        elif labels.get(badge["kind"]) and badge["text"] not in labels[badge["kind"]]:
            problems.append(f"a {badge['kind']} badge says {badge['text']!r}, not one of {sorted(labels[badge['kind']])}")
        if badge["text"] and badge["text"] not in badge["visible"].replace("\n", " ").replace("\u00ad", ""):
            problems.append(f"the {badge['kind']} badge's words are not visible: {badge['visible']!r}")
    assert not problems, f"{page_type.name}:\n" + "\n".join(problems)


@only_pages(lambda html: 'class="ranking"' in html)
def test_funding_line_is_said_in_words(page_type, page_of):
    page = page_of(page_type)
    rows = page.evaluate("""() => [...document.querySelectorAll('table.ranking tbody tr')].map(tr => ({
        cls: tr.className, text: tr.innerText.trim(),
        tag: tr.querySelector('.below-tag') ? tr.querySelector('.below-tag').innerText.trim() : ''}))""")
    lines = [r for r in rows if "funding-line" in r["cls"]]
    assert len(lines) == 1, f"{page_type.name}: expected one funding-line row, found {len(lines)}"
    line_text = lines[0]["text"]
    assert len(line_text) > 30 and ":" in line_text, f"{page_type.name}: the funding line row says only {line_text!r}"
    caption = page.locator("table.ranking caption").inner_text()
    amount = re.search(r"\d[\d\s\u00a0\u202f.,]*\d", line_text)
    assert amount and amount.group(0) in caption, \
        f"{page_type.name}: the funding line row should name the budget frame: {line_text!r} (caption {caption!r})"
    untold = [r["text"][:60] for r in rows if r["cls"] == "below" and not r["tag"]]
    assert not untold, f"{page_type.name}: rows below the funding line say so only with colour: {untold}"
    line_index = rows.index(lines[0])
    assert all(i < line_index for i, r in enumerate(rows) if r["cls"] == "above"), \
        f"{page_type.name}: a row within the frame comes after the funding line"


@only_pages(lambda html: 'class="decision-box"' in html)
def test_measure_page_says_outcome_and_reason_in_text(page_type, page_of):
    page = page_of(page_type)
    outcome = page.locator(".decision-box .outcome-line").inner_text().strip()
    assert re.search(r"\w{3,}", outcome), f"{page_type.name}: the outcome line has no words: {outcome!r}"
    if not page_type.name.endswith(("(funded)", "(efficiency)", "(not decided)")):
        why = page.locator("section.why")
        assert why.count() == 1 and len(why.inner_text()) > 80, f"{page_type.name}: no 'why this decision' text"


# --- Privacy and robustness --------------------------------------------------------------------

def test_no_request_leaves_the_local_server(page_type, page_of, server_of):
    requests: list[str] = []
    page = page_of(page_type, requests=requests)
    if page.locator("script").count():  # a script may fetch after load (the search index)
        page.wait_for_load_state("networkidle")
    origin = server_of(page_type).origin
    foreign = [u for u in requests if not (u.startswith(origin + "/") or u.startswith("data:"))]
    assert requests, "no request was recorded"
    assert not foreign, f"{page_type.name}: requests to third parties: {foreign}"


def test_readable_without_javascript(page_type, page_of):
    """The same h1 and main text without JavaScript. A page that loads a script (the search) may
    enhance main, but without JavaScript it must still say something and offer a way on."""
    with_js = page_of(page_type)
    h1 = with_js.locator("h1").first.inner_text().strip()
    main = with_js.locator("main").first.inner_text().strip()
    scripted = with_js.locator("script").count() > 0
    without = page_of(page_type, javascript=False)
    assert without.locator("h1").first.inner_text().strip() == h1, f"{page_type.name}: <h1> differs without JavaScript"
    main_without = without.locator("main").first.inner_text().strip()
    assert len(main_without) > 40, f"{page_type.name}: main is empty without JavaScript"
    if scripted:
        assert without.locator("main a[href]").count() > 0, \
            f"{page_type.name}: without JavaScript, main says only {main_without!r} and offers no link"
    else:
        assert main_without == main, f"{page_type.name}: <main> differs without JavaScript"
