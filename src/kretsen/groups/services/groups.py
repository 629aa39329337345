"""Creating and changing groups: leaders, states, the handover to a self-run group."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.directory.models import Offer
from kretsen.groups import signals
from kretsen.groups.models import Group, GroupLeader, GroupMember, GroupSettings
from kretsen.groups.video import ensure_room

STATE_TRANSITIONS: dict[str, set[str]] = {
    Group.State.PLANNED: {Group.State.RUNNING, Group.State.ENDED},
    Group.State.RUNNING: {Group.State.SELF_RUN, Group.State.ENDED},
    Group.State.SELF_RUN: {Group.State.ENDED},
    Group.State.ENDED: set(),
}

GROUP_FIELDS = ("name", "form", "format", "place", "video_link", "min_size", "max_size")


def settings_for(organisation: Organisation) -> GroupSettings:
    found, _created = GroupSettings.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def save_settings(
    request: HttpRequest, changed: GroupSettings, fields: list[str], *, new_secret: str = ""
) -> None:
    """Save an admin's group settings; the video secret changes only when a new one is given
    (the form never shows the stored one)."""
    if new_secret:
        changed.jitsi_app_secret = new_secret
    changed.save()
    audit.log(request, "groups.settings.changed", changed, data={"fields": fields})


def possible_leaders(organisation: Organisation) -> list[User]:
    """Active staff of the organisation who hold the leader or coordinator role."""
    memberships = StaffMembership.objects.filter(organisation=organisation, is_active=True)
    return [
        m.user
        for m in memberships.select_related("user").order_by("user__display_name", "user__email")
        if m.is_leader or m.is_coordinator
    ]


def defaults_from_offer(offer: Offer) -> dict[str, object]:
    digital = offer.format == "digital"
    form = offer.form if offer.form in Group.Form.values else Group.Form.CLOSED
    return {
        "form": form,
        "format": Group.Format.DIGITAL if digital else Group.Format.IN_PERSON,
        "place": "" if digital else offer.address,
        "min_size": offer.min_size,
        "max_size": min(offer.max_size, 6) if digital and offer.max_size > 6 else offer.max_size,
    }


def _check(group: Group, leaders: list[User]) -> None:
    if group.min_size > group.max_size:
        raise DomainError(_("The fewest members cannot be more than the most members."))
    if len(leaders) > 2:
        raise DomainError(_("A group has at most two leaders."))
    if len(set(leaders)) != len(leaders):
        raise DomainError(_("Choose two different leaders."))
    if not leaders:
        raise DomainError(_("Choose at least one leader."))
    if group.format == Group.Format.IN_PERSON and not group.place.strip():
        raise DomainError(_("Say where the group meets."))
    if (
        group.pk
        and GroupMember.objects.filter(group=group, status__in=GroupMember.TAKING_A_PLACE).count()
        > group.max_size
    ):
        raise DomainError(_("The group already has more members than that."))


def _set_leaders(group: Group, leaders: list[User]) -> None:
    GroupLeader.objects.filter(group=group).exclude(user__in=leaders).delete()
    for position, user in enumerate(leaders):
        GroupLeader.objects.update_or_create(
            group=group,
            user=user,
            defaults={"organisation": group.organisation, "position": position},
        )


@transaction.atomic
def save(request: HttpRequest, group: Group, leaders: list[User], *, created: bool) -> Group:
    _check(group, leaders)
    group.save()
    _set_leaders(group, leaders)
    if group.is_digital:
        settings = settings_for(group.organisation)
        if settings.uses_jitsi:
            ensure_room(group, settings)
    audit.log(
        request,
        "groups.group.created" if created else "groups.group.changed",
        group,
        data={"leaders": [u.email for u in leaders], "state": group.state},
    )
    return group


def leaders_of(group: Group) -> list[User]:
    return [leadership.user for leadership in group.leaderships.select_related("user")]


def has_one_leader(group: Group) -> bool:
    return group.leaderships.count() < 2


def allowed_states(group: Group) -> list[str]:
    return [s for s in Group.State.values if s in STATE_TRANSITIONS[group.state]]


@transaction.atomic
def change_state(request: HttpRequest, group: Group, to: str) -> None:
    if to == group.state:
        return
    if to not in STATE_TRANSITIONS[group.state]:
        raise DomainError(
            _("A group that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": Group.State(group.state).label,
                "next": Group.State(to).label if to in Group.State.values else to,
            }
        )
    if to == Group.State.SELF_RUN and group.contact_member is None:
        raise DomainError(_("Choose a contact person among the members first."))
    before = group.state
    group.state = to
    group.state_changed_at = timezone.now()
    group.save(update_fields=["state", "state_changed_at"])
    audit.log(request, "groups.group.state_changed", group, data={"from": before, "to": to})
    if to in (Group.State.SELF_RUN, Group.State.ENDED) and before == Group.State.RUNNING:
        signals.group_finished.send(sender=Group, group=group)


@transaction.atomic
def hand_over(request: HttpRequest, group: Group, contact: GroupMember) -> None:
    """The led period ends; the members carry on, with one of them as contact person."""
    if contact.group_id != group.pk or contact.status != GroupMember.Status.ACTIVE:
        raise DomainError(_("The contact person must be an active member of the group."))
    group.contact_member = contact
    group.save(update_fields=["contact_member"])
    audit.log(
        request, "groups.group.contact_chosen", group, data={"member": str(contact.public_id)}
    )
    if group.state == Group.State.RUNNING:
        change_state(request, group, Group.State.SELF_RUN)


def groups_led_by(user: User, groups: QuerySet[Group]) -> QuerySet[Group]:
    return groups.filter(leaderships__user=user).distinct()
