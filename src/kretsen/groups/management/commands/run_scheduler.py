"""The scheduler: plans reminders, queues due notices, retries stuck ones, runs the other
apps' round jobs (proposals whose worker was lost are given up), and queues the daily jobs
(retention) and the worker's heartbeat for the worker.

Run it beside ``db_worker`` (``make run`` does), or call ``run_scheduler --once`` from cron
every minute. Running two at once is harmless: every notice has a unique key and is claimed
before it is sent.

SIGTERM or SIGINT (``systemctl stop``, Ctrl-C) lets the round at hand finish, then the
command exits with status 0; a stop between rounds ends the wait at once.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kretsen.core import periodic
from kretsen.core.services import heartbeat
from kretsen.groups.services import live, notices

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


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
        stop = threading.Event()

        def on_signal(number: int, frame: FrameType | None) -> None:
            stop.set()

        # Signal handlers can only be set in the main thread (not when a test calls us).
        in_main = threading.current_thread() is threading.main_thread()
        previous = {n: signal.signal(n, on_signal) for n in STOP_SIGNALS} if in_main else {}
        try:
            if not options["once"]:
                self.stdout.write("Scheduler started.", ending="\n")
                self.stdout.flush()
            while True:
                self.round(options["verbosity"])
                if options["once"] or stop.wait(interval):
                    break
            if not options["once"]:
                self.stdout.write("Scheduler stopped.")
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def round(self, verbosity: int) -> None:
        from kretsen.core.tasks import beat

        planned, queued = notices.tick()
        # Live panels the leaders forgot to end lose their seats (names, turns, times).
        ended = live.end_forgotten()
        if ended:
            self.stdout.write(f"Live panels ended after their meeting: {ended}.")
        if verbosity > 1 or planned or queued:
            self.stdout.write(f"Reminders planned: {planned}; notices queued: {queued}.")
        for name, count in periodic.run_rounds():
            self.stdout.write(f"Round job {name}: {count}.")
        for name in periodic.run_due():
            self.stdout.write(f"Daily job queued: {name}.")
        heartbeat.ask_worker(beat.enqueue)
        heartbeat.beat(heartbeat.SCHEDULER)
