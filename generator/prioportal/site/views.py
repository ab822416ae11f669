"""What each page shows, computed from the portal and its analyses.

Templates only lay these values out; every decision about what a citizen sees (which
measures were prioritised instead, where the funding line falls, which level a criterion
had) is made here, in plain functions that tests can call.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import cached_property
from itertools import accumulate
from operator import is_
from typing import Any, Callable, Sequence, TypeVar

from prioportal.model import decisions as m
from prioportal.analyses.changes import (Change, CriteriaComparison, ItemId, RoundComparison, compare_rounds, criteria_differences,
                      previous_round)
from prioportal.analyses.followup import IndicatorStatus, indicator_statuses
from prioportal.sources.git_history import FileHistory, History, Unavailable
from prioportal.text.i18n import Formatter, Translator, sort_key
from prioportal.analyses.openness import ChecklistItem, round_openness
from prioportal.checks.portal import Portal
from prioportal.analyses.ranking import FundingLine, FundingRow, funding_line, lineage, prioritised_instead_in_round, ranked, successors
from prioportal.build.reuse import Reuse, reused
from prioportal.analyses.review import FlagKind, ReviewFlag
from prioportal.site.vocabulary import FIELD_LABELS, LABELS

T = TypeVar("T")


@dataclass(frozen=True)
class AssessmentRow:
    criterion: m.Criterion
    level: m.ScaleLevel
    position: int  # 1 = the scale's first (highest) level
    justification: str

    @property
    def scale_size(self) -> int:
        return len(self.criterion.scale)


@dataclass(frozen=True)
class CostTotals:
    year_1: int
    year_2: int
    year_3: int
    years_4_10: int

    @property
    def ten_years(self) -> int:
        return self.year_1 + self.year_2 + self.year_3 + 7 * self.years_4_10


def cost_totals(measure: m.Measure) -> CostTotals:
    return CostTotals(*(sum(getattr(c, f) for c in measure.costs) for f in ("year_1", "year_2", "year_3", "years_4_10")))


def assessment_rows(measure: m.Measure, criteria: m.CriteriaSet) -> list[AssessmentRow]:
    rows = []
    for criterion in criteria.criteria:
        assessment = measure.assessments[criterion.id]
        level = criterion.level(assessment.level)
        position = criterion.scale.index(level) + 1
        rows.append(AssessmentRow(criterion, level, position, assessment.justification))
    return rows


@dataclass(frozen=True)
class ChangeLine:
    """One field of a page that changed in one commit, in the reader's language."""

    field: str
    kind: str  # added, removed, changed
    old: str
    new: str


@dataclass(frozen=True)
class Version:
    day: date
    subject: str
    commit: str
    status: str  # added, modified, deleted, unknown
    lines: tuple[ChangeLine, ...]
    note: str | None


@dataclass(frozen=True)
class PageHistory:
    """When a page was first published and last changed, and what changed in each commit."""

    available: bool
    reason: str | None = None
    complete: bool = True
    first_published: date | None = None
    last_changed: date | None = None
    versions: tuple[Version, ...] = ()  # newest first, the first publication excluded


def _commit_day(iso: str) -> date:
    # The committer's own calendar day, so a page does not change with the build machine's time zone.
    return datetime.fromisoformat(iso).date()


_LONG_TEXT = 160


