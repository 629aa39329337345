"""Background work of the groups app. Tasks take ids and re-read what they need."""

from __future__ import annotations

from kretsen.core.tasks import organisation_task
from kretsen.groups.models import Notice
from kretsen.groups.services import notices


@organisation_task(Notice)
def send_notice(notice_id: int) -> None:
    notices.deliver(notice_id)
