from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kretsen.demo import loader as demo


class Command(BaseCommand):
    help = "Create the invented demo organisations and people (idempotent; development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_TOOLS:
            raise CommandError(
                "load_demo only runs in development (DEBUG=1): it sets known passwords."
            )
        accounts = demo.load()
        self.stdout.write(demo.describe(accounts))
