"""Reaching relatives and taking them in, through a real browser.

A relative finds a digital offer in the public directory on a phone and registers discreetly;
a coordinator takes a registration through the contact log and the intake conversation to the
waiting list. The pages are Swedish by default, so the tests assert on URLs, input names, data
in the database and titles they created themselves, never on translated words.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import Condition, Format, Relation, to_mask
from kretsen.directory.models import Offer
from kretsen.intake.models import Registration, Status
from tests.conftest import (
    PASSWORD,
    current_code,
    make_offer,
    make_org,
    make_registration,
    make_staff,
)
from tests.e2e.conftest import axe_check, has_no_horizontal_scroll

STAFF_SIGN_IN = "/staff/account/sign-in/"
STAFF_VERIFY = "/staff/account/verify/"
SUBMIT = "main form button[type=submit]"
DIRECTORY_SUBMIT = "main form.directory-filters button[type=submit]"
INTEREST_SUBMIT = "main form.interest-form button[type=submit]"
INTAKE_SUBMIT = "main form.intake-form button[type=submit]"
CONTACT_SUBMIT = "main form[action$='/contact/'] button[type=submit]"

IN_PERSON_TITLE = "Träffpunkt för anhöriga till personer med demens"
DIGITAL_TITLE = "Digital samtalsgrupp för föräldrar"
DRAFT_TITLE = "Utkast: digital grupp som inte är klar"
ARCHIVED_TITLE = "Arkiverad digital grupp från i fjol"
WISH = "Jag orkar inte längre och behöver någon att prata med."


def make_offers(organisation: Organisation) -> dict[str, Offer]:
    """One in-person dementia offer, one digital offer for parents, and two hidden ones."""
    digital: dict[str, object] = {
        "relations": to_mask([Relation.PARENT], Relation),
        "conditions": to_mask([Condition.MENTAL_ILLNESS], Condition),
        "format": Format.DIGITAL,
        "address": "",
    }
    return {
        "in_person": make_offer(organisation, title_sv=IN_PERSON_TITLE, title_en=""),
        "digital": make_offer(organisation, title_sv=DIGITAL_TITLE, title_en="", **digital),
        # Hidden offers match the same filter, so their absence proves the state is checked.
        "draft": make_offer(
            organisation, title_sv=DRAFT_TITLE, title_en="", state=Offer.State.DRAFT, **digital
        ),
        "archived": make_offer(
            organisation,
            title_sv=ARCHIVED_TITLE,
            title_en="",
            state=Offer.State.ARCHIVED,
            **digital,
        ),
    }


def listed_titles(page: Page) -> list[str]:
    return [title.strip() for title in page.locator("main article.offer-card h3").all_inner_texts()]


def sign_in_staff(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(live_server.url + STAFF_SIGN_IN)
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(re.escape(STAFF_VERIFY)))
    page.locator("input[name=token]").fill(current_code(user))
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/staff/[^/]+/$"))


def raw_wish_values() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wish FROM intake_registration")
        rows = cursor.fetchall()
    return [
        bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
        for (value,) in rows
    ]


def status_label(status: str) -> str:
    """The status as the Swedish pages show it, from the catalogue, whatever it says today."""
    with translation.override("sv"):
        return str(Status(status).label)


def test_it_lets_a_relative_find_a_digital_offer_and_register_discreetly(
    phone_page: Page, live_server: LiveServer
) -> None:
    page = phone_page
    organisation = make_org("aby", "Åby kommun")
    offers = make_offers(organisation)
    digital = offers["digital"]

    page.goto(live_server.url + "/offers/")
    axe_check(page)
    assert has_no_horizontal_scroll(page)
    assert sorted(listed_titles(page)) == sorted([IN_PERSON_TITLE, DIGITAL_TITLE])

    page.locator("select[name=condition]").select_option(Condition.MENTAL_ILLNESS.value)
    page.locator("select[name=format]").select_option(Format.DIGITAL.value)
    with page.expect_navigation():
        page.locator(DIRECTORY_SUBMIT).click()

    url = urlsplit(page.url)
    assert url.path == "/offers/"
    assert "condition=mental_illness" in url.query
    assert "format=digital" in url.query
    assert listed_titles(page) == [DIGITAL_TITLE]
    for hidden in (IN_PERSON_TITLE, DRAFT_TITLE, ARCHIVED_TITLE):
        expect(page.get_by_text(hidden)).to_have_count(0)
    # The chosen filters stay chosen on the result page.
    expect(page.locator("select[name=condition]")).to_have_value(Condition.MENTAL_ILLNESS.value)
    expect(page.locator("select[name=format]")).to_have_value(Format.DIGITAL.value)
    assert has_no_horizontal_scroll(page)

    page.locator("main article.offer-card h3 a", has_text=DIGITAL_TITLE).click()
    page.wait_for_url(f"{live_server.url}/offers/{digital.public_id}/")
    axe_check(page)
    expect(page.locator("main h1")).to_have_text(DIGITAL_TITLE)
    assert has_no_horizontal_scroll(page)

    page.locator('main a[href$="/interest/"]').first.click()
    page.wait_for_url(f"{live_server.url}/offers/{digital.public_id}/interest/")
    axe_check(page)
    assert has_no_horizontal_scroll(page)
    form = page.locator("main form.interest-form")
    # The offer the relative came from is already chosen; the honeypot stays empty.
    expect(form.locator("select[name=offer]")).to_have_value(str(digital.public_id))
    expect(form.locator("input[name=website]")).to_have_value("")
    expect(form.locator("input[name=submission_key]")).to_have_count(1)

    form.locator("input[name=display_name]").fill("Maja")
    form.locator("input[name=phone]").fill("070-123 45 67")
    form.locator("input[name=contact_by_phone]").check()
    form.locator("input[name=contact_by_sms]").check()
    form.locator("input[name=no_messages]").check()
    form.locator("input[name=no_topic]").check()
    form.locator("input[name=relation][value=parent]").check()
    form.locator("input[name=condition][value=mental_illness]").check()
    form.locator("textarea[name=wish]").fill(WISH)
    form.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.locator(INTEREST_SUBMIT).click()

    assert urlsplit(page.url).path == f"/o/{organisation.slug}/interest/received/"
    expect(page.locator("main h1")).to_have_count(1)
    axe_check(page)
    assert has_no_horizontal_scroll(page)

    with scopes_disabled():
        assert Registration.objects.count() == 1
        registration = Registration.objects.get()
        assert registration.organisation_id == organisation.pk
        assert registration.offer_id == digital.pk
        assert registration.display_name == "Maja"
        assert registration.phone == "+46701234567"
        assert registration.contact_by_phone is True
        assert registration.contact_by_sms is True
        assert registration.contact_by_email is False
        assert registration.no_messages is True
        assert registration.no_topic is True
        assert registration.relation == Relation.PARENT
        assert registration.condition == Condition.MENTAL_ILLNESS
        assert registration.wish == WISH
        assert registration.status == Status.NEW

    stored = raw_wish_values()
    assert len(stored) == 1
    assert stored[0]
    assert "orkar inte" not in stored[0]
    assert WISH not in stored[0]


def test_it_lets_a_coordinator_take_the_registration_to_the_waiting_list(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    coordinator = make_staff("coordinator@aby.example", organisation, {Role.COORDINATOR})
    with scopes_disabled():
        registration = make_registration(
            organisation, no_messages=True, no_topic=True, display_name="Eva"
        )
    record = f"/staff/{organisation.slug}/registrations/{registration.public_id}/"

    sign_in_staff(page, live_server, coordinator)
    page.goto(f"{live_server.url}/staff/{organisation.slug}/registrations/")
    axe_check(page)
    row = page.locator("main table tbody tr", has_text="Eva")
    expect(row).to_have_count(1)
    expect(row.locator("span.tag-discreet")).to_be_visible()

    row.locator(f'a[href="{record}"]').click()
    page.wait_for_url(live_server.url + record)
    axe_check(page)
    expect(page.locator("main h1")).to_have_text("Eva")
    expect(page.locator("main .discreet-banner")).to_be_visible()
    expect(page.locator("main .discreet-banner li")).to_have_count(2)

    page.locator("select[name=channel]").select_option("phone")
    page.locator("select[name=outcome]").select_option("reached")
    with page.expect_navigation():
        page.locator(CONTACT_SUBMIT).click()
    assert urlsplit(page.url).path == record
    expect(page.locator("main ul.log li")).to_have_count(1)
    expect(page.locator("main p.lead")).to_contain_text(status_label(Status.CONTACTED))

    page.locator(f'main a[href="{record}intake/"]').click()
    page.wait_for_url(f"{live_server.url}{record}intake/")
    axe_check(page)
    expect(page.locator("main .discreet-banner")).to_be_visible()
    form = page.locator("main form.intake-form")
    expect(form.locator("input[name=availability]")).to_have_count(21)

    form.locator("input[name=languages][value=sv]").check()
    form.locator(f"input[name=format_preference][value={Format.BOTH.value}]").check()
    form.locator("input[name=availability][value='1-2']").check()
    form.locator("input[name=availability][value='3-2']").check()
    form.locator("input[name=group_preference][value=similar]").check()
    form.locator("input[name=readiness][value=ready]").check()
    form.locator("select[name=next_status]").select_option(Status.WAITING_LIST.value)
    with page.expect_navigation():
        page.locator(INTAKE_SUBMIT).click()

    assert urlsplit(page.url).path == record
    expect(page.locator("main h1")).to_have_text("Eva")
    expect(page.locator("main p.lead")).to_contain_text(status_label(Status.WAITING_LIST))
    # From the waiting list the record can move on, but not to the waiting list again.
    expect(page.locator("select[name=status] option[value=waiting_list]")).to_have_count(0)
    expect(page.locator("select[name=status] option[value=individual_support]")).to_have_count(1)

    page.goto(f"{live_server.url}/staff/{organisation.slug}/waiting-list/")
    axe_check(page)
    waiting = page.locator("main table tbody tr", has_text="Eva")
    expect(waiting).to_have_count(1)
    expect(waiting.locator(f'a[href="{record}"]')).to_have_count(1)

    with scopes_disabled():
        registration.refresh_from_db()
        assert registration.status == Status.WAITING_LIST
        assert registration.waiting_since == timezone.localdate()
        assert registration.format_preference == Format.BOTH
        assert registration.contact_attempts.count() == 1
        intake = registration.intake
        assert intake.readiness == "ready"
        assert intake.group_preference == "similar"
        assert intake.is_available(1, 2)
        assert intake.is_available(3, 2)
        assert not intake.is_available(0, 0)
        assert intake.held_by_id == coordinator.pk
    events = AuditEvent.writer.filter(object_id=str(registration.public_id))
    assert events.filter(action="intake.registration.viewed").exists()
    changes = events.filter(action="intake.registration.status_changed")
    assert changes.exists()
    assert {"from": Status.INTAKE_DONE.value, "to": Status.WAITING_LIST.value} in [
        change.data for change in changes
    ]


PHONE_PAGES = ["directory", "offer", "interest", "organisation"]


@pytest.mark.parametrize("which", PHONE_PAGES)
def test_the_new_pages_have_no_serious_axe_violations_on_a_phone(
    phone_page: Page, live_server: LiveServer, which: str
) -> None:
    page = phone_page
    organisation = make_org("aby", "Åby kommun")
    digital = make_offers(organisation)["digital"]
    paths = {
        "directory": "/offers/",
        "offer": f"/offers/{digital.public_id}/",
        "interest": f"/offers/{digital.public_id}/interest/",
        "organisation": f"/o/{organisation.slug}/",
    }

    response = page.goto(live_server.url + paths[which])
    assert response is not None
    assert response.status == 200
    expect(page.locator("main h1")).to_have_count(1)
    axe_check(page)
    assert has_no_horizontal_scroll(page)
