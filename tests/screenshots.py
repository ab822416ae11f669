"""Full-page screenshots of the example portal for docs/screenshots/, on a phone and a desktop.

    .venv/bin/python tests/screenshots.py [--out docs/screenshots] [--dark]

Builds the bundled example, serves it on 127.0.0.1 and photographs the front page, a round and a
deprioritised measure at 375×812 and 1280×900 with Debian's Chromium. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402

VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 900)}


def pages_to_shoot(site: Path) -> dict[str, str]:
    types = {t.name: t for t in browser.discover_page_types(site)}
    wanted = {"home": "home", "round": "round", "measure-deprioritised": "measure (deprioritised)"}
    return {slug: types[name].url for slug, name in wanted.items() if name in types}


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

    site = browser.built_site()
    server = browser.LocalServer(site)
    args.out.mkdir(parents=True, exist_ok=True)
    schemes = ["light", "dark"] if args.dark else ["light"]
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
            for scheme in schemes:
                for device, (width, height) in VIEWPORTS.items():
                    context = chromium.new_context(viewport={"width": width, "height": height},
                                                   color_scheme=scheme, device_scale_factor=1)
                    page = context.new_page()
                    for slug, url in pages_to_shoot(site).items():
                        page.goto(server.url(url), wait_until="load")
                        suffix = "" if scheme == "light" else "-dark"
                        path = args.out / f"{slug}-{device}{suffix}.png"
                        page.screenshot(path=str(path), full_page=True)
                        print(path)
                    context.close()
            chromium.close()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
