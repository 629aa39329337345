"""What the groups app does when something happens in a lower app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_scopes import scope

from kretsen.groups.models import GroupMember
from kretsen.groups.services import members as member_service
from kretsen.intake.models import Registration


def leave_on_withdrawal(
    sender: Any, registration: Registration, request: HttpRequest, **kwargs: Any
) -> None:
    """Withdrawing ends every place held or offered: no more reminders, invitations or
    member pages for a group the person no longer belongs to."""
    with scope(organisation=registration.organisation):
        for member in GroupMember.objects.filter(
            registration=registration, status__in=GroupMember.TAKING_A_PLACE
        ).select_related("group"):
            if member.status == GroupMember.Status.INVITED:
                member_service.answer(request, member, accept=False)
            else:
                member_service.leave(request, member, "", by_member=True)
