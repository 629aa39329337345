"""The learning network in a real browser: a local leader documents a meeting with two quotes
and submits; the network coordinator starts compiling, creates a theme, puts both quotes under
it and downloads the report. Pages are Swedish by default, so the test asserts on URLs, input
names, the database and its own texts."""

from __future__ import annotations

import io
import re
from pathlib import Path

from django_scopes import scopes_disabled
from docx import Document
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from kretsen.core.models import User
from kretsen.core.roles import Role
from kretsen.network.models import Network, NetworkMembership, QuoteUse, Submission, Theme
from tests.conftest import PASSWORD, current_code, make_org, make_staff
from tests.e2e.conftest import PageFactory, axe_check
from tests.network.conftest import make_local, make_round

SUBMIT = "main form button[type=submit]"
FIRST_QUOTE = "Här kan jag säga att jag är arg, utan att skämmas."
SECOND_QUOTE = "Vi i personalen har lärt oss att fråga anhöriga först."
THEME = "Att få vara arg"


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(live_server.url + "/staff/account/sign-in/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/staff/account/verify/"))
    page.locator("input[name=token]").fill(current_code(user))
    page.locator(SUBMIT).click()
    page.wait_for_url(lambda url: "/account/" not in url)


def test_a_local_leader_documents_and_the_coordinator_compiles_and_exports(
    make_page: PageFactory, live_server: LiveServer, tmp_path: Path
) -> None:
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("ledare@aby.example", organisation, {Role.LEADER})
    network = Network.objects.create(name="Lärande nätverket", purpose="Vi lär av varandra.")
    coordinator = make_staff("natverk@example.org", None, set())
    NetworkMembership.objects.create(
        network=network, user=coordinator, role=Role.NETWORK_COORDINATOR.value
    )
    local = make_local(network, organisation, leader, "Åby")
    the_round = make_round(network, questions=1)
    with scopes_disabled():
        question = the_round.questions.get()

    # The local leader documents the meeting.
    page = make_page()
    sign_in(page, live_server, leader)
    page.goto(f"{live_server.url}/network/mine/")
    page.locator(f"a[href*='{local.public_id}']").click()
    page.locator(f"a[href*='/rounds/{the_round.public_id}/']").first.click()
    page.locator(f"a[href*='/questions/{question.public_id}/']").click()
    axe_check(page)
    page.locator("textarea[name=discussion]").fill("Vi pratade om ilska och om att be om hjälp.")
    page.locator("select[name=quotes-0-role]").select_option("relative")
    page.locator("textarea[name=quotes-0-text]").fill(FIRST_QUOTE)
    page.locator("select[name=quotes-1-role]").select_option("staff")
    page.locator("textarea[name=quotes-1-text]").fill(SECOND_QUOTE)
    with page.expect_navigation():
        page.locator("main form.answer-form button[type=submit]").click()
    assert page.locator("textarea[name=quotes-1-text]").input_value() == SECOND_QUOTE
    page.goto(
        f"{live_server.url}/network/{network.public_id}/local/{local.public_id}"
        f"/rounds/{the_round.public_id}/"
    )
    axe_check(page)
    with page.expect_navigation():
        page.locator("main form[action$='/submit/'] button[type=submit]").click()
    with scopes_disabled():
        assert Submission.objects.get().is_submitted

    # The network coordinator compiles.
    page = make_page()
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/network/{network.public_id}/rounds/{the_round.public_id}/")
    axe_check(page)
    with page.expect_navigation():
        page.locator("main form[action$='/start/'] button[type=submit]").click()
    page.locator(f"a[href$='/questions/{question.public_id}/']").click()
    page.locator("form.new-theme-form input[name=title]").fill(THEME)
    with page.expect_navigation():
        page.locator("form.new-theme-form button[type=submit]").click()
    with scopes_disabled():
        theme = Theme.objects.get()
        quotes = list(question.answers.get().quotes.all())
    for quote in quotes:
        form = page.locator(f"#quote-{quote.public_id} form.assign-form")
        form.locator("select").select_option(str(theme.public_id))
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    axe_check(page)
    with scopes_disabled():
        assert QuoteUse.objects.filter(theme=theme).count() == 2

    page.goto(f"{live_server.url}/network/{network.public_id}/rounds/{the_round.public_id}/")
    with page.expect_download() as download_info:
        page.locator("main a[href$='report.docx']").click()
    target = tmp_path / "report.docx"
    download_info.value.save_as(target)
    document = Document(io.BytesIO(target.read_bytes()))
    headings = [p.text for p in document.paragraphs if getattr(p.style, "name", "") == "Heading 2"]
    assert headings == [THEME]
    italic = [run.text for p in document.paragraphs for run in p.runs if run.italic]
    assert FIRST_QUOTE in italic
    assert SECOND_QUOTE in italic
