"""Places in a group: invitations, answers, the pledge, absences and leaving."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from kretsen.core.errors import DomainError
from kretsen.core.models import AuditEvent, User
from kretsen.groups.models import (
    AbsenceNotice,
    Group,
    GroupMember,
    GroupText,
    Notice,
    PledgeSignature,
)
from kretsen.groups.services import members
from kretsen.intake.models import Registration, Status
from tests.conftest import sign_in_relative, sign_in_staff
from tests.groups.factories import make_meeting, make_member, make_ready, request_for


def test_it_invites_from_the_waiting_list_within_the_size(
    group_a: Group, coordinator_a: User
) -> None:
    group_a.max_size = 2
    group_a.save()
    people = [
        make_ready(group_a.organisation, name, email=f"{name}@example.org", contact_by_email=True)
        for name in ("Ada", "Bo", "Cai")
    ]
    assert list(members.candidates(group_a)) == people
    with pytest.raises(DomainError, match="room for 2 more"):
        members.invite(request_for(coordinator_a, group_a.organisation), group_a, people)
    assert GroupMember.objects.count() == 0
    invited = members.invite(request_for(coordinator_a, group_a.organisation), group_a, people[:2])
    assert [m.status for m in invited] == ["invited", "invited"]
    assert Notice.objects.filter(kind="invitation").count() == 2
    assert list(members.candidates(group_a)) == [people[2]]
    with pytest.raises(DomainError, match="room for 0 more"):
        members.invite(request_for(coordinator_a, group_a.organisation), group_a, people[2:])


def test_a_person_cannot_be_in_the_same_group_twice(group_a: Group, coordinator_a: User) -> None:
    person = make_ready(group_a.organisation)
    request = request_for(coordinator_a, group_a.organisation)
    members.invite(request, group_a, [person])
    with pytest.raises(DomainError, match="already in this group"):
        members.invite(request, group_a, [person])
    assert GroupMember.objects.count() == 1


def test_accepting_takes_the_person_off_the_waiting_list(
    client: Client, group_a: Group, relative: User, coordinator_a: User
) -> None:
    registration = make_ready(
        group_a.organisation, user=relative, email=relative.email, contact_by_email=True
    )
    (member,) = members.invite(
        request_for(coordinator_a, group_a.organisation), group_a, [registration]
    )
    sign_in_relative(client, relative)
    assert "offers you a place" in client.get("/me/").content.decode()
    response = client.post(f"/me/groups/{member.public_id}/answer/", {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == f"/me/groups/{member.public_id}/pledge/"
    member.refresh_from_db()
    registration.refresh_from_db()
    assert member.status == "active"
    assert member.joined_on == timezone.localdate()
    assert registration.status == Status.IN_GROUP
    # A double press changes nothing; a different answer afterwards is refused.
    client.post(f"/me/groups/{member.public_id}/answer/", {"answer": "accept"})
    client.post(f"/me/groups/{member.public_id}/answer/", {"answer": "decline"})
    member.refresh_from_db()
    assert member.status == "active"


def test_declining_keeps_the_place_on_the_waiting_list(
    client: Client, group_a: Group, relative: User, coordinator_a: User
) -> None:
    registration = make_ready(group_a.organisation, user=relative, email=relative.email)
    (member,) = members.invite(
        request_for(coordinator_a, group_a.organisation), group_a, [registration]
    )
    sign_in_relative(client, relative)
    client.post(f"/me/groups/{member.public_id}/answer/", {"answer": "decline"})
    member.refresh_from_db()
    registration.refresh_from_db()
    assert member.status == "declined"
    assert registration.status == Status.WAITING_LIST


@pytest.fixture
def member(group_a: Group, registration_a: Registration) -> GroupMember:
    return make_member(group_a, registration_a)


def test_signing_the_pledge_keeps_the_version_and_text(
    client: Client, member: GroupMember, relative: User, coordinator_a: User
) -> None:
    sign_in_relative(client, relative)
    url = f"/me/groups/{member.public_id}/pledge/"
    page = client.get(url).content.decode()
    assert "Sign the pledge" in page
    refused = client.post(url, {"signed_name": "Ada"})
    assert refused.status_code == 200
    assert PledgeSignature.objects.count() == 0
    client.post(url, {"signed_name": "<b>Ada</b>", "agree": "on"})
    client.post(url, {"signed_name": "Ada", "agree": "on"})  # a double press
    signature = PledgeSignature.objects.get()
    assert (signature.version, signature.method, signature.signed_name) == (0, "online", "Ada")
    assert len(signature.text) > 100
    # A new version of the pledge asks for a new signature.
    GroupText.objects.create(
        organisation=member.organisation, kind="pledge", version=1, text_sv="Nytt löfte."
    )
    assert not members.has_signed(member, 1)
    assert member.pk not in members.signed_member_ids(member.group)


def test_a_leader_records_a_pledge_signed_on_paper(
    client: Client, member: GroupMember, leader_a: User
) -> None:
    sign_in_staff(client, leader_a)
    url = f"/staff/org-a/groups/{member.group.public_id}/members/{member.public_id}/paper-pledge/"
    client.post(url)
    client.post(url)
    signature = PledgeSignature.objects.get()
    assert (signature.method, signature.recorded_by) == ("paper", leader_a)
    assert AuditEvent.objects.filter(action="groups.pledge.recorded_on_paper").count() == 1


def test_an_absence_notice_reaches_the_leaders_and_a_double_press_is_harmless(
    client: Client, member: GroupMember, relative: User
) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    sign_in_relative(client, relative)
    url = f"/me/groups/{member.public_id}/meetings/{meeting.public_id}/absence/"
    long = "x" * 1001
    assert client.post(url, {"message": long}).status_code == 200
    assert AbsenceNotice.objects.count() == 0
    client.post(url, {"message": "Jobbar sent."})
    client.post(url, {"message": "Jobbar sent."})
    notice = AbsenceNotice.objects.get()
    assert notice.message == "Jobbar sent."
    leaders = {n.staff for n in Notice.objects.filter(kind="to_leaders")}
    assert leaders == {lead.user for lead in member.group.leaderships.all()}
    # The message itself never goes into the mail.
    assert "Jobbar" not in str(list(Notice.objects.values()))


def test_a_past_meeting_takes_no_absence_notice(
    client: Client, member: GroupMember, relative: User
) -> None:
    meeting = make_meeting(member.group, in_hours=-2)
    sign_in_relative(client, relative)
    url = f"/me/groups/{member.public_id}/meetings/{meeting.public_id}/absence/"
    response = client.post(url, {"message": ""})
    assert response.status_code == 200
    assert AbsenceNotice.objects.count() == 0


def test_leaving_tells_the_leaders_and_keeps_the_reason_encrypted(
    client: Client, member: GroupMember, relative: User
) -> None:
    sign_in_relative(client, relative)
    url = f"/me/groups/{member.public_id}/leave/"
    client.post(url, {"reason": "För tungt just nu."})
    member.refresh_from_db()
    assert member.status == "active"  # the confirmation box was not ticked
    client.post(url, {"reason": "För tungt just nu.", "confirm": "on"})
    member.refresh_from_db()
    assert (member.status, member.leave_reason) == ("left", "För tungt just nu.")
    assert Notice.objects.filter(kind="to_leaders").count() == 2
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT leave_reason FROM groups_groupmember")
        (stored,) = cursor.fetchone()
    assert "tungt" not in stored


def test_turning_reminders_off(client: Client, member: GroupMember, relative: User) -> None:
    sign_in_relative(client, relative)
    client.post(f"/me/groups/{member.public_id}/reminders/", {"reminders": "off"})
    member.refresh_from_db()
    assert member.reminders is False


def test_someone_elses_membership_answers_404(client: Client, member: GroupMember) -> None:
    sign_in_relative(client, User.objects.create_relative("other@example.org"))
    for path in ("", "pledge/", "leave/"):
        assert client.get(f"/me/groups/{member.public_id}/{path}").status_code == 404
    assert (
        client.post(f"/me/groups/{member.public_id}/answer/", {"answer": "accept"}).status_code
        == 404
    )


def test_the_members_page_shows_no_leader_only_data(
    client: Client, member: GroupMember, relative: User
) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    meeting.note = "Ledaranteckning: Ada verkade trött."
    meeting.save()
    sign_in_relative(client, relative)
    page = client.get(f"/me/groups/{member.public_id}/").content.decode()
    assert "Ledaranteckning" not in page
    assert member.group.place in page


def test_the_data_page_shows_what_the_group_stores(
    client: Client, member: GroupMember, relative: User
) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    members.notify_absence(request_for(relative), member, meeting, "Tandläkaren.")
    sign_in_relative(client, relative)
    page = client.get("/me/data/").content.decode()
    assert member.group.name in page
    assert "Tandläkaren." in page
