"""`prioportal new measure`: a commented skeleton a communicator fills in.

The skeleton lists the round's own criteria and their scales, so the communicator sees the
valid levels where they write them. Its comments and the `<...>` placeholders are in the
language of the command line's messages (`--language`, LANG, else the portal's): msgids here,
translated in the catalogues; the field names and the fixed values stay as the file format has them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from prioportal.model.decisions import SLUG_RE, CriteriaSet, Round
from prioportal.checks.lenient import lenient_documents
from prioportal.problems import T, UsageError, said
from prioportal.settings import load_settings


# The id a new measure gets until the communicator chooses one, in the portal's language.
_NEW_ID_PREFIX = {"nb": "nytt-tiltak", "nn": "nytt-tiltak", "sv": "ny-atgard", "en": "new-measure"}


# The skeleton's texts, in the order they stand; `<...>` placeholders are those in angle brackets.
_TYPES = "new_need, ambition_increase, efficiency, rationing, saving, investment"


def _texts(round_id: str, criteria) -> dict[str, object]:
    """The comments and placeholders of the skeleton, by their place in it (msgids, so that
    `make messages` finds them; never inside an f-string)."""
    return {
        "head": T("A measure in the round {round}. Fill in every <...>, delete what you do not need, then run: "
                  "prioportal validate", round=round_id),
        "guide": T('Field guide: README.md, section "What each field means".'),
        "title": T("Short title"),
        "summary": T("Two or three plain sentences a citizen understands"),
        "sector": T("Sector or committee"),
        "service_area": T("Service area"),
        "target_area": T("Target area, optional"),
        "types": T("One of: {choices}; several as a list, e.g. {example}", choices=_TYPES,
                   example="[efficiency, rationing]"),
        "current_state": T("How things are now"),
        "goal": T("The goal or law the situation falls short of"),
        "description": T("What the measure does"),
        "alternative": T("What it is compared with, often current practice"),
        "assessments": T("One assessment per criterion of {criteria}:", criteria=criteria.id),
        "justification": T("Why this level, in plain language"),
        "source": T("Report, study or data source"),
        "quality": T("One of: {choices}", choices="high, moderate, low"),
        "money": T("What the money is for"),
        "kind": T("One of: {choices}", choices="one_off, recurring"),
        "rank": T("Fill in when the round is decided. Rank: {highest} (highest priority) to {lowest} (lowest).",
                  highest=criteria.rank_scale.highest, lowest=criteria.rank_scale.lowest),
        "outcomes": T("One of: {choices}", choices=", ".join(o.kind.value for o in criteria.outcomes)),
        "needs": T("Every outcome other than funded needs rationale and consequences:"),
        "why": T("Why, in plain language"),
        "affected": T("Who is affected"),
        "how": T("How they are affected"),
        "mitigation": T("What is done to soften it"),
        "council": T("Name of the council or group"),
        "said": T("What they said"),
        "considered": T("How the input was considered"),
        "previous": T("id of the same measure in an earlier round, if it recurs"),
    }


def measure_skeleton(measure_id: str, round_id: str, criteria,
                     gettext: Callable[[str], str] = lambda message: message) -> str:
    """The skeleton's YAML, its comments and placeholders in the language of `gettext`."""
    t = {key: said(text, gettext) for key, text in _texts(round_id, criteria).items()}
    assessments = []
    for criterion in criteria.criteria:
        levels = said(T("Levels, highest first: {levels}", levels=", ".join(level.id for level in criterion.scale)),
                      gettext)
        assessments.append(
            f"  {criterion.id}:\n"
            f"    # {criterion.question}\n"
            f"    # {levels}\n"
            f"    level: <{criterion.scale[0].id}>\n"
            f"    justification: <{t['justification']}>\n")
    return f"""# {t['head']}
# {t['guide']}
id: {measure_id}
round: {round_id}
title: <{t['title']}>
summary: <{t['summary']}>
sector: <{t['sector']}>
service_area: <{t['service_area']}>
# target_area: <{t['target_area']}>
# {t['types']}
type: new_need
situation:
  current_state: <{t['current_state']}>
  goal: <{t['goal']}>
proposal:
  description: <{t['description']}>
  alternative: <{t['alternative']}>
# {t['assessments']}
assessments:
{''.join(assessments)}knowledge_base:
  - title: <{t['source']}>
    # url: https://...
    # {t['quality']}
    quality: moderate
costs:
  - description: <{t['money']}>
    # {t['kind']}
    kind: recurring
    year_1: 0
    year_2: 0
    year_3: 0
    years_4_10: 0
# {t['rank']}
# rank: 5
# outcome:
#   # {t['outcomes']}
#   decision: funded
#   # {t['needs']}
#   rationale: |
#     <{t['why']}>
#   consequences:
#     affected: <{t['affected']}>
#     description: <{t['how']}>
#     mitigation: <{t['mitigation']}>
inputs: []
#   - source: elderly_council
#     name: <{t['council']}>
#     date: 2026-03-01
#     summary: <{t['said']}>
#     consideration: <{t['considered']}>
# previous: <{t['previous']}>
"""


def write_measure_skeleton(config_file: Path, round_id: str, measure_id: str | None,
                           gettext: Callable[[str], str] = lambda message: message) -> Path:
    """Write the skeleton of a new measure of the round `round_id`, in the language of `gettext`."""
    settings = load_settings(config_file)
    # The skeleton needs only rounds and criteria, and must work while another measure is still
    # half filled in.
    rounds = {r.id: r for r in lenient_documents(settings, "rounds") if isinstance(r, Round)}
    criteria = {c.id: c for c in lenient_documents(settings, "criteria") if isinstance(c, CriteriaSet)}
    if round_id not in rounds:
        raise UsageError(T("there is no valid round '{round}' — use one of: {rounds}", round=round_id,
                           rounds=", ".join(sorted(rounds)) or T("(none yet)")))
    rnd = rounds[round_id]
    if rnd.criteria not in criteria:
        raise UsageError(T("the round '{round}' uses criteria '{criteria}', which is missing or not valid"
                           " — run 'prioportal validate' and fix it first", round=round_id, criteria=rnd.criteria))
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
        raise UsageError(T("'{id}' cannot be used as an id — use lower-case letters a-z, digits and hyphens",
                           id=measure_id))
    elif measure_id in existing:
        raise UsageError(T("the id '{id}' is already used — choose another with --id", id=measure_id))
    folder = settings.decisions_dir / "measures" / str(rnd.year)
    target = folder / f"{measure_id}.yml"
    if target.exists():
        raise UsageError(T("{file} already exists — choose another id with --id", file=target))
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(measure_skeleton(measure_id, round_id, criteria[rnd.criteria], gettext), encoding="utf-8")
    return target
