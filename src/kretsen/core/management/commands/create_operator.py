"""Create a platform operator (Django admin access) with a password and an authenticator."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from kretsen.core.models import User


class Command(BaseCommand):
    help = "Create a platform operator and print the authenticator key for their phone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.staff().filter(email=email).exists():
            raise CommandError(f"A staff account for {email} exists already.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The passwords differ.")
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user = User.objects.create_superuser(email, email, password)
        device = TOTPDevice.objects.create(user=user, name="operator", confirmed=True)
        self.stdout.write(f"Operator {email} created. Add this to an authenticator app:")
        self.stdout.write(device.config_url)
