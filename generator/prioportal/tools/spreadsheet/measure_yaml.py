"""The YAML files an import writes: a new measure's text, with `<...>` placeholders where the sheet
said nothing and the table's comment in its `internal_note`, or an existing file edited in place
with ruamel.yaml, keeping its comments, its field order and what the sheet does not say.

Imports before `internal_note` kept the comment as YAML comment lines under `COMMENT_MARKER`,
which a save through the browser editor drops: `read_comment` still reads them, so that the
export finds the comment of a file written then, and an update moves it into the field."""

from __future__ import annotations

import io
import re
from typing import Any, Callable

from prioportal.model import decisions as m
from prioportal.model.languages import is_localized
from prioportal.problems import T, Text
from prioportal.tools.spreadsheet.amounts import CellError, kroner

COMMENT_MARKER = "# Comment in the ranking table (not published):"


# --- Placeholders for what a new file needs and the sheet did not say -------------------------

def placeholders(criteria: m.CriteriaSet, values: dict[str, Any],
                 say: Callable[[Any], str] = str, pair: bool = False) -> dict[str, Any]:
    """The skeleton of a new measure, `<...>` where the sheet gave nothing; `prioportal validate`
    lists each one with its line. The placeholders are those of `prioportal new measure`, said by
    `say` in the language of the command line."""
    def ph(text: Any) -> str:
        return f"<{say(text)}>"

    types = ", ".join(t.value for t in m.MeasureType)
    d: dict[str, Any] = {
        "summary": ph(T("Two or three plain sentences a citizen understands")),
        "sector": ph(T("Sector or committee")),
        "service_area": ph(T("Service area")),
        "type": ph(T("One of: {choices}; several as a list, e.g. {example}", choices=types,
                     example="[efficiency, rationing]")),
        "situation": {"current_state": ph(T("How things are now")),
                      "goal": ph(T("The goal or law the situation falls short of"))},
        "proposal": {"description": ph(T("What the measure does")),
                     "alternative": ph(T("What it is compared with, often current practice"))},
        "assessments": {c.id: {"level": ph(T("One of: {choices}", choices=", ".join(lvl.id for lvl in c.scale))),
                               "justification": ph(T("Why this level, in plain language"))}
                        for c in criteria.criteria},
    }
    if pair:  # a pair of a priority list: a condition and its group, no sector, type or situation
        for name in m.NOT_FOR_PAIRS:
            del d[name]
        d = {"summary": d.pop("summary"),
             "condition": ph(T("The health condition (or situation) the measure is for")),
             "condition_group": ph(T("The group of conditions the list shows it under")), **d}
    outcome = values.get("outcome")
    if outcome and outcome.get("decision") and outcome["decision"] != m.OutcomeKind.funded.value:
        d["outcome"] = {"rationale": ph(T("Why, in plain language")),
                        "consequences": {"affected": ph(T("Who is affected")),
                                         "description": ph(T("How they are affected"))}}
    return d


