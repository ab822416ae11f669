"""`prioportal serve`: a local preview that rebuilds when a file is saved and reloads the page.

The preview is built into a temporary folder by `build.preview.Preview` and served from there by
a small HTTP server of our own. A watchdog observer reports saved files at once (inotify on
Linux); a builder thread batches what arrives within a few milliseconds and builds. Every HTML
response gets a reload script (an external file, so the pages' Content-Security-Policy allows
it) that long-polls the site version and reloads the page when a build has published a newer one.
A build that fails prints its problems and leaves the last good preview in place; until a build
succeeds, every HTML response also lists them at the top of its body (in the page's language),
so the communicator sees them where they look. Only this server adds that notice: no file does.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from prioportal.build.preview import Outcome, Preview
from prioportal.local_editor import LocalBackend, answer_post, backend_for, editor_file
from prioportal.preview_pages import (PREVIEW_PREFIX, RELOAD_SCRIPT, RELOAD_SCRIPT_PATH, VERSION_PATH,
                                      inject_problems, inject_reload_script)
from prioportal.problems import InvalidPortal, Problem, T, UsageError, said
from prioportal.text.i18n import Translator

# Below the ~30 s after which proxies and browsers may give up on a silent request.
LONG_POLL_SECONDS = 25.0
# An editor's save is often several events (write a temporary file, rename it, change its
# mode); a short quiet spell gathers them into one build, and the cap keeps a steady stream
# of events from postponing the build for ever.
QUIET_SECONDS = 0.03
LONGEST_WAIT_SECONDS = 0.2

# Shown instead of the site until the first build has succeeded; its reload script replaces it
# with the site as soon as the problems are fixed.
NO_SITE_YET = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>No preview yet</title></head>
<body>
<h1>No preview yet</h1>
<p>The portal's files have problems; they are listed in the terminal that runs
<code>prioportal serve</code>. This page turns into the preview once they are fixed.</p>
</body>
</html>
"""

# Python's own guesses depend on the machine's /etc/mime.types; the site's file types are fixed here.
CONTENT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".webmanifest": "application/manifest+json",
    ".xml": "application/xml", ".atom": "application/atom+xml", ".rss": "application/rss+xml",
    ".txt": "text/plain", ".csv": "text/csv", ".yml": "text/yaml", ".ics": "text/calendar", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip", ".pdf": "application/pdf",
}
_UTF8_TYPES = re.compile(r"text/.*|application/(json|xml|javascript)|application/.*\+(json|xml)")

# --- Pieces without state ---------------------------------------------------------------------

def parse_address(dev_addr: str) -> tuple[str, int]:
    """HOST:PORT as (host, port); IPv6 hosts in brackets, e.g. [::1]:8000. Port 8000 if left out."""
    found = re.fullmatch(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?P<v6port>\d+))?|(?P<host>[^:\[\]]*)(?::(?P<port>\d+))?",
                         dev_addr.strip())
    if not found:
        raise UsageError(T("'{address}' is not an address to serve on: write HOST:PORT, e.g. 127.0.0.1:8000",
                           address=dev_addr))
    host = found["v6"] or found["host"] or "127.0.0.1"
    port = int(found["v6port"] or found["port"] or 8000)
    if port > 65535:
        raise UsageError(T("'{address}' is not an address to serve on: the port must be at most 65535",
                           address=dev_addr))
    return host, port


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if _UTF8_TYPES.fullmatch(kind) else kind


def site_path(root: Path, url_path: str) -> Path | None:
    """The file or folder below `root` that a URL path names, or None if it would lead outside."""
    segments = [s for s in unquote(url_path).split("/") if s not in ("", ".")]
    if ".." in segments or any("\0" in s or "\\" in s for s in segments):
        return None
    candidate = root.joinpath(*segments)
    # A symbolic link inside the folder could still lead out of it.
    real, real_root = candidate.resolve(), root.resolve()
    if real != real_root and not real.is_relative_to(real_root):
        return None
    return candidate


def read_site_file(root: Path, target: Path | None) -> tuple[HTTPStatus, bytes, str]:
    """Status, body and Content-Type for `target` (a folder means its index.html); the site's
    own 404.html when there is no such file."""
    try:
        if target is not None and target.is_dir():
            target = target / "index.html"
        if target is not None and target.is_file():
            return HTTPStatus.OK, target.read_bytes(), content_type(target)
    except OSError:  # e.g. a name too long for the file system: no such page either
        pass
    page = root / "404.html"
    if page.is_file():
        return HTTPStatus.NOT_FOUND, page.read_bytes(), "text/html; charset=utf-8"
    return HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8"


