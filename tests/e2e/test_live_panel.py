"""The live meeting panel in real browsers, in Swedish, against uvicorn serving the ASGI
application (HTTP and WebSockets) in this process: two leaders on two devices, three members
on their phones, a round, three hands, "quieter first", a section running over, and a
reconnect after the server went away."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import uvicorn
from django.conf import settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from kretsen.asgi import application
from kretsen.core.models import Organisation
from kretsen.groups.models import LiveSeat, LiveSession
from kretsen.groups.services import live
from tests.conftest import make_org
from tests.e2e.conftest import PageFactory, axe_check, has_no_horizontal_scroll
from tests.groups.live_world import make_live_world, relative_client, staff_client

NARROW = {"width": 360, "height": 740}
SHOTS = "/tmp/kretsen-live-shots"


class AsgiServer:
    """uvicorn in a thread; ``stop`` and ``start`` again drop every WebSocket for real."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            application, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        assert self.server is not None
        assert self.thread is not None
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[AsgiServer]:
    server = AsgiServer()
    server.start()
    yield server
    server.stop()


def _signed_in(page: Page, server: AsgiServer, session_key: str) -> Page:
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": server.url}]
    )
    return page


def _session_key(client: object) -> str:
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)  # type: ignore[attr-defined]


def test_two_leaders_and_three_members_run_a_meeting_in_swedish(
    asgi_server: AsgiServer, make_page: PageFactory
) -> None:
    organisation: Organisation = make_org("liveby", "Liveby kommun")
    world = make_live_world(organisation)
    leader_one = _signed_in(make_page(), asgi_server, _session_key(staff_client(world.leaders[0])))
    leader_two = _signed_in(
        make_page(NARROW, is_mobile=True, has_touch=True),
        asgi_server,
        _session_key(staff_client(world.leaders[1])),
    )
    phones = {
        name: _signed_in(
            make_page(NARROW, is_mobile=True, has_touch=True),
            asgi_server,
            _session_key(relative_client(world.relatives[index])),
        )
        for index, name in enumerate(("Anna", "Bo", "Cia"))
    }

    # The first leader starts the panel from the run-sheet.
    leader_one.goto(asgi_server.url + world.leader_url().replace("live/", "run-sheet/"))
    leader_one.get_by_role("link", name="Öppna panelen under träffen").click()
    leader_one.get_by_role("button", name="Starta panelen").click()
    expect(leader_one.get_by_role("heading", name="Pratar nu")).to_be_visible()
    leader_two.goto(asgi_server.url + world.leader_url())
    for page in (leader_one, leader_two):
        expect(page.locator("#live-connection")).to_contain_text("Uppdaterad")
    for index, page in enumerate(phones.values()):
        page.goto(asgi_server.url + world.member_url(index))
        expect(page.locator("#live-connection")).to_have_text("Uppdaterad.")
        expect(page.get_by_role("button", name="Räck upp handen")).to_be_visible()

    # The round, in name order: Anna Berg, Bo, Cia, Dan.
    leader_one.get_by_role("button", name="Starta en runda", exact=True).click()
    expect(leader_two.locator(".live-speaker")).to_contain_text("Anna Berg")
    expect(phones["Anna"].get_by_text("Rundan har kommit till dig.")).to_be_visible()
    expect(phones["Bo"].get_by_text("Anna pratar.")).to_be_visible()
    leader_two.get_by_role("button", name="Nästa i rundan").click()
    expect(phones["Bo"].get_by_text("Rundan har kommit till dig.")).to_be_visible()
    leader_one.get_by_role("button", name="Bo står över").click()
    expect(phones["Bo"].get_by_text("Du stod över i den här rundan. Det går bra.")).to_be_visible()
    expect(phones["Cia"].get_by_text("Det är din tur att prata.")).to_be_visible()
    expect(leader_two.locator(".live-round li.round-passed")).to_contain_text("Bo")
    leader_two.get_by_role("button", name="Avsluta rundan").click()
    expect(leader_one.get_by_role("button", name="Starta en runda", exact=True)).to_be_visible()

    # The check-in section has run over its minutes.
    with scopes_disabled():
        LiveSession.objects.filter(meeting=world.meeting).update(
            section_started_at=timezone.now() - timedelta(minutes=30)
        )

    # Three hands: Anna and Bo on their phones, Dan in the room through a leader.
    phones["Anna"].get_by_role("button", name="Räck upp handen").click()
    expect(phones["Anna"].get_by_text("Du är nummer 1 i kön.")).to_be_visible()
    phones["Bo"].get_by_role("button", name="Räck upp handen").click()
    expect(phones["Bo"].get_by_text("Du är nummer 2 i kön.")).to_be_visible()
    leader_two.get_by_role("button", name="Räck upp handen för Dan").click()
    queue = leader_one.locator(".live-queue .live-list li")
    expect(queue).to_have_count(3)
    expect(queue.nth(0)).to_contain_text("Anna Berg")
    expect(queue.nth(2)).to_contain_text("Dan")
    expect(phones["Cia"].locator(".live-list li")).to_have_text(["1. Anna", "2. Bo", "3. Dan"])
    section = leader_one.locator(".live-section")
    expect(section).to_have_class("card live-section live-over")
    expect(section).to_contain_text("Över tiden")

    # Quieter first: Bo (passed) and Dan have had no turn, Anna has had one.
    leader_two.get_by_role("button", name="Tystare först").click()
    expect(leader_one.get_by_role("button", name="Tystare först")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(queue.nth(0)).to_contain_text("Bo")
    expect(queue.nth(1)).to_contain_text("Dan")
    expect(queue.nth(2)).to_contain_text("Anna Berg")
    expect(phones["Bo"].get_by_text("Du är nummer 1 i kön.")).to_be_visible()
    leader_one.locator(".live-queue").get_by_role("button", name="Ge ordet till Bo").click()
    expect(phones["Bo"].get_by_text("Det är din tur att prata.")).to_be_visible()
    expect(queue).to_have_count(2)

    axe_check(leader_one)
    axe_check(leader_two)
    assert has_no_horizontal_scroll(leader_two)
    for page in phones.values():
        axe_check(page)
        assert has_no_horizontal_scroll(page), f"{page.url} scrolls sideways at 360 px."
    leader_one.screenshot(path=f"{SHOTS}/leader-desktop.png", full_page=True)
    leader_two.screenshot(path=f"{SHOTS}/leader-phone.png", full_page=True)
    phones["Anna"].screenshot(path=f"{SHOTS}/member-phone.png", full_page=True)

    # The server goes away; meanwhile a leader's change is saved elsewhere (the database is
    # the source of truth). After the restart every device shows exactly that state.
    asgi_server.stop()
    expect(leader_one.locator("#live-connection")).to_contain_text("Anslutningen bröts")
    with scopes_disabled():
        dan = LiveSeat.objects.get(session__meeting=world.meeting, name="Dan")
    with scope(organisation=organisation):
        live.act(world.meeting, "floor", {"seat": dan.pk})
    asgi_server.start()
    expect(leader_one.locator(".live-speaker")).to_contain_text("Dan", timeout=30_000)
    expect(leader_one.locator("#live-connection")).to_contain_text("Uppdaterad", timeout=30_000)
    expect(phones["Bo"].get_by_text("Dan pratar.")).to_be_visible(timeout=30_000)
    expect(phones["Anna"].get_by_text("Du är nummer 1 i kön.")).to_be_visible(timeout=30_000)
