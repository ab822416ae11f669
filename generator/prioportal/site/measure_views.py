"""What a measure's page shows: its assessment on each criterion, its costs, where the funding
line put it, what was prioritised instead (DOMAIN.md: opportunity cost), its earlier and later
versions in other rounds, its indicators and the review's flags (`MeasureView`)."""

from __future__ import annotations

from dataclasses import dataclass

from prioportal.analyses.followup import IndicatorStatus
from prioportal.analyses.funding_claims import FundingClaim, OpportunityClaim
from prioportal.analyses.review import FlagKind, ReviewFlag
from prioportal.model import decisions as m
from prioportal.site.charts import IndicatorChart, indicator_chart
from prioportal.site.page_history import PageHistory
from prioportal.site.round_views import RoundHeading
from prioportal.site.voices import BY_KIND, input_anchors, source_slug


@dataclass(frozen=True)
class AssessmentRow:
    criterion: m.Criterion
    level: m.ScaleLevel
    position: int  # 1 = the scale's first level, the one that speaks most for giving a measure priority
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
    # What the page may say of the money (analyses/funding_claims.py): of the funding line, for a
    # measure below it (nothing above it), and of what was prioritised instead (nothing if none was).
    funding_claim: FundingClaim | None
    instead_claim: OpportunityClaim | None
    # For a ranked measure below the line, how much more money the round would have needed to
    # fund it in rank order (analyses/what_if.py); nothing above the line.
    extra_needed: int | None
    history: list[tuple[m.Measure, m.Round]]
    indicators: list[IndicatorStatus]
    flags: tuple[ShownFlag, ...] = ()
    page_history: PageHistory = PageHistory(False)
    # The round a measure moved to after its own (`continuation: {status: moved, round: …}`), to name it.
    moved_to: m.Round | None = None

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

    @property
    def inputs(self) -> list[tuple[m.Input, str, str, bool]]:
        """Each input with its anchor on this page, the address segment of its source's page
        (`site.voices`: input_anchors, source_slug), and whether that page is named by the
        source's kind (a statutory council, single persons) rather than by the input's name."""
        x = self.measure
        return [(given, anchor, source_slug(given), given.source in BY_KIND)
                for given, anchor in zip(x.inputs, input_anchors(x))]

    @property
    def indicator_charts(self) -> list[IndicatorChart]:
        """A chart of each indicator measured, its results against its baseline and target."""
        return [chart for chart in map(indicator_chart, self.indicators) if chart is not None]


# The measures ranked just above are listed; a long list would only repeat the ranking.
INSTEAD_SHOWN = 15
