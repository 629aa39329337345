"""Follow-ups: a leader flags, the coordinator follows up and records the outcome."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.care.models import FollowUp
from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.formatting import plain
from kretsen.core.models import User
from kretsen.groups.models import Attendance, Group, GroupMember, Meeting

DUE_AFTER = timedelta(days=7)
NOTE_MAX = 2000


@transaction.atomic
def flag(
    request: HttpRequest | None,
    member: GroupMember,
    reason: str,
    note: str,
    *,
    meeting: Meeting | None = None,
    by: User | None = None,
) -> FollowUp:
    """Create a follow-up task for the coordinator; the same open flag twice is one task."""
    if reason not in FollowUp.Reason.values:
        raise DomainError(_("Choose a reason."))
    existing = FollowUp.objects.filter(
        member=member, reason=reason, meeting=meeting, outcome=""
    ).first()
    if existing is not None:
        return existing
    follow_up = FollowUp.objects.create(
        organisation=member.organisation,
        member=member,
        meeting=meeting,
        reason=reason,
        note=plain(note)[:NOTE_MAX] or None,
        flagged_by=by,
        due_on=timezone.localdate() + DUE_AFTER,
    )
    audit.log(
        request,
        "care.follow_up.flagged",
        follow_up,
        organisation=member.organisation,
        actor=by,
        data={"reason": reason},
    )
    return follow_up


@transaction.atomic
def close(request: HttpRequest, follow_up: FollowUp, outcome: str, note: str, by: User) -> None:
    if not follow_up.is_open:
        if follow_up.outcome == outcome:
            return  # a double press
        raise DomainError(_("This follow-up is already closed."))
    if outcome not in FollowUp.Outcome.values:
        raise DomainError(_("Choose what was done."))
    follow_up.outcome = outcome
    follow_up.outcome_note = plain(note)[:NOTE_MAX] or None
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = by
    follow_up.save()
    audit.log(request, "care.follow_up.closed", follow_up, data={"outcome": outcome})


# Questionnaire answers are promised to the coordinator alone, so a follow-up that a score
# started never reaches a leader: the coordinator decides what, if anything, a leader hears.
COORDINATOR_ONLY_REASONS = (FollowUp.Reason.LOW_WELLBEING,)


def visible_to(user: User, is_coordinator: bool) -> QuerySet[FollowUp]:
    """Coordinators see the organisation's follow-ups; leaders those of their own groups,
    except those a questionnaire score started."""
    found = FollowUp.objects.select_related(
        "member__group", "member__registration", "flagged_by", "meeting"
    )
    if is_coordinator:
        return found
    return (
        found.filter(member__group__leaderships__user=user)
        .exclude(reason__in=COORDINATOR_ONLY_REASONS)
        .distinct()
    )


def repeated_absence(group: Group) -> list[GroupMember]:
    """Active members whose two latest recorded meetings were both missed without notice.

    Only a suggestion for the leaders: nothing is flagged until someone decides to."""
    rows = (
        Attendance.objects.filter(
            meeting__group=group,
            member__status=GroupMember.Status.ACTIVE,
            meeting__state=Meeting.State.SCHEDULED,
        )
        .exclude(member__isnull=True)
        .order_by("member_id", "-meeting__starts_at")
        .values_list("member_id", "status")
    )
    latest: dict[int, list[str]] = {}
    for member_id, status in rows:
        if member_id is not None and len(latest.setdefault(member_id, [])) < 2:
            latest[member_id].append(status)
    absent = [
        member_id
        for member_id, statuses in latest.items()
        if statuses == [Attendance.Status.ABSENT, Attendance.Status.ABSENT]
    ]
    flagged = set(
        FollowUp.objects.filter(
            member_id__in=absent, reason=FollowUp.Reason.REPEATED_ABSENCE, outcome=""
        ).values_list("member_id", flat=True)
    )
    return list(
        GroupMember.objects.filter(pk__in=[m for m in absent if m not in flagged]).order_by(
            "display_name"
        )
    )
