"""Care through a real browser: WHO-5 on a phone, a leader's flag, the coordinator's close.

The member answers the wellbeing questionnaire on a 390 px phone and, with a low score, is
shown a caring message with crisis contacts; the leader asks the coordinator to follow up
with another member; the coordinator sees it on the start page and records what was done.
axe checks every page on the way.
"""

from __future__ import annotations

import re

from django.core.mail import EmailMessage
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.care.models import FollowUp, QuestionnaireRequest
from kretsen.care.services import questionnaires
from kretsen.core.models import User
from kretsen.core.roles import Role
from kretsen.intake.models import Status
from tests.conftest import make_offer, make_org, make_registration, make_staff
from tests.e2e.conftest import axe_check
from tests.e2e.helpers import (
    check_phone_page,
    expect_message,
    sign_in_relative,
    sign_in_staff,
    use_english,
)
from tests.groups.factories import make_group, make_member, make_ready

LOW_ANSWERS = {
    "I have felt cheerful and in good spirits": "Less than half of the time",
    "I have felt calm and relaxed": "Some of the time",
    "I have felt active and vigorous": "Some of the time",
    "I woke up feeling fresh and rested": "At no time",
    "My daily life has been filled with things that interest me": "Less than half of the time",
}


def test_a_member_answers_the_wellbeing_questions_on_a_phone(
    phone_page: Page, live_server: LiveServer, mailoutbox: list[EmailMessage]
) -> None:
    page = phone_page
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("lena@aby.example", organisation, {Role.LEADER})
    relative = User.objects.create_relative("maja@example.org", display_name="Maja")
    with scopes_disabled():
        group = make_group(organisation, make_offer(organisation), [leader])
        registration = make_registration(
            organisation,
            display_name="Maja",
            status=Status.IN_GROUP,
            user=relative,
            email=relative.email,
            contact_by_email=True,
        )
        asked = questionnaires.ask(make_member(group, registration), "baseline")

    use_english(page, live_server)
    sign_in_relative(page, live_server, relative.email, mailoutbox)
    page.get_by_role("link", name="Answer the questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your wellbeing")
    check_phone_page(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".errorlist").first).to_contain_text("Choose one answer.")
    for statement, answer in LOW_ANSWERS.items():
        page.get_by_role("group", name=statement).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    expect(page.locator("main")).to_contain_text("You do not have to carry this alone.")
    expect(page.locator("main")).to_contain_text("112")
    check_phone_page(page)
    with scopes_disabled():
        asked = QuestionnaireRequest.objects.get(pk=asked.pk)
        assert (asked.state, asked.raw_score, asked.percentage) == ("answered", 6, 24)
        assert FollowUp.objects.get().reason == FollowUp.Reason.LOW_WELLBEING


def test_a_leader_flags_a_participant_and_the_coordinator_closes_it(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("lena@aby.example", organisation, {Role.LEADER})
    coordinator = make_staff("selma@aby.example", organisation, {Role.COORDINATOR})
    with scopes_disabled():
        group = make_group(organisation, make_offer(organisation), [leader], name="Tisdagsgruppen")
        make_member(group, make_ready(organisation, "Ove"))

    use_english(page, live_server)
    sign_in_staff(page, live_server, leader)
    page.get_by_role("link", name="Groups", exact=True).click()
    page.get_by_role("link", name="Tisdagsgruppen").click()
    page.get_by_text("Ask the coordinator to follow up with a member").click()
    page.get_by_role("link", name="Ove").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ove")
    axe_check(page)
    page.get_by_label("Seemed heavily burdened").check()
    page.get_by_label(re.compile("A short note for the coordinator")).fill("Grät i slutrundan.")
    page.get_by_role("button", name="Ask for a follow-up").click()
    expect_message(page, "The coordinator will follow up with Ove.")
    axe_check(page)

    page.context.clear_cookies()
    use_english(page, live_server)
    sign_in_staff(page, live_server, coordinator)
    expect(page.locator("main")).to_contain_text("1 open follow-up.")
    axe_check(page)
    page.get_by_role("link", name="All follow-ups").click()
    page.get_by_role("link", name="Ove").click()
    expect(page.locator("main")).to_contain_text("Grät i slutrundan.")
    axe_check(page)
    page.get_by_label("Individual talk held").check()
    page.get_by_label("Note (optional)").fill("Vi pratade i telefon.")
    page.get_by_role("button", name="Close the follow-up").click()
    expect_message(page, "The follow-up is closed.")
    axe_check(page)
    with scopes_disabled():
        follow_up = FollowUp.objects.get()
        assert (follow_up.outcome, follow_up.closed_by) == ("talk_held", coordinator)
        assert follow_up.flagged_by == leader


def test_the_coordinator_reads_the_figures_as_chart_and_table(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    coordinator = make_staff("selma@aby.example", organisation, {Role.COORDINATOR})
    with scopes_disabled():
        for number in range(7):
            make_registration(organisation, display_name=f"Person {number}")
        make_registration(organisation, display_name="Ensam", condition="addiction")

    use_english(page, live_server)
    sign_in_staff(page, live_server, coordinator)
    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Figures")
    reached = page.get_by_role("table", name=re.compile("Relatives reached"))
    expect(reached.get_by_role("row", name=re.compile("^All"))).to_contain_text("8")
    expect(reached.get_by_role("row", name=re.compile("^Addiction"))).to_contain_text("hidden")
    expect(reached.get_by_role("row", name=re.compile("^Dementia"))).to_contain_text("hidden")
    expect(page.get_by_role("img", name=re.compile("Chart: Relatives reached"))).to_be_visible()
    axe_check(page)
    page.get_by_label("Broken down by").select_option(label="Quarter")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name=re.compile("by quarter"))).to_have_count(8)
    assert "Ensam" not in page.content()
    axe_check(page)
