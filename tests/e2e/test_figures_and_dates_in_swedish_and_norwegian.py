"""The figures page and meeting planning, read in Swedish and Norwegian in a real browser.

The charts must be drawn in sv and nb (a decimal comma in an SVG coordinate once left them
blank), at 360 px and on a desktop; planning a series over Christmas shows and skips the
holidays. axe checks every page.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.models import Organisation, User
from kretsen.groups.models import Meeting
from tests.care.year_of_work import YEAR
from tests.conftest import make_offer
from tests.e2e.conftest import DESKTOP, axe_check, has_no_horizontal_scroll
from tests.e2e.helpers import sign_in_staff
from tests.groups.factories import make_group

PHONE_360: ViewportSize = {"width": 360, "height": 780}

# Every coordinate of every chart, as the browser parsed it: the attribute as written, and
# the length the browser computed for it (NaN or 0 where it could not read the number).
READ_CHARTS = """
() => [...document.querySelectorAll('svg.bar-chart')].map(svg => ({
  title: svg.querySelector('title').textContent,
  box: svg.getAttribute('viewBox'),
  width: svg.getBoundingClientRect().width,
  bars: [...svg.querySelectorAll('rect.bar')].map(r => ({
    x: r.getAttribute('x'), width: r.getAttribute('width'),
    drawn: r.x.baseVal.value + r.width.baseVal.value,
    box: r.getBBox().width,
  })),
  numbers: [...svg.querySelectorAll('[x],[y],[x1],[x2],[width]')].flatMap(e =>
    ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height']
      .filter(n => e.hasAttribute(n)).map(n => e.getAttribute(n))),
}))
"""
MACHINE_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _language(page: Page, live_server: LiveServer, language: str) -> None:
    page.context.add_cookies(
        [{"name": "kretsen_language", "value": language, "url": live_server.url}]
    )


def _check_charts(page: Page) -> None:
    charts = page.evaluate(READ_CHARTS)
    assert len(charts) == 8
    drawn = 0
    for chart in charts:
        assert chart["width"] > 0, chart["title"]
        for number in chart["numbers"] + chart["box"].split():
            assert MACHINE_NUMBER.match(number), (chart["title"], number)
        for bar in chart["bars"]:
            assert bar["box"] == pytest.approx(float(bar["width"]), abs=0.01)
            drawn += 1 if bar["box"] > 0 else 0
    assert drawn >= 5  # the figures about five or more people are drawn as bars


@pytest.mark.parametrize(
    ("language", "figures", "hidden"), [("sv", "Siffror", "dold"), ("nb", "Tall", "skjult")]
)
def test_the_figures_are_drawn_in_swedish_and_norwegian(
    desktop_page: Page,
    live_server: LiveServer,
    year_of_work: Organisation,
    coordinator_a: User,
    language: str,
    figures: str,
    hidden: str,
) -> None:
    page = desktop_page
    _language(page, live_server, language)
    sign_in_staff(page, live_server, coordinator_a)
    for viewport in (DESKTOP, PHONE_360):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/staff/{year_of_work.slug}/dashboard/?year={YEAR}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(figures)
        _check_charts(page)
        # 14 of 16 meetings attended: 87.5 %, rounded half up and written with a space.
        expect(page.locator("main")).to_contain_text("88\u00a0%")
        expect(page.locator("main")).to_contain_text(hidden)
        assert has_no_horizontal_scroll(page), f"{page.url} scrolls sideways at {viewport}"
        axe_check(page)


def test_a_swedish_coordinator_plans_a_series_over_christmas(
    desktop_page: Page, live_server: LiveServer, org_a: Organisation, coordinator_a: User
) -> None:
    page = desktop_page
    with scopes_disabled():
        group = make_group(org_a, make_offer(org_a), [coordinator_a], name="Lördagsgruppen")
    _language(page, live_server, "sv")
    sign_in_staff(page, live_server, coordinator_a)
    page.goto(f"{live_server.url}/staff/{org_a.slug}/groups/{group.public_id}/series/")
    page.get_by_label("Datum för första träffen").fill("2027-12-18")
    page.get_by_label("Börjar klockan").fill("18:00")
    page.get_by_label("Antal träffar").fill("4")
    expect(page.get_by_label("Hoppa över dem", exact=False)).to_be_checked()
    page.get_by_role("button", name="Visa datumen").click()
    plan = page.locator("#series-plan")
    expect(plan).to_contain_text("25 dec 2027 (Juldagen)")
    expect(plan).to_contain_text("1 jan 2028 (Nyårsdagen)")
    expect(plan.locator("ol > li")).to_have_count(4)
    axe_check(page)
    page.get_by_label("Behåll dem").check()
    page.get_by_role("button", name="Visa datumen").click()
    expect(plan.get_by_text("helgdag: Juldagen")).to_be_visible()
    page.get_by_label("Hoppa över dem", exact=False).check()
    page.get_by_role("button", name="Planera träffarna").click()
    expect(page.locator(".messages")).to_contain_text(
        "Hoppade över på grund av helgdagar: 25 dec 2027 (Juldagen), 1 jan 2028 (Nyårsdagen)."
    )
    axe_check(page)
    with scopes_disabled():
        days = sorted(m.starts_at.astimezone(org_a.zone).date() for m in Meeting.objects.all())
    assert days == [date(2027, 12, 18), date(2028, 1, 8), date(2028, 1, 15), date(2028, 1, 22)]
