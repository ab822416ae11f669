"""The figures issue #8 asks for: build and validation time, memory and growth, against Hugo and MkDocs.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1000,5000,10000,20000] [--out FOLDER]
        [--repeat R] [--no-hugo] [--no-mkdocs] [--mkdocs-max N] [--json FILE]
    make bench BENCH_ARGS="--sizes 1000"

For each size N the script writes a synthetic portal of N measures (`prioportal demo`), then
runs `prioportal validate` and `prioportal build` as separate processes and measures each
one's wall-clock time, CPU time and peak memory, read with wait4 for that run alone: the
maximum resident set size of the command or of any process it ran and waited for (such as
the search indexer), never of an earlier run.

The same N measures, taken from the same demo documents (`prioportal.tools.demo.portal.iter_documents`),
are also written as N Markdown pages with the texts of the portal's measure page, and built
cold with

- Hugo, if `hugo` is on PATH: minimal single/list templates, a home page listing every
  measure, a sitemap and one feed of 500 entries (what the portal writes too), no taxonomies;
  its output, resources and cache folders are removed before every run;
- MkDocs (the one in this virtual environment): default `mkdocs` theme and default plugins
  (search included, as the portal also builds a search index), a small `nav:` of a handful
  of pages and the rest marked `not_in_nav`, so MkDocs neither warns nor renders an
  N-entry navigation into every page. Skipped above --mkdocs-max measures (it takes minutes).

It also times the reference the issue gives for Python, a bare loop of YAML -> Jinja2 -> file
over the portal's measure files in one process (benchmarks/bare_loop.py): what such pages cost
on this machine before any checking, linking, listing or indexing.

It prints one table (with the ratios prioportal build / Hugo and MkDocs / prioportal build),
seconds and MB per 1 000 measures for each N so linear growth can be judged, the targets of
issue #8 and a `machine:` line; --json writes the same figures for scripts. With --repeat R
every command runs R times and the fastest run counts. Without --out everything is written to
a temporary folder that is removed afterwards. Exit code 0 when every command succeeded,
1 when one failed (its stderr tail is printed; the other measurements still run), 2 on usage
errors.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

try:
    import prioportal
    from prioportal.tools.demo.portal import iter_documents, write_demo_portal
    from prioportal.problems import UsageError
except ImportError:  # pragma: no cover - run with the project's virtual environment
    sys.exit("prioportal is not importable: run this with the project's Python, e.g. .venv/bin/python")

DEFAULT_SIZES = "1000,5000,10000,20000"
TARGET_N = 10_000  # the size issue #8 states its targets for
MKDOCS_NAV_PAGES = 5  # measure pages in the MkDocs nav: "a small navigation"


# --- Running and measuring commands ---------------------------------------------------------


@dataclass
class Run:
    command: list[str]
    returncode: int
    seconds: float
    cpu_seconds: float | None  # user + system time of the process: robust on a busy machine
    peak_mb: float | None
    stdout: str
    stderr: str


@dataclass
class Measured:
    """One successful (fastest) run of one command, and what it produced."""
    seconds: float
    cpu_seconds: float | None
    peak_mb: float | None
    pages: int | None = None  # HTML files written
    site_mb: float | None = None  # every file written, in MB (10^6 bytes)


@dataclass
class Row:
    n: int
    rounds: int = 0
    demo_seconds: float = 0.0  # writing the portal in this process: not a measured figure
    validate: Measured | None = None  # the first run: nothing kept yet
    validate_again: Measured | None = None  # after one saved measure file, with what the last run kept
    build: Measured | None = None
    rebuild: Measured | None = None  # `prioportal build` again after one measure's YAML changed, with the kept cache
    hugo: Measured | None = None
    mkdocs: Measured | None = None
    bare: Measured | None = None  # the Python reference: YAML -> Jinja2 -> file in one loop (bare_loop.py)
    preview_edit: float | None = None  # median seconds until the pages are current after one saved file
    preview_edit_all: float | None = None  # ... and until every file is, the open data too
    preview_edits: list[dict] = field(default_factory=list)  # each edit (bench_preview.py)
    failed: list[str] = field(default_factory=list)  # names of the commands that failed for this N
    skipped: list[str] = field(default_factory=list)  # comparisons left out for this N (MkDocs above --mkdocs-max)

    @property
    def build_over_hugo(self) -> float | None:
        return _ratio(self.build, self.hugo)

    @property
    def rebuild_over_hugo(self) -> float | None:
        return _ratio(self.rebuild, self.hugo)

    @property
    def rebuild_cpu_over_hugo(self) -> float | None:
        if self.rebuild and self.hugo and self.rebuild.cpu_seconds and self.hugo.cpu_seconds:
            return self.rebuild.cpu_seconds / self.hugo.cpu_seconds
        return None

    @property
    def mkdocs_over_build(self) -> float | None:
        return _ratio(self.mkdocs, self.build)


def _ratio(a: Measured | None, b: Measured | None) -> float | None:
    return a.seconds / b.seconds if a and b and b.seconds > 0 else None


def run(command: list[str]) -> Run:
    """Run one command in a fresh process; wall time and that process's own peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        peak = cpu = None
        if hasattr(os, "wait4"):
            # wait4 gives the resource usage of exactly this child (and of the processes it waited
            # for), unlike RUSAGE_CHILDREN, which is the maximum over every child this script has
            # waited for so far.
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in kilobytes on Linux and in bytes on macOS
            peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - Windows: time only
            proc.wait()
            seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Run(command, proc.returncode, seconds, cpu, peak,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def best_of(command: list[str], repeat: int, before=None) -> Run:
    """The fastest of `repeat` successful runs (peak memory: the largest seen); the first failure."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()  # outside the timed region: cleaning the output is not part of a cold build
        result = run(command)
        if result.returncode != 0:
            return result
        runs.append(result)
    fastest = min(runs, key=lambda r: r.seconds)
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    fastest.peak_mb = max(peaks) if peaks else None
    return fastest


def measured(result: Run, output: Path | None = None) -> Measured:
    m = Measured(result.seconds, result.cpu_seconds, result.peak_mb)
    if output is not None:
        pages, size = tree_size(output)
        m.pages, m.site_mb = pages, size / 1_000_000
    return m


def edit_one_measure(portal: Path):
    """A function that saves one measure file with a new title, as a communicator would."""
    target = sorted((portal / "decisions" / "measures").rglob("*.yml"))[0]

    def edit():
        lines = target.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
        lines[at] += " (endret)"
        target.write_text("\n".join(lines), encoding="utf-8")
    return edit


def remover(*folders: Path):
    """A function that deletes `folders`, so every timed build starts cold."""
    def remove():
        for folder in folders:
            if folder.exists():
                shutil.rmtree(folder)
    return remove


def tree_size(folder: Path) -> tuple[int, int]:
    """(number of HTML pages, total bytes of every file) under `folder`."""
    pages = total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            if path.suffix == ".html":
                pages += 1
    return pages, total


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


# --- The comparison corpus: the demo measures as Markdown pages ------------------------------


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _kroner(value) -> str:
    return f"{value:,} kr".replace(",", " ") if isinstance(value, int) else "–"


def measure_markdown(m: dict) -> str:
    """One measure as a Markdown page with the texts the portal's measure page shows.

    Every free text of the measure is included (summary, situation, proposal, assessments,
    sources, costs, decision with rationale and consequences, inputs, follow-up), in tables
    and lists as on the portal's page, so the other generators parse and render about as
    much text per page as prioportal does. Headings are in Norwegian like the texts.
    """
    outcome = m.get("outcome") or {}
    front = {"title": m["title"], "summary": m["summary"], "round": m["round"], "sector": m["sector"],
             "service_area": m["service_area"], "type": m["type"], "decision": outcome.get("decision") or "open"}
    lines = ["---"] + [f"{key}: {_yaml_string(value)}" for key, value in front.items()]
    if m.get("rank") is not None:
        lines.append(f"rank: {m['rank']}")
        lines.append(f"weight: {m['rank']}")
    lines += ["---", "", m["summary"], ""]
    facts = [f"**Prioriteringsrunde:** {m['round']}", f"**Sektor:** {m['sector']} · {m['service_area']}",
             f"**Type:** {m['type']}"]
    if m.get("target_area"):
        facts.append(f"**Målområde:** {m['target_area']}")
    if m.get("rank") is not None:
        facts.append(f"**Rang:** {m['rank']}")
    if m.get("costs"):
        facts.append(f"**Kostnad år 1:** {_kroner(sum(c.get('year_1', 0) for c in m['costs']))}")
    if outcome:
        facts.append(f"**Vedtak:** {outcome['decision']}, bevilget {_kroner(outcome.get('granted'))}")
    lines += [f"- {fact}" for fact in facts] + [""]
    if outcome.get("rationale"):
        lines += ["## Hvorfor dette vedtaket", "", outcome["rationale"], ""]
    consequences = outcome.get("consequences")
    if consequences:
        lines += ["## Konsekvenser", "", f"**Hvem blir berørt:** {consequences['affected']}", "",
                  f"**Hvordan de blir berørt:** {consequences['description']}", ""]
        if consequences.get("mitigation"):
            lines += [f"**Dette gjør kommunen for å dempe virkningene:** {consequences['mitigation']}", ""]
    lines += ["## Situasjonen og tiltaket", "", "### Slik er det nå", "", m["situation"]["current_state"], "",
              "### Målet", "", m["situation"]["goal"], "", "### Tiltaket", "", m["proposal"]["description"], ""]
    if m["proposal"].get("alternative"):
        lines += ["### Alternativet", "", m["proposal"]["alternative"], ""]
    lines += ["## Vurdering", "", "| Kriterium | Nivå | Begrunnelse |", "| --- | --- | --- |"]
    lines += [f"| {cid} | {a['level']} | {_cell(a.get('justification', ''))} |" for cid, a in m["assessments"].items()]
    lines.append("")
    if m.get("knowledge_base"):
        lines += ["## Kunnskapsgrunnlag", ""]
        for source in m["knowledge_base"]:
            title = f"[{source['title']}]({source['url']})" if source.get("url") else source["title"]
            lines.append(f"- {title} ({source.get('quality', '')}) {source.get('note') or ''}".rstrip())
        lines.append("")
    if m.get("costs"):
        lines += ["## Kostnader", "", "| Hva | Art | År 1 | År 2 | År 3 | År 4–10 |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {_cell(c['description'])} | {c.get('kind', '')} | {_kroner(c.get('year_1', 0))} "
                  f"| {_kroner(c.get('year_2', 0))} | {_kroner(c.get('year_3', 0))} | {_kroner(c.get('years_4_10', 0))} |"
                  for c in m["costs"]]
        lines.append("")
    if m.get("inputs"):
        lines += ["## Innspill", ""]
        lines += [f"- **{i['name']}** ({i['date']}): {i['summary']} {i.get('consideration') or ''}".rstrip()
                  for i in m["inputs"]]
        lines.append("")
    follow_up = m.get("follow_up") or {}
    if follow_up.get("indicators"):
        lines += ["## Oppfølging", "", "| Indikator | Enhet | Utgangspunkt | Mål | Frist | Ansvarlig |",
                  "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {_cell(i['name'])} | {i['unit']} | {i['baseline']} | {i['target']} | {i['due']} "
                  f"| {_cell(i['responsible'])} |" for i in follow_up["indicators"]]
        lines.append("")
        if follow_up.get("results"):
            lines += ["| Indikator | Periode | Verdi | Kommentar |", "| --- | --- | --- | --- |"]
            lines += [f"| {r['indicator']} | {r['period']} | {r['value']} | {_cell(r.get('comment') or '')} |"
                      for r in follow_up["results"]]
            lines.append("")
        evaluation = follow_up.get("evaluation")
        if evaluation:
            lines += [f"**Evaluering {evaluation['date']}:** {evaluation['decision']}. {evaluation['reason']}", ""]
    for kind, note in (m.get("review_notes") or {}).items():
        lines += [f"*{kind}:* {note}", ""]
    return "\n".join(lines)


HUGO_PAGE = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ .Site.Title }}</title><meta name="description" content="{{ .Params.summary }}"></head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<main><h1>{{ .Title }}</h1>
{{ .Content }}
</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
</main></body></html>
"""
HUGO_HOME = HUGO_LIST.replace("range .Pages", "range .Site.RegularPages")
# Hugo's defaults, trimmed to what the portal also writes: a sitemap (kept) and one feed of at most
# 500 entries, where Hugo would write an unlimited feed for the home page and one for every section
# (measurably slower at a few thousand pages). Taxonomy pages are off: the portal makes none.
HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "nb"
title = "Demovik kommune"
disableKinds = ["taxonomy", "term"]

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]

