from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, StaffMembership, User


def test_it_invites_the_first_admin_from_the_command_line(
    org_a: Organisation, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_staff", "org-a", "first@example.org", "--role", "admin")
    user = User.objects.staff().get(email="first@example.org")
    with scopes_disabled():
        assert StaffMembership.objects.get(user=user).is_admin
    assert "/staff/account/invitation/" in str(mail.outbox[0].body)
    event = AuditEvent.writer.get(action="core.staff.invited")
    assert event.actor is None
    assert event.organisation == org_a


def test_it_refuses_an_unknown_organisation(db: None) -> None:
    with pytest.raises(CommandError, match="No organisation"):
        call_command("invite_staff", "nowhere", "x@example.org", "--role", "admin")


def test_it_creates_an_operator_with_an_authenticator(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "an-operator-password-1")
    call_command("create_operator", "op@example.org")
    operator = User.objects.staff().get(email="op@example.org")
    assert operator.is_superuser
    assert operator.is_staff
    assert TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
