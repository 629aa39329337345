"""Meetings: a series in the organisation's time zone, then single meetings moved or cancelled.

Times are stored in UTC. A series keeps the same wall-clock time in the organisation's time
zone, so a weekly 18:00 meeting stays at 18:00 across the change to and from summer time.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, User
from kretsen.groups import public_holidays
from kretsen.groups.models import (
    DIGITAL_DEFAULT_MINUTES,
    IN_PERSON_MAX_MINUTES,
    Group,
    GroupLeader,
    Meeting,
    Notice,
)
from kretsen.groups.services import notices

MAX_SERIES = 52


def wall_clock(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """``day`` at ``at`` in ``zone``, as UTC. A time that does not exist that day (the hour
    skipped in spring) moves forward by the gap, as a clock on the wall would show it:
    with ``fold=0`` a time in the gap takes the offset from before the change (PEP 495)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def series_starts(
    first_day: date, at: time, count: int, every_weeks: int, zone: zoneinfo.ZoneInfo
) -> list[datetime]:
    return [
        wall_clock(first_day + timedelta(weeks=every_weeks * index), at, zone)
        for index in range(count)
    ]


class OnHolidays:
    """What a series does with meetings that fall on a public holiday."""

    SKIP = "skip"  # leave them out and continue after the last date, so the count holds
    KEEP = "keep"


@dataclass(frozen=True)
class PlannedMeeting:
    day: date
    starts_at: datetime
    holiday: str  # the holiday's name, or "" on an ordinary day


@dataclass(frozen=True)
class SeriesPlan:
    meetings: list[PlannedMeeting]
    skipped: list[tuple[date, str]]

    @property
    def on_holidays(self) -> list[PlannedMeeting]:
        return [m for m in self.meetings if m.holiday]


def plan_series(
    first_day: date,
    at: time,
    count: int,
    every_weeks: int,
    organisation: Organisation,
    on_holidays: str,
) -> SeriesPlan:
    """The dates of a series; with ``SKIP``, public holidays of the organisation's country are
    left out and the series goes on until it has ``count`` meetings."""
    last_possible = first_day + timedelta(weeks=every_weeks * (count + MAX_SERIES))
    free = public_holidays.between(organisation.country, first_day, last_possible)
    planned: list[PlannedMeeting] = []
    skipped: list[tuple[date, str]] = []
    day = first_day
    while len(planned) < count and day <= last_possible:
        holiday = free.get(day, "")
        if holiday and on_holidays == OnHolidays.SKIP:
            skipped.append((day, holiday))
        else:
            planned.append(PlannedMeeting(day, wall_clock(day, at, organisation.zone), holiday))
        day += timedelta(weeks=every_weeks)
    return SeriesPlan(planned, skipped)


def default_minutes(group: Group) -> int:
    if group.is_digital:
        return DIGITAL_DEFAULT_MINUTES
    return min(group.offer.meeting_minutes or 90, IN_PERSON_MAX_MINUTES)


def default_break(minutes: int, digital: bool) -> int:
    if digital:
        return 10 if minutes >= 60 else 0
    return 15 if minutes >= 90 else 0


def check_length(group: Group, minutes: int, break_minutes: int) -> None:
    if not group.is_digital and minutes > IN_PERSON_MAX_MINUTES:
        raise DomainError(_("A meeting in person lasts at most two hours."))
    if group.is_digital and minutes > IN_PERSON_MAX_MINUTES:
        raise DomainError(_("A digital meeting lasts at most two hours; 45–90 minutes is best."))
    if break_minutes >= minutes:
        raise DomainError(_("The break must be shorter than the meeting."))


def _default_roles(group: Group) -> dict[str, User | None]:
    leaders = [leadership.user for leadership in group.leaderships.select_related("user")]
    first = leaders[0] if leaders else None
    second = leaders[1] if len(leaders) > 1 else first
    return {
        "opens_by": first,
        "closes_by": first,
        "presents_by": second,
        "technique_by": second if group.is_digital else None,
    }


@dataclass(frozen=True)
class Overlap:
    leader: User
    meeting: Meeting


def overlaps(
    group: Group, ranges: list[tuple[datetime, datetime]], exclude: int | None = None
) -> list[Overlap]:
    """Other meetings of this group's leaders that overlap any of ``ranges``."""
    leader_ids = list(GroupLeader.objects.filter(group=group).values_list("user_id", flat=True))
    if not leader_ids or not ranges:
        return []
    window = Q()
    for start, end in ranges:
        window |= Q(starts_at__lt=end, starts_at__gt=start - timedelta(hours=4))
    others = (
        Meeting.objects.filter(window, state=Meeting.State.SCHEDULED)
        .filter(group__leaderships__user_id__in=leader_ids)
        .exclude(pk=exclude or 0)
        .select_related("group")
        .distinct()
    )
    found = []
    for other in others:
        for start, end in ranges:
            if other.starts_at < end and start < other.ends_at:
                for leadership in other.group.leaderships.select_related("user"):
                    if leadership.user_id in leader_ids:
                        found.append(Overlap(leadership.user, other))
                break
    return found