[services.rss]
limit = 500
"""


def mkdocs_config(nav_pages: list[tuple[str, str]]) -> str:
    nav = "\n".join(f"  - {_yaml_string(title)}: {path}" for title, path in nav_pages)
    return f"""site_name: Demovik kommune
site_url: https://example.org/
# MkDocs' defaults (theme mkdocs, plugins [search]) except a small nav: the other pages are
# expected to be missing from it, so MkDocs does not report them.
nav:
  - Forside: index.md
{nav}
not_in_nav: |
  /tiltak/
"""


def write_comparison_corpus(folder: Path, measures: int, seed: int, hugo: bool, mkdocs: bool) -> dict[str, Path]:
    """Write the demo's N measures as a Hugo site and/or an MkDocs project under `folder`.

    Both get the same Markdown files (front matter + body) and an index page listing every
    measure, as the portal's measure listing does. Returns the project folders by tool.
    """
    projects: dict[str, Path] = {}
    content: list[Path] = []
    listing: list[str] = []
    if hugo:
        root = projects["hugo"] = folder / "hugo"
        remover(root)()
        (root / "layouts" / "_default").mkdir(parents=True)
        (root / "content" / "tiltak").mkdir(parents=True)
        (root / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        (root / "layouts" / "_default" / "single.html").write_text(HUGO_PAGE, encoding="utf-8")
        (root / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
        (root / "layouts" / "index.html").write_text(HUGO_HOME, encoding="utf-8")
        (root / "content" / "tiltak" / "_index.md").write_text("---\ntitle: Tiltak\n---\n", encoding="utf-8")
        content.append(root / "content" / "tiltak")
    if mkdocs:
        root = projects["mkdocs"] = folder / "mkdocs"
        remover(root)()
        (root / "docs" / "tiltak").mkdir(parents=True)
        content.append(root / "docs" / "tiltak")
    nav: list[tuple[str, str]] = []
    for rel, data in iter_documents(measures, seed):
        if not rel.startswith("decisions/measures/"):
            continue
        text = measure_markdown(data).encode("utf-8")
        for target in content:
            (target / f"{data['id']}.md").write_bytes(text)
        listing.append(f"- [{data['title']}](tiltak/{data['id']}.md) {data['summary']}")
        if len(nav) < MKDOCS_NAV_PAGES:
            nav.append((data["title"], f"tiltak/{data['id']}.md"))
    if mkdocs:
        root = projects["mkdocs"]
        (root / "mkdocs.yml").write_text(mkdocs_config(nav), encoding="utf-8")
        index = ["# Demovik kommune", "", "Alle tiltak:", ""] + listing
        (root / "docs" / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return projects


# --- Machine and tool versions --------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def tool_version(command: list[str]) -> str | None:
    """The first version-looking number a `--version`-style command prints, or None."""
    try:
        result = run(command)
    except OSError:
        return None
    found = re.search(r"v?(\d+\.\d+(?:\.\d+)?)", result.stdout + result.stderr)
    return found.group(1) if result.returncode == 0 and found else None


def machine_info(hugo: str | None, mkdocs: str | None) -> dict:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "hugo": tool_version([hugo, "version"]) if hugo else None,
        "mkdocs": tool_version([mkdocs, "--version"]) if mkdocs else None,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def machine_line(info: dict) -> str:
    cores = f"{info['cores']} cores" + (f" ({info['usable_cores']} usable)" if info["usable_cores"] != info["cores"] else "")
    load = ""
    if info["load_average"] is not None:  # other work on the machine makes wall times noisy
        load = f", load {info['load_average']:.1f} at start"
        if info.get("load_average_end") is not None:
            load += f" and {info['load_average_end']:.1f} at end"
    return (f"machine: {info['cpu']}, {cores}{load}, {info['system']}; Python {info['python']}, "
            f"Hugo {info['hugo'] or 'not installed'}, MkDocs {info['mkdocs'] or 'not installed'}; {info['date']}")


# --- Report ---------------------------------------------------------------------------------


def _f(value, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _cells(row: Row, tool: str, fmts: tuple[tuple[str, str], ...]) -> list[str]:
    m: Measured | None = getattr(row, tool)
    if m is None and tool in row.failed:
        return ["FAILED"] + ["-"] * (len(fmts) - 1)
    if m is None and tool in row.skipped:
        return ["skipped"] + ["-"] * (len(fmts) - 1)
    return [_f(None if m is None else getattr(m, attr), fmt) for attr, fmt in fmts]


def print_table(rows: list[Row]) -> None:
    header = ("N", "rounds", "validate s", "val. MB", "val. again s", "build s", "build cpu", "build MB", "pages", "site MB",
              "rebuild s", "rebuild cpu", "hugo s", "hugo cpu", "build/hugo", "rebuild/hugo", "mkdocs s", "mkdocs/build", "bare s", "edit s", "edit all s")
    table = [header]
    for r in rows:
        ratio_hugo = r.build_over_hugo
        ratio_mkdocs = r.mkdocs_over_build
        table.append(tuple([f"{r.n:,}".replace(",", " "), str(r.rounds)]
                           + _cells(r, "validate", (("seconds", ".2f"), ("peak_mb", ".0f")))
                           + _cells(r, "validate_again", (("seconds", ".2f"),))
                           + _cells(r, "build", (("seconds", ".2f"), ("cpu_seconds", ".2f"), ("peak_mb", ".0f"),
                                                 ("pages", "d"), ("site_mb", ".1f")))
                           + _cells(r, "rebuild", (("seconds", ".2f"), ("cpu_seconds", ".2f")))
                           + _cells(r, "hugo", (("seconds", ".2f"), ("cpu_seconds", ".2f")))
                           + [_f(ratio_hugo, ".2f"), _f(r.rebuild_over_hugo, ".2f")]
                           + _cells(r, "mkdocs", (("seconds", ".2f"),))
                           + [_f(ratio_mkdocs, ".1f")]
                           + _cells(r, "bare", (("seconds", ".2f"),))
                           + [_f(r.preview_edit, ".2f"), _f(r.preview_edit_all, ".2f")]))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print()
    for i, row in enumerate(table):
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def print_growth(rows: list[Row]) -> None:
    """Per 1 000 measures, for each N and between consecutive N: constant figures mean linear growth."""
    built = [r for r in rows if r.build is not None]
    if not built:
        return
    print("\nGrowth of `prioportal build` per 1 000 measures (linear growth: the 'since previous N' figures stay level):")
    previous = None
    for r in built:
        k = r.n / 1000
        mb = r.build.peak_mb
        line = (f"  N={r.n:>6}: {r.build.seconds / k:7.2f} s and {_f(None if mb is None else mb / k, '7.1f')} MB "
                f"per 1 000 measures")
        if previous is not None and r.n > previous.n:
            dk = (r.n - previous.n) / 1000
            dmb = None if mb is None or previous.build.peak_mb is None else (mb - previous.build.peak_mb) / dk
            line += (f"; since N={previous.n}: {(r.build.seconds - previous.build.seconds) / dk:7.2f} s and "
                     f"{_f(dmb, '6.1f')} MB per 1 000 more")
        print(line)
        previous = r
    first, last = built[0], built[-1]
    if last.n > first.n:
        # t ~ N^k: k = 1 is linear; fixed start-up costs pull k below 1 at small N
        k_time = math.log(last.build.seconds / first.build.seconds) / math.log(last.n / first.n)
        print(f"  time grows as N^{k_time:.2f} from N={first.n} to N={last.n} (1.00 = linear)")


def targets(rows: list[Row]) -> tuple[int | None, list[tuple[str, float | None, str, bool | None]]]:
    """Issue #8's targets, checked at N = 10 000, or at the largest N measured if that is missing."""
    candidates = [r for r in rows if r.n == TARGET_N] or sorted(rows, key=lambda r: r.n)[-1:]
    if not candidates:
        return None, []
    r = candidates[0]
    checks: list[tuple[str, float | None, str, bool | None]] = []  # (target, value, its format, met)

    def check(name: str, value: float | None, fmt: str, ok) -> None:
        checks.append((name, value, fmt, None if value is None else ok(value)))

    check("prioportal build / Hugo build <= 1.0", r.build_over_hugo, ".2f", lambda v: v <= 1.0)
    check("rebuild after one edit / Hugo build <= 0.3", r.rebuild_over_hugo, ".2f", lambda v: v <= 0.3)
    check("  the same in CPU seconds <= 0.3", r.rebuild_cpu_over_hugo, ".2f", lambda v: v <= 0.3)
    check("MkDocs build / prioportal build >= 5", r.mkdocs_over_build, ".1f", lambda v: v >= 5)
    check("prioportal validate < 2 s, first run", r.validate and r.validate.seconds, ".2f", lambda v: v < 2)
    check("prioportal validate < 2 s, after an edit", r.validate_again and r.validate_again.seconds, ".2f",
          lambda v: v < 2)
    check("peak memory of the build < 500 MB", r.build and r.build.peak_mb, ".0f", lambda v: v < 500)
    check("preview after one saved file <= 0.5 s", r.preview_edit, ".2f", lambda v: v <= 0.5)
    return r.n, checks


