"""The scheduler: plans reminders, queues due notices and the daily jobs (retention) for the
worker.

Run it beside ``db_worker`` (``make run`` does), or call ``run_scheduler --once`` from cron
every minute. Running two at once is harmless: every notice has a unique key and is claimed
before it is sent.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kretsen.core import periodic
from kretsen.groups.services import live, notices


class Command(BaseCommand):
    help = (
        "Plan meeting reminders, queue due notices and the daily jobs "
        "(once, or every --interval seconds)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between rounds.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(5, options["interval"])
        while True:
            planned, queued = notices.tick()
            # Live panels the leaders forgot to end lose their seats (names, turns, times).
            ended = live.end_forgotten()
            if ended:
                self.stdout.write(f"Live panels ended after their meeting: {ended}.")
            if options["verbosity"] > 1 or planned or queued:
                self.stdout.write(f"Reminders planned: {planned}; notices queued: {queued}.")
            for name in periodic.run_due():
                self.stdout.write(f"Daily job queued: {name}.")
            if options["once"]:
                return
            time.sleep(interval)
