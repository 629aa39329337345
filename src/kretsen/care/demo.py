"""Invented demo data for care: a group that ended in spring, with questionnaires and
feedback from six people, and follow-ups in the running demo group."""

from __future__ import annotations

import random
import uuid
from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.care.models import FollowUp, MeetingFeedback, QuestionnaireRequest, Timepoint
from kretsen.core.models import Organisation, User
from kretsen.core.vocabulary import Condition, Language, Relation, to_mask
from kretsen.directory.models import Offer
from kretsen.groups.models import Attendance, Group, GroupLeader, GroupMember, Meeting
from kretsen.groups.services.meetings import series_starts
from kretsen.intake.models import Intake, Readiness, Registration, Status

SPRING_GROUP = ["Astrid", "Bengt", "Carin", "Dagny", "Einar", "Frida"]
ITEMS = ["cheerful", "calm", "active", "rested", "interest"]


def _answers(rng: random.Random, low: int, high: int) -> dict[str, int]:
    return {key: rng.randint(low, high) for key in ITEMS}


def load_demo(organisation: Organisation, leaders: list[User], relative: User) -> None:
    rng = random.Random(2026)  # noqa: S311 - invented demo numbers, not security
    with scopes_disabled():
        if Group.objects.filter(organisation=organisation, name="Vårgruppen").exists():
            return
        offer = Offer.objects.filter(organisation=organisation).order_by("pk").first()
        assert offer is not None
        today = timezone.localdate()
        first_day = today - timedelta(days=200)
        group = Group.objects.create(
            organisation=organisation,
            offer=offer,
            name="Vårgruppen",
            place=offer.address,
            state=Group.State.ENDED,
        )
        for position, user in enumerate(leaders):
            GroupLeader.objects.create(
                group=group, organisation=organisation, user=user, position=position
            )
        meetings = [
            Meeting.objects.create(
                group=group,
                organisation=organisation,
                starts_at=start,
                minutes=105,
                break_minutes=15,
            )
            for start in series_starts(first_day, time(17, 30), 8, 1, organisation.zone)
        ]
        for index, name in enumerate(SPRING_GROUP):
            registration = Registration.objects.create(
                organisation=organisation,
                offer=offer,
                submission_key=uuid.uuid4(),
                display_name=name,
                phone="+46701234567",
                contact_by_phone=True,
                relation=Relation.PARTNER if index % 3 else Relation.ADULT_CHILD,
                condition=Condition.DEMENTIA,
                languages=to_mask(["sv"], Language),
                status=Status.IN_GROUP,
                consent_version="demo",
                consent_at=timezone.now(),
                created_at=timezone.now() - timedelta(days=240 - index * 5),
            )
            Intake.objects.create(
                registration=registration, organisation=organisation, readiness=Readiness.READY
            )
            member = GroupMember.objects.create(
                group=group,
                organisation=organisation,
                registration=registration,
                display_name=name,
                status=GroupMember.Status.LEFT if name == "Einar" else GroupMember.Status.ACTIVE,
                joined_on=first_day - timedelta(days=7),
                left_on=first_day + timedelta(days=30) if name == "Einar" else None,
            )
            for number, meeting in enumerate(meetings):
                if name == "Einar" and number > 4:
                    break
                status = (
                    Attendance.Status.PRESENT
                    if rng.random() < 0.85
                    else rng.choice([Attendance.Status.NOTIFIED_ABSENCE, Attendance.Status.ABSENT])
                )
                Attendance.objects.create(
                    meeting=meeting, member=member, organisation=organisation, status=status
                )
                if number == 3 and status == Attendance.Status.PRESENT:
                    MeetingFeedback.objects.create(
                        organisation=organisation,
                        meeting=meeting,
                        member=member,
                        felt_safe=rng.choice(["yes", "yes", "yes", "partly"]),
                        enough_space=rng.choice(["yes", "yes", "partly", "no"]),
                    )
            timepoints = [(Timepoint.BASELINE, 1, 3, meetings[0].starts_at)]
            if name != "Einar":
                timepoints.append((Timepoint.END, 2, 4, meetings[-1].starts_at))
            for timepoint, low, high, when in timepoints:
                answers = _answers(rng, low, high)
                QuestionnaireRequest.objects.create(
                    organisation=organisation,
                    member=member,
                    timepoint=timepoint,
                    open_from=when,
                    state=QuestionnaireRequest.State.ANSWERED,
                    answered_at=when,
                    answers=answers,
                    raw_score=sum(answers.values()),
                    percentage=4 * sum(answers.values()),
                )
        running = Group.objects.filter(organisation=organisation, name="Tisdagsgruppen").first()
        if running is None:
            return
        for member in running.members.select_related("registration"):
            if member.registration.user_id == relative.pk:
                QuestionnaireRequest.objects.get_or_create(
                    member=member,
                    instrument="who5",
                    timepoint=Timepoint.BASELINE,
                    defaults={"organisation": organisation},
                )
            if member.display_name == "Stig":
                FollowUp.objects.create(
                    organisation=organisation,
                    member=member,
                    reason=FollowUp.Reason.BURDENED,
                    note="Verkade mycket trött och gick tidigt.",
                    flagged_by=leaders[0],
                    due_on=today - timedelta(days=2),
                )