def print_report(rows: list[Row], info: dict, notes: list[str]) -> None:
    if hasattr(os, "getloadavg"):
        info["load_average_end"] = os.getloadavg()[0]
    print_table(rows)
    print_growth(rows)
    n, checks = targets(rows)
    if checks:
        where = f"N = {n}" if n == TARGET_N else f"N = {n}, indicative only: N = {TARGET_N} was not measured"
        print(f"\nTargets of issue #8 ({where}):")
        for name, value, fmt, ok in checks:
            verdict = "-" if ok is None else "met" if ok else "NOT MET"
            shown = "not measured" if value is None else format(value, fmt)
            print(f"  {name:40} {shown:>12}  {verdict}")
    print("\nvalidate s, build s, hugo s, mkdocs s: wall-clock time of the whole command, cold, including start-up;"
          "\nrebuild s, rebuild cpu: `prioportal build` again after one measure's title changed, with what the"
          "\nbuild before it kept (.prioportal-cache/ and the site folder); rebuild/hugo: its wall time over Hugo's;"
          "\nval. again s: `prioportal validate` after one saved measure file, with what the run before it kept;"
          "\nbuild cpu, hugo cpu: user + system CPU seconds (compare these on a busy machine; Hugo uses every core);"
          "\nval. MB, build MB: peak resident memory of the command or of a process it ran (e.g. the search indexer);"
          "\npages, site MB: HTML pages and all files the build wrote; build/hugo and mkdocs/build: ratios of wall time;"
          "\nedit s: median time for `prioportal serve`'s builder to bring every page, listing, feed and index up to"
          "\ndate after one saved measure file (new title twice, new rank twice; benchmarks/bench_preview.py);"
          "\nedit all s: until the open data, which the server writes just after, is current too;"
          "\nbare s: the issue's reference for Python, a loop of YAML (PyYAML's C loader) -> one small Jinja2"
          "\ntemplate -> file over the measure files, in one process, with no checks (benchmarks/bare_loop.py).")
    for note in notes:
        print(note)
    print(machine_line(info))
    failed = [f"N={r.n} {name}" for r in rows for name in r.failed]
    if failed:  # the stderr tails were printed when each command failed, above the table
        print(f"\nFAILED: {', '.join(failed)} (stderr tails above)", file=sys.stderr)


