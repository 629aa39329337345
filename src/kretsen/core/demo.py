"""Invented demo data: two organisations, one learning network and one person per role.

Every name, address and organisation here is made up. ``load`` can run any number of times;
it creates what is missing and leaves the rest as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.core.roles import Role
from kretsen.network.models import Network, NetworkMembership

DEMO_DOMAIN = "demo.kretsen.example"
DEMO_PASSWORD = "demo-kretsen-2026"


@dataclass
class DemoAccount:
    role: str
    email: str
    sign_in: str
    totp_secret: str = ""


def _organisation(slug: str, **fields: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(slug=slug, defaults=fields)
    return organisation


def _staff(email: str, name: str, language: str) -> User:
    user = User.objects.staff().filter(email=email).first()
    if user is None:
        user = User.objects.create_staff_user(
            email, DEMO_PASSWORD, display_name=name, language=language
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return user


def _member(user: User, organisation: Organisation, roles: set[Role]) -> None:
    with scopes_disabled():
        StaffMembership.objects.get_or_create(
            user=user,
            organisation=organisation,
            defaults={
                "is_admin": Role.ADMIN in roles,
                "is_coordinator": Role.COORDINATOR in roles,
                "is_leader": Role.LEADER in roles,
            },
        )


def _secret(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return device.config_url.split("secret=", 1)[1].split("&", 1)[0]


@transaction.atomic
def load() -> list[DemoAccount]:
    demo = _organisation(
        "demo-kommun",
        name="Demo kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        country=Organisation.Country.SE,
        default_language="sv",
        time_zone="Europe/Stockholm",
    )
    fjordby = _organisation(
        "fjordby",
        name="Fjordby kommune",
        kind=Organisation.Kind.MUNICIPALITY,
        country=Organisation.Country.NO,
        default_language="nb",
        time_zone="Europe/Oslo",
    )
    people = [
        ("admin", f"admin@{DEMO_DOMAIN}", "Alva Admin", "sv", demo, {Role.ADMIN}),
        (
            "coordinator",
            f"samordnare@{DEMO_DOMAIN}",
            "Selma Samordnare",
            "sv",
            demo,
            {Role.COORDINATOR},
        ),
        ("leader", f"ledare@{DEMO_DOMAIN}", "Leo Ledare", "sv", demo, {Role.LEADER}),
        (
            "coordinator, other organisation",
            f"koordinator@{DEMO_DOMAIN}",
            "Kari Koordinator",
            "nb",
            fjordby,
            {Role.ADMIN, Role.COORDINATOR},
        ),
    ]
    accounts = []
    for role, email, name, language, organisation, roles in people:
        user = _staff(email, name, language)
        _member(user, organisation, roles)
        accounts.append(DemoAccount(role, email, "/staff/", _secret(user)))

    network, _created = Network.objects.get_or_create(
        name="Nationellt lärande nätverk (demo)", defaults={"language": "sv"}
    )
    network_user = _staff(f"natverk@{DEMO_DOMAIN}", "Nora Nätverk", "sv")
    NetworkMembership.objects.get_or_create(
        network=network, user=network_user, role=Role.NETWORK_COORDINATOR.value
    )
    accounts.append(
        DemoAccount("network coordinator", network_user.email, "/staff/", _secret(network_user))
    )

    relative_email = f"anhorig@{DEMO_DOMAIN}"
    if not User.objects.relatives().filter(email=relative_email).exists():
        User.objects.create_relative(relative_email, display_name="Ada", language="sv")
    accounts.append(DemoAccount("relative", relative_email, "/sign-in/"))
    return accounts


def describe(accounts: list[DemoAccount]) -> str:
    lines = [
        "",
        "Kretsen demo is ready on " + settings.SITE_URL,
        "",
        f"Staff sign in at {settings.SITE_URL}/staff/account/sign-in/ with password "
        f"{DEMO_PASSWORD!r}, then a code:",
        "  make totp EMAIL=<address>   prints the current code of a demo account,",
        "  or add the secret below to any authenticator app.",
        "",
    ]
    for account in accounts:
        if account.totp_secret:
            lines.append(
                f"  {account.role:34} {account.email:38} TOTP secret {account.totp_secret}"
            )
        else:
            lines.append(
                f"  {account.role:34} {account.email:38} sign-in link at "
                f"{settings.SITE_URL}{account.sign_in}; the mail is printed in this terminal"
            )
    lines.append("")
    return "\n".join(lines)
