from __future__ import annotations

import pytest
from django_scopes import ScopeError, scope

from kretsen.core.models import Organisation, StaffMembership, User


def test_it_fails_loudly_when_a_query_forgets_the_organisation(admin_a: User) -> None:
    with pytest.raises(ScopeError):
        list(StaffMembership.objects.all())


def test_it_limits_queries_to_the_organisation_in_scope(
    org_a: Organisation, org_b: Organisation, admin_a: User, coordinator_b: User
) -> None:
    with scope(organisation=org_a):
        assert [m.user for m in StaffMembership.objects.all()] == [admin_a]
    with scope(organisation=org_b):
        assert [m.user for m in StaffMembership.objects.all()] == [coordinator_b]


def test_it_keeps_staff_and_relatives_apart_even_with_one_address(db: None) -> None:
    staff = User.objects.create_staff_user("same@example.org", "a-password-1234")
    relative = User.objects.create_relative("same@example.org")
    assert staff.pk != relative.pk
    assert not relative.has_usable_password()
