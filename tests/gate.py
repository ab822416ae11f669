"""The one gate for a test that needs something outside the project: a program, a kernel feature.

`need(ok, reason)` skips with the reason (and what to install) on a developer's machine and fails
under CI (the environment variable CI is set), where everything must be there. Tests never call
pytest.skip, skipif or importorskip themselves; conftest.py also turns any skip or xfail that gets
past this gate into a failure under CI, and an empty parameter set fails at collection
(`empty_parameter_set_mark` in pyproject.toml), so a test whose markup disappeared fails instead of
running on nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def need(ok: object, reason: str) -> None:
    """Skip with `reason` on a developer's machine; fail under CI, where every tool must be there."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def need_program(name: str, package: str) -> str:
    """The path of the program `name`, which Debian's `package` installs (.ci/run installs it)."""
    found = shutil.which(name)
    need(found is not None, f"{name} not found: apt-get install {package}")
    assert found is not None
    return found
