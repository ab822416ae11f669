"""The search, used as a citizen uses it: in a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_searching_finds_a_measure_in_norwegian_with_the_page_s_own_policy(site_server, browser_page):
    violations: list[str] = []
    browser_page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    measure = yaml.safe_load((REPO / "decisions" / "measures" / "2026" / "lys-og-lyd-kulturhuset.yml").read_text(encoding="utf-8"))
    browser_page.goto(site_server.url("/search/"))
    field = browser_page.locator("#search input")
    field.wait_for(timeout=15_000)
    assert browser_page.locator("#search-fallback").is_hidden()  # the links are replaced by the search box
    field.fill("lydanlegg")  # a word from the title; the index stems Norwegian
    result = browser_page.locator(f'#search a[href*="measures/{measure["id"]}/"]').first
    result.wait_for(timeout=15_000)
    assert violations == []


def test_screenshots_of_the_main_page_types_at_phone_and_desktop_width(tmp_path, chromium):
    # Its own process: the script drives its own browser, as it does when run by hand for the README.
    result = subprocess.run([sys.executable, str(REPO / "tests" / "screenshots.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    files = sorted(tmp_path.glob("*.png"))
    assert {f.stem for f in files} >= {"home-phone", "home-desktop", "round-phone", "round-desktop",
                                       "measure-deprioritised-phone", "measure-deprioritised-desktop"}
    for png in files:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png.name
