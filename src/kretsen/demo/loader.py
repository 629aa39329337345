"""Invented demo data: two organisations, one learning network and one person per role.

Every name, address and organisation here is made up. ``load`` can run any number of times;
it creates what is missing and leaves the rest as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import Condition, Format, Language, Relation, to_mask
from kretsen.network.models import Network, NetworkMembership

DEMO_DOMAIN = "demo.kretsen.example"
DEMO_PASSWORD = "demo-kretsen-2026"


@dataclass
class DemoAccount:
    role: str
    email: str
    sign_in: str
    totp_secret: str = ""


def _organisation(slug: str, **fields: object) -> Organisation:
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
        region="Västra Götaland",
        welcomes_outside_participants=True,
        kind=Organisation.Kind.MUNICIPALITY,
        country=Organisation.Country.SE,
        default_language="sv",
        time_zone="Europe/Stockholm",
    )
    fjordby = _organisation(
        "fjordby",
        name="Fjordby kommune",
        region="Vestland",
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

    _demo_offers(demo, fjordby)
    _demo_registrations(demo)

    relative_email = f"anhorig@{DEMO_DOMAIN}"
    if not User.objects.relatives().filter(email=relative_email).exists():
        User.objects.create_relative(relative_email, display_name="Ada", language="sv")
    accounts.append(DemoAccount("relative", relative_email, "/sign-in/"))

    from kretsen.care.demo import load_demo as load_care
    from kretsen.groups.demo import load_demo as load_groups
    from kretsen.matching.demo import load_demo as load_matching
    from kretsen.matching.demo import load_shared_demo

    by_email = {u.email: u for u in User.objects.staff()}
    demo_leaders = [by_email[f"ledare@{DEMO_DOMAIN}"], by_email[f"samordnare@{DEMO_DOMAIN}"]]
    demo_relative = User.objects.relatives().get(email=relative_email)
    load_groups(demo, demo_leaders, demo_relative)
    load_care(demo, demo_leaders, demo_relative)
    load_matching(demo)
    load_shared_demo(demo, fjordby)
    return accounts


def describe(accounts: list[DemoAccount]) -> str:
    lines = [
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


DEMO_OFFERS: list[dict[str, Any]] = [
    {
        "title_sv": "Samtalsgrupp för dig som är partner till någon med demens",
        "title_en": "Conversation group for partners of someone with dementia",
        "purpose_sv": (
            "Åtta träffar i en liten grupp med två samtalsledare. Vi pratar om hur vardagen "
            "har förändrats, om skuld och sorg, och om hur du tar hand om dig själv.\n\n"
            "- Fika från klockan 17.30\n- Samtal 18.00–19.30"
        ),
        "relations": [Relation.PARTNER],
        "conditions": [Condition.DEMENTIA],
        "languages": ["sv"],
        "form": "closed",
        "meeting_count": 8,
        "format": Format.IN_PERSON,
        "address": "Träffpunkten, Kyrkogatan 4",
        "venue_accessibility": "Entré utan trappsteg, hörslinga finns.",
        "days_to_start": 21,
    },
    {
        "title_sv": "Digital grupp för föräldrar till unga vuxna med psykisk ohälsa",
        "title_en": "Online group for parents of young adults with mental illness",
        "purpose_sv": (
            "Sex träffar via video, varannan vecka. Du behöver bara en telefon eller dator "
            "och en plats där ingen hör dig."
        ),
        "purpose_en": (
            "Six video meetings, every other week. All you need is a phone or computer and "
            "a place where nobody overhears you."
        ),
        "relations": [Relation.PARENT],
        "conditions": [Condition.MENTAL_ILLNESS],
        "languages": ["sv", "en"],
        "form": "closed",
        "meeting_count": 6,
        "format": Format.DIGITAL,
        "max_size": 6,
        "frequency": "fortnightly",
        "starts_when_enough": True,
    },
    {
        "title_sv": "Anhörigcafé på torsdagar",
        "title_en": "Relatives' café on Thursdays",
        "purpose_sv": "Kom när du vill, gå när du vill. Kaffe, samtal och någon som lyssnar.",
        "relations": [r.value for r in Relation],
        "conditions": [],
        "languages": ["sv"],
        "form": "open",
        "format": Format.IN_PERSON,
        "address": "Biblioteket, Stora salen",
        "frequency": "weekly",
        "days_to_start": 3,
    },
]


def _demo_offers(demo: Organisation, fjordby: Organisation) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kretsen.directory.models import Offer

    with scopes_disabled():
        if Offer.objects.filter(organisation=demo).exists():
            return
        for spec in DEMO_OFFERS:
            fields = dict(spec)
            days = fields.pop("days_to_start", None)
            offer = Offer(
                organisation=demo,
                state=Offer.State.PUBLISHED,
                published_at=timezone.now(),
                contact_role="Anhörigkonsulent",
                contact_phone="+46 31 00 00 00",
                start_date=timezone.localdate() + timedelta(days=days) if days else None,
                relations=to_mask(fields.pop("relations"), Relation),
                conditions=to_mask(fields.pop("conditions"), Condition),
                languages=to_mask(fields.pop("languages"), Language),
                **fields,
            )
            offer.save()
        Offer.objects.create(
            organisation=fjordby,
            state=Offer.State.PUBLISHED,
            published_at=timezone.now(),
            title_nb="Samtalegruppe for pårørende til personer med rusproblemer",
            purpose_nb="Vi møtes hver uke i åtte uker. Du bestemmer selv hvor mye du deler.",
            relations=to_mask([r.value for r in Relation], Relation),
            conditions=to_mask([Condition.ADDICTION], Condition),
            languages=to_mask(["nb"], Language),
            form="closed",
            meeting_count=8,
            format=Format.IN_PERSON,
            address="Frivilligsentralen, Fjordveien 2",
            starts_when_enough=True,
            contact_role="Koordinator for pårørendestøtte",
        )


def _demo_registrations(demo: Organisation) -> None:
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from kretsen.intake.models import Registration, Status

    people = [
        ("Birgitta", Relation.PARTNER, Condition.DEMENTIA, Status.NEW, None, True),
        ("Johan", Relation.ADULT_CHILD, Condition.DEMENTIA, Status.CONTACTED, None, False),
        ("Sara", Relation.PARENT, Condition.MENTAL_ILLNESS, Status.WAITING_LIST, 40, False),
        ("Maj", Relation.PARTNER, Condition.DEMENTIA, Status.WAITING_LIST, 95, True),
        ("Ali", Relation.SIBLING, Condition.ADDICTION, Status.WAITING_LIST, 12, False),
    ]
    with scopes_disabled():
        if Registration.objects.filter(organisation=demo).exists():
            return
        today = timezone.localdate()
        for name, relation, condition, status, waiting_days, discreet in people:
            Registration.objects.create(
                organisation=demo,
                submission_key=uuid.uuid4(),
                display_name=name,
                phone="+46701234567",
                contact_by_phone=True,
                no_messages=discreet,
                no_topic=discreet,
                relation=relation,
                condition=condition,
                languages=to_mask(["sv"], Language),
                status=status,
                waiting_since=today - timedelta(days=waiting_days) if waiting_days else None,
                consent_version="demo",
                consent_at=timezone.now(),
            )
