"""Fixtures: a valid portal in a temporary folder, and a way to write a variant of it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/ holds portal_factory

from portal_factory import write_portal  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _validate_cache(tmp_path_factory):
    """What `prioportal validate` keeps between runs goes to a folder of the test session, not
    to the user's own cache (child processes inherit the variable)."""
    os.environ["PRIOPORTAL_CACHE_DIR"] = str(tmp_path_factory.mktemp("validate-cache"))


@pytest.fixture
def make_portal(tmp_path):
    """Call with {relative path: text | bytes | None} to get a portal folder with those files changed."""
    def make(overrides=None) -> Path:
        return write_portal(tmp_path / "portal", overrides)
    return make


@pytest.fixture
def portal_dir(make_portal) -> Path:
    """The valid portal, unchanged."""
    return make_portal()


@pytest.fixture
def left_beside():
    """Call with a site folder: the names of what a build left beside it, once the folders it
    handed over for deletion (to a process of their own, `output.remove_later`) are gone, or
    after a minute."""
    def left(site: Path) -> list[str]:
        deadline = time.monotonic() + 60
        while True:
            names = sorted(p.name for p in site.parent.iterdir() if p != site)
            if not any(name.startswith(f".{site.name}.") for name in names) or time.monotonic() > deadline:
                return names
            time.sleep(0.05)
    return left


# --- Browser tests (tests/browser.py): the built example, served on loopback, in Chromium --------

@pytest.fixture(scope="session")
def example_site() -> Path:
    """The bundled example portal, built once per session (`prioportal build --site-dir`)."""
    import browser
    try:
        return browser.built_site()
    except browser.BuildFailed as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def site_server(example_site):
    """`example_site` served by http.server from a thread on 127.0.0.1."""
    import browser
    server = browser.LocalServer(example_site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import browser
    browser.require(browser.chromium_missing_reason() is None, browser.chromium_missing_reason() or "")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS,
                                     headless=True)
        yield instance
        instance.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh context and page at 1280×900 with JavaScript on; closed after the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
