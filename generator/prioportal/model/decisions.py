"""The typed domain model: what a criteria set, a round and a measure are.

The field names and descriptions here are the contract with communicators: the JSON Schemas
their editors use are generated from these classes, and validation messages quote the
descriptions when they say what to write. Terms follow the domain model (DOMAIN.md):
criteria and their scales are data; the fixed vocabulary of the sources (outcomes, rationing
types, round purposes, evaluation decisions) is in `model/codes.py`, the values files are made
of (ids, dates, amounts, texts) in `model/values.py`; both are read through this module too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Annotated, Any, Callable, get_args, get_type_hints

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from prioportal.model.codes import (  # noqa: F401 - the model's values, read as decisions.X across the package
    OutcomeKind, RationingType, RoundPurpose, RoundStatus, MilestoneStatus, MeasureType, _one_or_more, _each_once,
    _as_written, MeasureTypes, NeedCause, CostKind, EvidenceQuality, InputSource, RoundKind, EvaluationDecision,
    DisqualificationRuling, ContinuationStatus)
from prioportal.model.kinds import OmitsUnused, not_for_this_kind, unless_not_for_this_kind
from prioportal.model.small_numbers import Measured, suppressing
from prioportal.text.i18n import N_
from prioportal.model.values import (  # noqa: F401 - the model's values, read as decisions.X across the package
    SLUG_PATTERN, SLUG_RE, _ISO_DATE_RE, _AMOUNT_SEPARATORS, _parse_iso_date, _parse_amount, _check_slug, IsoDate,
    Amount, Slug, LANGUAGE_RE, _text, LocalizedText, Text, ShortText, SummaryText, Url, Strict, _restore)


class TopLevel(Strict):
    """Fields every decision file may have."""

    personal_data_allowed: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list,
        description=N_("Numbers or names the personal-data check may let through in this file, because they are "
                       "not about a person (e.g. an organisation number that looks like an identity number)"))


# --- Criteria set -----------------------------------------------------------------------


class Principle(Strict):
    id: Slug = Field(description=N_("Short id, e.g. likhet"))
    name: ShortText = Field(description=N_("The principle's name as citizens read it"))
    description: Text = Field(description=N_("What the principle means, in plain language"))


class ScaleLevel(Strict):
    id: Slug = Field(description=N_("Id used in assessments, e.g. stor"))
    label: ShortText = Field(description=N_("The level's name, e.g. Stor"))
    description: Text = Field(description=N_("What this level means, in plain language"))


class Criterion(Strict):
    id: Slug = Field(description=N_("Id used in assessments, e.g. nytte"))
    name: ShortText = Field(description=N_("The criterion's name, e.g. Nytte"))
    question: ShortText = Field(description=N_("The question the criterion answers"))
    description: Text = Field(description=N_("What the criterion means, in plain language"))
    scale: list[ScaleLevel] = Field(
        min_length=2, description=N_("Levels in order: first the one that speaks most for giving a measure priority, last the one that speaks least"))

    def level(self, level_id: str) -> ScaleLevel | None:
        return next((lvl for lvl in self.scale if lvl.id == level_id), None)


class RankBand(Strict):
    ranks: Annotated[list[int], Field(min_length=2, max_length=2)] = Field(
        description=N_("First and last rank of the band, e.g. [1, 3]"))
    meaning: Text = Field(description=N_("What a rank in this band means for the reader"))


class RankScale(Strict):
    highest: int = Field(default=1, description=N_("The rank given to the highest priority"))
    lowest: int = Field(default=10, description=N_("The rank given to the lowest priority"))
    description: Text = Field(description=N_("What the rank scale means, in plain language"))
    bands: list[RankBand] = Field(default_factory=list,
                                  description=N_("Optional plain-language meaning of rank ranges"))

    def band_for(self, rank: int) -> RankBand | None:
        return next((b for b in self.bands if b.ranks[0] <= rank <= b.ranks[1]), None)


class Recommendation(Strict):
    id: Slug = Field(description=N_("Id the pairs of a priority list use, e.g. icke-gora"))
    label: ShortText = Field(description=N_("The recommendation's name, e.g. Icke-göra"))
    description: Text = Field(description=N_("What the recommendation means for the reader, in plain language"))


class AffectedGroup(Strict):
    id: Slug = Field(description=N_("Id the consequences use, e.g. barn-og-unge"))
    name: ShortText = Field(description=N_("The group's name as citizens read it, e.g. Barn og unge"))
    description: Text | None = Field(default=None, description=N_("Who belongs to the group, in plain language"))


class OutcomeTerm(Strict):
    kind: OutcomeKind = Field(description=N_("Which outcome this is"))
    label: ShortText = Field(description=N_("What the portal calls this outcome"))
    description: Text = Field(description=N_("What this outcome means for the people affected"))


class CriteriaSet(TopLevel):
    id: Slug = Field(description=N_("Id of this version, e.g. kriterier-2026"))
    title: ShortText = Field(description=N_("Title shown on the criteria page"))
    version: int = Field(ge=1, description=N_("1 for the first version, then 2, 3, ..."))
    valid_from: IsoDate = Field(description=N_("Date from which this version applies"))
    previous: Slug | None = Field(
        default=None, description=N_("Id of the version this one replaces (every version after the first)"))
    change_note: Text | None = Field(
        default=None, description=N_("What changed from the previous version, and why"))
    introduction: Text | None = Field(default=None, description=N_("Markdown introduction"))
    principles: list[Principle] = Field(min_length=1, description=N_("The principles the criteria rest on"))
    criteria: list[Criterion] = Field(min_length=1, description=N_("The criteria every measure is assessed on"))
    rank_scale: RankScale = Field(description=N_("What the ranks mean"))
    outcomes: list[OutcomeTerm] = Field(min_length=1, description=N_("The outcome vocabulary"))
    recommendations: list[Recommendation] = Field(
        default_factory=list,
        description=N_("What a priority list may say of a pair instead of a rank, e.g. icke-gora (should not be "
                       "done) or fou (only within research and development)"))
    affected_groups: list[AffectedGroup] = Field(
        default_factory=list,
        description=N_("The groups whose consequences the portal shows on a page of their own (children and young "
                       "people, the elderly, persons with disabilities, relatives, staff …); a measure's consequences "
                       "name them by id"))

    _omitted_when_default = frozenset({"recommendations", "affected_groups"})

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def recommendation(self, recommendation_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == recommendation_id), None)

    def outcome_term(self, kind: OutcomeKind) -> OutcomeTerm | None:
        return next((o for o in self.outcomes if o.kind is kind), None)

    def affected_group(self, group_id: str) -> AffectedGroup | None:
        return next((g for g in self.affected_groups if g.id == group_id), None)


# --- Round ------------------------------------------------------------------------------


class Link(Strict):
    title: ShortText = Field(description=N_("The link text"))
    url: Url = Field(description=N_("Address, starting with https://"))


class Milestone(Strict):
    title: ShortText = Field(description=N_("What happens, e.g. Innspillsmøte"))
    date: IsoDate = Field(description=N_("When (YYYY-MM-DD)"))
    end_date: IsoDate | None = Field(default=None, description=N_("Last day, if it spans several days"))
    status: MilestoneStatus = Field(description=N_("done, current or upcoming"))
    description: Text | None = Field(default=None, description=N_("What happens and who takes part"))
    input_deadline: bool = Field(default=False, description=N_("true if this is a deadline for inputs"))
    links: list[Link] = Field(default_factory=list, description=N_("Related documents or meetings"))


class Statement(Strict):
    who: ShortText = Field(description=N_("Who: a party, a group or a named member, e.g. Senterpartiet"))
    text: Text = Field(description=N_("What they had entered in the minutes (Markdown)"))


Count = Annotated[int, Field(ge=0, le=100_000)]


class Vote(Strict):
    in_favour: Count | None = Field(default=None, description=N_("How many voted for"))
    against: Count | None = Field(default=None, description=N_("How many voted against"))
    abstained: Count | None = Field(default=None, description=N_("How many abstained"))
    unanimous: bool = Field(default=False, description=N_("true if the decision was unanimous"))


class MeasureVote(Vote):
    measure: Slug = Field(description=N_("Id of the measure voted on separately"))
    dissents: list[Statement] = Field(default_factory=list, description=N_("Dissent on this vote"))
    remarks: list[Statement] = Field(default_factory=list, description=N_("Remarks to the minutes on this vote"))


class Disqualification(Strict):
    person: ShortText = Field(description=N_("The decision-maker's name (an elected official's name is public)"))
    role: ShortText | None = Field(default=None, description=N_("Their role, e.g. member of the council (Sp)"))
    measure: Slug | None = Field(
        default=None, description=N_("Id of the measure it concerns; left out when it concerns the whole decision"))
    reason: Text = Field(description=N_("What the interest is, e.g. owns land along the route"))
    ruling: DisqualificationRuling = Field(description=N_("disqualified or not_disqualified, as the body decided"))


class DecisionRecord(Strict):
    body: ShortText = Field(description=N_("Who decided, e.g. Kommunestyret"))
    meeting_date: IsoDate = Field(description=N_("Date of the meeting (YYYY-MM-DD)"))
    case_number: ShortText = Field(description=N_("Case number, e.g. 2025/1432"))
    minutes_url: Url | None = Field(default=None, description=N_("Link to the minutes"))
    # Who decided, and whether they were impartial (DOMAIN.md: upartiskhet), as the minutes record it.
    vote: Vote | None = Field(default=None, description=N_("The vote on the decision as a whole"))
    dissents: list[Statement] = Field(
        default_factory=list, description=N_("Dissent (dissens, reservation): who voted against and had why entered in the minutes"))
    remarks: list[Statement] = Field(
        default_factory=list, description=N_("Remarks to the minutes (protokolltilførsel, protokollsanteckning)"))
    separate_votes: list[MeasureVote] = Field(
        default_factory=list, description=N_("Votes on single measures, where the body voted on them separately"))
    disqualifications: list[Disqualification] = Field(
        default_factory=list, description=N_("Declarations of interest and disqualification (inhabilitet, jäv)"))

    _omitted_when_default = frozenset({"vote", "dissents", "remarks", "separate_votes", "disqualifications"})

    def vote_on(self, measure_id: str) -> MeasureVote | None:
        """The separate vote on a measure, if the body voted on it separately."""
        return next((v for v in self.separate_votes if v.measure == measure_id), None)

    def disqualifications_for(self, measure_id: str) -> list[Disqualification]:
        return [d for d in self.disqualifications if d.measure == measure_id]

    @property
    def recorded_in_detail(self) -> bool:
        """Whether the record says more than who decided when: a vote, statements, declarations."""
        return bool(self.vote or self.dissents or self.remarks or self.separate_votes or self.disqualifications)


# What a priority list does without: it distributes no money.
NOT_FOR_PRIORITY_LISTS = ("purpose", "budget_frame")


class Round(TopLevel):
    id: Slug = Field(description=N_("Id of the round, e.g. budsjett-2026"))
    year: int = Field(ge=1900, le=2200, description=N_("The budget year"))
    title: ShortText = Field(description=N_("Title, e.g. Budsjett 2026"))
    kind: RoundKind = Field(
        default=RoundKind.budget,
        description=N_("budget (the default: a budget frame, ranked measures and a funding line) or priority_list "
                       "(ranked pairs of a condition and a measure for one service, without a budget frame)"))
    service: ShortText | None = Field(
        default=None, description=N_("For a priority list: the service or profession it is for, e.g. Habilitering"))
    purpose: Annotated[RoundPurpose, unless_not_for_this_kind(None)] = Field(
        description=N_("new_resources, reduced_resources or reallocated_resources"))
    criteria: Slug = Field(description=N_("Id of the criteria version used in this round"))
    budget_frame: Annotated[Amount, unless_not_for_this_kind(None)] = Field(
        description=N_("The money available, in whole kroner"))
    status: RoundStatus = Field(
        description=N_("preparation, consultation, decided, follow_up or evaluated"))
    summary: Text = Field(description=N_("What this round is about, in plain language (Markdown)"))
    previous: Slug | None = Field(default=None, description=N_("Id of the previous round"))
    change_note: Text | None = Field(
        default=None, description=N_("For a revised priority list: what changed from the previous version, and why"))
    milestones: list[Milestone] = Field(default_factory=list, description=N_("The annual cycle"))
    decision: DecisionRecord | None = Field(
        default=None, description=N_("Who decided, when, and where the minutes are"))

    _omitted_when_default = frozenset({"kind", "service", "change_note"})

    @model_validator(mode="before")
    @classmethod
    def _priority_list_has_no_budget(cls, data: Any) -> Any:
        # Only a priority list does without a purpose and a frame; a kind written wrongly is
        # reported as such, not as two fields missing besides.
        if isinstance(data, dict) and "kind" in data and data["kind"] != RoundKind.budget.value:
            return not_for_this_kind(data, NOT_FOR_PRIORITY_LISTS)
        return data

    @property
    def is_priority_list(self) -> bool:
        return self.kind is RoundKind.priority_list

    @property
    def order_key(self) -> tuple:
        """Chronological order of rounds: by year, then by the decision date, so that a June
        investment round comes before the November budget of the same year."""
        decided = self.decision.meeting_date if self.decision else date.max
        return (self.year, decided, self.id)


# --- Measure ----------------------------------------------------------------------------


class Situation(Strict):
    current_state: Text = Field(description=N_("How things are now"))
    goal: Text = Field(description=N_("The goal or law the situation falls short of"))


class Proposal(Strict):
    description: Text = Field(description=N_("What the measure does"))
    alternative: Text = Field(description=N_("What it is compared with, often current practice"))


class Assessment(Strict):
    level: Slug = Field(description=N_("Id of a level on the criterion's scale"))
    justification: Text = Field(description=N_("Why this level, in plain language"))


class Source(Strict):
    title: ShortText = Field(description=N_("Name of the report, study or data source"))
    url: Url | None = Field(default=None, description=N_("Where to read it"))
    quality: EvidenceQuality = Field(description=N_("high, moderate or low"))
    note: Text | None = Field(default=None, description=N_("What it shows"))


class CostLine(Strict):
    description: ShortText = Field(description=N_("What the money is for"))
    kind: CostKind = Field(description=N_("one_off or recurring"))
    year_1: Amount = Field(default=0, description=N_("Cost in year 1, in kroner"))
    year_2: Amount = Field(default=0, description=N_("Cost in year 2, in kroner"))
    year_3: Amount = Field(default=0, description=N_("Cost in year 3, in kroner"))
    years_4_10: Amount = Field(default=0, description=N_("Cost per year in years 4 to 10, in kroner"))


class Consequences(Strict):
    affected: Text = Field(description=N_("Who is affected"))
    description: Text = Field(description=N_("How they are affected"))
    mitigation: Text | None = Field(default=None, description=N_("What is done to soften it"))
    groups: list[Slug] = Field(
        default_factory=list, description=N_("Ids of the affected groups of the round's criteria these consequences "
                                             "concern, e.g. [barn-og-unge, parorende]"))

    _omitted_when_default = frozenset({"groups"})


class Outcome(Strict):
    decision: OutcomeKind = Field(description=N_("The outcome, e.g. funded or deprioritised"))
    rationing_type: RationingType | None = Field(
        default=None, description=N_("For rationed: structure, process or result"))
    granted: Amount | None = Field(default=None, description=N_("Amount granted in year 1, in kroner"))
    rationale: Text | None = Field(default=None, description=N_("Why (Markdown)"))
    consequences: Consequences | None = Field(default=None, description=N_("Who is affected, and how"))


class Input(Strict):
    source: InputSource = Field(description=N_("Who gave the input, e.g. elderly_council"))
    name: ShortText = Field(description=N_("Name of the council, group or organisation"))
    date: IsoDate = Field(description=N_("When it was received"))
    summary: Text = Field(description=N_("What they said"))
    consideration: Text = Field(description=N_("How the input was considered"))


class Direction(str, Enum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


class Indicator(Strict):
    id: Slug = Field(description=N_("Short id used by results"))
    name: ShortText = Field(description=N_("What is measured"))
    unit: ShortText = Field(description=N_("Unit, e.g. prosent or antall"))
    # A measured value: published as "fewer than 5" where it counts a few persons (model/small_numbers.py).
    baseline: Measured = Field(description=N_("Value before the measure"))
    target: float = Field(description=N_("The value aimed for"))
    direction: Direction | None = Field(
        default=None, description=N_("higher_is_better or lower_is_better; needed when a rationing target is "
                                     "lower than the baseline on purpose (default: from baseline towards target)"))
    due: IsoDate = Field(description=N_("When the target should be met"))
    responsible: ShortText = Field(description=N_("Who follows it up"))
    counts_persons: bool | None = Field(
        default=None, description=N_("true if the values count persons (users, children on a waiting list): a "
                                     "baseline or result below the portal's small-number threshold is then published "
                                     "as 'fewer than 5'; false if a unit that names persons counts something else. "
                                     "Left out, the unit decides (personer, brukere, barn … count persons)"))

    _omitted_when_default = frozenset({"counts_persons"})


class FollowUpResult(Strict):
    indicator: Slug = Field(description=N_("Id of the indicator"))
    period: ShortText = Field(description=N_("Period, e.g. 2025 or 1. halvår 2025"))
    value: Measured = Field(description=N_("The measured value"))
    comment: Text | None = Field(default=None, description=N_("What the value means"))


class Evaluation(Strict):
    decision: EvaluationDecision = Field(description=N_("continue, correct or stop"))
    date: IsoDate = Field(description=N_("When it was decided"))
    reason: Text = Field(description=N_("Why"))


class FollowUp(Strict):
    indicators: list[Indicator] = Field(default_factory=list, description=N_("What will be measured"))
    results: list[FollowUpResult] = Field(default_factory=list, description=N_("What was measured"))
    evaluation: Evaluation | None = Field(default=None, description=N_("Continue, correct or stop"))


class Continuation(Strict):
    status: ContinuationStatus = Field(description=N_("ordinary_operation, completed, stopped or moved"))
    round: Slug | None = Field(default=None, description=N_("For moved: the id of the round it moved to"))
    note: Text | None = Field(default=None, description=N_("What happened, in plain language"))


class ReviewNotes(Strict):
    dominated: Text | None = Field(
        default=None,
        description=N_("Why this measure is ranked below a measure that was assessed the same or worse on every criterion"))
    treated_differently: Text | None = Field(
        default=None,
        description=N_("Why this measure was treated differently from a measure assessed the same in another sector"))
    assessment_changed: Text | None = Field(
        default=None, description=N_("Why the assessment changed from the previous round"))


# What a pair of a priority list (a measure with `condition:`) does without: the list's service
# and the pair's condition group say where it belongs, and the condition what it answers.
NOT_FOR_PAIRS = ("sector", "service_area", "type", "situation")


class Measure(TopLevel):
    id: Slug = Field(description=N_("Permanent id, used in the page address"))
    round: Slug = Field(description=N_("Id of the round"))
    title: ShortText = Field(description=N_("Short title"))
    summary: SummaryText = Field(
        description=N_("Two or three plain sentences a citizen understands"))
    easy_read: SummaryText | None = Field(
        default=None, description=N_("An easy-read summary (lettlest, lättläst): short sentences and everyday words, "
                                     "shown first on the measure's page"))
    condition: ShortText | None = Field(
        default=None, description=N_("For a pair of a priority list: the health condition (or situation) the measure "
                                     "is for, e.g. Barn med cerebral pares och risk för höftluxation"))
    condition_group: ShortText | None = Field(
        default=None, description=N_("For a pair of a priority list: the group of conditions it belongs to, e.g. "
                                     "Barn med cerebral pares"))
    sector: Annotated[ShortText, unless_not_for_this_kind(None)] = Field(
        description=N_("Sector or committee, e.g. Helse og omsorg"))
    service_area: Annotated[ShortText, unless_not_for_this_kind(None)] = Field(
        description=N_("Service area, e.g. Hjemmetjenester"))
    target_area: ShortText | None = Field(default=None, description=N_("Target area (målområde)"))
    focus_area: ShortText | None = Field(
        default=None, description=N_("Focus area (fokusområde), if the municipality uses them"))
    type: Annotated[MeasureTypes, unless_not_for_this_kind(())] = Field(
        description=N_("new_need, ambition_increase, efficiency, rationing, saving or investment; "
                       "a list when the measure is of several types, e.g. [efficiency, rationing]"))
    need_cause: NeedCause | None = Field(
        default=None, description=N_("Why the need arises: volume_demography, labour_shortage, ambition_increase, "
                                     "processes_methods or price_increase"))
    situation: Annotated[Situation, unless_not_for_this_kind(None)] = Field(
        description=N_("The situation the measure answers"))
    proposal: Proposal = Field(description=N_("The measure and what it is compared with"))
    long_term_effect: Text | None = Field(default=None, description=N_("The effect in the longer term"))
    assessments: dict[Slug, Assessment] = Field(
        description=N_("One assessment per criterion, keyed by criterion id"))
    knowledge_base: list[Source] = Field(default_factory=list, description=N_("Sources"))
    costs: list[CostLine] = Field(default_factory=list, description=N_("Costs per year"))
    rank: int | None = Field(default=None, description=N_("Rank on the round's scale, 1 = highest"))
    recommendation: Slug | None = Field(
        default=None, description=N_("For a pair of a priority list without a rank: the id of a recommendation of "
                                     "the round's criteria, e.g. icke-gora"))
    outcome: Outcome | None = Field(default=None, description=N_("The decision"))
    inputs: list[Input] = Field(default_factory=list, description=N_("Inputs received"))
    follow_up: FollowUp = Field(default_factory=FollowUp, description=N_("Follow-up plan and results"))
    continuation: Continuation | None = Field(
        default=None, description=N_("What became of the measure when it is not in the next round"))
    previous: Slug | None = Field(
        default=None, description=N_("Id of the same measure in an earlier round"))
    former_ids: list[Slug] = Field(
        default_factory=list, description=N_("Ids this measure had before; their addresses lead here"))
    review_notes: ReviewNotes | None = Field(
        default=None, description=N_("Written reasons for what the consistency review flags; published with the flag"))
    # Kept in the file, where a save through the editor keeps it too (a YAML comment it drops);
    # `exclude` keeps it out of every dump, so of open data and the comparisons, and
    # `NEVER_PUBLISHED` out of the file's history.
    internal_note: Annotated[str, Field(min_length=1, max_length=20_000)] | None = Field(
        default=None, exclude=True,
        description=N_("A note kept with the file for the people who prepare decisions, e.g. the ranking table's "
                       "Kommentar; never published"))

    _omitted_when_default = frozenset({"condition", "condition_group", "recommendation", "easy_read", "continuation"})

    @model_validator(mode="before")
    @classmethod
    def _pair_has_no_sector(cls, data: Any) -> Any:
        if isinstance(data, dict) and "condition" in data:
            return not_for_this_kind(data, NOT_FOR_PAIRS)
        return data

    @property
    def is_pair(self) -> bool:
        """Whether this is a pair of a condition and a measure, as a priority list ranks them."""
        return self.condition is not None

    @property
    def cost_year_1(self) -> int:
        return sum(line.year_1 for line in self.costs)

    @property
    def granted(self) -> int:
        if self.outcome is None:
            return 0
        if self.outcome.granted is not None:
            return self.outcome.granted
        return self.cost_year_1 if self.outcome.decision.is_full_funding else 0


# Fields of a decision file that nothing published shows: not its pages, open data, feeds or
# history. `as_published` leaves them out of every earlier version the history compares.
NEVER_PUBLISHED = ("internal_note",)


def as_published(threshold: int) -> Callable[[str, Any], Any]:
    """The `prepare` of `read_history`: each earlier version of a file as the portal publishes it,
    without the fields never published and with the small numbers suppressed."""
    suppress = suppressing(threshold)

    def prepare(path: str, data: Any) -> Any:
        if isinstance(data, dict) and any(name in data for name in NEVER_PUBLISHED):
            data = {k: v for k, v in data.items() if k not in NEVER_PUBLISHED}
        return suppress(path, data)
    return prepare


KIND_MODELS: dict[str, type[Strict]] = {
    "criteria": CriteriaSet,
    "rounds": Round,
    "measures": Measure,
}


def group_by_round(measures: Iterable[Measure]) -> dict[str, list[Measure]]:
    """The measures by the id of their round, each round's in the order given."""
    groups: dict[str, list[Measure]] = {}
    for x in measures:
        groups.setdefault(x.round, []).append(x)
    return groups


def _models(model: type[Strict]) -> Iterable[type[Strict]]:
    yield model
    for sub in model.__subclasses__():
        yield from _models(sub)


def _mentions(annotation: Any, wanted: Callable[[Any], bool]) -> bool:
    return wanted(annotation) or any(_mentions(arg, wanted) for arg in get_args(annotation))


def _field_names(wanted: Callable[[Any], bool]) -> frozenset[str]:
    return frozenset(name for model in _models(Strict)
                     for name, hint in get_type_hints(model, include_extras=True).items()
                     if name in model.model_fields and _mentions(hint, wanted))


# Which fields hold amounts in kroner, which a value of the fixed vocabulary, and which a date,
# as the model declares them: formats, labels and spreadsheet columns follow from these, never
# from a list.
AMOUNT_FIELDS = _field_names(lambda t: t == Amount or any(getattr(meta, "func", None) is _parse_amount
                                                         for meta in getattr(t, "__metadata__", ())))
ENUM_FIELDS = _field_names(lambda t: isinstance(t, type) and issubclass(t, Enum))
DATE_FIELDS = _field_names(lambda t: t is date)
