"""Permission-table rows for the matching app (collected by ``tests/test_permissions.py``).

The world gets a finished proposal of organisation A with one proposed group, a shared pool
started by A, and a place in A's group offered for A's own registration (a transfer).
"""

from __future__ import annotations

from typing import Any

from kretsen.matching.models import PoolMember, Proposal, SharedPool, Transfer
from tests.permission_table import (
    ADMIN_ONLY,
    ADMIN_ONLY_POST,
    COORDINATOR_ONLY,
    COORDINATOR_ONLY_POST,
    ORG,
    Row,
)


def PROPOSAL(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**ORG(ctx), "proposal": ctx["proposal"].public_id}


def POOL(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**ORG(ctx), "pool": ctx["shared_pool"].public_id}


def TRANSFER(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**ORG(ctx), "transfer": ctx["transfer"].public_id}


ROWS: list[Row] = [
    Row("matching:proposals", COORDINATOR_ONLY, kwargs=ORG),
    Row("matching:proposal", COORDINATOR_ONLY, kwargs=PROPOSAL),
    Row("matching:progress", COORDINATOR_ONLY, kwargs=PROPOSAL),
    Row("matching:move", COORDINATOR_ONLY_POST, method="POST", kwargs=PROPOSAL),
    Row("matching:include", COORDINATOR_ONLY_POST, method="POST", kwargs=PROPOSAL),
    Row("matching:lock", COORDINATOR_ONLY_POST, method="POST", kwargs=PROPOSAL),
    Row("matching:apart", COORDINATOR_ONLY_POST, method="POST", kwargs=PROPOSAL),
    Row("matching:rerun", COORDINATOR_ONLY_POST, method="POST", kwargs=PROPOSAL),
    Row("matching:accept", COORDINATOR_ONLY_POST, method="POST", kwargs=PROPOSAL),
    Row("matching:shared", ADMIN_ONLY, kwargs=ORG),
    Row("matching:shared_answer", ADMIN_ONLY_POST, method="POST", kwargs=POOL),
    Row("matching:places", COORDINATOR_ONLY, kwargs=ORG),
    Row("matching:place", COORDINATOR_ONLY_POST, method="POST", kwargs=TRANSFER),
]

# (route, method, URL keyword for the object, key in the world) under /staff/<org>/...


def extend_world(world: dict[str, Any]) -> None:
    """Add this app's objects to the shared world (runs with scopes disabled)."""
    registration = world["registration"]
    person = {
        "id": str(registration.public_id),
        "condition": "dementia",
        "relation": "partner",
        "age_band": "65-79",
        "gender": None,
        "languages": ["sv"],
        "format": "both",
        "area": None,
        "availability": 1,
        "days_waiting": 10,
    }
    world["proposal"] = Proposal.objects.create(
        organisation=world["org_a"],
        offer=world["offer"],
        state=Proposal.State.DONE,
        problem={
            "people": [person],
            "leaders": [],
            "never_together": [],
            "rules": {
                "min_size": 4,
                "max_size": 8,
                "digital_min_size": 4,
                "digital_max_size": 6,
                "formats": ["digital", "in_person"],
            },
            "seconds": 5,
            "seed": 1,
        },
        result={"objective": 0.0, "upper_bound": 0.0, "status": "empty", "left_out": []},
    )
    pool = SharedPool.objects.create(name="Digital pool", host=world["org_a"])
    PoolMember.objects.create(pool=pool, organisation=world["org_a"], state=PoolMember.State.AGREED)
    world["shared_pool"] = pool
    world["transfer"] = Transfer.objects.create(
        pool=pool,
        proposal=world["proposal"],
        home=world["org_a"],
        host=world["org_a"],
        registration=registration,
        group=world["group"],
        slot=1,
    )
