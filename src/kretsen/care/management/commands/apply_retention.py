"""Apply the retention rules now (decision 0085). The scheduler queues the same run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kretsen.care.services import retention


class Command(BaseCommand):
    help = (
        "Delete or anonymise what the retention rules say is due. Safe to run again: "
        "a second run changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = retention.apply()
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count}")
