"""The score of `make mutation`: reads `mutmut results --all true` on standard input and prints,
for each module and in total, how many mutants the tests killed, then every surviving mutant that
the README's "Mutation testing" section does not explain as equivalent (by its name there).

A mutant counts as killed when a test failed or did not finish (mutmut's "timeout": the change
made a loop endless). Exits 1 while a survivor is unexplained, so the habit cannot slide.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "timeout", "caught by type check"}
LINE = re.compile(r"^\s*(?P<name>prioportal\.\S+?): (?P<status>.+?)\s*$")


def explained_in(readme: Path) -> set[str]:
    """Mutant names (without the leading `prioportal.`) written in backticks in the README's
    "Mutation testing" section."""
    text = readme.read_text(encoding="utf-8")
    start = text.find("### Mutation testing")
    if start < 0:
        return set()
    end = text.find("\n#", start + 1)
    section = text[start:end if end > 0 else len(text)]
    return set(re.findall(r"`([\w.ǁ]+__mutmut_\d+)`", section))


def main(argv: list[str]) -> int:
    explained = explained_in(Path(argv[1])) if len(argv) > 1 else set()
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: list[str] = []
    for line in sys.stdin:
        found = LINE.match(line)
        if not found:
            continue
        name, status = found["name"], found["status"]
        if status == "not checked":  # outside the mutants asked for (MUTMUT_ARGS)
            continue
        module = name.split(".x")[0].removeprefix("prioportal.")
        counts[module][status] += 1
        if status not in KILLED and name.removeprefix("prioportal.") not in explained:
            survivors.append(f"{name}: {status}")
    total: Counter = Counter()
    print(f"{'module':32} {'mutants':>8} {'killed':>8} {'score':>7}")
    for module in sorted(counts):
        total.update(counts[module])
        _row(module, counts[module])
    _row("total", total)
    if survivors:
        print(f"\n{len(survivors)} surviving mutants not explained in the README "
              "(kill each with a test, or explain it as equivalent; `mutmut show NAME` shows the change):")
        print("\n".join(f"  {s}" for s in survivors))
        return 1
    return 0


def _row(module: str, counts: Counter) -> None:
    mutants = sum(counts.values())
    killed = sum(counts[s] for s in KILLED)
    print(f"{module:32} {mutants:8} {killed:8} {100 * killed / max(mutants, 1):6.1f}%")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
