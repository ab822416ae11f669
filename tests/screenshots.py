"""Screenshots of both bundled examples for docs/screenshots/ and the README's reading test.

    .venv/bin/python tests/screenshots.py [--out docs/screenshots] [--dark]

Builds the bokmål example (the repository) and the Swedish one (examples/exempelby), serves each
on 127.0.0.1 and photographs, at a phone's width (375 px) with Debian's Chromium: a deprioritised
measure, a rationed measure and a round's ranked list with its funding line. These are the pages
a careful reader checks before publishing (README, "Write for the reader"): does every sentence
match the numbers beside it, and are the words the glossary's. The bokmål front page and
deprioritised measure are also taken on a desktop. Nothing is downloaded.

Each picture is the top of the page (or the ranked list) up to MAX_HEIGHT pixels, at scale 1,
so the PNGs stay small enough to keep in the repository.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402

EXAMPLES = {"nb": browser.REPO / "mkdocs.yml", "sv": browser.REPO / "examples" / "exempelby" / "mkdocs.yml"}
PHONE, DESKTOP = (375, 812), (1280, 900)
# The tallest picture, in px: on a phone the decision and its reason fit above it; on a desktop,
# what a first screen shows.
MAX_HEIGHT = {"phone": 1800, "desktop": 1000}
# What each picture shows: its name, the page type (browser.discover_page_types), the part of the
# page (a CSS selector; None for the top of the page) and the sizes it is taken at.
SHOTS = (
    ("measure-deprioritised", "measure (deprioritised)", None, {"nb": (PHONE, DESKTOP), "sv": (PHONE,)}),
    ("measure-rationed", "measure (rationed)", None, {"nb": (PHONE,), "sv": (PHONE,)}),
    ("round", "round", 'section[aria-labelledby="ranking"]', {"nb": (PHONE,), "sv": (PHONE,)}),
    ("home", "home", None, {"nb": (DESKTOP,)}),
)


def build(config: Path, workdir: Path) -> Path:
    site = workdir / "site"
    script = Path(sys.executable).parent / "prioportal"
    cli = [str(script)] if script.is_file() else [sys.executable, "-m", "prioportal"]
    done = subprocess.run([*cli, "-f", str(config), "build", "--site-dir", str(site)],
                          capture_output=True, text=True, cwd=config.parent)
    if done.returncode != 0:
        raise SystemExit(f"the build of {config} failed:\n{done.stdout}\n{done.stderr}")
    return site


def shoot(page, path: Path, selector: str | None, tallest: int) -> None:
    """The top of the page, or the element `selector` names, at most `tallest` pixels high."""
    if selector:
        box = page.locator(selector).first.bounding_box()
        clip = {"x": 0, "y": box["y"], "width": page.viewport_size["width"], "height": min(box["height"], tallest)}
    else:
        height = page.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": min(height, tallest)}
    page.screenshot(path=str(path), full_page=True, clip=clip)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=browser.REPO / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="also take the dark colour scheme")
    args = parser.parse_args(argv)
    missing = browser.chromium_missing_reason()
    if missing:
        print(missing, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    schemes = ["light", "dark"] if args.dark else ["light"]
    workdir = Path(tempfile.mkdtemp(prefix="prioportal-screenshots-"))
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
            for lang, config in EXAMPLES.items():
                site = build(config, workdir / lang)
                types = {t.name: t for t in browser.discover_page_types(site)}
                server = browser.LocalServer(site)
                try:
                    for scheme in schemes:
                        for name, kind, selector, sizes in SHOTS:
                            if kind not in types:
                                raise SystemExit(f"the {lang} example has no page of the kind '{kind}'")
                            for width, height in sizes.get(lang, ()):
                                device = "phone" if width == PHONE[0] else "desktop"
                                context = chromium.new_context(viewport={"width": width, "height": height},
                                                               color_scheme=scheme, device_scale_factor=1)
                                page = context.new_page()
                                page.goto(server.url(types[kind].url), wait_until="load")
                                suffix = "" if scheme == "light" else "-dark"
                                path = args.out / f"{lang}-{name}-{device}{suffix}.png"
                                shoot(page, path, selector, MAX_HEIGHT[device])
                                print(path, types[kind].url)
                                context.close()
                finally:
                    server.close()
            chromium.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
