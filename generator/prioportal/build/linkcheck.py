"""Checking every internal link of a built site, without a server and without the network.

    report = check_links(site_dir, base_path="/prioriteringer/")
    for link in report.broken:
        print(link)  # measures/x/index.html:42:7: broken link '../y/' — there is no file measures/y/index.html ...

The list of every file is collected first; then each .html file is scanned once (in as many
processes as asked for) for its ids and links, each distinct link is judged once per folder it
is resolved from, and only fragments that point into other pages wait until every page's ids
are known, so the work grows linearly with the size of the site. A build does the same while
it renders (`LinkCheck`): each page is scanned in the process that rendered it.

Resolved like a static web server would: a URL ending in `/` means its `index.html`; a
root-relative URL (`/measures/x/`) is taken relative to `base_path`, the path the site is
published under; a fragment (`#criterion-x`) must name an `id` (or an `<a name>`) in the
target page, except the empty fragment and `#top`, which every browser understands.
`http(s)://` links are collected in `external` but never fetched; `mailto:`, `tel:`,
`javascript:` and `data:` URLs are not links to check. Positions are those of the
tag's `<` (1-based line and column). Which attributes of which elements count, and how a page
is read so that no text or escaped markup is taken for a link: see html_links.py.
Not followed: `<form action>`, `<meta http-equiv=refresh>`, CSS `url(...)` and links built
by JavaScript.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from prioportal.build.html_links import PageLinks, scan_html
from prioportal.problems import T
from prioportal.system.cores import parallel_map

_HOST = "site.invalid"
_ORIGIN = "http://" + _HOST  # a stand-in origin, so that urljoin resolves links like a browser


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str  # relative to the site folder, e.g. "measures/x/index.html"
    line: int
    column: int
    href: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}:{self.column}: broken link '{self.href}' — {self.reason}"


@dataclass(frozen=True)
class ExternalLink:
    url: str
    pages: tuple[str, ...]  # sorted, each once


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0  # internal links checked
    broken: list[BrokenLink] = field(default_factory=list)
    external: list[ExternalLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


@dataclass
class Checked:
    """What a worker sends back about one page: little, however many links it has."""

    ids: set[str]
    broken: list[BrokenLink]
    external: set[str]
    fragments: list[tuple[int, int, str, str, str]]  # line, column, href, target page, fragment
    links: int
    targets: set[str] = field(default_factory=set)  # the files its links lead to, if the judge notes them
    pending: PageLinks | None = None  # links to files not known yet, to be judged once all are written


def _parse(path: Path) -> PageLinks:
    return scan_html(path.read_bytes().decode("utf-8", errors="replace"))


@lru_cache(maxsize=100_000)
def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


def _resolve(doc_base: str, url: str) -> SplitResult:
    return urlsplit(urljoin(doc_base, url))


def _verdict_key(doc_base: str, href: str, climbs: list[str]) -> tuple[str, str]:
    """A page address and link that resolve to the same place as `doc_base` and `href`, shared by
    as many pages as possible: most links are the same on every page (menus, stylesheets) and
    climb with `../` out of the page's own folder, so the folders below the one they reach do not
    matter. Each distinct key is judged once. `climbs` is `_climbs(doc_base)`, made once a page."""
    if not href or href[0] in "#?":
        return doc_base, href  # about this very page
    if href[0] == "/" or ":" in href.split("/", 1)[0]:
        return _ORIGIN + "/", href  # root-relative or absolute: the page does not matter
    ups = 0
    while href.startswith("../", 3 * ups):
        ups += 1
    rest = href[3 * ups:]
    if "./" in rest or rest.startswith(".") or rest.endswith("/.."):
        return doc_base, href  # dot segments further on: no sharing, resolved exactly
    if ups >= len(climbs):
        return doc_base, href  # climbs above the site root: resolved exactly
    return climbs[ups], rest


def _climbs(doc_base: str) -> list[str]:
    """The folder of `doc_base`, and each folder above it up to the site's origin: where a link
    starting with `../` once, twice... leads from it."""
    folder = doc_base[: doc_base.rfind("/")]
    climbs = [folder + "/"]
    while (cut := folder.rfind("/")) >= len(_ORIGIN):
        folder = folder[:cut]
        climbs.append(folder + "/")
    return climbs


class _Judge:
    """Judges links against the site's list of files. Every link is judged once per distinct
    verdict key (see `_verdict_key`), whichever page it is on."""

    def __init__(self, files: set[str], base_path: str, site_url: str | None, note_targets: bool = False,
                 defer: bool = False):
        self.files = files
        self.note_targets = note_targets  # only a LinkIndex needs them, to know what a removed file affects
        self.defer = defer  # `files` are only some of the site's: a link to none of them is judged later
        # Each folder of the site, with how many files are in it or below it: the site's root
        # always, and a folder as long as it holds a file.
        self.folders: Counter[str] = Counter(_folders_of(files))
        self.folders[""] += 1
        self.base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.own = site_url.rstrip("/") + "/" if site_url else None
        self.verdicts: dict[tuple[str, str], tuple] = {}
        # What more files, or fewer, can change: the keys of broken links, and the files linked to.
        self._broken: set[tuple[str, str]] = set()
        self._targets: set[str] = set()

    def add(self, files: frozenset[str]) -> None:
        """More files in the site: only a link judged broken can mean something else now (a
        name is a file or a folder, never both, and an added name was neither)."""
        self.files |= files
        self.folders.update(_folders_of(files))
        self._forget_broken()

    def remove(self, files: frozenset[str]) -> None:
        """Files gone from the site: a link to one of them, and a link judged broken (which may
        have named a folder that is gone too), can mean something else now. After a preview's
        save this is a few files of the search index, where judging every link anew took longer."""
        self.files -= files
        folders = list(_folders_of(files))
        self.folders.subtract(folders)
        for folder in {folder for folder in folders if self.folders[folder] <= 0}:
            del self.folders[folder]
        self._forget_broken()
        if not self._targets.isdisjoint(files):
            self.verdicts = {key: verdict for key, verdict in self.verdicts.items()
                             if not (verdict[0] == "file" and verdict[1] in files)}
            self._targets -= files

    def _forget_broken(self) -> None:
        for key in self._broken:
            del self.verdicts[key]
        self._broken.clear()

    def judge(self, doc_base: str, href: str) -> tuple:
        """What a link means, the same for every page in one folder: ("external",), ("skip",),
        ("broken", reason) or ("file", target, fragment)."""
        base, own = self.base, self.own
        url = base + href[len(own):] if own and href.startswith(own) else href
        scheme = _scheme(url)
        if scheme in ("http", "https") or (not scheme and url.startswith("//")):
            return ("external",)
        if scheme:  # mailto:, tel:, and any scheme a browser hands to another program
            return ("skip",)
        parts = _resolve(doc_base, url)
        if parts.netloc != _HOST:  # a relative link under a <base href> on another site
            return ("external",)
        path = unquote(parts.path)
        if path + "/" == base:
            path = base
        if not path.startswith(base):
            return ("broken", T("it leads outside the site, which is published under {base}", base=base))
        target = path[len(base):]
        if target == "" or target.endswith("/") or target in self.folders:
            target = (target.rstrip("/") + "/" if target.rstrip("/") else "") + "index.html"
        if target not in self.files:
            folder = target[: -len("index.html")].rstrip("/")
            if target.endswith("index.html") and folder in self.folders:
                return ("broken", T("the folder {folder} has no index.html", folder=folder or "/"))
            return ("broken", T("there is no file {file} in the site", file=target))
        return ("file", target, unquote(parts.fragment))

    def page(self, name: str, page: PageLinks) -> Checked:
        """One page: its ids, its broken links, its links to other sites, and the links whose
        fragment must be looked up in another page's ids once all are known."""
        checked = Checked(page.ids, [], set(), [], 0)
        page_url = _ORIGIN + self.base + name
        doc_base = urljoin(page_url, page.base) if page.base else page_url
        verdicts = self.verdicts
        climbs = _climbs(doc_base)
        for line, column, raw in page.links:
            href = raw.strip()
            key = _verdict_key(doc_base, href, climbs)
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = verdicts[key] = self.judge(*key)
                if verdict[0] == "broken":
                    self._broken.add(key)
                elif verdict[0] == "file":
                    self._targets.add(verdict[1])
            kind = verdict[0]
            if kind == "external":
                checked.external.add(href)
            elif kind == "broken" and self.defer:
                if checked.pending is None:
                    checked.pending = PageLinks(set(), [], page.base)
                checked.pending.links.append((line, column, raw))
            elif kind == "broken":
                checked.links += 1
                checked.broken.append(BrokenLink(name, line, column, href, verdict[1]))
            elif kind == "file":
                checked.links += 1
                _, target, fragment = verdict
                if self.note_targets:
                    checked.targets.add(target)
                if fragment and fragment != "top" and target.endswith((".html", ".htm")):
                    checked.fragments.append((line, column, href, target, fragment))
        return checked


