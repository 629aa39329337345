"""The shared world of the access tests: organisation A with an object of every kind, the
personas who ask for them, and a signed-in client per persona.

Each app with views adds its objects through ``extend_world`` in
``tests/<app>/permission_rows.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from kretsen.core.models import StaffMembership, User
from kretsen.directory.models import Offer
from kretsen.intake.models import Registration
from kretsen.network.models import Network
from tests.care import permission_rows as care_rows
from tests.conftest import sign_in_relative, sign_in_staff
from tests.groups import permission_rows as groups_rows
from tests.matching import permission_rows as matching_rows
from tests.network import permission_rows as network_rows

APP_ROWS = (groups_rows, matching_rows, care_rows, network_rows)


@pytest.fixture
def world(
    org_a: Any,
    org_b: Any,
    admin_a: User,
    coordinator_a: User,
    leader_a: User,
    coordinator_b: User,
    relative: User,
    network: Network,
    network_coordinator: User,
    offer_a: Offer,
    registration_a: Registration,
) -> dict[str, Any]:
    with scopes_disabled():
        leader_membership = StaffMembership.objects.get(user=leader_a).public_id
    world: dict[str, Any] = {
        "org_a": org_a,
        "network": network,
        "leader_membership": leader_membership,
        "offer": offer_a,
        "registration": registration_a,
        "users": {
            "relative": relative,
            "leader": leader_a,
            "coordinator": coordinator_a,
            "admin": admin_a,
            "other_org": coordinator_b,
            "network": network_coordinator,
        },
    }
    with scopes_disabled():
        for module in APP_ROWS:
            module.extend_world(world)
    return world


def client_for(persona: str, world: dict[str, Any]) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    user = world["users"][persona]
    if persona == "relative":
        return sign_in_relative(client, user)
    return sign_in_staff(client, user)
