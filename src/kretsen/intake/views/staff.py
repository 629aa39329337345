"""The coordinator's inbox, a relative's record, the intake conversation, the waiting list."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kretsen.core import audit
from kretsen.core.access import OrganisationRequest, organisation_view, signed_in_user
from kretsen.core.actions import perform
from kretsen.core.models import StaffMembership, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import DayPart, Weekday
from kretsen.intake.forms import (
    AssignForm,
    ContactAttemptForm,
    InboxFilterForm,
    IntakeForm,
    StatusForm,
    WaitingListFilterForm,
)
from kretsen.intake.models import Registration, Status
from kretsen.intake.services import workflow

OPEN_STATUSES = (Status.NEW, Status.CONTACTED, Status.INTAKE_DONE)


def get_registration_for_request(request: HttpRequest, public_id: uuid.UUID) -> Registration:
    """A registration of the request's organisation; another organisation's answers 404."""
    return get_object_or_404(
        Registration.objects.select_related("organisation", "offer", "assigned_to"),
        public_id=public_id,
    )


def _coordinators() -> list[User]:
    return workflow.coordinators(StaffMembership.objects.select_related("user"))


@organisation_view(Role.COORDINATOR)
@require_GET
def inbox(request: OrganisationRequest, org: str) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    form.is_valid()
    status = (form.cleaned_data.get("status") or "open") if form.is_bound else "open"
    people: QuerySet[Registration] = Registration.objects.select_related("offer", "assigned_to")
    # People whose data retention removed are only figures now (decision 0085).
    people = people.filter(anonymised_at__isnull=True)
    if status == "open":
        people = people.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        people = people.filter(status=status)
    if form.is_bound and form.cleaned_data.get("mine"):
        people = people.filter(assigned_to=signed_in_user(request))
    people = workflow.with_contact_summary(people).order_by("created_at", "pk")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    threshold = request.organisation.unreached_after_attempts
    audit.read(request, "intake.inbox.viewed", page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/staff/inbox.html",
        {
            "form": form,
            "page": page,
            "threshold": threshold,
            "unreached": {r.pk for r in page if workflow.is_unreached(r, threshold)},
            "query": query.urlencode(),
        },
    )


@organisation_view(Role.COORDINATOR)
@require_GET
def registration_detail(request: HttpRequest, org: str, registration: uuid.UUID) -> HttpResponse:
    found = get_registration_for_request(request, registration)
    workflow.view_record(request, found)
    return render(
        request,
        "intake/staff/registration.html",
        {
            "registration": found,
            "intake": getattr(found, "intake", None),
            "attempts": found.contact_attempts.select_related("by"),
            "contact_form": ContactAttemptForm(),
            "assign_form": AssignForm(
                coordinators=_coordinators(),
                initial={
                    "coordinator": str(found.assigned_to.public_id) if found.assigned_to else ""
                },
            ),
            "next_statuses": [(s, Status(s).label) for s in workflow.allowed_next(found)],
            "unreached": workflow.is_unreached(found),
            "today": timezone.localdate(),
        },
    )


@organisation_view(Role.COORDINATOR)
@require_POST
def registration_assign(request: HttpRequest, org: str, registration: uuid.UUID) -> HttpResponse:
    found = get_registration_for_request(request, registration)
    form = AssignForm(request.POST, coordinators=_coordinators())
    if form.is_valid():
        perform(
            request, lambda: workflow.assign(request, found, form.chosen()), success=_("Saved.")
        )
    return redirect("intake:registration", org=org, registration=found.public_id)


@organisation_view(Role.COORDINATOR)
@require_POST
def registration_contact(request: HttpRequest, org: str, registration: uuid.UUID) -> HttpResponse:
    found = get_registration_for_request(request, registration)
    form = ContactAttemptForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: workflow.record_contact(
                request,
                found,
                form.cleaned_data["channel"],
                form.cleaned_data["outcome"],
                form.cleaned_data["note"],
            ),
            success=_("The contact attempt is recorded."),
        )
    else:
        messages.error(request, _("Choose the channel and the outcome."))
    return redirect("intake:registration", org=org, registration=found.public_id)


@organisation_view(Role.COORDINATOR)
@require_POST
def registration_status(request: HttpRequest, org: str, registration: uuid.UUID) -> HttpResponse:
    found = get_registration_for_request(request, registration)
    form = StatusForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: workflow.transition(request, found, form.cleaned_data["status"]),
            success=lambda: (
                _("The status is now: %(status)s.") % {"status": found.get_status_display()}
            ),
        )
    return redirect("intake:registration", org=org, registration=found.public_id)


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def registration_intake(request: HttpRequest, org: str, registration: uuid.UUID) -> HttpResponse:
    found = get_registration_for_request(request, registration)
    # Names are encrypted: sorted here, after decryption.
    others = sorted(
        Registration.objects.exclude(pk=found.pk).exclude(status=Status.WITHDRAWN),
        key=lambda other: (other.display_name.casefold(), other.pk),
    )
    status_choices: list[tuple[str, Any]] = [
        (s.value, s.label)
        for s in (Status.WAITING_LIST, Status.INDIVIDUAL_SUPPORT, Status.REFERRED)
    ]
    form = IntakeForm(
        request.POST or None,
        initial=IntakeForm.initial_from(found),
        others=others,
        status_choices=status_choices,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: workflow.record_intake(
                request,
                found,
                form.intake_data(),
                form.never_with_registrations(),
                form.cleaned_data.get("next_status") or "",
            ),
            success=_("The intake conversation is saved."),
            form=form,
        )
    ):
        return redirect("intake:registration", org=org, registration=found.public_id)
    audit.read(request, "intake.intake_form.viewed", [found, *others], found)
    boxes = list(form["availability"].subwidgets)
    parts = len(DayPart.values)
    rows = [
        (Weekday(day).label, boxes[index * parts : (index + 1) * parts])
        for index, day in enumerate(Weekday.values)
    ]
    return render(
        request,
        "intake/staff/intake_form.html",
        {"registration": found, "form": form, "availability_rows": rows},
    )


@organisation_view(Role.COORDINATOR)
@require_GET
def waiting_list(request: HttpRequest, org: str) -> HttpResponse:
    form = WaitingListFilterForm(request.GET or None)
    criteria = workflow.WaitingFilter(**form.valid_values())
    people = workflow.waiting_list(criteria).select_related("offer")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    audit.read(request, "intake.waiting_list.viewed", page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/staff/waiting_list.html",
        {
            "form": form,
            "page": page,
            "count_tables": _count_tables(
                workflow.waiting_counts(workflow.waiting_list(workflow.WaitingFilter()))
            ),
            "today": timezone.localdate(),
            "query": query.urlencode(),
        },
    )


def _count_tables(
    counts: dict[str, list[tuple[str, int]]],
) -> list[tuple[str, list[tuple[str, int]]]]:
    titles = {
        "condition": _("By condition"),
        "relation": _("By relation"),
        "language": _("By language"),
        "format": _("By meeting format"),
    }
    return [(titles[key], rows) for key, rows in counts.items()]
