"""`prioportal serve`: the preview a communicator watches while editing."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(predicate, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


def test_preview_rebuilds_when_a_decision_file_is_saved(portal_dir):
    port = free_port()
    cli = Path(sys.executable).parent / "prioportal"
    server = subprocess.Popen([str(cli), "-f", str(portal_dir / "mkdocs.yml"), "serve", "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        measure = sorted((portal_dir / "decisions" / "measures").rglob("*.yml"))[0]
        url = f"http://127.0.0.1:{port}/measures/{measure.stem}/"
        first = wait_for(lambda: fetch(url))
        assert first is not None, "the preview did not start"
        assert "Endret tittel i forhåndsvisningen" not in first

        text = measure.read_text(encoding="utf-8")
        title_line = next(line for line in text.splitlines() if line.startswith("title:"))
        measure.write_text(text.replace(title_line, "title: Endret tittel i forhåndsvisningen", 1), encoding="utf-8")
        updated = wait_for(lambda: (page := fetch(url)) and "Endret tittel i forhåndsvisningen" in page and page)
        assert updated, "the preview did not rebuild after the YAML file was saved"
    finally:
        server.terminate()
        server.wait(timeout=10)
