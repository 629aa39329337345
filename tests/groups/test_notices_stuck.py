"""No stuck notices: the mail server's accept is recorded before a notice is marked sent, and a
notice left in *sending* by a stopped worker is settled by the scheduler's sweep: sent again
once when the server never accepted it, marked sent when it did, given up for an operator
when its attempts are used up. Real worker (db_worker), real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks_db.models import DBTaskResult

from kretsen.groups.models import Meeting, Notice
from kretsen.groups.services import notices
from tests.mail_server import Inbox, through_worker_and_smtp


@pytest.fixture
def real_stack(smtp_inbox: tuple[Inbox, int]) -> Iterator[Inbox]:
    """The database task queue and the loopback SMTP server, as in production."""
    inbox, port = smtp_inbox
    with through_worker_and_smtp(port):
        yield inbox


@pytest.fixture
def reminder(lova_meets_soon: Meeting) -> Notice:
    with scope(organisation=lova_meets_soon.organisation):
        notices.plan_reminders(timezone.now())
        return Notice.objects.get()


def killed_mid_send(notice: Notice, *, accepted: bool, attempts: int = 1) -> None:
    """What a worker killed while sending leaves behind, found after the send time-out."""
    claimed = timezone.now() - notices.SEND_TIMEOUT - timedelta(minutes=1)
    with scopes_disabled():
        Notice.objects.filter(pk=notice.pk).update(
            state=Notice.State.SENDING,
            claimed_at=claimed,
            attempts=attempts,
            accepted_at=claimed + timedelta(seconds=2) if accepted else None,
        )
        DBTaskResult.objects.all().delete()  # the task the killed worker was running


def scheduler_and_worker() -> None:
    call_command("run_scheduler", "--once")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def state_of(notice: Notice) -> Notice:
    with scopes_disabled():
        return Notice.objects.get(pk=notice.pk)


def send_tasks() -> int:
    return DBTaskResult.objects.filter(task_path__endswith=".send_notice").count()


@pytest.mark.django_db(transaction=True)
def test_it_records_the_servers_accept_before_marking_it_sent(
    real_stack: Inbox, reminder: Notice
) -> None:
    scheduler_and_worker()
    assert len(real_stack.messages) == 1
    sent = state_of(reminder)
    assert sent.state == "sent"
    assert sent.accepted_at is not None
    assert sent.claimed_at is not None
    assert sent.claimed_at <= sent.accepted_at == sent.sent_at


@pytest.mark.django_db(transaction=True)
def test_a_send_killed_before_the_server_accepted_is_retried_exactly_once(
    real_stack: Inbox, reminder: Notice
) -> None:
    killed_mid_send(reminder, accepted=False)
    scheduler_and_worker()
    assert len(real_stack.messages) == 1
    assert real_stack.messages[0]["To"] == "lova@example.org"
    retried = state_of(reminder)
    assert (retried.state, retried.attempts, retried.error) == ("sent", 2, "")
    # More rounds of the scheduler and the worker send nothing more.
    scheduler_and_worker()
    scheduler_and_worker()
    assert len(real_stack.messages) == 1
    assert send_tasks() == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_killed_after_the_server_accepted_is_marked_sent_not_resent(
    real_stack: Inbox, reminder: Notice
) -> None:
    killed_mid_send(reminder, accepted=True)
    scheduler_and_worker()
    scheduler_and_worker()
    assert real_stack.messages == []
    assert send_tasks() == 0
    settled = state_of(reminder)
    assert settled.state == "sent"
    assert settled.sent_at == settled.accepted_at
    assert settled.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_still_within_its_time_out_is_left_alone(
    real_stack: Inbox, reminder: Notice
) -> None:
    with scopes_disabled():
        Notice.objects.filter(pk=reminder.pk).update(
            state=Notice.State.SENDING, claimed_at=timezone.now(), attempts=1
        )
    scheduler_and_worker()
    assert real_stack.messages == []
    assert state_of(reminder).state == "sending"


@pytest.mark.django_db(transaction=True)
def test_a_notice_that_keeps_failing_is_given_up_for_an_operator(
    real_stack: Inbox, reminder: Notice
) -> None:
    killed_mid_send(reminder, accepted=False, attempts=notices.MAX_ATTEMPTS)
    scheduler_and_worker()
    assert real_stack.messages == []
    given_up = state_of(reminder)
    assert (given_up.state, given_up.error) == ("failed", notices.INTERRUPTED)
    assert notices.needing_attention() == {"failed": 1, "stuck": 0}
