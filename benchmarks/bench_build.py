"""How long validation and a build take as a portal grows, and how much memory a build needs.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1000,5000,10000] [--out bench-out]

For each size N the script writes a synthetic portal of N measures (`prioportal demo`), then
runs `prioportal validate` and `prioportal build` as separate processes and measures each
one's wall-clock time, CPU time and peak memory, read with wait4 for that run alone: the
maximum resident set size of the command or of any process it ran and waited for (such as
the search indexer), never of an earlier run. It prints a table; with --repeat R it keeps the
fastest of R runs.

If Hugo is installed, the same measures are also written as a Hugo site of N Markdown pages
with minimal templates, and `hugo` is timed on it for a rough comparison. Exit code 0 when
every command succeeded, 1 when one failed (its stderr tail is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import prioportal
    from prioportal.demo import iter_documents, write_demo_portal
    from prioportal.problems import UsageError
except ImportError:  # pragma: no cover - run with the project's virtual environment
    sys.exit("prioportal is not importable: run this with the project's Python, e.g. .venv/bin/python")


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
class Row:
    n: int
    rounds: int = 0
    demo_s: float = 0.0
    validate_s: float | None = None
    validate_cpu: float | None = None
    validate_mb: float | None = None
    build_s: float | None = None
    build_cpu: float | None = None
    build_mb: float | None = None
    pages: int | None = None
    site_mb: float | None = None
    hugo_s: float | None = None
    hugo_pages: int | None = None


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
            before()
        result = run(command)
        if result.returncode != 0:
            return result
        runs.append(result)
    fastest = min(runs, key=lambda r: r.seconds)
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    fastest.peak_mb = max(peaks) if peaks else None
    return fastest


def fail(result: Run, rows: list[Row]) -> int:
    if rows:
        print_table(rows)
    print(f"\nFAILED (exit code {result.returncode}): {' '.join(result.command)}", file=sys.stderr)
    tail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-25:]
    for line in tail:
        print(f"  {line}", file=sys.stderr)
    return 1


def tree_size(folder: Path) -> tuple[int, int]:
    """(number of HTML pages, total bytes of every file) under `folder`."""
    pages = total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            if path.suffix == ".html":
                pages += 1
    return pages, total


# --- Hugo, for comparison -------------------------------------------------------------------

HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "nb"
title = "Hugo-sammenligning"
disableKinds = ["taxonomy", "term"]
"""
HUGO_PAGE = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
{{ .Content }}
</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
</main></body></html>
"""
HUGO_HOME = HUGO_LIST.replace("range .Pages", "range .Site.RegularPages")


def _markdown(m: dict) -> str:
    """One measure as a Markdown page with roughly the content of the portal's measure page."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - YAML double-quoted string
    lines = ["---", f"title: {q(m['title'])}", f"summary: {q(m['summary'])}", f"weight: {m.get('rank') or 11}",
             "---", "", m["summary"], "",
             "## Situasjon", "", m["situation"]["current_state"], "", m["situation"]["goal"], "",
             "## Forslag", "", m["proposal"]["description"], "", m["proposal"]["alternative"], "",
             "## Vurdering", "", "| Kriterium | Nivå | Begrunnelse |", "| --- | --- | --- |"]
    cell = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    lines += [f"| {cid} | {a['level']} | {cell(a['justification'])} |" for cid, a in m["assessments"].items()]
    if m.get("costs"):
        lines += ["", "## Kostnader", "", "| Hva | År 1 | År 2 | År 3 | År 4–10 |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {cell(c['description'])} | {c.get('year_1', 0)} | {c.get('year_2', 0)} | {c.get('year_3', 0)} "
                  f"| {c.get('years_4_10', 0)} |" for c in m["costs"]]
    outcome = m.get("outcome")
    if outcome:
        lines += ["", "## Vedtak", "", f"**{outcome['decision']}**, rang {m.get('rank')}", ""]
        if outcome.get("rationale"):
            lines += [outcome["rationale"], ""]
    for item in m.get("inputs", []):
        lines += [f"- **{item['name']}** ({item['date']}): {item['summary']} {item['consideration']}"]
    return "\n".join(lines) + "\n"


