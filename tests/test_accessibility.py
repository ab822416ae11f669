"""WCAG 2.1 AA (EN 301 549) and valid HTML on every page type of the built example portal.

Each test runs once per page type: the page kinds are found by walking the built site's folders
(browser.discover_page_types), so a page kind added later (a search page, an accessibility
statement) is tested without touching this file. Measure pages are tested once per outcome kind.
Debian's Chromium runs the pages; axe-core checks the WCAG rules; vnu.jar validates the HTML.
"""

from __future__ import annotations

import re

import pytest
import yaml

import browser
from browser import PageType

# --- Parametrisation over the page types found in the built site ---------------------------


def _page_types() -> list[PageType] | str:
    try:
        return browser.discover_page_types(browser.built_site())
    except browser.BuildFailed as exc:
        return str(exc)


def pytest_generate_tests(metafunc):
    if "page_type" not in metafunc.fixturenames:
        return
    types = _page_types()
    if isinstance(types, str):  # the build failed: one case, which fails with the build's message
        metafunc.parametrize("page_type", [None], ids=["build-failed"], indirect=True)
        return
    metafunc.parametrize("page_type", types, ids=[t.name for t in types], indirect=True)


@pytest.fixture
def page_type(request) -> PageType:
    if request.param is None:
        request.getfixturevalue("example_site")  # fails with the build's own message
    return request.param


def open_page(chromium, server, page_type: PageType, *, width=1280, height=900, color_scheme="light",
              reduced_motion="no-preference", javascript=True, requests=None):
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   color_scheme=color_scheme, reduced_motion=reduced_motion,
                                   java_script_enabled=javascript)
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    response = page.goto(server.url(page_type.url), wait_until="load")
    assert response is not None and response.status == 200, f"{page_type.url}: HTTP {response and response.status}"
    return context, page


@pytest.fixture
def page_of(chromium, site_server):
    """page_of(page_type, **options) -> a loaded Playwright page; its context is closed afterwards."""
    contexts = []

    def load(page_type, **options):
        context, page = open_page(chromium, site_server, page_type, **options)
        contexts.append(context)
        return page
    yield load
    for context in contexts:
        context.close()


# --- axe-core ------------------------------------------------------------------------------

def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": browser.WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    return results.response["violations"]


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


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_wcag_21_aa_violation(page_type, page_of, color_scheme):
    page = page_of(page_type, color_scheme=color_scheme)
    violations = axe_violations(page)
    assert not violations, f"{page_type.name} ({page_type.url}, {color_scheme}):\n{describe_violations(violations)}"


# --- The Nu HTML Checker --------------------------------------------------------------------

@pytest.fixture(scope="session")
def vnu_messages(example_site):
    """vnu.jar over every page type's file and the style sheets, in one Java call."""
    browser.require(browser.vnu_missing_reason() is None, browser.vnu_missing_reason() or "")
    types = browser.discover_page_types(example_site)
    files = [t.file for t in types] + sorted((example_site / "assets").glob("*.css"))
    by_file: dict[str, list[dict]] = {}
    for message in browser.run_vnu(files):
        by_file.setdefault(message.get("url", ""), []).append(message)
    return by_file


def _vnu_errors(messages: list[dict]) -> list[str]:
    return [f"line {m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()[:120]}]"
            for m in messages if m.get("type") in ("error", "non-document-error")]


def test_html_is_valid(page_type, vnu_messages):
    messages = vnu_messages.get(page_type.file.as_uri(), [])
    errors = _vnu_errors(messages)
    assert not errors, f"{page_type.name} ({page_type.file}):\n" + "\n".join(errors)


def test_style_sheet_is_valid_css(example_site, vnu_messages):
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


def test_one_h1_landmarks_language_and_tables(page_type, page_of):
    page = page_of(page_type)
    s = page.evaluate(STRUCTURE_JS)
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
    language = browser.portal_language()
    if s["lang"] != language:
        problems.append(f"<html lang> is {s['lang']!r}, the portal's language is {language!r}")
    for t in s["tables"]:
        if not t["caption"]:
            problems.append(f"table {t['index']} has no caption")
        if not t["headers"]:
            problems.append(f"table {t['index']} has no header cells")
        if t["headersWithoutScope"]:
            problems.append(f"table {t['index']}: {t['headersWithoutScope']} row header(s) without scope")
    assert not problems, f"{page_type.name} ({page_type.url}):\n" + "\n".join(problems)


