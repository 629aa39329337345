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
from tests.permission_table import (
    ADMIN_ONLY,
    ADMIN_ONLY_POST,
    ANY_POST_REDIRECT,
    COORDINATOR_ONLY,
    COORDINATOR_ONLY_POST,
    GONE,
    MEMBER,
    OFFER,
    OFFER_STAFF,
    OFFER_STAFF_POST,
    ORG,
    ORG_OFFER,
    ORG_REG,
    OWN_REG,
    PUBLIC,
    RELATIVE_ONLY,
    STAFF_ONLY,
    Row,
)

APP_ROWS = (groups_rows, matching_rows, care_rows, network_rows)

# The permission table: every route, every persona, the status they get (see
# tests/test_permissions.py). The apps' rows are added from their permission_rows modules.
TABLE: list[Row] = [
    Row("core:home", PUBLIC),
    # Public; 503 here only because no worker or scheduler has beaten in the test world.
    Row("core:healthz", (503, 503, 503, 503, 503, 503, 503)),
    Row("core:sign-in", PUBLIC),
    Row("core:sign-in-sent", PUBLIC),
    Row("core:sign-in-link", GONE, kwargs=lambda ctx: {"token": "not-a-real-token"}),
    Row("core:me", (302, 200, 403, 403, 403, 403, 403)),
    Row("core:me-sign-out", ANY_POST_REDIRECT, method="POST"),
    Row("core:staff-home", (302, 403, 302, 302, 302, 302, 200)),
    Row("core:staff-sign-in", PUBLIC),
    # Already verified staff are sent on; a relative may never take the staff path.
    Row("core:staff-verify", (302, 403, 302, 302, 302, 302, 302)),
    Row("core:staff-two-factor-setup", (302, 403, 200, 200, 200, 200, 200)),
    Row("core:staff-recovery-codes", STAFF_ONLY),
    Row("core:staff-sign-out", ANY_POST_REDIRECT, method="POST"),
    Row("core:staff-invitation", GONE, kwargs=lambda ctx: {"token": "not-a-real-token"}),
    Row("core:staff-password-reset", PUBLIC),
    Row("core:staff-password-reset-sent", PUBLIC),
    Row(
        "core:staff-password-reset-confirm",
        PUBLIC,
        kwargs=lambda ctx: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Row("core:staff-password-reset-done", PUBLIC),
    Row("core:org-home", (302, 403, 200, 200, 200, 403, 403), kwargs=ORG),
    Row("core:people", ADMIN_ONLY, kwargs=ORG),
    Row("core:people-invite", ADMIN_ONLY, kwargs=ORG),
    Row("core:membership", ADMIN_ONLY, kwargs=MEMBER),
    Row("core:membership-deactivate", ADMIN_ONLY_POST, method="POST", kwargs=MEMBER),
    Row("core:membership-reactivate", ADMIN_ONLY_POST, method="POST", kwargs=MEMBER),
    Row("core:audit", ADMIN_ONLY, kwargs=ORG),
    Row(
        "network:home",
        (302, 403, 403, 403, 403, 403, 200),
        kwargs=lambda ctx: {"network": ctx["network"].public_id},
    ),
    Row("directory:directory", PUBLIC),
    Row("directory:offer", PUBLIC, kwargs=OFFER),
    Row("directory:offer-poster", PUBLIC, kwargs=OFFER),
    Row("directory:organisation", PUBLIC, kwargs=ORG),
    Row("directory:privacy", PUBLIC, kwargs=ORG),
    Row("directory:embed", PUBLIC, kwargs=ORG),
    Row("directory:offers-json", PUBLIC, kwargs=ORG),
    Row("directory:organisation-poster", PUBLIC, kwargs=ORG),
    Row("directory:staff-offers", OFFER_STAFF, kwargs=ORG),
    Row("directory:staff-offer-new", OFFER_STAFF, kwargs=ORG),
    Row("directory:staff-offer", OFFER_STAFF, kwargs=ORG_OFFER),
    Row("directory:staff-offer-state", OFFER_STAFF_POST, method="POST", kwargs=ORG_OFFER),
    Row("directory:settings", ADMIN_ONLY, kwargs=ORG),
    Row("intake:interest-offer", PUBLIC, kwargs=OFFER),
    Row("intake:interest", PUBLIC, kwargs=ORG),
    Row("intake:received", PUBLIC, kwargs=ORG),
    Row("intake:my-data", RELATIVE_ONLY),
    Row("intake:my-contact", RELATIVE_ONLY, kwargs=OWN_REG),
    Row("intake:my-withdraw", RELATIVE_ONLY, kwargs=OWN_REG),
    Row("intake:inbox", COORDINATOR_ONLY, kwargs=ORG),
    Row("intake:registration", COORDINATOR_ONLY, kwargs=ORG_REG),
    Row("intake:registration-intake", COORDINATOR_ONLY, kwargs=ORG_REG),
    Row("intake:registration-assign", COORDINATOR_ONLY_POST, method="POST", kwargs=ORG_REG),
    Row("intake:registration-contact", COORDINATOR_ONLY_POST, method="POST", kwargs=ORG_REG),
    Row("intake:registration-status", COORDINATOR_ONLY_POST, method="POST", kwargs=ORG_REG),
    Row("intake:waiting-list", COORDINATOR_ONLY, kwargs=ORG),
    Row("set_language", ANY_POST_REDIRECT, method="POST"),
    # Django's admin is for platform operators (is_staff + second factor) only; every admin
    # route goes through the same admin_view check, tested here on the index.
    Row("admin:index", (302, 302, 302, 302, 302, 302, 302)),
    Row("admin:login", PUBLIC),
]
for _module in APP_ROWS:
    TABLE.extend(_module.ROWS)


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
