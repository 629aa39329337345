"""Video rooms (JWT claims decoded, never a network call) and the personal calendar feed."""

from __future__ import annotations

import re
from datetime import timedelta

import jwt
import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from kretsen.core.models import User
from kretsen.groups import calendar, video
from kretsen.groups.models import Group, GroupMember, GroupSettings
from kretsen.intake.models import Registration
from tests.conftest import sign_in_relative
from tests.groups.factories import make_meeting, make_member

ROOM = re.compile(r"^kommun-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def jitsi(group_a: Group) -> GroupSettings:
    group_a.format = Group.Format.DIGITAL
    group_a.save()
    return GroupSettings.objects.create(
        organisation=group_a.organisation,
        video_provider=GroupSettings.VideoProvider.JITSI,
        jitsi_url="https://meet.example.org",
        jitsi_room_prefix="kommun",
        jitsi_app_id="kretsen-app",
        jitsi_app_secret="a-shared-secret-for-the-test-of-jwt-claims",
    )


def test_it_gives_each_group_a_random_room_name(group_a: Group, jitsi: GroupSettings) -> None:
    first = video.ensure_room(group_a, jitsi)
    assert ROOM.match(first)
    assert group_a.name.lower() not in first
    assert video.new_room_name("kommun") != video.new_room_name("kommun")


def test_it_signs_a_short_lived_token_for_that_room_only(
    group_a: Group, jitsi: GroupSettings
) -> None:
    now = timezone.now()
    url = video.join_url(
        group_a, jitsi, display_name="Månsken", user_key="abc", moderator=False, now=now
    )
    assert url is not None
    base, token = url.split("?jwt=")
    assert base == f"https://meet.example.org/{group_a.video_room}"
    claims = jwt.decode(
        token, "a-shared-secret-for-the-test-of-jwt-claims", algorithms=["HS256"], audience="jitsi"
    )
    assert claims["iss"] == "kretsen-app"
    assert claims["sub"] == "meet.example.org"
    assert claims["room"] == group_a.video_room
    assert claims["context"]["user"]["name"] == "Månsken"
    assert claims["moderator"] is False
    assert claims["exp"] - claims["iat"] <= 4 * 3600
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            "another-secret-that-is-long-enough-for-hs256",
            algorithms=["HS256"],
            audience="jitsi",
        )


def test_leaders_are_moderators(group_a: Group, jitsi: GroupSettings) -> None:
    url = video.join_url(
        group_a, jitsi, display_name="Ledare", user_key="x", moderator=True, now=timezone.now()
    )
    assert url is not None
    claims = jwt.decode(url.split("?jwt=")[1], options={"verify_signature": False})
    assert claims["moderator"] is True
    assert claims["context"]["user"]["moderator"] == "true"


def test_without_a_provider_the_leaders_own_link_is_used(group_a: Group) -> None:
    settings = GroupSettings.objects.create(organisation=group_a.organisation)
    assert (
        video.join_url(
            group_a, settings, display_name="A", user_key="a", moderator=False, now=timezone.now()
        )
        is None
    )  # a group in person has no video room
    group_a.format = Group.Format.DIGITAL
    group_a.video_link = "https://video.example.org/abc"
    assert (
        video.join_url(
            group_a, settings, display_name="A", user_key="a", moderator=False, now=timezone.now()
        )
        == "https://video.example.org/abc"
    )


@pytest.fixture
def member_a(group_a: Group, registration_a: Registration) -> GroupMember:
    return make_member(group_a, registration_a)


def test_the_feed_is_neutral_and_parses_back(
    client: Client, group_a: Group, member_a: GroupMember, relative: User
) -> None:
    coming = make_meeting(group_a, in_hours=50)
    cancelled = make_meeting(group_a, in_hours=220, state="cancelled", sequence=1)
    token = calendar.create_token(relative.pk)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    parsed = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {f"{coming.public_id}@kretsen", f"{cancelled.public_id}@kretsen"}
    event = events[f"{coming.public_id}@kretsen"]
    assert event.decoded("dtstart") == coming.starts_at
    assert event.decoded("dtend") == coming.starts_at + timedelta(minutes=90)
    assert str(event["location"]) == group_a.place
    # Nothing about the group, the offer or anyone's situation.
    text = response.content.decode()
    for word in (group_a.name, "anhörig", "demens", "Samtalsgrupp"):
        assert word.lower() not in text.lower()
    assert str(events[f"{cancelled.public_id}@kretsen"]["status"]) == "CANCELLED"
    assert events[f"{cancelled.public_id}@kretsen"].decoded("sequence") == 1


def test_a_revoked_or_unknown_address_answers_404(
    client: Client, member_a: GroupMember, relative: User
) -> None:
    token = calendar.create_token(relative.pk)
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    newer = calendar.create_token(relative.pk)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{newer}.ics").status_code == 200
    calendar.revoke(relative.pk)
    assert client.get(f"/calendar/{newer}.ics").status_code == 404
    assert client.get("/calendar/made-up.ics").status_code == 404


def test_the_relative_makes_and_stops_an_address(
    client: Client, member_a: GroupMember, relative: User
) -> None:
    sign_in_relative(client, relative)
    page = client.post("/me/calendar/", {"action": "new"})
    address = re.search(r"http://testserver/calendar/([\w-]+)\.ics", page.content.decode())
    assert address is not None
    assert client.get(f"/calendar/{address.group(1)}.ics").status_code == 200
    client.post("/me/calendar/", {"action": "revoke"})
    with scopes_disabled():
        assert client.get(f"/calendar/{address.group(1)}.ics").status_code == 404