# --- Keyboard -------------------------------------------------------------------------------

FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    key: el.dataset.a11yKey || null, tag: el.tagName.toLowerCase(), id: el.id,
    text: (el.textContent || '').trim().slice(0, 60), href: el.getAttribute('href'),
    outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
    boxShadow: cs.boxShadow, top: r.top, left: r.left, width: r.width, height: r.height,
  };
}"""

# Every element reachable with Tab, in document order, each marked so the test can tell them apart.
TABBABLE_JS = """() => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], iframe, [contenteditable=""], [contenteditable=true]';
  const items = [];
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.tabIndex < 0 || el.disabled) continue;
    if (el.closest('[inert], [hidden]')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    if (!el.getClientRects().length) continue;
    if (el.tabIndex > 0) items.push({positive: true});
    el.dataset.a11yKey = String(n++);
    items.push({key: el.dataset.a11yKey, tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 60)});
  }
  return items;
}"""

UNFOCUSED_STYLE_JS = """key => {
  const el = document.querySelector(`[data-a11y-key="${key}"]`);
  const cs = getComputedStyle(el);
  return {outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0, boxShadow: cs.boxShadow};
}"""


def visible_indicator(focused: dict, unfocused: dict) -> bool:
    """A focus ring: an outline of at least 2 px, or a box-shadow, that the element lacks unfocused."""
    outline = focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] >= 2
    shadow = focused["boxShadow"] not in ("none", "")
    changed = (focused["outlineStyle"], focused["outlineWidth"], focused["boxShadow"]) != (
        unfocused["outlineStyle"], unfocused["outlineWidth"], unfocused["boxShadow"])
    return (outline or shadow) and changed


def test_skip_link_appears_on_focus_and_moves_focus_to_main(page_type, page_of):
    page = page_of(page_type)
    skip = page.locator("a.skip-link, body > a[href='#main']").first
    assert skip.count() == 1, f"{page_type.name}: no skip link"
    box = skip.bounding_box()
    hidden_before = box is None or box["y"] + box["height"] <= 0 or box["x"] + box["width"] <= 0
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE_JS)
    assert state and state["href"] == "#main", f"{page_type.name}: the first Tab stop is {state}, not the skip link"
    assert hidden_before, f"{page_type.name}: the skip link is visible before it gets focus"
    assert state["top"] >= 0 and state["left"] >= 0 and state["width"] > 20 and state["height"] > 10, \
        f"{page_type.name}: the focused skip link is not on screen: {state}"
    assert visible_indicator(state, {"outlineStyle": "none", "outlineWidth": 0, "boxShadow": "none"}), \
        f"{page_type.name}: the focused skip link has no focus indicator"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main", \
        f"{page_type.name}: activating the skip link did not move focus to <main id=main>"
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('main')")
    assert inside, f"{page_type.name}: after the skip link, Tab does not go on inside main"


def test_tab_reaches_every_link_in_order_with_a_visible_focus_ring(page_type, page_of):
    page = page_of(page_type)
    expected = page.evaluate(TABBABLE_JS)
    assert not any(item.get("positive") for item in expected), \
        f"{page_type.name}: positive tabindex changes the reading order"
    reached, problems = [], []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE_JS)
        if state is None or state["key"] is None:  # focus left the document: not trapped
            break
        if reached and state["key"] == reached[-1]:
            problems.append(f"focus stuck on {state['tag']} {state['text']!r}")
            break
        reached.append(state["key"])
        unfocused = page.evaluate(UNFOCUSED_STYLE_JS, state["key"])
        # Comparing with the blurred style: read it from the same element with focus moved away.
        if not visible_indicator(state, unfocused):
            unfocused_now = page.evaluate(
                """key => { const el = document.querySelector(`[data-a11y-key="${key}"]`);
                            el.blur(); const cs = getComputedStyle(el);
                            const s = {outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
                                       boxShadow: cs.boxShadow}; el.focus(); return s; }""", state["key"])
            if not visible_indicator(state, unfocused_now):
                problems.append(f"no visible focus indicator on {state['tag']} {state['text']!r}: "
                                f"outline {state['outlineStyle']} {state['outlineWidth']}px, box-shadow {state['boxShadow']}")
    else:
        problems.append("Tab never left the page: focus is trapped")
    expected_keys = [item["key"] for item in expected]
    if reached != expected_keys:
        missing = [i for i in expected if i["key"] not in reached]
        problems.append(f"Tab order differs from document order: reached {len(reached)} of {len(expected)}; "
                        f"first differences: missing {missing[:5]}")
    assert not problems, f"{page_type.name} ({page_type.url}):\n" + "\n".join(problems)


def test_focus_is_not_trapped_going_backwards(page_type, page_of):
    page = page_of(page_type)
    count = len(page.evaluate(TABBABLE_JS))
    page.locator("main").focus()
    seen = 0
    for _ in range(count + 5):
        page.keyboard.press("Shift+Tab")
        state = page.evaluate(FOCUS_STATE_JS)
        if state is None:
            break
        seen += 1
    else:
        pytest.fail(f"{page_type.name}: Shift+Tab never reached the start of the page")
    assert seen >= 1, f"{page_type.name}: nothing before main is focusable (the skip link and the menu should be)"


# --- Reflow and text size -----------------------------------------------------------------

OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const problems = [];
  if (doc.scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways: ${doc.scrollWidth}px content in a ${window.innerWidth}px window`);
  // Anything sticking out of the viewport, outside a scroll region of its own.
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll, [role=region][tabindex]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 1) {
      problems.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} reaches ${Math.round(r.right)}px: "${(el.textContent || '').trim().slice(0, 50)}"`);
      if (problems.length > 8) break;
    }
  }
  // Text cut off by a box that hides its overflow.
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (!['hidden', 'clip'].includes(cs.overflowX) && !['hidden', 'clip'].includes(cs.overflowY)) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      problems.push(`${el.tagName.toLowerCase()}.${el.className} clips its content`);
  }
  // Wide content may scroll inside its own region: it must be reachable and named for keyboard users.
  for (const region of document.querySelectorAll('.table-scroll')) {
    if (region.scrollWidth <= region.clientWidth) continue;
    const cs = getComputedStyle(region);
    if (!['auto', 'scroll'].includes(cs.overflowX)) problems.push('a wide table region does not scroll');
    if (region.tabIndex !== 0) problems.push('a scrolling table region is not focusable (tabindex=0)');
    if (!region.getAttribute('aria-label') && !region.getAttribute('aria-labelledby')) problems.push('a scrolling table region has no name');
  }
  return problems;
}"""


