"""Portal settings, read from `mkdocs.yml` so `mkdocs build` and `prioportal build` agree.

The options themselves are declared once, as MkDocs config options on the plugin
(`PortalConfig`); this module turns a loaded MkDocs config into a plain, typed value that
the rest of the pipeline uses without knowing about MkDocs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .problems import InvalidPortal, Problem, UsageError

SUPPORTED_LANGUAGES = ("nb", "nn", "sv", "en")


class PortalConfig(Config):
    """The `prioportal` plugin's options in mkdocs.yml."""

    language = c.Choice(SUPPORTED_LANGUAGES, default="nb")
    decisions_dir = c.Type(str, default="decisions")
    municipality = c.Type(str)
    currency = c.Type(str, default="NOK")
    contact_email = c.Optional(c.Type(str))
    contact_phone = c.Optional(c.Type(str))
    contact_url = c.Optional(c.Type(str))
    input_url = c.Optional(c.Type(str))


@dataclass(frozen=True)
class Settings:
    root: Path
    site_name: str
    site_url: str | None
    site_description: str | None
    language: str
    municipality: str
    currency: str
    decisions_dir: Path
    content_dir: Path
    templates_dir: Path
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_url: str | None = None
    input_url: str | None = None


def settings_from_mkdocs(config, plugin_config: PortalConfig) -> Settings:
    """Build Settings from an already loaded MkDocs config and this plugin's options."""
    root = Path(config.config_file_path).resolve().parent
    custom_dir = config.theme.custom_dir or "site_templates"
    return Settings(
        root=root,
        site_name=config.site_name,
        site_url=config.site_url or None,
        site_description=config.site_description or None,
        language=plugin_config.language,
        municipality=plugin_config.municipality,
        currency=plugin_config.currency,
        decisions_dir=(root / plugin_config.decisions_dir).resolve(),
        content_dir=Path(config.docs_dir).resolve(),
        templates_dir=(root / custom_dir).resolve(),
        contact_email=plugin_config.contact_email,
        contact_phone=plugin_config.contact_phone,
        contact_url=plugin_config.contact_url,
        input_url=plugin_config.input_url,
    )


def load_settings(config_file: Path) -> Settings:
    """Read mkdocs.yml through MkDocs itself; a bad file is a Problem, not a traceback."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    shown = config_file.name
    if not config_file.is_file():
        raise UsageError(f"there is no {config_file} — run the command in the portal's folder, "
                         "or name the portal's mkdocs.yml with --config-file")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise InvalidPortal([Problem(shown, 1, 1, f"the configuration is not valid: {exc}",
                                     "compare with the example mkdocs.yml in the README")]) from None
    except Exception as exc:  # MkDocs wraps YAML errors inconsistently across versions
        raise InvalidPortal([Problem(shown, 1, 1, f"the configuration cannot be read: {exc}",
                                     "check the indentation and quotes in mkdocs.yml")]) from None
    plugin = config.plugins.get("prioportal")
    if plugin is None:
        raise InvalidPortal([Problem(shown, 1, 1, "the prioportal plugin is not enabled",
                                     "add '- prioportal:' under 'plugins:'")])
    return settings_from_mkdocs(config, plugin.config)
