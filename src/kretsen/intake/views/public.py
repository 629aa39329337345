"""The interest form: a relative says "I might want this", without any account."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kretsen.core import ratelimit
from kretsen.core.access import public
from kretsen.core.audit import client_ip
from kretsen.core.models import Organisation
from kretsen.core.views.common import ui_language
from kretsen.directory.models import Offer
from kretsen.directory.services import offers as offer_service
from kretsen.intake.forms import InterestForm
from kretsen.intake.services import registrations

REGISTRATIONS_PER_IP_PER_HOUR = 10


def _form_page(
    request: HttpRequest, organisation: Organisation, chosen: Offer | None
) -> HttpResponse:
    language = ui_language()
    offers = list(offer_service.published().filter(organisation=organisation).order_by("pk"))
    initial = {"offer": str(chosen.public_id)} if chosen else {}
    form = InterestForm(
        request.POST or None,
        initial=initial,
        offers=offers,
        country=organisation.country,
        language=language,
    )
    if request.method == "POST":
        if form.is_spam():
            # Answer a program that filled the hidden field as if all went well.
            return redirect("intake:received", org=organisation.slug)
        if form.is_valid():
            ip = client_ip(request) or "unknown"
            key = form.cleaned_data["submission_key"]
            if not ratelimit.hit(
                "interest-ip", ip, limit=REGISTRATIONS_PER_IP_PER_HOUR, window_seconds=3600
            ):
                form.add_error(
                    None,
                    _(
                        "Many registrations have come from this connection. "
                        "Please wait an hour, or call us."
                    ),
                )
            else:
                offer = form.chosen_offer()
                registrations.register(
                    request, organisation, offer, form.registration_data(), key, language
                )
                return _received(organisation, offer)
    return render(
        request,
        "intake/interest.html",
        {"form": form, "organisation_public": organisation, "offer": chosen, "language": language},
    )


@public
@require_http_methods(["GET", "POST"])
def interest_for_offer(request: HttpRequest, offer: uuid.UUID) -> HttpResponse:
    found = offer_service.published().filter(public_id=offer).first()
    if found is None:
        raise Http404
    return _form_page(request, found.organisation, found)


@public
@require_http_methods(["GET", "POST"])
def interest_for_organisation(request: HttpRequest, org: str) -> HttpResponse:
    return _form_page(request, get_object_or_404(Organisation, slug=org), None)


def _received(organisation: Organisation, offer: Offer | None) -> HttpResponse:
    url = reverse("intake:received", kwargs={"org": organisation.slug})
    return redirect(f"{url}?offer={offer.public_id}" if offer else url)


@public
@require_GET
def received(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    published = offer_service.published().filter(organisation=organisation)
    try:
        chosen = published.filter(public_id=uuid.UUID(request.GET.get("offer", ""))).first()
    except ValueError:
        chosen = None
    # The organisation's own contact comes before the national numbers: the chosen offer's,
    # else the first offer that names a phone number.
    contact = chosen if chosen and chosen.contact_phone else None
    if contact is None:
        contact = published.exclude(contact_phone="").order_by("pk").first()
    return render(
        request,
        "intake/received.html",
        {
            "organisation_public": organisation,
            "crisis": organisation.text("crisis", ui_language()),
            "crisis_contact": contact,
        },
    )
