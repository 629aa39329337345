"""Retention through a real browser (decision 0085): a relative in Norwegian on a 360 px
phone sees when each thing goes, withdraws, and is gone after the next day's run; an admin
in Swedish sees what the next runs remove. axe checks every page on the way."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.mail import EmailMessage
from django.utils import dateformat, timezone, translation
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.care.services import retention
from kretsen.core.models import User
from kretsen.core.roles import Role
from kretsen.groups.models import Group
from kretsen.intake.models import Registration, Status
from tests.conftest import make_offer, make_org, make_registration, make_staff
from tests.e2e.conftest import PageFactory, axe_check
from tests.e2e.test_groups import check_phone_page, sign_in_relative, sign_in_staff
from tests.groups.factories import make_group, make_member
from tests.words import SWEDISH_MONTHS

NARROW = {"width": 360, "height": 780}


def _day(value: date, language: str) -> str:
    """A date as a Norwegian ("14. februar 2027") or a Swede ("14 februari 2027") writes it."""
    with translation.override(language):
        return dateformat.format(value, "j. F Y" if language == "nb" else "j F Y")


def test_a_relative_sees_when_data_goes_and_withdraws_in_norwegian(
    make_page: PageFactory, live_server: LiveServer, mailoutbox: list[EmailMessage]
) -> None:
    page: Page = make_page(NARROW, is_mobile=True, has_touch=True)
    page.context.add_cookies([{"name": "kretsen_language", "value": "nb", "url": live_server.url}])
    organisation = make_org("bygd", "Bygda kommune", country="NO", default_language="nb")
    leader = make_staff("lise@bygd.example", organisation, {Role.LEADER})
    relative = User.objects.create_relative("kari@example.org", display_name="Kari")
    with scopes_disabled():
        group = make_group(organisation, make_offer(organisation), [leader], name="Tirsdagsgruppa")
        registration = make_registration(
            organisation,
            display_name="Kari",
            status=Status.IN_GROUP,
            user=relative,
            email=relative.email,
            contact_by_email=True,
        )
        make_member(group, registration)
        Group.objects.filter(pk=group.pk).update(
            state=Group.State.ENDED, state_changed_at=timezone.now() - timedelta(days=20)
        )
    goes = timezone.localdate() - timedelta(days=20) + timedelta(days=organisation.retention_days)

    sign_in_relative(page, live_server, relative.email, mailoutbox)
    page.goto(live_server.url + "/me/data/")
    section = page.locator("section", has_text="Når opplysningene dine slettes")
    expect(section).to_contain_text("Tirsdagsgruppa: plassen din")
    expect(section).to_contain_text(f"slettes {_day(goes, 'nb')}")
    check_phone_page(page)

    page.get_by_role("link", name="Meld deg av").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    expect(page.locator("main")).to_contain_text(f"slettes dagen etter, {_day(tomorrow, 'nb')}")
    check_phone_page(page)
    page.get_by_role("button", name="Ja, meld meg av").click()
    page.wait_for_url(f"{live_server.url}/me/data/")
    expect(page.locator("main")).to_contain_text(
        f"Opplysningene dine slettes {_day(tomorrow, 'nb')}."
    )
    check_phone_page(page)

    assert retention.apply()["withdrawn"] == 0  # not before its day
    retention.apply(timezone.now() + timedelta(days=2))
    with scopes_disabled():
        assert not User.objects.filter(pk=relative.pk).exists()
        assert Registration.objects.get(pk=registration.pk).display_name == retention.ANONYMISED
    page.goto(live_server.url + "/me/data/")
    assert "Kari" not in page.content()


def test_an_admin_sees_what_the_next_runs_delete_in_swedish(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    admin = make_staff("admin@aby.example", organisation, {Role.ADMIN})
    with scopes_disabled():
        group = make_group(organisation, make_offer(organisation), [admin])
        for name in ("Anna", "Bo"):
            make_member(group, make_registration(organisation, display_name=name))
        Group.objects.filter(pk=group.pk).update(
            state=Group.State.ENDED,
            state_changed_at=timezone.now() - timedelta(days=organisation.retention_days - 5),
        )
    sign_in_staff(page, live_server, admin)
    expect(page.locator("main")).to_contain_text(
        "Deltagarnas uppgifter raderas 90 dagar efter att gruppen har avslutats"
    )
    axe_check(page)
    page.get_by_role("link", name="Vad nästa körningar raderar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Radering av personuppgifter")
    rule = page.locator("dt", has_text="Deltagare i grupper som har avslutats")
    row = rule.locator("xpath=following-sibling::dd[1]")
    goes = timezone.localdate() + timedelta(days=5)
    expect(row).to_contain_text(f"{goes.day} {SWEDISH_MONTHS[goes.month - 1]}: 2")
    assert "Anna" not in page.content()
    axe_check(page)
