"""A relative's own group places and meetings.

These run inside ``relative_scope`` (the ``relative_required`` decorator opens it); the rule
that makes a record the person's own is in each query: ``registration__user=user``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from kretsen.core.models import User
from kretsen.groups.models import Group, GroupMember, Meeting


def memberships(user: User) -> list[GroupMember]:
    """Places the person holds or is invited to, in groups that have not ended."""
    return list(
        GroupMember.objects.filter(
            registration__user=user,
            status__in=(GroupMember.Status.INVITED, GroupMember.Status.ACTIVE),
        )
        .exclude(group__state=Group.State.ENDED)
        .select_related("group__organisation", "group__offer", "registration")
    )


def member(user: User, public_id: uuid.UUID) -> GroupMember:
    """The person's own place; anyone else's answers 404."""
    found = (
        GroupMember.objects.filter(public_id=public_id, registration__user=user)
        .select_related("group__organisation", "group__offer", "registration__referred_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def meeting(place: GroupMember, public_id: uuid.UUID) -> Meeting:
    """A meeting of the group the place belongs to; any other answers 404."""
    found = Meeting.objects.filter(group=place.group, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def upcoming(place: GroupMember) -> list[Meeting]:
    """The group's next meetings, including one that started in the last three hours."""
    return list(
        Meeting.objects.filter(
            group=place.group, starts_at__gte=timezone.now() - timedelta(hours=3)
        ).order_by("starts_at")[:12]
    )


def next_meeting(place: GroupMember) -> Meeting | None:
    return (
        Meeting.objects.filter(
            group=place.group, starts_at__gte=timezone.now(), state=Meeting.State.SCHEDULED
        )
        .order_by("starts_at")
        .first()
    )
