"""Questionnaires on the phone, follow-ups from leaders and from low scores, feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kretsen.care.models import FollowUp, MeetingFeedback, QuestionnaireRequest
from kretsen.care.services import followups, questionnaires
from kretsen.core.models import AuditEvent, User
from kretsen.groups.models import Attendance, Group, GroupMember
from kretsen.groups.services import groups as group_service
from kretsen.groups.services import members as member_service
from tests.conftest import sign_in_relative, sign_in_staff
from tests.groups.factories import make_meeting, make_member, make_ready, request_for

ITEMS = ["cheerful", "calm", "active", "rested", "interest"]


def _answers(values: list[int]) -> dict[str, str]:
    return {key: str(value) for key, value in zip(ITEMS, values, strict=True)}


def test_joining_asks_for_a_baseline_and_the_end_asks_twice(
    group_a: Group, coordinator_a: User, relative: User
) -> None:
    registration = make_ready(group_a.organisation, user=relative, email=relative.email)
    (member,) = member_service.invite(
        request_for(coordinator_a, group_a.organisation), group_a, [registration]
    )
    member_service.answer(request_for(relative), member, accept=True)
    assert list(QuestionnaireRequest.objects.values_list("timepoint", flat=True)) == ["baseline"]
    group_service.change_state(
        request_for(coordinator_a, group_a.organisation), group_a, Group.State.ENDED
    )
    requests = {r.timepoint: r for r in QuestionnaireRequest.objects.all()}
    assert set(requests) == {"baseline", "end", "follow_up"}
    assert requests["follow_up"].open_from > timezone.now() + timedelta(days=85)


def test_a_low_score_shows_care_and_creates_a_follow_up(
    client: Client, member: GroupMember, relative: User
) -> None:
    asked = questionnaires.ask(member, "baseline")
    sign_in_relative(client, relative)
    url = f"/me/questionnaires/{asked.public_id}/"
    assert client.get("/me/").content.decode().count(url) == 1
    incomplete = client.post(url, {"cheerful": "1"})
    assert incomplete.status_code == 200
    assert FollowUp.objects.count() == 0
    answered = client.post(url, _answers([2, 2, 1, 1, 1]))
    # Post, redirect, get: Back and reload never send the answers again.
    assert (answered.status_code, answered["Location"]) == (302, url)
    # From <main> on: the head holds random nonces in which "112" may stand by chance.
    page = client.get(url).content.decode().split("<main", 1)[1]
    asked.refresh_from_db()
    assert (asked.state, asked.raw_score, asked.percentage) == ("answered", 7, 28)
    # The organisation's own contact first, then the national numbers of a Swedish one.
    assert "112" in page
    assert page.index("tel:+46701234567") < page.index("112")
    for word in ("depression", "depressed", "diagnos"):
        assert word not in page.lower()
    follow_up = FollowUp.objects.get()
    assert (follow_up.reason, follow_up.flagged_by) == ("low_wellbeing", None)
    # One answer per person and timepoint: a second try changes nothing.
    again = client.post(url, _answers([5, 5, 5, 5, 5]))
    assert again.status_code == 200
    assert "tel:+46701234567" in again.content.decode()
    asked.refresh_from_db()
    assert asked.percentage == 28
    assert FollowUp.objects.count() == 1


def test_a_good_score_creates_no_follow_up(
    client: Client, member: GroupMember, relative: User
) -> None:
    asked = questionnaires.ask(member, "baseline")
    sign_in_relative(client, relative)
    client.post(f"/me/questionnaires/{asked.public_id}/", _answers([2, 2, 2, 1, 1]))
    asked.refresh_from_db()
    assert asked.percentage == 32
    assert FollowUp.objects.count() == 0


def test_the_questionnaire_can_be_skipped(
    client: Client, member: GroupMember, relative: User
) -> None:
    asked = questionnaires.ask(member, "baseline")
    sign_in_relative(client, relative)
    client.post(f"/me/questionnaires/{asked.public_id}/", {"action": "skip"})
    asked.refresh_from_db()
    assert asked.state == "skipped"
    assert f"/me/questionnaires/{asked.public_id}/" not in client.get("/me/").content.decode()


def test_someone_elses_questionnaire_answers_404(client: Client, member: GroupMember) -> None:
    asked = questionnaires.ask(member, "baseline")
    sign_in_relative(client, User.objects.create_relative("other@example.org"))
    assert client.get(f"/me/questionnaires/{asked.public_id}/").status_code == 404


def test_a_leader_flags_and_the_coordinator_closes(
    client: Client, member: GroupMember, leader_a: User, coordinator_a: User
) -> None:
    leader = sign_in_staff(Client(), leader_a)
    url = f"/staff/org-a/groups/{member.group.public_id}/members/{member.public_id}/follow-up/"
    assert leader.post(url, {"note": "x"}).status_code == 200  # no reason chosen
    leader.post(url, {"reason": "burdened", "note": "Grät mycket i slutet."})
    leader.post(url, {"reason": "burdened", "note": "Grät mycket i slutet."})  # a double press
    follow_up = FollowUp.objects.get()
    assert (follow_up.flagged_by, follow_up.due_on) == (
        leader_a,
        timezone.localdate() + timedelta(days=7),
    )
    # The leader may read it but not close it.
    detail = f"/staff/org-a/follow-ups/{follow_up.public_id}/"
    assert leader.get(detail).status_code == 200
    assert leader.post(detail, {"outcome": "talk_held"}).status_code == 404
    sign_in_staff(client, coordinator_a)
    assert "1 open follow-up" in client.get("/staff/org-a/").content.decode()
    client.post(detail, {"outcome": "talk_held", "note": "Vi pratade en timme."})
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.closed_by) == ("talk_held", coordinator_a)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"care.follow_up.flagged", "care.follow_up.closed", "care.follow_up.viewed"} <= actions


def test_overdue_follow_ups_stand_out_on_the_start_page(
    client: Client, member: GroupMember, coordinator_a: User
) -> None:
    follow_up = followups.flag(None, member, "asked_for_talk", "")
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    sign_in_staff(client, coordinator_a)
    page = client.get("/staff/org-a/").content.decode()
    assert "overdue" in page
    assert member.display_name in page


def test_a_leader_sees_only_their_groups_follow_ups(
    client: Client, member: GroupMember, org_a: object, offer_a: object
) -> None:
    from kretsen.core.roles import Role
    from tests.conftest import make_staff
    from tests.groups.factories import make_group

    other_leader = make_staff("other-leader@a.example", org_a, {Role.LEADER})  # type: ignore[arg-type]
    other_group = make_group(org_a, offer_a, [other_leader], name="Andra")  # type: ignore[arg-type]
    other_member = make_member(other_group, make_ready(other_group.organisation, "Kim"))
    theirs = followups.flag(None, other_member, "conflict", "")
    mine = followups.flag(None, member, "conflict", "")
    leader = member.group.leaderships.first()
    assert leader is not None
    sign_in_staff(client, leader.user)
    listing = client.get("/staff/org-a/follow-ups/").content.decode()
    assert str(mine.public_id) in listing
    assert str(theirs.public_id) not in listing
    assert client.get(f"/staff/org-a/follow-ups/{theirs.public_id}/").status_code == 404


def test_two_missed_meetings_in_a_row_are_suggested_not_flagged(
    client: Client, member: GroupMember, leader_a: User
) -> None:
    for hours in (-340, -170):
        meeting = make_meeting(member.group, in_hours=hours)
        Attendance.objects.create(
            meeting=meeting, member=member, organisation=member.organisation, status="absent"
        )
    assert followups.repeated_absence(member.group) == [member]
    sign_in_staff(client, leader_a)
    page = client.get(f"/staff/org-a/groups/{member.group.public_id}/").content.decode()
    assert "missed the last two meetings" in page
    assert FollowUp.objects.count() == 0
    # Came to the latest one: no suggestion.
    latest = make_meeting(member.group, in_hours=-2)
    Attendance.objects.create(
        meeting=latest, member=member, organisation=member.organisation, status="present"
    )
    assert followups.repeated_absence(member.group) == []


def test_flags_never_show_on_the_participants_pages_but_do_in_their_data(
    client: Client, member: GroupMember, relative: User
) -> None:
    followups.flag(None, member, "burdened", "Verkade mycket trött.")
    make_meeting(member.group, in_hours=30)
    sign_in_relative(client, relative)
    for url in (
        "/me/",
        f"/me/groups/{member.public_id}/",
        f"/me/groups/{member.public_id}/pledge/",
    ):
        page = client.get(url).content.decode()
        assert "Verkade mycket trött" not in page, url
        assert "heavily burdened" not in page.lower(), url
    data = client.get("/me/data/").content.decode()
    assert "Verkade mycket trött." in data


def test_feedback_after_a_meeting_is_anonymous_unless_chosen(
    client: Client, member: GroupMember, relative: User
) -> None:
    meeting = make_meeting(member.group, in_hours=-2)
    sign_in_relative(client, relative)
    assert "/feedback/" in client.get("/me/").content.decode()
    url = f"/me/groups/{member.public_id}/meetings/{meeting.public_id}/feedback/"
    assert client.post(url, {"felt_safe": "maybe"}).status_code == 200
    data = {"felt_safe": "yes", "enough_space": "partly", "takeaway": "Att jag inte är ensam."}
    client.post(url, data)
    client.post(url, {**data, "felt_safe": "no"})  # a double press keeps the first answer
    feedback = MeetingFeedback.objects.get()
    assert (feedback.felt_safe, feedback.show_name) == ("yes", False)
    future = make_meeting(member.group, in_hours=30)
    future_url = f"/me/groups/{member.public_id}/meetings/{future.public_id}/feedback/"
    assert client.get(future_url).status_code == 404


@pytest.mark.parametrize("state", ["self_run", "ended"])
def test_the_end_of_the_led_period_asks_active_members_only(
    group_a: Group, coordinator_a: User, member: GroupMember, state: str
) -> None:
    left = make_member(group_a, make_ready(group_a.organisation, "Bo"), GroupMember.Status.LEFT)
    if state == "self_run":
        group_service.hand_over(request_for(coordinator_a, group_a.organisation), group_a, member)
    else:
        group_service.change_state(request_for(coordinator_a, group_a.organisation), group_a, state)
    asked = set(QuestionnaireRequest.objects.values_list("member_id", "timepoint"))
    assert asked == {(member.pk, "end"), (member.pk, "follow_up")}
    assert left.pk not in {m for m, _t in asked}
