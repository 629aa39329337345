"""The records the dashboard counts: plain, frozen values, read by
:mod:`~kretsen.care.services.dashboard_loader` and turned into figures by
:mod:`~kretsen.care.services.dashboard_builder` (decision 0123)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# A choice as the models give it: the stored value and its label (translated when shown).
Choice = tuple[str, Any]


@dataclass(frozen=True)
class Profile:
    """What the dimensions read about a relative, from their registration."""

    condition: str
    relation: str
    format: str
    organisation: int


@dataclass(frozen=True)
class Registered:
    key: int
    profile: Profile
    day: date


@dataclass(frozen=True)
class IntakeHeld:
    key: int
    profile: Profile
    day: date
    readiness: str


@dataclass(frozen=True)
class Joined:
    """A member who joined a group in the year (declined invitations are not members)."""

    key: int
    profile: Profile
    group_format: str
    day: date
    registered_at: datetime
    first_present: datetime | None
    came: tuple[bool, ...]  # one per attendance record: there or not
    left: bool
    who5: tuple[int, int] | None  # when joining and at the end, if both were answered


@dataclass(frozen=True)
class HeldMeeting:
    group: int
    group_format: str
    organisation: int
    day: date


@dataclass(frozen=True)
class Answer:
    """Feedback after one meeting: a clear yes or not."""

    member: int
    profile: Profile
    group_format: str
    day: date
    felt_safe: bool
    enough_space: bool


@dataclass(frozen=True)
class YearData:
    year: int
    years: tuple[int, ...]
    organisations: tuple[tuple[int, str], ...]  # primary key and name
    readiness: tuple[Choice, ...]
    group_formats: tuple[Choice, ...]
    registered: tuple[Registered, ...] = ()
    intakes: tuple[IntakeHeld, ...] = ()
    joined: tuple[Joined, ...] = ()
    meetings: tuple[HeldMeeting, ...] = ()
    answers: tuple[Answer, ...] = ()
