"""What each page shows, computed from the portal and its analyses: `build_views` makes every
round's and every measure's view (round_views, measure_views) and the `PortalView` that holds
them, with what the pages about the whole portal show (the sectors and outcomes to browse, the
current round, the criteria in force). A preview reuses the last build's views where what they
are made of has not changed.

Templates only lay these values out; every decision about what a citizen sees (which
measures were prioritised instead, where the funding line falls, which level a criterion
had) is made here and in the modules beside it, in plain functions that tests can call.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from operator import is_
from typing import Any, Callable

from prioportal.analyses.comparisons import (CriteriaComparison, RoundComparison, compare_rounds, criteria_differences,
                                             previous_round)
from prioportal.analyses.followup import indicator_statuses
from prioportal.analyses.openness import ChecklistItem, round_openness
from prioportal.analyses.ranking import funding_line, lineage, prioritised_instead_in_round, ranked, successors
from prioportal.analyses.review import ReviewFlag
from prioportal.build.reuse import Reuse, reused
from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.site.change_lines import ChangeDescriber
from prioportal.site.listings import Group
from prioportal.site.measure_views import INSTEAD_SHOWN, MeasureView, ShownFlag, assessment_rows, cost_totals
from prioportal.site.page_history import PageHistory, page_history
from prioportal.site.round_views import Listed, RoundHeading, RoundView, has_follow_up
from prioportal.sources.git_history import History, Unavailable
from prioportal.text.i18n import Formatter, Translator, sort_key
from prioportal.text.slugs import slugify


@dataclass(frozen=True)
class SourceInfo:
    """Which commit the site was built from, for the footer of every page."""

    commit: str | None
    uncommitted: bool | None  # None without git


@dataclass(frozen=True)
class PortalView:
    portal: Portal
    rounds: dict[str, RoundView]
    measures: dict[str, MeasureView]
    criteria_changes: dict[str, CriteriaComparison] = field(default_factory=dict)  # id -> since previous version
    criteria_history: dict[str, PageHistory] = field(default_factory=dict)
    page_history: dict[str, PageHistory] = field(default_factory=dict)  # content page slug -> history
    source: SourceInfo = SourceInfo(None, None)
    history_note: str | None = None  # why history is missing or partial, if it is
    language: str = "en"

    def _newest_first(self, grouped: Callable[[RoundView], dict[Any, list[Listed]]]) -> dict[Any, list[Listed]]:
        """Each round's groups put together, the newest round's items first."""
        groups: dict[Any, list[Listed]] = {}
        for rv in reversed(list(self.rounds.values())):
            for key, items in grouped(rv).items():
                groups.setdefault(key, []).extend(items)
        return groups

    @cached_property
    def sectors(self) -> list[Group]:
        groups = self._newest_first(lambda rv: rv.by_sector)
        slugs: set[str] = set()
        result = []
        for name in sorted(groups, key=lambda n: sort_key(n, self.language)):
            slug = slugify(name)
            while slug in slugs:  # two sector names that differ only in punctuation
                slug += "-x"
            slugs.add(slug)
            result.append(Group(slug, name, tuple(groups[name])))
        return result

    @cached_property
    def outcomes(self) -> list[Group]:
        """One group per outcome kind used, named by the newest criteria set that names it."""
        groups = self._newest_first(lambda rv: rv.by_outcome)
        result = []
        for kind in m.OutcomeKind:
            if kind in groups:
                label = next((t.label for cs in reversed(self.portal.criteria_sets)
                              if (t := cs.outcome_term(kind))), kind.value)
                result.append(Group(kind.value.replace("_", "-"), label, tuple(groups[kind])))
        return result

    @property
    def current_round(self) -> RoundView | None:
        """The latest round: the one a citizen arriving today most likely asks about."""
        return self.rounds[self.portal.rounds[-1].id] if self.portal.rounds else None

    @property
    def criteria_in_force(self) -> m.CriteriaSet | None:
        return self.portal.criteria_sets[-1] if self.portal.criteria_sets else None

    def latest_decisions(self, limit: int = 8) -> list[MeasureView]:
        decided = [r for r in reversed(self.portal.rounds) if r.status.is_decided]
        if not decided:
            return []
        return [self.measures[x.id] for x in self.rounds[decided[0].id].measures[:limit]]


@dataclass(frozen=True)
class _RoundViews:
    """A round's views as a preview's last build made them, with what tells whether they hold."""

    round: RoundView
    measures: dict[str, MeasureView]
    flags: list[ReviewFlag] | None  # the review's list for the round, which is the same list while its flags are
    chained: frozenset[str]  # the measures in its measures' lineages, where those have more than one


def _frame(portal: Portal, history: History | Unavailable | None) -> tuple:
    return (history, *portal.rounds, *portal.criteria_sets)


def _untouched_rounds(portal: Portal, history: History | Unavailable | None, changed: Collection[str] | None,
                      followers: dict[str, m.Measure], reuse: Reuse | None) -> set[str]:
    """The rounds whose views none of the `changed` measures can change (see `build_views`),
    but for the lineages that passed through a changed measure at the last build, which each
    round keeps (`_RoundViews.chained`): not a round such a measure is in or was in, nor one its
    lineage now passes through, nor the round after any of those (its comparison and openness
    report look at the round before). Empty when that cannot be told."""
    if changed is None or reuse is None:
        return set()
    frame, last_frame = _frame(portal, history), reuse.last("frame")
    last_measures: dict[str, MeasureView] | None = reuse.last("measures")
    if last_frame is None or last_measures is None or len(frame) != len(last_frame) or not all(
            map(is_, frame, last_frame)):
        return set()
    by_id = portal.measures_by_id
    touched: set[str] = set()
    for ident in changed:
        before, now = last_measures.get(ident), by_id.get(ident)
        if before is None or now is None:
            return set()
        touched.add(before.measure.round)
        touched.update(x.round for x in lineage(now, by_id, followers))  # itself included
    after = {rnd.id for rnd in portal.rounds if (earlier := previous_round(portal, rnd)) and earlier.id in touched}
    return {rnd.id for rnd in portal.rounds} - touched - after


def build_views(portal: Portal, tr: Translator, fmt: Formatter,
                history: History | Unavailable | None = None, source: SourceInfo = SourceInfo(None, None),
                reuse: Reuse | None = None, changed: Collection[str] | None = None) -> PortalView:
    """Every view of the portal. With `reuse` (a preview), values computed from the same objects
    as in the last build are the last build's objects (see reuse.py). `changed`, when known,
    are the ids of the only measures that are not the very objects of the last build (with the
    same rounds, criteria versions and history): a round none of them can show is then the
    last build's without looking into it."""
    by_id = portal.measures_by_id
    round_by_id = {r.id: r for r in portal.rounds}
    criteria = {c.id: c for c in portal.criteria_sets}
    followers = successors(list(portal.measures))
    describe = ChangeDescriber(tr, fmt, criteria)

    def file_history(kind: str, ident: str, scope: Reuse | None = reuse) -> PageHistory:
        path = portal.sources.get(f"{kind}:{ident}")
        # The describer's words depend on the criteria (their names), as well as on the language.
        return reused(scope, "history", (history, path, *portal.criteria_sets),
                      lambda: page_history(history, path, describe))

    flags_by_measure: dict[str, list[ReviewFlag]] = {}
    for round_flags in portal.review.values():
        for flag in round_flags:
            flags_by_measure.setdefault(flag.measure, []).append(flag)

    def round_views(i: int, rnd: m.Round, members: list[m.Measure], changes: RoundComparison | None,
                    openness: tuple[ChecklistItem, ...], lineages: list[list[m.Measure]],
                    scope: Reuse | None) -> tuple[RoundView, list[MeasureView]]:
        ranked_members = ranked(members)
        criteria_set = criteria[rnd.criteria]
        heading = reused(scope, "heading", (rnd, criteria_set), lambda: RoundHeading(rnd, criteria_set))
        # What follows from a measure and its criteria alone, in one look-up each.
        own = [reused(scope, "own", (x, criteria_set),
                      lambda x=x: (assessment_rows(x, criteria_set), cost_totals(x), indicator_statuses(x)))
               for x in ranked_members]
        rv = RoundView(
            round=rnd,
            criteria=criteria_set,
            measures=tuple(ranked_members),
            funding=funding_line(rnd, ranked_members),
            previous=portal.rounds[i - 1] if i > 0 else None,
            next=portal.rounds[i + 1] if i + 1 < len(portal.rounds) else None,
            changes=changes,
            openness=openness,
            flags=tuple(portal.review.get(rnd.id, ())),
            history=file_history("rounds", rnd.id, scope),
            heading=heading,
            listed=tuple(reused(scope, "listed", (x, heading), lambda x=x: Listed(x, heading)) for x in ranked_members),
            followed_up=[reused(scope, "followed up", (x, indicators), lambda x=x, i=indicators: (x, i))
                         for x, (_, _, indicators) in zip(ranked_members, own) if has_follow_up(x)],
        )
        instead = prioritised_instead_in_round(ranked_members)
        # Each list is the start of the round's funded measures in rank order (the longest list),
        # so what they received together is a running total.
        funded = max(instead.values(), key=len, default=[])
        received = list(accumulate((x.granted for x in funded), initial=0))
        chains = {x.id: chain for x, chain in zip(members, lineages)}
        views = []
        for measure, (assessments, costs, indicators) in zip(ranked_members, own):
            shown = tuple(instead[measure.id][-INSTEAD_SHOWN:])
            count = len(instead[measure.id])
            chain = chains[measure.id]
            flags = tuple(map(ShownFlag.of, flags_by_measure.get(measure.id, ())))
            page = file_history("measures", measure.id, scope)
            # The last build's view where all it shows is the same, as most of a round's are
            # after an edit of one of them: their pages then compare by identity.
            views.append(reused(
                scope, "measure view", (measure, rv.heading, assessments, costs, indicators, page, *shown, *chain,
                                        *(round_by_id[x.round] for x in chain)),
                lambda: MeasureView(
                    measure=measure,
                    round=rv.heading,
                    assessments=assessments,
                    costs=costs,
                    above_line=rv.rows_by_id[measure.id].above_line,
                    instead_shown=shown,
                    instead_count=count,
                    instead_cost=received[count],
                    history=[(x, round_by_id[x.round]) for x in chain],
                    indicators=indicators,
                    flags=flags,
                    page_history=page,
                ),
                values=(rv.rows_by_id[measure.id].above_line, count, received[count], len(shown), flags)))
        return rv, views

    untouched = _untouched_rounds(portal, history, changed, followers, reuse)
    rounds: dict[str, RoundView] = {}
    measures: dict[str, MeasureView] = {}
    for i, rnd in enumerate(portal.rounds):
        scope = reuse.scope(("round", rnd.id)) if reuse is not None else None
        kept: _RoundViews | None = scope.last("views") if scope is not None and rnd.id in untouched else None
        if kept is not None and kept.flags is portal.review.get(rnd.id) and not kept.chained.intersection(changed):
            rounds[rnd.id] = kept.round
            measures.update(kept.measures)
            continue
        members = portal.measures_in(rnd.id)
        before = previous_round(portal, rnd)
        before_members = portal.measures_in(before.id) if before is not None else []
        changes = None if before is None else reused(
            scope, "round changes", (before, rnd, *before_members, *members),
            lambda: compare_rounds(before, before_members, rnd, members))
        openness = reused(scope, "openness", (rnd, before, *portal.criteria_sets, *members, *before_members),
                          lambda: tuple(round_openness(rnd, before, portal.criteria_sets, members, before_members)))
        lineages = [lineage(x, by_id, followers) for x in members]
        # A round's views are made again only when something they show was made again: the
        # round, its neighbours, its measures, the same measures in other rounds, the review's
        # flags (the very list while they are the same), the history and the criteria (whose
        # names the history's wording uses). A measure's file is not: the preview reads a file
        # that moved into a new object, so the same object comes from the same file.
        sources = (rnd, portal.rounds[i - 1] if i > 0 else None, portal.rounds[i + 1] if i + 1 < len(portal.rounds) else None,
                   changes, openness, history, portal.sources.get(f"rounds:{rnd.id}"), *portal.criteria_sets,
                   portal.review.get(rnd.id), *members,
                   *(y for chain in lineages for x in chain for y in (x, round_by_id[x.round])))
        rv, views = reused(scope, "round views", sources,
                           lambda: round_views(i, rnd, members, changes, openness, lineages, scope))
        rounds[rnd.id] = rv
        made = {mv.measure.id: mv for mv in views}
        measures.update(made)
        before_views: _RoundViews | None = scope.last("views") if scope is not None else None
        if scope is not None and (before_views is None or before_views.round is not rv
                                  or before_views.flags is not portal.review.get(rnd.id)):
            # Only when they are new: a scope in which nothing is made keeps all its parts.
            chained = frozenset(x.id for chain in lineages if len(chain) > 1 for x in chain)
            scope.put("views", _RoundViews(rv, made, portal.review.get(rnd.id), chained))
    if isinstance(history, Unavailable):
        note = tr.gettext("The history of changes is not available for this build.")
    elif history is not None and history.partial:
        note = tr.gettext("Only the most recent history of changes is available for this build.")
    else:
        note = None
    if reuse is not None:
        reuse.put("frame", _frame(portal, history))
        reuse.put("measures", measures)
    return PortalView(
        portal, rounds, measures,
        criteria_changes=criteria_differences(portal),
        criteria_history={cs.id: file_history("criteria", cs.id) for cs in portal.criteria_sets},
        page_history={p.slug: page_history(history, p.source, describe) for p in portal.pages},
        source=source,
        history_note=note,
        language=tr.language,
    )
