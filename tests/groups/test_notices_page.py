"""The operator's page of failed and stuck notices, and the same in /healthz: counts and the
organisation for the operator, never the recipient."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, User
from kretsen.core.services import heartbeat
from kretsen.groups.models import Group, GroupMember, Notice
from kretsen.groups.services import notices
from tests.conftest import sign_in_staff
from tests.groups.factories import make_meeting, make_member, make_ready

URL = "/operator/notices/"
CANARY_EMAIL = "canary.relative@example.org"
CANARY_NAME = "Kanarie Släktingsson"


@pytest.fixture
def member(group_a: Group) -> GroupMember:
    registration = make_ready(
        group_a.organisation, CANARY_NAME, email=CANARY_EMAIL, contact_by_email=True
    )
    return make_member(group_a, registration)


@pytest.fixture
def failed_and_stuck(group_a: Group, member: GroupMember) -> tuple[Notice, Notice]:
    long_ago = timezone.now() - notices.SEND_TIMEOUT - timedelta(minutes=5)
    make_meeting(group_a, in_hours=5)
    notices.plan_reminders(timezone.now())
    failed = Notice.objects.get()
    Notice.objects.filter(pk=failed.pk).update(
        state=Notice.State.FAILED, attempts=notices.MAX_ATTEMPTS, error="SMTPDataError"
    )
    stuck, _on_its_way = (
        Notice.objects.create(
            organisation=group_a.organisation,
            key=f"invitation:{key}",
            kind=Notice.Kind.INVITATION,
            channel=Notice.Channel.EMAIL,
            member=member,
            state=Notice.State.SENDING,
            claimed_at=claimed_at,
            attempts=1,
        )
        for key, claimed_at in (("stuck", long_ago), ("on-its-way", timezone.now()))
    )
    return failed, stuck


def operator_client() -> Client:
    operator = User.objects.create_superuser("ops@kretsen.example", "ops@kretsen.example", "x")
    TOTPDevice.objects.create(user=operator, name="operator", confirmed=True)
    return sign_in_staff(Client(), operator)


def test_it_shows_failed_and_stuck_notices_to_the_operator_without_the_recipient(
    failed_and_stuck: tuple[Notice, Notice],
) -> None:
    page = operator_client().get(URL).content.decode()
    assert page.count("<tr>") == 3  # the heading and two notices; the one on its way is not
    assert "SMTPDataError" in page
    assert "Åby kommun" in page
    assert CANARY_EMAIL not in page
    assert CANARY_NAME not in page
    # Only the failed one can be sent again; the stuck one the scheduler settles itself.
    assert page.count('name="notice"') == 1


def test_the_operator_sends_a_failed_notice_again(
    failed_and_stuck: tuple[Notice, Notice], django_capture_on_commit_callbacks: Any
) -> None:
    failed, stuck = failed_and_stuck
    client = operator_client()
    response = client.post(URL, {"notice": failed.pk}, follow=True)
    assert "will be sent again" in response.content.decode()
    again = Notice.objects.get(pk=failed.pk)
    assert (again.state, again.attempts, again.error) == ("pending", 0, "")
    with scopes_disabled():
        event = AuditEvent.objects.get(action="groups.notice.sent_again")
    assert event.organisation == failed.organisation
    # The next scheduler round queues it (and sends it: the tests' task backend runs at once).
    with django_capture_on_commit_callbacks(execute=True):
        notices.tick()
    assert Notice.objects.get(pk=failed.pk).state == "sent"
    # A notice that is not failed, or no notice at all, gets a clear message and no change.
    for value in (stuck.pk, "not-a-number", 99999):
        response = client.post(URL, {"notice": value}, follow=True)
        assert response.status_code == 200
        assert "not waiting to be sent again" in response.content.decode()


def test_healthz_asks_for_attention_with_counts_only(
    failed_and_stuck: tuple[Notice, Notice],
) -> None:
    heartbeat.beat(heartbeat.WORKER)
    heartbeat.beat(heartbeat.SCHEDULER)
    response = Client().get("/healthz")
    # The site works; the notices need a person, not a restart.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "attention"
    assert body["checks"]["notices"] == {"ok": False, "failed": 1, "stuck": 1}
    text = response.content.decode()
    for personal in (CANARY_EMAIL, CANARY_NAME, "Åby", "example.org"):
        assert personal not in text


def test_the_operators_start_page_links_to_the_page(db: None) -> None:
    page = operator_client().get("/staff/").content.decode()
    assert f'href="{URL}"' in page
