"""Mail to local leaders: a round has opened, its deadline is near, its report is out.

A reminder is a task deferred to the reminder date (``django-tasks`` with ``run_after``) when
the backend can defer; ``manage.py network_reminders`` (cron, daily) sends any reminder that
is due and not yet sent, so a lost or re-planned task never means a lost reminder. A round
remembers when its reminder went out, so nobody gets it twice.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task_backends

from kretsen.core import mail
from kretsen.network.access import active_in_organisation
from kretsen.network.models import LocalNetwork, Round, Submission

REMINDER_HOUR = 8


def reminder_date(the_round: Round) -> datetime.date:
    return the_round.deadline - datetime.timedelta(days=the_round.reminder_days)


def reminder_at(the_round: Round) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(reminder_date(the_round), datetime.time(REMINDER_HOUR), zone)


def schedule(the_round: Round) -> None:
    """Queue the reminder for its date (after commit); a past date is left to the command."""
    from kretsen.network.tasks import send_round_reminder

    when = reminder_at(the_round)
    if when <= timezone.now() or the_round.deadline < timezone.localdate():
        return
    if not task_backends[send_round_reminder.backend].supports_defer:
        return
    round_id = the_round.pk
    deadline = the_round.deadline.isoformat()
    transaction.on_commit(
        lambda: send_round_reminder.using(run_after=when).enqueue(
            round_id=round_id, deadline=deadline
        )
    )


def leaders_waiting(the_round: Round) -> list[LocalNetwork]:
    """Local networks with a leader and no submitted documentation for the round."""
    submitted = Submission.objects.filter(
        round=the_round, state=Submission.State.SUBMITTED
    ).values_list("local_network_id", flat=True)
    return list(
        LocalNetwork.objects.filter(network=the_round.network, leader__isnull=False)
        .exclude(pk__in=list(submitted))
        .select_related("leader", "organisation")
    )


def send_reminder(round_id: int, deadline: str | None = None) -> int:
    """Mail every local leader who has not submitted yet; returns how many were mailed."""
    with scopes_disabled():
        the_round = Round.objects.select_related("network").get(pk=round_id)
    if deadline is not None and the_round.deadline.isoformat() != deadline:
        return 0  # the deadline moved; the task queued for the new date will remind
    if the_round.reminder_sent_at is not None or not the_round.is_open:
        return 0
    with scope(network=the_round.network):
        sent = _mail_about_round(the_round, leaders_waiting(the_round), "network/mail/reminder")
        Round.objects.filter(pk=the_round.pk).update(reminder_sent_at=timezone.now())
    return sent


def _mail_about_round(the_round: Round, locals_: list[LocalNetwork], template: str) -> int:
    """Mail each active leader of ``locals_`` in their language, with a link to their page
    for the round; returns how many were mailed."""
    sent = 0
    for local in locals_:
        leader = local.leader
        assert leader is not None
        if not leader.is_active or not active_in_organisation(leader, local):
            continue
        path = reverse(
            "network:local-round",
            kwargs={
                "network": the_round.network.public_id,
                "local": local.public_id,
                "round": the_round.public_id,
            },
        )
        mail.send(
            leader.email,
            leader.language,
            template,
            {
                "network": the_round.network.name,
                "number": the_round.number,
                "deadline": the_round.deadline,
                "link": settings.SITE_URL + path,
            },
        )
        sent += 1
    return sent


def send_due_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    with scopes_disabled():
        due = [
            the_round.pk
            for the_round in Round.objects.filter(
                state=Round.State.OPEN, reminder_sent_at__isnull=True, deadline__gte=today
            )
            if reminder_date(the_round) <= today
        ]
    return sum(send_reminder(round_id) for round_id in due)


def announce_round_open(round_id: int) -> int:
    """Tell every local leader that a round is open for documentation, once.

    The round is claimed with one conditional UPDATE, so a task run twice (a restarted
    worker) sends nothing the second time. The mail is neutral: the network's name, the
    round's number and deadline, and a link to the leader's page for the round."""
    with scopes_disabled():
        claimed = Round.objects.filter(
            pk=round_id, opening_sent_at__isnull=True, state=Round.State.OPEN
        ).update(opening_sent_at=timezone.now())
        if not claimed:
            return 0
        the_round = Round.objects.select_related("network").get(pk=round_id)
    with scope(network=the_round.network):
        every = LocalNetwork.objects.filter(
            network=the_round.network, leader__isnull=False
        ).select_related("leader", "organisation")
        return _mail_about_round(the_round, list(every), "network/mail/round_open")


def announce_publication(round_id: int) -> int:
    """Tell every local leader of the network that the report can be read."""
    with scopes_disabled():
        the_round = Round.objects.select_related("network").get(pk=round_id)
    sent = 0
    with scope(network=the_round.network):
        locals_ = LocalNetwork.objects.filter(
            network=the_round.network, leader__isnull=False
        ).select_related("leader", "organisation")
        for local in locals_:
            leader = local.leader
            assert leader is not None
            if not leader.is_active or not active_in_organisation(leader, local):
                continue
            path = reverse(
                "network:report",
                kwargs={"network": the_round.network.public_id, "round": the_round.public_id},
            )
            mail.send(
                leader.email,
                leader.language,
                "network/mail/published",
                {
                    "network": the_round.network.name,
                    "number": the_round.number,
                    "link": settings.SITE_URL + path,
                },
            )
            sent += 1
    return sent
