"""Reminders and notices: planned once, sent once, retried on failure, neutral wording."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from kretsen.core.sms import MemoryBackend
from kretsen.groups.models import Group, GroupMember, GroupSettings, Meeting, Notice
from kretsen.groups.services import meetings, notices
from kretsen.intake.models import Registration
from tests.groups.factories import make_meeting, make_member, make_ready, request_for
from tests.mail_server import Inbox, through_worker_and_smtp


@pytest.fixture
def member(group_a: Group) -> GroupMember:
    registration = make_ready(
        group_a.organisation,
        "Lova",
        email="lova@example.org",
        contact_by_email=True,
        ui_language="nb",
    )
    return make_member(group_a, registration)


def test_it_plans_a_reminder_once_within_the_reminder_time(
    group_a: Group, member: GroupMember
) -> None:
    soon = make_meeting(group_a, in_hours=20)
    make_meeting(group_a, in_hours=40)  # outside the default 24 hours
    assert notices.plan_reminders(timezone.now()) == 1
    assert notices.plan_reminders(timezone.now()) == 0
    reminder = Notice.objects.get()
    assert (reminder.kind, reminder.meeting, reminder.member) == ("reminder", soon, member)


def test_it_follows_the_organisations_reminder_time_and_the_members_choice(
    group_a: Group, member: GroupMember
) -> None:
    GroupSettings.objects.create(organisation=group_a.organisation, reminder_hours=48)
    make_meeting(group_a, in_hours=40)
    member.reminders = False
    member.save()
    assert notices.plan_reminders(timezone.now()) == 0
    member.reminders = True
    member.save()
    assert notices.plan_reminders(timezone.now()) == 1


def test_no_reminder_for_someone_who_said_they_cannot_come(
    group_a: Group, member: GroupMember
) -> None:
    meeting = make_meeting(group_a, in_hours=10)
    from kretsen.groups.services import members

    members.notify_absence(
        request_for(member.registration.user or _anyone(), None), member, meeting, ""
    )
    assert notices.plan_reminders(timezone.now()) == 0


def _anyone() -> Any:
    from kretsen.core.models import User

    return User.objects.create_relative("someone@example.org")


def test_sending_twice_sends_once(group_a: Group, member: GroupMember) -> None:
    make_meeting(group_a, in_hours=5)
    notices.plan_reminders(timezone.now())
    notice = Notice.objects.get()
    django_mail.outbox.clear()
    assert notices.deliver(notice.pk) is True
    assert notices.deliver(notice.pk) is False
    assert len(django_mail.outbox) == 1
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("sent", 1)


def test_a_failure_is_retried_later_and_then_given_up(group_a: Group, member: GroupMember) -> None:
    make_meeting(group_a, in_hours=5)
    notices.plan_reminders(timezone.now())
    notice = Notice.objects.get()
    with override_settings(EMAIL_BACKEND="tests.groups.test_notices.BrokenBackend"):
        for attempt in range(1, notices.MAX_ATTEMPTS + 1):
            Notice.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now())
            assert notices.deliver(notice.pk) is False
            notice.refresh_from_db()
            assert notice.attempts == attempt
            assert notice.error == "ConnectionRefusedError"
            if attempt < notices.MAX_ATTEMPTS:
                assert notice.state == "pending"
                assert notice.next_attempt_at > timezone.now()
    assert notice.state == "failed"


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError


def test_discreet_people_get_only_a_neutral_line(group_a: Group, member: GroupMember) -> None:
    registration: Registration = member.registration
    registration.no_topic = True
    registration.save()
    meeting = make_meeting(group_a, in_hours=5)
    notices.plan_reminders(timezone.now())
    django_mail.outbox.clear()
    notices.deliver(Notice.objects.get().pk)
    sent = django_mail.outbox[0]
    text = f"{sent.subject} {sent.body}".lower()
    assert group_a.organisation.name.lower() in text
    for word in ("gruppe", "group", "møte", "meeting", group_a.name.lower()):
        assert word not in text
    assert meeting.public_id.hex not in text


def test_a_moved_meeting_is_told_by_sms_when_that_is_the_channel(
    group_a: Group, leader_a: Any
) -> None:
    registration = make_ready(
        group_a.organisation, "Sam", phone="+46701112233", contact_by_sms=True
    )
    make_member(group_a, registration)
    meeting = make_meeting(group_a, in_hours=50)
    MemoryBackend.outbox.clear()
    meetings.change(
        request_for(leader_a, group_a.organisation),
        meeting,
        starts_at=meeting.starts_at + timedelta(days=1),
        minutes=90,
        break_minutes=15,
        roles={},
    )
    notice = Notice.objects.get(kind="moved")
    assert notices.deliver(notice.pk)
    ((to, text),) = MemoryBackend.outbox
    assert to == "+46701112233"
    assert group_a.organisation.name in text


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_the_worker_send_a_reminder_through_smtp(
    smtp_inbox: tuple[Inbox, int], lova_meets_soon: Meeting
) -> None:
    inbox, port = smtp_inbox
    with through_worker_and_smtp(port):
        call_command("run_scheduler", "--once")
        call_command("run_scheduler", "--once")  # a second scheduler round plans nothing new
        assert DBTaskResult.objects.filter(task_path__endswith=".send_notice").count() == 1
        assert inbox.messages == []
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        # A restarted worker, or the same task queued again, sends nothing more.
        with scopes_disabled():
            notice = Notice.objects.get()
        from kretsen.groups.tasks import send_notice

        send_notice.enqueue(notice.pk)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "lova@example.org"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode(message.get_content_charset() or "utf-8")
    assert "påminnelse" in body.lower() or "reminder" in body.lower()
    with scopes_disabled():
        assert Notice.objects.get().state == "sent"
