from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kretsen.network.services import reminders


class Command(BaseCommand):
    help = "Send the learning network's deadline reminders that are due (run daily from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders.send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