def _folders_of(files: Iterable[str]) -> Iterator[str]:
    """Each folder each file is in or below, once per file."""
    return (name[: i] for name in files for i in _slashes(name))


def _slashes(name: str) -> Iterator[int]:
    i = name.find("/")
    while i >= 0:
        yield i
        i = name.find("/", i + 1)


def _report(results: dict[str, Checked]) -> LinkReport:
    """The whole site's report from each page's; cross-page fragments are looked up here."""
    report = LinkReport(pages=len(results))
    for name, checked in results.items():
        report.links += checked.links
        report.broken += checked.broken
        report.broken += _missing_ids(name, checked, results)
    report.broken.sort()
    report.external = _external(results)
    return report


def _missing_ids(name: str, checked: Checked, results: Mapping[str, Checked]) -> list[BrokenLink]:
    """The page's links to an id that the page they lead to does not have."""
    found = []
    for line, column, href, target, fragment in checked.fragments:
        if fragment not in results[target].ids:
            found.append(BrokenLink(name, line, column, href,
                                    T("this page has no element with id=\"{id}\"", id=fragment) if target == name else
                                    T("{page} has no element with id=\"{id}\"", page=target, id=fragment)))
    return found


def _external(results: Mapping[str, Checked]) -> list[ExternalLink]:
    external: dict[str, set[str]] = {}
    for name, checked in results.items():
        for href in checked.external:
            external.setdefault(href, set()).add(name)
    return [ExternalLink(url, tuple(sorted(used))) for url, used in sorted(external.items())]


