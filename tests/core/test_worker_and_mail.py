"""The real path of a sign-in link: web request -> task row -> db_worker -> SMTP on loopback."""

from __future__ import annotations

import re
from email.message import Message

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from kretsen.core.models import User
from tests.mail_server import Inbox, through_worker_and_smtp


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.mark.django_db(transaction=True)
def test_it_sends_the_link_through_the_worker_and_a_real_smtp_server(
    smtp_inbox: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_inbox
    User.objects.create_relative("ada@example.org", language="nb")
    with through_worker_and_smtp(port):
        Client().post("/sign-in/", {"email": "ada@example.org"})
        Client().post("/sign-in/", {"email": "nobody@example.org"})
        # The web request only queued work; nothing is sent until the worker runs.
        assert DBTaskResult.objects.count() == 2
        assert inbox.messages == []
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "ada@example.org"
    body = body_of(message)
    # In the relative's own language (Norwegian Bokmål here).
    assert "innlogging" in (message["Subject"] + body).lower()
    path = re.search(r"(/sign-in/link/[^/\s]+/)", body)
    assert path
    assert Client().post(path.group(1)).headers["Location"] == "/me/"
