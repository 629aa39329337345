"""Shared digital pools: organisations that agreed to form digital groups together.

What crosses the line between organisations, and when (decision 0041):

- While groups are proposed, the proposing organisation sees the other organisations' people
  only as pseudonyms ("<organisation>, person 3") with what the engine needs: relation,
  condition, age band, languages, times and days waiting. Only people whose intake records
  that they agreed to it (``Intake.shared_pool``), who accept digital groups and are ready.
- Accepting creates the groups in the proposing organisation (the host) and, for each person
  from elsewhere, a pending ``Transfer``. Their own coordinator releases or keeps them.
- Releasing copies the person's contact details and answers (no intake notes) into a new
  registration of the host, which invites them; at home the registration becomes "referred".
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from kretsen.core import audit
from kretsen.core.access import signed_in_user
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation
from kretsen.core.vocabulary import Format
from kretsen.groups.models import Group
from kretsen.groups.services import members as member_service
from kretsen.intake.models import Intake, Readiness, Registration, Status
from kretsen.intake.services.registrations import REGISTRATION_FIELDS
from kretsen.intake.services.workflow import transition
from kretsen.matching.models import PoolMember, Proposal, SharedPool, Transfer

# What a released person brings to the host organisation; never intake notes or wishes.
COPIED = (
    "user",
    *(name for name in REGISTRATION_FIELDS if name != "wish"),
    "ui_language",
    "consent_version",
    "consent_at",
    "waiting_since",
)


def memberships(organisation: Organisation) -> QuerySet[PoolMember]:
    """This organisation's answers to shared pools, invitations included."""
    return (
        PoolMember.objects.filter(organisation=organisation)
        .select_related("pool", "pool__host")
        .order_by("pool__name", "pool__pk")
    )


def agreed_pools(organisation: Organisation) -> list[SharedPool]:
    return [
        m.pool for m in memberships(organisation).filter(state=PoolMember.State.AGREED).order_by()
    ]


def partners(pool: SharedPool, organisation: Organisation) -> list[Organisation]:
    """The other organisations that take part in ``pool``."""
    with scopes_disabled():
        return list(
            Organisation.objects.filter(
                pk__in=PoolMember.objects.filter(pool=pool, state=PoolMember.State.AGREED)
                .exclude(organisation=organisation)
                .values("organisation_id")
            ).order_by("name", "pk")
        )


def own_pool(organisation: Organisation, public_id: uuid.UUID | str) -> SharedPool:
    """A pool this organisation takes part in, else a DomainError (never another's pool)."""
    found = (
        PoolMember.objects.filter(
            organisation=organisation, pool__public_id=public_id, state=PoolMember.State.AGREED
        )
        .select_related("pool")
        .first()
    )
    if found is None:
        raise DomainError(_("Your organisation does not take part in that shared pool."))
    return found.pool


@transaction.atomic
def create_pool(
    request: HttpRequest, organisation: Organisation, name: str, invited: list[Organisation]
) -> SharedPool:
    user = signed_in_user(request)
    pool = SharedPool.objects.create(name=name, host=organisation, created_by=user)
    PoolMember.objects.create(
        pool=pool, organisation=organisation, state=PoolMember.State.AGREED, changed_by=user
    )
    for other in invited:
        if other.pk != organisation.pk:
            PoolMember.objects.create(pool=pool, organisation=other, changed_by=user)
    audit.log(
        request,
        "matching.shared_pool.created",
        pool,
        data={"invited": [o.slug for o in invited]},
    )
    return pool


ANSWERS = {
    "agree": (PoolMember.State.AGREED, {PoolMember.State.INVITED, PoolMember.State.WITHDRAWN}),
    "decline": (PoolMember.State.DECLINED, {PoolMember.State.INVITED}),
    "withdraw": (PoolMember.State.WITHDRAWN, {PoolMember.State.AGREED}),
}


@transaction.atomic
def answer(
    request: HttpRequest, organisation: Organisation, pool_id: uuid.UUID, answer: str
) -> PoolMember:
    member = (
        PoolMember.objects.select_for_update()
        .filter(organisation=organisation, pool__public_id=pool_id)
        .select_related("pool")
        .first()
    )
    if member is None:
        raise DomainError(_("Your organisation was not invited to that shared pool."))
    target, allowed_from = ANSWERS[answer]
    if member.state == target:
        return member  # the same answer twice (a double press) changes nothing
    if member.state not in allowed_from:
        raise DomainError(_("That answer does not fit your organisation's part in the pool."))
    member.state = target
    member.changed_at = timezone.now()
    member.changed_by = signed_in_user(request)
    member.save(update_fields=["state", "changed_at", "changed_by"])
    audit.log(request, "matching.shared_pool.answered", member.pool, data={"answer": target})
    return member