class ChangeDescriber:
    """Turns field-level changes into lines a citizen can read ("Rank: 5 → 3")."""

    def __init__(self, tr: Translator, fmt: Formatter, criteria: dict[str, m.CriteriaSet]):
        self.tr, self.fmt = tr, fmt
        self.outcome_labels = {t.kind.value: t.label for cs in criteria.values() for t in cs.outcomes}
        self.criterion_names = {c.id: c.name for cs in criteria.values() for c in cs.criteria}
        self.enum_labels = {e.value: tr.gettext(msgid) for e, msgid in LABELS.items()}

    def field(self, path: tuple) -> str:
        parts = []
        for i, element in enumerate(path):
            if isinstance(element, int) and not isinstance(element, bool):
                parts.append(f"#{element + 1}")
            elif i > 0 and path[i - 1] == "assessments":
                parts.append(self.criterion_names.get(str(element), str(element)))
            elif isinstance(element, ItemId):
                parts.append(str(element))
            else:
                parts.append(self.tr.gettext(FIELD_LABELS[element]) if element in FIELD_LABELS else str(element))
        return " › ".join(parts) if parts else self.tr.gettext("The whole page")

    def value(self, path: tuple, value: Any) -> str:
        # An item of a list is named by its list: `type` for `type › #2`.
        name = next((p for p in reversed(path) if not isinstance(p, int)), None)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value) and name in _ENUM_FIELDS:
            return self.fmt.labels([self.value(path, v) for v in value])
        if value is None:
            return "–"
        if isinstance(value, bool):
            return self.tr.gettext("yes") if value else self.tr.gettext("no")
        if isinstance(value, int) and name in ("budget_frame", "granted", "year_1", "year_2", "year_3", "years_4_10"):
            return self.fmt.money(value)
        if isinstance(value, (int, float)):
            return self.fmt.number(value)
        if isinstance(value, str):
            if name == "decision" and value in self.outcome_labels:
                return self.outcome_labels[value]
            if value in self.enum_labels and name in _ENUM_FIELDS:
                return self.enum_labels[value]
            text = " ".join(value.split())
            return text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1].rstrip() + "…"
        return self.tr.gettext("(several fields)")

    def line(self, change: Change) -> ChangeLine:
        return ChangeLine(self.field(change.path), change.kind,
                          self.value(change.path, change.old), self.value(change.path, change.new))


# The fields whose values are of the fixed vocabulary (vocabulary.LABELS).
_ENUM_FIELDS = frozenset({"type", "rationing_type", "status", "purpose", "source", "quality", "kind", "decision",
                          "direction", "need_cause"})


def page_history(history: History | Unavailable | None, path: str | None, describe: ChangeDescriber) -> PageHistory:
    if history is None or path is None:
        return PageHistory(False)
    if isinstance(history, Unavailable):
        return PageHistory(False, history.reason)
    fh: FileHistory | None = history.files.get(path)
    if fh is None or not fh.versions:
        return PageHistory(False, None)
    versions = tuple(
        Version(_commit_day(v.commit.date), v.commit.subject, v.commit.hash[:10], v.status,
                tuple(describe.line(c) for c in (v.changes or ())), v.note)
        for v in fh.previous_versions)
    return PageHistory(
        available=True,
        complete=fh.complete,
        first_published=_commit_day(fh.first_published.date) if fh.first_published else None,
        last_changed=_commit_day(fh.last_changed.date) if fh.last_changed else None,
        versions=versions,
    )


def outcome_label(criteria: m.CriteriaSet, measure: m.Measure) -> str:
    """The outcome in the words of the criteria set the round used."""
    term = criteria.outcome_term(measure.outcome.decision) if measure.outcome else None
    return term.label if term else ""


@dataclass(frozen=True)
class RoundHeading:
    """What a page about one measure shows of its round: the round and the criteria it used, not
    the rest of the ranking, so that an edit to another measure leaves the page as it is (and a
    preview need not render it again)."""

    round: m.Round
    criteria: m.CriteriaSet

    def outcome_label(self, measure: m.Measure) -> str:
        return outcome_label(self.criteria, measure)


@dataclass(frozen=True)
class RoundSummary(RoundHeading):
    """What each page of a round's ranked list shows of the round beside its own rows."""

    previous: m.Round | None
    next: m.Round | None
    total_cost: int  # year 1, all measures
    total_granted: int
    outcome_counts: tuple[tuple[m.OutcomeTerm, int], ...]
    followed_up: bool  # whether any measure has a follow-up plan
    changes_from: m.Round | None  # the round the ranking is compared with
    history: PageHistory


def has_follow_up(x: m.Measure) -> bool:
    """Whether a round's follow-up lists the measure: prioritised, with a follow-up plan."""
    return bool(x.outcome and x.outcome.decision.receives_resources
                and (x.follow_up.indicators or x.follow_up.evaluation))


