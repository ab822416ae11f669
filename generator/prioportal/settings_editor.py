"""The `editor:` setting: the browser editor at /admin/ and the forge it saves to.

    editor:
      backend: gitea                  # github, gitlab, gitea or forgejo
      repo: kommune/prioriteringer    # the portal's repository on the forge
      url: https://git.kommune.no     # the forge (github.com and gitlab.com without it)
      app_id: 1a2b3c…                 # the OAuth application the forge gave the editor (gitlab, gitea, forgejo)
      branch: main

Without `editor:` nothing of the editor is published. The options are checked where they are
written (`settings_file.check_options` calls the option types below); what needs two options
at once (a repository, the OAuth application a forge needs) is checked by `editor_settings`,
at the `editor:` line. The editor page may talk to the forge and to nothing else (its
Content-Security-Policy names the forge), so the forge's address must be https.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from prioportal.problems import Problem, T, Text
from prioportal.settings_options import link_problem

if TYPE_CHECKING:
    from prioportal.settings_file import Positions

BACKENDS = ("github", "gitlab", "gitea", "forgejo")
# The editor's program, vendored by `make editor` (scripts/vendor_editor.py): the manifest, kept
# in git, pins the npm package's version and the SHA-256 of each file; the files ship in the wheel.
VENDOR = Path(__file__).parent / "vendor"


@dataclass(frozen=True)
class Bundle:
    package: str
    version: str
    sha256: dict  # file name → digest, the files published in /admin/ as they are

    @property
    def script(self) -> str:
        return next(name for name in self.sha256 if name.endswith(".js"))


BUNDLE = (lambda pinned: Bundle(pinned["package"], pinned["version"], pinned["sha256"]))(
    json.loads((VENDOR / "decap-cms.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def _checked_bundle(stamps: tuple) -> dict[str, bytes] | None:
    found = {}
    for name, digest in BUNDLE.sha256.items():
        data = (VENDOR / BUNDLE.package / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        found[name] = data
    return found


def _stamps() -> tuple | None:
    try:
        return tuple((name, (VENDOR / BUNDLE.package / name).stat().st_mtime_ns,
                      (VENDOR / BUNDLE.package / name).stat().st_size) for name in BUNDLE.sha256)
    except OSError:
        return None


def bundle_files() -> dict[str, bytes]:
    """The editor's program, by file name, as pinned; empty when it is missing or not the pinned
    one (`editor_settings` has said so before a build gets here)."""
    stamps = _stamps()
    return (_checked_bundle(stamps) or {}) if stamps is not None else {}
# The forges with a public home, used when `url` is not written.
PUBLIC_FORGES = {"github": "https://github.com", "gitlab": "https://gitlab.com"}
# GitLab nests groups (group/subgroup/project); the others have owner/name.
_REPO = {"gitlab": re.compile(r"[\w.-]+(?:/[\w.-]+)+"), None: re.compile(r"[\w.-]+/[\w.-]+")}


def https_problem(value: str) -> Text | None:
    """Why `value` cannot be the forge's address, or None: an https:// address of a server."""
    problem = link_problem(value)
    if problem is not None:
        return problem
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.netloc:
        return T("'{value}' is not an https:// address: the editor sends the communicator's login to the forge, "
                 "which must be encrypted", value=value)
    if parts.query or parts.fragment:
        return T("'{value}' has a ? or # part: write the forge's address only, e.g. https://git.kommune.no",
                 value=value)
    return None


class HttpsAddress(c.Type):
    """The address of a server reached only over https."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        problem = https_problem(value)
        if problem:
            raise c.ValidationError(problem)
        return value.rstrip("/")


class Repository(c.Type):
    """A repository on a forge, owner/name."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not _REPO["gitlab"].fullmatch(value.strip()):
            raise c.ValidationError(T("'{value}' is not a repository: write owner/name, e.g. kommune/prioriteringer",
                                      value=value))
        return value.strip()


class EditorConfig(Config):
    """The browser editor (`editor:` in mkdocs.yml)."""

    backend = c.Optional(c.Choice(BACKENDS))
    repo = c.Optional(Repository())
    branch = c.Type(str, default="main")
    url = c.Optional(HttpsAddress())  # the forge; github.com or gitlab.com when not written
    app_id = c.Optional(c.Type(str))  # the OAuth application's id (client id) on gitlab, gitea, forgejo
    auth_url = c.Optional(HttpsAddress())  # github: the OAuth server that logs the communicator in


@dataclass(frozen=True)
class Editor:
    """The browser editor, as mkdocs.yml turns it on."""

    backend: str  # one of BACKENDS
    repo: str
    branch: str
    url: str  # the forge's address, https
    app_id: str | None = None
    auth_url: str | None = None

    @property
    def api_root(self) -> str:
        """The forge's API, which the editor reads and commits through."""
        if self.backend == "github":
            return "https://api.github.com" if self.url == PUBLIC_FORGES["github"] else f"{self.url}/api/v3"
        return f"{self.url}/api/v4" if self.backend == "gitlab" else f"{self.url}/api/v1"


def editor_settings(config: EditorConfig, where: Positions, problems: list[Problem]) -> Editor | None:
    """The editor `config` turns on, or None without `editor:`; what is missing goes to `problems`,
    at the `editor:` line."""
    path = where.option("editor")
    if path not in where.keys:
        return None
    at = where.key(path)
    backend = config.backend
    if backend is None:
        problems.append(where.problem(at, T("the editor needs a backend: the forge it saves to"),
                                      T("write backend: with one of: {choices}", choices=", ".join(BACKENDS))))
        return None
    missing = []
    if not config.repo:
        missing.append(where.problem(at, T("the editor needs repo: the portal's repository on the forge"),
                                     T("write repo: owner/name, e.g. kommune/prioriteringer")))
    elif backend != "gitlab" and not _REPO[None].fullmatch(config.repo):
        missing.append(where.problem(where.value(path + ("repo",)),
                                     T("'{value}' is not a repository: write owner/name, e.g. kommune/prioriteringer",
                                       value=config.repo)))
    url = config.url or PUBLIC_FORGES.get(backend)
    if url is None:
        missing.append(where.problem(at, T("the editor needs url: the address of the {backend} server",
                                           backend=backend),
                                     T("write url: with the forge's https:// address, e.g. https://git.kommune.no")))
    if backend != "github" and not config.app_id:
        missing.append(where.problem(at, T("the editor needs app_id: the OAuth application it logs in with"),
                                     T("register an OAuth application on the forge for the address of /admin/ and "
                                       "write its client id as app_id (README, section 'Edit in the browser')")))
    if backend == "github" and not config.auth_url:
        missing.append(where.problem(at, T("the editor needs auth_url: GitHub logs the editor in through an OAuth "
                                           "server of the municipality's own"),
                                     T("write auth_url: with the https:// address of that server "
                                       "(README, section 'Edit in the browser')")))
    if not bundle_files():
        missing.append(where.problem(at, T("the editor's program ({package} {version}) is not installed with "
                                           "prioportal, or is not the pinned one",
                                           package=BUNDLE.package, version=BUNDLE.version),
                                     T("install prioportal from its wheel, or run 'make editor' in prioportal's "
                                       "repository")))
    problems += missing
    if missing or url is None:
        return None
    return Editor(backend=backend, repo=config.repo, branch=config.branch, url=url, app_id=config.app_id,
                  auth_url=config.auth_url)
