"""The output of `prioportal diff`: a comparison as plain text, Markdown or JSON.

For reviewers, journalists and council papers comparing two criteria versions, two rounds or
two revisions of the whole portal (`analyses.comparisons`). Text and Markdown are in the
portal's language: every heading and label comes from the translation catalogues, and every
field name and value is worded by the one change describer the site uses
(`site.change_lines.ChangeDescriber.for_report`): outcomes by the criteria set's own labels,
the fixed vocabulary by its names, amounts as money and dates as the locale writes them. JSON is
for programs: codes, ids and field paths as the files write them, whatever the language.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Callable, Iterable, Sequence

from prioportal.analyses.changes import Change, dump
from prioportal.analyses.comparisons import (CriteriaComparison, CriterionChange, EntityChanges, FollowUpChange,
                                             ItemChange, MeasurePair, PortalComparison, RoundComparison)
from prioportal.model.decisions import CriteriaSet, Measure, OutcomeKind
from prioportal.settings import Settings
from prioportal.site.change_lines import ARROW, NONE, ChangeDescriber, path_words
from prioportal.text.i18n import Formatter, N_

Item = Any  # a line of text, or (line, sub-lines)
Section = tuple[str, str, list[Item]]  # (key, heading, items): the key names the section in any language


def describer(settings: Settings, language: str, criteria: Iterable[CriteriaSet]) -> ChangeDescriber:
    """The describer of a report in `language`, in the portal's own words where it has them
    (`texts:` in mkdocs.yml), with amounts in the portal's currency."""
    tr = replace(settings, language=language).translator()
    return ChangeDescriber.for_report(tr, Formatter(language, settings.currency), criteria)


# --- Wording shared by text and Markdown ---------------------------------------------------


def _arrow(old: str, new: str) -> str:
    return f"{old} {ARROW} {new}"


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text}"


def _measure_outcome(d: ChangeDescriber, x: Measure, criteria_id: str) -> str:
    return d.outcome(x.outcome.decision, criteria_id) if x.outcome else d.tr.gettext("Not decided yet")


def _measure_line(d: ChangeDescriber, x: Measure, criteria_id: str) -> str:
    _ = d.tr.gettext
    if x.is_pair:  # a pair of a priority list has a place and a condition, no outcome or cost
        return f"{x.title} ({x.id}): {_placing(d, x, criteria_id)}, {x.condition}"
    details = [_("rank {rank}").format(rank=d.rank(x.rank)), _measure_outcome(d, x, criteria_id),
               _("cost in year 1: {amount}").format(amount=d.money(x.cost_year_1))]
    return f"{x.title} ({x.id}): " + ", ".join(details)


def _placing(d: ChangeDescriber, x: Measure, criteria_id: str) -> str:
    """A pair's place on a priority list: its rank, or its recommendation by the criteria's name for it."""
    if x.recommendation is None:
        return d.tr.gettext("rank {rank}").format(rank=d.rank(x.rank))
    cs = d.criteria.get(criteria_id)
    found = cs.recommendation(x.recommendation) if cs is not None else None
    return str(found.label) if found is not None else x.recommendation


def _pair_detail(d: ChangeDescriber, c: RoundComparison, p: MeasurePair, what: str) -> str:
    if what == "recommendation":
        return _arrow(_placing(d, p.old, c.old_round.criteria), _placing(d, p.new, c.new_round.criteria))
    if what == "rank":
        return d.tr.gettext("rank {old} → {new}").format(old=d.rank(p.old.rank), new=d.rank(p.new.rank))
    if what == "outcome":
        return _arrow(d.outcome(p.old_outcome, c.old_round.criteria), d.outcome(p.new_outcome, c.new_round.criteria))
    if what == "cost":
        return _arrow(d.money(p.old.cost_year_1), d.money(p.new.cost_year_1))
    return _arrow(d.money(p.old.granted), d.money(p.new.granted))


def _discontinued(x: Measure) -> bool:
    """Whether the measure's own outcome says what became of it."""
    return x.outcome is not None and x.outcome.decision is OutcomeKind.discontinued


