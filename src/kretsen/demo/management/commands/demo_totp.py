"""Print the current sign-in code of a demo staff user (development only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kretsen.demo.loader import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff user. Refuses to run unless DEBUG is on."
    # The system checks import every view (PDF and solver libraries): seconds for nothing here.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_TOOLS:
            raise CommandError("demo_totp only runs in development (DEBUG=1).")
        email = options["email"].lower()
        if not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError(f"Only demo accounts (@{DEMO_DOMAIN}) have codes printed.")
        device = TOTPDevice.objects.filter(
            user__email=email, user__kind="staff", confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator set up. Run load_demo first.")
        now = int(time.time())
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        valid = seconds_valid(now, device.step, device.t0)
        self.stdout.write(f"{code:0{device.digits}d}")
        self.stdout.write(f"(valid for {valid} more seconds; then run make totp again)")


def seconds_valid(now: int, step: int, t0: int) -> int:
    """Seconds until the code of the time step that contains ``now`` changes."""
    return step - (now - t0) % step