def shared_people(pool: SharedPool, organisation: Organisation) -> list[Registration]:
    """Partners' people who may be proposed: ready, agreed at intake, accept digital groups."""
    others = [o.pk for o in partners(pool, organisation)]
    with scopes_disabled():
        ready = Intake.objects.filter(
            organisation_id__in=others, readiness=Readiness.READY, shared_pool=True
        ).values("registration_id")
        return list(
            Registration.objects.filter(
                organisation_id__in=others,
                status=Status.WAITING_LIST,
                pk__in=ready,
                format_preference__in=[Format.DIGITAL, Format.BOTH],
            )
            .select_related("intake", "organisation")
            .order_by("organisation__name", "waiting_since", "created_at", "pk")
        )


def offer_places(
    request: HttpRequest, proposal: Proposal, group: Group, people: list[str], slot: int
) -> list[Transfer]:
    """Pending transfers for the people (registration ids) of other organisations in ``group``."""
    created = []
    with scopes_disabled():
        found = Registration.objects.filter(public_id__in=people).exclude(
            organisation=group.organisation
        )
        for registration in found:
            transfer, _new = Transfer.objects.get_or_create(
                registration=registration,
                group=group,
                defaults={
                    "pool": proposal.shared_pool,
                    "home_id": registration.organisation_id,
                    "host": group.organisation,
                    "slot": slot,
                    "proposal": proposal,
                },
            )
            created.append(transfer)
    audit.log(
        request,
        "matching.transfer.offered",
        group,
        data={"transfers": [str(t.public_id) for t in created]},
    )
    return created


def pending_for(organisation: Organisation) -> QuerySet[Transfer]:
    """Places offered to this organisation's people, newest last."""
    return (
        Transfer.objects.filter(home=organisation)
        .select_related("registration", "host", "group", "pool")
        .order_by("-state", "created_at", "pk")
    )


def own_transfer(organisation: Organisation, public_id: uuid.UUID) -> Transfer:
    return get_object_or_404(pending_for(organisation), public_id=public_id)


def _copy(registration: Registration, host: Organisation, group: Group) -> Registration:
    copy = Registration(
        organisation=host,
        offer=group.offer,
        referred_by_id=registration.organisation_id,
        submission_key=uuid.uuid4(),
        status=Status.WAITING_LIST,
        **{name: getattr(registration, name) for name in COPIED},
    )
    copy.save()
    intake: Intake = registration.intake
    Intake.objects.create(
        registration=copy,
        organisation=host,
        availability=intake.availability,
        readiness=Readiness.READY,
        shared_pool=True,
    )
    return copy


@transaction.atomic
def decide(request: HttpRequest, transfer: Transfer, release: bool) -> Transfer:
    """The home coordinator's answer. Releasing invites the person to the host's group."""
    with scopes_disabled():
        Transfer.objects.select_for_update().filter(pk=transfer.pk).first()
        transfer.refresh_from_db()
        wanted = Transfer.State.RELEASED if release else Transfer.State.DECLINED
        if transfer.state == wanted:
            return transfer  # a double press
        if transfer.state != Transfer.State.PENDING:
            raise DomainError(_("This place has already been answered."))
        registration = transfer.registration
        if release:
            if registration.status != Status.WAITING_LIST:
                raise DomainError(
                    _("%(name)s is no longer on the waiting list.")
                    % {"name": registration.display_name}
                )
            group = transfer.group
            if group.state == Group.State.ENDED:
                raise DomainError(_("This group has ended."))
            copy = _copy(registration, transfer.host, group)
            transition(request, registration, Status.REFERRED)
            with scope(organisation=transfer.host):
                member_service.invite(request, group, [copy])
            transfer.moved_to = copy
        transfer.state = wanted
        transfer.decided_at = timezone.now()
        transfer.decided_by = signed_in_user(request)
        transfer.save(update_fields=["state", "decided_at", "decided_by", "moved_to"])
    audit.log(
        request,
        "matching.transfer.released" if release else "matching.transfer.declined",
        transfer,
        organisation=transfer.home,
        data={"host": transfer.host.slug, "group": str(transfer.group.public_id)},
    )
    return transfer


def transfers_of(proposal_groups: list[str]) -> list[Transfer]:
    """The host's view of the places it offered: state only, no names from elsewhere."""
    with scopes_disabled():
        return list(
            Transfer.objects.filter(group__public_id__in=proposal_groups)
            .select_related("home", "group")
            .order_by("group__name", "pk")
        )
