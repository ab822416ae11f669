"""Swapping the site in all at once (the build writes into a staging folder that replaces the
site only when everything succeeded), and the files of two outputs made from the theme and the
page list: the assets, and robots.txt with the sitemap. Writing inside a folder without leaving
it is `system.safe_writing`'s."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator
from xml.sax.saxutils import escape

from prioportal.build.site_folder import site_lock
from prioportal.system.safe_writing import Files
from prioportal.problems import InvalidPortal, Problem
from prioportal.site import urls

if TYPE_CHECKING:  # for annotations only: `prioportal validate` imports this module, and not Jinja
    from prioportal.site.render import PageSpec
    from prioportal.settings import Brand, Settings


@contextlib.contextmanager
def staging_dir(site_dir: Path, *, guard: Callable[[], None] | None = None, shown: str | None = None) -> Iterator[Path]:
    """Yield an empty folder beside `site_dir`; on success it replaces `site_dir`, on any
    failure (or interruption) it is removed and `site_dir` stays exactly as it was. The site
    replaced is deleted afterwards by a process of its own (see `remove_later`).

    One build at a time: the lock beside `site_dir` is held throughout (`site_lock`; `shown` is
    how a message names the folder), so no build deletes the folder another is building in.
    `guard`, run once the lock is held and before anything is touched, raises to refuse the
    folder (`site_folder.refuse_unusable`: the build replaces only a site a build made)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with site_lock(site_dir, shown):
        if guard is not None:
            guard()
        # Left by a killed build: its half-built folder, or the site it had replaced.
        remove_later([*site_dir.parent.glob(f".{site_dir.name}.building-*"),
                      *site_dir.parent.glob(f".{site_dir.name}.old-*")])
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
        try:
            yield staging
            os.chmod(staging, 0o755)
            if site_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
                try:
                    os.replace(site_dir, old / "site")  # refused where a drive is mounted at site_dir
                    try:
                        os.replace(staging, site_dir)
                    except BaseException:
                        os.replace(old / "site", site_dir)  # the published site back where it was
                        raise
                except BaseException:
                    old.rmdir()
                    raise
                remove_later([old])
            else:
                os.replace(staging, site_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


# Run by a Python of its own, which forks: the fork deletes, and the Python it forked from
# ends at once, so the build waits only for that start (milliseconds) and leaves no child
# process behind it to be reaped.
_REMOVE = """import os, shutil, sys
if os.fork() == 0:
    for folder in sys.argv[1:]:
        shutil.rmtree(folder, ignore_errors=True)
"""


def remove_later(folders: list[Path]) -> None:
    """Delete `folders` in a process of its own, which the build does not wait for: deleting
    the site a build replaced, 24 000 files and folders at ten thousand measures, took 6-7 s
    on the benchmark machine, and nobody needs to wait for it. Where no such process can be
    started, they are deleted here."""
    if not folders:
        return
    try:
        if not sys.executable or not hasattr(os, "fork"):
            raise OSError("no Python to delete them")
        subprocess.run([sys.executable, "-I", "-S", "-c", _REMOVE, *map(str, folders)], check=True,
                       start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def asset_files(theme_dirs: list[Path], brand: Brand) -> Files:
    """The stylesheet, scripts and images of the theme (a portal's own files over the bundled
    ones), with the municipality's colours and logo, without a second stylesheet request."""
    files: Files = {}
    for theme_dir in reversed(theme_dirs):
        assets = theme_dir / "assets"
        if assets.is_dir():
            inside = assets.resolve()
            for path in sorted(assets.rglob("*")):
                if path.is_file():
                    # A link to a file elsewhere (/etc/passwd, a key) would publish that file.
                    if path.is_symlink() and not path.resolve().is_relative_to(inside):
                        shown = f"{theme_dir.name}/assets/{path.relative_to(assets).as_posix()}"
                        raise InvalidPortal([Problem(shown, 1, 1, "the theme's file is a link to a file outside its "
                                                     "assets folder, which would be published",
                                                     f"copy the file into {theme_dir.name}/assets/ instead of linking to it")])
                    files[urls.asset(path.relative_to(assets).as_posix())] = path.read_bytes()
    css = files.get(urls.asset("style.css"), b"").decode("utf-8")
    files[urls.asset("style.css")] = (css + (
        f"\n/* Brand colours from mkdocs.yml */\n:root {{ --brand: {brand.color}; --brand-text: {brand.text_color}; }}\n"
        f"@media not all and (prefers-color-scheme: dark) {{ :root {{ --link: {brand.link_color}; }} }}\n")).encode("utf-8")
    if brand.logo is not None:
        files[urls.asset(f"logo{brand.logo.suffix}")] = brand.logo.read_bytes()
    return files


def crawler_files(settings: Settings, pages: list[PageSpec]) -> Files:
    """robots.txt, and with a site_url the sitemap of every page."""
    lines = ["User-agent: *", "Allow: /"]
    files: Files = {}
    if settings.site_url:
        # Every page but the one a server shows at addresses that have none (in each language tree).
        found = sorted(urls.absolute(settings.site_url, p.url) for p in pages if not p.path.endswith(urls.not_found()))
        body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in found)
        files[urls.sitemap()] = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body
                                 + "</urlset>\n").encode("utf-8")
        lines.append(f"Sitemap: {urls.absolute(settings.site_url, urls.sitemap())}")
    files[urls.robots()] = ("\n".join(lines) + "\n").encode("utf-8")
    return files
