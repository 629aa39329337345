"""The whole journey of a relative, and the coordinator's part in it, in Swedish and Norwegian.

One run per country: a Swedish municipality (SE, Swedish) and a Norwegian one (NO, Norwegian
Bokmål, Europe/Oslo). The relative uses a 390 px phone: reads the offer, says they are
interested (and switches language half-way without losing what they typed), is taken in by
a coordinator on a desktop, is invited into a group, reads the invitation, accepts, signs
the pledge, says they cannot come to a meeting and takes it back, answers WHO-5 with a low
score, and leaves the group. The coordinator then opens the figures. Every page is checked
with axe and for sideways scrolling; the tests find things by the words a user reads.

Two shorter tests look at what the journey passes by: how meeting days are written in
Swedish and Norwegian, and what "what we store" says after someone has left a group.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.care.models import FollowUp, QuestionnaireRequest
from kretsen.core.crypto import email_digest
from kretsen.core.models import AuditEvent, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import Language, to_mask
from kretsen.groups.models import AbsenceNotice, Group, GroupMember, Meeting, PledgeSignature
from kretsen.intake.models import Registration, Status
from tests.conftest import make_offer, make_org, make_registration, make_staff
from tests.e2e.conftest import DESKTOP, PHONE, PageFactory
from tests.e2e.helpers import expect_message, sign_in_relative, sign_in_staff
from tests.e2e.journeys import (
    NORWAY,
    SWEDEN,
    Country,
    check_narrow,
    check_page,
    patient,
    text_before,
    use_language,
)
from tests.groups.factories import make_group
from tests.words import MONTHS

COUNTRIES = {"sv": SWEDEN, "nb": NORWAY}
MEETING_COUNT = 3
NUMBER = re.compile(r"-?\d+(\.\d+)?")
WEEKDAYS = {
    "sv": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
}
NEXT_MEETING = {"sv": "Nästa träff:", "nb": "Neste møte:"}


class Setting:
    """The organisation, its offer, its staff and the relative of one country's journey."""

    def __init__(self, country: Country) -> None:
        self.country = country
        swedish = country.language == "sv"
        self.organisation = make_org(
            "aby" if swedish else "bofjord",
            "Åby kommun" if swedish else "Bøfjord kommune",
            country=country.country,
            default_language=country.language,
            time_zone=country.time_zone,
            crisis_sv="Anhörigstödet har öppen telefon vardagar 8–16.",
            crisis_nb="Pårørendestøtten har åpen telefon hverdager 8–16.",
        )
        self.offer_title = (
            "Samtalsgrupp för anhöriga till personer med demens"
            if swedish
            else "Samtalsgruppe for pårørende til personer med demens"
        )
        self.contact_phone = "+46701234567" if swedish else "+4791234567"
        self.contact_role = "Anhörigkonsulent" if swedish else "Pårørendekoordinator"
        self.relative_name = "Maja" if swedish else "Kari"
        self.email = "maja@example.org" if swedish else "kari@example.org"
        self.wish = (
            "Jag vill träffa andra som har det som jag."
            if swedish
            else "Jeg vil møte andre som har det som meg."
        )
        self.group_name = "Torsdagsgruppen" if swedish else "Torsdagsgruppa"
        self.coordinator = make_staff(
            f"selma@{self.organisation.slug}.example", self.organisation, {Role.COORDINATOR}
        )
        self.leaders = [
            self._leader("lena", "Lena Berg" if swedish else "Lena Bakken"),
            self._leader("omar", "Omar Haddad"),
        ]
        with scopes_disabled():
            self.offer = make_offer(
                self.organisation,
                title_sv=self.offer_title if swedish else "",
                title_nb="" if swedish else self.offer_title,
                title_en="",
                purpose_sv="Vi ses och pratar i lugn och ro." if swedish else "",
                purpose_nb="" if swedish else "Vi møtes og prater i ro og fred.",
                languages=to_mask([country.language], Language),
                contact_role=self.contact_role,
                contact_phone=self.contact_phone,
            )

    def _leader(self, handle: str, full_name: str) -> User:
        user = make_staff(
            f"{handle}@{self.organisation.slug}.example", self.organisation, {Role.LEADER}
        )
        user.display_name = full_name
        user.save(update_fields=["display_name"])
        return user

    def plan_group(self) -> tuple[Group, list[Meeting]]:
        """A planned group with both leaders and three Thursday evening meetings to come."""
        zone = ZoneInfo(self.country.time_zone)
        today = timezone.localdate()
        thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 7)
        with scopes_disabled():
            group = make_group(
                self.organisation,
                self.offer,
                self.leaders,
                name=self.group_name,
                state=Group.State.PLANNED,
            )
            meetings = [
                Meeting.objects.create(
                    group=group,
                    organisation=self.organisation,
                    starts_at=datetime.combine(
                        thursday + timedelta(weeks=week), time(18, 0), tzinfo=zone
                    ),
                    minutes=90,
                    break_minutes=15,
                )
                for week in range(MEETING_COUNT)
            ]
        return group, meetings

    def meeting_parts(self, meeting: Meeting) -> tuple[str, str, str]:
        """The day's number, the month's name and the hours of a meeting, in the country's
        language and time zone (how the weekday is written is checked on its own below)."""
        zone = ZoneInfo(self.country.time_zone)
        start = timezone.localtime(meeting.starts_at, zone)
        end = timezone.localtime(meeting.ends_at, zone)
        month = MONTHS[self.country.language][start.month - 1]
        return str(start.day), month, f"{start:%H:%M}–{end:%H:%M}"


