"""Who may open a meeting's live panel: the same rules for the pages and the WebSocket.

Leaders: a staff user with both factors, an active role in the organisation, who leads the
meeting's group. Participants: the relative whose own active membership it is, unless the
leaders marked them absent from this meeting.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_scopes import scope, scopes_disabled

from kretsen.core.middleware import SessionLifetimeMiddleware
from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.core.roles import Role
from kretsen.groups.models import Attendance, GroupLeader, GroupMember, Meeting

ABSENT = (Attendance.Status.ABSENT, Attendance.Status.NOTIFIED_ABSENCE)


@dataclass(frozen=True)
class LiveAccess:
    meeting: Meeting
    organisation: Organisation
    member: GroupMember | None  # None for a leader

    @property
    def is_leader(self) -> bool:
        return self.member is None


def leads(user: User, meeting: Meeting) -> bool:
    return GroupLeader.objects.filter(group_id=meeting.group_id, user=user).exists()


def is_present_or_unmarked(member: GroupMember, meeting: Meeting) -> bool:
    return not Attendance.objects.filter(meeting=meeting, member=member, status__in=ABSENT).exists()


def session_is_current(session: SessionBase) -> bool:
    """The idle and absolute limits of ``SessionLifetimeMiddleware``, for a WebSocket."""
    now = int(time.time())
    started = session.get(SessionLifetimeMiddleware.STARTED)
    seen = session.get(SessionLifetimeMiddleware.SEEN)
    if started is None or seen is None:
        return False
    return (
        now - seen <= settings.SESSION_IDLE_MINUTES * 60
        and now - started <= settings.SESSION_ABSOLUTE_HOURS * 3600
    )


def _second_factor_passed(user: User, session: SessionBase) -> bool:
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and bool(device.confirmed)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def for_leader(user: Any, session: SessionBase, kwargs: dict[str, Any]) -> LiveAccess | None:
    """The meeting behind a leader's WebSocket URL, or None (refused)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_relative", True):
        return None
    if not session_is_current(session) or not _second_factor_passed(user, session):
        return None
    organisation = Organisation.objects.filter(slug=str(kwargs.get("org", ""))).first()
    group_id, meeting_id = _uuid(kwargs.get("group")), _uuid(kwargs.get("meeting"))
    if organisation is None or group_id is None or meeting_id is None:
        return None
    with scope(organisation=organisation):
        membership = StaffMembership.objects.filter(user=user, is_active=True).first()
        if membership is None or not membership.roles & {Role.LEADER, Role.COORDINATOR}:
            return None
        meeting = (
            Meeting.objects.select_related("group", "organisation")
            .filter(public_id=meeting_id, group__public_id=group_id)
            .first()
        )
        if meeting is None or not leads(user, meeting):
            return None
    return LiveAccess(meeting=meeting, organisation=organisation, member=None)


def own_member_and_meeting(
    user: Any, member_id: Any, meeting_id: Any
) -> tuple[GroupMember, Meeting] | None:
    """A relative's own active membership and one of its group's meetings, or None."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_relative", False):
        return None
    member_key, meeting_key = _uuid(member_id), _uuid(meeting_id)
    if member_key is None or meeting_key is None:
        return None
    with scopes_disabled():
        member = (
            GroupMember.objects.filter(
                public_id=member_key,
                registration__user=user,
                status=GroupMember.Status.ACTIVE,
            )
            .select_related("group__organisation")
            .first()
        )
        if member is None:
            return None
        meeting = (
            Meeting.objects.select_related("organisation", "group")
            .filter(group=member.group, public_id=meeting_key)
            .first()
        )
    if meeting is None:
        return None
    return member, meeting


def for_participant(user: Any, session: SessionBase, kwargs: dict[str, Any]) -> LiveAccess | None:
    """The meeting behind a participant's WebSocket URL, or None (refused)."""
    if not session_is_current(session):
        return None
    found = own_member_and_meeting(user, kwargs.get("member"), kwargs.get("meeting"))
    if found is None:
        return None
    member, meeting = found
    with scope(organisation=meeting.organisation):
        if not is_present_or_unmarked(member, meeting):
            return None
    return LiveAccess(meeting=meeting, organisation=meeting.organisation, member=member)