@dataclass(frozen=True)
class RoundView:
    round: m.Round
    criteria: m.CriteriaSet
    measures: tuple[m.Measure, ...]  # rank order
    funding: FundingLine
    previous: m.Round | None
    next: m.Round | None
    changes: RoundComparison | None = None  # since the previous round
    openness: tuple[ChecklistItem, ...] = ()
    flags: tuple[ReviewFlag, ...] = ()
    history: PageHistory = PageHistory(False)
    # Made from the fields above when not given; a preview gives the last build's where they
    # are the same, so that the pages showing them hold the very same objects. The last two
    # follow from `measures` and `heading`, and are not compared.
    heading: RoundHeading = None  # type: ignore[assignment]
    # The round's measures as listings of many rounds show them.
    listed: tuple[Listed, ...] = field(default=None, compare=False)  # type: ignore[assignment]
    # Prioritised measures with a follow-up plan, in rank order.
    followed_up: list[tuple[m.Measure, list[IndicatorStatus]]] = field(default=None, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.heading is None:
            object.__setattr__(self, "heading", RoundHeading(self.round, self.criteria))
        if self.listed is None:
            object.__setattr__(self, "listed", tuple(Listed(x, self.heading) for x in self.measures))
        if self.followed_up is None:
            object.__setattr__(self, "followed_up", [(x, indicator_statuses(x)) for x in self.measures
                                                     if has_follow_up(x)])

    @cached_property
    def rows_by_id(self) -> dict[str, FundingRow]:
        return {row.measure.id: row for row in self.funding.rows}

    def outcome_label(self, measure: m.Measure) -> str:
        return outcome_label(self.criteria, measure)

    @cached_property
    def by_sector(self) -> dict[str, list[Listed]]:
        """The listed measures by sector, in rank order; kept with the round, like `listed`."""
        groups: dict[str, list[Listed]] = {}
        for item in self.listed:
            groups.setdefault(item.measure.sector, []).append(item)
        return groups

    @cached_property
    def by_outcome(self) -> dict[m.OutcomeKind, list[Listed]]:
        """The listed measures with an outcome, by its kind, in rank order."""
        groups: dict[m.OutcomeKind, list[Listed]] = {}
        for item in self.listed:
            if item.measure.outcome:
                groups.setdefault(item.measure.outcome.decision, []).append(item)
        return groups

    @cached_property
    def summary(self) -> RoundSummary:
        return RoundSummary(self.round, self.criteria, self.previous, self.next, self.funding.total_cost,
                            self.funding.total_granted, tuple(self.outcome_counts), bool(self.followed_up),
                            self.changes.old_round if self.changes else None, self.history)

    @cached_property
    def outcome_counts(self) -> list[tuple[m.OutcomeTerm, int]]:
        counts = []
        for term in self.criteria.outcomes:
            n = sum(1 for x in self.measures if x.outcome and x.outcome.decision is term.kind)
            if n:
                counts.append((term, n))
        return counts

    @property
    def sectors(self) -> list[str]:
        return sorted({x.sector for x in self.measures}, key=str.casefold)


@dataclass(frozen=True)
class ShownFlag:
    """What a measure's page shows of a review flag. Not its description (English, for the
    command line), which names ranks: with it, moving one measure changed the flags, and so
    the pages to render again, of measures whose pages show nothing different."""

    kind: FlagKind
    others: tuple[str, ...]
    explanation: str | None

    explained = ReviewFlag.explained  # the same test, of the same field

    @classmethod
    def of(cls, flag: ReviewFlag) -> "ShownFlag":
        return cls(flag.kind, flag.others, flag.explanation)


@dataclass(frozen=True)
class MeasureView:
    measure: m.Measure
    round: RoundHeading
    assessments: list[AssessmentRow]
    costs: CostTotals
    above_line: bool  # where the funding line put it (its running cost is the ranked list's to show)
    # What was prioritised instead (DOMAIN.md: opportunity cost): the funded measures ranked
    # higher, of which the page lists those just above; counted and added up, not kept, so a
    # change far up the ranking does not change this page unless the count or the sum changes.
    instead_shown: tuple[m.Measure, ...]
    instead_count: int
    instead_cost: int
    history: list[tuple[m.Measure, m.Round]]
    indicators: list[IndicatorStatus]
    flags: tuple[ShownFlag, ...] = ()
    page_history: PageHistory = PageHistory(False)

    @property
    def outcome_term(self) -> m.OutcomeTerm | None:
        outcome = self.measure.outcome
        return self.round.criteria.outcome_term(outcome.decision) if outcome else None

    @property
    def rank_band(self) -> m.RankBand | None:
        rank = self.measure.rank
        return self.round.criteria.rank_scale.band_for(rank) if rank is not None else None

    @property
    def needs_explanation(self) -> bool:
        """Everything but full funding gets a plain 'why' section (DOMAIN.md: deprioritisation is hardest to explain)."""
        outcome = self.measure.outcome
        return outcome is not None and not outcome.decision.is_full_funding

    @property
    def instead_more(self) -> int:
        """Measures prioritised instead that the page does not list."""
        return self.instead_count - len(self.instead_shown)


# The measures ranked just above are listed; a long list would only repeat the ranking.
INSTEAD_SHOWN = 15


def slugify(text: str) -> str:
    """A readable address segment from a sector name: "Helse og omsorg" → "helse-og-omsorg"."""
    text = text.casefold().translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})


