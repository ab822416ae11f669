"""The browser editor at /admin/: the page, its configuration and the editor's program (Decap CMS).

Published only when mkdocs.yml turns it on (`editor:`, settings_editor.py). The program is the
prebuilt bundle of the npm package decap-cms, vendored into prioportal (`make editor`, pinned
in package.json, with the one change vendor/decap-cms.json records) and copied here. The page
that loads it has a Content-Security-Policy of its own, looser than the site's (the editor
builds its forms with inline styles and compiles its configuration's schema), that lets it
load from the site and talk to the site and the forge, and to no other site. The configuration (config.yml) is made
from the model and the portal's files by `editor_config`, afresh on every build, so the forms
follow a new round or a changed scale at once.

While previewing, `prioportal serve` hands the same config.yml out with its local backend added
(`with_local_backend`), so the editor saves into the working copy instead of the forge.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlsplit

from prioportal.exports.editor_config import collections, folder_name
from prioportal.model.portal import Portal
from prioportal.settings import Settings
from prioportal.settings_editor import BUNDLE, Editor, bundle_files
from prioportal.system.safe_writing import Files
from prioportal.text.i18n import N_

FOLDER = "admin/"
CONFIG = FOLDER + "config.yml"
# Decap's own words for its buttons come in these languages; its names for them.
DECAP_LOCALES = {"nb": "nb_no", "nn": "nn_no", "sv": "sv", "en": "en"}
# Images cannot be published from the editor; Decap asks for a folder all the same (below the pages).
MEDIA_FOLDER = "images"


def _origin(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(editor: Editor) -> str:
    """What the editor page may load and talk to: the site itself and the forge, nothing else.
    Inline styles: the editor's forms are styled from script (CSS-in-JS). 'unsafe-eval': it
    compiles the JSON Schema of its own configuration into a function (ajv) before it starts."""
    forge = " ".join(dict.fromkeys((_origin(editor.url), _origin(editor.api_root))))
    return ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' {forge}; "
            "base-uri 'none'; form-action 'none'; object-src 'none'")


def editor_page(settings: Settings, editor: Editor) -> bytes:
    translator = settings.translator()
    title = translator.gettext(N_("Edit the portal"))
    no_script = translator.gettext(N_("The editor needs JavaScript. The published pages do not: "
                                      "they are at the address above, without /admin/."))
    return f"""<!DOCTYPE html>
<html lang="{escape(settings.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(content_security_policy(editor))}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>{escape(title)} · {escape(settings.site_name)}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript><p>{escape(no_script)}</p></noscript>
<!-- {escape(BUNDLE.package)} {escape(BUNDLE.version)}, MIT licence; notices: {escape(BUNDLE.script)}.LICENSE.txt -->
<script src="{escape(BUNDLE.script)}"></script>
</body>
</html>
""".encode("utf-8")


def _backend(editor: Editor) -> dict:
    """Decap's backend for the forge (Forgejo speaks Gitea's API)."""
    found = {"name": "gitea" if editor.backend == "forgejo" else editor.backend, "repo": editor.repo,
             "branch": editor.branch, "api_root": editor.api_root}
    if editor.backend == "github":
        found["base_url"] = editor.auth_url  # the OAuth server that logs in to GitHub
    else:
        found.update(base_url=editor.url, app_id=editor.app_id)
        if editor.backend == "gitlab":
            found["auth_type"] = "pkce"
    return found


def editor_config(settings: Settings, editor: Editor, portal: Portal) -> dict:
    """The editor's configuration for `portal` (in its main language)."""
    translator = settings.translator()
    config = {"backend": _backend(editor)}
    if settings.language in DECAP_LOCALES:
        config["locale"] = DECAP_LOCALES[settings.language]
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    config.update({
        "media_folder": f"{folder_name(settings.root, settings.content_dir)}/{MEDIA_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(settings.root, settings.decisions_dir, settings.content_dir, portal.criteria_sets,
                                   portal.rounds, portal.measures, portal.sources, translator.gettext,
                                   settings.language, settings.languages),
    })
    return config


def as_yaml(config: dict) -> bytes:
    """config.yml's text: YAML in its JSON form (YAML 1.2 reads JSON as it is), indented. PyYAML's
    own writer took a tenth of a second for the example's configuration, at every preview build."""
    return (json.dumps(config, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def editor_files(settings: Settings, portal: Portal) -> Files:
    """The files of /admin/, or none when mkdocs.yml does not turn the editor on. Made for the
    main language's tree only: the editor edits the files, whatever language a page shows."""
    editor = settings.editor
    if editor is None or settings.tree:
        return {}
    files = {FOLDER + "index.html": editor_page(settings, editor),
             CONFIG: as_yaml(editor_config(settings, editor, portal))}
    files.update({FOLDER + name: data for name, data in bundle_files().items()})
    return files


def with_local_backend(config: bytes, api_url: str) -> bytes:
    """config.yml as the preview hands it out: saving through `prioportal serve` at `api_url`
    (Decap uses a local backend only on a page at localhost or 127.0.0.1)."""
    return as_yaml({**json.loads(config), "local_backend": {"url": api_url}})
