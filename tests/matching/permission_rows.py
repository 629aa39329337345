"""Permission-table rows for the matching app (collected by ``tests/test_permissions.py``)."""

from __future__ import annotations

from typing import Any

from tests.permission_table import Row

ROWS: list[Row] = []

# (route, method, URL keyword for the object, key in the world) under /staff/<org>/...
OBJECT_ROUTES: list[tuple[str, str, str, str]] = []


def extend_world(world: dict[str, Any]) -> None:
    """Add this app's objects to the shared world (runs with scopes disabled)."""
