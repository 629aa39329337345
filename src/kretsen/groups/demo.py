"""Invented demo data for groups: one running group with history, one planned digital group."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.core.vocabulary import Condition, Language, Relation, to_mask
from kretsen.directory.models import Offer
from kretsen.groups.models import (
    AbsenceNotice,
    Attendance,
    Group,
    GroupLeader,
    GroupMember,
    Meeting,
    PledgeSignature,
)
from kretsen.groups.services.meetings import series_starts
from kretsen.groups.texts import text_for
from kretsen.intake.models import Intake, Readiness, Registration, Status

LIVE_WINDOW = timedelta(hours=1)  # a meeting that started within this is going on now

MEMBERS = [
    ("Gunnel", Relation.PARTNER),
    ("Per-Olof", Relation.PARTNER),
    ("Rut", Relation.PARTNER),
    ("Stig", Relation.PARTNER),
]


def _registration(
    organisation: Organisation, offer: Offer, name: str, relation: str, user: User | None
) -> Registration:
    return Registration.objects.create(
        organisation=organisation,
        offer=offer,
        user=user,
        submission_key=uuid.uuid4(),
        display_name=name,
        email=user.email if user else "",
        contact_by_email=user is not None,
        phone="" if user else "+46701234567",
        contact_by_phone=user is None,
        relation=relation,
        condition=Condition.DEMENTIA,
        languages=to_mask(["sv"], Language),
        status=Status.IN_GROUP,
        consent_version="demo",
        consent_at=timezone.now(),
    )


def load_demo(organisation: Organisation, leaders: list[User], relative: User) -> None:
    with scopes_disabled():
        if Group.objects.filter(organisation=organisation).exists():
            meeting_now(organisation)
            return
        offers = list(Offer.objects.filter(organisation=organisation).order_by("pk"))
        in_person, digital = offers[0], offers[1]
        group = Group.objects.create(
            organisation=organisation,
            offer=in_person,
            name="Tisdagsgruppen",
            form=Group.Form.CLOSED,
            format=Group.Format.IN_PERSON,
            place=in_person.address,
            state=Group.State.RUNNING,
        )
        for position, user in enumerate(leaders):
            GroupLeader.objects.create(
                group=group, organisation=organisation, user=user, position=position
            )
        today = timezone.localdate()
        first_day = today - timedelta(days=14)
        meetings = [
            Meeting.objects.create(
                group=group,
                organisation=organisation,
                starts_at=start,
                minutes=105,
                break_minutes=15,
                opens_by=leaders[0],
                closes_by=leaders[0],
                presents_by=leaders[-1],
            )
            for start in series_starts(first_day, time(18, 0), 8, 1, organisation.zone)
        ]
        pledge = text_for(organisation, "pledge", "sv")
        people: list[tuple[str, str, User | None]] = [
            ("Ada", Relation.PARTNER, relative),
            *[(n, r, None) for n, r in MEMBERS],
        ]
        members = []
        for name, relation, sign_in in people:
            registration = _registration(organisation, in_person, name, relation, sign_in)
            member = GroupMember.objects.create(
                group=group,
                organisation=organisation,
                registration=registration,
                display_name=name,
                status=GroupMember.Status.ACTIVE,
                joined_on=first_day - timedelta(days=7),
            )
            members.append(member)
            if name != "Stig":
                PledgeSignature.objects.create(
                    member=member,
                    organisation=organisation,
                    version=pledge.version,
                    language=pledge.language,
                    text=pledge.text,
                    signed_name=name,
                )
        now = timezone.now()
        for meeting in meetings:
            # A meeting of the series going on now gets ``meeting_now``'s attendance.
            if meeting.starts_at < now - LIVE_WINDOW:
                for index, member in enumerate(members):
                    status = (
                        Attendance.Status.NOTIFIED_ABSENCE
                        if index == 2 and meeting is meetings[0]
                        else Attendance.Status.PRESENT
                    )
                    Attendance.objects.create(
                        meeting=meeting, member=member, organisation=organisation, status=status
                    )
        upcoming = next(m for m in meetings if m.starts_at > now)
        AbsenceNotice.objects.create(
            meeting=upcoming,
            member=members[1],
            organisation=organisation,
            message="Jag har läkartid, vi ses veckan efter.",
        )
        meeting_now(organisation)
        planned = Group.objects.create(
            organisation=organisation,
            offer=digital,
            name="Kvällsgruppen på video",
            form=Group.Form.CLOSED,
            format=Group.Format.DIGITAL,
            video_link="https://video.example.org/demo-room",
            min_size=4,
            max_size=6,
            state=Group.State.PLANNED,
        )
        GroupLeader.objects.create(
            group=planned, organisation=organisation, user=leaders[0], position=0
        )
        # People on the waiting list have had their intake conversation and are ready.
        for registration in Registration.objects.filter(
            organisation=organisation, status=Status.WAITING_LIST
        ):
            Intake.objects.get_or_create(
                registration=registration,
                defaults={
                    "organisation": organisation,
                    "readiness": Readiness.READY,
                    "availability": 0b100100100100100,
                },
            )


def meeting_now(organisation: Organisation) -> None:
    """A practice meeting of the running group going on now, with everyone present but one,
    so that the live meeting panel can be tried at once after ``make run``. When a meeting
    of the group's series falls in that hour (the demo's series meets on today's weekday at
    18:00), that meeting is the one, and it gets the same attendance."""
    group = Group.objects.filter(organisation=organisation, state=Group.State.RUNNING).first()
    if group is None:
        return
    now = timezone.now()
    meeting = Meeting.objects.filter(
        group=group,
        starts_at__lte=now + timedelta(minutes=15),
        starts_at__gte=now - LIVE_WINDOW,
    ).first()
    if meeting is not None and meeting.attendance.exists():
        return
    if meeting is None:
        leaders = [leadership.user for leadership in group.leaderships.all()]
        meeting = Meeting.objects.create(
            group=group,
            organisation=organisation,
            starts_at=now.replace(second=0, microsecond=0) - timedelta(minutes=5),
            minutes=90,
            break_minutes=15,
            opens_by=leaders[0] if leaders else None,
            presents_by=leaders[-1] if leaders else None,
        )
    members = list(group.members.filter(status=GroupMember.Status.ACTIVE).order_by("pk"))
    for index, member in enumerate(members):
        Attendance.objects.create(
            meeting=meeting,
            member=member,
            organisation=organisation,
            status=Attendance.Status.NOTIFIED_ABSENCE
            if index == len(members) - 1
            else Attendance.Status.PRESENT,
        )
