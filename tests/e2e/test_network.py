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


RESPITE = [
    "Avlösning i hemmet gav flera några timmar av vila varje vecka.",
    "Korttidsboende och växelvård borde gå att få utan att kämpa med handläggaren.",
    "Dagverksamheten gör att man hinner handla och andas en stund.",
]
SECRECY = [
    "Tystnadsplikten måste sägas högt vid varje träff, inte bara första gången.",
    "Löftet att det som sägs stannar i rummet gör att man vågar berätta.",
    "Att skriva under löftet kändes som ett viktigt steg för gruppen.",
]


def test_the_compiler_sorts_with_the_keyboard_and_kretsen_sorts_the_rest(
    make_page: PageFactory, live_server: LiveServer
) -> None:
    from kretsen.network.models import Passage, SortProposal
    from tests.e2e.conftest import PHONE, has_no_horizontal_scroll
    from tests.network.conftest import document

    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("ledare@aby.example", organisation, {Role.LEADER})
    network = Network.objects.create(name="Lärande nätverket", purpose="Vi lär av varandra.")
    coordinator = make_staff("natverk@example.org", None, set())
    NetworkMembership.objects.create(
        network=network, user=coordinator, role=Role.NETWORK_COORDINATOR.value
    )
    local = make_local(network, organisation, leader, "Åby")
    the_round = make_round(network, questions=1)
    document(
        local, the_round, [("relative", FIRST_QUOTE)], discussion="\n\n".join(RESPITE + SECRECY)
    )
    with scopes_disabled():
        question = the_round.questions.get()
        the_round.state = the_round.State.COMPILING
        the_round.save()
        respite = Theme.objects.create(question=question, title="Avlösning", position=0)
        Theme.objects.create(question=question, title="Tystnadsplikt", position=1)

    page = make_page()
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/network/{network.public_id}/questions/{question.public_id}/")
    axe_check(page)
    items = page.locator("#material [data-item]")
    assert items.count() == 7
    first = items.nth(0)
    first_key = first.get_attribute("data-item") or ""
    first_text = first.locator("p").first.inner_text()
    # Keyboard: 1 puts the passage under the first theme and moves on; U undoes it.
    first.focus()
    first.press("1")
    page.wait_for_function(
        "key => document.getElementById('item-' + key).dataset.theme !== ''", arg=first_key
    )
    with scopes_disabled():
        assert Passage.objects.get(public_id=first_key[1:]).theme == respite
    assert (
        page.evaluate("document.activeElement.id")
        == f"item-{items.nth(1).get_attribute('data-item')}"
    )
    page.keyboard.press("u")
    page.wait_for_function(
        "key => document.getElementById('item-' + key).dataset.theme === ''", arg=first_key
    )
    with scopes_disabled():
        assert Passage.objects.get(public_id=first_key[1:]).theme is None
    assert first.locator("[data-theme-label]").inner_text() == "Inte sorterad"

    # One example per theme by keyboard, then Kretsen sorts the rest.
    def put(text: str, key: str) -> None:
        item = page.locator("#material [data-item]", has_text=text)
        item.focus()
        item.press(key)
        page.wait_for_function(
            "key => document.getElementById('item-' + key).dataset.theme !== ''",
            arg=item.get_attribute("data-item"),
        )

    put(RESPITE[0], "1")
    put(SECRECY[0], "2")
    page.reload()
    with page.expect_navigation():
        page.locator("#sorting form[action$='/propose/'] button").click()
    assert page.locator("#sorting .proposal").count() == 5
    with scopes_disabled():
        assert Passage.objects.filter(theme__isnull=False).count() == 2
        sure = SortProposal.objects.filter(is_sure=True).count()
    axe_check(page)
    if sure:
        with page.expect_navigation():
            page.locator("#sorting form[action$='/accept-sure/'] button").click()
        with scopes_disabled():
            assert (
                Passage.objects.filter(theme__isnull=False).count()
                + SortProposal.objects.filter(quote__isnull=False, is_sure=True).count()
                >= 2
            )
    # The rest one at a time: the first candidate of each proposal left.
    while page.locator("#sorting .proposal").count():
        with page.expect_navigation():
            page.locator("#sorting .proposal").first.locator("button").first.click()
    with scopes_disabled():
        assert not Passage.objects.filter(theme__isnull=True).exists()
        assert not SortProposal.objects.exists()
        assert first_text in [p.text for p in Passage.objects.all()]

    # On a phone the page fits and the plain forms still work.
    # The same session (a TOTP code cannot be used twice).
    phone = make_page(
        PHONE, is_mobile=True, has_touch=True, storage_state=page.context.storage_state()
    )
    phone.goto(f"{live_server.url}/network/{network.public_id}/questions/{question.public_id}/")
    assert has_no_horizontal_scroll(phone)
    with scopes_disabled():
        compilation_report = the_round.questions.get().themes.count()
    assert compilation_report == 2

    # Search over the round.
    page.goto(f"{live_server.url}/network/{network.public_id}/rounds/{the_round.public_id}/")
    page.locator("#round-search").fill("löftet")
    with page.expect_navigation():
        page.locator("form[role=search] button").click()
    assert "2 stycken och citat hittades." in page.locator("main").inner_text()
    axe_check(page)


def test_a_local_leader_finds_the_open_round_from_the_start_page(
    make_page: PageFactory, live_server: LiveServer
) -> None:
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("ledare@aby.example", organisation, {Role.LEADER})
    network = Network.objects.create(name="Lärande nätverket")
    local = make_local(network, organisation, leader, "Åby")
    the_round = make_round(network, questions=1)
    page = make_page()
    sign_in(page, live_server, leader)
    # One organisation: the leader lands on its start page.
    assert page.url.endswith("/staff/aby/")
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Dokumentera omgång 1")).click()
    assert page.url.endswith(
        f"/network/{network.public_id}/local/{local.public_id}/rounds/{the_round.public_id}/"
    )
