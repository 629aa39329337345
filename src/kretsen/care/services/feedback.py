"""Short, optional feedback after a meeting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.care.models import MeetingFeedback
from kretsen.core.errors import DomainError
from kretsen.core.formatting import plain
from kretsen.groups.models import Group, GroupMember, Meeting

OPEN_FOR = timedelta(days=14)
TAKEAWAY_MAX = 1000


def can_give(member: GroupMember, meeting: Meeting) -> bool:
    now = timezone.now()
    return (
        member.status == GroupMember.Status.ACTIVE
        and meeting.group_id == member.group_id
        and not meeting.is_cancelled
        and meeting.starts_at <= now <= meeting.ends_at + OPEN_FOR
    )


def pending_meetings(member: GroupMember) -> list[Meeting]:
    """Recent meetings of the member's group that they have not given feedback on."""
    now = timezone.now()
    given = MeetingFeedback.objects.filter(member=member).values("meeting_id")
    absent = member.absences.values("meeting_id")
    return list(
        Meeting.objects.filter(
            group=member.group,
            state=Meeting.State.SCHEDULED,
            starts_at__lte=now,
            starts_at__gte=now - OPEN_FOR,
        )
        .exclude(pk__in=given)
        .exclude(pk__in=absent)
        .order_by("-starts_at")[:2]
    )


@transaction.atomic
def give(
    request: HttpRequest,
    member: GroupMember,
    meeting: Meeting,
    *,
    felt_safe: str,
    enough_space: str,
    takeaway: str,
    show_name: bool,
) -> MeetingFeedback:
    if not can_give(member, meeting):
        raise DomainError(_("Feedback for this meeting is closed."))
    try:
        with transaction.atomic():
            return MeetingFeedback.objects.create(
                organisation=member.organisation,
                meeting=meeting,
                member=member,
                felt_safe=felt_safe,
                enough_space=enough_space,
                takeaway=plain(takeaway)[:TAKEAWAY_MAX] or None,
                show_name=show_name,
            )
    except IntegrityError:
        # A double press: the first answer stands.
        return MeetingFeedback.objects.get(meeting=meeting, member=member)


@dataclass(frozen=True)
class MeetingSummary:
    """Feedback on one meeting as the leaders see it.

    Anonymous answers count only from five up: below that, neither the number of answers,
    nor the counts, nor the words are shown, since any of them could point at a person. An
    answer whose author chose to show their name is shown with the name at any number."""

    meeting: Meeting
    answers: int | None
    felt_safe: dict[str, int] | None
    enough_space: dict[str, int] | None
    takeaways: list[tuple[str, str | None]]

    @property
    def enough(self) -> bool:
        return self.answers is not None


SHOW_COUNTS_FROM = 5


def summarise(meeting: Meeting, given: list[MeetingFeedback]) -> MeetingSummary | None:
    if not given:
        return None
    if len(given) >= SHOW_COUNTS_FROM:
        return MeetingSummary(
            meeting=meeting,
            answers=len(given),
            felt_safe=Counter(g.felt_safe for g in given),
            enough_space=Counter(g.enough_space for g in given),
            takeaways=[
                (g.takeaway, g.member.display_name if g.show_name else None)
                for g in given
                if g.takeaway
            ],
        )
    named = [(g.takeaway, g.member.display_name) for g in given if g.takeaway and g.show_name]
    return MeetingSummary(
        meeting=meeting,
        answers=None,
        felt_safe=None,
        enough_space=None,
        takeaways=[(words, name) for words, name in named],
    )


def recent_for_leaders(group: Group, meetings: int = 3) -> list[MeetingSummary]:
    recent = list(
        Meeting.objects.filter(
            group=group, state=Meeting.State.SCHEDULED, starts_at__lte=timezone.now()
        ).order_by("-starts_at")[:meetings]
    )
    rows = MeetingFeedback.objects.filter(meeting__in=recent).select_related("member")
    by_meeting: dict[int, list[MeetingFeedback]] = {}
    for row in rows:
        by_meeting.setdefault(row.meeting_id, []).append(row)
    summaries = []
    for meeting in recent:
        summary = summarise(meeting, by_meeting.get(meeting.pk, []))
        if summary is not None:
            summaries.append(summary)
    return summaries
