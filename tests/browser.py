"""Browser-test helpers: the built example portal, a loopback server, Debian's Chromium, vnu.jar.

Nothing here downloads anything. Chromium is Debian's /usr/bin/chromium driven by Playwright,
axe-core comes bundled in axe-playwright-python, and the Nu HTML Checker is the npm package
vnu-jar run with Java. When a tool is missing, `require()` fails the test under CI (the
environment variable CI is set) and skips it with the reason on a developer's machine.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("PRIOPORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# A narrative page for the build when the example's content/ has none, so page.html is tested.
NARRATIVE_PAGE = """\
---
title: Om prioriteringene
description: Hvorfor kommunen må velge, og hvordan du kan si din mening.
---

Kommunen har ikke penger til alt. Derfor må vi **velge**, og vi forklarer hvert valg.

## Slik kan du si din mening

1. Les kriteriene.
2. Se hva som ble [prioritert i år](../rounds/).
3. Send innspill innen fristen.

| Fase | Når |
| --- | --- |
| Innspill | Mars |
| Vedtak | Desember |
"""


def require(ok: bool, reason: str) -> None:
    """Skip with `reason` on a developer's machine; fail under CI, where every tool must be there."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def java_path() -> str | None:
    return shutil.which("java")


def chromium_missing_reason() -> str | None:
    if not CHROMIUM.is_file():
        return f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: .venv/bin/pip install -e '.[test]'"
    return None


def vnu_missing_reason() -> str | None:
    if java_path() is None:
        return "Java not found: apt-get install default-jre-headless"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR.relative_to(REPO)} not found: run npm ci in the repository"
    return None


# --- The built example ----------------------------------------------------------------

class BuildFailed(RuntimeError):
    pass


def _portal_to_build(workdir: Path) -> Path:
    """The example's mkdocs.yml, or a copy of it with one narrative page if content/ has none.

    The copy links every top-level entry of the repository except content/, so templates,
    decisions and settings are the live ones."""
    content = REPO / "content"
    if any(p.stem != "index" for p in content.glob("*.md")):
        return REPO / "mkdocs.yml"
    portal = workdir / "portal"
    portal.mkdir()
    skip = {"content", "site", ".venv", "node_modules", ".git", ".pytest_cache", "docs"}
    for entry in REPO.iterdir():
        if entry.name not in skip:
            (portal / entry.name).symlink_to(entry)
    if content.is_dir():
        shutil.copytree(content, portal / "content")
    else:
        (portal / "content").mkdir()
    (portal / "content" / "om-prioriteringene.md").write_text(NARRATIVE_PAGE, encoding="utf-8")
    return portal / "mkdocs.yml"


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "prioportal"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "prioportal"]


@functools.cache
def built_site() -> Path:
    """Build the example portal once per test process (`prioportal build --site-dir`)."""
    workdir = Path(tempfile.mkdtemp(prefix="prioportal-a11y-"))
    config = _portal_to_build(workdir)
    site = workdir / "site"
    result = subprocess.run([*_cli(), "-f", str(config), "build", "--site-dir", str(site)],
                            capture_output=True, text=True, cwd=config.parent)
    if result.returncode != 0:
        raise BuildFailed(f"prioportal build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site


def portal_language() -> str:
    """The `language:` option of the example's prioportal plugin in mkdocs.yml."""
    import yaml

    class Loader(yaml.SafeLoader):  # mkdocs.yml may hold !ENV and other MkDocs tags
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "prioportal" in plugin:
            return str((plugin["prioportal"] or {}).get("language", "nb"))
    return "nb"


# --- Page types ---------------------------------------------------------------------------

_BADGE = re.compile(r'class="outcome-line">\s*<span class="badge badge-([a-z_]+)"')


@dataclass(frozen=True)
class PageType:
    name: str  # e.g. "home", "rounds/*", "measures/* (deprioritised)"
    url: str   # path on the server, e.g. "/rounds/budsjett-2025/"
    file: Path


def _url(site: Path, index: Path) -> str:
    relative = index.relative_to(site).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def discover_page_types(site: Path) -> list[PageType]:
    """One page of every kind in the built site, found from its folders, so new kinds are tested.

    A top-level folder with index.html is a kind (a narrative page, an index); its sub-folders'
    pages are kinds named with * for the id (criteria/*, rounds/*, rounds/*/follow-up); measure
    pages become one kind per outcome (the badge class on the page), plus one undecided."""
    types: dict[str, PageType] = {}

    def add(name: str, file: Path) -> None:
        if name not in types:
            types[name] = PageType(name, _url(site, file), file)

    add("home", site / "index.html")
    for html in sorted(site.glob("*.html")):
        if html.name != "index.html":
            add(html.stem, html)
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and p.name != "assets"):
        if (folder / "index.html").is_file():
            add(folder.name, folder / "index.html")
        for index in sorted(folder.glob("*/**/index.html")):
            parts = index.relative_to(site).parts[:-1]  # ("rounds", "budsjett-2025", "follow-up")
            name = "/".join([parts[0], "*", *parts[2:]])
            if name == "measures/*":
                found = _BADGE.search(index.read_text(encoding="utf-8"))
                name = f"measures/* ({found.group(1) if found else 'not decided'})"
            add(name, index)
    return sorted(types.values(), key=lambda t: t.name)


# --- Serving ------------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class LocalServer:
    """The built site on 127.0.0.1 (loopback only) from a thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="site-server", daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.origin + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --- The Nu HTML Checker ------------------------------------------------------------------

def run_vnu(files: list[Path]) -> list[dict]:
    """Every message of vnu.jar for `files` in one Java call (JSON format), errors and warnings."""
    result = subprocess.run([java_path() or "java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                             "--also-check-css", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    output = result.stderr.strip() or result.stdout.strip()  # vnu writes its JSON report to stderr
    try:
        return json.loads(output)["messages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise RuntimeError(f"vnu.jar gave no JSON report (exit {result.returncode}): {output[:2000]}") from exc
