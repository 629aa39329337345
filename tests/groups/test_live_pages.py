"""The live panel's pages without JavaScript, its JSON state (polling), the anonymous summary
and the rules of the balance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation
from kretsen.core.roles import Role
from kretsen.groups.live import balance
from kretsen.groups.models import Attendance, LiveSeat, LiveSession, LiveSummary, Meeting
from kretsen.groups.services import live
from tests.conftest import make_staff
from tests.groups.live_world import LiveWorld, make_live_world, relative_client, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a: Organisation) -> LiveWorld:
    return make_live_world(org_a)


def _seats(world: LiveWorld) -> dict[str, int]:
    with scopes_disabled():
        return {s.name: s.pk for s in LiveSeat.objects.filter(session__meeting=world.meeting)}


def test_a_leader_runs_the_panel_without_javascript(world: LiveWorld) -> None:
    leader = staff_client(world.leaders[0])
    assert "Start the live panel" in leader.get(world.leader_url()).content.decode()
    assert leader.post(world.leader_url(), {"action": "start"}).status_code == 302
    seats = _seats(world)
    assert sorted(seats) == ["Anna Berg", "Bo", "Cia", "Dan"]  # Eva said she could not come

    leader.post(world.leader_url(), {"action": "hand_up", "seat": seats["Cia"]})
    page = leader.get(world.leader_url()).content.decode()
    assert "Give the floor to Cia" in page
    assert "hand raised" in page

    leader.post(world.leader_url(), {"action": "floor", "seat": seats["Cia"]})
    page = leader.get(world.leader_url()).content.decode()
    assert "No hands are raised." in page
    assert '<p class="live-speaker"><strong>Cia</strong>' in page

    leader.post(world.leader_url(), {"action": "round_start", "shuffled": "1"})
    with scopes_disabled():
        session = LiveSession.objects.get(meeting=world.meeting)
    assert session.round_shuffled is True
    assert session.round_open is True


def test_the_second_leader_sees_what_the_first_did(world: LiveWorld) -> None:
    first, second = staff_client(world.leaders[0]), staff_client(world.leaders[1])
    first.post(world.leader_url(), {"action": "start"})
    first.post(world.leader_url(), {"action": "section_next", "section": "0"})
    state = second.get(world.leader_url("state/")).json()["state"]
    assert state["section"]["index"] == 1
    assert state["section"]["title"] == "Pledge and rules"


def test_the_state_address_takes_actions_for_polling_clients(world: LiveWorld) -> None:
    leader = staff_client(world.leaders[0])
    leader.post(world.leader_url(), {"action": "start"})
    seats = _seats(world)
    answer = leader.post(world.leader_url("state/"), {"action": "floor", "seat": seats["Bo"]})
    assert answer.json()["state"]["speaker"] == seats["Bo"]
    refused = leader.post(world.leader_url("state/"), {"action": "floor", "seat": "999999"})
    assert refused.status_code == 400
    assert refused.json() == {
        "type": "error",
        "message": "That person is not in this meeting's panel.",
    }


def test_the_panel_needs_attendance_and_the_meeting_time(org_a: Organisation) -> None:
    world = make_live_world(org_a)
    leader = staff_client(world.leaders[0])
    with scopes_disabled():
        Attendance.objects.filter(meeting=world.meeting).delete()
    page = leader.post(world.leader_url(), {"action": "start"}, follow=True).content.decode()
    assert "Take attendance first: the round is made of those present." in page
    with scopes_disabled():
        Meeting.objects.filter(pk=world.meeting.pk).update(
            starts_at=timezone.now() + timedelta(days=2)
        )
    page = leader.post(world.leader_url(), {"action": "start"}, follow=True).content.decode()
    assert "The live panel opens 15 minutes before the meeting begins." in page
    with scopes_disabled():
        assert not LiveSession.objects.exists()


def test_a_leader_of_another_group_gets_404(org_a: Organisation, world: LiveWorld) -> None:
    other = make_live_world(org_a, "other-")
    stranger = staff_client(other.leaders[0])
    assert stranger.get(world.leader_url()).status_code == 404
    assert stranger.get(world.leader_url("state/")).status_code == 404


def test_a_coordinator_who_does_not_lead_the_group_gets_403(
    org_a: Organisation, world: LiveWorld
) -> None:
    with scopes_disabled():
        coordinator = make_staff("coordinator@live.example", org_a, {Role.COORDINATOR})
    assert staff_client(coordinator).get(world.leader_url()).status_code == 403


def test_a_member_raises_a_hand_without_javascript(world: LiveWorld) -> None:
    staff_client(world.leaders[0]).post(world.leader_url(), {"action": "start"})
    bo = relative_client(world.relatives[1])
    assert bo.post(world.member_url(1), {"action": "raise"}).status_code == 302
    page = bo.get(world.member_url(1)).content.decode()
    assert "Your hand is raised. You are number 1 in the queue." in page
    assert "Lower my hand" in page
    # A participant's page never offers the leaders' buttons nor others' counts.
    assert "Give the floor" not in page
    assert "turns" not in page
    refused = bo.post(world.member_url(1), {"action": "floor"}, follow=True).content.decode()
    assert "Only the leaders can do that." in refused
    state = bo.get(world.member_url(1, "state/")).json()["state"]
    assert state["queue"] == ["Bo"]
    assert "seats" not in state


def test_others_see_only_first_names(world: LiveWorld) -> None:
    staff_client(world.leaders[0]).post(world.leader_url(), {"action": "start"})
    relative_client(world.relatives[0]).post(world.member_url(0), {"action": "raise"})
    state = relative_client(world.relatives[1]).get(world.member_url(1, "state/")).json()["state"]
    assert state["queue"] == ["Anna"]


def test_a_member_marked_absent_gets_403(world: LiveWorld) -> None:
    eva = relative_client(world.relatives[4])
    assert eva.get(world.member_url(4)).status_code == 403
    assert eva.get(world.member_url(4, "state/")).status_code == 403


def test_a_member_cannot_open_another_members_panel(world: LiveWorld) -> None:
    bo = relative_client(world.relatives[1])
    assert bo.get(world.member_url(2)).status_code == 404


def test_the_group_page_links_to_the_running_panel(world: LiveWorld) -> None:
    bo = relative_client(world.relatives[1])
    group_page = f"/me/groups/{world.members[1].public_id}/"
    assert "The meeting now: raise your hand" not in bo.get(group_page).content.decode()
    staff_client(world.leaders[0]).post(world.leader_url(), {"action": "start"})
    assert "The meeting now: raise your hand" in bo.get(group_page).content.decode()


def test_ending_keeps_only_an_anonymous_summary(org_a: Organisation) -> None:
    world = make_live_world(org_a)
    with scopes_disabled():
        Attendance.objects.filter(meeting=world.meeting, status="notified").update(status="present")
    leader = staff_client(world.leaders[0])
    leader.post(world.leader_url(), {"action": "start"})
    seats = _seats(world)
    with scopes_disabled():
        LiveSeat.objects.filter(pk=seats["Anna Berg"]).update(turns=4, seconds=600)
        LiveSeat.objects.filter(pk=seats["Bo"]).update(turns=2, seconds=200)
        LiveSeat.objects.filter(pk=seats["Cia"]).update(turns=1, seconds=100)
        LiveSeat.objects.filter(pk=seats["Dan"]).update(turns=1, seconds=100)
    leader.post(world.leader_url(), {"action": "end"})
    leader.post(world.leader_url(), {"action": "end"})  # a double press is harmless
    with scopes_disabled():
        assert not LiveSeat.objects.exists()
        assert not LiveSession.objects.exists()
        summary = LiveSummary.objects.get(meeting=world.meeting)
        codes = list(AuditEvent.objects.values_list("action", flat=True))
    assert (summary.people, summary.spoke, summary.turns, summary.seconds) == (5, 4, 8, 1000)
    # Five people: the top third is two (Anna 600 + Bo 200 of 1000 seconds; 6 of 8 turns).
    assert summary.top_third_time_share == 80
    assert summary.top_third_turn_share == 75
    page = leader.get(world.leader_url()).content.decode()
    assert "80 %" in page
    assert "Anna" not in page
    assert codes.count("groups.live.started") == 1
    assert codes.count("groups.live.ended") == 1


def test_the_summary_hides_shares_below_five_people(world: LiveWorld) -> None:
    leader = staff_client(world.leaders[0])
    leader.post(world.leader_url(), {"action": "start"})
    leader.post(world.leader_url(), {"action": "end"})
    page = leader.get(world.leader_url()).content.decode()
    assert "Fewer than five were present, so the shares are not shown" in page
    assert "most talkative third" not in page


def test_the_scheduler_ends_a_forgotten_panel(world: LiveWorld) -> None:
    staff_client(world.leaders[0]).post(world.leader_url(), {"action": "start"})
    assert live.end_forgotten(timezone.now()) == 0
    later = world.meeting.ends_at + live.STAYS_OPEN_AFTER_END + timedelta(minutes=1)
    assert live.end_forgotten(later) == 1
    with scopes_disabled():
        assert not LiveSeat.objects.exists()
        assert LiveSummary.objects.filter(meeting=world.meeting).exists()


def test_the_data_page_tells_the_relative_about_the_summary(world: LiveWorld) -> None:
    page = relative_client(world.relatives[1]).get("/me/data/").content.decode()
    assert "Nothing you say is recorded" in page
    assert "anonymous summary" in page


T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def test_far_above_needs_twice_the_median_and_three_minutes_more() -> None:
    speakers = [balance.Speaker(1, 3, 900), balance.Speaker(2, 2, 200), balance.Speaker(3, 1, 150)]
    assert balance.far_above(speakers) == {1}
    # Twice the median but only 100 seconds above it: not marked.
    close = [balance.Speaker(1, 1, 200), balance.Speaker(2, 1, 100), balance.Speaker(3, 1, 90)]
    assert balance.far_above(close) == set()
    assert balance.far_above([balance.Speaker(1, 9, 5000)]) == set()


def test_quieter_first_orders_by_turns_then_time_then_hand() -> None:
    hands = [
        balance.Hand(1, T0, turns=3, seconds=400),
        balance.Hand(2, T0 + timedelta(seconds=5), turns=0, seconds=0),
        balance.Hand(3, T0 + timedelta(seconds=9), turns=1, seconds=60),
        balance.Hand(4, T0 + timedelta(seconds=2), turns=1, seconds=90),
    ]
    assert balance.queue_order(hands, quieter_first=False) == [1, 4, 2, 3]
    assert balance.queue_order(hands, quieter_first=True) == [2, 3, 4, 1]


def test_the_summary_of_silence_is_zero() -> None:
    summary = balance.summarise([balance.Speaker(1, 0, 0), balance.Speaker(2, 0, 0)])
    assert summary.top_third_time_share == 0
    assert summary.spoke == 0


def test_an_anonymous_visitor_is_sent_to_sign_in(world: LiveWorld) -> None:
    response = Client().get(world.leader_url())
    assert response.status_code == 302


def test_passing_takes_back_only_a_turn_the_round_offered(world: LiveWorld) -> None:
    leader = staff_client(world.leaders[0])
    leader.post(world.leader_url(), {"action": "start"})
    seats = _seats(world)
    leader.post(world.leader_url(), {"action": "round_start"})
    # Anna, first in the round, is speaking; Dan is given the floor (a hand) in the middle.
    leader.post(world.leader_url(), {"action": "floor", "seat": seats["Dan"]})
    page = leader.get(world.leader_url()).content.decode()
    assert "Dan passes" not in page
    leader.post(world.leader_url(), {"action": "round_pass", "speaker": seats["Dan"]})
    state = leader.get(world.leader_url("state/")).json()["state"]
    by_name = {seat["name"]: seat for seat in state["seats"]}
    assert by_name["Dan"]["turns"] == 1
    assert by_name["Dan"]["round_state"] == "waiting"
    assert by_name["Anna Berg"]["round_state"] == "spoke"
    assert state["speaker"] == seats["Dan"]
    # "Next" goes on with the round: Dan has spoken, the next waiting person gets the floor.
    leader.post(world.leader_url(), {"action": "round_next", "speaker": seats["Dan"]})
    state = leader.get(world.leader_url("state/")).json()["state"]
    by_name = {seat["name"]: seat for seat in state["seats"]}
    assert by_name["Dan"]["round_state"] == "spoke"
    assert state["speaker"] == seats["Bo"]
    assert state["speaker_from_round"] is True
