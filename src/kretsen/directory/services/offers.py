"""Offers: saving, publishing, and the public search."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, StaffMembership
from kretsen.core.vocabulary import Condition, Format, Language, Relation, bit, having
from kretsen.directory.models import TEXT_LANGUAGES, Offer

SOON_DAYS = 60

ALLOWED_TRANSITIONS = {
    Offer.State.DRAFT: {Offer.State.PUBLISHED, Offer.State.ARCHIVED},
    Offer.State.PUBLISHED: {Offer.State.DRAFT, Offer.State.ARCHIVED},
    Offer.State.ARCHIVED: {Offer.State.DRAFT},
}


def save(request: HttpRequest, offer: Offer, *, created: bool) -> Offer:
    offer.save()
    audit.log(request, "directory.offer.created" if created else "directory.offer.changed", offer)
    return offer


def publish_problems(offer: Offer) -> list[str]:
    problems = []
    if not any(getattr(offer, f"title_{code}") for code in TEXT_LANGUAGES):
        problems.append(str(_("Write a title.")))
    if not any(getattr(offer, f"purpose_{code}") for code in TEXT_LANGUAGES):
        problems.append(str(_("Describe the purpose and what to expect.")))
    if not offer.relations:
        problems.append(str(_("Choose who the offer is for.")))
    if not offer.languages:
        problems.append(str(_("Choose at least one language.")))
    if offer.format != Format.DIGITAL and not offer.address:
        problems.append(str(_("Give the address, or make the offer digital.")))
    return problems


def change_state(request: HttpRequest, offer: Offer, state: str) -> None:
    if state not in ALLOWED_TRANSITIONS.get(Offer.State(offer.state), set()):
        raise DomainError(_("The offer cannot be moved to that state."))
    if state == Offer.State.PUBLISHED:
        problems = publish_problems(offer)
        if problems:
            raise DomainError(" ".join([str(_("Not ready to publish:")), *problems]))
        offer.published_at = timezone.now()
    before = offer.state
    offer.state = state
    offer.save(update_fields=["state", "published_at", "updated_at"])
    audit.log(request, "directory.offer.state_changed", offer, data={"from": before, "to": state})


@dataclass
class Search:
    """What a visitor asks the directory for. Every part is optional."""

    text: str = ""
    organisation: Organisation | None = None
    region: str = ""
    condition: str = ""
    relation: str = ""
    format: str = ""
    language: str = ""
    form: str = ""
    soon: bool = False
    today: date = field(default_factory=date.today)


def published() -> QuerySet[Offer]:
    with scopes_disabled():
        return Offer.objects.filter(state=Offer.State.PUBLISHED).select_related("organisation")


def search(query: Search) -> QuerySet[Offer]:
    offers = published()
    if query.organisation is not None or query.region:
        if query.organisation is not None:
            here = Q(organisation=query.organisation)
            country = query.organisation.country
        else:
            here = Q(organisation__region=query.region)
            country_of_region = (
                Organisation.objects.filter(region=query.region)
                .values_list("country", flat=True)
                .first()
            )
            country = country_of_region or ""
        # Digital offers reach the whole country when their organisation welcomes that.
        from_elsewhere = Q(
            format=Format.DIGITAL,
            organisation__welcomes_outside_participants=True,
            organisation__country=country,
        )
        offers = offers.filter(here | from_elsewhere)
    if query.text:
        words = query.text.strip()[:100]
        offers = offers.filter(
            Q(title_sv__icontains=words)
            | Q(title_nb__icontains=words)
            | Q(title_en__icontains=words)
        )
    if query.condition:
        # No conditions ticked means the offer is for every condition.
        offers = offers.alias(
            _condition_hit=F("conditions").bitand(bit(query.condition, Condition))
        ).filter(Q(conditions=0) | ~Q(_condition_hit=0))
    if query.relation:
        offers = having(offers, "relations", query.relation, Relation)
    if query.language:
        offers = having(offers, "languages", query.language, Language)
    if query.format == Format.DIGITAL:
        offers = offers.filter(format__in=[Format.DIGITAL, Format.BOTH])
    elif query.format == Format.IN_PERSON:
        offers = offers.filter(format__in=[Format.IN_PERSON, Format.BOTH])
    if query.form:
        offers = offers.filter(form=query.form)
    if query.soon:
        offers = offers.filter(
            Q(starts_when_enough=True)
            | Q(
                start_date__gte=query.today, start_date__lte=query.today + timedelta(days=SOON_DAYS)
            )
        )
    return offers.order_by(F("start_date").asc(nulls_last=True), "-published_at", "pk")


def public_offer(public_id: uuid.UUID, user_id: int | None) -> Offer | None:
    """An offer anyone may see: published, or a draft previewed by its own organisation's
    coordinator or admin. Offers are public across organisations, so the rule is in the query:
    published, or the viewer's active membership in the offer's organisation."""
    with scopes_disabled():
        offer = Offer.objects.select_related("organisation").filter(public_id=public_id).first()
        if offer is None or offer.is_published:
            return offer
        own_staff = (
            user_id is not None
            and StaffMembership.objects.filter(
                Q(is_coordinator=True) | Q(is_admin=True),
                organisation=offer.organisation,
                user_id=user_id,
                is_active=True,
            ).exists()
        )
    return offer if own_staff else None


@transaction.atomic
def save_organisation_settings(
    request: HttpRequest, organisation: Organisation, changed: list[str]
) -> None:
    """Save an admin's changes to the organisation's public settings, and say which fields."""
    organisation.save()
    audit.log(
        request,
        "core.organisation.settings_changed",
        organisation,
        data={"fields": sorted(changed)},
    )