def is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def is_editor_noise(path: Path) -> bool:
    """Files editors and git write beside the real ones, which never change the site."""
    name = path.name
    return (name.endswith("~") or name.startswith(".#") or name.endswith((".swp", ".swx"))
            or name == "4913" or ".git" in path.parts)


# --- The site's version, and who may read it when -----------------------------------------------

class SiteState:
    """The preview folder's version, and a gate that keeps requests out while a build writes.

    Readers wait while a build writes files; a build waits for the readers already inside, so no
    response mixes files of two builds."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        # Starting from the clock, not from 0, so a page still open from an earlier run of the
        # preview sees a higher version after a restart and reloads.
        self._version = time.time_ns() // 1_000_000
        self._has_site = False
        self._problems: tuple[Problem, ...] = ()  # of the last build, while it failed
        self._translators: dict[str, Translator] = {}  # to show them in, by language
        self._building = False
        self._readers = 0
        self._closed = False

    @property
    def version(self) -> int:
        with self._changed:
            return self._version

    @property
    def has_problems(self) -> bool:
        with self._changed:
            return bool(self._problems)

    @contextlib.contextmanager
    def reading(self) -> Iterator[tuple[int, bool, tuple[Problem, ...], dict[str, Translator]]]:
        """Yield (version, whether a good build exists, the last build's problems, translators to
        show them in) with no build running meanwhile."""
        with self._changed:
            while self._building:
                self._changed.wait()
            self._readers += 1
            snapshot = (self._version, self._has_site, self._problems, self._translators)
        try:
            yield snapshot
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        with self._changed:
            self._building = True  # set first, so new readers queue behind the build
            while self._readers:
                self._changed.wait()
        try:
            yield
        finally:
            with self._changed:
                self._building = False
                self._changed.notify_all()

    def publish(self) -> None:
        """A build succeeded: pages showing an older version will reload."""
        with self._changed:
            self._version += 1
            self._has_site = True
            self._problems = ()
            self._changed.notify_all()

    def fail(self, problems: Iterable[Problem], translators: dict[str, Translator]) -> None:
        """A build found problems: pages showing an older version reload and list them."""
        with self._changed:
            self._version += 1
            self._problems, self._translators = tuple(problems), translators
            self._changed.notify_all()

    def wait_for_version_above(self, since: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self._version > since or self._closed, timeout)
            return self._version

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


# --- HTTP --------------------------------------------------------------------------------------

class PreviewRequestHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"  # keep-alive: a page's assets come over a few connections
    timeout = 120  # drop idle keep-alive connections eventually

    def do_GET(self) -> None:  # noqa: N802 - the base class's naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802 - the browser editor saving into the working copy (local_editor.py)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if 0 < length <= 50_000_000 else b""
        self._respond(*answer_post(self.server.local_backend(), self.path, self.headers, body,
                                   self.server.server_address[0]), True)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # one line per build is the log; a line per request would bury it

    def _answer(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        if url.path == RELOAD_SCRIPT_PATH:
            self._respond(HTTPStatus.OK, RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8", send_body)
        elif url.path == VERSION_PATH:
            self._answer_version(url.query, send_body)
        elif url.path.startswith(PREVIEW_PREFIX):
            self._respond(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", send_body)
        else:
            self._answer_from_site(url.path, url.query, send_body)

    def _answer_version(self, query: str, send_body: bool) -> None:
        try:
            since = int(parse_qs(query).get("since", ["-1"])[0])
        except ValueError:
            since = -1
        version = self.server.state.wait_for_version_above(since, LONG_POLL_SECONDS)
        body = json.dumps({"version": version}).encode()
        self._respond(HTTPStatus.OK, body, "application/json; charset=utf-8", send_body)

    def _answer_from_site(self, url_path: str, query: str, send_body: bool) -> None:
        # The file is read into memory inside the gate and sent after it, so a slow client
        # never holds up a build.
        with self.server.state.reading() as (version, has_site, problems, translators):
            if not has_site:
                status, body, kind = HTTPStatus.SERVICE_UNAVAILABLE, NO_SITE_YET, "text/html; charset=utf-8"
            else:
                target = site_path(self.server.site_dir, url_path)
                if target is not None and not url_path.endswith("/") and is_folder(target):
                    # Relative links in dir/index.html only work from dir/.
                    location = url_path + "/" + (f"?{query}" if query else "")
                    self._respond(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain; charset=utf-8", send_body,
                                  {"Location": location})
                    return
                status, body, kind = read_site_file(self.server.site_dir, target)
        # The editor's files: its configuration saving into the working copy, its page never reloaded
        # by a save it made nor covered by the problems' notice (local_editor.py).
        edited = editor_file(url_path, body, self.headers.get("Host"), self.server.local_backend())
        if edited is not None and status == HTTPStatus.OK:
            body = edited
        elif kind.startswith("text/html"):
            body = inject_reload_script(body, version)
            if problems:
                body = inject_problems(body, problems, translators)
        self._respond(status, body, kind, send_body)

    def _respond(self, status: HTTPStatus, body: bytes, kind: str, send_body: bool,
                 headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # A reload must show the file as it is now, never a cached one.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class PreviewServer(ThreadingHTTPServer):
    """Serves `site_dir` and the live-reload endpoints on one address."""

    daemon_threads = True  # a waiting long-poll must not keep the process alive
    request_queue_size = 64  # a browser opens several connections at once for one page

    def __init__(self, host: str, port: int, site_dir: Path, state: SiteState):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site_dir = site_dir
        self.state = state
        # The browser editor's local backend, while mkdocs.yml turns the editor on (`serve` sets it).
        self.local_backend: Callable[[], LocalBackend | None] = lambda: None
        super().__init__((host, port), PreviewRequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def handle_error(self, request, client_address) -> None:
        # A browser that navigates away mid-response is normal, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


# --- Watching ----------------------------------------------------------------------------------

class ChangeCollector:
    """The paths changed since the last build, handed out in batches once saving has paused."""

    def __init__(self, quiet: float = QUIET_SECONDS, longest: float = LONGEST_WAIT_SECONDS):
        self._quiet = quiet
        self._longest = longest
        self._arrived = threading.Condition()
        self._paths: set[Path] = set()
        self._first = self._last = 0.0
        self._closed = False

    def add(self, paths: Iterable[Path]) -> None:
        with self._arrived:
            now = time.monotonic()
            if not self._paths:
                self._first = now
            self._paths.update(paths)
            self._last = now
            self._arrived.notify_all()

    def next_batch(self) -> set[Path] | None:
        """Wait for changes, then for a pause in them; None once closed."""
        with self._arrived:
            while not self._paths and not self._closed:
                self._arrived.wait()
            while not self._closed:
                due = min(self._last + self._quiet, self._first + self._longest)
                remaining = due - time.monotonic()
                if remaining <= 0:
                    break
                self._arrived.wait(remaining)
            if self._closed:
                return None
            batch, self._paths = self._paths, set()
            return batch

    def close(self) -> None:
        with self._arrived:
            self._closed = True
            self._arrived.notify_all()


# Opening or reading a file is no change; counting it would make every build start the next.
_CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})


class _ChangeHandler(FileSystemEventHandler):
    """Passes on changes to one watched folder (and everything below it) or one file."""

    def __init__(self, collector: ChangeCollector, target: Path):
        self._collector = collector
        self._target = target
        self._is_file = not target.is_dir()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type not in ("deleted", "moved"):
            return  # a folder's own times change with every file saved in it; the files are reported
        paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" else [])
        relevant = [p for p in (Path(os.fsdecode(raw)) for raw in paths) if self._concerns(p)]
        if relevant:
            self._collector.add(relevant)

    def _concerns(self, path: Path) -> bool:
        if self._is_file:
            return path == self._target
        try:
            below = path.relative_to(self._target)
        except ValueError:
            return False
        return not is_editor_noise(below)


class Watcher:
    """Watches the builder's files and folders and feeds their changes to a ChangeCollector."""

    def __init__(self, collector: ChangeCollector):
        self._collector = collector
        self._observer = Observer()
        self._watched: frozenset[Path] = frozenset()

    def start(self, paths: Iterable[Path]) -> None:
        self.watch(paths)
        self._observer.start()

    def watch(self, paths: Iterable[Path]) -> None:
        """Watch exactly `paths` (called again after each build, as mkdocs.yml may have moved them)."""
        wanted = frozenset(paths)
        if wanted == self._watched:
            return
        # Rescheduled from scratch: two files in one folder share watchdog's watch of that folder,
        # so unscheduling one of them alone would silence the other.
        self._observer.unschedule_all()
        for path in sorted(wanted):
            handler = _ChangeHandler(self._collector, path)
            if path.is_dir():
                self._observer.schedule(handler, str(path), recursive=True)
            elif path.parent.is_dir():
                # A single file is watched through its folder, so a save that replaces the file
                # (write a copy, rename it over the original) is seen too.
                self._observer.schedule(handler, str(path.parent), recursive=False)
        self._watched = wanted

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)


