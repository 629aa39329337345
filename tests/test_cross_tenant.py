"""Another tenant's objects answer 404, for every route that takes an object: built from the
URL resolver, so that a new route cannot be forgotten.

Every route under ``/staff/<org>/`` or ``/network/<network>/`` with an object id in its path
is asked, with both methods, by each role of organisation B inside B's own back office (the
admin and coordinator, a leader, an admin alone), and by network B's coordinator and a local
leader of network B inside network B, for organisation A's (network A's) objects. Each must get
404, or 403 where the role itself is missing, exactly as for an id that exists nowhere, so the
answer never tells whether the object exists; at least one of them must reach the lookup and
get 404; and nothing of A changes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, StaffMembership, User
from kretsen.core.roles import Role
from kretsen.intake.models import Registration
from kretsen.network.models import Network, NetworkMembership
from tests.conftest import make_staff, sign_in_staff
from tests.network.conftest import make_local

# The URL's object id -> the world's object of organisation (or network) A of that kind.
OBJECTS = {
    "offer": "offer",
    "registration": "registration",
    "topic": "topic",
    "membership": "leader_membership",
    "group": "group",
    "member": "member",
    "meeting": "meeting",
    "proposal": "proposal",
    "pool": "shared_pool",
    "transfer": "transfer",
    "follow_up": "follow_up",
    "local": "local_network",
    "round": "compiling_round",
    "question": "compiling_question",
    "suggestion": "suggestion",
    "theme": "theme",
    "quote": "compiling_quote",
    "use": "quote_use",
    "answer": "compiling_answer",
    "passage": "passage",
}
TENANT_KWARGS = {"org", "network"}
OBJECT_ID = re.compile(r"<uuid:(\w+)>")


def _routes(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def object_routes() -> list[tuple[str, str, list[str]]]:
    """(route name, tenant kwarg, object kwargs) for every tenant route that takes an object."""
    found = []
    for name, route in _routes(get_resolver()):
        tenant = "org" if route.startswith("staff/<slug:org>/") else None
        if route.startswith("network/<uuid:network>/"):
            tenant = "network"
        objects = [kwarg for kwarg in OBJECT_ID.findall(route) if kwarg not in TENANT_KWARGS]
        if tenant and objects:
            found.append((name, tenant, objects))
    return found


ROUTES = object_routes()


def test_it_finds_the_object_routes_and_knows_every_kind_of_object() -> None:
    assert len(ROUTES) >= 60
    unknown = sorted({kwarg for _n, _t, kwargs in ROUTES for kwarg in kwargs} - set(OBJECTS))
    assert unknown == [], (
        f"Routes take object ids that this test cannot build: {unknown}. Add each to OBJECTS "
        "with the world key of organisation A's object of that kind (tests/<app>/"
        "permission_rows.py extend_world)."
    )


@pytest.fixture
def tenant_b(org_b: Organisation, coordinator_b: User) -> dict[str, Any]:
    """Organisation B's roles and network B's roles, each signed in."""
    leader_b = make_staff("leader@b.example", org_b, {Role.LEADER})
    admin_b = make_staff("admin-only@b.example", org_b, {Role.ADMIN})
    with scopes_disabled():
        network_b = Network.objects.create(name="Nätverk B")
        network_coordinator_b = make_staff("network@b.example", None, set())
        NetworkMembership.objects.create(
            network=network_b, user=network_coordinator_b, role=Role.NETWORK_COORDINATOR.value
        )
    make_local(network_b, org_b, leader_b, "Bøfjord")
    clients = {
        "org": {
            "admin and coordinator of B": sign_in_staff(Client(), coordinator_b),
            "leader of B": sign_in_staff(Client(), leader_b),
            "admin of B": sign_in_staff(Client(), admin_b),
        },
        "network": {
            "coordinator of network B": sign_in_staff(Client(), network_coordinator_b),
            "local leader in network B": sign_in_staff(Client(), leader_b),
        },
    }
    return {"clients": clients, "org": org_b.slug, "network": network_b.public_id}


def _snapshot(world: dict[str, Any]) -> tuple[int, str, bool]:
    with scopes_disabled():
        return (
            AuditEvent.objects.filter(organisation=world["org_a"]).count(),
            Registration.objects.get(pk=world["registration"].pk).status,
            StaffMembership.objects.get(public_id=world["leader_membership"]).is_active,
        )


def _id(world: dict[str, Any], kwarg: str) -> Any:
    value = world[OBJECTS[kwarg]]
    return getattr(value, "public_id", value)


@pytest.mark.parametrize(("route", "tenant", "objects"), ROUTES, ids=[r[0] for r in ROUTES])
def test_it_answers_another_tenants_object_like_one_that_does_not_exist(
    route: str, tenant: str, objects: list[str], world: dict[str, Any], tenant_b: dict[str, Any]
) -> None:
    before = _snapshot(world)
    reached_the_lookup = False
    for persona, client in tenant_b["clients"][tenant].items():
        for method in ("GET", "POST"):
            answers = []
            for ids in (
                {kwarg: _id(world, kwarg) for kwarg in objects},
                {kwarg: uuid.uuid4() for kwarg in objects},
            ):
                url = reverse(route, kwargs={tenant: tenant_b[tenant], **ids})
                response = (
                    client.post(url, {"status": "withdrawn", "state": "ended"})
                    if method == "POST"
                    else client.get(url)
                )
                answers.append(response.status_code)
            foreign, nowhere = answers
            assert foreign in (403, 404, 405), f"{method} {route} as {persona}: {foreign}"
            assert foreign == nowhere, (
                f"{method} {route} as {persona} tells A's object ({foreign}) from a missing "
                f"one ({nowhere})"
            )
            reached_the_lookup = reached_the_lookup or foreign == 404
    assert reached_the_lookup, f"No role of the other tenant reached the object lookup of {route}"
    assert _snapshot(world) == before
