"""Language choice, axe checks on the public pages, and reflow at 200 % zoom."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import DESKTOP, PHONE, PageFactory, axe_check, has_no_horizontal_scroll

PUBLIC_PAGES = ["/", "/sign-in/", "/staff/account/sign-in/", "/staff/account/password-reset/"]
ZOOMED: ViewportSize = {"width": DESKTOP["width"] // 2, "height": DESKTOP["height"] // 2}


def html_lang(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def test_it_switches_the_page_to_norwegian(desktop_page: Page, live_server: LiveServer) -> None:
    page = desktop_page
    page.goto(live_server.url + "/")
    assert html_lang(page) == "sv"

    with page.expect_navigation():
        page.locator("form.language-switch button[value=nb]").click()

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("form.language-switch button[value=nb]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("form.language-switch button[value=sv]")).to_have_attribute(
        "aria-pressed", "false"
    )

    page.goto(live_server.url + "/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_start_and_sign_in_pages_have_no_serious_axe_violations(
    make_page: PageFactory, live_server: LiveServer, path: str, device: str
) -> None:
    if device == "phone":
        page = make_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    else:
        page = make_page(DESKTOP)
    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == 200
    axe_check(page)


@pytest.mark.parametrize("path", ["/", "/staff/account/sign-in/"])
def test_it_keeps_working_at_200_percent_zoom(
    make_page: PageFactory, live_server: LiveServer, path: str
) -> None:
    page = make_page(ZOOMED)
    page.goto(live_server.url + path)
    assert has_no_horizontal_scroll(page)

    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_have_count(1)
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).not_to_be_in_viewport()

    # No field takes the focus on load, so the first Tab lands on the skip link.
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport(ratio=1)

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert has_no_horizontal_scroll(page)
