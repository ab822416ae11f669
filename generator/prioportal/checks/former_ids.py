"""Former ids: a measure whose id had to change lists the ids it had before, and each becomes a
redirect to its page (`exports.redirects`). A former id may not be the id of a live measure,
nor be claimed by two measures, nor be something that cannot be an address."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from prioportal.model.decisions import SLUG_RE
from prioportal.problems import Problem, T
from prioportal.sources.yaml_files import load_yaml

if TYPE_CHECKING:
    from prioportal.model.portal import Portal


def former_ids(measure) -> tuple[str, ...]:
    """The ids a measure had before."""
    return tuple(measure.former_ids)


def _problem(sources: Mapping[str, str], root: Path | None, measure_id: str, index: int, message: str,
             advice: str) -> Problem:
    shown = sources.get(f"measures:{measure_id}", f"measures/{measure_id}")
    line, column = 1, 1
    if root is not None:
        result = load_yaml(root / shown, shown)
        if result.document is not None:
            line, column = result.document.locate(("former_ids", index))
    return Problem(shown, line, column, message, advice)


def redirect_problems(portal: Portal, root: Path | None = None) -> list[Problem]:
    """Former ids that cannot become redirects: one that is a live measure's id, one claimed
    twice, or one that is not a valid id."""
    # Asked after every save in a preview, so in one pass over the measures (each pass over ten
    # thousand of them costs about 8 ms, most of it waiting for memory), and only the few
    # measures with former ids are looked into further.
    live: set[str] = set()
    formers = []
    for x in portal.measures:
        live.add(x.id)
        if x.former_ids:
            formers.append((x.id, former_ids(x)))
    return former_id_problems(formers, live, portal.sources, root)


def former_id_problems(formers: list[tuple[str, tuple]], live: set[str], sources: Mapping[str, str],
                       root: Path | None = None) -> list[Problem]:
    """`redirect_problems` from the (id, former ids) of the measures that have former ids, in
    the portal's order, every measure's id (`live`), and the file each measure's id comes from
    (`Portal.sources`)."""
    claimed: dict[str, str] = {}
    problems = []
    for ident, former in formers:
        for i, old in enumerate(former):
            if not isinstance(old, str) or not SLUG_RE.match(old):
                problems.append(_problem(sources, root, ident, i, T("'{id}' is not a valid former id", id=old),
                                         T("write the id exactly as it was: lower-case letters, digits and hyphens")))
            elif old == ident:
                problems.append(_problem(sources, root, ident, i, T("'{id}' is this measure's own id", id=old),
                                         T("list only ids the measure had before under former_ids")))
            elif old in live:
                problems.append(_problem(sources, root, ident, i,
                                         T("the former id '{id}' is the id of another published measure", id=old),
                                         T("remove it from former_ids: a live page cannot also be a redirect")))
            elif old in claimed:
                problems.append(_problem(sources, root, ident, i,
                                         T("the former id '{id}' is also listed by the measure '{other}'", id=old,
                                           other=claimed[old]),
                                         T("keep it under former_ids in one measure only: the one that had it")))
            else:
                claimed[old] = ident
    return problems
