"""What the dashboard counts, read from the database into plain records.

One set of queries per table, each limited to the organisations and the calendar year; dates
are turned into the organisations' local days here, so that the builder
(:mod:`kretsen.care.services.dashboard_builder`) works on plain values only.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django_scopes import scope

from kretsen.care.models import MeetingFeedback, QuestionnaireRequest, Timepoint
from kretsen.care.services.dashboard_records import (
    Answer,
    HeldMeeting,
    IntakeHeld,
    Joined,
    Profile,
    Registered,
    YearData,
)
from kretsen.core.models import Organisation
from kretsen.groups.models import Attendance, Group, GroupMember, Meeting
from kretsen.intake.models import Intake, Readiness, Registration


def available_years(organisations: Sequence[Organisation]) -> list[int]:
    ids = [org.pk for org in organisations]
    with scope(organisation=ids):
        first = Registration.objects.filter(organisation__in=ids).aggregate(
            first=Min("created_at")
        )["first"]
    this_year = timezone.localdate().year
    start = first.year if first else this_year
    return list(range(this_year, max(start, this_year - 10) - 1, -1))


def _profile(registration: Registration) -> Profile:
    return Profile(
        condition=registration.condition,
        relation=registration.relation,
        format=registration.format_preference,
        organisation=registration.organisation_id,
    )


class _Loader:
    def __init__(self, organisations: Sequence[Organisation], year: int) -> None:
        self.org_ids = [org.pk for org in organisations]
        # A network's organisations are counted in the time zone of the first of them.
        self.zone = zoneinfo.ZoneInfo(organisations[0].time_zone)
        self.start = datetime(year, 1, 1, tzinfo=self.zone)
        self.end = datetime(year + 1, 1, 1, tzinfo=self.zone)

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def registered(self) -> tuple[Registered, ...]:
        registrations = Registration.objects.filter(
            organisation__in=self.org_ids, created_at__gte=self.start, created_at__lt=self.end
        ).only("condition", "relation", "format_preference", "organisation", "created_at")
        return tuple(Registered(r.pk, _profile(r), self.day(r.created_at)) for r in registrations)

    def intakes(self) -> tuple[IntakeHeld, ...]:
        intakes = Intake.objects.filter(
            organisation__in=self.org_ids,
            held_on__gte=self.start.date(),
            held_on__lt=self.end.date(),
        ).select_related("registration")
        return tuple(
            IntakeHeld(i.pk, _profile(i.registration), i.held_on, i.readiness) for i in intakes
        )

    def joined(self) -> tuple[Joined, ...]:
        members = list(
            GroupMember.objects.filter(
                organisation__in=self.org_ids,
                joined_on__gte=self.start.date(),
                joined_on__lt=self.end.date(),
            )
            .exclude(status=GroupMember.Status.DECLINED)
            .select_related("registration", "group")
        )
        ids = [member.pk for member in members]
        first_present = dict(
            Attendance.objects.filter(member__in=ids, status=Attendance.Status.PRESENT)
            .values("member")
            .annotate(first=Min("meeting__starts_at"))
            .values_list("member", "first")
        )
        came: dict[int, list[bool]] = defaultdict(list)
        for member_id, status in Attendance.objects.filter(member__in=ids).values_list(
            "member", "status"
        ):
            came[member_id].append(status == Attendance.Status.PRESENT)
        answers: dict[int, dict[str, int]] = defaultdict(dict)
        for member_id, timepoint, percentage in QuestionnaireRequest.objects.filter(
            member__in=ids,
            instrument="who5",
            state=QuestionnaireRequest.State.ANSWERED,
            timepoint__in=[Timepoint.BASELINE, Timepoint.END],
        ).values_list("member", "timepoint", "percentage"):
            if percentage is not None:
                answers[member_id][timepoint] = percentage
        joined = []
        for member in members:
            both = answers.get(member.pk, {})
            who5 = None
            if Timepoint.BASELINE in both and Timepoint.END in both:
                who5 = (both[Timepoint.BASELINE], both[Timepoint.END])
            joined.append(
                Joined(
                    key=member.pk,
                    profile=_profile(member.registration),
                    group_format=member.group.format,
                    day=member.joined_on or self.start.date(),
                    registered_at=member.registration.created_at,
                    first_present=first_present.get(member.pk),
                    came=tuple(came[member.pk]),
                    left=member.status == GroupMember.Status.LEFT,
                    who5=who5,
                )
            )
        return tuple(joined)

    def meetings(self) -> tuple[HeldMeeting, ...]:
        held = list(
            Meeting.objects.filter(
                organisation__in=self.org_ids,
                starts_at__gte=self.start,
                starts_at__lt=min(self.end, timezone.now()),
            )
            .exclude(state=Meeting.State.CANCELLED)
            .values_list("group", "starts_at")
        )
        groups: dict[Any, tuple[str, int]] = {
            pk: (group_format, organisation)
            for pk, group_format, organisation in Group.objects.filter(
                pk__in={group for group, _s in held}
            ).values_list("pk", "format", "organisation")
        }
        return tuple(
            HeldMeeting(group, *groups[group], self.day(starts_at)) for group, starts_at in held
        )

    def answers(self) -> tuple[Answer, ...]:
        answers = (
            MeetingFeedback.objects.filter(
                organisation__in=self.org_ids,
                meeting__starts_at__gte=self.start,
                meeting__starts_at__lt=self.end,
            )
            .select_related("member__registration", "member__group", "meeting")
            .only(
                "felt_safe",
                "enough_space",
                "member__registration__condition",
                "member__registration__relation",
                "member__registration__organisation",
                "member__group__format",
                "meeting__starts_at",
            )
        )
        return tuple(
            Answer(
                member=answer.member_id,
                profile=_profile(answer.member.registration),
                group_format=answer.member.group.format,
                day=self.day(answer.meeting.starts_at),
                felt_safe=answer.felt_safe == MeetingFeedback.Answer.YES,
                enough_space=answer.enough_space == MeetingFeedback.Answer.YES,
            )
            for answer in answers
        )


def load(organisations: Sequence[Organisation], year: int) -> YearData:
    """Everything the dashboard of ``organisations`` (one, or a network's) counts in ``year``."""
    with scope(organisation=[org.pk for org in organisations]):
        loader = _Loader(organisations, year)
        return YearData(
            year=year,
            years=tuple(available_years(organisations)),
            organisations=tuple((org.pk, org.name) for org in organisations),
            readiness=tuple(Readiness.choices),
            group_formats=tuple(Group.Format.choices),
            registered=loader.registered(),
            intakes=loader.intakes(),
            joined=loader.joined(),
            meetings=loader.meetings(),
            answers=loader.answers(),
        )
