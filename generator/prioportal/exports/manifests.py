"""Proof of what was published: for every decided round, a manifest of the SHA-256 digest of
each file published for it, with the commit of the sources the site was built from.

A round's manifest is `rounds/<id>/manifest.sha256` (`site.urls.round_manifest`; in a language
tree, below its folder), in the format of GNU `sha256sum`: one `<digest>  <path>` line per file,
paths from the site's root folder, so an auditor can check a downloaded copy with
`sha256sum -c rounds/<id>/manifest.sha256` in that folder, or with `prioportal verify`, which
also compares the digests with a fresh build of the sources (`tools.verify`). Lines starting
with `#` say what the manifest is about (`sha256sum` skips them):

    # round: <id>                 the round
    # commit: <hash>              the commit of the sources (HEAD), or "unknown" without git
    # uncommitted changes: no     "yes" when the sources differed from it (`uncommitted_sources`)
    # generator: prioportal <v>   the version that built it: another version builds other bytes
    # folder: rounds/<id>/        a folder every file of which is listed (one line each)

Which files belong to a round is decided by the addresses of `site.urls`, not by guessing from
names: every file in the round's folder (its listings, each of their pages, its feed and
calendar), in the folder of each of its measures (the page and its feed), and in the open-data
folder (every table holds every round, this one's among them). The digests are taken of the
files as the build wrote them, so a manifest is made after every other file of its language
tree (`build.site_outputs.Manifests`); it never lists itself. Same files, same manifest: the
lines are sorted, and nothing in it comes from the clock.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from prioportal.model.portal import Portal
from prioportal.problems import display_path
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.sources.git_history import uncommitted_changes
from prioportal.system.safe_writing import Files

_DIGEST = re.compile(r"^(\\?)([0-9a-fA-F]{64}) [ *](.+)$")


@dataclass(frozen=True)
class Manifest:
    """A manifest as read back (`parse_manifest`)."""

    round: str | None
    commit: str | None  # None: built without git
    uncommitted: bool | None  # None: not known
    generator: str | None
    folders: tuple[str, ...]
    digests: dict[str, str]  # path from the site root -> SHA-256 in lower-case hex
    bad_lines: tuple[int, ...] = field(default=())  # lines that are neither a comment nor a digest


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def files_in(site: Path, folder: str) -> list[str]:
    """Every file below `folder` (an address ending in /, from the site root), by its path from
    the site root, sorted; none when the folder is not there."""
    top = site / folder
    found = []
    for here, _dirs, names in os.walk(top):
        relative = Path(here).relative_to(site).as_posix()
        found += [f"{relative}/{name}" for name in names]
    return sorted(found)


def _escaped(path: str) -> tuple[str, str]:
    """The path as sha256sum writes it, and the prefix its line then starts with: a name holding
    a backslash or a line break is escaped, and its line marked with a backslash."""
    if "\\" in path or "\n" in path or "\r" in path:
        return path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r"), "\\"
    return path, ""


def _unescaped(path: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), path)


def manifest_text(round_id: str, commit: str | None, uncommitted: bool | None, generator: str,
                  folders: list[str], digests: dict[str, str]) -> bytes:
    state = "unknown" if uncommitted is None else ("yes" if uncommitted else "no")
    lines = [
        "# prioportal manifest: the SHA-256 digest of every file published for a decided round",
        f"# round: {round_id}",
        f"# commit: {commit or 'unknown'}",
        f"# uncommitted changes: {state}",
        f"# generator: {generator}",
        *(f"# folder: {folder}" for folder in folders),
    ]
    for path in sorted(digests):
        name, mark = _escaped(path)
        lines.append(f"{mark}{digests[path]}  {name}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def parse_manifest(data: bytes) -> Manifest:
    text = data.decode("utf-8", "replace")
    fields: dict[str, str] = {}
    folders: list[str] = []
    digests: dict[str, str] = {}
    bad: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            key, colon, value = line[1:].strip().partition(":")
            if colon and key == "folder":
                folders.append(value.strip())
            elif colon:
                fields.setdefault(key.strip(), value.strip())
            continue
        found = _DIGEST.match(line)
        if found is None:
            bad.append(number)
            continue
        path = _unescaped(found.group(3)) if found.group(1) else found.group(3)
        digests[path] = found.group(2).lower()
    commit = fields.get("commit")
    state = fields.get("uncommitted changes")
    return Manifest(fields.get("round"), None if commit in (None, "unknown") else commit,
                    {"yes": True, "no": False}.get(state or ""), fields.get("generator"), tuple(folders), digests,
                    tuple(bad))


def uncommitted_sources(settings: Settings) -> bool | None:
    """Whether what the site is built from differs from the commit it is built at: the decisions,
    the pages, the theme's folder and the logo (where they are in the portal's repository), and
    the YAML files beside mkdocs.yml; None when it cannot be told (no git). A build's own files
    (the site folder, its lock) are not among them, whether or not git ignores them."""
    root = settings.root.resolve()
    paths = [settings.decisions_dir, settings.content_dir, settings.templates_dir, settings.brand.logo,
             *root.glob("*.yml"), *root.glob("*.yaml")]
    inside = sorted({display_path(p.resolve(), root) for p in paths if p is not None and p.resolve().is_relative_to(root)})
    return uncommitted_changes(root, tuple(inside))


def round_folders(tree: str, round_id: str, measure_ids: list[str]) -> list[str]:
    """The folders whose every file belongs to a round, from the site root: the round's own,
    each of its measures', and the open data's."""
    return ([tree + urls.round(round_id)] + [tree + urls.measure(ident) for ident in sorted(measure_ids)]
            + [tree + urls.open_data()])


def round_manifests(settings: Settings, portal: Portal, commit: str | None, uncommitted: bool | None,
                    site: Path) -> Files:
    """The manifest of every decided round in every language tree, by path from the site root,
    digesting the files as written in `site`."""
    import prioportal

    generator = f"prioportal {prioportal.__version__}"
    digests: dict[str, str] = {}  # each file digested once (the open data is in every round's manifest)
    files: Files = {}
    for language in settings.languages:
        tree = settings.for_language(language).tree
        for rnd in portal.rounds:
            if not rnd.status.is_decided:
                continue
            own = tree + urls.round_manifest(rnd.id)
            folders = round_folders(tree, rnd.id, [x.id for x in portal.measures_in(rnd.id)])
            listed: dict[str, str] = {}
            for folder in folders:
                for path in files_in(site, folder):
                    if path != own:
                        if path not in digests:
                            digests[path] = file_digest(site / path)
                        listed[path] = digests[path]
            files[own] = manifest_text(rnd.id, commit, uncommitted, generator, folders, listed)
    return files