def site_files(site_dir: Path) -> list[str]:
    """Every file of a built site, relative to it, in a stable order."""
    files: list[str] = []
    for folder, subfolders, names in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        files += (prefix + name for name in names)
        subfolders.sort()
    return sorted(files)


def is_html(name: str) -> bool:
    return name.endswith((".html", ".htm"))


def check_links(site_dir: Path, base_path: str = "/", site_url: str | None = None, *, jobs: int = 1) -> LinkReport:
    """Every broken internal link in the site, and every external URL with the pages using it.

    `base_path` is the URL path the site is published under ("/" or "/prioriteringer/").
    With `site_url` (e.g. "https://prioriteringer.kommune.no/"), absolute links to the site
    itself, such as canonical URLs, are checked as internal links too.
    Pages are scanned and their links judged in `jobs` processes (see system/cores.py); only
    fragments pointing into other pages wait until every page's ids are known.
    """
    return LinkCheck(base_path, site_url).report(Path(site_dir), jobs=jobs)


class LinkCheck:
    """The link check of a build, made while the pages are rendered: the worker that renders a
    page scans it and judges its links while its HTML is in memory (`page`), against the pages
    it is told of beforehand (`expect`). Links to files not among them (assets, open data,
    feeds, other language trees) wait, and `report` judges them once the whole site is written,
    and checks from disk any HTML file that was not rendered as a page. The report is the one
    `check_links` gives for the finished site."""

    def __init__(self, base_path: str = "/", site_url: str | None = None):
        self.base_path, self.site_url = base_path, site_url
        self._early: _Judge | None = None
        self._checked: dict[str, Checked] = {}

    def expect(self, names: set[str]) -> None:
        """The files (relative to the site) the pages about to be rendered may rely on."""
        self._early = _Judge(names, self.base_path, self.site_url, defer=True)

    def page(self, name: str, html_text: str) -> Checked:
        """One rendered page, named relative to the site; call `expect` first."""
        assert self._early is not None, "expect() tells which files the pages may link to"
        return self._early.page(name, scan_html(html_text))

    def add(self, checked: dict[str, Checked]) -> None:
        """What `page` gave, back in the process that will make the report."""
        self._checked.update(checked)

    def report(self, site_dir: Path, *, jobs: int = 1) -> LinkReport:
        files = site_files(site_dir)
        judge = _Judge(set(files), self.base_path, self.site_url)
        unread = [name for name in files if is_html(name) and name not in self._checked]

        def check_page(name: str) -> Checked:
            return judge.page(name, _parse(site_dir / name))

        results = dict(zip(unread, parallel_map(check_page, unread, chunk_size=64, jobs=jobs)))
        for name, checked in self._checked.items():
            if checked.pending is not None:
                later = judge.page(name, checked.pending)
                checked = replace(checked, broken=checked.broken + later.broken, external=checked.external | later.external,
                                  fragments=checked.fragments + later.fragments, links=checked.links + later.links,
                                  pending=None)
            results[name] = checked
        return _report({name: results[name] for name in files if name in results})


