"""Questionnaires: asked at timepoints, answered once on the phone, scored, followed up."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.care import questionnaires
from kretsen.care.models import FollowUp, QuestionnaireRequest, Timepoint
from kretsen.care.services import followups
from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.groups.models import GroupMember

INSTRUMENT = "who5"
FOLLOW_UP_AFTER = timedelta(days=90)


def ask(
    member: GroupMember, timepoint: str, open_from: datetime | None = None
) -> QuestionnaireRequest:
    """Ask once: asking again for the same timepoint returns the first request."""
    request, _created = QuestionnaireRequest.objects.get_or_create(
        member=member,
        instrument=INSTRUMENT,
        timepoint=timepoint,
        defaults={"organisation": member.organisation, "open_from": open_from or timezone.now()},
    )
    return request


def ask_at_end(member: GroupMember, now: datetime | None = None) -> None:
    now = now or timezone.now()
    ask(member, Timepoint.END, now)
    ask(member, Timepoint.FOLLOW_UP, now + FOLLOW_UP_AFTER)


def open_requests(
    members: list[GroupMember], now: datetime | None = None
) -> list[QuestionnaireRequest]:
    return list(
        QuestionnaireRequest.objects.filter(
            member__in=members,
            state=QuestionnaireRequest.State.OPEN,
            open_from__lte=now or timezone.now(),
        ).select_related("member__group__organisation")
    )


@transaction.atomic
def answer(
    request: HttpRequest, asked: QuestionnaireRequest, answers: dict[str, int]
) -> questionnaires.Score:
    """Store the answers and the score; a low score creates a follow-up for the coordinator."""
    locked = QuestionnaireRequest.objects.select_for_update().get(pk=asked.pk)
    if locked.state != QuestionnaireRequest.State.OPEN:
        raise DomainError(_("You have already answered this questionnaire. Thank you."))
    instrument = questionnaires.load(locked.instrument)
    try:
        score = instrument.score(answers)
    except questionnaires.InvalidAnswers as error:
        raise DomainError(_("Answer every statement, or skip the questionnaire.")) from error
    locked.answers = answers
    locked.raw_score = score.raw
    locked.percentage = score.percentage
    locked.state = QuestionnaireRequest.State.ANSWERED
    locked.answered_at = timezone.now()
    locked.save()
    audit.log(
        request,
        "care.questionnaire.answered",
        locked,
        organisation=locked.organisation,
        data={"timepoint": locked.timepoint},
    )
    if score.needs_follow_up:
        followups.flag(request, locked.member, FollowUp.Reason.LOW_WELLBEING, "")
    return score


@transaction.atomic
def skip(request: HttpRequest, asked: QuestionnaireRequest) -> None:
    if asked.state == QuestionnaireRequest.State.SKIPPED:
        return
    if asked.state != QuestionnaireRequest.State.OPEN:
        raise DomainError(_("You have already answered this questionnaire. Thank you."))
    asked.state = QuestionnaireRequest.State.SKIPPED
    asked.save(update_fields=["state"])
    audit.log(request, "care.questionnaire.skipped", asked, organisation=asked.organisation)
