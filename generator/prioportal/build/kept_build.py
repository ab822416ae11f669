"""The kept cache of `prioportal build`: a page whose plan is the same as at the last build is
taken from the last site instead of being rendered again.

After a build, `.prioportal-cache/build.json` beside `mkdocs.yml` says, for every page that does
not see the whole portal, the digest of its plan (`PlanDigests`: its template, title, context,
everything `render_page` is given of it) and the digest of the HTML it gave, with its words for
the search index; and per language tree the digest of what every page shares (the settings,
the commit, the translation notice). The next build makes the page plan as a cold build does
(loading, views and plans are not kept), and for a page whose plan digest and tree digest are
the kept ones, and whose file in the site folder still has the kept HTML digest, copies that
file; every other page is rendered. Every output besides the pages (open data, feeds, search
index, sitemap, manifests, redirects) is made afresh from the portal as in a cold build, and
the link check reads every page, reused or not, so the site is byte for byte the cold build's.

Nothing kept is trusted: the state is JSON (nothing in it is run), valid only for the same
format, prioportal version, code and theme files, Python and template engine versions
(`fingerprint`), and for the site folder it describes; a reused file is read and its digest
checked before it is copied. A state that cannot be read or does not match is ignored, said
in one line, and replaced after the build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pickle
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prioportal.problems import T, Text
from prioportal.site.render import BUNDLED_THEME, theme_dirs

FOLDER = ".prioportal-cache"  # beside mkdocs.yml; ignored by git; a CI cache step restores it
_STATE = "build.json"
_FORMAT = 1  # raised when what is kept changes shape
_LIBRARIES = ("jinja2", "markupsafe", "babel", "pydantic", "markdown", "nh3")  # what renders a page
_ATOMS = (str, int, float, bool, type(None), bytes, list, tuple, dict)


class PlanDigests:
    """The digest of a page plan by its values, not the identities of its objects: each object
    inside it is pickled once on its own, with the objects it holds replaced by their digests
    (so what many pages share is digested once), and a set by the sorted digests of its items
    (so its order, which string hashing makes differ from run to run, does not count). Equal
    digests mean equal pickles, which give equal values."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, bytes]] = {}  # id -> (the object, kept alive; its digest)

    def of(self, obj: Any) -> bytes:
        known = self._known.get(id(obj))
        if known is not None:
            return known[1]
        if type(obj) in (set, frozenset):
            digest = _sha(b"set" + b"".join(sorted(self.of(item) for item in obj)))
        else:
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer, protocol=5)

            def persistent_id(inner: Any) -> Any:
                if inner is obj or type(inner) in _ATOMS:
                    return None
                if isinstance(inner, types.ModuleType):
                    return ("module", inner.__name__)
                return self.of(inner)

            pickler.persistent_id = persistent_id  # type: ignore[method-assign]
            pickler.dump(obj)
            digest = _sha(buffer.getvalue())
        self._known[id(obj)] = (obj, digest)
        return digest


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@functools.cache
def fingerprint() -> str:
    """What every kept page depends on besides its plan: this format, the code and the bundled
    theme and catalogues (every file of the package), Python and the libraries that render."""
    from importlib.metadata import version

    import prioportal

    h = hashlib.sha256(repr((_FORMAT, sys.version, *(version(name) for name in _LIBRARIES))).encode())
    _hash_folder(h, Path(prioportal.__file__).parent)
    _hash_folder(h, BUNDLED_THEME)  # outside the package in a source checkout
    return h.hexdigest()


def _hash_folder(h: Any, folder: Path) -> None:
    # Hidden files are a tool's working files (editors, the catalogues' extraction), not read by a build.
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and not any(part.startswith(".") for part in p.relative_to(folder).parts)):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(path.read_bytes())


