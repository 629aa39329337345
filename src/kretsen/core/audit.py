"""The one call that writes the audit trail.

    audit.log(request, "core.staff.invited", membership)

Records who (the signed-in user), what (a dotted action code), which object (type and id),
the organisation (from the request's scope, or given), when (UTC) and from which IP address.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import connection, models
from django.http import HttpRequest

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
    )
    event.full_clean(exclude=["actor", "organisation"])
    event.save()
    return event


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
