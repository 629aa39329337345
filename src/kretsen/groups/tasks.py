"""Background work of the groups app. Tasks take ids and re-read what they need."""

from __future__ import annotations

from django_tasks import task

from kretsen.groups.services import notices


@task()
def send_notice(notice_id: int) -> None:
    notices.deliver(notice_id)