def test_reflow_at_320_css_pixels(page_type, page_of):
    page = page_of(page_type, width=320, height=640)
    problems = page.evaluate(OVERFLOW_JS)
    assert not problems, f"{page_type.name} at 320 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("how", ["root font-size 200%", "zoom 200%"])
def test_text_at_200_percent_is_not_cut_off(page_type, page_of, how):
    if how == "zoom 200%":  # a 1280 px window zoomed to 200 % lays out like a 640 px one
        page = page_of(page_type, width=640, height=450)
    else:
        page = page_of(page_type, width=1280, height=900)
        page.add_style_tag(content="html { font-size: 200% !important; }")
    problems = page.evaluate(OVERFLOW_JS)
    assert not problems, f"{page_type.name} with {how}:\n" + "\n".join(problems)


def test_text_at_200_percent_on_a_phone(page_type, page_of):
    """WCAG 1.4.4 on a small screen: 200 % text in a 375 px window still reflows."""
    page = page_of(page_type, width=375, height=812)
    page.add_style_tag(content="html { font-size: 200% !important; }")
    problems = [p for p in page.evaluate(OVERFLOW_JS)]
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
    page = page_of(page_type, color_scheme="dark")
    colours = page.evaluate("() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
    light = page_of(page_type, color_scheme="light").evaluate(
        "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
    assert colours != light, f"{page_type.name}: prefers-color-scheme: dark changes nothing ({colours})"


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


def test_outcome_badges_say_the_outcome_in_words(page_type, page_of):
    page = page_of(page_type)
    badges = page.evaluate(BADGES_JS)
    if not badges:
        pytest.skip(f"{page_type.name} shows no outcome badge")
    labels = _outcome_labels()
    problems = []
    for badge in badges:
        if not badge["text"] or not re.search(r"\w", badge["text"]):
            problems.append(f"a {badge['kind']} badge has no text, only colour and an icon")
        elif labels.get(badge["kind"]) and badge["text"] not in labels[badge["kind"]]:
            problems.append(f"a {badge['kind']} badge says {badge['text']!r}, not one of {sorted(labels[badge['kind']])}")
        if badge["text"] and badge["text"] not in badge["visible"]:
            problems.append(f"the {badge['kind']} badge's words are not visible: {badge['visible']!r}")
    assert not problems, f"{page_type.name}:\n" + "\n".join(problems)


def test_funding_line_is_said_in_words(page_type, page_of):
    page = page_of(page_type)
    if not page.locator("table.ranking").count():
        pytest.skip(f"{page_type.name} has no ranked list")
    rows = page.evaluate("""() => [...document.querySelectorAll('table.ranking tbody tr')].map(tr => ({
        cls: tr.className, text: tr.innerText.trim(),
        tag: tr.querySelector('.below-tag') ? tr.querySelector('.below-tag').innerText.trim() : ''}))""")
    lines = [r for r in rows if "funding-line" in r["cls"]]
    assert len(lines) == 1, f"{page_type.name}: expected one funding-line row, found {len(lines)}"
    line_text = lines[0]["text"]
    assert len(line_text) > 30 and ":" in line_text, f"{page_type.name}: the funding line row says only {line_text!r}"
    frame = page.locator("table.ranking caption").inner_text()
    amount = re.search(r"\d[\d\s\u00a0\u202f.,]*\d", line_text)
    assert amount and amount.group(0) in frame, \
        f"{page_type.name}: the funding line row should name the budget frame in words and digits: {line_text!r}"
    below = [r for r in rows if r["cls"] == "below"]
    untold = [r["text"][:60] for r in below if not r["tag"]]
    assert not untold, f"{page_type.name}: rows below the funding line say so only with colour: {untold}"
    above_index = [i for i, r in enumerate(rows) if r["cls"] == "above"]
    line_index = rows.index(lines[0])
    assert all(i < line_index for i in above_index), f"{page_type.name}: a funded row comes after the funding line"


def test_measure_page_says_outcome_and_reason_in_text(page_type, page_of):
    if not page_type.name.startswith("measure ("):
        pytest.skip("not a measure page")
    page = page_of(page_type)
    outcome = page.locator(".decision-box .outcome-line").inner_text().strip()
    assert re.search(r"\w{3,}", outcome), f"{page_type.name}: the outcome line has no words: {outcome!r}"
    if page_type.name.endswith(("(deprioritised)", "(discontinued)", "(rationed)", "(postponed)", "(partly_funded)")):
        why = page.locator("section.why")
        assert why.count() == 1 and len(why.inner_text()) > 80, f"{page_type.name}: no 'why this decision' text"


# --- Privacy and robustness --------------------------------------------------------------------

def test_no_request_leaves_the_local_server(page_type, page_of, site_server):
    requests: list[str] = []
    page = page_of(page_type, requests=requests)
    page.wait_for_load_state("networkidle")
    foreign = [u for u in requests if not (u.startswith(site_server.origin + "/") or u.startswith("data:"))]
    assert requests, "no request was recorded"
    assert not foreign, f"{page_type.name}: requests to third parties: {foreign}"


def test_readable_without_javascript(page_type, page_of):
    with_js = page_of(page_type)
    without = page_of(page_type, javascript=False)
    for selector in ("h1", "main"):
        a = with_js.locator(selector).first.inner_text().strip()
        b = without.locator(selector).first.inner_text().strip()
        assert a == b, f"{page_type.name}: <{selector}> differs without JavaScript"
    assert len(without.locator("main").inner_text().strip()) > 40, f"{page_type.name}: main is empty without JavaScript"
