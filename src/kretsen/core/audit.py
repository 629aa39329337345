"""The one call that writes the audit trail.

    audit.log(request, "core.staff.invited", membership)

Records who (the signed-in user), what (a dotted action code), which object (type and id),
the organisation (from the request's scope, or given), when (UTC) and from which IP address.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, User

# Marks an actor label that retention replaced; the database trigger allows exactly this
# one change to a row (migration core 0004, decision 0086).
PSEUDONYM_PREFIX = "pseudonym:"


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # django-axes already resolves the client address (honouring PROXY_COUNT) on every request.
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return ip or None


def log(
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None = None,
    *,
    organisation: Organisation | None = None,
    actor: User | None = None,
    data: dict[str, Any] | None = None,
    subjects: list[str] | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if organisation is None:
        organisation = getattr(request, "organisation", None)
        owner = getattr(obj, "organisation_id", None)
        if obj is not None and (organisation is None or (owner and owner != organisation.pk)):
            # An object of another organisation (a shared-pool place) belongs in its trail.
            organisation = getattr(obj, "organisation", None) or organisation
    object_type = ""
    object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(getattr(obj, "public_id", None) or obj.pk)
    event = AuditEvent(
        actor=actor,
        actor_label=(actor.email if actor is not None else ""),
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_ip(request),
        data=data or {},
        subjects=subjects or [],
    )
    event.full_clean(exclude=["actor", "organisation"])
    event.save()
    return event


# Whom a page shows: registrations, objects that belong to one (``registration_id``: a group
# member, an intake, a transfer) or to a group member (``member_id``: a follow-up, an
# absence, a seat in the live panel), or registrations' public ids (proposals keep those).
Shown = models.Model | uuid.UUID | str


def read(
    request: HttpRequest, action: str, people: Iterable[Shown], obj: models.Model | None = None
) -> AuditEvent | None:
    """Record that this request showed ``people``: one row naming them all, with the roles
    the reader holds, so that each relative can see who read what (decision 0115). A list
    that shows nobody writes nothing; a page about ``obj`` is logged all the same."""
    subjects = _public_ids(people)
    if not subjects and obj is None:
        return None
    membership = getattr(request, "membership", None)
    roles = sorted(role.value for role in membership.roles) if membership is not None else []
    return log(request, action, obj, data={"roles": roles}, subjects=subjects)


def _public_ids(people: Iterable[Shown]) -> list[str]:
    found: set[str] = set()
    registrations: set[int] = set()
    members: set[int] = set()
    for person in people:
        if isinstance(person, uuid.UUID | str):
            found.add(str(person))
        elif person._meta.label_lower == "intake.registration":
            found.add(str(person.public_id))  # type: ignore[attr-defined]
        elif hasattr(person, "registration_id"):
            registrations.add(person.registration_id)
        elif hasattr(person, "member_id"):
            # A drop-in visitor has no member, and no record to name.
            if person.member_id is not None:
                members.add(person.member_id)
        else:
            raise TypeError(f"{person!r} names no relative")
    found.update(_public_ids_through("intake.Registration", "public_id", registrations))
    found.update(_public_ids_through("groups.GroupMember", "registration__public_id", members))
    return sorted(found)


def _public_ids_through(model: str, field: str, pks: set[int]) -> list[str]:
    if not pks:
        return []
    # By name, not by import: core sits below the apps that hold people.
    with scopes_disabled():
        rows = apps.get_model(model).objects.filter(pk__in=pks).values_list(field, flat=True)
        return [str(public_id) for public_id in rows]


def records_of_actors(events: Iterable[AuditEvent]) -> list[models.Model]:
    """The registrations of the relatives who acted in ``events``: the trail shows their
    sign-in addresses, so reading it is a read of them too."""
    actors = {event.actor_id for event in events if event.actor_id is not None}
    if not actors:
        return []
    with scopes_disabled():
        return list(apps.get_model("intake.Registration").objects.filter(user_id__in=actors))


def reads_naming(public_ids: Iterable[uuid.UUID | str]) -> QuerySet[AuditEvent]:
    """Every row that names one of these registrations, in any organisation's trail."""
    naming = Q(pk__in=[])
    for public_id in public_ids:
        # The list is stored as JSON text; a quoted id matches one element exactly.
        naming |= Q(subjects__icontains=f'"{public_id}"')
    with scopes_disabled():
        return AuditEvent.objects.filter(naming)


def pseudonymise_actor(user: User) -> int:
    """Replace ``user`` as the actor of their audit rows by a random pseudonym, the same on
    all of them, and drop the IP addresses. Rows are never deleted (decision 0086).

    The seal nonce goes too: the hash chain keeps only a seal that can no longer be traced
    back to the person, and stays whole (decision 0105)."""
    label = PSEUDONYM_PREFIX + secrets.token_hex(8)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET actor_id = NULL, actor_label = %s, ip_address = NULL, "  # noqa: S608
            "seal_nonce = '' WHERE actor_id = %s",
            [label, user.pk],
        )
        return cursor.rowcount
