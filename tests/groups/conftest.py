"""Fixtures of the groups tests: a running group of organisation A, led by two leaders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_scopes import scope

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.directory.models import Offer
from kretsen.groups.models import Group, Meeting
from tests.conftest import make_staff
from tests.groups.factories import make_group, make_meeting, make_member, make_ready


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


@pytest.fixture
def lova_meets_soon(org_a: Organisation, offer_a: Offer, leader_a: User) -> Meeting:
    """Lova (Norwegian, by e-mail) in a group of organisation A that meets in three hours;
    made outside any scope, for the tests that run the real worker."""
    with scope(organisation=org_a):
        group = make_group(org_a, offer_a, [leader_a])
        registration = make_ready(
            org_a, "Lova", email="lova@example.org", contact_by_email=True, ui_language="nb"
        )
        make_member(group, registration)
        return make_meeting(group, in_hours=3)


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    """Pages are read in English here, so that assertions do not depend on translations."""
    settings.LANGUAGE_CODE = "en"
