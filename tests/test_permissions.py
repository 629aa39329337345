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
    PERSONAS,
    Row,
)
from tests.world import TABLE, client_for

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