def _dropped_line(d: ChangeDescriber, x: Measure, criteria_id: str) -> str:
    """A measure of the earlier round that is not in the later one, with what became of it: never
    a bare "dropped" beside "fully funded"."""
    _ = d.tr.gettext
    what = d.what_happened(x)
    if what is None and _discontinued(x):
        return _measure_line(d, x, criteria_id)  # its outcome says what became of it
    return _measure_line(d, x, criteria_id) + "; " + (
        _("what became of it: {what}").format(what=what) if what else _("its file does not say what became of it"))


def _level_shift_lines(d: ChangeDescriber, c: RoundComparison, p: MeasurePair) -> list[str]:
    """Each criterion assessed on another level, old → new in each round's words, and the reason."""
    _ = d.tr.gettext
    old_cs, new_cs = c.old_round.criteria, c.new_round.criteria
    lines = [_labelled(d.criterion(new_cs, s.criterion),
                       _arrow(d.level(old_cs, s.criterion, s.old_level), d.level(new_cs, s.criterion, s.new_level)))
             for s in p.level_shifts]
    reason = p.assessment_reason
    lines.append(_labelled(_("Reason for the changed assessment"), d.text(reason)) if reason
                 else _("No reason is written for the changed assessment."))
    return lines


def _round_sections(d: ChangeDescriber, c: RoundComparison) -> list[Section]:
    _ = d.tr.gettext

    def pairs(pairs: Sequence[MeasurePair], what: str) -> list[Item]:
        return [f"{p.new.title} ({p.new.id}): {_pair_detail(d, c, p, what)}" for p in pairs]

    return [
        ("moved_up", _("Moved up"), pairs(c.moved_up, "rank")),
        ("moved_down", _("Moved down"), pairs(c.moved_down, "rank")),
        ("rank_added", _("Ranked now, not before"), pairs(c.rank_added, "rank")),
        ("rank_removed", _("Ranked before, not now"), pairs(c.rank_removed, "rank")),
        ("outcome_changed", _("Outcome changed"), pairs(c.outcome_changed, "outcome")),
        ("recommendation_changed", _("Recommendation changed"), pairs(c.recommendation_changed, "recommendation")),
        ("cost_changed", _("Cost in year 1 changed"), pairs(c.cost_changed, "cost")),
        ("granted_changed", _("Amount granted changed"), pairs(c.granted_changed, "granted")),
        ("assessment_changed", _("Assessment changed"),
         [(f"{p.new.title} ({p.new.id})", _level_shift_lines(d, c, p)) for p in c.assessment_changed]),
        ("new", _("New measures"), [_measure_line(d, x, c.new_round.criteria) for x in c.new]),
        ("dropped", _("In the previous round, not in this one"),
         [_dropped_line(d, x, c.old_round.criteria) for x in c.dropped]),
    ]


def _round_header(d: ChangeDescriber, c: RoundComparison) -> list[str]:
    _ = d.tr.gettext
    if c.new_round.is_priority_list:  # a priority list has no frame; its note says what changed
        lines = [_labelled(_("Why the list changed"), d.text(c.change_note))] if c.change_note else []
    else:
        frame = _arrow(d.money(c.budget_frame_old), d.money(c.budget_frame_new))
        lines = [_labelled(_("Budget frame"), f"{frame} ({d.signed_money(c.budget_frame_delta)})")]
    if c.criteria_changed:
        lines.append(_labelled(_("Criteria used"), _arrow(d.criteria_title(c.old_round.criteria),
                                                          d.criteria_title(c.new_round.criteria))))
    lines.append(_("Continued: {continued}, unchanged: {unchanged}, new: {new}, dropped: {dropped}").format(
        continued=len(c.continued), unchanged=len(c.unchanged), new=len(c.new), dropped=len(c.dropped)))
    return lines


def _level_lines(d: ChangeDescriber, cc: CriterionChange) -> list[str]:
    _ = d.tr.gettext
    lines = [_("New level: {level}").format(level=lvl.label) for lvl in cc.levels_added]
    lines += [_("Level removed: {level}").format(level=lvl.label) for lvl in cc.levels_removed]
    for lc in cc.levels_changed:
        if lc.relabelled:
            lines.append(_("Level renamed: {old} → {new}").format(old=lc.old.label, new=lc.new.label))
        if lc.redescribed:
            lines.append(_("Level {level}, new description: {old} → {new}").format(
                level=lc.new.label, old=d.text(lc.old.description), new=d.text(lc.new.description)))
    if cc.levels_reordered:
        lines.append(_("Order of the levels: {old} → {new}").format(
            old=", ".join(lvl.label for lvl in cc.old.scale), new=", ".join(lvl.label for lvl in cc.new.scale)))
    return lines


