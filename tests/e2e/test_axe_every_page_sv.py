"""axe on every page of the product, in Swedish, as the role that can see it.

The list of pages is not written here: it comes from the permission table (the rows in
``tests/test_permissions.py`` and ``tests/<app>/permission_rows.py``, which a test keeps in
step with the URL resolver), in the same world of personas and objects (``tests/world.py``)
with a few more people on the waiting list, plus the page for an address that does not exist.
Every GET row is opened by each persona the table lets in (200); a row nobody may open is
opened once by the first persona who is shown a page of its own (the used-up link, the video
room that is not open yet, the "no access" page). Downloads (PDF, DOCX, CSV, JSON, calendar)
are not pages and are left out. Public and relatives' pages are opened on a 390 px phone,
staff pages on a desktop; each persona keeps one browser context for all its pages. Every
serious or critical axe violation, every page not in Swedish, every page that scrolls
sideways and every page that answers with another status than the table says is collected,
and the test fails once with the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.conftest import sign_in_relative, sign_in_staff
from tests.e2e.conftest import (
    BLOCKING_IMPACTS,
    DESKTOP,
    PHONE,
    PageFactory,
    has_no_horizontal_scroll,
)
from tests.e2e.journeys import PATIENCE_MS
from tests.groups.factories import make_ready
from tests.permission_table import PERSONAS, Row
from tests.world import TABLE

LANGUAGE = "sv"
# Files, feeds and data, not pages: a browser downloads them.
NOT_PAGES = (".pdf", ".docx", ".csv", ".json", ".ics")
# The other organisation's staff are let in only where every staff member is (their own
# account pages, the network list); A's staff open those pages already.
SKIPPED_PERSONAS = frozenset({"other_org"})
PHONE_PERSONAS = frozenset({"anonymous", "relative"})
WAITING = ("Ann", "Bertil", "Cecilia")


@dataclass(frozen=True)
class Visit:
    route: str
    persona: str
    path: str
    status: int


def visits(world: dict[str, Any]) -> list[Visit]:
    """Every page of the permission table, once for each persona that may open it."""
    found = [Visit("(no such address)", "anonymous", "/finns-inte/", 404)]
    seen: set[tuple[str, str]] = set()
    for row in TABLE:
        if row.method != "GET":
            continue
        path = reverse(row.route, kwargs=row.kwargs(world))
        if path.endswith(NOT_PAGES):
            continue
        for persona, status in _who_opens(row):
            if (path, persona) not in seen:
                seen.add((path, persona))
                found.append(Visit(row.route, persona, path, status))
    return found


def _who_opens(row: Row) -> list[tuple[str, int]]:
    allowed = [
        (persona, status)
        for persona, status in zip(PERSONAS, row.expected, strict=True)
        if status == 200 and persona not in SKIPPED_PERSONAS
    ]
    if any(persona == "anonymous" for persona, _status in allowed):
        return [("anonymous", 200)]  # a public page looks the same to everyone
    if allowed:
        return allowed
    # Nobody gets the page itself: the first persona shown a page of its own (not a
    # redirect, not the plain "no access" page) sees what everyone would.
    for persona, status in zip(PERSONAS, row.expected, strict=True):
        if status in (404, 410) or (status == 403 and persona == "relative"):
            return [(persona, status)]
    return []


def signed_in_page(
    make_page: PageFactory, live_server: LiveServer, persona: str, world: dict[str, Any]
) -> Page:
    """A browser context of the persona, signed in through its session cookie, in Swedish."""
    if persona in PHONE_PERSONAS:
        page = make_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    else:
        page = make_page(DESKTOP)
    page.context.set_default_timeout(PATIENCE_MS)
    cookies: list[Any] = [
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": LANGUAGE, "url": live_server.url}
    ]
    if persona != "anonymous":
        user = world["users"][persona]
        client = Client()
        if persona == "relative":
            sign_in_relative(client, user)
        else:
            sign_in_staff(client, user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        )
    page.context.add_cookies(cookies)
    return page


def problems_on(page: Page, visit: Visit, axe: Axe, live_server: LiveServer) -> list[str]:
    where = f"{visit.path} as {visit.persona} ({visit.route})"
    response = page.goto(live_server.url + visit.path)
    if response is None or response.status != visit.status:
        got = response.status if response else "no answer"
        return [f"{where}: answered {got}, the permission table says {visit.status}."]
    if not response.headers.get("content-type", "").startswith("text/html"):
        # Data for a script (the live panel's state as JSON), not a page a person reads.
        return []
    problems = []
    language = page.evaluate("document.documentElement.lang")
    if language != LANGUAGE:
        problems.append(f"{where}: the page says lang={language!r}, not {LANGUAGE!r}.")
    if not has_no_horizontal_scroll(page):
        width = page.viewport_size["width"] if page.viewport_size else 0
        problems.append(f"{where}: scrolls sideways at {width} px.")
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = "; ".join(
            " >>> ".join(node["target"]) if isinstance(node["target"], list) else node["target"]
            for node in violation["nodes"]
        )
        problems.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n      at {targets}"
        )
    return problems


def test_every_page_in_swedish_has_no_serious_axe_violations(
    make_page: PageFactory, live_server: LiveServer, world: dict[str, Any]
) -> None:
    with scopes_disabled():
        # A few people ready for a group, so the waiting list and its tables have rows.
        for name in WAITING:
            make_ready(world["org_a"], name, offer=world["offer"])
    planned = visits(world)
    routes = {visit.route for visit in planned}
    # The table's GET pages that are real pages: if a row is lost, so is its axe check.
    assert len(routes) > 60, f"Only {len(routes)} pages were found in the permission table."
    assert {visit.persona for visit in planned} == set(PERSONAS) - SKIPPED_PERSONAS

    axe = Axe()
    pages: dict[str, Page] = {}
    problems: list[str] = []
    for visit in planned:
        if visit.persona not in pages:
            pages[visit.persona] = signed_in_page(make_page, live_server, visit.persona, world)
        problems.extend(problems_on(pages[visit.persona], visit, axe, live_server))
    assert not problems, (
        f"{len(problems)} problem(s) on {len(planned)} pages in Swedish:\n" + "\n".join(problems)
    )
