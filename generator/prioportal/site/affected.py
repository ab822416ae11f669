"""The affected groups: a page per group the criteria name (`affected_groups`: children and young
people, the elderly, persons with disabilities, relatives, staff …), which says what each round's
priorities mean for it: the measures whose consequences name the group, those that received
resources and those cut or not funded, each with its consequences and what softens them
(`urls.affected_group`), and the page of every group (`urls.affected_groups`).

Helsedirektoratet's guidance asks that the consequences for groups, and for children especially,
are assessed (DOMAIN.md); these pages show them as the measures' files give them. A group is
known by its id across criteria versions, named as the newest version that has it names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prioportal.model import decisions as m
from prioportal.site import urls
from prioportal.site.contexts import AffectedGroupContext, AffectedGroupsContext
from prioportal.site.listings import FOLLOW_UP_ROWS_PER_ENTRY, paginate
from prioportal.site.render import PageSpec
from prioportal.site.round_views import RoundHeading
from prioportal.text.i18n import Translator


@dataclass(frozen=True)
class Concerned:
    """A measure whose consequences name the group, with its round."""

    measure: m.Measure
    round: RoundHeading

    @property
    def consequences(self) -> m.Consequences:
        return self.measure.outcome.consequences  # type: ignore[union-attr]  # only such measures are listed

    @property
    def receives_resources(self) -> bool:
        return self.measure.outcome is not None and self.measure.outcome.decision.receives_resources


@dataclass(frozen=True)
class GroupRound:
    """What one round's priorities mean for the group: the measures that received resources, and
    those cut or not funded (deprioritised, discontinued, postponed), in rank order."""

    round: RoundHeading
    funded: tuple[Concerned, ...]
    cut: tuple[Concerned, ...]


@dataclass(frozen=True)
class AffectedGroup:
    id: str
    name: str
    description: str | None
    concerned: tuple[Concerned, ...]  # newest round first, each round's in rank order

    def rounds(self, concerned: tuple[Concerned, ...] | None = None) -> tuple[GroupRound, ...]:
        """`concerned` (all the group's, unless given) round by round."""
        found: dict[str, tuple[RoundHeading, list[Concerned], list[Concerned]]] = {}
        for c in self.concerned if concerned is None else concerned:
            entry = found.setdefault(c.round.round.id, (c.round, [], []))
            (entry[1] if c.receives_resources else entry[2]).append(c)
        return tuple(GroupRound(heading, tuple(funded), tuple(cut)) for heading, funded, cut in found.values())

    @property
    def latest(self) -> GroupRound | None:
        """The newest round whose consequences name the group."""
        rounds = self.rounds()
        return rounds[0] if rounds else None


def affected_groups(view: Any) -> list[AffectedGroup]:
    """Every affected group the criteria define, in the order the newest criteria set gives them
    (then those only earlier versions have), each with the measures whose consequences name it.
    `view` is the `PortalView` of one language tree."""
    defined: dict[str, m.AffectedGroup] = {}
    for cs in reversed(view.portal.criteria_sets):  # newest first: its name for a group wins
        for group in cs.affected_groups:
            defined.setdefault(group.id, group)
    concerned: dict[str, list[Concerned]] = {ident: [] for ident in defined}
    for rv in reversed(list(view.rounds.values())):
        for x in rv.measures:
            consequences = x.outcome.consequences if x.outcome is not None else None
            for ident in (consequences.groups if consequences is not None else ()):
                if ident in concerned:
                    concerned[ident].append(Concerned(x, rv.heading))
    return [AffectedGroup(ident, str(group.name), str(group.description) if group.description else None,
                          tuple(concerned[ident])) for ident, group in defined.items()]


def affected_group_pages(view: Any, tr: Translator, page_size: int) -> list[PageSpec]:
    """The page of every affected group, and each group's pages (cut into pages as a listing is:
    a measure with its consequences weighs about three rows of a list)."""
    _ = tr.gettext
    groups = affected_groups(view)
    if not groups:
        return []
    pages = [PageSpec(urls.file_of(urls.affected_groups()), "affected_groups.html", _("Affected groups"),
                      AffectedGroupsContext(groups=tuple(groups)), nav_key="rounds", searchable=False)]
    size = max(1, page_size // FOLLOW_UP_ROWS_PER_ENTRY)
    for group in groups:
        title = _("{group}: what the priorities mean for them").format(group=group.name)
        for part, p in paginate(group.concerned, size, urls.affected_group(group.id)):
            shown = title if p.number == 1 else _("{title} – page {number} of {count}").format(
                title=title, number=p.number, count=p.count)
            pages.append(PageSpec(p.path, "affected_group.html", shown,
                                  AffectedGroupContext(group=group, rounds=group.rounds(part), pagination=p),
                                  nav_key="rounds", searchable=p.number == 1))
    return pages
