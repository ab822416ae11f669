"""The output of `prioportal diff`: a comparison as plain text, Markdown or JSON.

For reviewers and journalists comparing two criteria versions, two rounds or two revisions of
the whole portal (`analyses.comparisons`). The wording is English and values appear as the
files write them (amounts as whole numbers, outcomes by their kind), so that a report reads
the same whatever the portal's language; the site words the same changes for citizens, in
their language (`site.change_lines`).
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from prioportal.analyses.changes import Change, PathElement, dump
from prioportal.analyses.comparisons import (CriteriaComparison, EntityChanges, FollowUpChange, ItemChange,
                                             MeasurePair, PortalComparison, RoundComparison)
from prioportal.model.decisions import Measure
from prioportal.site.change_lines import path_words, shortened


# --- Wording shared by the renderers -----------------------------------------------------

ARROW = "→"
Item = Any  # a line of text, or (line, sub-lines)
_MAX_TEXT = 300


def path_text(path: Sequence[PathElement]) -> str:
    """`criteria › nytte › scale › stor › label`; list positions as #1, #2 (1-based)."""
    if not path:
        return "(whole file)"
    return path_words(path, lambda _i, element: element)  # field names and ids as the file writes them


def value_text(value: Any, limit: int | None = _MAX_TEXT) -> str:
    """A short plain rendering of a value for a change list.

    Unlike `site.change_lines.ChangeDescriber.value`, which words a value for citizens in the
    portal's language, this shows it as the file writes it: "(none)" rather than "–", true and
    false, amounts and numbers without grouping or currency, outcome and vocabulary values by
    their key, and a mapping or list by a name in it or a count rather than "(several fields)".
    Only the cutting of long texts is shared (a longer limit here: a reviewer reads on).
    """
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return shortened(value, limit)
    if isinstance(value, Mapping):
        for key in ("title", "name", "label", "id", "kind", "level", "description"):
            if isinstance(value.get(key), str):
                return value_text(value[key], limit)
        return f"({len(value)} fields)"
    if isinstance(value, list):
        if all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value):
            return value_text(", ".join(str(x) for x in value), limit)
        return f"({len(value)} items)"
    return value_text(str(value), limit)


def change_text(change: Change, limit: int | None = _MAX_TEXT) -> str:
    """`rank: 5 → 3`, `added outcome › consequences: ...`, `removed costs › #2: ...`."""
    where = path_text(change.path)
    if change.kind == "added":
        return f"added {where}: {value_text(change.new, limit)}"
    if change.kind == "removed":
        return f"removed {where}: {value_text(change.old, limit)}"
    if isinstance(change.old, list) and isinstance(change.new, list):
        return f"{where}: order {value_text(change.old, limit)} {ARROW} {value_text(change.new, limit)}"
    return f"{where}: {value_text(change.old, limit)} {ARROW} {value_text(change.new, limit)}"