def _criteria_sections(d: ChangeDescriber, c: CriteriaComparison) -> list[Section]:
    _ = d.tr.gettext
    principles = {p.id: p.name for p in (*c.old.principles, *c.new.principles)}

    def outcome(x: ItemChange) -> str:
        return d.outcome(x.id, c.new.id)

    return [
        ("criteria_changed", _("Criteria changed"),
         [(cc.new.name, [d.sentence(ch) for ch in cc.fields] + _level_lines(d, cc)) for cc in c.criteria_changed]),
        ("criteria_added", _("New criteria"),
         [f"{x.name}: " + ", ".join(lvl.label for lvl in x.scale) for x in c.criteria_added]),
        ("criteria_removed", _("Criteria no longer used"), [x.name for x in c.criteria_removed]),
        ("principles_added", _("Principles added"), [x.name for x in c.principles_added]),
        ("principles_removed", _("Principles removed"), [x.name for x in c.principles_removed]),
        ("principles_changed", _("Principles changed"),
         [(principles.get(x.id, x.id), [d.sentence(ch) for ch in x.changes]) for x in c.principles_changed]),
        ("rank_scale", _("Rank scale"), [d.sentence(ch) for ch in c.rank_scale]),
        ("outcomes_added", _("Outcomes added"), [x.label for x in c.outcomes_added]),
        ("outcomes_removed", _("Outcomes removed"), [x.label for x in c.outcomes_removed]),
        ("outcomes_changed", _("Outcomes changed"),
         [(outcome(x), [d.sentence(ch) for ch in x.changes]) for x in c.outcomes_changed]),
        ("other", _("Other changes"), [d.sentence(ch) for ch in c.other]),
    ]


# The three kinds of object two revisions of a portal hold, by their names on the site.
_ENTITIES = (("criteria_sets", N_("Criteria versions")), ("rounds", N_("Rounds")), ("measures", N_("Measures")))


def _entity_items(d: ChangeDescriber, e: EntityChanges) -> list[Item]:
    _ = d.tr.gettext
    return ([_labelled(_("added"), x) for x in e.added] + [_labelled(_("removed"), x) for x in e.removed]
            + [(x.id, [d.sentence(ch) for ch in x.changes]) for x in e.changed])


def _follow_up_lines(d: ChangeDescriber, items: Sequence[FollowUpChange]) -> list[Item]:
    _ = d.tr.gettext
    lines: list[Item] = []
    for f in items:
        parts = [_labelled(i.name, _arrow(d.vocabulary(i.old_progress), d.vocabulary(i.new_progress)) + ", "
                           + _labelled(_("Latest result"), _arrow(d.number(i.old_latest), d.number(i.new_latest))))
                 for i in f.indicators]
        if f.evaluation_changed:
            parts.append(_labelled(_("Evaluation"), _arrow(d.vocabulary(f.old_evaluation),
                                                           d.vocabulary(f.new_evaluation))))
        lines.append((f.measure, parts))
    return lines


def _title(d: ChangeDescriber, comparison: Any) -> str:
    _ = d.tr.gettext
    if isinstance(comparison, CriteriaComparison):
        old, new = comparison.old.title, comparison.new.title
        if old == new:  # the titles do not tell the versions apart ("Kriterier for prioritering, version 2" do)
            old, new = (_("{title} (version {version})").format(title=cs.title, version=cs.version)
                        for cs in (comparison.old, comparison.new))
    elif isinstance(comparison, RoundComparison):
        old, new = comparison.old_round.title, comparison.new_round.title
    elif isinstance(comparison, PortalComparison):
        old, new = comparison.old_label, comparison.new_label
    else:
        raise TypeError(f"not a comparison: {type(comparison).__name__}")
    return _("Changes from {old} to {new}").format(old=old, new=new)


