"""A relative's own data: see what is stored, correct contact details, withdraw."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kretsen.core import audit, pages
from kretsen.core.access import relative_required, signed_in_user
from kretsen.core.audit_actions import READS_OF_A_RECORD
from kretsen.core.models import AuditEvent
from kretsen.core.roles import Role
from kretsen.intake.forms import ContactCorrectionForm
from kretsen.intake.models import Registration, Status
from kretsen.intake.services import registrations


def get_own_registration(request: HttpRequest, public_id: uuid.UUID) -> Registration:
    found = registrations.get_own_registration(signed_in_user(request), public_id)
    if found is None:
        raise Http404
    return found


@relative_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    own = registrations.own_registrations(signed_in_user(request))
    return render(
        request,
        "intake/me/data.html",
        {
            "registrations": own,
            "looked_at": looked_at(own),
            "sections": pages.sections("my-data", request),
        },
    )


@dataclass
class Read:
    """One line of "who has read your information": the latest of repeated reads."""

    event: AuditEvent
    roles: str
    times: int = 1


def looked_at(own: list[Registration]) -> list[Read]:
    """Every page that showed the relative to staff, and what was written about them, with
    the roles the reader held then. The same reader on the same page on the same day is one
    line with a count: the live panel asks for its state every few seconds."""
    ids = [str(r.public_id) for r in own]
    # Rows written before reads named their people name the record as their object.
    earlier = AuditEvent.objects.filter(object_type="intake.registration", object_id__in=ids)
    found = audit.reads_naming(ids) | earlier
    events = list(found.filter(action__in=READS_OF_A_RECORD).order_by("-at", "-id")[:2000])
    lines: dict[tuple[object, ...], Read] = {}
    for event in events:
        key = (
            event.actor_label,
            event.action,
            event.object_type,
            event.object_id,
            timezone.localdate(event.at),
        )
        if key in lines:
            lines[key].times += 1
        elif len(lines) < 100:
            lines[key] = Read(event, _roles(event))
    return list(lines.values())


def _roles(event: AuditEvent) -> str:
    held = event.data.get("roles", []) if isinstance(event.data, dict) else []
    return ", ".join(str(Role(value).label).lower() for value in held if value in Role.values)


@relative_required
@require_http_methods(["GET", "POST"])
def correct_contact(request: HttpRequest, registration: uuid.UUID) -> HttpResponse:
    found = get_own_registration(request, registration)
    initial = {name: getattr(found, name) for name in ContactCorrectionForm.FIELDS}
    form = ContactCorrectionForm(request.POST or None, initial=initial)
    form.country = found.organisation.country
    if request.method == "POST" and form.is_valid():
        registrations.update_contact(
            request, found, {name: form.cleaned_data[name] for name in ContactCorrectionForm.FIELDS}
        )
        messages.success(request, _("Your contact details are saved."))
        return redirect("intake:my-data")
    return render(request, "intake/me/contact.html", {"form": form, "registration": found})


@relative_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, registration: uuid.UUID) -> HttpResponse:
    found = get_own_registration(request, registration)
    if request.method == "POST":
        registrations.withdraw(request, found)
        messages.success(request, _("You have withdrawn. Thank you for letting us know."))
        return redirect("intake:my-data")
    return render(
        request,
        "intake/me/withdraw.html",
        {
            "registration": found,
            "already": found.status == Status.WITHDRAWN,
            "deleted_on": found.deletion_day_if_withdrawn(),
        },
    )
