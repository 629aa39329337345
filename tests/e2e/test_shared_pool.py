"""Shared digital pools and leader profiles through a real browser, with axe on each page.

Organisation A's admin starts a pool and invites B; B's admin agrees. A leader records when
they can lead. B's coordinator releases a person for a place in A's group.
"""

from __future__ import annotations

from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.roles import Role
from kretsen.core.vocabulary import Format
from kretsen.groups.models import GroupMember, LeaderProfile
from kretsen.intake.models import Status
from kretsen.matching.models import PoolMember, SharedPool, Transfer
from tests.conftest import make_offer, make_org, make_staff
from tests.e2e.conftest import axe_check
from tests.e2e.helpers import expect_message, sign_in_staff, use_english
from tests.groups.factories import make_group, make_ready


def test_two_organisations_share_a_pool_and_a_person_is_released(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    aby = make_org("aby", "Åby kommun")
    bofjord = make_org("bofjord", "Bøfjord kommune", country="NO", default_language="nb")
    admin = make_staff("ada@aby.example", aby, {Role.ADMIN})
    other = make_staff("bo@bofjord.example", bofjord, {Role.ADMIN, Role.COORDINATOR})

    use_english(page, live_server)
    sign_in_staff(page, live_server, admin)
    page.goto(f"{live_server.url}/staff/aby/forming/shared/")
    axe_check(page)
    page.get_by_label("Name of the shared pool").fill("Digital evenings")
    page.get_by_label("Bøfjord kommune").check()
    page.get_by_role("button", name="Start the pool").click()
    expect_message(page, "was started")
    expect(page.locator("main table")).to_contain_text("Digital evenings")

    page.context.clear_cookies()
    use_english(page, live_server)
    sign_in_staff(page, live_server, other)
    page.goto(f"{live_server.url}/staff/bofjord/forming/shared/")
    page.get_by_role("button", name="Agree").click()
    expect_message(page, "Your organisation's answer was saved.")
    expect(page.get_by_role("button", name="Leave the pool")).to_be_visible()
    axe_check(page)
    with scopes_disabled():
        pool = SharedPool.objects.get()
        assert PoolMember.objects.get(pool=pool, organisation=bofjord).state == "agreed"
        # A proposal of A offered a place in its digital group to B's Dagny.
        offer = make_offer(aby, format=Format.DIGITAL, address="")
        group = make_group(aby, offer, [], format="digital", state="planned")
        dagny = make_ready(bofjord, "Dagny", format_preference=Format.DIGITAL)
        Transfer.objects.create(
            pool=pool, home=bofjord, host=aby, registration=dagny, group=group, slot=5
        )

    page.get_by_role("link", name="Forming groups").click()
    expect(page.locator("main")).to_contain_text("offers a place in a shared group")
    page.get_by_role("link", name="Places offered by other organisations").click()
    expect(page.locator("main table")).to_contain_text("Dagny")
    axe_check(page)
    page.get_by_role("button", name="Release").click()
    expect_message(page, "Dagny was released and invited to the group.")
    expect(page.locator("main table")).to_contain_text("Released and invited")
    axe_check(page)
    with scopes_disabled():
        dagny.refresh_from_db()
        assert dagny.status == Status.REFERRED
        member = GroupMember.objects.get(group=group)
        assert member.registration.organisation == aby
        assert member.display_name == "Dagny"


def test_a_leader_records_when_they_can_lead(desktop_page: Page, live_server: LiveServer) -> None:
    page = desktop_page
    aby = make_org("aby", "Åby kommun")
    leader = make_staff("lena@aby.example", aby, {Role.LEADER})
    use_english(page, live_server)
    sign_in_staff(page, live_server, leader)
    page.get_by_role("link", name="My availability as a leader").click()
    axe_check(page)
    # Not recorded yet: every time is ticked. Untick them all and save: a clear message.
    page.eval_on_selector_all(
        "input[name=availability]", "boxes => boxes.forEach(box => { box.checked = false; })"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Tick at least one time")
    axe_check(page)
    page.locator("input[name=availability][value='1-2']").check()
    page.locator("input[name=availability][value='3-2']").check()
    page.get_by_role("button", name="Save").click()
    axe_check(page)
    with scopes_disabled():
        profile = LeaderProfile.objects.get(membership__user=leader)
        assert profile.availability == (1 << 5) | (1 << 11)
