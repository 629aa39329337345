"""Object graphs for the groups tests: a group with leaders, members and meetings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from kretsen.core.models import Organisation, User
from kretsen.core.vocabulary import AgeBand, Condition, Relation
from kretsen.directory.models import Offer
from kretsen.groups.models import Group, GroupLeader, GroupMember, Meeting
from kretsen.intake.models import Intake, Readiness, Registration, Status
from tests.conftest import make_registration


def make_group(
    organisation: Organisation, offer: Offer, leaders: list[User], **extra: object
) -> Group:
    fields: dict[str, object] = {
        "organisation": organisation,
        "offer": offer,
        "name": "Tisdagsgruppen",
        "form": Group.Form.CLOSED,
        "format": Group.Format.IN_PERSON,
        "place": "Storgatan 1, rum 3",
        "min_size": 4,
        "max_size": 8,
        "state": Group.State.RUNNING,
    }
    fields.update(extra)
    group = Group.objects.create(**fields)
    for position, user in enumerate(leaders):
        GroupLeader.objects.create(
            group=group, organisation=organisation, user=user, position=position
        )
    return group


def make_ready(organisation: Organisation, name: str = "Eva", **extra: object) -> Registration:
    """Someone on the waiting list, assessed ready for a group."""
    registration = make_registration(
        organisation,
        display_name=name,
        status=Status.WAITING_LIST,
        waiting_since=timezone.localdate() - timedelta(days=30),
        **extra,
    )
    Intake.objects.create(
        registration=registration, organisation=organisation, readiness=Readiness.READY
    )
    return registration


def make_list_where_fairness_binds(
    organisation: Organisation,
    offer: Offer,
    partners: Sequence[str],
    child: str,
    availability: int,
    area: str,
    **extra: object,
) -> tuple[list[Registration], Registration]:
    """Four partners of someone with dementia, all 80 or older, who are most alike, and the
    adult child of someone with an addiction, who has waited longest (200 days): groups of
    exactly four, one at a time, must take the child in to keep the fairness rule (decision
    0137). All at one slot and in one area."""
    people = [
        make_ready(organisation, name, offer=offer, age_band=AgeBand.AGE_80, **extra)
        for name in partners
    ]
    longest = make_ready(
        organisation,
        child,
        offer=offer,
        relation=Relation.ADULT_CHILD,
        condition=Condition.ADDICTION,
        age_band=AgeBand.AGE_45_64,
        **extra,
    )
    Registration.objects.filter(pk=longest.pk).update(
        waiting_since=timezone.localdate() - timedelta(days=200)
    )
    Intake.objects.filter(registration__in=[*people, longest]).update(
        availability=availability, area=area
    )
    return people, longest


def make_member(
    group: Group,
    registration: Registration,
    status: str = GroupMember.Status.ACTIVE,
) -> GroupMember:
    return GroupMember.objects.create(
        group=group,
        organisation=group.organisation,
        registration=registration,
        display_name=registration.display_name,
        status=status,
        joined_on=timezone.localdate() - timedelta(days=14)
        if status == GroupMember.Status.ACTIVE
        else None,
    )


def make_meeting(group: Group, in_hours: float = 48, minutes: int = 90, **extra: object) -> Meeting:
    return Meeting.objects.create(
        group=group,
        organisation=group.organisation,
        starts_at=(timezone.now() + timedelta(hours=in_hours)).replace(second=0, microsecond=0),
        minutes=minutes,
        break_minutes=15,
        **extra,
    )


def request_for(user: User, organisation: Organisation | None = None) -> HttpRequest:
    """A request from ``user``, for calling services directly."""
    request = RequestFactory().post("/")
    request.user = user
    if organisation is not None:
        request.organisation = organisation  # type: ignore[attr-defined]
    return request
