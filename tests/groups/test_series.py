"""Meeting series keep their wall-clock time across daylight-saving changes."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kretsen.core.errors import DomainError
from kretsen.core.models import User
from kretsen.directory.models import Offer
from kretsen.groups.models import Group, Meeting
from kretsen.groups.services import meetings
from tests.groups.factories import make_group, make_meeting, request_for

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize("zone", [STOCKHOLM, OSLO])
def test_it_keeps_18_00_across_the_change_to_winter_time(zone: zoneinfo.ZoneInfo) -> None:
    # 2026-10-25 is the last Sunday of October: clocks go back one hour.
    starts = meetings.series_starts(date(2026, 10, 13), time(18, 0), 4, 1, zone)
    local = [s.astimezone(zone) for s in starts]
    assert [(d.date(), d.hour, d.minute) for d in local] == [
        (date(2026, 10, 13), 18, 0),
        (date(2026, 10, 20), 18, 0),
        (date(2026, 10, 27), 18, 0),
        (date(2026, 11, 3), 18, 0),
    ]
    # In UTC the same meeting moves by an hour: 16:00 in summer time, 17:00 in winter time.
    assert [s.astimezone(UTC).hour for s in starts] == [16, 16, 17, 17]


@pytest.mark.parametrize("zone", [STOCKHOLM, OSLO])
def test_it_keeps_the_time_across_the_change_to_summer_time(zone: zoneinfo.ZoneInfo) -> None:
    # 2027-03-28 is the last Sunday of March: clocks go forward.
    starts = meetings.series_starts(date(2027, 3, 16), time(10, 30), 3, 2, zone)
    local = [s.astimezone(zone) for s in starts]
    assert [d.date() for d in local] == [date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 13)]
    assert {(d.hour, d.minute) for d in local} == {(10, 30)}
    assert [s.astimezone(UTC).hour for s in starts] == [9, 8, 8]


def test_it_moves_a_time_that_does_not_exist_forward_by_the_gap() -> None:
    skipped = meetings.wall_clock(date(2027, 3, 28), time(2, 30), STOCKHOLM)
    assert skipped.astimezone(STOCKHOLM).hour == 3
    assert skipped.astimezone(STOCKHOLM).minute == 30


def test_it_creates_a_series_in_the_organisations_time_zone(
    group_a: Group, coordinator_a: User
) -> None:
    first = timezone.localdate() + timedelta(days=7)
    created, warnings, _plan = meetings.create_series(
        request_for(coordinator_a, group_a.organisation),
        group_a,
        first_day=first,
        at=time(18, 0),
        count=6,
        every_weeks=2,
        minutes=90,
        break_minutes=15,
    )
    assert len(created) == 6
    assert warnings == []
    local = [timezone.localtime(m.starts_at, STOCKHOLM) for m in created]
    assert {(d.hour, d.minute, d.weekday()) for d in local} == {(18, 0, first.weekday())}
    assert (local[1].date() - local[0].date()).days == 14
    # The first leader opens and closes, the second presents the topic.
    assert created[0].opens_by is not None
    assert created[0].presents_by is not None
    assert created[0].opens_by != created[0].presents_by


def test_it_refuses_a_meeting_in_person_longer_than_two_hours(
    group_a: Group, coordinator_a: User
) -> None:
    with pytest.raises(DomainError):
        meetings.create_series(
            request_for(coordinator_a, group_a.organisation),
            group_a,
            first_day=timezone.localdate() + timedelta(days=3),
            at=time(18, 0),
            count=2,
            every_weeks=1,
            minutes=150,
            break_minutes=15,
        )
    assert Meeting.objects.count() == 0


def test_it_warns_about_a_leader_booked_twice(
    group_a: Group, coordinator_a: User, leader_a: User, offer_a: Offer
) -> None:
    other = make_group(group_a.organisation, offer_a, [leader_a], name="Torsdagsgruppen")
    first = timezone.localdate() + timedelta(days=7)
    clash = meetings.wall_clock(first, time(18, 30), STOCKHOLM)
    Meeting.objects.create(
        group=other, organisation=other.organisation, starts_at=clash, minutes=60
    )
    _created, warnings, _plan = meetings.create_series(
        request_for(coordinator_a, group_a.organisation),
        group_a,
        first_day=first,
        at=time(18, 0),
        count=3,
        every_weeks=1,
        minutes=90,
        break_minutes=15,
    )
    assert [(w.leader, w.meeting.group) for w in warnings] == [(leader_a, other)]


def test_it_refuses_to_move_a_meeting_that_has_passed(group_a: Group, leader_a: User) -> None:
    past = make_meeting(group_a, in_hours=-30)
    with pytest.raises(DomainError):
        meetings.change(
            request_for(leader_a, group_a.organisation),
            past,
            starts_at=timezone.now() + timedelta(days=2),
            minutes=90,
            break_minutes=15,
            roles={},
        )
    past.refresh_from_db()
    assert past.starts_at < timezone.now()


def test_moving_raises_the_sequence_and_keeps_a_later_member_in_the_series(
    group_a: Group, leader_a: User
) -> None:
    meeting = make_meeting(group_a, in_hours=48)
    new_time = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    meetings.change(
        request_for(leader_a, group_a.organisation),
        meeting,
        starts_at=new_time,
        minutes=60,
        break_minutes=0,
        roles={"opens_by": leader_a},
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == new_time
    assert meeting.sequence == 1
    assert meeting.opens_by == leader_a
