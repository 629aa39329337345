"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Every test here is marked ``e2e``. One browser is shared by the whole session; each test gets
its own browser context (cookies, storage) through ``desktop_page``, ``phone_page`` or
``make_page``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from tests.care.year_of_work import year_of_work  # noqa: F401 (a fixture)

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "sv-SE"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
E2E_DIR = Path(__file__).resolve().parent

PageFactory = Callable[..., Page]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)
    # Playwright's sync API leaves its event loop running in the main thread for the rest of
    # the session; asyncio tests (the live panel's WebSocket) cannot run after it. So the
    # browser tests run last (a stable sort keeps every other order as collected).
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("KRETSEN_E2E_REQUIRED") == "1":
            pytest.fail(f"Debian chromium is required for the browser tests, at {CHROMIUM}.")
        pytest.skip(f"The browser tests need Debian chromium; {CHROMIUM}: chromium not installed.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def make_page(browser: Browser) -> Iterator[PageFactory]:
    """Open a page in a fresh browser context; every context is closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: ViewportSize | None = None, **options: Any) -> Page:
        context = browser.new_context(viewport=viewport or DESKTOP, locale=LOCALE, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def desktop_page(make_page: PageFactory) -> Page:
    return make_page(DESKTOP)


@pytest.fixture
def phone_page(make_page: PageFactory) -> Page:
    return make_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def axe_check(page: Page) -> None:
    """Fail with a readable list of every serious or critical axe violation on ``page``."""
    results = Axe().run(page)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]
    if not blocking:
        return
    lines = [f"axe found {len(blocking)} serious or critical violation(s) on {page.url}:"]
    for violation in blocking:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            targets = ", ".join(_selector(target) for target in node["target"])
            lines.append(f"    at {targets}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + " ".join(summary.split()))
    pytest.fail("\n".join(lines), pytrace=False)


def has_no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _selector(target: str | list[str]) -> str:
    # axe gives a list of selectors for an element inside a shadow root or a frame.
    return " >>> ".join(target) if isinstance(target, list) else target