def _sections(d: ChangeDescriber, comparison: Any) -> tuple[list[str], list[Section]]:
    """Lead lines and sections, shared by text and Markdown."""
    _ = d.tr.gettext
    if isinstance(comparison, CriteriaComparison):
        note = comparison.change_note
        lead = ([_("Change note") + ":"] + ["  " + line if line.strip() else "" for line in note.splitlines()]
                if note else [_("No change note.")])
        return lead, _criteria_sections(d, comparison)
    if isinstance(comparison, RoundComparison):
        return _round_header(d, comparison), _round_sections(d, comparison)
    if isinstance(comparison, PortalComparison):
        sections = [(key, _(label), _entity_items(d, getattr(comparison, key))) for key, label in _ENTITIES]
        for rc in comparison.round_changes:
            sections += [(key, f"{rc.new_round.title}: {heading}", items)
                         for key, heading, items in _round_sections(d, rc)]
        sections.append(("follow_up", _("Follow-up changed"), _follow_up_lines(d, comparison.follow_up)))
        return [], sections
    raise TypeError(f"not a comparison: {type(comparison).__name__}")


def _bullets(items: Sequence[Item], indent: str, bullet: str, cell: Callable[[Any], str] = str) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, tuple):
            head, subs = item
            out.append(f"{indent}{bullet}{cell(head)}:")
            out += [f"{indent}    {bullet}{cell(sub)}" for sub in subs]
        else:
            out.append(f"{indent}{bullet}{cell(item)}")
    return out


# --- Plain text ------------------------------------------------------------------------------


def to_text(comparison: Any, d: ChangeDescriber) -> str:
    """Plain text for a terminal, in the describer's language; sections without entries are left out."""
    lead, sections = _sections(d, comparison)
    out = [_title(d, comparison)] + ([""] + lead if lead else [])
    shown = [(heading, items) for _key, heading, items in sections if items]
    for heading, items in shown:
        out += ["", f"{heading}:"] + _bullets(items, "  ", "- ")
    if not comparison.has_differences:
        out += ["", d.tr.gettext("No differences.")]
    return "\n".join(out).strip("\n") + "\n"


# --- Markdown --------------------------------------------------------------------------------


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_row(*cells: Any) -> str:
    return "| " + " | ".join(_md_cell(c) for c in cells) + " |"


def _md_table(*headings: str) -> list[str]:
    return [_md_row(*headings), "| " + " | ".join("---" for _h in headings) + " |"]


