"""Staff of an organisation: invitations, roles, deactivation."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from kretsen.core import audit, mail
from kretsen.core.errors import DomainError
from kretsen.core.models import (
    Invitation,
    Organisation,
    StaffMembership,
    User,
    hash_token,
    new_token,
)
from kretsen.core.roles import Role


def active_memberships(user: User) -> list[StaffMembership]:
    """A staff user's active roles in every organisation, for choosing where to work: the
    rule (this user's own memberships) is in the query."""
    with scopes_disabled():
        return list(
            StaffMembership.objects.filter(user=user, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )


def _apply_roles(membership: StaffMembership, roles: set[Role]) -> None:
    membership.is_admin = Role.ADMIN in roles
    membership.is_coordinator = Role.COORDINATOR in roles
    membership.is_leader = Role.LEADER in roles


def _other_active_admins(membership: StaffMembership) -> bool:
    return (
        StaffMembership.objects.filter(
            organisation=membership.organisation, is_admin=True, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def invite(
    request: HttpRequest,
    organisation: Organisation,
    email: str,
    display_name: str,
    roles: set[Role],
    language: str,
) -> StaffMembership:
    if not roles:
        raise DomainError(_("Choose at least one role."))
    email = email.strip().lower()
    user = User.objects.staff().filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_staff_user(email, display_name=display_name, language=language)
    elif StaffMembership.objects.filter(organisation=organisation, user=user).exists():
        raise DomainError(_("This person is already staff in your organisation."))
    membership = StaffMembership(organisation=organisation, user=user)
    _apply_roles(membership, roles)
    membership.save()
    audit.log(
        request,
        "core.staff.invited",
        membership,
        data={"roles": sorted(str(r) for r in roles)},
    )
    from kretsen.core.tasks import send_staff_invitation

    transaction.on_commit(
        lambda: send_staff_invitation.enqueue(membership_id=membership.pk, language=language)
    )
    return membership


def create_and_send_invitation(membership_id: int, language: str) -> None:
    with scopes_disabled():
        membership = StaffMembership.objects.select_related("user", "organisation").get(
            pk=membership_id
        )
    user = membership.user
    organisation = membership.organisation
    if user.has_usable_password():
        # Already has an account elsewhere: tell them, no new password needed.
        link = settings.SITE_URL + reverse("core:staff-home")
    else:
        raw = new_token()
        Invitation.objects.create(
            organisation=organisation,
            user=user,
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        link = settings.SITE_URL + reverse("core:staff-invitation", args=[raw])
    mail.send(
        user.email,
        user.language or language,
        "core/mail/staff_invitation",
        {"organisation": organisation.name, "link": link, "days": settings.INVITATION_DAYS},
    )


@transaction.atomic
def change_roles(request: HttpRequest, membership: StaffMembership, roles: set[Role]) -> None:
    if not roles:
        raise DomainError(_("Choose at least one role."))
    if membership.is_admin and Role.ADMIN not in roles and not _other_active_admins(membership):
        raise DomainError(_("The organisation must keep at least one active admin."))
    before = sorted(str(r) for r in membership.roles)
    _apply_roles(membership, roles)
    membership.save(update_fields=["is_admin", "is_coordinator", "is_leader"])
    audit.log(
        request,
        "core.staff.roles_changed",
        membership,
        data={"before": before, "after": sorted(str(r) for r in roles)},
    )


@transaction.atomic
def deactivate(request: HttpRequest, membership: StaffMembership) -> None:
    """Take away the person's access to the organisation and end all their sessions."""
    if membership.user_id == request.user.pk:
        raise DomainError(_("You cannot deactivate yourself."))
    if not membership.is_active:
        return
    if membership.is_admin and not _other_active_admins(membership):
        raise DomainError(_("The organisation must keep at least one active admin."))
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    user = membership.user
    with scopes_disabled():
        still_staff = StaffMembership.objects.filter(user=user, is_active=True).exists()
    if not still_staff and not user.is_staff:
        user.is_active = False
        user.save(update_fields=["is_active"])
    user.end_all_sessions()
    audit.log(request, "core.staff.deactivated", membership)


@transaction.atomic
def reactivate(request: HttpRequest, membership: StaffMembership) -> None:
    if membership.is_active:
        return
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at"])
    if not membership.user.is_active:
        membership.user.is_active = True
        membership.user.save(update_fields=["is_active"])
    audit.log(request, "core.staff.reactivated", membership)


def find_invitation(raw: str) -> Invitation:
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("user", "organisation")
            .filter(token_hash=hash_token(raw))
            .first()
        )
    if invitation is None or not invitation.is_usable() or not invitation.user.is_active:
        raise DomainError(
            _("This invitation is no longer valid. Ask your organisation's admin for a new one.")
        )
    return invitation


@transaction.atomic
def accept_invitation(request: HttpRequest, raw: str, display_name: str, password: str) -> User:
    invitation = find_invitation(raw)
    with scopes_disabled():
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
    if claimed != 1:
        raise DomainError(
            _("This invitation is no longer valid. Ask your organisation's admin for a new one.")
        )
    user = invitation.user
    user.set_password(password)
    if display_name:
        user.display_name = display_name
    user.save()
    audit.log(
        request,
        "core.staff.invitation_accepted",
        user,
        organisation=invitation.organisation,
        actor=user,
    )
    return user