def write_hugo_corpus(folder: Path, measures: int, seed: int) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "content" / "tiltak").mkdir(parents=True)
    (folder / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (folder / "layouts" / "_default" / "single.html").write_text(HUGO_PAGE, encoding="utf-8")
    (folder / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (folder / "layouts" / "index.html").write_text(HUGO_HOME, encoding="utf-8")
    (folder / "content" / "tiltak" / "_index.md").write_text("---\ntitle: Tiltak\n---\n", encoding="utf-8")
    for rel, data in iter_documents(measures, seed):
        if rel.startswith("decisions/measures/"):
            (folder / "content" / "tiltak" / f"{data['id']}.md").write_text(_markdown(data), encoding="utf-8")


# --- Report ---------------------------------------------------------------------------------


def _f(value, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def print_table(rows: list[Row]) -> None:
    header = ("N", "rounds", "demo s", "validate s", "val. cpu", "val. MB", "build s", "build cpu", "pages",
              "ms/measure", "peak MB", "site MB")
    table = [header]
    for r in rows:
        table.append((str(r.n), str(r.rounds), _f(r.demo_s, ".2f"), _f(r.validate_s, ".2f"), _f(r.validate_cpu, ".2f"),
                      _f(r.validate_mb, ".0f"), _f(r.build_s, ".2f"), _f(r.build_cpu, ".2f"), _f(r.pages, "d"),
                      _f(None if r.build_s is None else r.build_s * 1000 / r.n, ".2f"),
                      _f(r.build_mb, ".0f"), _f(r.site_mb, ".1f")))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print()
    for i, row in enumerate(table):
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    hugo_rows = [r for r in rows if r.hugo_s is not None]
    if hugo_rows:
        print()
        for r in hugo_rows:
            ratio = f"{r.build_s / r.hugo_s:.1f}x" if r.build_s and r.hugo_s else "-"
            print(f"Hugo, N={r.n}: {r.hugo_s:.2f} s for {r.hugo_pages} pages; prioportal build / hugo = {ratio}")
        print("(Hugo renders the same texts with minimal templates, no navigation and no search index: a rough"
              "\n lower bound for a static site of this size, not a like-for-like comparison.)")
    print("\nvalidate s, build s: wall-clock time of the whole command, including Python start-up and imports;"
          "\ncpu: user + system CPU seconds of that process (compare these on a busy machine);"
          "\npeak MB: maximum resident memory of the build or of a process it ran (e.g. the search indexer);"
          "\nms/measure: build s / N.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time prioportal validate and build on synthetic portals.")
    parser.add_argument("--sizes", default="1000", help="comma-separated numbers of measures (default: 1000)")
    parser.add_argument("--out", default="bench-out", help="working folder (default: bench-out)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the synthetic portals")
    parser.add_argument("--repeat", type=int, default=1, help="run each command R times and keep the fastest")
    parser.add_argument("--no-build", action="store_true", help="only write and validate the portals")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,5000,10000")
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be at least 1")

    out = Path(args.out).resolve()
    hugo = shutil.which("hugo")
    try:
        from importlib.metadata import version as dist_version
        installed = dist_version("prioportal")
    except Exception:  # not installed as a distribution, e.g. run from a plain checkout
        installed = "?"
    print(f"prioportal {installed} from {Path(prioportal.__file__).parent}")
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPU(s); working folder {out}")
    if hugo:
        version = run([hugo, "version"])
        print(f"Hugo: {version.stdout.strip() or hugo}")
    else:
        print("Hugo is not installed (not on PATH): no comparison.")

    python = sys.executable
    rows: list[Row] = []
    for n in sizes:
        row = Row(n)
        folder = out / f"n{n}"
        portal, site = folder / "portal", folder / "site"
        config = portal / "mkdocs.yml"
        print(f"\nN={n}: writing the demo portal ...", flush=True)
        started = time.perf_counter()
        try:
            write_demo_portal(portal, n, seed=args.seed)
        except UsageError as exc:
            print(f"cannot write the demo portal: {exc}", file=sys.stderr)
            return 2
        row.demo_s = time.perf_counter() - started
        row.rounds = len(list((portal / "decisions" / "rounds").glob("*.yml")))

        print(f"N={n}: validate ...", flush=True)
        result = best_of([python, "-m", "prioportal", "-f", str(config), "validate"], args.repeat)
        if result.returncode != 0:
            rows.append(row)
            return fail(result, rows)
        row.validate_s, row.validate_cpu, row.validate_mb = result.seconds, result.cpu_seconds, result.peak_mb
        summary = result.stdout.strip().splitlines()[-1:] or [""]
        print(f"  {summary[0]}")

        if not args.no_build:
            print(f"N={n}: build ...", flush=True)

            def clean_site():
                if site.exists():
                    shutil.rmtree(site)

            result = best_of([python, "-m", "prioportal", "-f", str(config), "build", "--site-dir", str(site)],
                             args.repeat, before=clean_site)
            if result.returncode != 0:
                rows.append(row)
                return fail(result, rows)
            row.build_s, row.build_cpu, row.build_mb = result.seconds, result.cpu_seconds, result.peak_mb
            pages, size = tree_size(site)
            row.pages, row.site_mb = pages, size / 1_000_000
            print(f"  {(result.stdout.strip().splitlines() or [''])[-1]}")

            if hugo:
                print(f"N={n}: Hugo ...", flush=True)
                hugo_dir = folder / "hugo"
                write_hugo_corpus(hugo_dir, n, args.seed)
                public = hugo_dir / "public"

                def clean_public():
                    if public.exists():
                        shutil.rmtree(public)

                result = best_of([hugo, "--quiet", "--source", str(hugo_dir), "--destination", str(public)],
                                 args.repeat, before=clean_public)
                if result.returncode != 0:  # Hugo's problem, not the portal's: report it and go on
                    tail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-10:]
                    print("  Hugo failed, no comparison for this size:\n    " + "\n    ".join(tail), file=sys.stderr)
                else:
                    row.hugo_s = result.seconds
                    row.hugo_pages = tree_size(public)[0]
        rows.append(row)

    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
