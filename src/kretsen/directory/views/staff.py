"""Offers in the back office (coordinators and admins), and the organisation's public settings."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kretsen.core.access import OrganisationRequest, organisation_view
from kretsen.core.actions import perform
from kretsen.core.roles import Role
from kretsen.directory.forms import OfferForm, OrganisationSettingsForm, StateForm
from kretsen.directory.models import Offer
from kretsen.directory.services import offers as offer_service


def get_offer_for_request(request: HttpRequest, public_id: uuid.UUID) -> Offer:
    """An offer of the request's organisation; another organisation's answers 404."""
    return get_object_or_404(Offer.objects.select_related("organisation"), public_id=public_id)


@organisation_view(Role.COORDINATOR, Role.ADMIN)
def offer_list(request: HttpRequest, org: str) -> HttpResponse:
    offers = Offer.objects.select_related("organisation").order_by("state", "-updated_at")
    return render(request, "directory/staff/offers.html", {"offers": offers})


@organisation_view(Role.COORDINATOR, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def offer_create(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    form = OfferForm(request.POST or None, instance=Offer(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        offer = offer_service.save(request, form.save(commit=False), created=True)
        messages.success(request, _("The offer is saved as a draft."))
        return redirect("directory:staff-offer", org=org, offer=offer.public_id)
    return render(request, "directory/staff/offer_form.html", {"form": form, "offer": None})


@organisation_view(Role.COORDINATOR, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, org: str, offer: uuid.UUID) -> HttpResponse:
    found = get_offer_for_request(request, offer)
    form = OfferForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        offer_service.save(request, form.save(commit=False), created=False)
        messages.success(request, _("The offer is saved."))
        return redirect("directory:staff-offer", org=org, offer=found.public_id)
    return render(
        request,
        "directory/staff/offer_form.html",
        {"form": form, "offer": found, "problems": offer_service.publish_problems(found)},
    )


@organisation_view(Role.COORDINATOR, Role.ADMIN)
@require_POST
def offer_state(request: HttpRequest, org: str, offer: uuid.UUID) -> HttpResponse:
    found = get_offer_for_request(request, offer)
    form = StateForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: offer_service.change_state(request, found, form.cleaned_data["state"]),
            success=lambda: (
                _("The offer is now: %(state)s.") % {"state": found.get_state_display()}
            ),
        )
    return redirect("directory:staff-offer", org=org, offer=found.public_id)


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_settings(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        offer_service.save_organisation_settings(
            request, form.save(commit=False), form.changed_data
        )
        messages.success(request, _("The settings are saved."))
        return redirect("directory:settings", org=org)
    return render(request, "directory/staff/settings.html", {"form": form})