# --- Building ----------------------------------------------------------------------------------

class PreviewBuilder:
    """Builds the preview on its own thread: everything at first, then each batch of changes."""

    def __init__(self, preview: Preview, state: SiteState, collector: ChangeCollector, watcher: Watcher,
                 gettext: Callable[[str], str] = lambda message: message,
                 seconds: Callable[[float], str] = lambda seconds: f"{seconds:.2f}"):
        self._preview = preview
        self._gettext, self._seconds = gettext, seconds  # the language of the terminal's lines
        self._state = state
        self._collector = collector
        self._watcher = watcher
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="preview-builder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the build under way, waiting at most `timeout` for it."""
        self._stopping.set()
        self._collector.close()
        self._thread.join(timeout)

    def _run(self) -> None:
        self._build((), first=True)
        while (changed := self._collector.next_batch()) is not None:
            self._build(changed, first=False)

    def _build(self, changed: Iterable[Path], first: bool) -> None:
        # The preview enters the state's `building` gate only while it writes files. The open
        # data is written just after the pages are published: the reader sees the page sooner.
        outcome = self._run_safely(lambda: self._preview.build(changed, open_data_later=True))
        if outcome is not None and outcome.ok and (first or outcome.site_changed or self._state.has_problems):
            self._state.publish()  # with the problems' notice gone, also when no file changed
        elif outcome is not None and not outcome.ok:
            self._state.fail(outcome.problems, self._translators())
        if self._stopping.is_set():
            return
        self._watcher.watch(self._preview.watched())
        self._report(outcome, first)
        self._run_safely(self._preview.catch_up)

    def _translators(self) -> dict[str, Translator]:
        """The site's texts in each of its languages, for the problems' notice."""
        try:
            settings = self._preview.settings
            return {language: settings.for_language(language).translator() for language in settings.languages}
        except Exception:  # noqa: BLE001 - settings never read: the notice comes in English
            return {}

    def _run_safely(self, step: Callable[[], Outcome | None]) -> Outcome | None:
        try:
            return step()
        except Exception as exc:
            if not self._stopping.is_set():  # else the preview folder is being removed under the build
                from prioportal.build.site_folder import os_fault

                # A full disk or the like, in plain words; else a bug in the builder, not a problem
                # in the portal's files: show it, keep serving.
                log(os_fault(exc) or traceback.format_exc().rstrip(), self._gettext)
            return None

    def _report(self, outcome: Outcome | None, first: bool) -> None:
        gettext = self._gettext
        if outcome is not None and outcome.ok:
            pages, seconds = outcome.pages_written, self._seconds(outcome.seconds)
            log(T("Built in {seconds} s: {pages} page(s) written", seconds=seconds, pages=pages) if first else
                T("Rebuilt in {seconds} s: {pages} page(s) written", seconds=seconds, pages=pages), gettext)
            return
        if outcome is not None:
            for problem in outcome.problems:
                log(problem.said(gettext))
            if not outcome.problems:
                log(outcome.message, gettext)
        if first:
            log(T("The preview appears as soon as these problems are fixed."), gettext)
        else:
            log(T("The preview keeps showing the last good version."), gettext)