def phone(make_page: PageFactory, country: Country) -> Page:
    """A 390 px phone whose browser asks for the country's language."""
    return patient(
        make_page(
            PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            extra_http_headers={"Accept-Language": country.accept_language},
        )
    )


def crisis_order(page: Page, setting: Setting, words: dict[str, str]) -> None:
    """The organisation's own contact shows first, then the country's national numbers."""
    crisis = page.locator("main section.crisis")
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("heading", level=2)).to_have_text(words["help_now"])
    own = words["talk_to"].format(org=setting.organisation.name)
    expect(crisis.get_by_role("heading", name=own)).to_be_visible()
    expect(crisis.locator(f'a[href="tel:{setting.contact_phone}"]')).to_have_count(1)
    text = crisis.inner_text()
    crisis_text = setting.organisation.text("crisis", setting.country.language)
    country = setting.country
    for first, then in (
        (own, crisis_text),
        (crisis_text, f"{country.emergency}."),
        (f"{country.emergency}.", country.health_advice),
    ):
        assert text_before(text, first, then), (
            f"On {page.url} «{first}» should come before «{then}»:\n{text}"
        )
    other = "113" if country.country == "SE" else "1177"
    assert other not in text, f"{page.url} shows the other country's number {other}:\n{text}"


def relative_says_interest(page: Page, live_server: LiveServer, setting: Setting) -> None:
    country, words = setting.country, setting.country.words
    page.goto(f"{live_server.url}/offers/{setting.offer.public_id}/")
    with page.expect_navigation():
        page.locator(f"form.language-switch button[value={country.language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", country.language)
    expect(page.get_by_role("heading", level=1)).to_have_text(setting.offer_title)
    check_page(page)

    page.get_by_role("link", name=words["interested"]).first.click()
    page.wait_for_url(f"{live_server.url}/offers/{setting.offer.public_id}/interest/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["interest_title"])
    check_page(page)

    # Half-way through, the relative tries the other language and comes back: nothing typed
    # is lost, and a note says so.
    page.get_by_label(words["name"]).fill(setting.relative_name)
    page.get_by_label(words["wish"]).fill(setting.wish)
    for language in (country.other_language, country.language):
        with page.expect_navigation():
            page.locator(f"form.language-switch button[value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#typed-kept")).to_be_visible()
        expect(page.locator("input[name=display_name]")).to_have_value(setting.relative_name)
        expect(page.locator("textarea[name=wish]")).to_have_value(setting.wish)
    expect(page.locator("#typed-kept")).to_have_text(words["typed_kept"])
    check_page(page)

    form = page.locator("main form.interest-form")
    form.get_by_label(words["email"]).fill(setting.email)
    form.get_by_label(words["by_email"], exact=True).check()
    form.locator("input[name=relation][value=partner]").check()
    form.locator("input[name=condition][value=dementia]").check()
    form.locator("select[name=language]").select_option(country.language)
    form.locator("input[name=format_preference][value=in_person]").check()
    form.locator("input[name=consent]").check()
    with page.expect_navigation():
        form.get_by_role("button", name=words["send"], exact=True).click()

    page.wait_for_url(re.compile(rf"/o/{setting.organisation.slug}/interest/received/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["received_title"])
    crisis_order(page, setting, words)
    check_page(page)


def coordinator_takes_in(page: Page, live_server: LiveServer, setting: Setting) -> None:
    words, name = setting.country.words, setting.relative_name
    use_language(page, live_server, setting.country.language)
    sign_in_staff(page, live_server, setting.coordinator)
    staff = f"{live_server.url}/staff/{setting.organisation.slug}/"
    nav = page.locator("nav.org-nav")
    nav.get_by_role("link", name=words["registrations"], exact=True).click()
    page.wait_for_url(f"{staff}registrations/")
    check_page(page)
    page.locator("main table tbody tr", has_text=name).get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r"/registrations/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_page(page)

    page.get_by_role("link", name=words["record_intake"]).click()
    page.wait_for_url(re.compile(r"/intake/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words["intake_title"].format(name=name)
    )
    readable = page.locator("#readable-by-relative")
    expect(readable).to_be_visible()
    expect(readable).to_contain_text(words["readable"].format(name=name))
    check_page(page)
    form = page.locator("main form.intake-form")
    form.locator(f"input[name=languages][value={setting.country.language}]").check()
    form.locator("input[name=format_preference][value=in_person]").check()
    form.locator("input[name=group_preference][value=similar]").check()
    form.locator("input[name=readiness][value=ready]").check()
    form.locator("select[name=next_status]").select_option(Status.WAITING_LIST.value)
    with page.expect_navigation():
        form.get_by_role("button", name=words["save_intake"]).click()
    expect(page.locator("main p.lead")).to_contain_text(words["on_waiting_list"])

    nav.get_by_role("link", name=words["waiting_list"], exact=True).click()
    page.wait_for_url(f"{staff}waiting-list/")
    expect(page.locator("main table tbody tr", has_text=name)).to_have_count(1)
    check_page(page)


def coordinator_invites(page: Page, setting: Setting, group: Group) -> None:
    words, name = setting.country.words, setting.relative_name
    page.locator("nav.org-nav").get_by_role("link", name=words["groups"], exact=True).click()
    page.wait_for_url(re.compile(r"/groups/$"))
    page.get_by_role("link", name=group.name).click()
    page.wait_for_url(re.compile(rf"/groups/{group.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    page.get_by_role("link", name=words["add_from_waiting_list"]).click()
    page.wait_for_url(re.compile(r"/members/add/$"))
    candidates = page.get_by_role("table", name=words["ready_caption"])
    expect(candidates.locator("tbody tr")).to_have_count(1)
    check_page(page)
    page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name=words["invite_chosen"]).click()
    page.wait_for_url(re.compile(rf"/groups/{group.public_id}/$"))
    expect_message(page, words["invitations_sent"])
    members = page.locator("main table tbody tr", has_text=name)
    expect(members).to_contain_text(words["invited"])
    check_page(page)


def relative_reads_invitation(
    page: Page, setting: Setting, meetings: list[Meeting], member: GroupMember
) -> None:
    words = setting.country.words
    expect(page.get_by_role("heading", level=1)).to_have_text(words["my_pages"])
    check_page(page)
    page.get_by_role("link", name=words["see_invitation"]).click()
    page.wait_for_url(re.compile(rf"/me/groups/{member.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(setting.group_name)
    invitation = page.locator("main section.card", has_text=words["offered_place"])
    expect(invitation.get_by_role("heading", level=2)).to_have_text(words["offered_place"])
    facts = invitation.locator("dl")

    def fact(term: str) -> str:
        return facts.locator(f"dt:text-is('{term}') + dd").inner_text()

    assert fact(words["offer"]) == setting.offer_title
    leaders = fact(words["leaders"])
    assert leaders == "Lena, Omar", f"The invitation names the leaders as «{leaders}»."
    meetings_text = fact(words["meetings"])
    assert words["meeting_count"].format(count=MEETING_COUNT) in meetings_text, meetings_text
    shown = [line.strip() for line in facts.locator("dd ul li").all_inner_texts()]
    assert len(shown) == len(meetings), shown
    for line, meeting in zip(shown, meetings, strict=True):
        day, month, hours = setting.meeting_parts(meeting)
        assert re.search(rf"\b{day}\.? {month}, {hours}$", line), (
            f"The invitation lists «{line}» for the meeting on {day} {month}, {hours}."
        )
    assert words["pledge_ask"] in fact(words["what_we_ask"])
    expect(invitation).to_contain_text(words["no_reason"])
    expect(invitation.get_by_role("button", name=words["decline"])).to_be_visible()
    check_page(page)
    check_narrow(page)


def relative_joins_and_signs(page: Page, setting: Setting, group_url: str) -> None:
    words = setting.country.words
    page.get_by_role("button", name=words["accept"]).click()
    page.wait_for_url(group_url + "pledge/")
    expect_message(page, words["welcome"])
    expect(page.get_by_role("heading", level=1)).to_have_text(words["pledge_title"])
    check_page(page)
    page.get_by_label(words["pledge_name"]).fill(setting.relative_name)
    page.get_by_label(words["pledge_promise"]).check()
    page.get_by_role("button", name=words["sign_pledge"]).click()
    page.wait_for_url(group_url)
    expect_message(page, words["pledge_signed"])
    expect(page.get_by_role("link", name=words["cant_come"])).to_have_count(MEETING_COUNT)
    check_page(page)
    check_narrow(page)


def relative_is_away_then_not(page: Page, setting: Setting, group_url: str) -> None:
    words = setting.country.words
    page.get_by_role("link", name=words["cant_come"]).first.click()
    page.wait_for_url(re.compile(r"/absence/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["cant_come"])
    check_page(page)
    page.get_by_label(words["absence_message"]).fill(
        "Jobb den kvällen." if setting.country.language == "sv" else "Jobb den kvelden."
    )
    page.get_by_role("button", name=words["send"], exact=True).click()
    page.wait_for_url(group_url)
    expect_message(page, words["absence_sent"])
    said = page.locator("main ul.meeting-list > li", has_text=words["said_cant_come"])
    expect(said).to_have_count(1)
    expect(page.get_by_role("link", name=words["cant_come"])).to_have_count(MEETING_COUNT - 1)
    check_page(page)
    with scopes_disabled():
        assert (
            AbsenceNotice.objects.filter(
                member__registration__email_hash=email_digest(setting.email)
            ).count()
            == 1
        )

    said.get_by_role("button", name=words["can_come"]).click()
    page.wait_for_url(group_url)
    expect_message(page, words["can_come_done"])
    expect(page.get_by_text(words["said_cant_come"])).to_have_count(0)
    expect(page.get_by_role("link", name=words["cant_come"])).to_have_count(MEETING_COUNT)
    check_page(page)
    with scopes_disabled():
        assert (
            AbsenceNotice.objects.filter(
                member__registration__email_hash=email_digest(setting.email)
            ).count()
            == 0
        )


LOW_ANSWERS = {
    "sv": {
        "Jag har känt mig glad och på gott humör": "Mindre än hälften av tiden",
        "Jag har känt mig lugn och avslappnad": "En del av tiden",
        "Jag har känt mig aktiv och energisk": "En del av tiden",
        "Jag har vaknat pigg och utvilad": "Vid inget tillfälle",
        "Min vardag har varit fylld av saker som intresserar mig": "Mindre än hälften av tiden",
    },
    "nb": {
        "Jeg har følt meg glad og i godt humør": "Mindre enn halvparten av tiden",
        "Jeg har følt meg rolig og avslappet": "Noe av tiden",
        "Jeg har følt meg aktiv og energisk": "Noe av tiden",
        "Jeg har våknet opp frisk og uthvilt": "Ikke i det hele tatt",
        "Hverdagen min har vært fylt med ting som interesserer meg": (
            "Mindre enn halvparten av tiden"
        ),
    },
}


def relative_answers_who5(page: Page, live_server: LiveServer, setting: Setting) -> None:
    words = setting.country.words
    page.goto(live_server.url + "/me/")
    page.get_by_role("link", name=words["answer_questions"]).click()
    page.wait_for_url(re.compile(r"/me/questionnaires/[0-9a-f-]+/$"))
    questionnaire_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(words["who5_title"])
    check_page(page)
    for statement, answer in LOW_ANSWERS[setting.country.language].items():
        page.get_by_role("group", name=statement).get_by_label(answer, exact=True).check()
    with page.expect_navigation() as sent:
        page.get_by_role("button", name=words["send_answers"]).click()
    response = sent.value
    assert response is not None
    # POST, then redirect, then GET: the thanks page itself is an ordinary GET.
    assert response.request.method == "GET"
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.method == "POST"
    assert page.url == questionnaire_url

    def thanks() -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(words["thanks_title"])
        expect(page.locator("main")).to_contain_text(words["not_alone"])
        crisis_order(page, setting, words)

    thanks()
    check_page(page)
    page.go_back()
    page.reload()
    thanks()
    page.go_forward()
    page.reload()
    thanks()
    with scopes_disabled():
        answered = QuestionnaireRequest.objects.get(
            member__registration__email_hash=email_digest(setting.email)
        )
        assert (answered.state, answered.raw_score, answered.percentage) == ("answered", 6, 24)
        assert FollowUp.objects.filter(reason=FollowUp.Reason.LOW_WELLBEING).count() == 1
    assert AuditEvent.writer.filter(action="care.questionnaire.answered").count() == 1


def relative_leaves(page: Page, live_server: LiveServer, setting: Setting, group_url: str) -> None:
    words = setting.country.words
    page.goto(group_url)
    page.get_by_role("link", name=words["want_to_leave"]).click()
    page.wait_for_url(group_url + "leave/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["leave_title"])
    check_page(page)
    page.get_by_label(words["leave_why"]).fill(
        "Det blir för mycket just nu."
        if setting.country.language == "sv"
        else "Det blir for mye nå."
    )
    page.get_by_label(words["leave_confirm"]).check()
    page.get_by_role("button", name=words["leave_title"]).click()
    page.wait_for_url(f"{live_server.url}/me/")
    expect_message(page, words["left"])
    expect(page.get_by_role("link", name=setting.group_name)).to_have_count(0)
    check_page(page)

    page.goto(group_url)
    expect(page.get_by_role("heading", level=2)).to_have_text(words["left_title"])
    expect(page.get_by_role("link", name=words["cant_come"])).to_have_count(0)
    expect(page.get_by_role("link", name=words["want_to_leave"])).to_have_count(0)
    expect(page.get_by_role("button", name=words["can_come"])).to_have_count(0)
    expect(page.locator('main a[href*="/absence/"], main a[href$="/leave/"]')).to_have_count(0)
    check_page(page)
    check_narrow(page)


def coordinator_reads_figures(page: Page, setting: Setting) -> None:
    words = setting.country.words
    page.goto(page.url.split("/staff/")[0] + f"/staff/{setting.organisation.slug}/")
    page.locator("nav.org-nav").get_by_role("link", name=words["figures"], exact=True).click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["figures"])
    note = page.locator("#suppression-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text(words["suppression"])
    # One relative: every figure about people is hidden.
    expect(page.locator("main td.suppressed").first).to_have_text(words["hidden"])
    check_page(page)
    # The charts are drawn from numbers in SVG attributes; a decimal comma is not a number
    # there (and in a <text> x="236,0" is a list: the word splits, half at the left edge).
    coordinates = page.locator("svg.bar-chart").first.evaluate(
        "svg => [...svg.querySelectorAll('line, rect, text')]"
        ".flatMap(e => ['x', 'x1', 'x2', 'y', 'width'].map(a => e.getAttribute(a)))"
        ".filter(v => v !== null)"
    )
    odd = sorted({value for value in coordinates if not NUMBER.fullmatch(value)})
    assert not odd, (
        f"The figures page in {setting.country.language} draws its charts with coordinates "
        f"{odd}: the decimal comma of the page's language (care/staff/chart_svg.html prints "
        "floats without {% localize off %}), so the axis and the bars start at the left edge "
        f"and «{words['hidden']}» is torn apart."
    )


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_a_relative_goes_the_whole_way_and_the_coordinator_follows(
    make_page: PageFactory, live_server: LiveServer, mailoutbox: list[EmailMessage], language: str
) -> None:
    setting = Setting(COUNTRIES[language])
    relative = phone(make_page, setting.country)
    coordinator = patient(make_page(DESKTOP))

    relative_says_interest(relative, live_server, setting)
    with scopes_disabled():
        registration = Registration.objects.get(organisation=setting.organisation)
        assert registration.display_name == setting.relative_name
        assert registration.wish == setting.wish
        assert registration.email == setting.email
        assert registration.offer_id == setting.offer.pk
        assert registration.status == Status.NEW

    coordinator_takes_in(coordinator, live_server, setting)
    with scopes_disabled():
        registration.refresh_from_db()
        assert registration.status == Status.WAITING_LIST
        assert registration.intake.held_by_id == setting.coordinator.pk

    group, meetings = setting.plan_group()
    coordinator_invites(coordinator, setting, group)
    with scopes_disabled():
        member = GroupMember.objects.get(group=group, registration=registration)
        assert member.status == GroupMember.Status.INVITED

    sign_in_relative(relative, live_server, setting.email, mailoutbox)
    group_url = f"{live_server.url}/me/groups/{member.public_id}/"
    relative_reads_invitation(relative, setting, meetings, member)
    relative_joins_and_signs(relative, setting, group_url)
    with scopes_disabled():
        member.refresh_from_db()
        assert member.status == GroupMember.Status.ACTIVE
        signature = PledgeSignature.objects.get(member=member)
        assert signature.language == language
        assert signature.signed_name == setting.relative_name

    relative_is_away_then_not(relative, setting, group_url)
    relative_answers_who5(relative, live_server, setting)
    relative_leaves(relative, live_server, setting, group_url)
    with scopes_disabled():
        member.refresh_from_db()
        assert member.status == GroupMember.Status.LEFT

    coordinator_reads_figures(coordinator, setting)


def written_day(language: str, moment: datetime) -> str:
    """A day as Swedish and Norwegian write it: weekday in lower case, and in Norwegian a
    full stop after the day's number ("torsdag 17 december", "torsdag 17. desember")."""
    weekday = WEEKDAYS[language][moment.weekday()]
    month = MONTHS[language][moment.month - 1]
    number = f"{moment.day}." if language == "nb" else str(moment.day)
    return f"{weekday} {number} {month}"


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_meeting_days_are_written_as_the_language_writes_them(
    make_page: PageFactory, live_server: LiveServer, mailoutbox: list[EmailMessage], language: str
) -> None:
    setting = Setting(COUNTRIES[language])
    group, meetings = setting.plan_group()
    with scopes_disabled():
        group.state = Group.State.RUNNING
        group.save(update_fields=["state"])
        registration = make_registration_for(setting)
        member = GroupMember.objects.create(
            group=group,
            organisation=setting.organisation,
            registration=registration,
            display_name=setting.relative_name,
            status=GroupMember.Status.ACTIVE,
            joined_on=timezone.localdate(),
        )
    page = phone(make_page, setting.country)
    use_language(page, live_server, language)
    sign_in_relative(page, live_server, setting.email, mailoutbox)
    first = timezone.localtime(meetings[0].starts_at, ZoneInfo(setting.country.time_zone))
    day = written_day(language, first)

    next_line = page.locator("main p", has_text=NEXT_MEETING[language])
    expect(next_line).to_have_count(1)
    shown = " ".join(next_line.inner_text().split())
    assert f"{NEXT_MEETING[language]} {day}, 18:00" in shown, (
        f"My pages write the next meeting as «{shown}»; {language} writes «{day}, 18:00». "
        "The weekday comes out capitalised because the project's catalogue translates the "
        "bare weekday names (core/vocabulary.py Weekday) with a capital letter, and Django's "
        "date filter uses the same msgids; the templates' fixed format 'l j F' also leaves "
        "out the full stop Norwegian writes after the day's number."
    )

    page.goto(f"{live_server.url}/me/groups/{member.public_id}/")
    first_card = page.locator("main ul.meeting-list > li").first.locator("strong")
    assert first_card.inner_text() == day, (
        f"The group page writes the first meeting's day as «{first_card.inner_text()}», "
        f"{language} writes «{day}»."
    )


def make_registration_for(setting: Setting) -> Registration:
    relative = User.objects.create_relative(setting.email, display_name=setting.relative_name)
    return make_registration(
        setting.organisation,
        display_name=setting.relative_name,
        status=Status.IN_GROUP,
        user=relative,
        email=setting.email,
        contact_by_email=True,
        languages=to_mask([setting.country.language], Language),
    )


def test_what_we_store_after_leaving_agrees_with_the_group_page(
    make_page: PageFactory, live_server: LiveServer, mailoutbox: list[EmailMessage]
) -> None:
    setting = Setting(SWEDEN)
    group, _meetings = setting.plan_group()
    with scopes_disabled():
        member = GroupMember.objects.create(
            group=group,
            organisation=setting.organisation,
            registration=make_registration_for(setting),
            display_name=setting.relative_name,
            status=GroupMember.Status.LEFT,
            joined_on=timezone.localdate() - timedelta(days=21),
            left_on=timezone.localdate(),
        )
    page = phone(make_page, setting.country)
    use_language(page, live_server, "sv")
    sign_in_relative(page, live_server, setting.email, mailoutbox)

    page.goto(f"{live_server.url}/me/groups/{member.public_id}/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Du har lämnat den här gruppen")
    expect(page.locator("main")).to_contain_text("Du får inga fler påminnelser")
    check_page(page)

    page.goto(f"{live_server.url}/me/data/")
    card = page.locator("main section.card", has_text=f"Grupp: {setting.group_name}")
    expect(card).to_have_count(1)
    reminders = card.locator("dt:text-is('Påminnelser') + dd").inner_text().strip()
    assert reminders != "På", (
        "/me/data/ says «Påminnelser: På» for a group the relative has left, while the group "
        "page says «Du får inga fler påminnelser» (and plan_reminders sends none to a member "
        "who left): groups/me/data_section.html shows the stored flag whatever the status."
    )
    check_page(page)
