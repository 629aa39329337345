"""The live panel's WebSocket, through the real ASGI application with the in-memory layer:
every message type, and refused, bad or forged messages."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django_scopes import scopes_disabled

from kretsen.asgi import application
from kretsen.core.models import Organisation
from kretsen.core.roles import Role
from kretsen.groups.models import LiveSeat, LiveSession
from kretsen.groups.services import live
from tests.conftest import make_staff, sign_in_relative
from tests.groups.live_world import LiveWorld, make_live_world, relative_client, staff_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def world(org_a: Organisation) -> LiveWorld:
    found = make_live_world(org_a)
    client = staff_client(found.leaders[0])
    client.post(found.leader_url(), {"action": "start"})
    return found


def _headers(client: Client, origin: str = "http://testserver") -> list[tuple[bytes, bytes]]:
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; kretsen_language=en"
    return [(b"cookie", cookie.encode()), (b"origin", origin.encode())]


async def _open(path: str, client: Client, origin: str = "http://testserver") -> Any:
    communicator = WebsocketCommunicator(application, path, headers=_headers(client, origin))
    connected, _code = await communicator.connect()
    return communicator, connected


async def _state(communicator: WebsocketCommunicator) -> dict[str, Any]:
    message = json.loads(await communicator.receive_from(timeout=5))
    assert message["type"] == "state", message
    return dict(message["state"])


async def _error(communicator: WebsocketCommunicator) -> str:
    message = json.loads(await communicator.receive_from(timeout=5))
    assert message["type"] == "error", message
    return str(message["message"])


@pytest_asyncio.fixture
async def leader(world: LiveWorld) -> AsyncIterator[WebsocketCommunicator]:
    client = await database_sync_to_async(staff_client)(world.leaders[0])
    communicator, connected = await _open(world.leader_url("state/"), client)
    assert connected
    await _state(communicator)
    yield communicator
    await communicator.disconnect()


@pytest_asyncio.fixture
async def bo(world: LiveWorld) -> AsyncIterator[WebsocketCommunicator]:
    client = await database_sync_to_async(relative_client)(world.relatives[1])
    communicator, connected = await _open(world.member_url(1, "state/"), client)
    assert connected
    await _state(communicator)
    yield communicator
    await communicator.disconnect()


def _seats(world: LiveWorld) -> dict[str, int]:
    with scopes_disabled():
        return {
            seat.name: seat.pk for seat in LiveSeat.objects.filter(session__meeting=world.meeting)
        }


async def _act(communicator: WebsocketCommunicator, **message: Any) -> None:
    await communicator.send_to(text_data=json.dumps(message))


async def test_it_shows_a_raised_hand_on_both_leaders_panels(
    world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    client = await database_sync_to_async(staff_client)(world.leaders[1])
    second, connected = await _open(world.leader_url("state/"), client)
    assert connected
    await _state(second)
    seats = await database_sync_to_async(_seats)(world)

    await _act(bo, action="raise")

    for panel in (leader, second):
        state = await _state(panel)
        assert state["queue"] == [seats["Bo"]]
    mine = await _state(bo)
    assert mine["hand"] is True
    assert mine["place"] == 1
    assert mine["queue"] == ["Bo"]
    await second.disconnect()


async def test_it_lowers_a_hand(
    world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    await _act(bo, action="raise")
    await _state(leader)
    await _state(bo)
    await _act(bo, action="lower")
    assert (await _state(leader))["queue"] == []
    assert (await _state(bo))["hand"] is False


async def test_it_runs_a_round_with_a_pass(
    world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    seats = await database_sync_to_async(_seats)(world)
    await _act(leader, action="round_start")
    state = await _state(leader)
    await _state(bo)
    # Fixed order is by name: Anna Berg, Bo, Cia, Dan.
    assert state["round"]["open"] is True
    assert state["speaker"] == seats["Anna Berg"]
    assert state["round"]["next"] == seats["Bo"]

    await _act(leader, action="round_next", speaker=seats["Anna Berg"])
    await _state(leader)
    mine = await _state(bo)
    assert mine["round_state"] == "now"
    assert mine["my_turn"] is True

    await _act(leader, action="round_pass", speaker=seats["Bo"])
    state = await _state(leader)
    mine = await _state(bo)
    assert state["speaker"] == seats["Cia"]
    by_name = {seat["name"]: seat for seat in state["seats"]}
    assert by_name["Bo"]["round_state"] == "passed"
    assert by_name["Bo"]["turns"] == 0  # passing is not a turn
    assert by_name["Anna Berg"]["round_state"] == "spoke"
    assert mine["round_state"] == "passed"

    await _act(leader, action="round_stop")
    assert (await _state(leader))["round"]["open"] is False


async def test_a_double_next_moves_the_round_on_once(
    world: LiveWorld, leader: WebsocketCommunicator
) -> None:
    seats = await database_sync_to_async(_seats)(world)
    await _act(leader, action="round_start")
    await _state(leader)
    # Two leaders press "next" after Anna at the same moment: Bo gets the floor, not Cia.
    await _act(leader, action="round_next", speaker=seats["Anna Berg"])
    await _act(leader, action="round_next", speaker=seats["Anna Berg"])
    await _state(leader)
    state = await _state(leader)
    assert state["speaker"] == seats["Bo"]


async def test_it_gives_and_ends_the_floor(world: LiveWorld, leader: WebsocketCommunicator) -> None:
    seats = await database_sync_to_async(_seats)(world)
    await _act(leader, action="floor", seat=seats["Dan"])
    state = await _state(leader)
    assert state["speaker"] == seats["Dan"]
    await _act(leader, action="release", speaker=seats["Dan"])
    state = await _state(leader)
    assert state["speaker"] is None
    assert {s["name"]: s["turns"] for s in state["seats"]}["Dan"] == 1


async def test_quieter_first_reorders_the_queue(
    world: LiveWorld, leader: WebsocketCommunicator
) -> None:
    seats = await database_sync_to_async(_seats)(world)
    # Cia has had a turn; then Cia raises her hand before Dan does.
    await _act(leader, action="floor", seat=seats["Cia"])
    await _state(leader)
    await _act(leader, action="release", speaker=seats["Cia"])
    await _state(leader)
    await _act(leader, action="hand_up", seat=seats["Cia"])
    await _state(leader)
    await _act(leader, action="hand_up", seat=seats["Dan"])
    assert (await _state(leader))["queue"] == [seats["Cia"], seats["Dan"]]

    await _act(leader, action="quieter_first", on="1")
    state = await _state(leader)
    assert state["quieter_first"] is True
    assert state["queue"] == [seats["Dan"], seats["Cia"]]

    await _act(leader, action="hand_down", seat=seats["Dan"])
    assert (await _state(leader))["queue"] == [seats["Cia"]]


async def test_it_moves_between_sections(world: LiveWorld, leader: WebsocketCommunicator) -> None:
    await _act(leader, action="section_next", section=0)
    state = await _state(leader)
    assert state["section"]["index"] == 1
    # A second press made on the old screen does not skip a section.
    await _act(leader, action="section_next", section=0)
    assert (await _state(leader))["section"]["index"] == 1
    await _act(leader, action="section_back", section=1)
    assert (await _state(leader))["section"]["index"] == 0


async def test_it_answers_state_and_ping(world: LiveWorld, leader: WebsocketCommunicator) -> None:
    await _act(leader, action="ping")
    await _act(leader, action="state")
    state = await _state(leader)
    assert state["started"] is True
    assert await leader.receive_nothing(timeout=0.2)


async def test_a_participant_cannot_give_the_floor(
    world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    seats = await database_sync_to_async(_seats)(world)
    await _act(bo, action="floor", seat=seats["Bo"])
    assert await _error(bo) == "Only the leaders can do that."
    await _act(bo, action="round_start")
    assert await _error(bo) == "Only the leaders can do that."
    assert await leader.receive_nothing(timeout=0.2)
    session = await database_sync_to_async(_session)(world)
    assert session.speaker_id is None
    assert session.round_open is False


def _session(world: LiveWorld) -> LiveSession:
    with scopes_disabled():
        return LiveSession.objects.get(meeting=world.meeting)


async def test_it_refuses_a_message_for_another_meeting(
    org_a: Organisation, world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    other = await database_sync_to_async(make_live_world)(org_a, "other-")
    other_client = await database_sync_to_async(staff_client)(other.leaders[0])
    await database_sync_to_async(other_client.post)(other.leader_url(), {"action": "start"})
    other_seats = await database_sync_to_async(_seats)(other)

    await _act(bo, action="raise", meeting=str(other.meeting.public_id))
    assert await _error(bo) == "You can only act in the meeting you opened."
    # A seat of another meeting is not found in this one.
    await _act(leader, action="floor", seat=other_seats["Bo"])
    assert await _error(leader) == "That person is not in this meeting's panel."
    await _state(leader)
    await _act(leader, action="hand_up", seat="not-a-number")
    assert await _error(leader) == "That person is not in this meeting's panel."


@pytest.mark.parametrize(
    "text",
    ["not json", "[1, 2]", '{"action": 5}', '{"seat": 1}', json.dumps({"action": "x" * 2000})],
)
async def test_it_refuses_bad_messages(
    world: LiveWorld, leader: WebsocketCommunicator, text: str
) -> None:
    await leader.send_to(text_data=text)
    assert await _error(leader) == "The panel could not read that request. Reload the page."


async def test_it_refuses_an_unknown_action(world: LiveWorld, bo: WebsocketCommunicator) -> None:
    await _act(bo, action="delete_everything")
    assert await _error(bo) == "The panel could not read that request. Reload the page."


async def test_a_participant_cannot_raise_a_hand_while_speaking(
    world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    seats = await database_sync_to_async(_seats)(world)
    await _act(leader, action="floor", seat=seats["Bo"])
    await _state(bo)
    await _act(bo, action="raise")
    assert await _error(bo) == "You have the floor now."


async def test_it_refuses_people_who_may_not_open_the_panel(
    org_a: Organisation, org_b: Organisation, world: LiveWorld
) -> None:
    def clients() -> dict[str, Client]:
        other_group = make_live_world(org_a, "group-")
        with scopes_disabled():
            coordinator = make_staff("coordinator@live.example", org_a, {Role.COORDINATOR})
            foreign = make_staff("foreign@live.example", org_b, {Role.LEADER, Role.COORDINATOR})
        unverified = Client()
        unverified.force_login(world.leaders[0], backend="kretsen.core.auth.StaffBackend")
        unverified.get("/staff/")
        stale = sign_in_relative(Client(), world.relatives[0])  # never seen by the middleware
        return {
            "a leader of another group": staff_client(other_group.leaders[0]),
            "a coordinator who does not lead the group": staff_client(coordinator),
            "staff of another organisation": staff_client(foreign),
            "a leader without the second factor": unverified,
            "a member of another group": relative_client(other_group.relatives[0]),
            "a session never seen by the lifetime check": stale,
        }

    for who, client in (await database_sync_to_async(clients)()).items():
        communicator = WebsocketCommunicator(
            application, world.leader_url("state/"), headers=_headers(client)
        )
        connected, _code = await communicator.connect()
        assert not connected, who
        communicator = WebsocketCommunicator(
            application, world.member_url(0, "state/"), headers=_headers(client)
        )
        connected, _code = await communicator.connect()
        assert not connected, who


async def test_it_refuses_a_member_marked_absent(world: LiveWorld) -> None:
    client = await database_sync_to_async(relative_client)(world.relatives[4])
    _communicator, connected = await _open(world.member_url(4, "state/"), client)
    assert not connected


async def test_it_refuses_another_origin(world: LiveWorld) -> None:
    client = await database_sync_to_async(staff_client)(world.leaders[0])
    _communicator, connected = await _open(
        world.leader_url("state/"), client, origin="https://evil.example"
    )
    assert not connected


async def test_it_refuses_a_participant_before_the_panel_starts(org_a: Organisation) -> None:
    fresh = await database_sync_to_async(make_live_world)(org_a, "fresh-")
    client = await database_sync_to_async(relative_client)(fresh.relatives[1])
    communicator, connected = await _open(fresh.member_url(1, "state/"), client)
    assert connected
    state = await _state(communicator)
    assert state == {"role": "participant", "started": False, "version": 0, "present": False}
    await _act(communicator, action="raise")
    assert await _error(communicator) == "The leaders have not opened the meeting's panel yet."
    await communicator.disconnect()


async def test_the_end_of_the_panel_reaches_everyone(
    world: LiveWorld, leader: WebsocketCommunicator, bo: WebsocketCommunicator
) -> None:
    def end() -> None:
        client = staff_client(world.leaders[1])
        client.post(world.leader_url(), {"action": "end"})

    await database_sync_to_async(end)()
    assert (await _state(leader))["started"] is False
    assert (await _state(bo))["started"] is False
    assert live.group_name(world.meeting.pk) == f"live.{world.meeting.pk}"