def report_json(path: Path, rows: list[Row], info: dict, settings: dict) -> None:
    n, checks = targets(rows)
    results = []
    for r in rows:
        entry = asdict(r)
        entry["build_over_hugo"] = r.build_over_hugo
        entry["mkdocs_over_build"] = r.mkdocs_over_build
        if r.build is not None:
            entry["build_seconds_per_1000"] = r.build.seconds * 1000 / r.n
            entry["build_peak_mb_per_1000"] = None if r.build.peak_mb is None else r.build.peak_mb * 1000 / r.n
        results.append(entry)
    document = {"machine": info, "settings": settings, "results": results,
                "targets": {"n": n, "checks": [{"target": name, "value": value, "met": ok} for name, value, _, ok in checks]}}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def time_preview(row: Row, python: str, portal: Path, report: Path) -> bool:
    """The preview's builder after one saved file, in a process of its own (bench_preview.py)."""
    print(f"N={row.n}: preview edits ...", flush=True)
    result = run([python, str(Path(__file__).with_name("bench_preview.py")), "--portal", str(portal),
                  "--json", str(report)])
    if result.returncode != 0:
        row.failed.append("preview")
        print_failure(result, f"N={row.n}: preview")
        return False
    figures = json.loads(report.read_text(encoding="utf-8"))
    row.preview_edit = figures["median_edit_seconds"]
    row.preview_edit_all = figures["median_edit_all_seconds"]
    row.preview_edits = figures["edits"]
    print(f"  median {row.preview_edit:.2f} s per edit until the pages are current, "
          f"{row.preview_edit_all:.2f} s until every file is", flush=True)
    return True


