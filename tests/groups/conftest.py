"""Fixtures of the groups tests: a running group of organisation A, led by two leaders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_scopes import scope

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.directory.models import Offer
from kretsen.groups.models import Group
from tests.conftest import make_staff
from tests.groups.factories import make_group


@pytest.fixture
def in_org_a(org_a: Organisation) -> Iterator[None]:
    with scope(organisation=org_a):
        yield


@pytest.fixture
def second_leader_a(org_a: Organisation) -> User:
    return make_staff("second-leader@a.example", org_a, {Role.LEADER})


@pytest.fixture
def group_a(
    org_a: Organisation, offer_a: Offer, leader_a: User, second_leader_a: User, in_org_a: None
) -> Group:
    return make_group(org_a, offer_a, [leader_a, second_leader_a])


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    """Pages are read in English here, so that assertions do not depend on translations."""
    settings.LANGUAGE_CODE = "en"
