"""Writing files inside a folder, and never outside it: a path that climbs out (`..`, an
absolute path) or a symbolic link that leads out is refused with `UnsafePath`. Every file a
build or an export writes goes through here (`write_files`); `Files` is what the outputs make."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from stat import S_ISDIR, S_ISLNK


class UnsafePath(ValueError):
    pass


def safe_join(root: Path, relative: str, *, fresh: bool = False) -> Path:
    """`root / relative`, refusing anything that would land outside `root`. With `fresh`, `root`
    is a folder this build made and alone writes to, so it holds no symbolic link that could
    lead out, and the path is not resolved (at ten thousand pages that took two seconds)."""
    if relative.startswith(("/", "\\")) or ".." in Path(relative).parts or "\\" in relative:
        raise UnsafePath(relative)
    if fresh:
        return root / relative
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafePath(relative)
    return target


Files = dict[str, bytes]  # the content of each file, by its path within the site (or a tree of it)


def write_files(out_dir: Path, files: Files) -> list[Path]:
    """Write `files` below `out_dir`; return the paths written. Nothing is written through a
    symbolic link that leads out of `out_dir`, and a file that is itself a link is refused."""
    root = out_dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    folders: dict[str, Path] = {"": root}  # as named in `files` -> where it really is, made
    written = []
    for name, data in sorted(files.items()):
        if name.startswith(("/", "\\")):
            raise UnsafePath(name)
        folder, _, base = name.rpartition("/")
        target = _folder(root, folder, folders) / _part(base, name)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            if target.is_symlink():
                raise UnsafePath(name) from exc
            raise
        try:
            with open(fd, "wb") as f:  # bytes: a calendar's CRLF must not be translated
                f.write(data)
        except OSError as exc:  # a full disk, say: the message names the file (os_fault)
            exc.filename = exc.filename or str(target)
            raise
        written.append(target)
    return written


def _folder(root: Path, folder: str, known: dict[str, Path]) -> Path:
    """Where `folder` (below `root`) really is, made if missing. Each folder is looked at once,
    one part at a time: a preview writes hundreds of pages, each in a folder of its own, after
    a save, and resolving every path whole took longer than writing the page."""
    found = known.get(folder)
    if found is not None:
        return found
    head, _, last = folder.rpartition("/")
    path = _folder(root, head, known) / _part(last, folder)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        os.mkdir(path)
    else:
        if S_ISLNK(mode):
            path = path.resolve()
            if not path.is_relative_to(root):
                raise UnsafePath(folder)
            path.mkdir(exist_ok=True)
        elif not S_ISDIR(mode):
            raise FileExistsError(errno.EEXIST, "a file is where a folder should be", str(path))
    known[folder] = path
    return path


def _part(part: str, name: str) -> str:
    if part in ("", ".", "..") or "\\" in part:
        raise UnsafePath(name)
    return part
