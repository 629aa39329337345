"""Invite a person to an organisation from the command line (e.g. its first admin)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import RequestFactory
from django_scopes import scope

from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation
from kretsen.core.roles import ORGANISATION_ROLES, Role
from kretsen.core.services import staff


class Command(BaseCommand):
    help = "Invite a person by e-mail to an organisation with one or more roles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="the organisation's short name (slug)")
        parser.add_argument("email")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--role",
            action="append",
            choices=[role.value for role in ORGANISATION_ROLES],
            required=True,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the short name {options['organisation']}.")
        # The audit trail records the command line as the origin: no user, no IP address.
        request = RequestFactory().get("/")
        request.META["REMOTE_ADDR"] = ""
        request.user = AnonymousUser()
        try:
            with scope(organisation=organisation):
                staff.invite(
                    request,
                    organisation,
                    options["email"],
                    options["name"],
                    {Role(value) for value in options["role"]},
                    organisation.default_language,
                )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Invitation queued for {options['email']}; the worker sends it.")