def to_markdown(comparison: Any, d: ChangeDescriber) -> str:
    """Markdown for a council paper, in the describer's language: a heading per section, tables
    for rankings."""
    _ = d.tr.gettext
    out = [f"# {_md_cell(_title(d, comparison))}", ""]
    if isinstance(comparison, RoundComparison):
        out += [f"- {_md_cell(line)}" for line in _round_header(d, comparison)] + [""]
        out += _md_round_tables(d, comparison)
    elif isinstance(comparison, PortalComparison):
        for key, label in _ENTITIES:
            out += _md_entities(d, _(label), getattr(comparison, key))
        for rc in comparison.round_changes:
            out += [f"## {_md_cell(rc.new_round.title)}", ""]
            out += [f"- {_md_cell(line)}" for line in _round_header(d, rc)] + [""]
            out += _md_round_tables(d, rc, level="###")
        if comparison.follow_up:
            out += ["## " + _("Follow-up changed"), ""]
            out += _md_table(_("Measure"), _("Indicator"), _("Before"), _("After"))
            for f in comparison.follow_up:
                for i in f.indicators:
                    out.append(_md_row(f.measure, i.name, f"{d.vocabulary(i.old_progress)} ({d.number(i.old_latest)})",
                                       f"{d.vocabulary(i.new_progress)} ({d.number(i.new_latest)})"))
                if f.evaluation_changed:
                    out.append(_md_row(f.measure, _("Evaluation"), d.vocabulary(f.old_evaluation),
                                       d.vocabulary(f.new_evaluation)))
            out.append("")
    else:
        lead, sections = _sections(d, comparison)
        if isinstance(comparison, CriteriaComparison):
            note = comparison.change_note
            out += (["**" + _("Change note") + ":**", ""] + [f"> {line}".rstrip() for line in note.splitlines()] if note
                    else [_("No change note.")]) + [""]
            out += _md_criteria_table(d, comparison)
            sections = [s for s in sections if s[0] != "criteria_changed"]
        for _key, heading, items in sections:
            if items:
                out += [f"## {_md_cell(heading)}", ""] + _bullets(items, "", "- ", _md_cell) + [""]
    if not comparison.has_differences and not isinstance(comparison, RoundComparison):  # a round says so above
        out += [_("No differences."), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_criteria_table(d: ChangeDescriber, c: CriteriaComparison) -> list[str]:
    if not c.criteria_changed:
        return []
    _ = d.tr.gettext
    out = ["## " + _("Criteria changed"), ""]
    out += _md_table(_("Criterion"), _("Version {n}").format(n=c.old.version), _("Version {n}").format(n=c.new.version))
    level, order = _("Level"), _("Order of the levels")
    for cc in c.criteria_changed:
        name = cc.new.name
        for ch in cc.fields:
            out.append(_md_row(f"{name} › {d.field(ch.path)}", d.value(ch.path, ch.old), d.value(ch.path, ch.new)))
        for lvl in cc.levels_removed:
            out.append(_md_row(f"{name} › {level} {lvl.label}", f"{lvl.label}: {d.text(lvl.description)}",
                               _("Removed")))
        for lvl in cc.levels_added:
            out.append(_md_row(f"{name} › {level} {lvl.label}", _("New level"),
                               f"{lvl.label}: {d.text(lvl.description)}"))
        for lc in cc.levels_changed:
            out.append(_md_row(f"{name} › {level} {lc.new.label}", f"{lc.old.label}: {d.text(lc.old.description)}",
                               f"{lc.new.label}: {d.text(lc.new.description)}"))
        if cc.levels_reordered:
            out.append(_md_row(f"{name} › {order}", ", ".join(lvl.label for lvl in cc.old.scale),
                               ", ".join(lvl.label for lvl in cc.new.scale)))
    return out + [""]


def _md_list_tables(d: ChangeDescriber, c: RoundComparison, changed: list[MeasurePair], level: str) -> list[str]:
    """A priority list's changes for a council paper: each pair's place before and now, the new and the removed."""
    _ = d.tr.gettext
    out: list[str] = []
    if changed:
        out += [f"{level} " + _("Changed pairs"), ""] + _md_table(_("Pair"), _("Before"), _("Now"))
        out += [_md_row(p.new.title, _placing(d, p.old, c.old_round.criteria), _placing(d, p.new, c.new_round.criteria))
                for p in changed]
        out.append("")
    for heading, items, criteria_id in ((_("New on the list"), c.new, c.new_round.criteria),
                                        (_("Taken off the list"), c.dropped, c.old_round.criteria)):
        if items:
            out += [f"{level} {heading}", ""] + _md_table(_("Pair"), _("Rank or recommendation"), _("Condition"))
            out += [_md_row(x.title, _placing(d, x, criteria_id), x.condition or "") for x in items]
            out.append("")
    if not (changed or c.new or c.dropped):
        out += [_("No pair was added, removed or moved."), ""]
    return out


def _md_round_tables(d: ChangeDescriber, c: RoundComparison, level: str = "##") -> list[str]:
    _ = d.tr.gettext
    out: list[str] = []
    same = {id(p) for p in c.unchanged}
    changed = [p for p in c.continued if id(p) not in same]

    def cell(a: str, b: str) -> str:
        return a if a == b else _arrow(a, b)

    if c.new_round.is_priority_list:
        return out + _md_list_tables(d, c, changed, level)
    if changed:
        out += [f"{level} " + _("Changed measures"), ""]
        out += _md_table(_("Measure"), _("Rank"), _("Outcome"), _("Cost, year 1"), _("Granted"))
        for p in changed:
            out.append(_md_row(p.new.title, cell(d.rank(p.old.rank), d.rank(p.new.rank)),
                               cell(_measure_outcome(d, p.old, c.old_round.criteria),
                                    _measure_outcome(d, p.new, c.new_round.criteria)),
                               cell(d.money(p.old.cost_year_1), d.money(p.new.cost_year_1)),
                               cell(d.money(p.old.granted), d.money(p.new.granted))))
        out.append("")
    if c.assessment_changed:
        out += [f"{level} " + _("Assessment changed"), ""]
        out += _md_table(_("Measure"), _("Criterion"), _("Before"), _("After"), _("Reason for the changed assessment"))
        old_cs, new_cs = c.old_round.criteria, c.new_round.criteria
        for p in c.assessment_changed:
            reason = d.text(p.assessment_reason) if p.assessment_reason else _("No reason is written.")
            for n, s in enumerate(p.level_shifts):
                out.append(_md_row(p.new.title if n == 0 else "", d.criterion(new_cs, s.criterion),
                                   d.level(old_cs, s.criterion, s.old_level), d.level(new_cs, s.criterion, s.new_level),
                                   reason if n == 0 else ""))
        out.append("")
    if c.new:
        out += [f"{level} " + _("New measures"), ""] + _md_table(_("Measure"), _("Rank"), _("Outcome"), _("Cost, year 1"))
        out += [_md_row(x.title, d.rank(x.rank), _measure_outcome(d, x, c.new_round.criteria), d.money(x.cost_year_1))
                for x in c.new]
        out.append("")
    if c.dropped:
        out += [f"{level} " + _("In the previous round, not in this one"), ""]
        out += _md_table(_("Measure"), _("Rank"), _("Outcome"), _("Cost, year 1"), _("What became of it"))
        out += [_md_row(x.title, d.rank(x.rank), _measure_outcome(d, x, c.old_round.criteria), d.money(x.cost_year_1),
                        d.what_happened(x) or (NONE if _discontinued(x) else _("Not said")))
                for x in c.dropped]
        out.append("")
    if not (changed or c.new or c.dropped):
        out += [_("Nothing changed in the ranking."), ""]
    return out


def _md_entities(d: ChangeDescriber, label: str, e: EntityChanges) -> list[str]:
    if not e.has_differences:
        return []
    _ = d.tr.gettext
    out = [f"## {label}", ""]
    added, removed = _("added"), _("removed")
    out += [f"- {added}: {_md_cell(x)}" for x in e.added] + [f"- {removed}: {_md_cell(x)}" for x in e.removed]
    if e.added or e.removed:
        out.append("")
    for x in e.changed:
        out += [f"### {_md_cell(x.id)}", ""] + _md_table(_("Field"), _("Before"), _("After"))
        out += [_md_row(d.field(ch.path), d.value(ch.path, ch.old), d.value(ch.path, ch.new)) for ch in x.changes]
        out.append("")
    return out


# --- JSON: data for programs, the same in every language ------------------------------------


def change_data(change: Change) -> dict[str, Any]:
    # `field` is the path as the file writes it (field names and ids), not words: it is data.
    return {"path": list(change.path), "field": path_words(change.path, lambda _i, element: element),
            "kind": change.kind, "old": change.old, "new": change.new}


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
        "dropped": [{**_measure_data(x), "continuation": dump(x.continuation) if x.continuation else None}
                    for x in c.dropped],
        "moved_up": [_pair_data(p) for p in c.moved_up],
        "moved_down": [_pair_data(p) for p in c.moved_down],
        "rank_added": [_pair_data(p) for p in c.rank_added],
        "rank_removed": [_pair_data(p) for p in c.rank_removed],
        "outcome_changed": [_pair_data(p) for p in c.outcome_changed],
        "cost_changed": [_pair_data(p) for p in c.cost_changed],
        "granted_changed": [_pair_data(p) for p in c.granted_changed],
        "assessment_changed": [{
            "id": p.new.id, "previous_id": p.old.id, "title": p.new.title,
            "levels": [{"criterion": s.criterion, "old": s.old_level, "new": s.new_level} for s in p.level_shifts],
            "reason": p.assessment_reason,
        } for p in c.assessment_changed],
        "unchanged": [p.new.id for p in c.unchanged],
        # A priority list's own: what its note says, and the pairs given another recommendation.
        **({"change_note": c.change_note,
            "recommendation_changed": [{**_pair_data(p), "recommendation": [p.old.recommendation, p.new.recommendation]}
                                       for p in c.recommendation_changed]}
           if c.new_round.is_priority_list else {}),
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
    data["has_differences"] = bool(comparison.has_differences)
    return data


def to_json(comparison: Any) -> str:
    return json.dumps(as_data(comparison), ensure_ascii=False, indent=2) + "\n"


__all__ = ["describer",
           "change_data", "to_text", "to_markdown", "to_json", "as_data"]
