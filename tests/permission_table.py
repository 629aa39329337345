"""Shared pieces of the permission table (see ``tests/test_permissions.py``).

Each app with views keeps its rows in ``tests/<app>/permission_rows.py``: ``ROWS`` (route,
expected statuses per persona, method, how to build the URL's arguments) and
``extend_world(world)``, which adds the app's objects to the shared world of personas. Which
routes take another tenant's object is read from the URL resolver by
``tests/test_cross_tenant.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PERSONAS = ("anonymous", "relative", "leader", "coordinator", "admin", "other_org", "network")


@dataclass(frozen=True)
class Row:
    route: str
    expected: tuple[int, int, int, int, int, int, int]
    method: str = "GET"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda ctx: {}


ORG = lambda ctx: {"org": ctx["org_a"].slug}  # noqa: E731
MEMBER = lambda ctx: {"org": ctx["org_a"].slug, "membership": ctx["leader_membership"]}  # noqa: E731

#        anonymous relative leader coordinator admin other_org network
PUBLIC = (200, 200, 200, 200, 200, 200, 200)
ANY_POST_REDIRECT = (302, 302, 302, 302, 302, 302, 302)
GONE = (410, 410, 410, 410, 410, 410, 410)
ADMIN_ONLY = (302, 403, 403, 403, 200, 403, 403)
ADMIN_ONLY_POST = (302, 403, 403, 403, 302, 403, 403)
STAFF_ONLY = (302, 403, 200, 200, 200, 200, 200)
RELATIVE_ONLY = (302, 200, 403, 403, 403, 403, 403)
OFFER_STAFF = (302, 403, 403, 200, 200, 403, 403)
OFFER_STAFF_POST = (302, 403, 403, 302, 302, 403, 403)
COORDINATOR_ONLY = (302, 403, 403, 200, 403, 403, 403)
COORDINATOR_ONLY_POST = (302, 403, 403, 302, 403, 403, 403)
OFFER = lambda ctx: {"offer": ctx["offer"].public_id}  # noqa: E731
ORG_OFFER = lambda ctx: {"org": ctx["org_a"].slug, "offer": ctx["offer"].public_id}  # noqa: E731
ORG_REG = lambda ctx: {"org": ctx["org_a"].slug, "registration": ctx["registration"].public_id}  # noqa: E731
OWN_REG = lambda ctx: {"registration": ctx["registration"].public_id}  # noqa: E731
