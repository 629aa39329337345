"""Development server plus the background worker, stopped together with Ctrl+C."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the development web server, the task worker and the scheduler together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        helpers: list[subprocess.Popen[bytes]] = []
        # runserver's autoreloader starts this command again in a child (RUN_MAIN=true);
        # only the first process starts the worker and the scheduler.
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, sys.argv[0], "db_worker", "--interval", "1"]
            )
            scheduler = subprocess.Popen(  # noqa: S603
                [sys.executable, sys.argv[0], "run_scheduler", "--interval", "30"]
            )
            helpers = [worker, scheduler]
            self.stdout.write(
                f"Background worker (process {worker.pid}) and scheduler "
                f"(process {scheduler.pid}) started."
            )
        try:
            call_command("runserver", options["addrport"])
        finally:
            for helper in helpers:
                helper.terminate()
                helper.wait(timeout=10)
