"""What leaders see of questionnaires and feedback: exactly what the relatives' pages promise.

The WHO-5 page says the answers are seen by the coordinator only; the feedback form says the
leaders see answers without names and only from five answers. These tests read the leader's
pages in Swedish, the language the promises are read in.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kretsen.care.models import FollowUp, MeetingFeedback
from kretsen.care.services import followups, questionnaires
from kretsen.core.models import User
from kretsen.groups.models import GroupMember, Meeting
from tests.conftest import sign_in_relative, sign_in_staff
from tests.groups.factories import make_meeting, make_member, make_ready


def _low_score(client: Client, member: GroupMember, relative: User) -> FollowUp:
    asked = questionnaires.ask(member, "baseline")
    sign_in_relative(client, relative)
    answers = dict(
        zip(
            ("cheerful", "calm", "active", "rested", "interest"),
            ("1", "1", "1", "1", "1"),
            strict=True,
        )
    )
    client.post(f"/me/questionnaires/{asked.public_id}/", answers)
    client.logout()
    return FollowUp.objects.get(reason=FollowUp.Reason.LOW_WELLBEING)


def _swedish(client: Client) -> Client:
    client.cookies["kretsen_language"] = "sv"
    return client


def test_it_keeps_a_low_wellbeing_score_from_the_leaders(
    client: Client, member: GroupMember, relative: User, leader_a: User
) -> None:
    follow_up = _low_score(client, member, relative)
    sign_in_staff(_swedish(client), leader_a)
    pages = {
        "group": f"/staff/org-a/groups/{member.group.public_id}/",
        "follow-ups": "/staff/org-a/follow-ups/",
        "closed follow-ups": "/staff/org-a/follow-ups/?closed=1",
        "start": "/staff/org-a/",
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert str(follow_up.public_id) not in page, name
        assert "välbefinnande" not in page.lower(), name
    detail = client.get(f"/staff/org-a/follow-ups/{follow_up.public_id}/")
    assert detail.status_code == 404


def test_it_shows_the_low_score_to_the_coordinator(
    client: Client, member: GroupMember, relative: User, coordinator_a: User
) -> None:
    follow_up = _low_score(client, member, relative)
    sign_in_staff(_swedish(client), coordinator_a)
    listing = client.get("/staff/org-a/follow-ups/").content.decode()
    assert str(follow_up.public_id) in listing
    assert client.get(f"/staff/org-a/follow-ups/{follow_up.public_id}/").status_code == 200


def test_it_still_shows_a_leaders_own_flag_to_the_leader(
    client: Client, member: GroupMember, leader_a: User
) -> None:
    own = followups.flag(None, member, FollowUp.Reason.CONFLICT, "", by=leader_a)
    sign_in_staff(_swedish(client), leader_a)
    assert str(own.public_id) in client.get("/staff/org-a/follow-ups/").content.decode()


def _feedback(meeting: Meeting, member: GroupMember, words: str, show_name: bool = False) -> None:
    MeetingFeedback.objects.create(
        organisation=member.organisation,
        meeting=meeting,
        member=member,
        felt_safe="yes",
        enough_space="partly",
        takeaway=words,
        show_name=show_name,
    )


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_it_hides_anonymous_feedback_below_five_answers(
    client: Client, member: GroupMember, leader_a: User, language: str
) -> None:
    meeting = make_meeting(member.group, in_hours=-3)
    _feedback(meeting, member, "Att jag inte är ensam.")
    sign_in_staff(client, leader_a)
    client.cookies["kretsen_language"] = language
    page = client.get(f"/staff/org-a/groups/{member.group.public_id}/").content.decode()
    assert "Att jag inte är ensam." not in page
    # Neither the number of answers nor any count is shown for one anonymous answer.
    for count in ("1 svar", "1 answer", "1 svar"):
        assert count not in page
    assert ">1<" not in page.split("Att jag")[0][-200:]


def test_it_shows_a_named_answer_at_any_number(
    client: Client, member: GroupMember, leader_a: User
) -> None:
    meeting = make_meeting(member.group, in_hours=-3)
    _feedback(meeting, member, "Att jag får skratta.", show_name=True)
    sign_in_staff(_swedish(client), leader_a)
    page = client.get(f"/staff/org-a/groups/{member.group.public_id}/").content.decode()
    assert f"Att jag får skratta.</q> – {member.display_name}" in page


def test_it_shows_texts_and_counts_from_five_answers_without_names(
    client: Client, member: GroupMember, leader_a: User
) -> None:
    meeting = make_meeting(member.group, in_hours=-3)
    _feedback(meeting, member, "Anonymt ord.")
    others = [make_member(member.group, make_ready(member.organisation, f"P{n}")) for n in range(3)]
    for other in others:
        _feedback(meeting, other, f"Från {other.display_name}", show_name=True)
    sign_in_staff(_swedish(client), leader_a)
    url = f"/staff/org-a/groups/{member.group.public_id}/"
    assert "Anonymt ord." not in client.get(url).content.decode()
    fifth = make_member(member.group, make_ready(member.organisation, "Femte"))
    _feedback(meeting, fifth, "Ännu ett ord.")
    page = client.get(url).content.decode()
    assert "5 svar" in page
    assert "Anonymt ord.</q></li>" in page
    assert "Från P0</q> – P0" in page
    assert f"– {member.display_name}" not in page.split("Anonymt ord.")[1][:40]


def test_it_gives_the_coordinator_a_way_to_reach_the_person(
    client: Client, member: GroupMember, coordinator_a: User, leader_a: User
) -> None:
    registration = member.registration
    registration.phone = "+46701112233"
    registration.no_messages = True
    registration.save()
    follow_up = followups.flag(None, member, FollowUp.Reason.ASKED_FOR_TALK, "", by=leader_a)
    url = f"/staff/org-a/follow-ups/{follow_up.public_id}/"
    sign_in_staff(_swedish(client), coordinator_a)
    page = client.get(url).content.decode()
    assert 'href="tel:+46701112233"' in page
    assert 'class="discreet-banner"' in page
    assert f"/staff/org-a/registrations/{registration.public_id}/" in page
    client.logout()
    # The leader who flagged hands over to the coordinator; the contact details stay there.
    sign_in_staff(_swedish(client), leader_a)
    assert "+46701112233" not in client.get(url).content.decode()
