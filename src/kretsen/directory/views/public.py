"""The public directory: search, offer pages, an organisation's page, embedding."""

from __future__ import annotations

import uuid
from typing import Any

from csp.decorators import csp_replace
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from kretsen.core.access import public
from kretsen.core.models import Organisation
from kretsen.core.views.common import ui_language
from kretsen.directory.forms import DirectoryFilterForm
from kretsen.directory.models import Offer
from kretsen.directory.services import offers as offer_service

PAGE_SIZE = 20


def place_choices() -> list[tuple[str, Any]]:
    """Municipalities and regions that have published offers."""
    rows = (
        Organisation.objects.filter(offers__state=Offer.State.PUBLISHED)
        .values_list("slug", "name", "region")
        .distinct()
        .order_by("name")
    )
    organisations = [(f"org:{slug}", name) for slug, name, _region in rows]
    regions = sorted({region for _slug, _name, region in rows if region})
    return [*organisations, *[(f"region:{region}", region) for region in regions]]


def search_from(form: DirectoryFilterForm) -> offer_service.Search:
    values = form.valid_values()
    query = offer_service.Search(today=timezone.localdate())
    place = values.get("place", "")
    if place.startswith("org:"):
        query.organisation = Organisation.objects.filter(slug=place[4:]).first()
    elif place.startswith("region:"):
        query.region = place[7:]
    for name in ("condition", "relation", "format", "language", "form"):
        setattr(query, name, values.get(name, ""))
    query.text = values.get("q", "")
    query.soon = bool(values.get("soon"))
    return query


@public
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, places=place_choices())
    results = offer_service.search(search_from(form))
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/directory.html",
        {"form": form, "page": page, "query": query.urlencode(), "language": ui_language()},
    )


def get_public_offer(request: HttpRequest, public_id: uuid.UUID) -> Offer:
    """A published offer; a draft only for the organisation's own staff (as a preview)."""
    offer = offer_service.public_offer(public_id, request.user.pk)
    if offer is None:
        raise Http404
    return offer


@public
@require_GET
def offer_detail(request: HttpRequest, offer: uuid.UUID) -> HttpResponse:
    found = get_public_offer(request, offer)
    language = ui_language()
    return render(
        request,
        "directory/offer.html",
        {
            "offer": found,
            "language": language,
            "title": found.title(language),
            "title_language": found.text_language("title", language),
            "purpose": found.text("purpose", language),
            "purpose_language": found.text_language("purpose", language),
            "today": timezone.localdate(),
        },
    )


def get_public_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


@public
@require_GET
def organisation_page(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_public_organisation(org)
    offers = offer_service.published().filter(organisation=organisation).order_by("pk")
    return render(
        request,
        "directory/organisation.html",
        {"organisation_public": organisation, "offers": offers, "language": ui_language()},
    )


@public
@require_GET
def privacy(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_public_organisation(org)
    return render(
        request,
        "directory/privacy.html",
        {
            "organisation_public": organisation,
            "privacy": organisation.text("privacy", ui_language()),
        },
    )


@public
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]
@require_GET
def embed(request: HttpRequest, org: str) -> HttpResponse:
    """A bare list of the organisation's offers, made to sit in an iframe on its own site."""
    organisation = get_public_organisation(org)
    offers = offer_service.published().filter(organisation=organisation).order_by("pk")
    return render(
        request,
        "directory/embed.html",
        {"organisation_public": organisation, "offers": offers, "language": ui_language()},
    )


@public
@require_GET
def offers_json(request: HttpRequest, org: str) -> JsonResponse:
    """The organisation's published offers as JSON, readable from any web site (CORS)."""
    organisation = get_public_organisation(org)
    language = request.GET.get("lang", organisation.default_language)
    if language not in ("sv", "nb", "en"):
        language = organisation.default_language
    offers = offer_service.published().filter(organisation=organisation).order_by("pk")
    data = {
        "organisation": organisation.name,
        "language": language,
        "offers": [
            {
                "id": str(offer.public_id),
                "title": offer.title(language),
                "url": request.build_absolute_uri(
                    reverse("directory:offer", args=[offer.public_id])
                ),
                "form": offer.form,
                "format": offer.format,
                "relations": offer.relation_values(),
                "conditions": offer.condition_values(),
                "languages": offer.language_values(),
                "start_date": offer.start_date.isoformat() if offer.start_date else None,
                "starts_when_enough": offer.starts_when_enough,
                "is_free": offer.is_free,
            }
            for offer in offers
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
