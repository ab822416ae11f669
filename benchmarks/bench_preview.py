"""How long the preview (`prioportal serve`) takes to catch up after one saved file.

    python benchmarks/bench_preview.py --measures 1000        # a demo portal of 1 000 measures
    python benchmarks/bench_preview.py --portal path/to/portal --json out.json

The preview's builder is run in this process exactly as the server runs it: one full build,
then, for each edit, the file is saved and `Preview.build` is called with its path (pages,
listings, feeds and search index written; the server publishes them then), then
`Preview.catch_up` (the open data). An edit is a new title of one measure (a change every
listing of its round and sector shows) or a new rank (which reorders its round). Printed per
edit: seconds until every changed page, listing and index is written ("pages"), until every
file is, open data included ("all"), and how many pages were written. The portal is copied
first, so the one given is never changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def edits(measure: Path) -> list[tuple[str, str]]:
    """(what, new text) for one measure file: two titles, then two ranks, each a real change."""
    text = measure.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    rank = next((i for i, line in enumerate(lines) if line.startswith("rank:")), None)
    found = []
    for n, suffix in enumerate(("(endret)", "(endret igjen)")):
        changed = list(lines)
        changed[title] = lines[title].rstrip("\n") + f" {suffix}\n"
        found.append((f"title {n + 1}", "".join(changed)))
    if rank is not None:
        for new_rank in (1, 2):
            changed = list(lines)
            changed[rank] = f"rank: {new_rank}\n"
            found.append((f"rank {new_rank}", "".join(changed)))
    return found


def measure_preview(portal: Path) -> dict:
    from prioportal.build.preview import Preview

    with tempfile.TemporaryDirectory(prefix="bench-preview-") as folder:
        work = Path(folder) / "portal"
        shutil.copytree(portal, work)
        preview = Preview(work / "mkdocs.yml", Path(folder) / "preview")
        started = time.perf_counter()
        first = preview.build()
        if not first.ok:
            raise SystemExit(f"the portal does not build:\n{first.message}")
        result: dict = {"first_build_seconds": time.perf_counter() - started, "edits": []}
        measures = sorted((work / "decisions" / "measures").rglob("*.yml"))
        target = measures[len(measures) // 2]
        # The first uncommitted edit changes every page's footer ("includes changes not yet
        # recorded") in a git work tree; it is reported, then edits like a communicator's follow.
        for what, text in edits(target):
            target.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            outcome = preview.build({target}, open_data_later=True)
            seconds = time.perf_counter() - started
            if not outcome.ok:
                raise SystemExit(f"an edit failed:\n{outcome.message}")
            preview.catch_up()
            result["edits"].append({"edit": what, "seconds": seconds, "all_seconds": time.perf_counter() - started,
                                    "pages_written": outcome.pages_written})
        started = time.perf_counter()
        preview.build()
        result["nothing_changed_seconds"] = time.perf_counter() - started
        result["median_edit_seconds"] = statistics.median(e["seconds"] for e in result["edits"])
        result["median_edit_all_seconds"] = statistics.median(e["all_seconds"] for e in result["edits"])
        result["measures"] = len(measures)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--portal", type=Path, help="a portal folder (with mkdocs.yml)")
    source.add_argument("--measures", type=int, help="write a demo portal of this many measures")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        portal = args.portal
        if portal is None:
            from prioportal.tools.demo.portal import write_demo_portal
            portal = write_demo_portal(Path(folder) / "demo", args.measures)
        result = measure_preview(portal)
    print(f"preview of {result['measures']} measures: first build {result['first_build_seconds']:.2f} s")
    for e in result["edits"]:
        print(f"  {e['edit']:<8} pages {e['seconds']:6.2f} s, all {e['all_seconds']:6.2f} s  "
              f"{e['pages_written']:>6} page(s) written")
    print(f"  nothing changed {result['nothing_changed_seconds']:.2f} s; median edit: pages "
          f"{result['median_edit_seconds']:.2f} s, all {result['median_edit_all_seconds']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
