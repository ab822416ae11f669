"""A synthetic portal of any size, for trying the portal out and for benchmarks.

`write_demo_portal(out, measures, seed)` writes a complete, valid portal for the invented
municipality "Demovik kommune": mkdocs.yml, two versions of the criteria, one budget round
per year, N measures in Norwegian bokmål, and a few narrative pages. Every outcome, every
rationing type, ranks 1-10, costs, inputs from the statutory councils, follow-up results and
evaluations of earlier rounds, and links between the same measure in different rounds occur.

The output depends only on (N, seed): texts are combined from phrase lists with
`random.Random(seed)`, never from the clock, and the YAML is written by a small emitter of
our own (PyYAML's dumper is about ten times slower), so the same arguments give
byte-identical files. Nothing here describes real people: there is no personal data.
"""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from prioportal.analyses.review import review_round
from prioportal.model.decisions import CriteriaSet, Measure
from prioportal.problems import T, UsageError
from prioportal.tools.demo.frame import LAST_YEAR, MARKER, criteria_set, mkdocs_yml, pages, round_data
from prioportal.tools.demo.measures import Made, MeasureWriter
from prioportal.tools.demo.yaml_writer import to_yaml

# --- The plan of rounds ---------------------------------------------------------------------

MAX_PER_ROUND = 400  # a region ranks 25-100 measures a year; listings stay readable below this
MAX_ROUNDS = 60
MAX_MEASURES = 1_000_000
# the first ten measures of every decided round cover every rank and every outcome
FORCED = ((1, "funded"), (2, "funded"), (3, "efficiency"), (4, "partly_funded"), (5, "rationed"),
          (6, "rationed"), (7, "postponed"), (8, "deprioritised"), (9, "discontinued"), (10, "deprioritised"))


