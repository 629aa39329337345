"""What the browser tests share: signing in as staff or relative, the English cookie, and the
checks every phone page gets. Test modules import these from here, never from each other."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.models import User
from tests.conftest import PASSWORD, current_code
from tests.e2e.conftest import axe_check, has_no_horizontal_scroll

STAFF_SIGN_IN = "/staff/account/sign-in/"
STAFF_VERIFY = "/staff/account/verify/"
SUBMIT = "main form button[type=submit]"
LINK = re.compile(r"http.*?/sign-in/link/[^/\s]+/")


def field(label: str) -> re.Pattern[str]:
    """A field's whole label, with or without a trailing colon."""
    return re.compile(rf"^{re.escape(label)}:?$")


def use_english(page: Page, live_server: LiveServer) -> None:
    """Choose English for the whole browser context, as the language switcher does."""
    page.context.add_cookies([{"name": "kretsen_language", "value": "en", "url": live_server.url}])


def sign_in_staff(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(live_server.url + STAFF_SIGN_IN)
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(re.escape(STAFF_VERIFY)))
    page.locator("input[name=token]").fill(current_code(user))
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/staff/[^/]+/$"))


def sign_in_relative(
    page: Page, live_server: LiveServer, email: str, mailoutbox: list[EmailMessage]
) -> None:
    """The relative asks for a sign-in link, opens it from the mail and confirms."""
    page.goto(live_server.url + "/sign-in/")
    page.locator("input[name=email]").fill(email)
    page.locator(SUBMIT).click()
    page.wait_for_url(f"{live_server.url}/sign-in/sent/")
    assert mailoutbox, "No sign-in mail was sent."
    match = LINK.search(str(mailoutbox[-1].body))
    assert match is not None, f"No sign-in link in the mail:\n{mailoutbox[-1].body}"
    page.goto(live_server.url + urlsplit(match.group(0)).path)
    page.locator(SUBMIT).click()
    page.wait_for_url(f"{live_server.url}/me/")


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("main .messages")).to_contain_text(text)


def check_phone_page(page: Page) -> None:
    axe_check(page)
    assert has_no_horizontal_scroll(page), f"{page.url} scrolls sideways at 390 px."