@dataclass(frozen=True)
class Listed:
    """A measure as a listing of many shows it: with its round, not with all its page shows."""

    measure: m.Measure
    round: RoundHeading


@dataclass(frozen=True)
class Group:
    """Measures sharing a sector or an outcome, for the browsable index that works without JavaScript."""

    slug: str
    title: str
    measures: tuple[Listed, ...]  # newest round first, then rank order

    def by_round(self) -> list[tuple[m.Round, list[Listed]]]:
        rounds: dict[str, tuple[m.Round, list[Listed]]] = {}
        for item in self.measures:
            rounds.setdefault(item.round.round.id, (item.round.round, []))[1].append(item)
        return list(rounds.values())


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


# --- Listings split into pages ----------------------------------------------------------------
#
# A listing (a round's ranking, its follow-up, a sector's decisions …) is cut into pages of a
# fixed size so that no page grows with the portal. Page 1 keeps the listing's own address;
# page k is at `<listing>/page/<k>/`. A listing that fits on one page is rendered exactly as
# before pagination existed.

# A follow-up entry (heading, indicator table and evaluation) weighs about three ranking rows,
# so the follow-up page holds a third as many measures to stay within the page-weight budget.
FOLLOW_UP_ROWS_PER_ENTRY = 3
_WINDOW = 2  # page numbers shown on each side of the current one before a gap


