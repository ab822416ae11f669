"""Talking to a server a test started (the preview, the editor): a free port to start it on, a
page fetched from it, and waiting until it shows what the test expects."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page at `url`, or None while the server is not (yet) answering."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(predicate, seconds: float = 30.0):
    """The first true value of `predicate`, asked every 0.2 s, or None after `seconds` (a deadline
    for a failing test only: a passing one returns as soon as the server is ready)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None
