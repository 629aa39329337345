"""Meeting series and public holidays; attendance only for meetings that have begun."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django_scopes import scope

from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.groups.models import Attendance, Group, Meeting
from kretsen.groups.services import attendance, meetings
from kretsen.groups.services.meetings import OnHolidays
from tests.conftest import make_offer, make_staff, sign_in_staff
from tests.groups.factories import make_group, make_meeting, make_member, make_ready, request_for


def _days(plan: meetings.SeriesPlan) -> list[date]:
    return [planned.day for planned in plan.meetings]


# --- which days are holidays --------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "holiday", "name_sv"),
    [
        (date(2027, 12, 18), date(2027, 12, 25), "Juldagen"),  # Saturdays
        (date(2027, 12, 25) - timedelta(days=7), date(2028, 1, 1), "Nyårsdagen"),
        (date(2027, 3, 22), date(2027, 3, 29), "Annandag påsk"),  # Easter Monday
        (date(2028, 5, 30), date(2028, 6, 6), "Nationaldagen"),  # Tuesdays
        (date(2027, 12, 17), date(2027, 12, 24), "Julafton"),  # free in practice
    ],
)
def test_a_swedish_series_skips_the_holidays_and_keeps_its_length(
    org_a: Organisation, first: date, holiday: date, name_sv: str
) -> None:
    with translation.override("sv"):
        plan = meetings.plan_series(first, time(18, 0), 4, 1, org_a, OnHolidays.SKIP)
    assert holiday not in _days(plan)
    assert (holiday, name_sv) in plan.skipped
    assert len(plan.meetings) == 4
    assert all(day.weekday() == first.weekday() for day in _days(plan))
    assert plan.on_holidays == []


@pytest.mark.parametrize(
    ("first", "holiday", "name_nb"),
    [
        (date(2027, 5, 10), date(2027, 5, 17), "Grunnlovsdag"),  # Mondays; also Whit Monday
        (date(2027, 3, 22), date(2027, 3, 29), "Andre påskedag"),
        (date(2027, 12, 18), date(2027, 12, 25), "Første juledag"),
        (date(2027, 12, 25), date(2028, 1, 1), "Første nyttårsdag"),
        (date(2027, 12, 17), date(2027, 12, 24), "Julaften"),
    ],
)
def test_a_norwegian_series_skips_the_holidays(
    org_b: Organisation, first: date, holiday: date, name_nb: str
) -> None:
    with translation.override("nb"):
        plan = meetings.plan_series(first, time(18, 0), 3, 1, org_b, OnHolidays.SKIP)
    skipped = dict(plan.skipped)
    assert holiday in skipped
    assert name_nb in skipped[holiday]
    assert holiday not in _days(plan)
    assert len(plan.meetings) == 3


def test_17_may_is_an_ordinary_day_in_sweden_and_6_june_in_norway(
    org_a: Organisation, org_b: Organisation
) -> None:
    swedish = meetings.plan_series(date(2027, 5, 17), time(18, 0), 1, 1, org_a, OnHolidays.SKIP)
    assert _days(swedish) == [date(2027, 5, 17)]
    norwegian = meetings.plan_series(date(2028, 6, 6), time(18, 0), 1, 1, org_b, OnHolidays.SKIP)
    assert _days(norwegian) == [date(2028, 6, 6)]


def test_kept_holidays_are_named_in_the_readers_language(org_a: Organisation) -> None:
    with translation.override("en"):
        plan = meetings.plan_series(date(2027, 12, 18), time(18, 0), 3, 1, org_a, OnHolidays.KEEP)
    assert _days(plan) == [date(2027, 12, 18), date(2027, 12, 25), date(2028, 1, 1)]
    assert [(m.day, m.holiday) for m in plan.on_holidays] == [
        (date(2027, 12, 25), "Christmas Day"),
        (date(2028, 1, 1), "New Year's Day"),
    ]
    assert plan.skipped == []


def test_every_other_week_skips_to_the_next_date_in_the_rhythm(org_a: Organisation) -> None:
    plan = meetings.plan_series(date(2027, 12, 11), time(18, 0), 3, 2, org_a, OnHolidays.SKIP)
    assert _days(plan) == [date(2027, 12, 11), date(2028, 1, 8), date(2028, 1, 22)]
    assert [day for day, _name in plan.skipped] == [date(2027, 12, 25)]


# --- the series page ------------------------------------------------------------------------


def _series_data(**extra: str) -> dict[str, str]:
    return {
        "first_day": "2027-12-18",
        "at": "18:00",
        "count": "4",
        "every_weeks": "1",
        "minutes": "90",
        "break_minutes": "15",
        "on_holidays": "skip",
        **extra,
    }


def test_the_preview_shows_the_dates_and_the_skipped_holidays_and_saves_nothing(
    client: Client, group_a: Group, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = "sv"
    url = f"/staff/org-a/groups/{group_a.public_id}/series/"
    page = client.post(url, _series_data(preview="1")).content.decode()
    assert "Utelämnade på grund av helgdagar" in page
    assert "25 dec 2027 (Juldagen)" in page
    assert "1 jan 2028 (Nyårsdagen)" in page
    assert "lördag 15 januari 2028, 18:00" in page  # the series goes on to keep four meetings
    assert Meeting.objects.count() == 0
    kept = client.post(url, _series_data(preview="1", on_holidays="keep")).content.decode()
    assert "helgdag: Juldagen" in kept
    assert Meeting.objects.count() == 0


def test_planning_skips_holidays_by_default_and_says_which(
    client: Client, group_a: Group, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = "sv"
    url = f"/staff/org-a/groups/{group_a.public_id}/series/"
    form = client.get(url).content.decode()
    assert 'value="skip"' in form.split("checked", 1)[0].rsplit("<input", 1)[1]
    response = client.post(url, _series_data(), follow=True)
    days = [
        timezone.localtime(m.starts_at, group_a.organisation.zone).date()
        for m in Meeting.objects.filter(group=group_a)
    ]
    assert days == [date(2027, 12, 18), date(2028, 1, 8), date(2028, 1, 15), date(2028, 1, 22)]
    text = response.content.decode()
    assert "Hoppade över på grund av helgdagar: 25 dec 2027 (Juldagen)" in text
    assert "4 träffar är planerade" in text


def test_keeping_the_holidays_plans_them_with_a_warning(
    client: Client, group_a: Group, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = "en"
    url = f"/staff/org-a/groups/{group_a.public_id}/series/"
    response = client.post(url, _series_data(on_holidays="keep", count="1"), follow=True)
    assert Meeting.objects.filter(group=group_a).count() == 1
    assert "1 meeting is planned." in response.content.decode()
    response = client.post(
        url, _series_data(on_holidays="keep", first_day="2027-12-25", count="2"), follow=True
    )
    text = response.content.decode()
    assert "2 meetings fall on public holidays: 25 Dec 2027 (Christmas Day)" in text


def test_a_norwegian_group_skips_17_may(org_b: Organisation) -> None:
    coordinator = make_staff("coordinator@b.example", org_b, {Role.COORDINATOR})
    with scope(organisation=org_b):
        group = make_group(org_b, make_offer(org_b), [coordinator])
        with translation.override("nb"):
            created, _warnings, plan = meetings.create_series(
                request_for(coordinator, org_b),
                group,
                first_day=date(2027, 5, 10),
                at=time(18, 0),
                count=2,
                every_weeks=1,
                minutes=90,
                break_minutes=15,
                on_holidays=OnHolidays.SKIP,
            )
    assert [timezone.localtime(m.starts_at, org_b.zone).date() for m in created] == [
        date(2027, 5, 10),
        date(2027, 5, 24),
    ]
    assert plan.skipped[0][0] == date(2027, 5, 17)


# --- attendance -----------------------------------------------------------------------------


def test_attendance_is_refused_before_the_meeting_begins(group_a: Group, leader_a: User) -> None:
    person = make_member(group_a, make_ready(group_a.organisation))
    soon = make_meeting(group_a, in_hours=0.15)  # nine minutes from now
    with pytest.raises(DomainError), translation.override("sv"):
        attendance.record(
            request_for(leader_a, group_a.organisation), soon, {person: "present"}, []
        )
    assert Attendance.objects.count() == 0
    begun = make_meeting(group_a, in_hours=-0.05)
    attendance.record(request_for(leader_a, group_a.organisation), begun, {person: "present"}, [])
    assert Attendance.objects.filter(meeting=begun).count() == 1


def test_the_page_of_a_future_meeting_says_when_and_offers_no_form(
    client: Client, group_a: Group, leader_a: User
) -> None:
    make_member(group_a, make_ready(group_a.organisation))
    meeting = make_meeting(group_a, in_hours=0.15)
    sign_in_staff(client, leader_a)
    client.cookies["kretsen_language"] = "sv"
    base = f"/staff/org-a/groups/{group_a.public_id}/"
    page = client.get(f"{base}meetings/{meeting.public_id}/attendance/").content.decode()
    assert "Träffen har inte börjat än" in page
    assert "<form" not in page.split("<main", 1)[1]
    refused = client.post(f"{base}meetings/{meeting.public_id}/attendance/", {})
    assert refused.status_code == 200
    assert Attendance.objects.count() == 0
    # The group page and the run-sheet do not offer it either, until the meeting begins.
    group_page = client.get(base).content.decode()
    assert f"meetings/{meeting.public_id}/attendance/" not in group_page
    runsheet = client.get(f"{base}meetings/{meeting.public_id}/run-sheet/").content.decode()
    assert f"meetings/{meeting.public_id}/attendance/" not in runsheet
    begun = make_meeting(group_a, in_hours=-0.05)
    assert f"meetings/{begun.public_id}/attendance/" in client.get(base).content.decode()