def merged(base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`values` over `base`, in the model's field order."""
    def over(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out = dict(a)
        for k, v in b.items():
            out[k] = over(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
        return out
    return order(over(base, values))


_ORDERS: dict[tuple, tuple[str, ...]] = {
    (): tuple(m.Measure.model_fields),
    ("situation",): tuple(m.Situation.model_fields),
    ("proposal",): tuple(m.Proposal.model_fields),
    ("outcome",): tuple(m.Outcome.model_fields),
    ("outcome", "consequences"): tuple(m.Consequences.model_fields),
    ("assessment",): tuple(m.Assessment.model_fields),
    ("costs",): tuple(m.CostLine.model_fields),
}


def order(d: dict[str, Any], path: tuple = ()) -> dict[str, Any]:
    keys = _ORDERS.get(path)
    if path == ("assessments",):
        return {k: order(v, ("assessment",)) for k, v in d.items()}
    items = sorted(d.items(), key=lambda kv: keys.index(kv[0]) if keys and kv[0] in keys else len(keys or ()))
    out = {}
    for k, v in items:
        if isinstance(v, dict):
            out[k] = order(v, path + (k,))
        elif isinstance(v, list) and k == "costs":
            out[k] = [order(x, ("costs",)) if isinstance(x, dict) else x for x in v]
        else:
            out[k] = v
    return out


# --- YAML with ruamel -----------------------------------------------------------------------------

def round_trip_yaml():
    from ruamel.yaml import YAML

    y = YAML()  # round-trip: keeps comments, order and quoting of what it does not touch
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # never wrap a text over several lines
    y.preserve_quotes = True
    return y


def _to_ruamel(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        cm = CommentedMap()
        for k, v in value.items():
            cm[k] = _to_ruamel(v)
        return cm
    if isinstance(value, list):
        return CommentedSeq([_to_ruamel(v) for v in value])
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def dump_yaml(data: Any) -> str:
    buf = io.StringIO()
    round_trip_yaml().dump(data, buf)
    return buf.getvalue()


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return bool(re.fullmatch(r"<[^<>]+>", value.strip()))
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return False


def read_comment(text: str) -> str | None:
    """The ranking table's comment that an earlier import kept as comment lines at the top of a
    YAML file."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        if line.rstrip() == COMMENT_MARKER:
            found = []
            for follow in lines[i + 1:]:
                if not follow.startswith("#   ") and follow.rstrip() != "#":
                    break
                found.append(follow[4:] if follow.startswith("#   ") else "")
            return "\n".join(found).strip("\n") or None
    return None


def without_comment(text: str) -> str:
    """The file's text without the comment lines an earlier import kept the table's comment in."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        if line.rstrip() == COMMENT_MARKER:
            end = i + 1
            while end < len(lines) and (lines[end].startswith("#   ") or lines[end].rstrip() == "#"):
                end += 1
            return "\n".join(lines[:i] + lines[end:])
    return text


def new_file_text(round_id: str, data: dict[str, Any], say: Callable[[Any], str] = str) -> str:
    header = ["# " + say(T("A measure in the round {round}, imported from a ranking table.", round=round_id))]
    if _has_placeholder(data):
        header.append("# " + say(T("Fill in every <...> (or delete the optional ones), then run: prioportal validate")))
    return "\n".join(header) + "\n" + dump_yaml(_to_ruamel(data))


def _is_language_map(value: Any) -> bool:
    return is_localized(dict(value)) if isinstance(value, dict) else False


def update_data(existing: Any, values: dict[str, Any], language: str, path: tuple = ()) -> bool:
    """Set the sheet's `values` into a ruamel mapping in place; True if anything changed.
    A field the file does not have is inserted after the fields that come before it in the model;
    a text written per language gets only its `language` version replaced."""
    changed = False
    keys = _ORDERS.get(("assessment",) if len(path) == 2 and path[0] == "assessments" else path)
    for k, v in values.items():
        if k in existing:
            old = existing[k]
            if isinstance(v, dict) and isinstance(old, dict):
                changed |= update_data(old, v, language, path + (k,))
            elif isinstance(v, str) and _is_language_map(old):
                if old.get(language) != v:
                    old[language] = _to_ruamel(v)
                    changed = True
            elif k == "costs" and isinstance(old, list):
                changed |= _update_costs(old, v)
            elif not _same(old, v):
                # A block text ends with a line break in the file and not in a cell: kept, so the
                # text keeps its style (|, not |-).
                keep_end = isinstance(old, str) and isinstance(v, str) and old.endswith("\n") and "\n" in v
                existing[k] = _to_ruamel(v + "\n" if keep_end and not v.endswith("\n") else v)
                changed = True
        else:
            position = len(existing)
            if keys and k in keys:
                before = keys[: keys.index(k)]
                present = [i for i, name in enumerate(existing) if name in before]
                position = present[-1] + 1 if present else 0
                if path == () and position == 0 and "id" in existing:
                    position = 1
            existing.insert(position, k, _to_ruamel(v))
            changed = True
    return changed


def _same(old: Any, new: Any) -> bool:
    """Whether a value in the file already says what the sheet says ("1 200 000" is 1200000)."""
    if old == new:
        return True
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()  # a cell does not keep the line break a block text ends with
    if isinstance(new, int) and not isinstance(new, bool) and isinstance(old, str):
        try:
            return m._parse_amount(old) == new
        except ValueError:
            return False
    return False


class CostsError(CellError):
    """The sheet's costs cannot be put into the file's cost lines; `field` is the column's."""

    def __init__(self, field: str, message: Text, advice: Text):
        super().__init__(message, advice)
        self.field = field


def _amount(value: Any) -> int | None:
    try:
        found = m._parse_amount(value)
    except ValueError:
        return None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def _update_costs(old: list, new: list[dict[str, Any]]) -> bool:
    """The sheet's one cost line into the file's. Into one line, what the sheet gives is set (an
    empty cell changes nothing); several lines are shown in the sheet added up, so their sums must
    be what the sheet says: an amount cannot be shared between them, nor one kind set on them all."""
    given = {k: v for k, v in new[0].items() if k != "description" and v is not None}
    lines = [line for line in old if isinstance(line, dict)]
    if not old:
        old.append(_to_ruamel(new[0]))
        return True
    if len(old) == 1 and lines:
        # A year the file leaves out is 0: the sheet's 0 there changes nothing.
        given = {k: v for k, v in given.items() if k in lines[0] or v != 0}
        return update_data(lines[0], given, "", ("costs",))
    for k, v in given.items():
        if k == "kind":
            kinds = {str(line.get("kind")) for line in lines}
            if kinds != {v}:
                raise CostsError(k, T("the measure has {count} cost lines, not all of the kind '{kind}' the sheet "
                                      "gives", count=len(old), kind=v),
                                 T("change the kinds in the file's cost lines, or leave this cell empty"))
            continue
        amounts = [_amount(line.get(k, 0)) for line in lines]
        total = sum(a for a in amounts if a is not None)
        if None in amounts or len(lines) != len(old) or not isinstance(v, int) or isinstance(v, bool) or total != v:
            raise CostsError(k, T("the measure has {count} cost lines, which add up to {total} in this column; "
                                  "{amount} cannot be shared between them", count=len(old), total=kroner(total),
                                  amount=kroner(v) if isinstance(v, int) else v),
                             T("change the amounts in the file's cost lines, or write their sum in this cell"))
    return False
