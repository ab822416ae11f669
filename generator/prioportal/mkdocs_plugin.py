"""The MkDocs plugin: connects `mkdocs build` and `mkdocs serve` to the pipeline.

The pipeline renders every page itself (decisions and the Markdown in docs_dir alike), so
MkDocs is only asked to read the configuration, watch files and serve; its own page and
sitemap rendering is switched off, which keeps `mkdocs build` and `prioportal build`
byte-identical and keeps the build linear in the number of measures.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from prioportal.problems import InvalidPortal
from prioportal.settings import PortalConfig, Settings, settings_from_mkdocs


class PortalPlugin(BasePlugin[PortalConfig]):
    settings: Settings | None = None

    def on_config(self, config):
        try:
            self.settings = settings_from_mkdocs(config, self.config)
        except InvalidPortal as exc:
            raise PluginError("the prioportal settings have problems:\n" + str(exc)) from None
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

        try:
            build_site(self.settings, self.settings.root / config.site_dir)
        except InvalidPortal as exc:
            raise PluginError("the portal's files have problems:\n" + str(exc)) from None
