"""Background work of the care app. Tasks take ids and re-read what they need."""

from __future__ import annotations

from django_tasks import task

from kretsen.care.services import retention


@task()
def apply_retention(run_id: int) -> None:
    retention.run_daily(run_id)
