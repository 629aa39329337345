"""Printable A4 posters: one per offer, one for the organisation's whole directory."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from kretsen.core.access import public
from kretsen.core.models import Organisation
from kretsen.directory import posters
from kretsen.directory.services import offers as offer_service
from kretsen.directory.views.public import get_public_offer, get_public_organisation


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _language(request: HttpRequest, organisation: Organisation) -> str:
    """Posters hang where the organisation works: its language, unless ?lang= asks otherwise."""
    asked = request.GET.get("lang", "")
    return asked if asked in ("sv", "nb", "en") else organisation.default_language


@public
@require_GET
def offer_poster(request: HttpRequest, offer: uuid.UUID) -> HttpResponse:
    found = get_public_offer(request, offer)
    language = _language(request, found.organisation)
    url = request.build_absolute_uri(reverse("directory:offer", args=[found.public_id]))
    pdf = posters.render_pdf(
        "directory/poster_offer.html",
        {
            "offer": found,
            "title": found.title(language),
            "url": url,
            "qr": posters.qr_data_uri(url),
            "organisation_public": found.organisation,
        },
        language,
        request.build_absolute_uri("/"),
    )
    return _pdf_response(pdf, "poster.pdf")


@public
@require_GET
def organisation_poster(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_public_organisation(org)
    language = _language(request, organisation)
    url = request.build_absolute_uri(reverse("directory:organisation", args=[organisation.slug]))
    offers = offer_service.published().filter(organisation=organisation).order_by("pk")[:12]
    pdf = posters.render_pdf(
        "directory/poster_organisation.html",
        {
            "organisation_public": organisation,
            "offers": [(offer, offer.title(language)) for offer in offers],
            "url": url,
            "qr": posters.qr_data_uri(url),
        },
        language,
        request.build_absolute_uri("/"),
    )
    return _pdf_response(pdf, "poster.pdf")
