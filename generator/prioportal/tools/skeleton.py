"""`prioportal new measure`: a commented skeleton a communicator fills in.

The skeleton lists the round's own criteria and their scales, so the communicator sees the
valid levels where they write them.
"""

from __future__ import annotations

from pathlib import Path

from prioportal.model.decisions import SLUG_RE, CriteriaSet, Round
from prioportal.checks.lenient import lenient_documents
from prioportal.problems import UsageError
from prioportal.settings import load_settings


# The id a new measure gets until the communicator chooses one, in the portal's language.
_NEW_ID_PREFIX = {"nb": "nytt-tiltak", "nn": "nytt-tiltak", "sv": "ny-atgard", "en": "new-measure"}


def measure_skeleton(measure_id: str, round_id: str, criteria) -> str:
    assessments = []
    for criterion in criteria.criteria:
        levels = ", ".join(level.id for level in criterion.scale)
        assessments.append(
            f"  {criterion.id}:\n"
            f"    # {criterion.question}\n"
            f"    # Levels, highest first: {levels}\n"
            f"    level: <{criterion.scale[0].id}>\n"
            f"    justification: <Why this level, in plain language>\n")
    outcomes = ", ".join(o.kind.value for o in criteria.outcomes)
    return f"""# A measure (tiltak) in the round {round_id}. Fill in every <...>, delete what you do not need,
# then run: prioportal validate
# Field guide: README.md, section "What each field means".
id: {measure_id}
round: {round_id}
title: <Short title>
summary: <Two or three plain sentences a citizen understands>
sector: <Sector or committee>
service_area: <Service area>
# target_area: <Target area (målområde), optional>
# One of: new_need, ambition_increase, efficiency, rationing, saving, investment;
# several as a list, e.g. [efficiency, rationing]
type: new_need
situation:
  current_state: <How things are now>
  goal: <The goal or law the situation falls short of>
proposal:
  description: <What the measure does>
  alternative: <What it is compared with, often current practice>
# One assessment per criterion of {criteria.id}:
assessments:
{''.join(assessments)}knowledge_base:
  - title: <Report, study or data source>
    # url: https://...
    # One of: high, moderate, low
    quality: moderate
costs:
  - description: <What the money is for>
    # one_off or recurring
    kind: recurring
    year_1: 0
    year_2: 0
    year_3: 0
    years_4_10: 0
# Fill in when the round is decided. Rank: {criteria.rank_scale.highest} (highest priority) to {criteria.rank_scale.lowest} (lowest).
# rank: 5
# outcome:
#   # One of: {outcomes}
#   decision: funded
#   # Every outcome other than funded needs rationale and consequences:
#   rationale: |
#     <Why, in plain language>
#   consequences:
#     affected: <Who is affected>
#     description: <How they are affected>
#     mitigation: <What is done to soften it>
inputs: []
#   - source: elderly_council
#     name: <Name of the council or group>
#     date: 2026-03-01
#     summary: <What they said>
#     consideration: <How the input was considered>
# previous: <id of the same measure in an earlier round, if it recurs>
"""


def write_measure_skeleton(config_file: Path, round_id: str, measure_id: str | None) -> Path:
    settings = load_settings(config_file)
    # The skeleton needs only rounds and criteria, and must work while another measure is still
    # half filled in.
    rounds = {r.id: r for r in lenient_documents(settings, "rounds") if isinstance(r, Round)}
    criteria = {c.id: c for c in lenient_documents(settings, "criteria") if isinstance(c, CriteriaSet)}
    if round_id not in rounds:
        raise UsageError(f"there is no valid round '{round_id}' — use one of: {', '.join(sorted(rounds)) or '(none yet)'}")
    rnd = rounds[round_id]
    if rnd.criteria not in criteria:
        raise UsageError(f"the round '{round_id}' uses criteria '{rnd.criteria}', which is missing or not valid"
                         " — run 'prioportal validate' and fix it first")
    # A measure half filled in still holds its id.
    existing = {getattr(m, "id", None) or (m.get("id") if isinstance(m, dict) else None)
                for m in lenient_documents(settings, "measures", keep_invalid=True)}
    if measure_id is None:
        prefix = _NEW_ID_PREFIX.get(settings.language, "new-measure")
        n = 1
        while f"{prefix}-{n}" in existing:
            n += 1
        measure_id = f"{prefix}-{n}"
    elif not SLUG_RE.match(measure_id):
        raise UsageError(f"'{measure_id}' cannot be used as an id — use lower-case letters a-z, digits and hyphens")
    elif measure_id in existing:
        raise UsageError(f"the id '{measure_id}' is already used — choose another with --id")
    folder = settings.decisions_dir / "measures" / str(rnd.year)
    target = folder / f"{measure_id}.yml"
    if target.exists():
        raise UsageError(f"{target} already exists — choose another id with --id")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(measure_skeleton(measure_id, round_id, criteria[rnd.criteria]), encoding="utf-8")
    return target
