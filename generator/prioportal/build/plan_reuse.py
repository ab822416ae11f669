"""The views and the page plan of a preview, round by round and measure by measure: the last
build's where what they are made of is the very same objects, which the preview's `FileCache`
gives for files not read again (see `reuse`).

The site's functions (`site.views`, `site.pages`) make each part from plain inputs; whether the
last build's part still holds is decided here, and the cold build (`views.build_views`,
`pages.plan_pages`) calls the same functions without asking. Keeping a round's views and each
measure's page plan as the very same objects from build to build is what lets the preview
compare pages by identity (`preview.same` stops at identical objects), so that after an edit
only the pages that show it are rendered again.

A `Reuse` is kept per language tree. Each round keeps its views in a scope of its own
(`("round", id)`), its page plans in another (`("round pages", id)`), so that a round taken over
whole from the last build still has its parts for the build that next makes it again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from operator import is_

from prioportal.analyses.comparisons import RoundComparison, previous_round
from prioportal.analyses.openness import ChecklistItem
from prioportal.analyses.ranking import lineage, ranked
from prioportal.analyses.review import ReviewFlag
from prioportal.build.reuse import Reuse
from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.site.measure_views import MeasureView
from prioportal.site.page_history import PageHistory
from prioportal.site.pages import (RoundToPlan, flag_titles, group_listings, group_page, measure_page,
                                   measures_in_page_order, round_listings, rounds_to_plan, site_pages)
from prioportal.site.render import PageSpec
from prioportal.site.round_views import Listed, RoundHeading, RoundView, has_follow_up
from prioportal.site.views import (PortalView, RoundToShow, SourceInfo, ViewInputs, file_history, measure_own,
                                   measure_view, measures_to_show, portal_view, round_changes, round_openness_items,
                                   round_to_show, round_view, view_inputs)
from prioportal.sources.git_history import History, Unavailable
from prioportal.text.i18n import Formatter, Translator


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
                      followers: dict[str, m.Measure], reuse: Reuse) -> set[str]:
    """The rounds whose views none of the `changed` measures can change (see `preview_views`),
    but for the lineages that passed through a changed measure at the last build, which each
    round keeps (`_RoundViews.chained`): not a round such a measure is in or was in, nor one its
    lineage now passes through, nor the round after any of those (its comparison and openness
    report look at the round before). Empty when that cannot be told."""
    if changed is None:
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


def _history(scope: Reuse, inputs: ViewInputs, kind: str, ident: str) -> PageHistory:
    """`views.file_history` of the page about `ident`, the last build's while the history, the
    file and the criteria (whose names its words use) are the same; the language is the tree's."""
    path = inputs.path_of(kind, ident)
    return scope.from_sources("history", (inputs.history, path, *inputs.portal.criteria_sets),
                              lambda: file_history(inputs, path))


def preview_views(portal: Portal, tr: Translator, fmt: Formatter, history: History | Unavailable | None,
                  source: SourceInfo, reuse: Reuse, changed: Collection[str] | None) -> PortalView:
    """`views.build_views`, with the values computed from the same objects as in the last build
    of this tree being the last build's objects. `changed`, when known, are the ids of the only
    measures that are not the very objects of the last build (with the same rounds, criteria
    versions and history): a round none of them can show is then the last build's without
    looking into it."""
    inputs = view_inputs(portal, tr, fmt, history)
    untouched = _untouched_rounds(portal, history, changed, inputs.followers, reuse)
    rounds: dict[str, RoundView] = {}
    measures: dict[str, MeasureView] = {}
    for i, rnd in enumerate(portal.rounds):
        scope = reuse.scope(("round", rnd.id))
        flags = portal.review.get(rnd.id)
        kept: _RoundViews | None = scope.last("views") if rnd.id in untouched else None
        if kept is not None and kept.flags is flags and not kept.chained.intersection(changed or ()):
            rounds[rnd.id] = kept.round
            measures.update(kept.measures)
            continue
        given = round_to_show(inputs, i)
        before, members, before_members = given.before, given.members, given.before_members
        changes = None if before is None else scope.from_sources(
            "round changes", (before, rnd, *before_members, *members), lambda: round_changes(given))
        openness = scope.from_sources("openness", (rnd, before, *portal.criteria_sets, *members, *before_members),
                                      lambda: round_openness_items(given, portal.criteria_sets))
        # A round's views are made again only when something they show was made again: the
        # round, its neighbours, its measures, the same measures in other rounds, the review's
        # flags (the very list while they are the same), the history and the criteria (whose
        # names the history's wording uses). A measure's file is not: the preview reads a file
        # that moved into a new object, so the same object comes from the same file.
        sources = (rnd, given.previous, given.next, changes, openness, history, given.path, *portal.criteria_sets,
                   flags, *members,
                   *(y for chain in given.lineages for x in chain for y in (x, inputs.round_by_id[x.round])))
        rv, views = scope.from_sources("round views", sources,
                                       lambda: _round_views(inputs, given, changes, openness, scope))
        rounds[rnd.id] = rv
        made = {mv.measure.id: mv for mv in views}
        measures.update(made)
        before_views: _RoundViews | None = scope.last("views")
        if before_views is None or before_views.round is not rv or before_views.flags is not flags:
            # Only when they are new: a scope in which nothing is made keeps all its parts.
            chained = frozenset(x.id for chain in given.lineages if len(chain) > 1 for x in chain)
            scope.put("views", _RoundViews(rv, made, flags, chained))
    reuse.put("frame", _frame(portal, history))
    reuse.put("measures", measures)
    return portal_view(inputs, rounds, measures, source,
                       {cs.id: _history(reuse, inputs, "criteria", cs.id) for cs in portal.criteria_sets})


