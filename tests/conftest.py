"""Shared personas: the people every view test speaks about.

- ``org_a`` and ``org_b``: two organisations.
- ``admin_a``, ``coordinator_a``, ``leader_a``: staff of organisation A, each with TOTP set up.
- ``coordinator_b``: staff of organisation B (the "other organisation").
- ``relative``: a relative (no password; signs in by link).
- ``network_coordinator``: coordinates ``network``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import Condition, Format, Language, Relation, to_mask
from kretsen.directory.models import Offer
from kretsen.intake.models import Registration
from kretsen.network.models import Network, NetworkMembership
from tests.mail_server import smtp_inbox  # noqa: F401 (a fixture for the mail tests)

# The shared world of the access tests (tests/world.py) is a fixture for every module.
pytest_plugins = ["tests.world"]

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def make_org(slug: str, name: str, **extra: object) -> Organisation:
    defaults: dict[str, object] = {
        "kind": Organisation.Kind.MUNICIPALITY,
        "country": Organisation.Country.SE,
        "default_language": "sv",
        "time_zone": "Europe/Stockholm",
    }
    defaults.update(extra)
    return Organisation.objects.create(slug=slug, name=name, **defaults)


def make_staff(email: str, organisation: Organisation | None, roles: set[Role]) -> User:
    user = User.objects.create_staff_user(email, PASSWORD, display_name=email.split("@")[0])
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    if organisation is not None:
        with scopes_disabled():
            StaffMembership.objects.create(
                user=user,
                organisation=organisation,
                is_admin=Role.ADMIN in roles,
                is_coordinator=Role.COORDINATOR in roles,
                is_leader=Role.LEADER in roles,
            )
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_staff(client: Client, user: User) -> Client:
    """A staff session that has passed both factors."""
    client.force_login(user, backend="kretsen.core.auth.StaffBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


def sign_in_relative(client: Client, user: User) -> Client:
    client.force_login(user, backend="kretsen.core.auth.SignInLinkBackend")
    return client


@pytest.fixture
def org_a(db: None) -> Organisation:
    return make_org("org-a", "Åby kommun")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return make_org(
        "org-b", "Bøfjord kommune", country="NO", default_language="nb", time_zone="Europe/Oslo"
    )


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff("admin@a.example", org_a, {Role.ADMIN})


@pytest.fixture
def coordinator_a(org_a: Organisation) -> User:
    return make_staff("coordinator@a.example", org_a, {Role.COORDINATOR})


@pytest.fixture
def leader_a(org_a: Organisation) -> User:
    return make_staff("leader@a.example", org_a, {Role.LEADER})


@pytest.fixture
def coordinator_b(org_b: Organisation) -> User:
    return make_staff("coordinator@b.example", org_b, {Role.ADMIN, Role.COORDINATOR})


@pytest.fixture
def relative(db: None) -> User:
    return User.objects.create_relative("relative@example.org", display_name="Ada")


@pytest.fixture
def network(db: None) -> Network:
    return Network.objects.create(name="Nätverket")


@pytest.fixture
def network_coordinator(network: Network) -> User:
    user = make_staff("network@n.example", None, set())
    NetworkMembership.objects.create(
        network=network, user=user, role=Role.NETWORK_COORDINATOR.value
    )
    return user


@pytest.fixture
def admin_client(client: Client, admin_a: User) -> Client:
    return sign_in_staff(client, admin_a)


def make_offer(organisation: Organisation, **extra: object) -> Offer:
    fields: dict[str, object] = {
        "organisation": organisation,
        "state": Offer.State.PUBLISHED,
        "title_sv": "Samtalsgrupp för anhöriga",
        "title_en": "Conversation group for relatives",
        "purpose_sv": "Vi ses och pratar.",
        "relations": to_mask([Relation.PARTNER], Relation),
        "conditions": to_mask([Condition.DEMENTIA], Condition),
        "languages": to_mask(["sv"], Language),
        "form": Offer.Form.CLOSED,
        "meeting_count": 8,
        "format": Format.IN_PERSON,
        "address": "Storgatan 1",
        "starts_when_enough": True,
        "contact_role": "Anhörigkonsulent",
        "contact_phone": "+46701234567",
    }
    fields.update(extra)
    return Offer.objects.create(**fields)


def make_registration(organisation: Organisation, **extra: object) -> Registration:
    fields: dict[str, object] = {
        "organisation": organisation,
        "submission_key": uuid.uuid4(),
        "display_name": "Eva",
        "phone": "+46701234567",
        "contact_by_phone": True,
        "relation": Relation.PARTNER,
        "condition": Condition.DEMENTIA,
        "languages": to_mask(["sv"], Language),
        "consent_version": "test",
        "consent_at": timezone.now(),
    }
    fields.update(extra)
    return Registration.objects.create(**fields)


@pytest.fixture
def offer_a(org_a: Organisation) -> Offer:
    return make_offer(org_a)


@pytest.fixture
def registration_a(org_a: Organisation, relative: User) -> Registration:
    return make_registration(org_a, user=relative, email=relative.email, contact_by_email=True)
