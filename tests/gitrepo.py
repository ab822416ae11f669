"""Real git for the tests, isolated from the machine's own git configuration; without git the test
skips on a developer's machine and fails under CI (tests/gate.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gate import need_program


def git(cwd: Path, *args: str, when: str | None = None) -> str:
    """Run git in `cwd` as the municipality's communicator; `when` fixes author and commit dates."""
    need_program("git", "git")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"})
    if when:
        env.update({"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    done = subprocess.run(["git", "-c", "user.name=Kommunikasjon", "-c", "user.email=post@testvik.kommune.no",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def publish_portal(portal: Path, message: str, when: str) -> None:
    """Make the portal's folder a git repository and commit all of it, as a municipality's first
    publication: the built site ignored, the (empty) theme folder kept."""
    (portal / ".gitignore").write_text("site/\n", encoding="utf-8")
    (portal / "site_templates" / ".gitkeep").write_text("", encoding="utf-8")  # git keeps no empty folder
    git(portal, "init", "-q")
    git(portal, "add", "-A")
    git(portal, "commit", "-q", "-m", message, when=when)
