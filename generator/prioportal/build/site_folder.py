"""Where a build may write its site, and what it says when it cannot.

A build replaces its site folder whole (`output.staging_dir`). So, before anything is touched:

- the site folder may not be, hold or lie inside what the portal is made of: the portal's own
  folder, the decision files, the Markdown pages, the theme, the git history, the logo
  (`check_site_dir`);
- an existing folder is replaced only when it is empty or is a site a prioportal build made
  (`foreign_entries`). No marker file is written for this: anything inside the site folder is
  published, and anything beside it would stay in the portal's folder (and in `git status`).
  The build's own output is the mark: a site's stylesheet holds the brand colours every build
  adds to it (`SIGNATURE`), and its top level holds nothing a build does not make.
  Sites built before this rule existed pass it the same way. A folder into which someone put
  files of their own (a CNAME file, a .git folder, documents) is refused, so they are not lost;
- one build at a time writes into a site folder (`site_lock`, a lock file beside it, gone
  when the build ends).

Faults of the machine (a full disk, a read-only drive, no permission) are said in plain words
(`os_fault`); they are not bugs of prioportal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from prioportal.problems import InvalidPortal, Problem, T, Text, display_path
from prioportal.site import urls

if TYPE_CHECKING:
    from prioportal.settings import Settings


class SiteNotWritten(Exception):
    """The site cannot be written where (or when) it was asked to be: a plain message, "what is
    wrong — what to do" (a `T(...)`, its first argument), and exit code 1."""


# The mark of a site a prioportal build made: `output.asset_files` appends the brand colours,
# under this comment, to every site's stylesheet (old builds did too).
SIGNATURE = b"/* Brand colours from mkdocs.yml */"
# Left in any folder by the desktop (Finder, Explorer): never anyone's work.
_DESKTOP_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
LOCK_WAIT = 10.0  # seconds a build waits for another one writing the same site before it gives up


# --- The portal's sources --------------------------------------------------------------------

def _sources(settings: Settings) -> list[tuple[Path, Text, Text, str | None]]:
    """What the portal is made of: (path, what it is, what a replaced site folder would take
    with it, the mkdocs.yml setting that names it)."""
    root = settings.root
    everything = (T("every decision file, page and setting of the portal, and its git history")
                  if (root / ".git").exists() else T("every decision file, page and setting of the portal"))
    found = [(root, T("the portal's own folder (where mkdocs.yml is)"), everything, None),
             (settings.decisions_dir, T("the folder of the decision files ({folder})",
                                        folder=display_path(settings.decisions_dir, root)),
              T("every decision file"), "decisions_dir"),
             (settings.content_dir, T("the folder of the Markdown pages ({folder})",
                                      folder=display_path(settings.content_dir, root)),
              T("every page"), "docs_dir"),
             (settings.templates_dir, T("the theme folder ({folder})", folder=display_path(settings.templates_dir, root)),
              T("the theme"), "custom_dir")]
    git = next((folder / ".git" for folder in (root, *root.parents) if (folder / ".git").exists()), None)
    if git is not None:
        found.append((git, T("the git history ({folder})", folder=display_path(git, root)), T("the git history"), None))
    if settings.brand.logo is not None:
        found.append((settings.brand.logo, T("the logo ({file})", file=display_path(settings.brand.logo, root)),
                      T("the logo"), "logo"))
    return found