def _plan(measures: int) -> list[int]:
    rounds = min(MAX_ROUNDS, max(2, math.ceil(measures / MAX_PER_ROUND)))
    return [measures // rounds + (1 if k < measures % rounds else 0) for k in range(rounds)]


def _statuses(rounds: int) -> list[str]:
    newest = ["consultation", "decided", "follow_up"] if rounds >= 3 else ["decided"]
    older = ["evaluated"] * (rounds - len(newest))
    return older + list(reversed(newest))


# --- The portal -----------------------------------------------------------------------------


def iter_documents(measures: int, seed: int = 1) -> Iterator[tuple[str, Any]]:
    """Every file of a demo portal as (path relative to the portal, data or text).

    Decision files come as dicts (what the YAML says), pages and mkdocs.yml as text. The
    benchmark uses this to write an equivalent corpus for other generators.
    """
    if not isinstance(measures, int) or measures < 1:
        raise UsageError(T("the number of measures must be a whole number of at least 1"))
    if measures > MAX_MEASURES:
        raise UsageError(T("a demo portal can have at most {count} measures", count=MAX_MEASURES))
    writer = MeasureWriter(seed)
    rng = writer.rng
    counts = _plan(measures)
    rounds = len(counts)
    years = [LAST_YEAR - rounds + 1 + k for k in range(rounds)]
    statuses = _statuses(rounds)
    switch = max(1, rounds // 2)  # rounds from this index use criteria version 2
    v1 = criteria_set(1, date(years[0] - 1, 1, 1), None)
    v2 = criteria_set(2, date(years[switch] - 1, 1, 1), v1["id"])
    yield f"decisions/criteria/{v1['id']}.yml", v1
    yield f"decisions/criteria/{v2['id']}.yml", v2

    previous_made: list[Made] = []
    earlier_models: dict[str, Measure] = {}
    for k, (year, status, count) in enumerate(zip(years, statuses, counts)):
        cs = v2 if k >= switch else v1
        criteria_ids = [c["id"] for c in cs["criteria"]]
        round_id = f"budsjett-{year}"
        decided = status != "consultation"
        # about one measure in eight returns from the round before (postponed, not funded, or to stop)
        returning = [x for x in previous_made if x.outcome in ("postponed", "deprioritised", "partly_funded", "funded")]
        rng.shuffle(returning)
        returning = returning[: count // 8]
        made: list[Made] = []
        granted_sum = 0
        documents = []
        for i in range(count):
            forced = FORCED[i] if decided and i < len(FORCED) else None
            earlier = returning[i - len(FORCED)] if len(FORCED) <= i < len(FORCED) + len(returning) else None
            data, one, granted = writer.measure(year, round_id, status, criteria_ids, i + 1, forced, earlier)
            granted_sum += granted
            made.append(one)
            documents.append(data)
        earlier_models = _explain_review_flags(round_id, documents, cs, earlier_models)
        for data in documents:
            yield f"decisions/measures/{year}/{data['id']}.yml", data
        frame = max(1_000_000, math.ceil(granted_sum * 1.02 / 500_000) * 500_000)
        if not decided:
            frame = max(1_000_000, math.ceil(granted_sum * 0.6 / 500_000) * 500_000)
        purpose = ("new_resources", "new_resources", "reduced_resources", "reallocated_resources")[rng.randrange(4)]
        yield (f"decisions/rounds/{round_id}.yml",
               round_data(year, status, purpose, cs["id"], f"budsjett-{years[k - 1]}" if k else None, frame, count, rng))
        previous_made = made
    yield from pages(rounds, measures, years[0]).items()
    yield "mkdocs.yml", mkdocs_yml()


_REVIEW_NOTES = {
    "dominated": "Kommunestyret la vekt på samlet vurdering, tidspunkt og hva som var mulig å gjennomføre i år.",
    "treated_differently": "Sektorene har ulike lovkrav og ulik kapasitet, og det ble vektlagt i den samlede vurderingen.",
    "assessment_changed": "Situasjonen er endret siden forrige runde, og vurderingen er oppdatert etter nye tall.",
}


def _explain_review_flags(round_id: str, documents: list[dict], criteria: dict,
                          earlier: dict[str, Measure]) -> dict[str, Measure]:
    """Give every measure the consistency review flags a written reason, as a council would,
    so the demo portal validates without warnings. Returns this round's measures by id."""
    models = [Measure.model_validate(d) for d in documents]
    flags = review_round(round_id, models, CriteriaSet.model_validate(criteria), earlier | {x.id: x for x in models})
    by_id = {d["id"]: d for d in documents}
    for flag in flags:
        by_id[flag.measure].setdefault("review_notes", {})[flag.kind.value] = _REVIEW_NOTES[flag.kind.value]
    return {d["id"]: Measure.model_validate(d) for d in documents}


def _prepare(out: Path) -> None:
    """Make `out` ready: new, empty, or an earlier demo portal (whose decisions and pages are replaced)."""
    if out.exists() and not out.is_dir():
        raise UsageError(T("{folder} is a file, not a folder", folder=out))
    if out.is_dir() and any(out.iterdir()):
        config = out / "mkdocs.yml"
        try:
            first = config.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            first = ""
        if first != MARKER:
            raise UsageError(T("{folder} is not empty and was not written by 'prioportal demo'; "
                               "choose a new or empty folder", folder=out))
        for name in ("decisions", "content"):
            if (out / name).is_dir():
                shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)


def write_demo_portal(out: Path, measures: int, seed: int = 1) -> Path:
    """Write a complete, valid demo portal with `measures` measures into `out`; return the folder.

    The same (measures, seed) always gives byte-identical files. An earlier demo portal in
    `out` is replaced (its site/ folder is left alone); any other non-empty folder is refused.
    """
    out = Path(out)
    documents = iter_documents(measures, seed)  # checks the arguments before anything is touched
    first = next(documents)
    _prepare(out)
    made_dirs: set[Path] = set()
    for rel, data in _chain(first, documents):
        path = out / rel
        parent = path.parent
        if parent not in made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(parent)
        text = data if isinstance(data, str) else to_yaml(data)
        path.write_bytes(text.encode("utf-8"))
    return out


def _chain(first: Any, rest: Iterator) -> Iterator:
    yield first
    yield from rest