def _amount(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _signed(value: int) -> str:
    return ("+" if value > 0 else "") + _amount(value)


def _rank(value: int | None) -> str:
    return "–" if value is None else str(value)


def _measure_line(x: Measure) -> str:
    outcome = x.outcome.decision.value if x.outcome else "no outcome"
    return f"{x.title} ({x.id}), rank {_rank(x.rank)}, {outcome}, year-1 cost {_amount(x.cost_year_1)}"


def _pair_name(p: MeasurePair) -> str:
    return f"{p.new.title} ({p.new.id})"


def _pair_line(p: MeasurePair, what: str) -> str:
    if what == "rank":
        detail = f"rank {_rank(p.old.rank)} {ARROW} {_rank(p.new.rank)}"
    elif what == "outcome":
        detail = f"{p.old_outcome or 'no outcome'} {ARROW} {p.new_outcome or 'no outcome'}"
    elif what == "cost":
        detail = f"{_amount(p.old.cost_year_1)} {ARROW} {_amount(p.new.cost_year_1)}"
    else:
        detail = f"{_amount(p.old.granted)} {ARROW} {_amount(p.new.granted)}"
    return f"{_pair_name(p)}: {detail}"


def _round_sections(c: RoundComparison) -> list[tuple[str, list[Item]]]:
    return [
        ("Moved up", [_pair_line(p, "rank") for p in c.moved_up]),
        ("Moved down", [_pair_line(p, "rank") for p in c.moved_down]),
        ("Ranked now, unranked before", [_pair_line(p, "rank") for p in c.rank_added]),
        ("Unranked now, ranked before", [_pair_line(p, "rank") for p in c.rank_removed]),
        ("Outcome changed", [_pair_line(p, "outcome") for p in c.outcome_changed]),
        ("Year-1 cost changed", [_pair_line(p, "cost") for p in c.cost_changed]),
        ("Amount granted changed", [_pair_line(p, "granted") for p in c.granted_changed]),
        ("New", [_measure_line(x) for x in c.new]),
        ("Dropped", [_measure_line(x) for x in c.dropped]),
    ]


def _round_header(c: RoundComparison) -> list[str]:
    lines = [f"Budget frame: {_amount(c.budget_frame_old)} {ARROW} {_amount(c.budget_frame_new)}"
             f" ({_signed(c.budget_frame_delta)})"]
    if c.criteria_changed:
        lines.append(f"Criteria version: {c.old_round.criteria} {ARROW} {c.new_round.criteria}")
    lines.append(f"Continued: {len(c.continued)}, unchanged: {len(c.unchanged)}, new: {len(c.new)}, "
                 f"dropped: {len(c.dropped)}")
    return lines


def _criteria_sections(c: CriteriaComparison) -> list[tuple[str, list[Item]]]:
    changed_lines = []
    for cc in c.criteria_changed:
        details = [change_text(ch, None) for ch in cc.fields]
        details += [f"level added: {lvl.label} ({lvl.id})" for lvl in cc.levels_added]
        details += [f"level removed: {lvl.label} ({lvl.id})" for lvl in cc.levels_removed]
        for lc in cc.levels_changed:
            if lc.relabelled:
                details.append(f"level {lc.id} relabelled: {lc.old.label} {ARROW} {lc.new.label}")
            if lc.redescribed:
                details.append(f"level {lc.id} redescribed: {value_text(lc.old.description, None)} {ARROW} "
                               f"{value_text(lc.new.description, None)}")
        if cc.levels_reordered:
            details.append("levels reordered: " + ", ".join(lvl.id for lvl in cc.old.scale) + f" {ARROW} "
                           + ", ".join(lvl.id for lvl in cc.new.scale))
        changed_lines.append((f"{cc.new.name} ({cc.id})", details))
    return [
        ("Criteria added", [f"{x.name} ({x.id}): " + ", ".join(lvl.label for lvl in x.scale) for x in c.criteria_added]),
        ("Criteria removed", [f"{x.name} ({x.id})" for x in c.criteria_removed]),
        ("Criteria changed", changed_lines),
        ("Principles added", [f"{x.name} ({x.id})" for x in c.principles_added]),
        ("Principles removed", [f"{x.name} ({x.id})" for x in c.principles_removed]),
        ("Principles changed", [(x.id, [change_text(ch, None) for ch in x.changes]) for x in c.principles_changed]),
        ("Rank scale", [change_text(ch, None) for ch in c.rank_scale]),
        ("Outcomes added", [f"{x.label} ({x.kind.value})" for x in c.outcomes_added]),
        ("Outcomes removed", [f"{x.label} ({x.kind.value})" for x in c.outcomes_removed]),
        ("Outcomes changed", [(x.id, [change_text(ch, None) for ch in x.changes]) for x in c.outcomes_changed]),
        ("Other", [change_text(ch, None) for ch in c.other]),
    ]


def _entity_sections(label: str, e: EntityChanges) -> list[tuple[str, list[Item]]]:
    return [
        (f"{label} added", list(e.added)),
        (f"{label} removed", list(e.removed)),
        (f"{label} changed", [(x.id, [change_text(ch) for ch in x.changes]) for x in e.changed]),
    ]


def _follow_up_lines(items: Sequence[FollowUpChange]) -> list[Item]:
    lines: list[Item] = []
    for f in items:
        parts = [f"{i.name} ({i.indicator}): {i.old_progress or 'none'} {ARROW} {i.new_progress or 'none'}"
                 f", latest {value_text(i.old_latest)} {ARROW} {value_text(i.new_latest)}" for i in f.indicators]
        if f.evaluation_changed:
            parts.append(f"evaluation {f.old_evaluation or 'none'} {ARROW} {f.new_evaluation or 'none'}")
        lines.append((f.measure, parts))
    return lines


def _title(comparison: Any) -> str:
    if isinstance(comparison, CriteriaComparison):
        return f"Criteria {comparison.old.id} (version {comparison.old.version}) {ARROW} " \
               f"{comparison.new.id} (version {comparison.new.version})"
    if isinstance(comparison, RoundComparison):
        return f"Round {comparison.old_round.id} {ARROW} {comparison.new_round.id}"
    if isinstance(comparison, PortalComparison):
        return f"Portal {comparison.old_label} {ARROW} {comparison.new_label}"
    raise TypeError(f"not a comparison: {type(comparison).__name__}")


def _sections(comparison: Any) -> tuple[list[str], list[tuple[str, list[Item]]]]:
    """Lead lines and (heading, items) sections, shared by text and Markdown."""
    if isinstance(comparison, CriteriaComparison):
        lead = (["Change note:"] + ["  " + line if line.strip() else "" for line in comparison.change_note.splitlines()]
                if comparison.change_note else ["No change note."])
        return lead, _criteria_sections(comparison)
    if isinstance(comparison, RoundComparison):
        return _round_header(comparison), _round_sections(comparison)
    if isinstance(comparison, PortalComparison):
        sections = (_entity_sections("Criteria sets", comparison.criteria_sets)
                    + _entity_sections("Rounds", comparison.rounds)
                    + _entity_sections("Measures", comparison.measures))
        for rc in comparison.round_changes:
            sections += [(f"{rc.new_round.id}: {heading}", items) for heading, items in _round_sections(rc)]
        sections.append(("Follow-up status changed", _follow_up_lines(comparison.follow_up)))
        return [], sections
    raise TypeError(f"not a comparison: {type(comparison).__name__}")


def _has_differences(comparison: Any) -> bool:
    return bool(comparison.has_differences)


def to_text(comparison: Any) -> str:
    """Plain text for a terminal; sections without entries are left out."""
    lead, sections = _sections(comparison)
    out = [_title(comparison), ""] + lead
    shown = [(h, items) for h, items in sections if items]
    for heading, items in shown:
        out += ["", f"{heading}:"] + _bullets(items, "  ", "- ")
    if not shown:
        out += ["", "No differences."]
    return "\n".join(out).strip("\n") + "\n"


def _bullets(items: Sequence[Item], indent: str, bullet: str, cell=lambda t: t) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, tuple):
            head, subs = item
            out.append(f"{indent}{bullet}{cell(head)}:")
            out += [f"{indent}    {bullet}{cell(sub)}" for sub in subs]
        else:
            out.append(f"{indent}{bullet}{cell(item)}")
    return out


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(comparison: Any) -> str:
    """Markdown for a council paper: a heading per section, tables for rankings."""
    out = [f"# {_title(comparison)}", ""]
    if isinstance(comparison, RoundComparison):
        out += [f"- {line}" for line in _round_header(comparison)] + [""]
        out += _md_round_tables(comparison)
    elif isinstance(comparison, PortalComparison):
        for label, e in (("Criteria sets", comparison.criteria_sets), ("Rounds", comparison.rounds),
                         ("Measures", comparison.measures)):
            out += _md_entities(label, e)
        for rc in comparison.round_changes:
            out += [f"## Round {rc.new_round.id}", ""] + [f"- {line}" for line in _round_header(rc)] + [""]
            out += _md_round_tables(rc, level="###")
        if comparison.follow_up:
            out += ["## Follow-up status changed", "",
                    "| Measure | Indicator | Before | Now |", "| --- | --- | --- | --- |"]
            for f in comparison.follow_up:
                for i in f.indicators:
                    out.append(f"| {_md_cell(f.measure)} | {_md_cell(i.name)} | {i.old_progress or '–'} "
                               f"({value_text(i.old_latest)}) | {i.new_progress or '–'} ({value_text(i.new_latest)}) |")
                if f.evaluation_changed:
                    out.append(f"| {_md_cell(f.measure)} | evaluation | {f.old_evaluation or '–'} | "
                               f"{f.new_evaluation or '–'} |")
            out.append("")
        if not comparison.has_differences:
            out += ["No differences.", ""]
    else:
        lead, sections = _sections(comparison)
        if isinstance(comparison, CriteriaComparison):
            note = comparison.change_note
            out += (["**Change note:**", ""] + [f"> {line}".rstrip() for line in note.splitlines()] if note
                    else ["No change note."]) + [""]
            out += _md_criteria_table(comparison)
            sections = [(h, items) for h, items in sections if h != "Criteria changed"]
        shown = [(h, items) for h, items in sections if items]
        for heading, items in shown:
            out += [f"## {heading}", ""] + _bullets(items, "", "- ", _md_cell) + [""]
        if not comparison.has_differences:
            out += ["No differences.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_criteria_table(c: CriteriaComparison) -> list[str]:
    if not c.criteria_changed:
        return []
    out = ["## Criteria changed", "", f"| Criterion | {c.old.id} | {c.new.id} |", "| --- | --- | --- |"]
    for cc in c.criteria_changed:
        for ch in cc.fields:
            out.append(f"| {_md_cell(cc.id)} › {_md_cell(path_text(ch.path))} | {_md_cell(value_text(ch.old, None))} | "
                       f"{_md_cell(value_text(ch.new, None))} |")
        for lvl in cc.levels_removed:
            out.append(f"| {_md_cell(cc.id)} › level {lvl.id} | {_md_cell(lvl.label)} | (removed) |")
        for lvl in cc.levels_added:
            out.append(f"| {_md_cell(cc.id)} › level {lvl.id} | (added) | {_md_cell(lvl.label)} |")
        for lc in cc.levels_changed:
            out.append(f"| {_md_cell(cc.id)} › level {lc.id} | {_md_cell(lc.old.label)}: "
                       f"{_md_cell(value_text(lc.old.description, None))} | {_md_cell(lc.new.label)}: "
                       f"{_md_cell(value_text(lc.new.description, None))} |")
        if cc.levels_reordered:
            out.append(f"| {_md_cell(cc.id)} › order of levels | {', '.join(lvl.id for lvl in cc.old.scale)} | "
                       f"{', '.join(lvl.id for lvl in cc.new.scale)} |")
    return out + [""]


def _md_round_tables(c: RoundComparison, level: str = "##") -> list[str]:
    out: list[str] = []
    same = {id(p) for p in c.unchanged}
    changed = [p for p in c.continued if id(p) not in same]
    if changed:
        out += [f"{level} Changed measures", "",
                "| Measure | Rank | Outcome | Year-1 cost | Granted |", "| --- | --- | --- | --- | --- |"]
        for p in changed:
            def cell(a: Any, b: Any) -> str:
                return str(a) if a == b else f"{a} {ARROW} {b}"
            out.append(f"| {_md_cell(p.new.title)} | {cell(_rank(p.old.rank), _rank(p.new.rank))} | "
                       f"{cell(p.old_outcome or '–', p.new_outcome or '–')} | "
                       f"{cell(_amount(p.old.cost_year_1), _amount(p.new.cost_year_1))} | "
                       f"{cell(_amount(p.old.granted), _amount(p.new.granted))} |")
        out.append("")
    for heading, items in (("New measures", c.new), ("Dropped measures", c.dropped)):
        if items:
            out += [f"{level} {heading}", "", "| Measure | Rank | Outcome | Year-1 cost |", "| --- | --- | --- | --- |"]
            out += [f"| {_md_cell(x.title)} | {_rank(x.rank)} | {x.outcome.decision.value if x.outcome else '–'} | "
                    f"{_amount(x.cost_year_1)} |" for x in items]
            out.append("")
    if not (changed or c.new or c.dropped):
        out += ["No changes in the ranking.", ""]
    return out


def _md_entities(label: str, e: EntityChanges) -> list[str]:
    if not e.has_differences:
        return []
    out = [f"## {label}", ""]
    out += [f"- added: {x}" for x in e.added] + [f"- removed: {x}" for x in e.removed]
    if e.added or e.removed:
        out.append("")
    for x in e.changed:
        out += [f"### {x.id}", "", "| Field | Before | Now |", "| --- | --- | --- |"]
        for ch in x.changes:
            out.append(f"| {_md_cell(path_text(ch.path))} | {_md_cell(value_text(ch.old))} | "
                       f"{_md_cell(value_text(ch.new))} |")
        out.append("")
    return out


# --- JSON ---------------------------------------------------------------------------------


def change_data(change: Change) -> dict[str, Any]:
    return {"path": list(change.path), "field": path_text(change.path), "kind": change.kind, "old": change.old,
            "new": change.new}


def _measure_data(x: Measure) -> dict[str, Any]:
    return {"id": x.id, "title": x.title, "sector": x.sector, "rank": x.rank,
            "outcome": x.outcome.decision.value if x.outcome else None,
            "cost_year_1": x.cost_year_1, "granted": x.granted}


def _pair_data(p: MeasurePair) -> dict[str, Any]:
    return {"id": p.new.id, "previous_id": p.old.id, "title": p.new.title,
            "rank": [p.old.rank, p.new.rank], "outcome": [p.old_outcome, p.new_outcome],
            "cost_year_1": [p.old.cost_year_1, p.new.cost_year_1], "granted": [p.old.granted, p.new.granted]}


def _round_data(c: RoundComparison) -> dict[str, Any]:
    return {
        "type": "rounds",
        "old": c.old_round.id,
        "new": c.new_round.id,
        "criteria": [c.old_round.criteria, c.new_round.criteria],
        "budget_frame": [c.budget_frame_old, c.budget_frame_new],
        "budget_frame_delta": c.budget_frame_delta,
        "new_measures": [_measure_data(x) for x in c.new],
        "dropped": [_measure_data(x) for x in c.dropped],
        "moved_up": [_pair_data(p) for p in c.moved_up],
        "moved_down": [_pair_data(p) for p in c.moved_down],
        "rank_added": [_pair_data(p) for p in c.rank_added],
        "rank_removed": [_pair_data(p) for p in c.rank_removed],
        "outcome_changed": [_pair_data(p) for p in c.outcome_changed],
        "cost_changed": [_pair_data(p) for p in c.cost_changed],
        "granted_changed": [_pair_data(p) for p in c.granted_changed],
        "unchanged": [p.new.id for p in c.unchanged],
    }


def _criteria_data(c: CriteriaComparison) -> dict[str, Any]:
    def item(x: ItemChange) -> dict[str, Any]:
        return {"id": x.id, "changes": [change_data(ch) for ch in x.changes]}

    return {
        "type": "criteria",
        "old": c.old.id,
        "new": c.new.id,
        "versions": [c.old.version, c.new.version],
        "change_note": c.change_note,
        "criteria_added": [dump(x) for x in c.criteria_added],
        "criteria_removed": [dump(x) for x in c.criteria_removed],
        "criteria_changed": [{
            "id": cc.id,
            "fields": [change_data(ch) for ch in cc.fields],
            "levels_added": [dump(x) for x in cc.levels_added],
            "levels_removed": [dump(x) for x in cc.levels_removed],
            "levels_changed": [{"id": lc.id, "old": dump(lc.old), "new": dump(lc.new),
                                "relabelled": lc.relabelled, "redescribed": lc.redescribed} for lc in cc.levels_changed],
            "levels_reordered": cc.levels_reordered,
            "order": [[lvl.id for lvl in cc.old.scale], [lvl.id for lvl in cc.new.scale]],
        } for cc in c.criteria_changed],
        "criteria_unchanged": list(c.criteria_unchanged),
        "principles_added": [dump(x) for x in c.principles_added],
        "principles_removed": [dump(x) for x in c.principles_removed],
        "principles_changed": [item(x) for x in c.principles_changed],
        "rank_scale": [change_data(ch) for ch in c.rank_scale],
        "outcomes_added": [dump(x) for x in c.outcomes_added],
        "outcomes_removed": [dump(x) for x in c.outcomes_removed],
        "outcomes_changed": [item(x) for x in c.outcomes_changed],
        "other": [change_data(ch) for ch in c.other],
    }


def _entities_data(e: EntityChanges) -> dict[str, Any]:
    return {"added": list(e.added), "removed": list(e.removed),
            "changed": [{"id": x.id, "changes": [change_data(ch) for ch in x.changes]} for x in e.changed]}


def _portal_data(c: PortalComparison) -> dict[str, Any]:
    return {
        "type": "portal",
        "old": c.old_label,
        "new": c.new_label,
        "criteria_sets": _entities_data(c.criteria_sets),
        "rounds": _entities_data(c.rounds),
        "measures": _entities_data(c.measures),
        "round_changes": [_round_data(rc) for rc in c.round_changes],
        "follow_up": [{
            "measure": f.measure,
            "indicators": [{"indicator": i.indicator, "name": i.name, "progress": [i.old_progress, i.new_progress],
                            "latest": [i.old_latest, i.new_latest]} for i in f.indicators],
            "evaluation": [f.old_evaluation, f.new_evaluation],
        } for f in c.follow_up],
    }


def as_data(comparison: Any) -> dict[str, Any]:
    """The comparison as plain JSON-like data, keys in a fixed order."""
    if isinstance(comparison, CriteriaComparison):
        data = _criteria_data(comparison)
    elif isinstance(comparison, RoundComparison):
        data = _round_data(comparison)
    elif isinstance(comparison, PortalComparison):
        data = _portal_data(comparison)
    else:
        raise TypeError(f"not a comparison: {type(comparison).__name__}")
    data["has_differences"] = _has_differences(comparison)
    return data


def to_json(comparison: Any) -> str:
    return json.dumps(as_data(comparison), ensure_ascii=False, indent=2) + "\n"


__all__ = ["path_text", "value_text", "change_text", "change_data", "to_text", "to_markdown", "to_json", "as_data"]