def _identity(path: Path) -> tuple[int, int] | None:
    """The file system's identity of `path` (same on every spelling of it: a link, another case on
    macOS and Windows, a path through ..), or None where nothing is."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _clash(site_dir: Path, settings: Settings) -> tuple[Text, str | None] | None:
    """(how the site folder would clash with a source of the portal, and what would be lost; the
    setting naming the source) if `site_dir` is, holds or lies inside one; else None."""
    own = _identity(site_dir)
    above = {i for i in map(_identity, site_dir.parents) if i is not None}
    for path, what, lost, setting in _sources(settings):
        source = _identity(path)
        if source is None:
            continue
        if source == own:
            return T("would be {what}: a build replaces its site folder whole, so {lost} would be deleted",
                     what=what, lost=lost), setting
        if own is not None and own in map(_identity, path.parents):
            return T("would hold {what}: a build replaces its site folder whole, so {lost} would be deleted",
                     what=what, lost=lost), setting
        if source in above and path != settings.root:  # site/ inside the portal's folder is the default
            return T("would lie inside {what}, mixing the site into the portal's own files", what=what), setting
    return None


def _setting_line(config_file: Path, key: str) -> tuple[int, int] | None:
    """Line and column where `key` is written in mkdocs.yml, or None."""
    try:
        lines = config_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    pattern = re.compile(rf"""^(\s*-?\s*)["']?{re.escape(key)}["']?\s*:""")
    for number, text in enumerate(lines, 1):
        found = pattern.match(text)
        if found:
            return number, len(found.group(1)) + 1
    return None


def check_site_dir(settings: Settings, site_dir: Path, *, option: str | None = None, site_setting: bool = False,
                   config_file: Path | None = None, contents: bool = True) -> None:
    """Refuse, before anything is touched, a site folder that would destroy a source of the
    portal, that is a file, or (with `contents`) that holds what a prioportal build did not
    make. `option` is how the folder was named on the command line ("--site-dir out"); without
    it the folder is the default `site` or (`site_setting`, for `mkdocs build`) mkdocs.yml's
    `site_dir`, and a clash is reported in mkdocs.yml, at the line of the setting behind it."""
    site_dir = Path(os.path.abspath(site_dir))
    config_file = config_file or settings.root / "mkdocs.yml"
    clash = _clash(site_dir, settings)
    if clash is not None:
        how, setting = clash
        if option is not None:
            raise SiteNotWritten(T("{option}: the site folder {how} — choose a folder of its own for the site, "
                                   "e.g. --site-dir site", option=option, how=how))
        shown = display_path(site_dir, settings.root)
        # Named in mkdocs.yml by site_dir or, where the site is in its default folder, by the
        # setting that put a source there (docs_dir: site).
        where = _setting_line(config_file, "site_dir") if site_setting else None
        own_folder = T("set site_dir to a folder of its own, e.g. site_dir: site")
        if where is not None:
            advice = own_folder
        else:
            where = (_setting_line(config_file, setting) if setting else None) or (1, 1)
            advice = (T("give {setting} a folder apart from the site's ({folder})", setting=setting, folder=shown)
                      if setting else own_folder)
        raise InvalidPortal([Problem(config_file.name, *where, T("the site folder ({folder}) {how}", folder=shown,
                                                                 how=how), advice)])
    refuse_unusable(site_dir, option or display_path(site_dir, settings.root), contents=contents)


def refuse_unusable(site_dir: Path, shown: str, *, contents: bool = True) -> None:
    """Refuse a site folder that is a file, or lies below one; with `contents`, one that holds
    what a prioportal build did not make."""
    for path in (site_dir, *site_dir.parents):
        if path.exists() and not path.is_dir():
            what = T("this is a file, not a folder") if path == site_dir else T("'{path}' is a file, not a folder",
                                                                                   path=path)
            raise SiteNotWritten(T("{folder}: {what} — name a folder for the site: a new one, or one a build made",
                                   folder=shown, what=what))
    if not contents or not site_dir.is_dir():
        return
    foreign = foreign_entries(site_dir)
    if foreign:
        foreign = [T("a git repository (.git)") if name == ".git" else name for name in foreign]
        listed = (T("{names} and {more} more", names=_listed(foreign[:3]), more=len(foreign) - 3) if len(foreign) > 3
                  else _listed(foreign))
        raise SiteNotWritten(T(
            "{folder}: this folder holds what a prioportal build did not make ({listed}); a build replaces "
            "its site folder whole, so this would be lost — move those files elsewhere, or delete the folder "
            "yourself if nothing in it is needed, or build into another folder", folder=shown, listed=listed))


def _listed(names: list) -> Text:
    """Names, some of them `T(...)`, listed with commas, each said in the reader's language (the
    list itself is no msgid: gettext gives it back as it is, and fills in the names said)."""
    values = {f"name{i}": name for i, name in enumerate(names)}
    return Text(", ".join("{%s}" % key for key in values), values)


def foreign_entries(site_dir: Path) -> list[str]:
    """What shows that `site_dir` is not a site a prioportal build made: the names at its top
    that a build does not make, or its stylesheet without the brand colours a build adds. An
    empty list for an empty folder and for a site a build made."""
    try:
        entries = sorted(os.scandir(site_dir), key=lambda entry: entry.name)
    except OSError:
        return []  # it cannot be listed: replacing it fails too, and says why (os_fault)
    entries = [entry for entry in entries if entry.name not in _DESKTOP_CLUTTER]
    if not entries:
        return []
    files = {urls.file_of(urls.home()), urls.not_found(), urls.robots(), urls.sitemap(), urls.feed(), urls.calendar(),
             urls.json_feed()}
    # The build's folders without a page: the theme's files, measures/, the fragment (embed/).
    folders = {urls.asset("").rstrip("/"), urls.MEASURES.rstrip("/"), urls.embed_latest().split("/", 1)[0]}
    foreign = []
    for entry in entries:
        if entry.name.startswith(".") or entry.is_symlink():  # a build makes neither
            foreign.append(entry.name)
        elif entry.is_dir():
            if entry.name not in folders and not os.path.isfile(os.path.join(entry.path, "index.html")):
                foreign.append(entry.name + "/")
        elif entry.name not in files:
            foreign.append(entry.name)
    if not foreign:
        try:
            with open(site_dir / urls.asset("style.css"), "rb") as f:
                signed = SIGNATURE in f.read()
        except OSError:
            signed = False
        if not signed:
            foreign.append(T("{file} is not the stylesheet a build writes", file=urls.asset("style.css")))
    return foreign


# --- One build at a time -----------------------------------------------------------------------

def _try_lock(fd: int) -> bool:
    """Take the lock on the open file `fd` without waiting; True when taken (or where the system
    has no locks: then builds are not kept apart, as before)."""
    try:
        import fcntl
    except ImportError:  # Windows
        try:
            import msvcrt
        except ImportError:
            return True
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):  # a file system without locks
            return True
        raise
    return True


