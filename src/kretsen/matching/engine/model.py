"""The engine's input and output: plain, frozen dataclasses with the vocabulary's values.

Values are the plain strings of ``kretsen.core.vocabulary`` (relations, conditions, age bands,
genders, ISO language codes, formats); availability is the same 21-bit mask (bit
``weekday * 3 + part``). Nothing here imports Django, so the adapter converts model rows to
these classes and back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

AGE_BANDS: tuple[str, ...] = ("u18", "18-29", "30-44", "45-64", "65-79", "80+")
IN_PERSON = "in_person"
DIGITAL = "digital"
BOTH = "both"
SLOT_COUNT = 21


class Status(StrEnum):
    OPTIMAL = "optimal"  # CP-SAT proved that no assignment has a higher objective
    FEASIBLE = "feasible"  # valid groups, optimality not proven
    EMPTY = "empty"  # nothing to place (no people after locks), or no group is possible


class Reason(StrEnum):
    """Why a person stays on the list, or why a group breaks a rule.

    Stable codes: the Django side translates them, the ``detail`` strings are English only.
    """

    NO_SHARED_SLOT = "no_shared_slot"
    NO_LEADERS = "no_leaders"
    LANGUAGE = "language"
    FORMAT = "format"
    AREA = "area"
    TOO_FEW_ALIKE = "too_few_alike"
    SIZE = "size"
    NEVER_TOGETHER = "never_together"
    GENDER = "gender"
    AGE_SPAN = "age_span"
    PINNED = "pinned"
    LOCKED = "locked"
    UNKNOWN_PERSON = "unknown_person"
    LEADER = "leader"
    INVALID_INPUT = "invalid_input"  # the run itself could not start (e.g. duplicate ids)
    TARGET_GROUP = "target_group"  # outside the offer's target group, not included by hand


@dataclass(frozen=True)
class Person:
    """A relative on the waiting list, assessed ready for a group."""

    id: str
    condition: str
    relation: str
    age_band: str
    gender: str | None
    languages: frozenset[str]
    format: str  # in_person, digital or both
    area: str | None  # home area; needed for in-person groups
    availability: int  # 21-bit mask
    days_waiting: int = 0


@dataclass(frozen=True)
class Leader:
    """A group leader; ``languages`` empty means the language is not restricted, ``areas``
    empty that the leader can lead in-person groups in any area. A leader leads at most one
    group per slot, in any of its areas."""

    id: str
    availability: int
    format: str = BOTH
    areas: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    qualifications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    """Weights of the likeness h_i; the issue's objective uses the defaults."""

    condition: float = 0.5
    relation: float = 0.3
    age_band: float = 0.2


@dataclass(frozen=True)
class Rules:
    """The offer's rules for every group it forms."""

    min_size: int = 4
    max_size: int = 8
    digital_min_size: int = 4
    digital_max_size: int = 6
    formats: frozenset[str] = frozenset({IN_PERSON, DIGITAL})
    gender: str | None = None  # a gender-specific offer: every member has this gender
    weights: Weights = field(default_factory=Weights)
    max_age_span: int | None = None  # in age-band steps (children's groups)
    leader_qualification: str | None = None  # every leader must hold it (children's groups)
    leaders_per_group: int = 2
    # The offer's target group, a hard rule; each empty set means no restriction.
    relations: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    age_bands: frozenset[str] = frozenset()

    def size_bounds(self, fmt: str) -> tuple[int, int]:
        if fmt == DIGITAL:
            return self.digital_min_size, self.digital_max_size
        return self.min_size, self.max_size


@dataclass(frozen=True)
class Group:
    """A proposed (or locked) group. ``area`` is None for digital groups."""

    members: tuple[str, ...]
    leaders: tuple[str, ...]
    slot: int
    language: str
    format: str
    area: str | None = None


@dataclass(frozen=True)
class Problem:
    """Everything one run needs.

    ``never_together`` and ``apart`` forbid pairs in one group; ``together`` pins pairs into the
    same group (both placed together, or both left on the list). ``locked`` groups are kept
    exactly as given; their people and their leaders' slots are not used elsewhere.
    ``included`` are people the coordinator included by hand although they are outside the
    offer's target group (``Rules.relations``, ``conditions``, ``age_bands``).
    """

    people: tuple[Person, ...]
    leaders: tuple[Leader, ...]
    rules: Rules = field(default_factory=Rules)
    never_together: frozenset[tuple[str, str]] = frozenset()
    together: frozenset[tuple[str, str]] = frozenset()
    apart: frozenset[tuple[str, str]] = frozenset()
    locked: tuple[Group, ...] = ()
    included: frozenset[str] = frozenset()
    seed: int = 0
    time_limit: float = 10.0
    num_workers: int = 1


@dataclass(frozen=True)
class Violation:
    """A rule a group breaks."""

    code: Reason
    detail: str


@dataclass(frozen=True)
class GroupExplanation:
    """What the members of a group share."""

    slot: int
    language: str
    format: str
    area: str | None
    condition: str | None  # shared by all members, else None
    relation: str | None
    age_band: str | None
    likeness: float  # mean h of the members
    detail: str


@dataclass(frozen=True)
class LeftOut:
    """A person left on the list, and why."""

    person: str
    code: Reason
    detail: str


@dataclass(frozen=True)
class Proposal:
    """The result of one run.

    ``objective`` is exactly the issue's formula (locked groups included); ``upper_bound`` is a
    proven upper bound on it (see ``bound.py``); ``gap`` = 1 - objective / upper_bound.
    ``upper_bound`` holds for every valid answer, fair or not; ``fair_optimal`` says that no
    answer that keeps the fairness rule is worth more than this one (proven), even where the
    bound, which an unfair answer might reach, lies higher (decision 0137).
    """

    groups: tuple[Group, ...]
    objective: float
    upper_bound: float
    status: Status
    explanations: tuple[GroupExplanation, ...]
    left_out: tuple[LeftOut, ...]
    messages: tuple[str, ...] = ()
    stats: tuple[tuple[str, float], ...] = ()
    fair_optimal: bool = False

    @property
    def gap(self) -> float:
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, 1.0 - self.objective / self.upper_bound)


@dataclass(frozen=True)
class Progress:
    """Where a running search stands: the best objective so far and the proven bound."""

    objective: float
    upper_bound: float
    elapsed: float  # seconds since the run started


@dataclass(frozen=True)
class Fairness:
    """How many people a proposal places, overall and among those who waited longest.

    The longest-waiting quarter is the ceil(n / 4) people with the most days waiting (ties by
    id) among the n people not in locked groups.
    """

    placed: int
    people: int
    placed_share: float
    longest_waiting_placed: int
    longest_waiting: int
    longest_waiting_share: float
