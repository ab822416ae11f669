"""Browser-test helpers: the built example portal, a loopback server, Debian's Chromium, vnu.jar.

Nothing here downloads anything. Chromium is Debian's /usr/bin/chromium driven by Playwright,
axe-core comes bundled in axe-playwright-python, and the Nu HTML Checker is the npm package
vnu-jar run with Java. When a tool is missing, `require()` (tests/gate.py's `need`) fails the
test under CI (the environment variable CI is set) and skips it with the reason on a developer's
machine.
"""

from __future__ import annotations

import atexit
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

from gate import need

REPO = Path(__file__).resolve().parent.parent
# The third bundled example: a region's priority lists (the page types only a priority list has).
REGION = REPO / "examples" / "region-mellanvik" / "mkdocs.yml"
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

: Når du kan si din mening, og når kommunen vedtar
"""


def require(ok: bool, reason: str) -> None:
    """Skip with `reason` on a developer's machine; fail under CI (the one gate: tests/gate.py)."""
    need(ok, reason)


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
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    config = _portal_to_build(workdir)
    site = workdir / "site"
    result = subprocess.run([*_cli(), "-f", str(config), "build", "--site-dir", str(site)],
                            capture_output=True, text=True, cwd=config.parent)
    if result.returncode != 0:
        raise BuildFailed(f"prioportal build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site


@functools.cache
def built_example(config: Path) -> Path:
    """Build another bundled example once per test process, as `make site` builds it."""
    workdir = Path(tempfile.mkdtemp(prefix="prioportal-a11y-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    site = workdir / "site"
    result = subprocess.run([*_cli(), "-f", str(config), "build", "--strict", "--site-dir", str(site)],
                            capture_output=True, text=True, cwd=config.parent)
    if result.returncode != 0:
        raise BuildFailed(f"prioportal build of {config} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site


def portal_language(config: Path = REPO / "mkdocs.yml") -> str:
    """The `language:` option of the example's prioportal plugin in its mkdocs.yml."""
    import yaml

    class Loader(yaml.SafeLoader):  # mkdocs.yml may hold !ENV and other MkDocs tags
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "prioportal" in plugin:
            return str((plugin["prioportal"] or {}).get("language", "nb"))
    return "nb"


# --- Page types ---------------------------------------------------------------------------

_BADGE = re.compile(r'class="outcome-line">\s*<span class="badge badge-([a-z_]+)"')
_BODY_CLASS = re.compile(r'<body[^>]*\sclass="[^"]*\bpage-([a-z0-9-]+)')


@dataclass(frozen=True)
class PageType:
    name: str  # e.g. "home", "round", "measure (deprioritised)", "group (browse/outcome)"
    url: str   # path on the server, e.g. "/rounds/budsjett-2025/"
    file: Path
    example: str = "nb"  # which bundled example's site it is from: "nb", or "region" (served on its own)


def _url(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def _kind(site: Path, page: Path, html: str) -> str:
    """The template that rendered the page (base.html puts it on <body class="page-…">); without
    it, the path with the id segment replaced by *."""
    found = _BODY_CLASS.search(html)
    if found:
        return found.group(1)
    parts = list(page.relative_to(site).parts[:-1]) if page.name == "index.html" else [page.stem]
    if len(parts) >= 2:
        parts[1] = "*"
    return "/".join(parts) or "home"


def discover_page_types(site: Path) -> list[PageType]:
    """One page of every kind in the built site, found by walking its folders, so that a page
    kind added later is tested too.

    Pages are grouped by the template that rendered them. Measure pages are split further by
    outcome (the badge on the page), and pages of one template that live in several sub-folders
    (browse/outcome/…, browse/sector/…) by that sub-folder."""
    # admin/ is the browser editor (exports/editor.py): a program for the communicators, Decap CMS's
    # own interface, not a page of the theme; tests/test_editor_browser.py tests it.
    pages = [site / "index.html", *sorted(p for p in site.glob("*.html") if p.name != "index.html"),
             *sorted(p for p in site.glob("*/**/index.html")
                     if p.relative_to(site).parts[0] not in ("assets", "admin"))]
    grouped: dict[str, list[tuple[Path, str]]] = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        grouped.setdefault(_kind(site, page, html), []).append((page, html))
    types: dict[str, PageType] = {}
    for kind, members in grouped.items():
        second = {}
        for page, _ in members:
            parts = page.relative_to(site).parts
            if len(parts) >= 4:  # folder/sub/id/index.html
                second[parts[1]] = second.get(parts[1], 0) + 1
        for page, html in members:
            name = kind
            parts = page.relative_to(site).parts
            if _BADGE.search(html) and kind in ("measure", "measures/*"):
                name = f"{kind} ({_BADGE.search(html).group(1)})"
            elif "outcome-line" in html and kind in ("measure", "measures/*"):
                name = f"{kind} (not decided)"
            elif len(parts) >= 4 and second.get(parts[1], 0) >= 2:
                name = f"{kind} ({parts[0]}/{parts[1]})"
            if name not in types:
                types[name] = PageType(name, _url(site, page), page)
    return sorted(types.values(), key=lambda t: t.name)


# --- Serving ------------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class LocalServer:
    """The built site on 127.0.0.1 (loopback only) from a thread."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
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