@contextlib.contextmanager
def site_lock(site_dir: Path, shown: str | None = None, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of `site_dir` (the file `.<name>.lock` beside it), waiting up to `wait`
    seconds (LOCK_WAIT) for a build that holds it. The file is removed when the lock is given
    back, so nothing is left beside the site; a build that took the lock on a file removed
    meanwhile tries again on the new one."""
    lock = site_dir.parent / f".{site_dir.name}.lock"
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise SiteNotWritten(
                        f"{shown or site_dir}: another build is writing this site right now — wait until it "
                        "has finished, then build again")
                time.sleep(0.1)
            try:
                current = os.path.samestat(os.fstat(fd), os.stat(lock))
            except FileNotFoundError:
                current = False
        except BaseException:
            os.close(fd)
            raise
        if current:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)  # gives the lock back


# --- Faults of the machine ---------------------------------------------------------------------

# errno: (what is wrong, what to do, what to do when it happened while building the site)
_FAULTS = {
    errno.ENOSPC: (T("the disk is full (no space left on device)"),
                   T("make room on the disk, or use a folder on another disk, then try again"),
                   T("make room on the disk, or build into a folder on another disk (--site-dir), then build again")),
    errno.EDQUOT: (T("you have used all the disk space you are allowed (disk quota exceeded)"),
                   T("make room among your own files, or ask whoever runs the machine for more, then try again"),
                   T("make room among your own files, or ask whoever runs the machine for more, then build again")),
    errno.EROFS: (T("this is on a drive that can only be read (read-only file system)"),
                  T("use a folder on a drive you can write to, or ask whoever runs the machine to make it writable"),
                  T("build into a folder on a drive you can write to (--site-dir), or ask whoever runs the machine "
                    "to make it writable")),
    errno.EACCES: (T("prioportal is not allowed to use this (permission denied)"),
                   T("use a folder of your own, or ask whoever manages this one for access"),
                   T("build into a folder of your own (--site-dir), or ask whoever manages this one for access")),
    errno.EBUSY: (T("this is in use, or a drive is mounted here (device or resource busy)"),
                  T("close what uses it, or use a folder inside it, then try again"),
                  T("close what uses it, or build into a folder inside it (--site-dir …/site), then build again")),
}
_FAULTS[errno.EPERM] = _FAULTS[errno.EACCES]


def os_fault(exc: BaseException, *, building: bool = False) -> Text | None:
    """A fault of the machine rather than of prioportal (a full disk, a read-only drive, no
    permission) as "path: what is wrong — what to do" (a `T(...)`: said in the reader's
    language where it is shown); None for any other error. While `building`, it says the site
    was left as it was, and how to build elsewhere."""
    if not isinstance(exc, OSError) or exc.errno not in _FAULTS:
        return None
    what, advice, advice_building = _FAULTS[exc.errno]
    if building:
        what, advice = T("{what}; nothing was published and the site is as it was", what=what), advice_building
    if not exc.filename:
        return Text("{what} — {advice}", {"what": what, "advice": advice})  # no words of its own to translate
    # A file of the folder the build was making is named as it would have been in the site, and
    # the lock beside the site as the folder it is in: the communicator knows neither.
    place = re.sub(r"(^|[/\\])\.([^/\\]+)\.building-[^/\\]+", r"\1\2", os.fsdecode(exc.filename))
    place = re.sub(r"[/\\]\.[^/\\]+\.lock$", "", place) or place
    return Text("{place}: {what} — {advice}", {"place": place, "what": what, "advice": advice})
