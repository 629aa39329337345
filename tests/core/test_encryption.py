"""Encrypted text stays readable, and e-mail look-ups keep working, after SECRET_KEY and
SALT_KEY are rotated; ``manage.py reencrypt`` then lets the old keys go."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from django_scopes import scopes_disabled
from encrypted_fields.fields import EncryptedFieldMixin, EncryptedTextField

from kretsen.core.crypto import email_digest
from kretsen.core.models import Organisation
from kretsen.intake.models import Registration
from tests.conftest import make_registration


def encrypt(text: str) -> str:
    return str(EncryptedTextField().get_db_prep_value(text, connection))


def decrypt(stored: str) -> str:
    return str(EncryptedTextField().from_db_value(stored, None, connection))


OLD = {"SECRET_KEY": "old-" + "k" * 60, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": ["old-salt"]}
ROTATED = {
    "SECRET_KEY": "new-" + "k" * 60,
    "SECRET_KEY_FALLBACKS": ["old-" + "k" * 60],
    "SALT_KEY": ["new-salt", "old-salt"],
}


def test_it_stores_no_clear_text() -> None:
    with override_settings(**OLD):
        stored = encrypt("Min pappa känner inte igen mig längre")
    assert "pappa" not in stored


def test_it_reads_old_text_after_a_rotation_and_writes_with_the_new_keys() -> None:
    with override_settings(**OLD):
        old_stored = encrypt("Situationen hemma är tung")
    with override_settings(**ROTATED):
        assert decrypt(old_stored) == "Situationen hemma är tung"
        new_stored = encrypt("Ny anteckning")
    # Text written after the rotation needs the new key: the old keys alone cannot read it.
    with override_settings(**OLD):
        try:
            result = decrypt(new_stored)
        except Exception:
            result = None
        assert result != "Ny anteckning"


@contextmanager
def keys(**changed: Any) -> Iterator[None]:
    """Settings with other keys; the model fields derive their keys once, so forget them."""

    def forget() -> None:
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedFieldMixin):
                    field.__dict__.pop("keys", None)
                    field.__dict__.pop("f", None)

    with override_settings(**changed):
        forget()
        try:
            yield
        finally:
            forget()
    forget()


ONLY_NEW = {"SECRET_KEY": "new-" + "k" * 60, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": ["new-salt"]}


def interest(name: str, email: str) -> dict[str, str]:
    return {
        "display_name": name,
        "email": email,
        "contact_by_email": "on",
        "relation": "partner",
        "condition": "dementia",
        "language": "sv",
        "format_preference": "both",
        "consent": "on",
        "website": "",
        "submission_key": str(uuid.uuid4()),
    }


def registered() -> list[Registration]:
    with scopes_disabled():
        return list(Registration.objects.all())


def test_it_finds_an_address_across_a_rotation_and_reencrypt_retires_the_old_keys(
    client: Client, org_a: Organisation
) -> None:
    with keys(**OLD):
        client.post("/o/org-a/interest/", interest("Vera", "Vera@Example.org"))
    with keys(**ROTATED):
        # Sent again the next minute: the same registration, found by the old key's digest.
        client.post("/o/org-a/interest/", interest("Vera", "vera@example.org"))
        assert len(registered()) == 1
        call_command("reencrypt", stdout=io.StringIO())
    with keys(**ONLY_NEW):
        [registration] = registered()
        assert (registration.display_name, registration.email) == ("Vera", "vera@example.org")
        assert registration.email_hash == email_digest("vera@example.org")
        client.post("/o/org-a/interest/", interest("Vera", "vera@example.org"))
        assert len(registered()) == 1


def test_it_refuses_to_reencrypt_text_under_a_key_it_no_longer_has(
    client: Client, org_a: Organisation
) -> None:
    with keys(**OLD):
        client.post("/o/org-a/interest/", interest("Vera", "vera@example.org"))
    with keys(**ONLY_NEW), pytest.raises(CommandError, match="SECRET_KEY_FALLBACKS"):
        call_command("reencrypt", stdout=io.StringIO())


def test_it_refuses_a_filter_that_could_only_match_nothing(db: None) -> None:
    with scopes_disabled(), pytest.raises(FieldError):
        Registration.objects.filter(display_name="Vera").exists()


def test_it_finds_an_address_however_it_is_written_and_only_with_the_key() -> None:
    with keys(**OLD):
        digest = email_digest(" Vera@Example.org ")
        assert digest == email_digest("vera@example.org")
        assert email_digest("") == ""
    with keys(**ONLY_NEW):
        assert email_digest("vera@example.org") != digest
    assert hashlib.sha256(b"vera@example.org").hexdigest() != digest


def test_it_keeps_the_digest_with_the_address_however_the_row_is_written(
    org_a: Organisation,
) -> None:
    with scopes_disabled():
        saved = make_registration(org_a, email="a@example.org")
        [bulk] = Registration.objects.bulk_create(
            [
                Registration(
                    organisation=org_a,
                    submission_key=uuid.uuid4(),
                    display_name="Bo",
                    email="b@example.org",
                    relation="partner",
                    condition="dementia",
                    consent_version="test",
                    consent_at=timezone.now(),
                )
            ]
        )
        saved.email = "c@example.org"
        saved.save(update_fields=["email"])
        stored = dict(Registration.objects.values_list("pk", "email_hash"))
    assert stored == {
        saved.pk: email_digest("c@example.org"),
        bulk.pk: email_digest("b@example.org"),
    }
