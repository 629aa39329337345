"""The back office: creating groups, who sees which group, run-sheets, attendance, texts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.roles import Role
from kretsen.directory.models import Offer
from kretsen.groups import runsheet
from kretsen.groups.models import Attendance, Group, GroupMember, GroupSettings, GroupText
from kretsen.intake.models import Registration
from tests.conftest import make_staff, sign_in_staff
from tests.groups.factories import make_group, make_meeting, make_member, make_ready


def test_a_coordinator_creates_a_group_with_two_leaders(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    leader_a: User,
    second_leader_a: User,
    in_org_a: None,
) -> None:
    sign_in_staff(client, coordinator_a)
    form = client.get(f"/staff/org-a/groups/new/?offer={offer_a.public_id}").content.decode()
    assert offer_a.address in form  # the place comes from the offer
    response = client.post(
        "/staff/org-a/groups/new/",
        {
            "offer": offer_a.pk,
            "name": "Tisdagsgruppen",
            "form": "closed",
            "format": "in_person",
            "place": "Storgatan 1",
            "min_size": 4,
            "max_size": 8,
            "leader_1": str(leader_a.public_id),
            "leader_2": str(second_leader_a.public_id),
        },
    )
    group = Group.objects.get()
    assert response["Location"] == f"/staff/org-a/groups/{group.public_id}/series/"
    assert [lead.user for lead in group.leaderships.all()] == [leader_a, second_leader_a]
    assert AuditEvent.objects.filter(action="groups.group.created").count() == 1


def test_bad_group_input_gets_clear_messages(
    client: Client, offer_a: Offer, coordinator_a: User, leader_a: User, in_org_a: None
) -> None:
    sign_in_staff(client, coordinator_a)
    response = client.post(
        "/staff/org-a/groups/new/",
        {
            "offer": offer_a.pk,
            "name": "<script>x</script>",
            "form": "closed",
            "format": "in_person",
            "place": "",
            "min_size": 9,
            "max_size": 4,
            "leader_1": str(leader_a.public_id),
            "leader_2": str(leader_a.public_id),
        },
    )
    assert response.status_code == 200
    assert Group.objects.count() == 0
    assert (
        "Give the group a name" in response.content.decode() or "namn" in response.content.decode()
    )


def test_a_leader_sees_only_their_own_groups(
    client: Client, group_a: Group, org_a: Organisation, offer_a: Offer
) -> None:
    other_leader = make_staff("other-leader@a.example", org_a, {Role.LEADER})
    theirs = make_group(org_a, offer_a, [other_leader], name="Onsdagsgruppen")
    meeting = make_meeting(theirs)
    leader = group_a.leaderships.first()
    assert leader is not None
    sign_in_staff(client, leader.user)
    listing = client.get("/staff/org-a/groups/").content.decode()
    assert group_a.name in listing
    assert theirs.name not in listing
    base = f"/staff/org-a/groups/{theirs.public_id}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}meetings/{meeting.public_id}/run-sheet/").status_code == 404
    assert client.get(f"{base}meetings/{meeting.public_id}/attendance/").status_code == 404
    assert client.post(f"{base}meetings/{meeting.public_id}/cancel/").status_code == 404


def test_another_organisations_group_answers_404(
    client: Client,
    group_a: Group,
    coordinator_b: User,
    org_b: Organisation,
    registration_a: Registration,
) -> None:
    meeting = make_meeting(group_a)
    member = make_member(group_a, registration_a)
    sign_in_staff(client, coordinator_b)
    base = f"/staff/{org_b.slug}/groups/{group_a.public_id}/"
    for url in (
        base,
        f"{base}edit/",
        f"{base}series/",
        f"{base}members/add/",
        f"{base}meetings/{meeting.public_id}/",
        f"{base}meetings/{meeting.public_id}/run-sheet/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"{base}state/",
        f"{base}members/{member.public_id}/leave/",
        f"{base}meetings/{meeting.public_id}/cancel/",
    ):
        assert client.post(url, {"state": "ended"}).status_code == 404, url
    group_a.refresh_from_db()
    member.refresh_from_db()
    meeting.refresh_from_db()
    assert (group_a.state, member.status, meeting.state) == ("running", "active", "scheduled")


def test_the_run_sheet_adds_up_to_the_meeting(
    client: Client, group_a: Group, leader_a: User
) -> None:
    meeting = make_meeting(group_a, minutes=105)
    sign_in_staff(client, leader_a)
    url = f"/staff/org-a/groups/{group_a.public_id}/meetings/{meeting.public_id}/run-sheet/"
    page = client.get(url)
    assert page.status_code == 200
    steps = page.context["steps"]
    assert sum(step.minutes for step in steps) == 105
    keys = [s.key for s in steps]
    assert (keys[0], keys[-1]) == ("arrival", "practicalities")
    client.post(url, {"topic": "default:setting_boundaries", "note": "Fortsätt nästa gång."})
    meeting.refresh_from_db()
    assert meeting.topic_key == "default:setting_boundaries"
    assert meeting.topic_title
    assert meeting.note == "Fortsätt nästa gång."


@pytest.mark.parametrize(("total", "pause"), [(45, 0), (60, 10), (90, 10), (120, 15), (17, 5)])
def test_suggested_minutes_always_add_up(total: int, pause: int) -> None:
    minutes = runsheet.suggested_minutes(total, pause)
    assert sum(minutes.values()) == total
    assert ("break" in minutes) == bool(pause)


def test_attendance_with_a_drop_in_visitor(client: Client, group_a: Group, leader_a: User) -> None:
    group_a.form = Group.Form.OPEN
    group_a.save()
    people = [make_member(group_a, make_ready(group_a.organisation, n)) for n in ("Ada", "Bo")]
    meeting = make_meeting(group_a, in_hours=-0.2)
    sign_in_staff(client, leader_a)
    url = f"/staff/org-a/groups/{group_a.public_id}/meetings/{meeting.public_id}/attendance/"
    data = {
        f"m_{people[0].public_id}": "present",
        f"m_{people[1].public_id}": "absent",
        "drop_in": "Kim\n\nbesökare",
    }
    client.post(url, data)
    client.post(url, data)  # saving twice keeps one row per person
    rows = {(a.member_id, a.status, a.visitor_name) for a in Attendance.objects.all()}
    assert rows == {
        (people[0].pk, "present", ""),
        (people[1].pk, "absent", ""),
        (None, "drop_in", "Kim"),
        (None, "drop_in", "besökare"),
    }


def test_attendance_waits_for_the_meeting(client: Client, group_a: Group, leader_a: User) -> None:
    person = make_member(group_a, make_ready(group_a.organisation))
    meeting = make_meeting(group_a, in_hours=30)
    sign_in_staff(client, leader_a)
    url = f"/staff/org-a/groups/{group_a.public_id}/meetings/{meeting.public_id}/attendance/"
    response = client.post(url, {f"m_{person.public_id}": "present"})
    assert response.status_code == 200
    assert Attendance.objects.count() == 0


def test_the_handover_needs_an_active_member_as_contact(
    client: Client, group_a: Group, coordinator_a: User, registration_a: Registration
) -> None:
    member = make_member(group_a, registration_a)
    sign_in_staff(client, coordinator_a)
    refused = client.post(f"/staff/org-a/groups/{group_a.public_id}/state/", {"state": "self_run"})
    assert refused.status_code == 302
    group_a.refresh_from_db()
    assert group_a.state == "running"
    client.post(
        f"/staff/org-a/groups/{group_a.public_id}/handover/", {"contact": str(member.public_id)}
    )
    group_a.refresh_from_db()
    assert (group_a.state, group_a.contact_member) == ("self_run", member)


def test_texts_are_versioned(client: Client, coordinator_a: User, in_org_a: None) -> None:
    sign_in_staff(client, coordinator_a)
    page = client.get("/staff/org-a/groups/texts/pledge/")
    assert page.status_code == 200
    assert client.post("/staff/org-a/groups/texts/pledge/", {}).status_code == 200
    for text in ("Första versionen.", "Andra versionen."):
        client.post("/staff/org-a/groups/texts/pledge/", {"text_sv": text})
    versions = list(GroupText.objects.values_list("version", "text_sv"))
    assert versions == [(2, "Andra versionen."), (1, "Första versionen.")]
    assert client.get("/staff/org-a/groups/texts/nonsense/").status_code == 404


def test_the_jitsi_secret_is_kept_when_left_empty(
    client: Client, admin_a: User, in_org_a: None
) -> None:
    sign_in_staff(client, admin_a)
    data = {
        "reminder_hours": 24,
        "video_link_minutes": 30,
        "video_provider": "jitsi",
        "jitsi_url": "https://meet.example.org",
        "jitsi_room_prefix": "kommun",
        "jitsi_app_id": "app",
        "jitsi_app_secret": "s" * 40,
    }
    client.post("/staff/org-a/groups/settings/", data)
    client.post("/staff/org-a/groups/settings/", {**data, "jitsi_app_secret": ""})
    saved = GroupSettings.objects.get()
    assert saved.jitsi_app_secret == "s" * 40
    assert "s" * 40 not in client.get("/staff/org-a/groups/settings/").content.decode()
    refused = client.post(
        "/staff/org-a/groups/settings/", {**data, "jitsi_url": "http://meet.example.org"}
    )
    assert refused.status_code == 200


def test_members_added_later_get_the_remaining_meetings(
    client: Client, group_a: Group, relative: User
) -> None:
    past = make_meeting(group_a, in_hours=-100)
    coming = make_meeting(group_a, in_hours=100)
    registration = make_ready(group_a.organisation, user=relative, email=relative.email)
    member = make_member(group_a, registration)
    from tests.conftest import sign_in_relative

    sign_in_relative(client, relative)
    page = client.get(f"/me/groups/{member.public_id}/")
    shown = [m.pk for m, _absent, _video in page.context["meetings"]]
    assert shown == [coming.pk]
    assert past.pk not in shown
    assert member.status == GroupMember.Status.ACTIVE
    assert timezone.now() - timedelta(days=1) < coming.starts_at
