"""The MkDocs plugin: connects `mkdocs build` and `mkdocs serve` to the pipeline.

The pipeline renders every page itself (decisions and the Markdown in docs_dir alike), so
MkDocs is only asked to read the configuration, watch files and serve; its own page and
sitemap rendering is switched off, which keeps `mkdocs build` and `prioportal build`
byte-identical and keeps the build linear in the number of measures.

MkDocs reads mkdocs.yml with its own YAML loader before any plugin runs, and that loader
resolves Python tags (`!!python/object/apply:...`): a plugin cannot stop it. `on_config` reads
the file again as data (`settings_file`) and refuses to build from a file with such a tag, or
with any other problem prioportal finds in it; `prioportal build` never lets MkDocs read it.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from prioportal.problems import InvalidPortal, T, Text, said
from prioportal.settings import PortalConfig, Settings, settings_from_mkdocs
from prioportal.settings_file import named_language, positions_of
from prioportal.text.i18n import Translator, language_of_messages


def _told(heading: Text, exc: InvalidPortal, portal_language: str | None) -> str:
    """A heading and every problem, in the language a communicator reads messages in: the one
    LANGUAGE or LANG names, else the portal's (as `prioportal` says them, README "Messages in
    your language")."""
    gettext = Translator(language_of_messages(None, os.environ, portal_language)).gettext
    return "\n".join([said(heading, gettext)] + [problem.said(gettext) for problem in exc.problems])


class PortalPlugin(BasePlugin[PortalConfig]):
    settings: Settings | None = None

    def on_config(self, config):
        try:
            positions = positions_of(Path(config.config_file_path), PortalConfig)
            self.settings = settings_from_mkdocs(config, self.config, positions)
        except InvalidPortal as exc:
            language = named_language(Path(config.config_file_path))
            raise PluginError(_told(T("the prioportal settings have problems:"), exc, language)) from None
        # MkDocs empties site_dir before the build (on_post_build) starts: a folder that would
        # destroy the portal's own files, or holds what no build made, is refused before that.
        from prioportal.build.site_folder import SiteNotWritten, check_site_dir, os_fault

        try:
            check_site_dir(self.settings, Path(config.site_dir), site_setting=True,
                           config_file=Path(config.config_file_path))
        except InvalidPortal as exc:
            raise PluginError(_told(T("the site folder cannot be used:"), exc, self.settings.language)) from None
        except SiteNotWritten as exc:
            raise PluginError(f"site_dir {exc}") from None
        except OSError as exc:
            raise PluginError(os_fault(exc, building=True) or str(exc)) from None
        # The pipeline writes its own sitemap.xml; MkDocs' one would list no pages.
        config.theme.static_templates.discard("sitemap.xml")
        return config

    def on_files(self, files: Files, /, *, config) -> Files:
        return Files([])

    def on_serve(self, server, /, *, config, builder):
        server.watch(str(self.settings.decisions_dir))
        server.watch(str(self.settings.templates_dir))
        return server

    def on_post_build(self, *, config) -> None:
        from prioportal.build.pipeline import build_site
        from prioportal.build.site_folder import SiteNotWritten, os_fault

        try:
            # What site_dir holds was looked at in on_config, before MkDocs emptied it.
            build_site(self.settings, (self.settings.root / config.site_dir).resolve(), checked=True)
        except InvalidPortal as exc:
            raise PluginError(_told(T("the portal's files have problems:"), exc, self.settings.language)) from None
        except SiteNotWritten as exc:
            raise PluginError(str(exc)) from None
        except OSError as exc:
            fault = os_fault(exc, building=True)
            if fault is None:
                raise
            raise PluginError(fault) from None
