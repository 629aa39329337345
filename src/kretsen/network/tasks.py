"""Background work of the learning network. Tasks take ids and re-read what they need."""

from __future__ import annotations

from django_tasks import task

from kretsen.network.services import reminders


@task()
def send_round_reminder(round_id: int, deadline: str) -> None:
    reminders.send_reminder(round_id, deadline)


@task()
def announce_publication(round_id: int) -> None:
    reminders.announce_publication(round_id)


@task()
def announce_round_open(round_id: int) -> None:
    reminders.announce_round_open(round_id)