@dataclass(frozen=True)
class Pagination:
    """Where one page of a listing stands among the listing's pages."""

    base_url: str  # the listing's first page, relative to the site root, e.g. "rounds/x/"
    number: int  # 1-based
    count: int
    start: int  # index of this page's first item in the whole listing
    shown: int  # items on this page
    total: int  # items in the whole listing

    @property
    def first(self) -> int:
        return self.start + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.start + self.shown

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    @property
    def path(self) -> str:
        return self.url(self.number) + "index.html"

    def url(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    def window(self) -> tuple[int | None, ...]:
        """The page numbers to link: the first, the last and those near this one; None marks a gap."""
        near = range(max(1, self.number - _WINDOW), min(self.count, self.number + _WINDOW) + 1)
        numbers = sorted({1, self.count, *near})
        shown: list[int | None] = []
        for n in numbers:
            if shown and n - shown[-1] == 2:  # a gap of one page: show that page, not an ellipsis
                shown.append(n - 1)
            elif shown and n - shown[-1] > 2:
                shown.append(None)
            shown.append(n)
        return tuple(shown)


def paginate(items: Sequence[T], size: int, base_url: str) -> list[tuple[tuple[T, ...], Pagination]]:
    """The items cut into pages of at most `size`; an empty listing still has its one page."""
    size = max(1, size)
    count = max(1, -(-len(items) // size))
    chunks = [tuple(items[i * size:(i + 1) * size]) for i in range(count)]
    return [(chunk, Pagination(base_url, i + 1, count, i * size, len(chunk), len(items)))
            for i, chunk in enumerate(chunks)]


@dataclass(frozen=True)
class RankingPage:
    """One page of a round's ranked list, with the funding line where it falls."""

    rows: tuple[FundingRow, ...]
    line_at: int | None  # the funding line is drawn before rows[line_at]
    all_fit: bool  # every measure fits the frame: the line is drawn after this (the last) page's rows
    line_page: int  # the page on which the funding line is drawn
    above: int  # measures above the funding line in the whole round


def ranking_pages(rv: RoundView, size: int, base_url: str) -> list[tuple[RankingPage, Pagination]]:
    rows = rv.funding.rows
    # The line is drawn once, before the first measure that does not fit (later rows may fit
    # on their own, but the order is the council's priority).
    line = next((i for i, row in enumerate(rows) if not row.above_line), None)
    above = rv.funding.line_after
    pages = paginate(rows, size, base_url)
    line_page = line // max(1, size) + 1 if line is not None else len(pages)
    return [(RankingPage(chunk, line - p.start if p.number == line_page and line is not None else None,
                         line is None and p.number == p.count, line_page, above), p)
            for chunk, p in pages]


def follow_up_pages(rv: RoundView, size: int, base_url: str) -> list[tuple[tuple, Pagination]]:
    return paginate(rv.followed_up, max(1, size // FOLLOW_UP_ROWS_PER_ENTRY), base_url)


def group_pages(group: Group, size: int, base_url: str) -> list[tuple[Group, Pagination]]:
    return [(replace(group, measures=chunk), p) for chunk, p in paginate(group.measures, size, base_url)]


CHANGE_SECTIONS = ("moved_up", "moved_down", "outcome_changed", "new", "dropped")  # in the page's order


def round_change_pages(comparison: RoundComparison, size: int, base_url: str) -> list[tuple[RoundComparison, Pagination]]:
    """The comparison with only each page's share of every section it shows (and nothing of the
    others, so a page changes only with what it shows); the sections follow each other across
    the pages in the order the page shows them."""
    entries = [(name, x) for name in CHANGE_SECTIONS for x in getattr(comparison, name)]
    hidden = {f.name: () for f in fields(comparison)
              if f.name not in CHANGE_SECTIONS and isinstance(getattr(comparison, f.name), tuple)}
    return [(replace(comparison, **hidden, **{name: tuple(x for n, x in chunk if n == name) for name in CHANGE_SECTIONS}), p)
            for chunk, p in paginate(entries, size, base_url)]


def change_totals(comparison: RoundComparison) -> dict[str, int]:
    """How many measures each section of the comparison lists in all, for the headings of every page."""
    return {name: len(getattr(comparison, name)) for name in CHANGE_SECTIONS}


@dataclass(frozen=True)
class OpennessRow:
    """A checklist item with the measures concerned that this page lists."""

    item: ChecklistItem
    elsewhere: tuple[int, ...] = ()  # the other pages that list measures concerned by the item


def openness_pages(items: Sequence[ChecklistItem], size: int,
                   base_url: str) -> list[tuple[tuple[OpennessRow, ...], Pagination]]:
    """Every page shows the whole checklist; the measures concerned are spread over the pages."""
    entries = [(i, ident) for i, item in enumerate(items) for ident in item.measures]
    pages = paginate(entries, size, base_url)
    listed_on: dict[int, list[int]] = {}
    for chunk, p in pages:
        for i in dict.fromkeys(i for i, _ in chunk):
            listed_on.setdefault(i, []).append(p.number)
    return [(tuple(OpennessRow(replace(item, measures=tuple(x for j, x in chunk if j == i)),
                               tuple(n for n in listed_on.get(i, ()) if n != p.number))
                   for i, item in enumerate(items)), p)
            for chunk, p in pages]
