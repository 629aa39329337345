"""A relative's group pages after each choice show only what is still true.

Read in Swedish, as most relatives read them. The assertions look for links and forms, so
they hold in every language: a page for someone who left must not offer "I can't come".
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kretsen.core.models import AuditEvent, User
from kretsen.groups.models import AbsenceNotice, Group, GroupMember, Meeting, Notice
from kretsen.intake.models import Registration
from tests.conftest import sign_in_relative
from tests.groups.factories import make_meeting, make_member


@pytest.fixture
def member(group_a: Group, registration_a: Registration) -> GroupMember:
    return make_member(group_a, registration_a)


@pytest.fixture
def swedish(client: Client, relative: User) -> Client:
    sign_in_relative(client, relative)
    client.cookies["kretsen_language"] = "sv"
    return client


def _urls(member: GroupMember, meeting: Meeting) -> dict[str, str]:
    base = f"/me/groups/{member.public_id}/"
    return {
        "group": base,
        "absence": f"{base}meetings/{meeting.public_id}/absence/",
        "leave": f"{base}leave/",
        "pledge": f"{base}pledge/",
        "reminders": f"{base}reminders/",
    }


def _member_controls(page: str, urls: dict[str, str]) -> list[str]:
    return [name for name in ("absence", "leave", "reminders") if urls[name] in page]


def test_it_shows_an_active_member_every_control(swedish: Client, member: GroupMember) -> None:
    urls = _urls(member, make_meeting(member.group, in_hours=30))
    page = swedish.get(urls["group"]).content.decode()
    assert _member_controls(page, urls) == ["absence", "leave", "reminders"]
    assert 'id="past-title"' not in page


def test_after_leaving_the_pages_say_so_and_offer_nothing_of_a_member(
    swedish: Client, member: GroupMember
) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    urls = _urls(member, meeting)
    swedish.post(urls["leave"], {"reason": "", "confirm": "on"})
    page = swedish.get(urls["group"]).content.decode()
    assert 'id="past-title"' in page
    assert _member_controls(page, urls) == []
    assert meeting.starts_at.strftime("%H:%M") not in page
    # An old tab or the Back button: the member pages lead back to how things stand.
    for name in ("absence", "leave", "pledge"):
        response = swedish.get(urls[name])
        assert (response.status_code, response["Location"]) == (302, urls["group"]), name
    sent = swedish.post(urls["absence"], {"message": "Kan inte."})
    assert sent["Location"] == urls["group"]
    assert not AbsenceNotice.objects.exists()
    assert urls["group"] not in swedish.get("/me/").content.decode()
    # "What we store" agrees: no reminders for a group one has left.
    data = swedish.get("/me/data/").content.decode()
    assert "<dt>Påminnelser</dt><dd>Av</dd>" in data


def test_after_withdrawing_every_place_ends(
    swedish: Client, member: GroupMember, registration_a: Registration
) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    urls = _urls(member, meeting)
    swedish.post(f"/me/registrations/{registration_a.public_id}/withdraw/")
    member.refresh_from_db()
    assert member.status == GroupMember.Status.LEFT
    page = swedish.get(urls["group"]).content.decode()
    assert _member_controls(page, urls) == []
    assert urls["group"] not in swedish.get("/me/").content.decode()


def test_an_invitation_withdrawn_from_is_declined(
    swedish: Client, group_a: Group, registration_a: Registration
) -> None:
    invited = make_member(group_a, registration_a, GroupMember.Status.INVITED)
    swedish.post(f"/me/registrations/{registration_a.public_id}/withdraw/")
    invited.refresh_from_db()
    assert invited.status == GroupMember.Status.DECLINED
    page = swedish.get(f"/me/groups/{invited.public_id}/").content.decode()
    assert f"/me/groups/{invited.public_id}/answer/" not in page


def test_i_cant_come_can_be_taken_back_until_the_meeting_starts(
    swedish: Client, member: GroupMember
) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    urls = _urls(member, meeting)
    swedish.post(urls["absence"], {"message": "Jobbar sent."})
    page = swedish.get(urls["group"]).content.decode()
    assert 'value="withdraw"' in page
    assert f'href="{urls["absence"]}"' not in page
    # Opening "I can't come" again does not ask a second time.
    assert swedish.get(urls["absence"])["Location"] == urls["group"]
    swedish.post(urls["absence"], {"action": "withdraw"})
    assert not AbsenceNotice.objects.exists()
    page = swedish.get(urls["group"]).content.decode()
    assert 'value="withdraw"' not in page
    assert f'href="{urls["absence"]}"' in page
    # A second press changes nothing; the leaders heard once that the message was taken back.
    swedish.post(urls["absence"], {"action": "withdraw"})
    withdrawn = AuditEvent.objects.filter(action="groups.absence.withdrawn")
    assert withdrawn.count() == 1
    assert Notice.objects.filter(key__contains="absence-withdrawn").count() == 2


def test_a_started_meeting_keeps_its_absence(swedish: Client, member: GroupMember) -> None:
    meeting = make_meeting(member.group, in_hours=30)
    urls = _urls(member, meeting)
    swedish.post(urls["absence"], {"message": ""})
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    page = swedish.get(urls["group"]).content.decode()
    assert 'value="withdraw"' not in page
    swedish.post(urls["absence"], {"action": "withdraw"})
    assert AbsenceNotice.objects.count() == 1


def test_the_invitation_says_enough_to_decide(
    swedish: Client, group_a: Group, registration_a: Registration
) -> None:
    invited = make_member(group_a, registration_a, GroupMember.Status.INVITED)
    meetings = [make_meeting(group_a, in_hours=hours) for hours in (50, 218, 386)]
    page = swedish.get(f"/me/groups/{invited.public_id}/").content.decode()
    assert group_a.offer.title("sv") in page
    assert group_a.place in page
    leaders = [lead.user.first_name_only for lead in group_a.leaderships.all()]
    assert leaders
    assert all(name in page for name in leaders)
    assert "3 träffar" in page
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at, group_a.organisation.zone)
        assert local.strftime("%H:%M") in page
    assert f"/me/groups/{invited.public_id}/pledge/" in page
    assert 'value="decline"' in page
