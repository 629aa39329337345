"""Fixtures of the care tests: the relative is an active member of a running group of A."""

from __future__ import annotations

from typing import Any

import pytest

from kretsen.groups.models import Group, GroupMember
from kretsen.intake.models import Registration
from tests.care.year_of_work import year_of_work  # noqa: F401 (a fixture)
from tests.groups.conftest import group_a, in_org_a, second_leader_a  # noqa: F401
from tests.groups.factories import make_member


@pytest.fixture
def member(group_a: Group, registration_a: Registration) -> GroupMember:  # noqa: F811
    return make_member(group_a, registration_a)


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    """Pages are read in English here, so that assertions do not depend on translations."""
    settings.LANGUAGE_CODE = "en"
