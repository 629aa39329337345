"""Print the current sign-in code of a demo staff user (development only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kretsen.core.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff user. Refuses to run unless DEBUG is on."

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
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