def log(text: object, gettext: Callable[[str], str] = lambda message: message) -> None:
    """A line on the terminal, in the language of `gettext` (a `T(...)`, or text as it is)."""
    print(said(text, gettext), file=sys.stderr, flush=True)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Let SIGTERM stop the preview the way Ctrl+C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- The command --------------------------------------------------------------------------------

def serve(config_file: Path, dev_addr: str, gettext: Callable[[str], str] = lambda message: message,
          seconds: Callable[[float], str] = lambda seconds: f"{seconds:.2f}") -> int:
    """Serve the preview on `dev_addr` until Ctrl+C or SIGTERM; 0 then, 1 for a bad mkdocs.yml.
    The terminal's lines are in the language of `gettext`, durations as `seconds` writes them."""
    host, port = parse_address(dev_addr)
    with _sigterm_as_interrupt(), contextlib.ExitStack() as cleanup:
        try:
            # Never the project's site/: the preview must not be mistaken for a published build.
            workdir = Path(tempfile.mkdtemp(prefix="prioportal-preview-"))
            cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
            state = SiteState()
            try:
                preview = Preview(config_file, workdir / "site", writing=state.building)
            except InvalidPortal as exc:
                for problem in exc.problems:
                    log(problem.said(gettext))
                return 1
            try:
                server = PreviewServer(host, port, workdir / "site", state)
            except OSError as exc:
                raise UsageError(T("cannot serve on {address}: {reason}", address=dev_addr,
                                   reason=exc.strerror or exc)) from None
            cleanup.callback(server.server_close)
            cleanup.callback(state.close)
            server.local_backend = lambda: backend_for(getattr(preview, "settings", None))
            collector = ChangeCollector()
            watcher = Watcher(collector)
            builder = PreviewBuilder(preview, state, collector, watcher, gettext, seconds)
            cleanup.callback(watcher.stop)
            cleanup.callback(builder.stop)
            # Watching starts before the first build, so a file saved during it is not missed.
            watcher.start(preview.watched())
            builder.start()
            log(T("Serving the preview on {address} (Ctrl+C to stop)", address=server.url), gettext)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
