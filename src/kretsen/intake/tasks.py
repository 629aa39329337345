"""Background work of the intake app. Tasks take ids and re-read what they need."""

from __future__ import annotations

from kretsen.core.tasks import organisation_task
from kretsen.intake.models import Registration
from kretsen.intake.services import registrations


@organisation_task(Registration)
def send_registration_confirmation(registration_id: int) -> None:
    registrations.send_confirmation(registration_id)
