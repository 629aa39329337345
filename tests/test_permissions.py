"""The permission table: every URL, every persona, the status they get.

Each row names a route, how to build its arguments, the HTTP method, and the expected status
for: anonymous, relative, leader (A), coordinator (A), admin (A), other organisation (the
admin/coordinator of B asking for A's page) and network coordinator. A route found in the URL
resolver without a row fails ``test_it_has_a_row_for_every_route``.

302 means "sent to sign in" (or onwards after a successful step), 403 a missing role,
404 an unknown or foreign object, 405 a method the view does not take, 410 a used-up link.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kretsen.core.models import User
from tests.conftest import sign_in_relative
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
    PERSONAS,
    PUBLIC,
    RELATIVE_ONLY,
    STAFF_ONLY,
    Row,
)
from tests.world import APP_ROWS, client_for

TABLE: list[Row] = [
    Row("core:home", PUBLIC),
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

# The admin's model pages are all wrapped by AdminSite.admin_view, checked through admin:index.
COVERED_BY_ADMIN_INDEX = "admin:"


def _route_names(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}", pattern.callback


def test_it_has_a_row_for_every_route() -> None:
    rows = {row.route for row in TABLE}
    missing = [
        name
        for name, _callback in _route_names(get_resolver())
        if name not in rows and not name.startswith(COVERED_BY_ADMIN_INDEX)
    ]
    assert missing == [], f"Routes without a row in the permission table: {missing}"


def test_it_has_no_rows_for_routes_that_do_not_exist() -> None:
    names = {name for name, _callback in _route_names(get_resolver())}
    assert {row.route for row in TABLE} - names == set()


def test_it_declares_who_may_use_every_view() -> None:
    undeclared = [
        name
        for name, callback in _route_names(get_resolver())
        if not name.startswith("admin:") and not hasattr(callback, "kretsen_access")
    ]
    assert undeclared == [], f"Views without an access declaration: {undeclared}"


@pytest.mark.parametrize("row", TABLE, ids=[row.route for row in TABLE])
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona_as_the_table_says(
    row: Row, persona: str, world: dict[str, Any]
) -> None:
    client = client_for(persona, world)
    url = reverse(row.route, kwargs=row.kwargs(world))
    response = client.post(url) if row.method == "POST" else client.get(url)
    expected = row.expected[PERSONAS.index(persona)]
    assert response.status_code == expected, (
        f"{row.method} {url} as {persona}: {response.status_code}, expected {expected}"
    )


@pytest.mark.parametrize("route", ["intake:my-contact", "intake:my-withdraw"])
def test_it_answers_404_for_someone_elses_registration(route: str, world: dict[str, Any]) -> None:
    other = Client()
    sign_in_relative(other, User.objects.create_relative("other@example.org"))
    response = other.post(reverse(route, kwargs={"registration": world["registration"].public_id}))
    assert response.status_code == 404


def test_it_answers_404_for_an_unknown_organisation(world: dict[str, Any]) -> None:
    client = client_for("admin", world)
    assert client.get("/staff/no-such-organisation/").status_code == 404
