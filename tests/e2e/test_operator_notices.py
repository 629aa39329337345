"""The platform operator's page of messages that could not be sent, in a real browser in
Swedish: it lists the failed message without its recipient, passes axe, and "Skicka igen"
puts the message back in the queue (decision 0114)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.models import User
from kretsen.core.roles import Role
from kretsen.groups.models import Notice
from tests.conftest import make_offer, make_org, make_registration, make_staff, sign_in_staff
from tests.e2e.conftest import axe_check, has_no_horizontal_scroll
from tests.e2e.journeys import PATIENCE_MS
from tests.groups.factories import make_group, make_member


def test_the_operator_sends_a_failed_message_again(
    desktop_page: Page, live_server: LiveServer
) -> None:
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("lena@aby.example", organisation, {Role.LEADER})
    with scopes_disabled():
        group = make_group(organisation, make_offer(organisation), [leader])
        registration = make_registration(
            organisation, display_name="Kanarie", email="kanarie@example.org"
        )
        member = make_member(group, registration)
        notice = Notice.objects.create(
            organisation=organisation,
            key="invitation:failed",
            kind=Notice.Kind.INVITATION,
            channel=Notice.Channel.EMAIL,
            member=member,
            state=Notice.State.FAILED,
            attempts=5,
            error="SMTPRecipientsRefused",
        )
    operator = User.objects.create_superuser("ops@kretsen.example", "ops@kretsen.example", "x")
    TOTPDevice.objects.create(user=operator, name="operator", confirmed=True)
    session = sign_in_staff(Client(), operator).cookies[settings.SESSION_COOKIE_NAME].value
    page = desktop_page
    page.context.set_default_timeout(PATIENCE_MS)
    page.context.set_default_navigation_timeout(PATIENCE_MS)
    page.context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "sv", "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
        ]
    )

    page.goto(live_server.url + "/operator/notices/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Meddelanden som behöver driftansvarig"
    )
    row = page.get_by_role("row").filter(has_text="Åby kommun")
    expect(row).to_contain_text("SMTPRecipientsRefused")
    expect(page.locator("main")).not_to_contain_text("Kanarie")
    expect(page.locator("main")).not_to_contain_text("kanarie@example.org")
    assert has_no_horizontal_scroll(page)
    axe_check(page)

    row.get_by_role("button", name="Skicka igen").click()
    expect(page.get_by_text("Meddelandet skickas igen inom en minut.")).to_be_visible()
    expect(page.get_by_text("Alla meddelanden är skickade eller på väg.")).to_be_visible()
    axe_check(page)
    with scopes_disabled():
        notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("pending", 0)
