"""Attendance of one meeting: members present or absent, and drop-in visitors."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.core import audit, localise
from kretsen.core.errors import DomainError
from kretsen.groups.models import Attendance, GroupMember, Meeting


def can_be_taken(meeting: Meeting) -> bool:
    """Attendance is about a meeting that has happened: it can be taken from its start."""
    return meeting.has_started()


def starts_label(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at, meeting.organisation.zone)
    return localise.local_date(local, "WEEKDAY_DAY_MONTH_TIME_FORMAT")


def expected_members(meeting: Meeting) -> list[GroupMember]:
    """Members who belonged to the group on the meeting's day."""
    day = timezone.localtime(meeting.starts_at, meeting.organisation.zone).date()
    return list(
        GroupMember.objects.filter(group=meeting.group, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .filter(status__in=(GroupMember.Status.ACTIVE, GroupMember.Status.LEFT))
        .order_by("display_name", "pk")
    )


def recorded(meeting: Meeting) -> dict[GroupMember, str]:
    return {
        row.member: row.status
        for row in meeting.attendance.filter(member__isnull=False).select_related("member")
        if row.member is not None
    }


def visitor_names(meeting: Meeting) -> list[str]:
    return list(
        meeting.attendance.filter(member__isnull=True)
        .order_by("pk")
        .values_list("visitor_name", flat=True)
    )


@transaction.atomic
def record(
    request: HttpRequest,
    meeting: Meeting,
    statuses: dict[GroupMember, str],
    visitors: list[str],
) -> None:
    """Save attendance; saving again replaces what was saved (a double press is harmless)."""
    if meeting.is_cancelled:
        raise DomainError(_("This meeting is cancelled."))
    if not can_be_taken(meeting):
        raise DomainError(
            _("Attendance can be taken from when the meeting begins, %(when)s.")
            % {"when": starts_label(meeting)}
        )
    expected = {m.pk for m in expected_members(meeting)}
    for member, status in statuses.items():
        if member.pk not in expected or status == Attendance.Status.DROP_IN:
            raise DomainError(_("Attendance is only taken for the group's members."))
        Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"status": status, "organisation": meeting.organisation},
        )
    meeting.attendance.filter(member__isnull=True).delete()
    for name in visitors:
        Attendance.objects.create(
            meeting=meeting,
            organisation=meeting.organisation,
            status=Attendance.Status.DROP_IN,
            visitor_name=name,
        )
    audit.log(
        request,
        "groups.attendance.recorded",
        meeting,
        data={"members": len(statuses), "visitors": len(visitors)},
    )
