"""Group formation through a real browser: run a proposal, move a person, accept.

The coordinator asks for a proposal from the waiting list (run as a background task; the
page updates itself until it is ready), sends one person back to the list, sees the value
change, and accepts: a planned group with two leaders and invited members. axe checks
each page.
"""

from __future__ import annotations

import re

from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.roles import Role
from kretsen.core.vocabulary import slot_index
from kretsen.groups.models import Group, GroupMember
from kretsen.intake.models import Intake
from tests.conftest import make_offer, make_org, make_staff
from tests.e2e.conftest import axe_check
from tests.e2e.helpers import expect_message, sign_in_staff, use_english
from tests.groups.factories import make_ready

NAMES = ["Alma", "Berit", "Cecilia", "Dagny", "Elsa", "Frida"]


def test_the_coordinator_runs_moves_and_accepts_a_proposal(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    coordinator = make_staff("selma@aby.example", organisation, {Role.COORDINATOR})
    make_staff("lena@aby.example", organisation, {Role.LEADER})
    make_staff("leif@aby.example", organisation, {Role.LEADER})
    with scopes_disabled():
        offer = make_offer(organisation)
        people = [make_ready(organisation, name, offer=offer) for name in NAMES]
        Intake.objects.filter(registration__in=people).update(
            availability=1 << slot_index(2, 2), area="Centrum"
        )

    use_english(page, live_server)
    sign_in_staff(page, live_server, coordinator)
    page.get_by_role("link", name="Forming groups").click()
    axe_check(page)
    page.get_by_label("Who to form groups from").select_option(
        label="Conversation group for relatives"
    )
    page.get_by_label(re.compile("Time to search")).fill("5")
    page.get_by_role("button", name="Propose groups").click()
    expect(page.get_by_role("heading", name="Group 1")).to_be_visible(timeout=20_000)
    group = page.get_by_role("region", name="Group 1")
    expect(group).to_contain_text("Wednesday, evening")
    expect(group).to_contain_text("Keeps every rule")
    axe_check(page)

    page.get_by_label("Move Frida to").select_option(label="Back to the waiting list")
    page.get_by_role("button", name="Move Frida").click()
    expect_message(page, "The proposal's value went from")
    expect(page.get_by_role("region", name="Group 1")).not_to_contain_text("Frida")
    axe_check(page)

    page.get_by_label("The groups belong to the offer").select_option(
        label="Conversation group for relatives"
    )
    page.get_by_role("button", name="Accept and create the groups").click()
    expect_message(page, "1 group was created and its members invited.")
    expect(page.get_by_role("link", name=re.compile("Plan the meetings of"))).to_be_visible()
    axe_check(page)
    with scopes_disabled():
        created = Group.objects.get()
        assert created.state == Group.State.PLANNED
        assert created.leaderships.count() == 2
        invited = GroupMember.objects.filter(group=created, status="invited")
        assert sorted(m.display_name for m in invited) == NAMES[:5]
