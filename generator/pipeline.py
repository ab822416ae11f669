"""The pipeline end to end: settings → load and validate → analyses → render → site.

Both the CLI and the MkDocs plugin call these functions; neither does any of the work itself.
"""

from __future__ import annotations

from pathlib import Path

from .portal import Portal, load_portal
from .settings import Settings, load_settings


def load_from_settings(settings: Settings) -> Portal:
    return load_portal(settings.root, settings.decisions_dir, settings.content_dir)


def load_everything(config_file: Path) -> Portal:
    return load_from_settings(load_settings(config_file))
