"""What each page shows, computed from the portal and its analyses: every round's and every
measure's view (round_views, measure_views) and the `PortalView` that holds them, with what the
pages about the whole portal show (the sectors and outcomes to browse, the current round, the
criteria in force).

The views are made round by round, by plain functions of plain inputs: `view_inputs` (what the
views of every round share), `round_to_show` (what one round's views are made of),
`round_views` (the round's view and its measures', from `round_view`, `measures_to_show` and
`measure_view`) and `portal_view` (the whole). `build_views`, the cold build's, calls them in
turn. A preview calls the same functions, but keeps a round's views, and each measure's, from
its last build while what they are made of is the very same (`build.plan_reuse`): these
functions know nothing of it.

Templates only lay these values out; every decision about what a citizen sees (which
measures were prioritised instead, where the funding line falls, which level a criterion
had) is made here and in the modules beside it, in plain functions that tests can call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import Any, Callable

from prioportal.analyses.comparisons import (CriteriaComparison, RoundComparison, compare_rounds, criteria_differences,
                                             previous_round)
from prioportal.analyses.followup import IndicatorStatus, indicator_statuses
from prioportal.analyses.funding_claims import FundingClaim, OpportunityClaim, opportunity_claim
from prioportal.analyses.openness import ChecklistItem, round_openness
from prioportal.analyses.ranking import funding_line, lineage, prioritised_instead_in_round, ranked, successors
from prioportal.analyses.review import ReviewFlag
from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.site.change_lines import ChangeDescriber
from prioportal.site.listings import Group, every_kind_first, group_slugs
from prioportal.site.measure_views import (INSTEAD_SHOWN, AssessmentRow, CostTotals, MeasureView, ShownFlag,
                                          assessment_rows, cost_totals)
from prioportal.site.page_history import PageHistory, page_history
from prioportal.site.round_views import Listed, RoundHeading, RoundView, has_follow_up
from prioportal.sources.git_history import History, Unavailable
from prioportal.text.i18n import Formatter, Translator


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
        # Two sector names that differ only in punctuation get slugs of their own.
        slugs = group_slugs(groups, self.language)
        return [Group(slug, name, tuple(groups[name])) for name, slug in slugs.items()]

    @cached_property
    def target_areas(self) -> list[tuple[str, str]]:
        """Each target area a measure names, as (slug, name) in the language's order: a target
        area has no page, but a feed (`urls.target_area_feed`)."""
        slugs = group_slugs((x.target_area for x in self.portal.measures if x.target_area), self.language)
        return [(slug, name) for name, slug in slugs.items()]

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
        """The newest decided round's decisions, in rank order, of every outcome it has: not only
        its highest-ranked measures, which were all funded."""
        # A priority list decides no outcomes: its pairs are guidance, shown on its own pages.
        decided = [r for r in reversed(self.portal.rounds) if r.status.is_decided and not r.is_priority_list]
        if not decided:
            return []
        shown = every_kind_first(self.rounds[decided[0].id].measures,
                                 lambda x: x.outcome.decision if x.outcome else None, limit)
        return [self.measures[x.id] for x in shown]


@dataclass(frozen=True)
class ViewInputs:
    """What the views of every round are made with: the portal (in the tree's language), its
    history, and what is worked out once from them for all rounds."""

    portal: Portal
    tr: Translator
    history: History | Unavailable | None
    describe: ChangeDescriber  # a change in words: in the tree's language, with the criteria's names
    followers: dict[str, m.Measure]  # which measure continues each one (`ranking.successors`)
    flags_by_measure: dict[str, list[ReviewFlag]]  # the review's flags, by the measure they are about
    round_by_id: dict[str, m.Round]
    criteria: dict[str, m.CriteriaSet]  # by id

    def path_of(self, kind: str, ident: str) -> str | None:
        """The file behind the page of a round, a measure or a criteria set (`kind`: "rounds",
        "measures", "criteria"), whose history the page shows."""
        return self.portal.sources.get(f"{kind}:{ident}")


def view_inputs(portal: Portal, tr: Translator, fmt: Formatter, history: History | Unavailable | None) -> ViewInputs:
    criteria = {c.id: c for c in portal.criteria_sets}
    flags_by_measure: dict[str, list[ReviewFlag]] = {}
    for round_flags in portal.review.values():
        for flag in round_flags:
            flags_by_measure.setdefault(flag.measure, []).append(flag)
    return ViewInputs(portal, tr, history, ChangeDescriber(tr, fmt, criteria), successors(list(portal.measures)),
                      flags_by_measure, {r.id: r for r in portal.rounds}, criteria)


def file_history(inputs: ViewInputs, path: str | None) -> PageHistory:
    """The history a page shows of its file (`ViewInputs.path_of`). Its words depend on the
    criteria (their names) as well as on the language."""
    return page_history(inputs.history, path, inputs.describe)


@dataclass(frozen=True)
class RoundToShow:
    """What one round's views are made of, besides what the views of every round share (`ViewInputs`)."""

    index: int  # among the portal's rounds
    round: m.Round
    previous: m.Round | None  # the rounds before and after it in the portal's order, which its pages link to
    next: m.Round | None
    criteria: m.CriteriaSet
    members: list[m.Measure]  # in the portal's order
    before: m.Round | None  # the round it is compared with (`comparisons.previous_round`)
    before_members: list[m.Measure]
    lineages: list[list[m.Measure]]  # each member's versions across rounds, oldest first (`ranking.lineage`)
    flags: list[ReviewFlag] | None  # the review's list for the round: the very list while its flags are the same
    path: str | None  # its file


def round_to_show(inputs: ViewInputs, index: int) -> RoundToShow:
    """What the views of the portal's `index`th round are made of."""
    portal = inputs.portal
    rounds, by_id = portal.rounds, portal.measures_by_id
    rnd = rounds[index]
    members = portal.measures_in(rnd.id)
    before = previous_round(portal, rnd)
    return RoundToShow(
        index, rnd, rounds[index - 1] if index > 0 else None, rounds[index + 1] if index + 1 < len(rounds) else None,
        inputs.criteria[rnd.criteria], members, before, portal.measures_in(before.id) if before is not None else [],
        [lineage(x, by_id, inputs.followers) for x in members], portal.review.get(rnd.id),
        inputs.path_of("rounds", rnd.id))


def round_changes(given: RoundToShow) -> RoundComparison | None:
    """What changed since the round it is compared with; None for a round with none before it."""
    if given.before is None:
        return None
    return compare_rounds(given.before, given.before_members, given.round, given.members)


def round_openness_items(given: RoundToShow, criteria_sets: tuple[m.CriteriaSet, ...]) -> tuple[ChecklistItem, ...]:
    """The round's openness report, given every criteria version (`openness.round_openness`)."""
    return tuple(round_openness(given.round, given.before, criteria_sets, given.members, given.before_members))


# What follows from a measure and its round's criteria alone: its assessment on each criterion,
# its costs, its indicators (`measure_own`).
Own = tuple[list[AssessmentRow], CostTotals, list[IndicatorStatus]]


def measure_own(x: m.Measure, criteria: m.CriteriaSet) -> Own:
    return assessment_rows(x, criteria), cost_totals(x), indicator_statuses(x)


def round_view(given: RoundToShow, ranked_members: list[m.Measure], changes: RoundComparison | None,
               openness: tuple[ChecklistItem, ...], history: PageHistory, heading: RoundHeading, own: list[Own],
               listed: tuple[Listed, ...] | None = None,
               followed_up: list[tuple[m.Measure, list[IndicatorStatus]]] | None = None) -> RoundView:
    """The round's view, from its measures in rank order (`ranking.ranked`), what `measure_own`
    gives for each of them, its page's history and its heading. `listed` and `followed_up` are
    made from those when not given (a preview gives the last build's where they are the same)."""
    if followed_up is None:
        followed_up = [(x, indicators) for x, (_, _, indicators) in zip(ranked_members, own) if has_follow_up(x)]
    return RoundView(
        round=given.round,
        criteria=given.criteria,
        measures=tuple(ranked_members),
        funding=funding_line(given.round, ranked_members),
        previous=given.previous,
        next=given.next,
        changes=changes,
        openness=openness,
        flags=tuple(given.flags or ()),
        history=history,
        heading=heading,
        listed=listed,  # type: ignore[arg-type]  # made by RoundView when None
        followed_up=followed_up,
    )


@dataclass(slots=True)
class MeasureToShow:
    """What one measure's view is made of: a caller that keeps views from one version of a
    portal to the next may keep a measure's while its `sources()` are the very same objects and
    its `values()` are equal. Made for every measure of a round whose views are made again, so
    not frozen: a frozen dataclass of these fields took 4.7 µs to make, this one 0.5 µs."""

    measure: m.Measure
    heading: RoundHeading
    assessments: list[AssessmentRow]
    costs: CostTotals
    indicators: list[IndicatorStatus]
    page_history: PageHistory
    above_line: bool
    instead_shown: tuple[m.Measure, ...]
    instead_count: int
    instead_cost: int
    funding_claim: FundingClaim | None
    instead_claim: OpportunityClaim | None
    extra_needed: int | None
    lineage: list[m.Measure]
    lineage_rounds: tuple[m.Round, ...]  # the round of each
    flags: tuple[ShownFlag, ...]
    moved_to: m.Round | None = None  # the round it moved to, which its page names (continuation)

    def sources(self) -> tuple:
        return (self.measure, self.heading, self.assessments, self.costs, self.indicators, self.page_history,
                *self.instead_shown, *self.lineage, *self.lineage_rounds, self.moved_to)

    def values(self) -> tuple:
        return (self.above_line, self.instead_count, self.instead_cost, len(self.instead_shown), self.flags,
                self.funding_claim, self.instead_claim, self.extra_needed)


def measures_to_show(inputs: ViewInputs, given: RoundToShow, rv: RoundView, own: list[Own],
                     histories: list[PageHistory]) -> list[MeasureToShow]:
    """What each measure's view is made of, in rank order; `own` and `histories` (each one's
    page history) are in that order too."""
    ranked_members = list(rv.measures)
    instead = prioritised_instead_in_round(ranked_members)
    # Each list is the start of the round's funded measures in rank order (the longest list),
    # so what they received together is a running total.
    funded = max(instead.values(), key=len, default=[])
    received = list(accumulate((x.granted for x in funded), initial=0))
    chains = {x.id: chain for x, chain in zip(given.members, given.lineages)}
    budget_frame = given.round.budget_frame
    found = []
    for measure, (assessments, costs, indicators), page in zip(ranked_members, own, histories):
        count = len(instead[measure.id])
        chain = chains[measure.id]
        above_line = rv.rows_by_id[measure.id].above_line
        found.append(MeasureToShow(
            measure, rv.heading, assessments, costs, indicators, page, above_line,
            instead_shown=tuple(instead[measure.id][-INSTEAD_SHOWN:]),
            instead_count=count,
            instead_cost=received[count],
            # What its page may say of the money: the line's claim only below the line, so that
            # a page above it does not change with grants it does not show.
            funding_claim=None if above_line else rv.funding_claim,
            instead_claim=opportunity_claim(budget_frame, received[count], measure.cost_year_1) if count else None,
            extra_needed=rv.extra_needed.get(measure.id),
            lineage=chain,
            lineage_rounds=tuple(inputs.round_by_id[x.round] for x in chain),
            flags=tuple(map(ShownFlag.of, inputs.flags_by_measure.get(measure.id, ()))),
            moved_to=moved_to(inputs, measure),
        ))
    return found


def moved_to(inputs: ViewInputs, measure: m.Measure) -> m.Round | None:
    """The round a measure moved to after its own, where its `continuation` says it did."""
    after = measure.continuation
    return inputs.round_by_id.get(after.round) if after is not None and after.round is not None else None


def measure_view(given: MeasureToShow) -> MeasureView:
    return MeasureView(
        measure=given.measure,
        round=given.heading,
        assessments=given.assessments,
        costs=given.costs,
        above_line=given.above_line,
        instead_shown=given.instead_shown,
        instead_count=given.instead_count,
        instead_cost=given.instead_cost,
        funding_claim=given.funding_claim,
        instead_claim=given.instead_claim,
        extra_needed=given.extra_needed,
        history=list(zip(given.lineage, given.lineage_rounds)),
        indicators=given.indicators,
        flags=given.flags,
        page_history=given.page_history,
        moved_to=given.moved_to,
    )


def round_views(inputs: ViewInputs, given: RoundToShow, changes: RoundComparison | None,
                openness: tuple[ChecklistItem, ...]) -> tuple[RoundView, list[MeasureView]]:
    """The round's view and its measures' (in rank order), given its comparison with the round
    before (`round_changes`) and its openness report (`round_openness_items`)."""
    ranked_members = ranked(given.members)
    own = [measure_own(x, given.criteria) for x in ranked_members]
    rv = round_view(given, ranked_members, changes, openness, file_history(inputs, given.path),
                    RoundHeading(given.round, given.criteria), own)
    histories = [file_history(inputs, inputs.path_of("measures", x.id)) for x in ranked_members]
    return rv, [measure_view(made) for made in measures_to_show(inputs, given, rv, own, histories)]


def portal_view(inputs: ViewInputs, rounds: dict[str, RoundView], measures: dict[str, MeasureView],
                source: SourceInfo, criteria_history: dict[str, PageHistory] | None = None) -> PortalView:
    """The view of the whole portal, holding each round's view and each measure's (by id, round
    after round); `criteria_history` (each criteria set's page history) is made when not given."""
    portal, history, tr = inputs.portal, inputs.history, inputs.tr
    if isinstance(history, Unavailable):
        note = tr.gettext("The history of changes is not available for this build.")
    elif history is not None and history.partial:
        note = tr.gettext("Only the most recent history of changes is available for this build.")
    else:
        note = None
    if criteria_history is None:
        criteria_history = {cs.id: file_history(inputs, inputs.path_of("criteria", cs.id))
                            for cs in portal.criteria_sets}
    return PortalView(
        portal, rounds, measures,
        criteria_changes=criteria_differences(portal),
        criteria_history=criteria_history,
        page_history={p.slug: page_history(history, p.source, inputs.describe) for p in portal.pages},
        source=source,
        history_note=note,
        language=tr.language,
    )


def build_views(portal: Portal, tr: Translator, fmt: Formatter, history: History | Unavailable | None = None,
                source: SourceInfo = SourceInfo(None, None)) -> PortalView:
    """Every view of the portal, made afresh."""
    inputs = view_inputs(portal, tr, fmt, history)
    rounds: dict[str, RoundView] = {}
    measures: dict[str, MeasureView] = {}
    for index in range(len(portal.rounds)):
        given = round_to_show(inputs, index)
        rv, views = round_views(inputs, given, round_changes(given), round_openness_items(given, portal.criteria_sets))
        rounds[given.round.id] = rv
        measures.update((mv.measure.id, mv) for mv in views)
    return portal_view(inputs, rounds, measures, source)
