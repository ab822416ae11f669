"""The typed domain model: what a criteria set, a round and a measure are.

The field names and descriptions here are the contract with communicators: the JSON Schemas
their editors use are generated from these classes, and validation messages quote the
descriptions when they say what to write. Terms follow the domain model (DOMAIN.md):
criteria and their scales are data, the categories below are the fixed vocabulary of the
sources (outcomes, rationing types, round purposes, evaluation decisions).
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from collections.abc import Iterable
from typing import Annotated, Any, Callable, get_args, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
)
from pydantic_core import PydanticCustomError

from prioportal.text.i18n import N_

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"
SLUG_RE = re.compile(SLUG_PATTERN)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMOUNT_SEPARATORS = str.maketrans("", "", " \u00a0\u202f_")


def _parse_iso_date(value: Any) -> Any:
    # Only ISO dates: a bare number would otherwise be read as a Unix timestamp (1970),
    # and "31.02.2026" must fail with advice rather than be guessed at.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value.strip()):
        raise PydanticCustomError("iso_date", "not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("iso_date_range", "no such day in the calendar") from None


def _parse_amount(value: Any) -> Any:
    # Communicators copy amounts from council papers as "1 200 000".
    if isinstance(value, str):
        cleaned = value.translate(_AMOUNT_SEPARATORS)
        if re.fullmatch(r"-?\d+", cleaned):
            return int(cleaned)
        raise PydanticCustomError("amount", "not an amount in whole kroner")
    if isinstance(value, bool):
        raise PydanticCustomError("amount", "not an amount in whole kroner")
    if isinstance(value, float):
        # "400.000" in YAML is the number 400.0: a thousands separator, not decimals.
        raise PydanticCustomError("amount", "not an amount in whole kroner")
    return value


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise PydanticCustomError("slug", "not a valid id")
    return value


IsoDate = Annotated[date, BeforeValidator(_parse_iso_date)]
Amount = Annotated[int, BeforeValidator(_parse_amount), Field(ge=-10**12, le=10**12)]
Slug = Annotated[str, AfterValidator(_check_slug)]
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


def _text(max_length: int):
    """A free text: one text, or one per language (`nb: ...`, `en: ...`) on a multilingual portal."""
    def check(value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # "period: 2025" means the text 2025
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PydanticCustomError("text_empty", "empty")
            if len(value) > max_length:
                raise PydanticCustomError("text_too_long", "longer than {max} characters", {"max": max_length})
            return value
        if isinstance(value, dict) and value:
            texts = {}
            for key, text in value.items():
                if not isinstance(key, str) or not LANGUAGE_RE.match(key):
                    raise PydanticCustomError("text_language", "'{key}' is not a language code", {"key": str(key)})
                texts[key] = check(text)
            return texts
        if value is None:
            raise PydanticCustomError("text_empty", "empty")
        raise PydanticCustomError("text_type", "not a text")
    return check


LocalizedText = str | dict[str, str]
Text = Annotated[LocalizedText, BeforeValidator(_text(20_000))]
ShortText = Annotated[LocalizedText, BeforeValidator(_text(300))]
SummaryText = Annotated[LocalizedText, BeforeValidator(_text(1200))]
Url = Annotated[str, Field(pattern=r"^(https?://|mailto:|/)\S+$", max_length=2000)]


class Strict(BaseModel):
    # Numbers are accepted where text is expected: "period: 2025" means the text 2025.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True)

    def __reduce__(self) -> tuple:
        # Validated files come back from the workers pickled, some 165 000 models at 10 000
        # measures. pydantic's own state takes a dict of four entries and four setattr calls
        # to restore each; the fields and the set of those given are all a Strict model has.
        return _restore, (type(self), self.__dict__, self.__pydantic_fields_set__)


def _restore(cls: type[Strict], fields: dict[str, Any], fields_set: set[str]) -> Strict:
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


# --- Fixed vocabulary -------------------------------------------------------------------


class OutcomeKind(str, Enum):
    funded = "funded"
    partly_funded = "partly_funded"
    rationed = "rationed"
    efficiency = "efficiency"
    deprioritised = "deprioritised"
    discontinued = "discontinued"
    postponed = "postponed"

    @property
    def is_full_funding(self) -> bool:
        return self is OutcomeKind.funded

    @property
    def receives_resources(self) -> bool:
        return self in (OutcomeKind.funded, OutcomeKind.partly_funded,
                        OutcomeKind.rationed, OutcomeKind.efficiency)


class RationingType(str, Enum):
    structure = "structure"
    process = "process"
    result = "result"


class RoundPurpose(str, Enum):
    new_resources = "new_resources"
    reduced_resources = "reduced_resources"
    reallocated_resources = "reallocated_resources"


class RoundStatus(str, Enum):
    preparation = "preparation"
    consultation = "consultation"
    decided = "decided"
    follow_up = "follow_up"
    evaluated = "evaluated"

    @property
    def is_decided(self) -> bool:
        return self in (RoundStatus.decided, RoundStatus.follow_up, RoundStatus.evaluated)


class MilestoneStatus(str, Enum):
    done = "done"
    current = "current"
    upcoming = "upcoming"


class MeasureType(str, Enum):
    new_need = "new_need"
    ambition_increase = "ambition_increase"
    efficiency = "efficiency"
    rationing = "rationing"
    saving = "saving"
    investment = "investment"


def _one_or_more(value: Any) -> Any:
    # One type is written as a value, several as a list: the Swedish summary tool's
    # "Effektivisering/Ransonering" is a measure that is both.
    return value if isinstance(value, list) else [value]


def _each_once(values: tuple) -> tuple:
    if not values:
        raise PydanticCustomError("too_short", "at least 1 item")
    if len(set(values)) != len(values):
        raise PydanticCustomError("repeated_item", "a value is listed twice")
    return values


def _as_written(values: tuple) -> Any:
    # Open data and histories show a single type as the plain value it was before lists were allowed.
    return values[0].value if len(values) == 1 else [v.value for v in values]


MeasureTypes = Annotated[
    tuple[MeasureType, ...],
    BeforeValidator(_one_or_more, json_schema_input_type=MeasureType | Annotated[
        list[MeasureType], Field(min_length=1, json_schema_extra={"uniqueItems": True})]),
    AfterValidator(_each_once),
    PlainSerializer(_as_written),
]


class NeedCause(str, Enum):
    """Why the need arises (orsak till behov), from the cross-committee summary tool."""

    volume_demography = "volume_demography"
    labour_shortage = "labour_shortage"
    ambition_increase = "ambition_increase"
    processes_methods = "processes_methods"
    price_increase = "price_increase"


class CostKind(str, Enum):
    one_off = "one_off"
    recurring = "recurring"


class EvidenceQuality(str, Enum):
    high = "high"
    moderate = "moderate"
    low = "low"


class InputSource(str, Enum):
    service_users = "service_users"
    relatives = "relatives"
    user_organisation = "user_organisation"
    residents = "residents"
    politicians = "politicians"
    elderly_council = "elderly_council"
    disability_council = "disability_council"
    youth_council = "youth_council"
    staff = "staff"
    other = "other"

    @property
    def is_statutory_council(self) -> bool:
        return self in (InputSource.elderly_council, InputSource.disability_council,
                        InputSource.youth_council)


class EvaluationDecision(str, Enum):
    continue_ = "continue"
    correct = "correct"
    stop = "stop"


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

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def outcome_term(self, kind: OutcomeKind) -> OutcomeTerm | None:
        return next((o for o in self.outcomes if o.kind is kind), None)


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


class DecisionRecord(Strict):
    body: ShortText = Field(description=N_("Who decided, e.g. Kommunestyret"))
    meeting_date: IsoDate = Field(description=N_("Date of the meeting (YYYY-MM-DD)"))
    case_number: ShortText = Field(description=N_("Case number, e.g. 2025/1432"))
    minutes_url: Url | None = Field(default=None, description=N_("Link to the minutes"))


class Round(TopLevel):
    id: Slug = Field(description=N_("Id of the round, e.g. budsjett-2026"))
    year: int = Field(ge=1900, le=2200, description=N_("The budget year"))
    title: ShortText = Field(description=N_("Title, e.g. Budsjett 2026"))
    purpose: RoundPurpose = Field(
        description=N_("new_resources, reduced_resources or reallocated_resources"))
    criteria: Slug = Field(description=N_("Id of the criteria version used in this round"))
    budget_frame: Amount = Field(description=N_("The money available, in whole kroner"))
    status: RoundStatus = Field(
        description=N_("preparation, consultation, decided, follow_up or evaluated"))
    summary: Text = Field(description=N_("What this round is about, in plain language (Markdown)"))
    previous: Slug | None = Field(default=None, description=N_("Id of the previous round"))
    milestones: list[Milestone] = Field(default_factory=list, description=N_("The annual cycle"))
    decision: DecisionRecord | None = Field(
        default=None, description=N_("Who decided, when, and where the minutes are"))

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
    baseline: float = Field(description=N_("Value before the measure"))
    target: float = Field(description=N_("The value aimed for"))
    direction: Direction | None = Field(
        default=None, description=N_("higher_is_better or lower_is_better; needed when a rationing target is "
                                     "lower than the baseline on purpose (default: from baseline towards target)"))
    due: IsoDate = Field(description=N_("When the target should be met"))
    responsible: ShortText = Field(description=N_("Who follows it up"))


class FollowUpResult(Strict):
    indicator: Slug = Field(description=N_("Id of the indicator"))
    period: ShortText = Field(description=N_("Period, e.g. 2025 or 1. halvår 2025"))
    value: float = Field(description=N_("The measured value"))
    comment: Text | None = Field(default=None, description=N_("What the value means"))


class Evaluation(Strict):
    decision: EvaluationDecision = Field(description=N_("continue, correct or stop"))
    date: IsoDate = Field(description=N_("When it was decided"))
    reason: Text = Field(description=N_("Why"))


class FollowUp(Strict):
    indicators: list[Indicator] = Field(default_factory=list, description=N_("What will be measured"))
    results: list[FollowUpResult] = Field(default_factory=list, description=N_("What was measured"))
    evaluation: Evaluation | None = Field(default=None, description=N_("Continue, correct or stop"))


class ReviewNotes(Strict):
    dominated: Text | None = Field(
        default=None,
        description=N_("Why this measure is ranked below a measure that was assessed the same or worse on every criterion"))
    treated_differently: Text | None = Field(
        default=None,
        description=N_("Why this measure was treated differently from a measure assessed the same in another sector"))
    assessment_changed: Text | None = Field(
        default=None, description=N_("Why the assessment changed from the previous round"))


class Measure(TopLevel):
    id: Slug = Field(description=N_("Permanent id, used in the page address"))
    round: Slug = Field(description=N_("Id of the round"))
    title: ShortText = Field(description=N_("Short title"))
    summary: SummaryText = Field(
        description=N_("Two or three plain sentences a citizen understands"))
    sector: ShortText = Field(description=N_("Sector or committee, e.g. Helse og omsorg"))
    service_area: ShortText = Field(description=N_("Service area, e.g. Hjemmetjenester"))
    target_area: ShortText | None = Field(default=None, description=N_("Target area (målområde)"))
    focus_area: ShortText | None = Field(
        default=None, description=N_("Focus area (fokusområde), if the municipality uses them"))
    type: MeasureTypes = Field(
        description=N_("new_need, ambition_increase, efficiency, rationing, saving or investment; "
                       "a list when the measure is of several types, e.g. [efficiency, rationing]"))
    need_cause: NeedCause | None = Field(
        default=None, description=N_("Why the need arises: volume_demography, labour_shortage, ambition_increase, "
                                     "processes_methods or price_increase"))
    situation: Situation = Field(description=N_("The situation the measure answers"))
    proposal: Proposal = Field(description=N_("The measure and what it is compared with"))
    long_term_effect: Text | None = Field(default=None, description=N_("The effect in the longer term"))
    assessments: dict[Slug, Assessment] = Field(
        description=N_("One assessment per criterion, keyed by criterion id"))
    knowledge_base: list[Source] = Field(default_factory=list, description=N_("Sources"))
    costs: list[CostLine] = Field(default_factory=list, description=N_("Costs per year"))
    rank: int | None = Field(default=None, description=N_("Rank on the round's scale, 1 = highest"))
    outcome: Outcome | None = Field(default=None, description=N_("The decision"))
    inputs: list[Input] = Field(default_factory=list, description=N_("Inputs received"))
    follow_up: FollowUp = Field(default_factory=FollowUp, description=N_("Follow-up plan and results"))
    previous: Slug | None = Field(
        default=None, description=N_("Id of the same measure in an earlier round"))
    former_ids: list[Slug] = Field(
        default_factory=list, description=N_("Ids this measure had before; their addresses lead here"))
    review_notes: ReviewNotes | None = Field(
        default=None, description=N_("Written reasons for what the consistency review flags; published with the flag"))

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
AMOUNT_FIELDS = _field_names(lambda t: t == Amount)
ENUM_FIELDS = _field_names(lambda t: isinstance(t, type) and issubclass(t, Enum))
DATE_FIELDS = _field_names(lambda t: t is date)
