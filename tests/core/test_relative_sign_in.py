from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from kretsen.core.models import AuditEvent, SignInLink, User, hash_token
from kretsen.core.services import signin


def request_link(client: Client, email: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign-in/", {"email": email})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in/sent/"


def link_path() -> str:
    match = re.search(r"https?://[^/\s]+(/sign-in/link/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_it_mails_a_single_use_link_that_signs_the_relative_in(
    client: Client, relative: User, django_capture_on_commit_callbacks
) -> None:
    request_link(client, "Relative@Example.org ", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["relative@example.org"]
    path = link_path()
    # GET only shows a button, so a mail scanner that opens links does not use it up.
    assert client.get(path).status_code == 200
    assert client.get("/me/").status_code == 302
    response = client.post(path)
    assert response.headers["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert AuditEvent.writer.filter(action="core.auth.relative_signed_in").count() == 1

    second = Client().post(path)
    assert second.status_code == 410
    assert "sign-in" in second.content.decode()


def test_it_keeps_the_token_only_as_a_hash(
    client: Client, relative: User, django_capture_on_commit_callbacks
) -> None:
    request_link(client, relative.email, django_capture_on_commit_callbacks)
    token = link_path().rstrip("/").rsplit("/", 1)[1]
    stored = SignInLink.objects.get()
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash


def test_it_refuses_an_expired_link(relative: User) -> None:
    raw = "expired-token-value"
    SignInLink.objects.create(
        user=relative, token_hash=hash_token(raw), expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = Client().post(f"/sign-in/link/{raw}/")
    assert response.status_code == 410
    with pytest.raises(signin.LinkNotUsable):
        signin.consume_link(raw)


def test_it_lasts_the_configured_time(
    client: Client, relative: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SIGN_IN_LINK_MINUTES = 12
    request_link(client, relative.email, django_capture_on_commit_callbacks)
    link = SignInLink.objects.get()
    assert timedelta(minutes=11) < link.expires_at - link.created_at <= timedelta(minutes=12)
    assert "12" in mail.outbox[0].body


def test_it_answers_an_unknown_address_exactly_like_a_known_one(
    relative: User, django_capture_on_commit_callbacks
) -> None:
    known, unknown = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        a = known.post("/sign-in/", {"email": relative.email}, follow=True)
        b = unknown.post("/sign-in/", {"email": "nobody@example.org"}, follow=True)
    assert a.redirect_chain == b.redirect_chain
    assert a.status_code == b.status_code == 200

    def strip_csrf(html: bytes) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())

    assert strip_csrf(a.content) == strip_csrf(b.content)
    assert len(mail.outbox) == 1


def test_it_never_sends_a_link_to_a_staff_account(
    client: Client, coordinator_a: User, django_capture_on_commit_callbacks
) -> None:
    request_link(client, coordinator_a.email, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_it_says_nothing_about_the_support_in_the_mail(
    client: Client, relative: User, django_capture_on_commit_callbacks
) -> None:
    request_link(client, relative.email, django_capture_on_commit_callbacks)
    text = (str(mail.outbox[0].subject) + str(mail.outbox[0].body)).lower()
    for word in ("anhörig", "pårørende", "relative", "support", "stöd", "demens", "dementia"):
        assert word not in text


def test_it_stops_sending_after_too_many_requests_for_one_address(
    client: Client, relative: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SIGN_IN_LINK_RATE_PER_HOUR = 2
    for _ in range(4):
        request_link(client, relative.email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_it_shows_a_translated_message_for_a_bad_address(client: Client, db: None) -> None:
    client.cookies["kretsen_language"] = "en"
    response = client.post("/sign-in/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    client.cookies["kretsen_language"] = "sv"
    response = client.post("/sign-in/", {"email": "x" * 300 + "@example.org"})
    assert response.status_code == 200
    assert "som mest 254 tecken" in response.content.decode()
