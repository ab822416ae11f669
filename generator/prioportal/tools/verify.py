"""`prioportal verify DIR`: is a copy of the site what was published, and what its sources build?

Two checks, for an auditor, a journalist or the municipality itself:

1. **Against the manifests.** Each decided round's manifest (`exports.manifests`) lists the
   SHA-256 digest of every file published for it. Every listed file must be in DIR with that
   digest, and every file in a folder the manifest covers must be listed (an added page is
   found as surely as a changed one).
2. **Against the sources**, in a clone of the portal's repository (its `mkdocs.yml` named by
   `-f`, by default the one in the current folder): the site is built afresh from the commit
   each manifest names, in a temporary git worktree (removed afterwards) and a temporary folder,
   and the digests of that build's manifests must be those of DIR's. The build is
   deterministic, so the same commit and the same version of prioportal give the same bytes.

What this proves, and what it does not: the first check alone shows that the files are those
the manifests list, not that the manifests are genuine: they carry no signature, and whoever
can change the site can change its manifests to match. The second shows that the files are
what the sources at that commit build; that the commit itself was the one published is as sure
as the repository's history (a signed tag, or a copy of the repository kept elsewhere, says so).
A manifest of a build made with uncommitted changes, or naming a commit the repository does not
have, cannot be compared with the sources, and verify says so rather than pass it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from prioportal.exports.manifests import Manifest, file_digest, files_in, parse_manifest
from prioportal.problems import InvalidPortal, T, Text
from prioportal.site import urls
from prioportal.sources.git_history import _git_env  # the same isolation from the environment as the history's


@dataclass(frozen=True)
class Finding:
    """A file that is not what it should be (by its path from the site root), and how."""

    path: str
    what: Text


@dataclass
class Verification:
    manifests: list[str] = field(default_factory=list)  # by path from the site root
    files: int = 0  # the files the manifests list
    findings: list[Finding] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)  # those the files were compared with a fresh build of
    not_compared: Text | None = None  # why the files were not compared with the sources
    notes: list[Text] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.manifests) and not self.findings


class _GitError(Exception):
    pass


def _git(cwd: Path, *args: str) -> str:
    """git in `cwd`, with nothing of the environment pointing it at another repository."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=_git_env(), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise _GitError("git could not be run" if exc.strerror is None else exc.strerror) from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise _GitError(lines[0].removeprefix("fatal: ") if lines else f"git exited with {done.returncode}")
    return done.stdout.strip()


def find_manifests(site: Path) -> list[str]:
    """The path from the site root of every round's manifest in `site`: at the address
    `urls.round_manifest` gives, in the site's root or in one language tree's folder."""
    found = []
    for here, _dirs, names in os.walk(site):
        if urls.MANIFEST not in names:
            continue
        path = (Path(here) / urls.MANIFEST).relative_to(site).as_posix()
        round_id = PurePosixPath(path).parent.name
        tree = path[: -len(urls.round_manifest(round_id))]
        if path.endswith(urls.round_manifest(round_id)) and (tree == "" or (tree.count("/") == 1 and tree.endswith("/"))):
            found.append(path)
    return sorted(found)


def _inside(path: str) -> bool:
    """Whether a path read from a manifest stays inside the site (a manifest is untrusted too)."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts and "\\" not in path


def check_files(site: Path, path: str, manifest: Manifest) -> list[Finding]:
    """The files of one manifest against DIR: each listed file there with its digest, and no
    unlisted file in the folders it covers."""
    findings = [Finding(path, T("line {line} is neither a comment nor a digest and a file name", line=line))
                for line in manifest.bad_lines]
    for listed, digest in sorted(manifest.digests.items()):
        if not _inside(listed):
            findings.append(Finding(listed, T("listed in {manifest}, but outside the site", manifest=path)))
        elif not (site / listed).is_file():
            findings.append(Finding(listed, T("listed in {manifest}, but missing", manifest=path)))
        elif file_digest(site / listed) != digest:
            findings.append(Finding(listed, T("differs from its digest in {manifest}", manifest=path)))
    for folder in manifest.folders:
        if not _inside(folder):
            findings.append(Finding(path, T("names a folder outside the site: {folder}", folder=folder)))
            continue
        for found in files_in(site, folder):
            if found != path and found not in manifest.digests:
                findings.append(Finding(found, T("in a folder {manifest} covers, but not listed in it", manifest=path)))
    return findings


def _not_compared(config_file: Path | None) -> tuple[Text | None, Path | None]:
    """Why the files cannot be compared with the sources, or the repository's top folder."""
    if config_file is None:
        return T("--without-sources was given"), None
    if not config_file.is_file():
        return T("there is no {config} here: run prioportal verify in a clone of the portal's repository, or name its "
                 "mkdocs.yml with -f", config=config_file), None
    try:
        return None, Path(_git(config_file.resolve().parent, "rev-parse", "--show-toplevel"))
    except _GitError as exc:
        return T("{config} is not in a git repository ({reason})", config=config_file, reason=str(exc)), None


