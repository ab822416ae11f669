"""Writing the site safely: inside the output folder only, and all or nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

from .render import PageSpec
from .settings import Brand, Settings


class UnsafePath(ValueError):
    pass


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would land outside `root`."""
    if relative.startswith(("/", "\\")) or ".." in Path(relative).parts or "\\" in relative:
        raise UnsafePath(relative)
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafePath(relative)
    return target


@contextlib.contextmanager
def staging_dir(site_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside `site_dir`; on success it replaces `site_dir`, on any
    failure (or interruption) it is removed and `site_dir` stays exactly as it was."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in site_dir.parent.glob(f".{site_dir.name}.building-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        if site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
            os.replace(site_dir, old / "site")
            os.replace(staging, site_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, site_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def copy_assets(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def write_crawler_files(out_dir: Path, settings: Settings, pages: list[PageSpec]) -> None:
    lines = ["User-agent: *", "Allow: /"]
    if settings.site_url:
        base = settings.site_url.rstrip("/") + "/"
        urls = sorted(base + p.url for p in pages if not p.path.endswith("404.html"))
        body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
        (out_dir / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n",
            encoding="utf-8")
        lines.append(f"Sitemap: {base}sitemap.xml")
    (out_dir / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def apply_brand(assets: Path, brand: Brand) -> None:
    """The municipality's colours and logo, without a second stylesheet request."""
    css = assets / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + (
        f"\n/* Brand colours from mkdocs.yml */\n:root {{ --brand: {brand.color}; --brand-text: {brand.text_color}; }}\n"
        f"@media not all and (prefers-color-scheme: dark) {{ :root {{ --link: {brand.link_color}; }} }}\n"),
        encoding="utf-8")
    if brand.logo is not None:
        shutil.copyfile(brand.logo, assets / f"logo{brand.logo.suffix}")
