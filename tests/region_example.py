"""The region's example of priority lists (examples/region-mellanvik) as the priority-list tests
read it: its folder, its lists' ids, its decision files, and a copy of it to spoil."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
REGION = REPO / "examples" / "region-mellanvik"
HAB_2024, HAB_2026, LOGOPEDI = "habilitering-2024", "habilitering-2026", "logopedi-2025"


def docs(kind: str, root: Path = REGION) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "decisions" / kind).rglob("*.yml"))]


def copy_region(tmp_path: Path) -> Path:
    """A copy of the example under `tmp_path`, its theme where its mkdocs.yml looks for it."""
    root = tmp_path / "examples" / "region"
    shutil.copytree(REGION, root, ignore=shutil.ignore_patterns("site"))
    (tmp_path / "site_templates").symlink_to(REPO / "site_templates")  # its mkdocs.yml's ../../site_templates
    return root
