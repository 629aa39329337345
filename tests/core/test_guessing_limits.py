"""Guessing limits per account and per address, and mails that anyone can ask for (0106)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client

from kretsen.core.models import User
from tests.conftest import PASSWORD, current_code, make_staff
from tests.mail_server import Inbox

SIGN_IN = "/staff/account/sign-in/"
VERIFY = "/staff/account/verify/"


def attempt(email: str, password: str, ip: str, code: str | None = None) -> int:
    """One sign-in from ``ip``; the status of the last answer (429 when paused)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post(SIGN_IN, {"username": email, "password": password})
    if response.status_code != 302 or code is None:
        return response.status_code
    return client.post(VERIFY, {"token": code}).status_code


def _wrong_code(user: User) -> str:
    return "000000" if current_code(user) != "000000" else "111111"


def test_wrong_codes_after_the_right_password_count_towards_the_lock(
    coordinator_a: User, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(coordinator_a.email, PASSWORD, "10.0.0.1", _wrong_code(coordinator_a)) == 302
    # The failure that reaches the limit is answered with the "paused" page, and so is the
    # right password after it.
    assert attempt(coordinator_a.email, PASSWORD, "10.0.0.1", _wrong_code(coordinator_a)) == 429
    assert attempt(coordinator_a.email, PASSWORD, "10.0.0.1") == 429
    # Someone else guessing elsewhere does not pause the person at their own address.
    assert attempt(coordinator_a.email, PASSWORD, "10.0.0.2") == 302


def test_many_addresses_together_are_capped_per_account(
    coordinator_a: User, leader_a: User, settings: Any
) -> None:
    settings.STAFF_SIGN_IN_ACCOUNT_FAILURES_PER_HOUR = 6
    for n in range(6):
        # One wrong password from each of many addresses: axes alone never locks any pair.
        assert attempt(coordinator_a.email, "wrong-password-123", f"10.1.0.{n}") == 302
    paused = attempt(coordinator_a.email, PASSWORD, "10.1.0.99", current_code(coordinator_a))
    assert paused == 429
    # Even the right password is not tried: the answer does not depend on it.
    assert attempt(coordinator_a.email, "wrong-password-123", "10.1.0.98") == 429
    # Other accounts are not affected.
    assert attempt(leader_a.email, PASSWORD, "10.1.0.99") == 302


def test_one_address_is_capped_across_accounts(org_a: Any, settings: Any) -> None:
    settings.STAFF_SIGN_IN_IP_FAILURES_PER_HOUR = 10
    for n in range(10):
        assert attempt(f"person{n}@a.example", "Summer2026!", "10.2.0.1") == 302
    someone = make_staff("someone@a.example", org_a, set())
    assert attempt(someone.email, PASSWORD, "10.2.0.1") == 429
    assert attempt(someone.email, PASSWORD, "10.2.0.2") == 302


def test_ten_password_reset_requests_do_not_send_ten_mails(
    smtp: Inbox, coordinator_a: User, settings: Any
) -> None:
    answers = set()
    for n in range(10):
        client = Client(REMOTE_ADDR=f"10.3.0.{n}")
        response = client.post("/staff/account/password-reset/", {"email": coordinator_a.email})
        answers.add((response.status_code, response.headers["Location"]))
    assert len(smtp.messages) == settings.PASSWORD_RESET_RATE_PER_HOUR == 3
    # The page answers the same before and after the limit, as for an unknown address.
    unknown = Client().post("/staff/account/password-reset/", {"email": "nobody@a.example"})
    answers.add((unknown.status_code, unknown.headers["Location"]))
    assert answers == {(302, "/staff/account/password-reset/sent/")}


def test_one_address_cannot_ask_for_resets_of_many_accounts(
    smtp: Inbox, org_a: Any, settings: Any
) -> None:
    settings.MAIL_REQUESTS_PER_IP_PER_HOUR = 5
    people = [make_staff(f"staff{n}@a.example", org_a, set()) for n in range(10)]
    client = Client(REMOTE_ADDR="10.4.0.1")
    for person in people:
        response = client.post("/staff/account/password-reset/", {"email": person.email})
        assert response.headers["Location"] == "/staff/account/password-reset/sent/"
    assert len(smtp.messages) == 5


def test_ten_sign_in_link_requests_do_not_send_ten_mails(
    smtp: Inbox, relative: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client(REMOTE_ADDR=f"10.5.0.{n}").post(
                "/sign-in/", {"email": relative.email}
            )
        assert response.headers["Location"] == "/sign-in/sent/"
    assert len(smtp.messages) == settings.SIGN_IN_LINK_RATE_PER_HOUR == 5


def _proxy_warnings() -> list[str]:
    return [message.id for message in run_checks() if message.id == "kretsen.W001"]


def test_it_warns_when_behind_a_proxy_without_a_proxy_count(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert _proxy_warnings() == []
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert _proxy_warnings() == ["kretsen.W001"]
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert _proxy_warnings() == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.AXES_IPWARE_PROXY_COUNT = 0
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    assert _proxy_warnings() == ["kretsen.W001"]