def _round_views(inputs: ViewInputs, given: RoundToShow, changes: RoundComparison | None,
                 openness: tuple[ChecklistItem, ...],
                 scope: Reuse) -> tuple[RoundView, list[MeasureView]]:
    """`views.round_views`, with each part the last build's where what it is made of is the same."""
    rnd, criteria_set = given.round, given.criteria
    ranked_members = ranked(given.members)
    heading = scope.from_sources("heading", (rnd, criteria_set), lambda: RoundHeading(rnd, criteria_set))
    # What follows from a measure and its criteria alone, in one look-up each.
    own = [scope.from_sources("own", (x, criteria_set), lambda x=x: measure_own(x, criteria_set))
           for x in ranked_members]
    rv = round_view(
        given, ranked_members, changes, openness, _history(scope, inputs, "rounds", rnd.id), heading, own,
        listed=tuple(scope.from_sources("listed", (x, heading), lambda x=x: Listed(x, heading))
                     for x in ranked_members),
        followed_up=[scope.from_sources("followed up", (x, indicators), lambda x=x, i=indicators: (x, i))
                     for x, (_, _, indicators) in zip(ranked_members, own) if has_follow_up(x)])
    histories = [_history(scope, inputs, "measures", x.id) for x in ranked_members]
    # The last build's view where all it shows is the same, as most of a round's are after an
    # edit of one of them: their pages then compare by identity.
    return rv, [scope.from_sources("measure view", made.sources(), lambda made=made: measure_view(made),
                                   values=made.values())
                for made in measures_to_show(inputs, given, rv, own, histories)]


def preview_pages(view: PortalView, tr: Translator, site_path: str, page_size: int, reuse: Reuse) -> list[PageSpec]:
    """`pages.plan_pages`, with a round whose views were kept keeping its pages' plans: the very
    objects of the last build of this tree."""
    # A sector's or an outcome's listing spans every round, and is put together again whenever
    # one of them changes; a page listing the very same items keeps its plan, so the preview
    # does not compare it item by item.
    groups = [reuse.from_sources("group page", part.measures, lambda part=part, p=p, title=title: group_page(
                  part, p, title, tr), values=(part.slug, part.title, title, p))
              for part, p, title in group_listings(view, tr, page_size)]
    per_round = []
    for given in rounds_to_plan(view):
        # In a scope of the round's own, so that its measures' plans outlast builds that take
        # the round's plans over whole (see reuse.Reuse.scope).
        scope = reuse.scope(("round pages", given.round.round.id))
        per_round.append(scope.from_sources("round pages", given.sources(), lambda given=given, scope=scope: (
            _round_pages(view, given, tr, page_size, scope))))
    return site_pages(view, tr, site_path, groups, per_round, page_size)


def _round_pages(view: PortalView, given: RoundToPlan, tr: Translator, page_size: int,
                 scope: Reuse) -> tuple[list[PageSpec], list[PageSpec]]:
    """`pages.round_pages`, with a measure's page plan the last build's while its view and the
    titles it shows are."""
    measure_pages = []
    for mv in measures_in_page_order(view, given.round):
        shown = flag_titles(view, mv)
        # A pair's page names the newest version of its list, which a new version changes.
        measure_pages.append(scope.from_sources("measure page", (mv, given.newer), lambda mv=mv, shown=shown: measure_page(
            mv, shown, given.newer), values=tuple(shown.items())))
    return round_listings(view, given, tr, page_size), measure_pages
