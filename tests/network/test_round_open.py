"""A local leader hears that a round has opened (a neutral mail in their own language, sent
once, through the worker and a real SMTP server) and finds the round from their start page."""

from __future__ import annotations

import datetime
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks_db.models import DBTaskResult

from kretsen.core.models import User
from kretsen.network.models import LocalNetwork, Network, Round
from kretsen.network.services import reminders, setup
from tests.mail_server import Inbox
from tests.network.conftest import make_round

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.mark.django_db(transaction=True)
def test_a_new_round_mails_every_local_leader_once_in_their_language(
    smtp_inbox: tuple[Inbox, int],
    network: Network,
    local_a: LocalNetwork,
    local_b: LocalNetwork,
    leader_a: User,
    other_leader: User,
    staff_request: Any,
) -> None:
    inbox, port = smtp_inbox
    other_leader.language = "nb"
    other_leader.save()
    today = timezone.localdate()
    with override_settings(
        TASKS=DATABASE_TASKS,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
    ):
        with scope(network=network), transaction.atomic():
            created = setup.save_round(
                staff_request,
                network,
                None,
                {
                    "meetings_from": today,
                    "meetings_to": today + datetime.timedelta(days=7),
                    "deadline": today + datetime.timedelta(days=14),
                    "reminder_days": 3,
                },
                [setup.QuestionData("Vad ger hopp?")],
            )
        # Queued after commit; nothing is sent until the worker runs.
        assert inbox.messages == []
        assert DBTaskResult.objects.filter(task_path__endswith="announce_round_open").count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        # A second run of the same work (a restarted worker) sends nothing more.
        assert reminders.announce_round_open(created.pk) == 0

    assert sorted(m["To"] for m in inbox.messages) == sorted([leader_a.email, other_leader.email])
    by_recipient = {m["To"]: m for m in inbox.messages}
    swedish = by_recipient[leader_a.email]
    norwegian = by_recipient[other_leader.email]
    assert _subject(swedish) == f"En ny omgång i {network.name}"
    assert _subject(norwegian) == f"En ny runde i {network.name}"
    with scopes_disabled():
        created = Round.objects.get(pk=created.pk)
    link = reverse(
        "network:local-round",
        kwargs={
            "network": network.public_id,
            "local": local_a.public_id,
            "round": created.public_id,
        },
    )
    assert link in _body(swedish)
    assert "Omgång 1" in _body(swedish)
    assert "Runde 1" in _body(norwegian)
    assert created.opening_sent_at is not None


def test_a_leader_finds_the_open_round_on_their_start_page(
    network: Network, local_a: LocalNetwork, leader_client: Client, org_a: Any
) -> None:
    open_round = make_round(network, number=4)
    make_round(network, number=3, state=Round.State.PUBLISHED)
    page = leader_client.get(reverse("core:org-home", kwargs={"org": org_a.slug})).content.decode()
    assert "Åby i Nätverket" in page
    assert (
        reverse(
            "network:local-round",
            kwargs={
                "network": network.public_id,
                "local": local_a.public_id,
                "round": open_round.public_id,
            },
        )
        in page
    )
    assert "Dokumentera omgång 4" in page
    assert "omgång 3" not in page


def test_others_on_the_start_page_see_no_network_section(
    network: Network, local_a: LocalNetwork, org_a: Any, coordinator_a: User
) -> None:
    from tests.conftest import sign_in_staff

    make_round(network, number=1)
    client = sign_in_staff(Client(), coordinator_a)
    page = client.get(reverse("core:org-home", kwargs={"org": org_a.slug})).content.decode()
    assert "Dokumentera omgång" not in page
