"""The fixed vocabulary of the sources: outcomes, rationing types, round purposes and statuses,
measure types, causes of need, cost kinds, input sources, evaluation decisions and the like.

Criteria and their scales are data (a portal's criteria files); these are the categories every
portal shares, named by their codes in the files. Their names for readers are in the catalogues
(`site/vocabulary.py`).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer
from pydantic_core import PydanticCustomError


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


class RoundKind(str, Enum):
    """A round of budget decisions, with a budget frame and a funding line, or a priority list:
    ranked pairs of a condition and a measure for one service, as guidance, without a frame."""

    budget = "budget"
    priority_list = "priority_list"


class EvaluationDecision(str, Enum):
    continue_ = "continue"
    correct = "correct"
    stop = "stop"


class DisqualificationRuling(str, Enum):
    """What the body decided of a declared interest (inhabilitet, ugildskap, jäv)."""

    disqualified = "disqualified"
    not_disqualified = "not_disqualified"


class ContinuationStatus(str, Enum):
    """What became of a measure that is not in the next round. `stopped`, not `discontinued`: a
    str enum's value is its identity in the vocabulary, which the outcome `discontinued` has."""

    ordinary_operation = "ordinary_operation"
    completed = "completed"
    stopped = "stopped"
    moved = "moved"
