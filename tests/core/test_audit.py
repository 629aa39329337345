from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django_scopes import scope, scopes_disabled

from kretsen.core import audit
from kretsen.core.models import AuditEvent, Organisation, StaffMembership, User
from tests.conftest import sign_in_staff


def test_it_writes_who_what_which_where_and_when(
    rf: RequestFactory, org_a: Organisation, admin_a: User
) -> None:
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = admin_a
    with scopes_disabled():
        membership = StaffMembership.objects.get(user=admin_a)
    event = audit.log(request, "core.staff.invited", membership, data={"roles": ["leader"]})
    stored = AuditEvent.writer.get(pk=event.pk)
    assert stored.actor == admin_a
    assert stored.actor_label == admin_a.email
    assert stored.organisation == org_a
    assert stored.action == "core.staff.invited"
    assert stored.object_type == "core.staffmembership"
    assert stored.object_id == str(membership.public_id)
    assert stored.ip_address == "192.0.2.7"
    assert stored.data == {"roles": ["leader"]}
    assert stored.at.tzinfo is not None


def test_it_refuses_an_action_code_that_is_not_dotted(rf: RequestFactory, db: None) -> None:
    request = rf.get("/")
    request.user = User.objects.create_relative("x@example.org")
    with pytest.raises(Exception, match="action"):
        audit.log(request, "Not A Code")


def test_it_cannot_be_changed_or_deleted_through_the_code(
    rf: RequestFactory, admin_a: User
) -> None:
    request = rf.get("/")
    request.user = admin_a
    event = audit.log(request, "core.test.happened")
    event.action = "core.test.rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.writer.filter(pk=event.pk).update(action="core.test.rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.writer.all().delete()
    assert AuditEvent.writer.get(pk=event.pk).action == "core.test.happened"


def test_it_cannot_be_changed_in_the_database_either(rf: RequestFactory, admin_a: User) -> None:
    request = rf.get("/")
    request.user = admin_a
    event = audit.log(request, "core.test.happened")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET action = %s WHERE id = %s", ["core.x.y", event.pk]
        )
    assert AuditEvent.writer.get(pk=event.pk).action == "core.test.happened"


def test_it_offers_no_change_or_delete_in_the_admin(rf: RequestFactory, db: None) -> None:
    model_admin = site._registry[AuditEvent]
    request = rf.get("/admin/")
    request.user = User.objects.create_superuser("op", "op@example.org", "pw-op-12345678")
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False


def test_it_keeps_each_organisations_events_to_itself(
    rf: RequestFactory, org_a: Organisation, org_b: Organisation, admin_a: User
) -> None:
    request = rf.get("/")
    request.user = admin_a
    audit.log(request, "core.test.in_a", organisation=org_a)
    audit.log(request, "core.test.in_b", organisation=org_b)
    with scope(organisation=org_a):
        assert list(AuditEvent.objects.values_list("action", flat=True)) == ["core.test.in_a"]


def test_it_lets_an_admin_list_and_filter_the_trail(
    client: Client, rf: RequestFactory, org_a: Organisation, org_b: Organisation, admin_a: User
) -> None:
    request = rf.get("/")
    request.user = admin_a
    audit.log(request, "core.staff.invited", organisation=org_a)
    audit.log(request, "core.staff.deactivated", organisation=org_a)
    audit.log(request, "core.staff.secret_of_b", organisation=org_b)
    sign_in_staff(client, admin_a)
    client.cookies["kretsen_language"] = "en"

    def rows(url: str, query: dict[str, str] | None = None) -> str:
        return client.get(url, query or {}).content.decode().split("<tbody>")[1]

    page = rows("/staff/org-a/audit/")
    assert "Staff member invited" in page
    assert "Staff member deactivated" in page
    assert "core.staff.secret_of_b" not in page
    filtered = rows("/staff/org-a/audit/", {"action": "core.staff.invited"})
    assert "Staff member invited" in filtered
    assert "Staff member deactivated" not in filtered
    by_person = rows("/staff/org-a/audit/", {"actor": "nobody"})
    assert "Staff member invited" not in by_person
