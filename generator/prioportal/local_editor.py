"""The browser editor's local backend: `prioportal serve` lets the editor at /admin/ read and save
the portal's own files, so a communicator edits the working copy and sees the preview change.

Decap CMS talks to a local backend with its proxy protocol (the one its `decap-server` speaks,
JSON posted to one address, `{"action": ..., "params": ...}`); this module answers it in
Python, so a portal installed with pip needs no Node.js. It answers only what the generated
configuration uses: listing, reading, writing and deleting the decision files and the pages.

Nothing else of the machine is reachable through it. A path must be relative, must not climb
out (`..`, a symbolic link leading elsewhere), must lie in one of the folders the editor's
collections name (the decision files, the pages), and a file written must be a YAML file or a
Markdown page. A save replaces the file in one step (written beside it, then renamed), so the
preview's watcher never reads half a file. The server checks where a request comes from
(`same_origin`) before it gets here: another site open in the same browser cannot save.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from prioportal.exports.editor import CONFIG, FOLDER, with_local_backend

if TYPE_CHECKING:
    from prioportal.settings import Settings

EDITOR_PATH = "/" + FOLDER
API_PATH = EDITOR_PATH + "api/v1"  # where the preview answers; its config.yml names it (`editor_file`)
WRITABLE = (".yml", ".yaml", ".md")
_JSON, _TEXT = "application/json; charset=utf-8", "text/plain; charset=utf-8"


class Refused(Exception):
    """A request the local backend does not answer: said in the response, never a traceback."""


class LocalBackend:
    """The working copy at `root`, seen through the folders the editor's collections name."""

    def __init__(self, root: Path, folders: Sequence[Path]):
        self.root = root.resolve()
        self.folders = tuple(folder.resolve() for folder in folders)

    def answer(self, body: bytes) -> tuple[int, bytes]:
        """The HTTP status and JSON body for one request of the proxy protocol."""
        try:
            request = json.loads(body)
            if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
                raise Refused("not a request of the editor")
            result = self._action(str(request.get("action")), request.get("params") or {})
            return 200, json.dumps(result, ensure_ascii=False).encode("utf-8")
        except (ValueError, Refused) as exc:  # json.JSONDecodeError is a ValueError
            return 422, json.dumps({"error": str(exc)}).encode("utf-8")
        except OSError as exc:
            return 500, json.dumps({"error": exc.strerror or type(exc).__name__}).encode("utf-8")

    def _action(self, action: str, params: dict) -> Any:
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            folder = self._path(params.get("folder"))
            extension = str(params.get("extension") or "")
            depth = params.get("depth") if isinstance(params.get("depth"), int) else 1
            return [self._entry(path) for path in _listed(folder, extension, depth)]
        if action == "entriesByFiles":
            files = params.get("files")
            if not isinstance(files, list):
                raise Refused("files: not a list")
            return [self._entry(self._path(f.get("path") if isinstance(f, dict) else None)) for f in files]
        if action == "getEntry":
            return self._entry(self._path(params.get("path")))
        if action == "persistEntry":
            data_files = params.get("dataFiles") or [params.get("entry")]
            if params.get("assets"):
                raise Refused("the editor saves no images or other files here")
            checked = [(self._path(f.get("path") if isinstance(f, dict) else None, writing=True), f)
                       for f in data_files]
            for path, data_file in checked:
                raw = data_file.get("raw")
                if not isinstance(raw, str):
                    raise Refused("raw: not a text")
                _replace(path, raw.encode("utf-8"))
                if data_file.get("newPath"):
                    path.replace(self._path(data_file["newPath"], writing=True))
            return {"message": "entry persisted"}
        if action in ("deleteFile", "deleteFiles"):
            paths = params.get("paths") if action == "deleteFiles" else [params.get("path")]
            if not isinstance(paths, list):
                raise Refused("paths: not a list")
            for path in [self._path(p, writing=True) for p in paths]:
                path.unlink(missing_ok=True)
            return {"message": "deleted"}
        if action == "getMedia":
            return []  # the portal publishes no media from the editor
        if action == "getDeployPreview":
            return None
        raise Refused(f"unknown action {action}")

    def _path(self, relative: object, writing: bool = False) -> Path:
        """The file or folder `relative` names, refused unless it is inside one of the folders."""
        if not isinstance(relative, str) or not relative or "\0" in relative or "\\" in relative:
            raise Refused("not a path")
        if relative.startswith("/") or ".." in Path(relative).parts:
            raise Refused(f"{relative}: outside the portal")
        path = (self.root / relative).resolve()
        if not any(path == folder or path.is_relative_to(folder) for folder in self.folders):
            raise Refused(f"{relative}: not in a folder the editor edits")
        if writing and (path.suffix not in WRITABLE or path in self.folders):
            raise Refused(f"{relative}: the editor writes only YAML files and Markdown pages")
        return path

    def _entry(self, path: Path) -> dict:
        shown = path.relative_to(self.root).as_posix()
        try:
            data = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": shown, "id": None}}
        return {"data": data.decode("utf-8", errors="replace"),
                "file": {"path": shown, "id": hashlib.sha256(data).hexdigest()}}


def _listed(folder: Path, extension: str, depth: int) -> list[Path]:
    """The files below `folder` ending in `extension`, at most `depth` folders down, by name."""
    if depth <= 0 or not folder.is_dir():
        return []
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            found += _listed(entry, extension, depth - 1)
        elif entry.is_file() and entry.name.endswith(extension):
            found.append(entry)
    return found


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` in one step: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".editor")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def same_origin(origin: str | None, host: str | None, bound: str) -> bool:
    """Whether a request that says it comes from `origin` was sent by a page of this server, bound
    to the address `bound` and reached at `host` (the Host header the browser sent). A browser
    sends Origin with every POST, so a page of another site open in the same browser cannot pass
    for one of the preview's; and the host must be this machine, so a site whose name is made to
    lead here (DNS rebinding) cannot either."""
    if not origin or not host:
        return False
    name = urlsplit(f"//{host}").hostname or ""
    return name in ("localhost", "127.0.0.1", "::1", bound) and origin == f"http://{host}"


def backend_for(settings: Settings | None) -> LocalBackend | None:
    """The working copy as the editor may edit it: the decision files and the pages, as
    mkdocs.yml names them now; None when it does not turn the editor on (or is not read yet)."""
    if settings is None or settings.editor is None:
        return None
    return LocalBackend(settings.root, (settings.decisions_dir, settings.content_dir))


def answer_post(backend: LocalBackend | None, path: str, headers: Message, body: bytes,
                bound: str) -> tuple[int, bytes, str]:
    """Status, body and Content-Type of the preview's answer to a POST: the local backend's, to the
    preview's own editor page only."""
    if backend is None or urlsplit(path).path != API_PATH:
        return 404, b"Not found\n", _TEXT
    if headers.get_content_type() != "application/json" or not same_origin(headers.get("Origin"),
                                                                          headers.get("Host"), bound):
        return 403, b"Forbidden\n", _TEXT
    status, answer = backend.answer(body)
    return status, answer, _JSON


def editor_file(url_path: str, body: bytes, host: str | None, backend: LocalBackend | None) -> bytes | None:
    """A file of /admin/ as the preview serves it, or None for any other: config.yml with the local
    backend added, so the editor saves into the working copy (Decap uses one only on a page at
    localhost or 127.0.0.1, and its address must be absolute); the rest as built."""
    if backend is None or not url_path.startswith(EDITOR_PATH):
        return None
    if url_path == "/" + CONFIG and host:
        return with_local_backend(body, f"http://{host}{API_PATH}")
    return body
