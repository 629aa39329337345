from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, StaffMembership, User
from tests.conftest import sign_in_staff


def membership_of(user: User) -> StaffMembership:
    with scopes_disabled():
        return StaffMembership.objects.get(user=user)


def test_it_invites_staff_who_then_choose_a_password_and_set_up_the_app(
    admin_client: Client, org_a: Organisation, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/staff/org-a/people/invite/",
            {
                "email": "New.Leader@Example.org",
                "display_name": "Nils",
                "roles": ["leader"],
                "language": "en",
            },
        )
    assert response.headers["Location"] == "/staff/org-a/people/"
    invited = User.objects.staff().get(email="new.leader@example.org")
    membership = membership_of(invited)
    assert membership.is_leader
    assert not membership.is_admin
    assert AuditEvent.writer.filter(action="core.staff.invited", organisation=org_a).exists()
    assert len(mail.outbox) == 1
    assert "Åby kommun" in str(mail.outbox[0].subject)
    match = re.search(r"(/staff/account/invitation/[^/\s]+/)", str(mail.outbox[0].body))
    assert match
    link = match.group(1)

    newcomer = Client()
    weak = newcomer.post(link, {"display_name": "Nils", "password1": "short", "password2": "short"})
    assert weak.status_code == 200
    assert not User.objects.get(pk=invited.pk).has_usable_password()
    accepted = newcomer.post(
        link,
        {
            "display_name": "Nils",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )
    assert accepted.headers["Location"] == "/staff/account/two-factor/"
    newcomer.get("/staff/account/two-factor/")
    device = TOTPDevice.objects.get(user=invited)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    newcomer.post("/staff/account/two-factor/", {"token": code})
    assert newcomer.get("/staff/org-a/").status_code == 200
    # An invitation works once.
    assert Client().get(link).status_code == 410


def test_it_refuses_inviting_someone_twice(
    admin_client: Client, leader_a: User, django_capture_on_commit_callbacks
) -> None:
    admin_client.cookies["kretsen_language"] = "en"
    response = admin_client.post(
        "/staff/org-a/people/invite/",
        {"email": leader_a.email, "display_name": "L", "roles": ["leader"], "language": "sv"},
    )
    assert response.status_code == 200
    assert "already staff in your organisation" in response.content.decode()


def test_it_adds_a_person_who_is_staff_elsewhere_without_a_new_password(
    admin_client: Client, coordinator_b: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/staff/org-a/people/invite/",
            {
                "email": coordinator_b.email,
                "display_name": "K",
                "roles": ["coordinator"],
                "language": "nb",
            },
        )
    with scopes_disabled():
        assert StaffMembership.objects.filter(user=coordinator_b).count() == 2
    assert "/staff/account/invitation/" not in str(mail.outbox[0].body)


def test_it_deactivates_staff_and_ends_all_their_sessions(
    admin_client: Client, leader_a: User
) -> None:
    leader_session = sign_in_staff(Client(), leader_a)
    assert leader_session.get("/staff/org-a/").status_code == 200
    membership = membership_of(leader_a)
    response = admin_client.post(f"/staff/org-a/people/{membership.public_id}/deactivate/")
    assert response.status_code == 302
    assert leader_session.get("/staff/org-a/").status_code == 302
    leader_a.refresh_from_db()
    assert leader_a.is_active is False
    assert AuditEvent.writer.filter(action="core.staff.deactivated").exists()
    admin_client.post(f"/staff/org-a/people/{membership.public_id}/reactivate/")
    leader_a.refresh_from_db()
    assert leader_a.is_active is True
    assert membership_of(leader_a).is_active


def test_it_keeps_at_least_one_admin(admin_client: Client, admin_a: User) -> None:
    admin_client.cookies["kretsen_language"] = "en"
    membership = membership_of(admin_a)
    response = admin_client.post(
        f"/staff/org-a/people/{membership.public_id}/", {"roles": ["coordinator"]}
    )
    assert "at least one active admin" in response.content.decode()
    assert membership_of(admin_a).is_admin
    self_off = admin_client.post(
        f"/staff/org-a/people/{membership.public_id}/deactivate/", follow=True
    )
    assert "You cannot deactivate yourself" in self_off.content.decode()
    assert membership_of(admin_a).is_active


def test_it_changes_roles_and_logs_it(admin_client: Client, leader_a: User) -> None:
    membership = membership_of(leader_a)
    admin_client.post(
        f"/staff/org-a/people/{membership.public_id}/", {"roles": ["leader", "coordinator"]}
    )
    membership = membership_of(leader_a)
    assert membership.is_leader
    assert membership.is_coordinator
    event = AuditEvent.writer.get(action="core.staff.roles_changed")
    assert event.data == {"before": ["leader"], "after": ["coordinator", "leader"]}


def test_it_lists_only_the_organisations_own_staff(
    admin_client: Client, leader_a: User, coordinator_b: User
) -> None:
    page = admin_client.get("/staff/org-a/people/").content.decode()
    assert leader_a.email in page
    assert coordinator_b.email not in page
