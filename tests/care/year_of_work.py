"""A year of work in organisation A for the figures tests: registrations, intakes, groups,
meetings, attendance, WHO-5 before and after, and feedback (a fixture and its constants)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from kretsen.care.models import MeetingFeedback, QuestionnaireRequest
from kretsen.core.models import Organisation, User
from kretsen.core.vocabulary import Condition
from kretsen.directory.models import Offer
from kretsen.groups.models import Attendance, Group, GroupMember, Meeting
from kretsen.intake.models import Intake, Readiness, Registration
from tests.conftest import make_offer, make_registration
from tests.groups.factories import make_group

YEAR = timezone.localdate().year - 1
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
BEFORE = [40, 48, 52, 36, 60, 44]
AFTER = [56, 52, 64, 40, 72, 44]


def at(month: int, day: int, hour: int = 18) -> datetime:
    return datetime(YEAR, month, day, hour, tzinfo=STOCKHOLM)


def register(org: Organisation, condition: str, name: str, month: int) -> Registration:
    registration = make_registration(org, condition=condition, display_name=name)
    Registration.objects.filter(pk=registration.pk).update(created_at=at(month, 1, 10))
    registration.refresh_from_db()
    return registration


def _group_with_members(
    org: Organisation, offer: Offer, leaders: list[User], condition: str, count: int, fmt: str
) -> tuple[Group, list[GroupMember], Meeting, Meeting]:
    group = make_group(org, offer, leaders, format=fmt, name=f"Grupp {condition}")
    month = 3 if condition == Condition.DEMENTIA else 5
    members = []
    for number in range(count):
        registration = register(org, condition, f"{condition}-{number}", month)
        Intake.objects.create(
            registration=registration, organisation=org, readiness=Readiness.READY
        )
        members.append(
            GroupMember.objects.create(
                group=group,
                organisation=org,
                registration=registration,
                display_name=registration.display_name,
                status=GroupMember.Status.ACTIVE,
                joined_on=date(YEAR, month + 1, 1),
            )
        )
    first = Meeting.objects.create(
        group=group, organisation=org, starts_at=at(month + 1, 10), minutes=90
    )
    second = Meeting.objects.create(
        group=group, organisation=org, starts_at=at(month + 1, 24), minutes=90
    )
    return group, members, first, second


@pytest.fixture
def year_of_work(org_a: Organisation, leader_a: User) -> Organisation:
    """In YEAR: 8 dementia, 6 mental illness and 3 addiction members, plus 2 people who
    only registered and had an intake (individual talks first)."""
    with scope(organisation=org_a):
        offer = make_offer(org_a)
        _group, dementia, first, second = _group_with_members(
            org_a, offer, [leader_a], Condition.DEMENTIA, 8, Group.Format.IN_PERSON
        )
        for index, member in enumerate(dementia):
            Attendance.objects.create(
                meeting=first, member=member, organisation=org_a, status="present"
            )
            Attendance.objects.create(
                meeting=second,
                member=member,
                organisation=org_a,
                status="present" if index < 6 else "absent",
            )
            MeetingFeedback.objects.create(
                organisation=org_a,
                meeting=first,
                member=member,
                felt_safe="yes" if index < 6 else "partly",
                enough_space="yes",
            )
        for member, before, after in zip(dementia, BEFORE, AFTER, strict=False):
            for timepoint, percentage in (("baseline", before), ("end", after)):
                QuestionnaireRequest.objects.update_or_create(
                    member=member,
                    instrument="who5",
                    timepoint=timepoint,
                    defaults={
                        "organisation": org_a,
                        "state": "answered",
                        "percentage": percentage,
                        "raw_score": percentage // 4,
                    },
                )
        dementia[7].status = GroupMember.Status.LEFT
        dementia[7].save()
        for condition, count, fmt in (
            (Condition.MENTAL_ILLNESS, 6, Group.Format.DIGITAL),
            (Condition.ADDICTION, 3, Group.Format.DIGITAL),
        ):
            _g, members, first, _second = _group_with_members(
                org_a, offer, [leader_a], condition, count, fmt
            )
            for member in members:
                Attendance.objects.create(
                    meeting=first, member=member, organisation=org_a, status="present"
                )
        for name in ("Kim", "Lo"):
            registration = register(org_a, Condition.DEMENTIA, name, 9)
            Intake.objects.create(
                registration=registration,
                organisation=org_a,
                readiness=Readiness.INDIVIDUAL_FIRST,
                held_on=date(YEAR, 9, 15),
            )
        Intake.objects.filter(organisation=org_a, readiness=Readiness.READY).update(
            held_on=date(YEAR, 3, 15)
        )
    return org_a