def _fresh_build(top: Path, config_file: Path, commit: str, work: Path) -> Path:
    """The site the sources at `commit` build, in `work`; raises InvalidPortal when they do not build."""
    from prioportal.build.pipeline import build_from_config

    source, site = work / "sources", work / "site"
    _git(top, "worktree", "add", "--detach", "--quiet", str(source), commit)
    try:
        build_from_config(source / config_file.resolve().relative_to(top.resolve()), site)
    finally:
        try:
            _git(top, "worktree", "remove", "--force", str(source))
        except _GitError:
            shutil.rmtree(source, ignore_errors=True)
            _git(top, "worktree", "prune")
    return site


def _compare(path: str, manifest: Manifest, fresh: Manifest | None, commit: str) -> list[Finding]:
    short = commit[:10]
    if fresh is None:
        return [Finding(path, T("the sources at commit {commit} build no such manifest", commit=short))]
    findings = []
    for listed in sorted(set(manifest.digests) | set(fresh.digests)):
        mine, theirs = manifest.digests.get(listed), fresh.digests.get(listed)
        if mine == theirs:
            continue
        if theirs is None:
            what = T("listed in {manifest}, but the sources at commit {commit} build no such file", manifest=path,
                     commit=short)
        elif mine is None:
            what = T("the sources at commit {commit} build it, but {manifest} does not list it", manifest=path,
                     commit=short)
        else:
            what = T("its digest in {manifest} is not that of the file the sources at commit {commit} build",
                     manifest=path, commit=short)
        findings.append(Finding(listed, what))
    if manifest.folders != fresh.folders:
        findings.append(Finding(path, T("covers other folders than the manifest the sources at commit {commit} build",
                                        commit=short)))
    return findings


def check_sources(site: Path, manifests: dict[str, Manifest], top: Path, config_file: Path,
                  result: Verification) -> None:
    """Each manifest's digests against those of a fresh build of the sources at its commit."""
    import prioportal

    by_commit: dict[str, list[str]] = {}
    for path, manifest in manifests.items():
        if manifest.commit is None:
            result.findings.append(Finding(path, T("names no commit (the site was built without git): it cannot be "
                                                   "compared with the sources")))
        elif manifest.uncommitted is not False:
            result.findings.append(Finding(path, T("was built with changes not committed on top of commit {commit}: no "
                                                   "commit holds its sources", commit=manifest.commit[:10])))
        else:
            by_commit.setdefault(manifest.commit, []).append(path)
    running = f"prioportal {prioportal.__version__}"
    for built in sorted({m.generator for m in manifests.values() if m.generator and m.generator != running}):
        result.notes.append(T("the site was built by {built} and is compared with a build by {running}: another "
                              "version may build other bytes from the same sources", built=built, running=running))
    for commit, paths in sorted(by_commit.items()):
        try:
            _git(top, "cat-file", "-e", f"{commit}^{{commit}}")
        except _GitError:
            result.findings += [Finding(path, T("names commit {commit}, which is not in this repository — fetch it "
                                                "('git fetch') and verify again; if no clone has it, the site was not "
                                                "built from these sources", commit=commit[:10])) for path in paths]
            continue
        with tempfile.TemporaryDirectory(prefix="prioportal-verify-") as work:
            try:
                fresh = _fresh_build(top, config_file, commit, Path(work))
            except InvalidPortal as exc:
                result.findings += [Finding(path, T("the sources at commit {commit} do not build ({count} problem(s)): "
                                                    "it cannot be compared with them", commit=commit[:10],
                                                    count=len(exc.problems))) for path in paths]
                continue
            except _GitError as exc:
                result.findings += [Finding(path, T("the sources at commit {commit} could not be checked out ({reason})",
                                                    commit=commit[:10], reason=str(exc))) for path in paths]
                continue
            for path in paths:
                made = fresh / path
                result.findings += _compare(path, manifests[path], parse_manifest(made.read_bytes())
                                            if made.is_file() else None, commit)
            result.findings += [Finding(path, T("missing: the sources at commit {commit} build this manifest",
                                                commit=commit[:10]))
                                for path in find_manifests(fresh) if path not in manifests]
        result.commits.append(commit)


def verify(site: Path, config_file: Path | None) -> Verification:
    """Check the copy of the site in `site` against its manifests and, given the portal's
    `config_file` in a git repository, against a fresh build of its sources."""
    result = Verification(find_manifests(site))
    manifests = {path: parse_manifest((site / path).read_bytes()) for path in result.manifests}
    listed: set[str] = set()
    for path, manifest in manifests.items():
        result.findings += check_files(site, path, manifest)
        listed.update(manifest.digests)
    result.files = len(listed)
    if manifests:
        result.not_compared, top = _not_compared(config_file)
        if top is not None and config_file is not None:
            check_sources(site, manifests, top, config_file, result)
    # A file is named once, with the first thing found wrong with it.
    first: dict[str, Finding] = {}
    for finding in result.findings:
        first.setdefault(finding.path, finding)
    result.findings = sorted(first.values(), key=lambda f: f.path)
    return result