class LinkIndex:
    """The link check of a preview, kept between builds: a page is scanned again only when its
    HTML was rendered again, its links judged again only then or when the site's list of files
    changed, and its links to other pages' ids looked up again only then or when those pages'
    ids changed. The report is the one `check_links` gives for the same files."""

    def __init__(self, base_path: str = "/", site_url: str | None = None):
        self.base_path, self.site_url = base_path, site_url
        self._files: frozenset[str] = frozenset()
        self._judge: _Judge | None = None
        self._scans: dict[str, PageLinks] = {}
        self._checked: dict[str, Checked] = {}
        # What the report adds up, kept as pages are judged: after a save, adding it up again
        # over ten thousand pages cost more than judging the few pages that changed.
        self._links = 0
        self._with_broken: set[str] = set()
        self._fragments_broken: dict[str, list[BrokenLink]] = {}  # page -> its links to missing ids
        self._linking_into: dict[str, set[str]] = {}  # page -> pages with links to ids in it
        self._forgotten: set[str] = set()  # pages to judge (again) at the next check

    def unknown(self, names: Iterable[str]) -> set[str]:
        """Those of `names` whose pages this index holds no scan of."""
        return set(names).difference(self._scans)

    def check(self, files: set[str], changed_html: Mapping[str, str | PageLinks],
              list_external: bool = True) -> LinkReport:
        """`files` lists the whole site; `changed_html` holds the text (or what `scan_html`
        gave for it) of every page that is new or changed since the last check (the first check
        needs them all). Without `list_external`, the report's `external` is left empty
        (gathering it walks every page)."""
        files = frozenset(files)
        same_files = self._judge is not None and files == self._files
        if not same_files:
            # Only a page with a broken link (which a new file may mend) or a link to a file that
            # is gone can be judged differently now: a name is a file or a folder, never both.
            removed = self._files - files
            for name in [name for name, checked in self._checked.items()
                         if checked.broken or not checked.targets.isdisjoint(removed)]:
                self._forget(name)
            if self._judge is None:
                self._judge = _Judge(set(files), self.base_path, self.site_url, note_targets=True)
            else:  # a word of the search index, a page: a few files came or went
                added = files - self._files
                if removed:
                    self._judge.remove(removed)
                if added:
                    self._judge.add(added)
            self._files = files
        new_ids: set[str] = set()  # pages whose ids may have changed
        # With the same files, every page scanned is still a file, and every page has a scan:
        # each of those two passes over every page is only needed when files came or went.
        for name in [] if same_files else [name for name in self._scans if name not in files]:
            del self._scans[name]
            self._forget(name)
            new_ids.add(name)
        for name, text in changed_html.items():
            scan = text if isinstance(text, PageLinks) else scan_html(text)
            old = self._scans.get(name)
            if old is None or old.ids != scan.ids:
                new_ids.add(name)
            self._scans[name] = scan
            self._forget(name)
        missing = [] if same_files else sorted(name for name in files if is_html(name) and name not in self._scans)
        if missing:
            raise ValueError(f"no HTML given for {missing[0]} (and {len(missing) - 1} more)")
        judged = sorted(name for name in self._forgotten if name in self._scans and name not in self._checked)
        self._forgotten = set()
        for name in judged:
            self._remember(name, self._judge.page(name, self._scans[name]))
        for name in set(judged).union(*(self._linking_into.get(target, ()) for target in new_ids)):
            if name in self._checked:
                if found := _missing_ids(name, self._checked[name], self._checked):
                    self._fragments_broken[name] = found
                else:
                    self._fragments_broken.pop(name, None)
        broken = [link for name in self._with_broken for link in self._checked[name].broken]
        broken += [link for links in self._fragments_broken.values() for link in links]
        return LinkReport(pages=len(self._checked), links=self._links, broken=sorted(broken),
                          external=_external(self._checked) if list_external else [])

    def _remember(self, name: str, checked: Checked) -> None:
        self._checked[name] = checked
        self._links += checked.links
        if checked.broken:
            self._with_broken.add(name)
        for fragment in checked.fragments:
            if fragment[3] != name:  # its own ids are looked up whenever it is judged
                self._linking_into.setdefault(fragment[3], set()).add(name)

    def _forget(self, name: str) -> None:
        self._forgotten.add(name)
        checked = self._checked.pop(name, None)
        if checked is not None:
            self._links -= checked.links
            self._with_broken.discard(name)
            self._fragments_broken.pop(name, None)