@dataclass
class KeptBuild:
    """What the last build kept, for this build (`trees` empty when nothing may be reused), and
    what this build keeps (`new`), written by `save` once the site is in place."""

    folder: Path
    site_dir: Path
    key: str
    trees: dict[str, dict] = field(default_factory=dict)
    ignored: Text | None = None  # why what was kept is not used, when something was
    new: dict[str, dict] = field(default_factory=dict)
    caches: list["TreeCache"] = field(default_factory=list)

    @classmethod
    def open(cls, root: Path, site_dir: Path, templates_dir: Path | None) -> "KeptBuild":
        h = hashlib.sha256(fingerprint().encode())
        kept = cls(root / FOLDER, site_dir, h.hexdigest())
        if own_theme(templates_dir):
            _hash_folder(h, templates_dir)  # type: ignore[arg-type]
            kept.key = h.hexdigest()
        path = kept.folder / _STATE
        if not path.exists():
            return kept
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(state, dict) or state.get("format") != _FORMAT:
                kept.ignored = T("the kept cache is of another format; building everything")
            elif state.get("key") != kept.key:
                kept.ignored = T("the kept cache is from another version of prioportal or another theme; "
                                 "building everything")
            elif state.get("site") != str(site_dir) or not site_dir.is_dir():
                kept.ignored = T("the kept cache is of another site folder; building everything")
            else:
                kept.trees = _checked_trees(state.get("trees"))
        except (OSError, ValueError, TypeError, KeyError):
            kept.ignored = T("the kept cache could not be read; building everything")
            kept.trees = {}
        return kept

    def tree(self, tree: str, frame: bytes, commit: str | None) -> "TreeCache":
        """The cache of one language tree; nothing of it is reused if what every page shares
        changed. `commit` is the one the site is built from (see `frame_digest`)."""
        old = self.trees.get(tree)
        same = old is not None and old["frame"] == frame.hex() and isinstance(old.get("commit"), (str, type(None)))
        pages = old["pages"] if same else {}
        splice = None
        if same and old["commit"] != commit:
            splice = (_META + (old["commit"] or "").encode(), _META + (commit or "").encode())
        new: dict = {"frame": frame.hex(), "commit": commit, "pages": {}}
        self.new[tree] = new
        cache = TreeCache(self.site_dir, pages, new["pages"], splice)
        self.caches.append(cache)
        return cache

    @property
    def reused(self) -> int:
        return sum(cache.reused for cache in self.caches)

    def save(self) -> None:
        """Keep what this build made, for the next; a cache that cannot be written is only lost."""
        state = {"format": _FORMAT, "key": self.key, "site": str(self.site_dir), "trees": self.new}
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            temporary = self.folder / f".{_STATE}.{os.getpid()}"
            temporary.write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.folder / _STATE)
        except OSError:
            pass


def _checked_trees(trees: Any) -> dict[str, dict]:
    """The kept trees, if they have the shape a build writes; else a ValueError."""
    if not isinstance(trees, dict):
        raise ValueError(trees)
    for tree, kept in trees.items():
        if not isinstance(tree, str) or not isinstance(kept, dict) or not isinstance(kept.get("frame"), str) \
                or not isinstance(kept.get("pages"), dict):
            raise ValueError(tree)
        for path, entry in kept["pages"].items():
            if not (isinstance(path, str) and isinstance(entry, list) and len(entry) == 3
                    and isinstance(entry[0], str) and isinstance(entry[1], str)
                    and (entry[2] is None or (isinstance(entry[2], list) and all(isinstance(x, str) for x in entry[2])))):
                raise ValueError(path)
    return trees


@dataclass
class TreeCache:
    """The pages of one tree the last build kept, and those this build keeps."""

    site_dir: Path
    old: dict[str, list]  # page path from the site root -> [plan digest, HTML digest, search entry or None]
    new: dict[str, list]
    splice: tuple[bytes, bytes] | None = None  # the last build's commit in a page's head, and this build's
    digests: PlanDigests = field(default_factory=PlanDigests)
    reused: int = 0  # pages taken from the last site

    def last_html(self, name: str, plan: Any) -> tuple[bytes | None, str | None, list | None]:
        """The page's HTML as the last build wrote it, if its plan is the same and the file
        still holds it (else None); the plan's digest; the kept search entry."""
        digest = self.digests.of(plan).hex()
        old = self.old.get(name)
        if old is None or old[0] != digest:
            return None, digest, None
        try:
            data = (self.site_dir / name).read_bytes()
        except OSError:
            return None, digest, None
        if hashlib.sha256(data).hexdigest() != old[1]:
            return None, digest, None
        if self.splice is not None:
            # The one place the bundled theme shows the commit (`frame_digest`): first in the head,
            # before anything a page shows (whose text is escaped, so it cannot hold a tag).
            at = data.find(self.splice[0])
            if at < 0:
                return None, digest, None
            data = data[:at] + self.splice[1] + data[at + len(self.splice[0]):]
        return data, digest, old[2]


def frame_digest(common: dict, notice: str, tree: str, own_theme: bool) -> bytes:
    """What every page of a tree shares besides the whole portal (`view`, which only the pages
    that see it show, and those are always rendered). Every page names the commit the site is
    built from, so after a commit no page would be the same: with the bundled theme, which shows
    it in one place only (`<meta name="generator-source" content="…">` in the head of base.html,
    whose bytes the cache's key holds), the commit itself is left out here and put into the
    kept page in that place (`TreeCache.splice`); whether there is one, and whether there are
    changes not committed, stay in (they change what the page shows). With a theme of the
    portal's own (`own_theme`), which may show it anywhere, the whole source counts."""
    frame = {key: value for key, value in common.items() if key != "view"}
    source = frame.get("source")
    if not own_theme and source is not None:
        frame["source"] = (bool(source.commit), source.uncommitted)
    return PlanDigests().of((frame, notice, tree))


_META = b'<meta name="generator-source" content="'


def own_theme(templates_dir: Path | None) -> bool:
    """Whether the portal has templates of its own (which may show the commit anywhere)."""
    return templates_dir is not None and len(theme_dirs(templates_dir)) > 1 and any(
        p.is_file() and not p.name.startswith(".") for p in templates_dir.rglob("*"))
