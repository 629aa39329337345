from __future__ import annotations

from django_tasks import task

from kretsen.intake.services import registrations


@task()
def send_registration_confirmation(registration_id: int) -> None:
    registrations.send_confirmation(registration_id)
