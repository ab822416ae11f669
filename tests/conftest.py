"""Fixtures: a valid portal in a temporary folder, and a way to write a variant of it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/ holds portal_factory

from portal_factory import write_portal  # noqa: E402


@pytest.fixture
def make_portal(tmp_path):
    """Call with {relative path: text | bytes | None} to get a portal folder with those files changed."""
    def make(overrides=None) -> Path:
        return write_portal(tmp_path / "portal", overrides)
    return make


@pytest.fixture
def portal_dir(make_portal) -> Path:
    """The valid portal, unchanged."""
    return make_portal()
