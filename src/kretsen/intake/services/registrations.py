"""Interest registrations: creating them (once), and what a relative may do with their own."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from kretsen.core import audit, mail
from kretsen.core.crypto import lookup_digests
from kretsen.core.models import Organisation, User
from kretsen.directory.models import Offer
from kretsen.intake import consent, signals
from kretsen.intake.models import Registration, Status

REGISTRATION_FIELDS = (
    "display_name",
    "phone",
    "email",
    "contact_by_phone",
    "contact_by_sms",
    "contact_by_email",
    "contact_times",
    "contact_note",
    "no_messages",
    "no_topic",
    "relation",
    "condition",
    "age_band",
    "gender",
    "languages",
    "format_preference",
    "wish",
)


def relative_for(email: str, language: str) -> User | None:
    """The sign-in identity for a relative's e-mail address (created on first use)."""
    if not email:
        return None
    user = User.objects.relatives().filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_relative(email, language=language)
    return user


def register(
    request: HttpRequest,
    organisation: Organisation,
    offer: Offer | None,
    data: dict[str, Any],
    submission_key: uuid.UUID,
    language: str,
) -> tuple[Registration, bool]:
    """Store a registration; the same submission key a second time returns the first one.

    The key does not survive the browser's Back button (the form is rendered afresh), so the
    same person sending the form for the same offer again soon after is also the same
    registration: what they sent the second time replaces the first, and no second mail goes
    out."""
    with scope(organisation=organisation):
        existing = Registration.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
        resent = _resent(organisation, offer, data)
        if resent is not None:
            changed = [
                name
                for name in REGISTRATION_FIELDS
                if name in data and getattr(resent, name) != data[name]
            ]
            for name in changed:
                setattr(resent, name, data[name])
            resent.save()
            audit.log(
                request,
                "intake.registration.sent_again",
                resent,
                organisation=organisation,
                data={"changed": changed},
            )
            return resent, False
        registration = Registration(
            organisation=organisation,
            offer=offer,
            submission_key=submission_key,
            ui_language=language,
            consent_version=consent.VERSION,
            consent_at=timezone.now(),
            **{name: data[name] for name in REGISTRATION_FIELDS if name in data},
        )
        try:
            with transaction.atomic():
                registration.user = relative_for(registration.email, language)
                registration.save()
        except IntegrityError:
            return Registration.objects.get(submission_key=submission_key), False
        audit.log(request, "intake.registration.created", registration, organisation=organisation)
        if registration.contact_by_email and registration.email:
            from kretsen.intake.tasks import send_registration_confirmation

            transaction.on_commit(
                lambda: send_registration_confirmation.enqueue(registration_id=registration.pk)
            )
    return registration, True


RESENT_WITHIN = timedelta(hours=24)


def _same_person(registration: Registration, data: dict[str, Any]) -> bool:
    def norm(value: object) -> str:
        return str(value or "").strip().casefold()

    return all(
        norm(getattr(registration, name)) == norm(data.get(name))
        for name in ("display_name", "email", "phone")
    )


def _resent(
    organisation: Organisation, offer: Offer | None, data: dict[str, Any]
) -> Registration | None:
    """A registration that this form, sent again, repeats: same person, same offer, still new,
    at most a day old."""
    email, phone = str(data.get("email") or ""), str(data.get("phone") or "")
    if not (email or phone):
        return None
    # The address is encrypted: it is found through its keyed hash, the rest compared here.
    same_contact = Q(email_hash__in=lookup_digests(email)) if email else Q(phone=phone)
    recent = Registration.objects.filter(
        same_contact,
        organisation=organisation,
        offer=offer,
        status=Status.NEW,
        created_at__gte=timezone.now() - RESENT_WITHIN,
    ).order_by("-created_at")
    return next((found for found in recent[:50] if _same_person(found, data)), None)


def send_confirmation(registration_id: int) -> None:
    with scopes_disabled():
        registration = Registration.objects.select_related("organisation").get(pk=registration_id)
    mail.send(
        registration.email,
        registration.ui_language,
        "intake/mail/registration_received",
        {"organisation": registration.organisation.name},
    )


def own_registrations(user: User) -> list[Registration]:
    """The person's own registrations; call inside ``relative_scope``."""
    return list(
        Registration.objects.filter(user=user)
        .select_related("organisation", "offer", "referred_by")
        .order_by("-created_at")
    )


def get_own_registration(user: User, public_id: uuid.UUID) -> Registration | None:
    """One of the person's own registrations; call inside ``relative_scope``."""
    return (
        Registration.objects.filter(user=user, public_id=public_id)
        .select_related("organisation")
        .first()
    )


@transaction.atomic
def update_contact(request: HttpRequest, registration: Registration, data: dict[str, Any]) -> None:
    changed = [name for name, value in data.items() if getattr(registration, name) != value]
    for name, value in data.items():
        setattr(registration, name, value)
    registration.save()
    audit.log(
        request,
        "intake.registration.contact_corrected_by_relative",
        registration,
        organisation=registration.organisation,
        data={"fields": changed},
    )


@transaction.atomic
def withdraw(request: HttpRequest, registration: Registration) -> None:
    """The relative leaves; their data is deleted by the retention run of the next day."""
    if registration.status == Status.WITHDRAWN:
        return
    before = registration.status
    registration.withdraw_now()
    registration.save()
    audit.log(
        request,
        "intake.registration.withdrawn_by_relative",
        registration,
        organisation=registration.organisation,
        data={"from": before},
    )
    signals.registration_withdrawn.send(
        sender=Registration, registration=registration, request=request
    )
