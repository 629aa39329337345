"""Password-less sign-in for relatives: single-use, expiring links sent by mail."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.core import mail
from kretsen.core.errors import DomainError
from kretsen.core.models import SignInLink, User, hash_token, new_token


class LinkNotUsable(DomainError):
    pass


def request_link(email: str, language: str) -> None:
    """Queue a link for ``email``; the caller answers the same whether or not it is known.

    The lookup happens in the worker, so the web request does the same work and takes the
    same time for a known and an unknown address.
    """
    from kretsen.core.tasks import send_sign_in_link

    email = email.strip().lower()
    transaction.on_commit(lambda: send_sign_in_link.enqueue(email=email, language=language))


def create_and_send_link(email: str, language: str) -> bool:
    user = User.objects.relatives().filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    raw = new_token()
    now = timezone.now()
    minutes = settings.SIGN_IN_LINK_MINUTES
    SignInLink.objects.create(
        user=user, token_hash=hash_token(raw), expires_at=now + timedelta(minutes=minutes)
    )
    mail.send(
        user.email,
        user.language or language,
        "core/mail/sign_in_link",
        {
            "link": settings.SITE_URL + reverse("core:sign-in-link", args=[raw]),
            "minutes": minutes,
        },
    )
    return True


def find_usable_link(raw: str) -> SignInLink:
    link = SignInLink.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if link is None or not link.user.is_active or not link.user.is_relative:
        raise LinkNotUsable(_("This sign-in link is not valid."))
    if link.used_at is not None:
        raise LinkNotUsable(_("This sign-in link has already been used."))
    if not link.is_usable():
        raise LinkNotUsable(_("This sign-in link has expired."))
    return link


@transaction.atomic
def consume_link(raw: str) -> User:
    """Mark the link used and return its user; a second use fails even when concurrent."""
    link = find_usable_link(raw)
    claimed = SignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if claimed != 1:
        raise LinkNotUsable(_("This sign-in link has already been used."))
    return link.user