@transaction.atomic
def create_series(
    request: HttpRequest,
    group: Group,
    *,
    first_day: date,
    at: time,
    count: int,
    every_weeks: int,
    minutes: int,
    break_minutes: int,
    on_holidays: str = OnHolidays.KEEP,
) -> tuple[list[Meeting], list[Overlap], SeriesPlan]:
    """Create the meetings; the plan returned says which dates were skipped or fall on a
    public holiday, so that the page can say so."""
    if group.state == Group.State.ENDED:
        raise DomainError(_("This group has ended."))
    if not 1 <= count <= MAX_SERIES:
        raise DomainError(_("A series has between 1 and 52 meetings."))
    if every_weeks not in (1, 2):
        raise DomainError(_("Meetings are every week or every other week."))
    check_length(group, minutes, break_minutes)
    if on_holidays not in (OnHolidays.SKIP, OnHolidays.KEEP):
        raise DomainError(_("Choose whether to skip meetings on public holidays."))
    plan = plan_series(first_day, at, count, every_weeks, group.organisation, on_holidays)
    starts = [planned.starts_at for planned in plan.meetings]
    if not starts or starts[0] <= timezone.now():
        raise DomainError(_("The first meeting must be in the future."))
    warnings = overlaps(group, [(s, s + timedelta(minutes=minutes)) for s in starts])
    roles = _default_roles(group)
    created = [
        Meeting.objects.create(
            group=group,
            organisation=group.organisation,
            starts_at=start,
            minutes=minutes,
            break_minutes=break_minutes,
            **roles,
        )
        for start in starts
    ]
    audit.log(
        request,
        "groups.meetings.series_created",
        group,
        data={
            "count": count,
            "first": starts[0].isoformat(),
            "every_weeks": every_weeks,
            "skipped": [day.isoformat() for day, _name in plan.skipped],
        },
    )
    return created, warnings, plan


@transaction.atomic
def change(
    request: HttpRequest,
    meeting: Meeting,
    *,
    starts_at: datetime,
    minutes: int,
    break_minutes: int,
    roles: dict[str, User | None],
) -> list[Overlap]:
    """Move a meeting or change its length and roles. Members hear about a new time."""
    if meeting.is_cancelled:
        raise DomainError(_("This meeting is cancelled."))
    moved = starts_at != meeting.starts_at or minutes != meeting.minutes
    if moved and meeting.has_started():
        raise DomainError(_("A meeting that has started or passed cannot be moved."))
    if moved and starts_at <= timezone.now():
        raise DomainError(_("Choose a time in the future."))
    check_length(meeting.group, minutes, break_minutes)
    leader_ids = set(meeting.group.leaderships.values_list("user_id", flat=True))
    for user in roles.values():
        if user is not None and user.pk not in leader_ids:
            raise DomainError(_("Only the group's leaders can take a role."))
    warnings = (
        overlaps(meeting.group, [(starts_at, starts_at + timedelta(minutes=minutes))], meeting.pk)
        if moved
        else []
    )
    before = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.minutes = minutes
    meeting.break_minutes = break_minutes
    for field, user in roles.items():
        setattr(meeting, field, user)
    if moved:
        meeting.sequence += 1
    meeting.save()
    audit.log(
        request,
        "groups.meeting.moved" if moved else "groups.meeting.changed",
        meeting,
        data={"from": before.isoformat(), "to": starts_at.isoformat()} if moved else {},
    )
    if moved:
        Notice.objects.filter(
            meeting=meeting, kind=Notice.Kind.REMINDER, state=Notice.State.PENDING
        ).delete()
        notices.meeting_changed(meeting, Notice.Kind.MOVED)
    return warnings


@transaction.atomic
def cancel(request: HttpRequest, meeting: Meeting) -> None:
    if meeting.is_cancelled:
        return
    if meeting.has_started():
        raise DomainError(_("A meeting that has started or passed cannot be cancelled."))
    meeting.state = Meeting.State.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["state", "sequence"])
    audit.log(request, "groups.meeting.cancelled", meeting)
    Notice.objects.filter(
        meeting=meeting, kind=Notice.Kind.REMINDER, state=Notice.State.PENDING
    ).delete()
    notices.meeting_changed(meeting, Notice.Kind.CANCELLED)


@transaction.atomic
def save_topic_and_note(
    request: HttpRequest, meeting: Meeting, *, topic_key: str, topic_title: str, note: str
) -> None:
    meeting.topic_key = topic_key
    meeting.topic_title = topic_title[:120]
    meeting.note = note or None
    meeting.save(update_fields=["topic_key", "topic_title", "note"])
    audit.log(request, "groups.meeting.runsheet_saved", meeting)


def local_label(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")
