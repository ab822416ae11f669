"""Fixtures: a valid portal in a temporary folder, and a way to write a variant of it; under CI,
no test may skip or xfail (see tests/gate.py)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

sys.path.insert(0, str(Path(__file__).parent))  # tests/ holds portal_factory

from gate import in_ci, need_program  # noqa: E402
from portal_factory import write_portal  # noqa: E402

# The command line speaks the language LANGUAGE or LANG names before the portal's own (README,
# "Messages in your language"): tests read messages in English unless a test chooses another.
for _variable in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANGUAGE"] = "en"


@pytest.fixture
def no_language_in_environment(monkeypatch):
    """No variable names a language: the command line speaks the portal's (`language:`)."""
    from prioportal.text.i18n import LANGUAGE_VARIABLES

    for variable in LANGUAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


# --- Under CI a skip is a failure ---------------------------------------------------------------
# tests/gate.py's `need` fails under CI by itself; these hooks catch what gets past it (a plain
# pytest.skip, a skipif, an xfail, an empty parameter set), so that a green CI run means every test
# ran and passed, not that some quietly did nothing.

def _skip_as_failure(report) -> None:
    reason = getattr(report, "wasxfail", None)
    if reason is not None:
        del report.wasxfail
        what = f"expected to fail (xfail: {reason}), and a rule the project claims to meet may not be xfailed"
    else:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        what = f"skipped ({reason})"
    report.outcome = "failed"
    report.longrepr = f"{what} — CI is set, so this is a failure: install what is missing or fix the test"


# Property tests (Hypothesis) run deterministically under CI: the same examples on every run, so a
# failure is one CI can replay and a green run is not luck; on a developer's machine they stay
# random and explore further. Loaded here, before any test module makes its own @settings, so
# those inherit it.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if in_ci():
    hypothesis_settings.load_profile("ci")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if in_ci() and (report.skipped or hasattr(report, "wasxfail")):
        if report.passed:  # an xfail-marked test that passed: it is a pass, and no longer xfail
            del report.wasxfail
        else:
            _skip_as_failure(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped:  # a module-level skip or importorskip
        _skip_as_failure(report)


@pytest.fixture(autouse=True, scope="session")
def _validate_cache(tmp_path_factory):
    """What `prioportal validate` keeps between runs goes to a folder of the test session, not
    to the user's own cache (child processes inherit the variable)."""
    os.environ["PRIOPORTAL_CACHE_DIR"] = str(tmp_path_factory.mktemp("validate-cache"))


@pytest.fixture
def git_program() -> str:
    """Real git (`pytestmark = pytest.mark.usefixtures("git_program")` for a module that needs it)."""
    return need_program("git", "git")


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