def print_failure(result: Run, what: str) -> None:
    print(f"\n{what} FAILED (exit code {result.returncode}): {' '.join(result.command)}", file=sys.stderr)
    tail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-25:]
    for line in tail:
        print(f"  {line}", file=sys.stderr)


# --- Main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time prioportal validate and build on synthetic portals, "
                                                 "against Hugo and MkDocs (issue #8).")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated numbers of measures "
                                                               f"(default: {DEFAULT_SIZES})")
    parser.add_argument("--out", help="working folder, kept afterwards (default: a temporary folder, removed)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the synthetic portals")
    parser.add_argument("--repeat", type=int, default=1, help="run each command R times and keep the fastest")
    parser.add_argument("--no-build", action="store_true", help="only write and validate the portals")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-mkdocs", action="store_true", help="skip the MkDocs comparison")
    parser.add_argument("--no-preview", action="store_true", help="skip timing the preview after one saved file")
    parser.add_argument("--mkdocs-max", type=int, default=10_000, metavar="N",
                        help="skip MkDocs for sizes above N, as it takes minutes (default: 10000)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,5000,10000")
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be at least 1")

    # the MkDocs next to this Python: the one the portal itself is built on
    beside = Path(sys.executable).parent / "mkdocs"
    found_mkdocs = str(beside) if beside.exists() else shutil.which("mkdocs")
    info = machine_info(shutil.which("hugo"), found_mkdocs)  # versions even of tools skipped this time
    hugo = None if args.no_hugo else shutil.which("hugo")
    mkdocs = None if args.no_mkdocs else found_mkdocs

    keep = args.out is not None
    out = Path(args.out).resolve() if keep else Path(tempfile.mkdtemp(prefix="prioportal-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"prioportal from {Path(prioportal.__file__).parent}; working folder {out}"
          + ("" if keep else " (temporary)"))
    notes = []
    if hugo:
        notes.append("Hugo: N Markdown pages with the measures' texts, minimal templates, a sitemap and one feed of "
                     "500 entries as the portal writes, no taxonomies; output and caches removed before each run "
                     "(`hugo --quiet --noBuildLock`).")
    else:
        notes.append("Hugo: " + ("skipped (--no-hugo)." if args.no_hugo else "not installed (not on PATH), no comparison."))
    if mkdocs:
        notes.append(f"MkDocs: the same N pages, default theme and plugins (search kept), a nav of "
                     f"{MKDOCS_NAV_PAGES + 1} pages, the others not_in_nav (`mkdocs build -q`)"
                     + (f"; skipped above N = {args.mkdocs_max}." if max(sizes) > args.mkdocs_max else "."))
    else:
        notes.append("MkDocs: " + ("skipped (--no-mkdocs)." if args.no_mkdocs else "not found, no comparison."))
    settings = {"sizes": sizes, "seed": args.seed, "repeat": args.repeat, "no_build": args.no_build,
                "hugo": bool(hugo), "mkdocs": bool(mkdocs), "mkdocs_max": args.mkdocs_max,
                "mkdocs_nav_pages": MKDOCS_NAV_PAGES + 1}

    python = sys.executable
    rows: list[Row] = []
    failures = 0
    try:
        for n in sizes:
            row = Row(n)
            rows.append(row)
            folder = out / f"n{n}"
            portal, site = folder / "portal", folder / "site"
            config = portal / "mkdocs.yml"
            kept = folder / "validate-cache"  # what `prioportal validate` keeps between runs, not in ~/.cache
            os.environ["PRIOPORTAL_CACHE_DIR"] = str(kept)
            print(f"\nN={n}: writing the demo portal ...", flush=True)
            started = time.perf_counter()
            try:
                write_demo_portal(portal, n, seed=args.seed)
            except UsageError as exc:
                print(f"cannot write the demo portal: {exc}", file=sys.stderr)
                return 2
            row.demo_seconds = time.perf_counter() - started
            row.rounds = len(list((portal / "decisions" / "rounds").glob("*.yml")))

            def attempt(name: str, command: list[str], output: Path | None = None,
                        clean: tuple[Path, ...] = (), before=None) -> Run:
                nonlocal failures
                print(f"N={n}: {name} ...", flush=True)
                result = best_of(command, args.repeat, before=before or (remover(*clean) if clean else None))
                if result.returncode != 0:
                    failures += 1
                    row.failed.append(name)
                    print_failure(result, f"N={n}: {name}")
                else:
                    setattr(row, name, measured(result, output))
                    print(f"  {result.seconds:.2f} s. {last_line(result.stdout)}".rstrip(), flush=True)
                return result

            validate = [python, "-m", "prioportal", "-f", str(config), "validate"]
            validated = attempt("validate", validate, clean=(kept,))
            if validated.returncode == 0:
                run(validate)  # files saved in the seconds before a run are read again by the next
                attempt("validate_again", validate, before=edit_one_measure(portal))
            if not args.no_build:
                if validated.returncode == 0:  # an invalid portal is not built, so there is nothing to time
                    build = [python, "-m", "prioportal", "-f", str(config), "build", "--site-dir", str(site)]
                    # Cold: neither the site nor what a build keeps beside mkdocs.yml (.prioportal-cache/).
                    built = attempt("build", build, site, clean=(site, portal / ".prioportal-cache"))
                    if built.returncode == 0:
                        attempt("rebuild", build, site, before=edit_one_measure(portal))
                    if not args.no_preview and not time_preview(row, python, portal, folder / "preview.json"):
                        failures += 1
                use_mkdocs = mkdocs is not None and n <= args.mkdocs_max
                if mkdocs is not None and not use_mkdocs:
                    row.skipped.append("mkdocs")
                projects = write_comparison_corpus(folder / "compare", n, args.seed, hugo=bool(hugo),
                                                   mkdocs=use_mkdocs)
                if hugo:
                    root = projects["hugo"]
                    public, cache = root / "public", root / "hugo-cache"
                    attempt("hugo", [hugo, "--quiet", "--noBuildLock", "--source", str(root), "--destination",
                                     str(public), "--cacheDir", str(cache)],
                            public, clean=(public, cache, root / "resources"))
                bare = folder / "bare"
                attempt("bare", [python, str(Path(__file__).with_name("bare_loop.py")),
                                 str(portal / "decisions" / "measures"), str(bare)], bare, clean=(bare,))
                if use_mkdocs:
                    root = projects["mkdocs"]
                    attempt("mkdocs", [mkdocs, "build", "-q", "-f", str(root / "mkdocs.yml"),
                                       "-d", str(root / "site")],
                            root / "site", clean=(root / "site",))
            if not keep:  # a 20 000-measure round writes about a gigabyte: free it before the next N
                remover(folder)()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if not keep:
            remover(out)()
        if rows:
            print_report(rows, info, notes)
            if args.json:
                report_json(Path(args.json), rows, info, settings)
                print(f"figures written to {args.json}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
