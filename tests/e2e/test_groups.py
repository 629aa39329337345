"""Groups through a real browser: planning a group, a member's own pages, and a meeting.

A coordinator creates a group from the waiting list with two leaders and a series of
meetings; a member signs the pledge and says they cannot come, on a phone; a leader runs a
meeting from the run-sheet and takes attendance. The browser asks for English through the
language cookie, so the tests find things by their English roles, labels and texts, and
check what was saved in the database.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.core.mail import EmailMessage
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.groups.models import (
    AbsenceNotice,
    Attendance,
    Group,
    GroupLeader,
    GroupMember,
    Meeting,
    Notice,
    PledgeSignature,
)
from kretsen.intake.models import Status
from tests.conftest import (
    make_offer,
    make_org,
    make_registration,
    make_staff,
)
from tests.e2e.conftest import axe_check
from tests.e2e.helpers import (
    check_phone_page,
    expect_message,
    field,
    sign_in_relative,
    sign_in_staff,
    use_english,
)
from tests.groups.factories import make_group, make_meeting, make_member, make_ready

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

GROUP_NAME = "Torsdagsgruppen"
PLACE = "Storgatan 1, rum 3"
ABSENCE_MESSAGE = "Jag är hos min mamma den veckan."
PLEDGE_LINE = "What I see and hear in the group stays in the group."
TOPIC = "Setting boundaries"


def test_a_coordinator_creates_a_group_from_the_waiting_list(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    coordinator = make_staff("coordinator@aby.example", organisation, {Role.COORDINATOR})
    lena = make_staff("lena@aby.example", organisation, {Role.LEADER})
    omar = make_staff("omar@aby.example", organisation, {Role.LEADER})
    with scopes_disabled():
        offer = make_offer(organisation)
        for name in ("Anna", "Bo", "Cecilia"):
            make_ready(
                organisation,
                name,
                offer=offer,
                email=f"{name.lower()}@example.org",
                contact_by_email=True,
            )
    first_day = timezone.localdate() + timedelta(days=7)
    groups_url = f"{live_server.url}/staff/{organisation.slug}/groups/"

    use_english(page, live_server)
    sign_in_staff(page, live_server, coordinator)
    page.get_by_role("link", name="Groups", exact=True).click()
    page.wait_for_url(groups_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")
    axe_check(page)

    page.get_by_role("link", name="New group").click()
    page.wait_for_url(groups_url + "new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New group")
    axe_check(page)
    page.get_by_label(field("Offer")).select_option(label=offer.title("en"))
    page.get_by_label(field("Name")).fill(GROUP_NAME)
    page.get_by_label(field("Format")).select_option(label="In person")
    page.get_by_label(field("Place")).fill(PLACE)
    page.get_by_label("First leader").select_option(label="lena")
    page.get_by_label("Second leader").select_option(label="omar")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(rf"/groups/{UUID}/series/$"))
    group_url = page.url.removesuffix("series/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Plan meetings for {GROUP_NAME}")
    expect_message(page, "The group is created. Now plan its meetings.")
    axe_check(page)
    page.get_by_label("Date of the first meeting").fill(first_day.isoformat())
    page.get_by_label("Starts at").fill("18:00")
    page.get_by_label("Number of meetings").fill("6")
    page.get_by_label("How often").select_option(label="Every week")
    page.get_by_role("button", name="Plan the meetings").click()

    page.wait_for_url(group_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    expect_message(page, "6 meetings are planned.")
    meetings = page.get_by_role("table", name="Coming meetings").locator("tbody tr")
    expect(meetings).to_have_count(6)
    for row in meetings.all():
        expect(row.get_by_role("cell").first).to_contain_text("18:00")
    expect(page.locator("main dl")).to_contain_text("lena, omar")
    axe_check(page)

    page.get_by_role("link", name="Add from the waiting list").click()
    page.wait_for_url(group_url + "members/add/")
    candidates = page.get_by_role("table", name="Ready for a group, longest waiting first")
    expect(candidates.locator("tbody tr")).to_have_count(3)
    axe_check(page)
    page.get_by_label("Anna", exact=True).check()
    page.get_by_label("Bo", exact=True).check()
    page.get_by_role("button", name="Invite the chosen people").click()

    page.wait_for_url(group_url)
    expect_message(page, "The invitations are on their way.")
    members = page.get_by_role("table", name="Members").locator("tbody tr")
    expect(members).to_have_count(2)
    for name in ("Anna", "Bo"):
        expect(members.filter(has_text=name)).to_contain_text("Invited")
    expect(members.filter(has_text="Cecilia")).to_have_count(0)

    with scopes_disabled():
        group = Group.objects.get(organisation=organisation)
        assert group.name == GROUP_NAME
        assert group.offer_id == offer.pk
        assert group.format == Group.Format.IN_PERSON
        assert group.place == PLACE
        leaders = GroupLeader.objects.filter(group=group).order_by("position")
        assert [leader.user_id for leader in leaders] == [lena.pk, omar.pk]
        starts = [
            timezone.localtime(meeting.starts_at, STOCKHOLM)
            for meeting in Meeting.objects.filter(group=group).order_by("starts_at")
        ]
        assert len(starts) == 6
        assert [start.date() for start in starts] == [
            first_day + timedelta(weeks=week) for week in range(6)
        ]
        assert {start.time() for start in starts} == {time(18, 0)}
        members_in_db = GroupMember.objects.filter(group=group)
        assert sorted(m.display_name for m in members_in_db) == ["Anna", "Bo"]
        assert {m.status for m in members_in_db} == {GroupMember.Status.INVITED}
        invitations = Notice.objects.filter(kind=Notice.Kind.INVITATION)
        assert sorted(n.member.display_name for n in invitations if n.member) == ["Anna", "Bo"]
        assert {n.channel for n in invitations} == {Notice.Channel.EMAIL}


def running_group(organisation: Organisation, leader: User) -> Group:
    offer = make_offer(organisation)
    return make_group(organisation, offer, [leader], name=GROUP_NAME, place=PLACE)


def test_a_member_signs_the_pledge_and_reports_an_absence_on_a_phone(
    phone_page: Page, live_server: LiveServer, mailoutbox: list[EmailMessage]
) -> None:
    page = phone_page
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("lena@aby.example", organisation, {Role.LEADER})
    relative = User.objects.create_relative("maja@example.org", display_name="Maja")
    with scopes_disabled():
        group = running_group(organisation, leader)
        registration = make_registration(
            organisation,
            display_name="Maja",
            status=Status.IN_GROUP,
            user=relative,
            email=relative.email,
            contact_by_email=True,
        )
        member = make_member(group, registration)
        meeting = make_meeting(group, in_hours=48)

    use_english(page, live_server)
    sign_in_relative(page, live_server, relative.email, mailoutbox)
    expect(page.get_by_role("heading", level=1)).to_have_text("My pages")
    check_phone_page(page)

    page.get_by_role("link", name=GROUP_NAME).click()
    group_url = f"{live_server.url}/me/groups/{member.public_id}/"
    page.wait_for_url(group_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    check_phone_page(page)

    page.get_by_role("link", name="Read and sign").click()
    page.wait_for_url(group_url + "pledge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The pledge")
    expect(page.locator("main")).to_contain_text(PLEDGE_LINE)
    check_phone_page(page)
    page.get_by_label("Your name or pseudonym").fill("Maja")
    page.get_by_label("I promise to keep what I see and hear in the group to myself.").check()
    page.get_by_role("button", name="Sign the pledge").click()

    page.wait_for_url(group_url)
    expect_message(page, "Thank you. The pledge is signed.")
    expect(page.get_by_role("link", name="Read and sign")).to_have_count(0)
    check_phone_page(page)

    page.get_by_role("link", name="I can't come").click()
    page.wait_for_url(f"{group_url}meetings/{meeting.public_id}/absence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("I can't come")
    check_phone_page(page)
    page.get_by_label("A message to the leaders").fill(ABSENCE_MESSAGE)
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(group_url)
    expect_message(page, "The leaders know you cannot come.")
    said_so = page.get_by_role("listitem").filter(has_text="You have said you cannot come.")
    expect(said_so).to_have_count(1)
    expect(page.get_by_role("link", name="I can't come")).to_have_count(0)
    check_phone_page(page)

    with scopes_disabled():
        signature = PledgeSignature.objects.get(member=member)
        assert signature.signed_name == "Maja"
        assert signature.method == PledgeSignature.Method.ONLINE
        assert signature.language == "en"
        assert PLEDGE_LINE in signature.text
        absence = AbsenceNotice.objects.get(member=member)
        assert absence.meeting_id == meeting.pk
        assert absence.message == ABSENCE_MESSAGE


def test_a_leader_runs_the_meeting_and_takes_attendance(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    organisation = make_org("aby", "Åby kommun")
    leader = make_staff("lena@aby.example", organisation, {Role.LEADER})
    with scopes_disabled():
        group = running_group(organisation, leader)
        members = {
            name: make_member(
                group, make_registration(organisation, display_name=name, status=Status.IN_GROUP)
            )
            for name in ("Anna", "Bo", "Cecilia")
        }
        meeting = make_meeting(group, in_hours=-1 / 6)
        AbsenceNotice.objects.create(
            meeting=meeting,
            member=members["Cecilia"],
            organisation=organisation,
            message="Sjuk i dag.",
        )
    groups_url = f"{live_server.url}/staff/{organisation.slug}/groups/"
    group_url = f"{groups_url}{group.public_id}/"
    meeting_url = f"{group_url}meetings/{meeting.public_id}/"

    use_english(page, live_server)
    sign_in_staff(page, live_server, leader)
    page.get_by_role("link", name="Groups", exact=True).click()
    page.wait_for_url(groups_url)
    axe_check(page)
    page.get_by_role("link", name=GROUP_NAME).click()
    page.wait_for_url(group_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    axe_check(page)

    page.get_by_role("link", name="Run-sheet", exact=True).click()
    page.wait_for_url(meeting_url + "run-sheet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run-sheet")
    steps = page.locator("main ol > li").get_by_role("heading", level=2)
    expect(steps).to_have_count(7)
    for title in ("Pledge and rules", "Check-in round", "Today's topic", "Check-out round"):
        expect(steps.filter(has_text=title)).to_have_count(1)
    # The pledge is open on the page, to be read aloud.
    expect(page.get_by_text(PLEDGE_LINE)).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("Cecilia")
    axe_check(page)

    page.get_by_label("Topic from the library").select_option(label=TOPIC)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(meeting_url + "run-sheet/")
    expect_message(page, "Saved.")
    expect(page.locator("main")).to_contain_text(f"Today's topic: {TOPIC}")

    page.get_by_role("link", name="Take attendance").click()
    page.wait_for_url(meeting_url + "attendance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    axe_check(page)
    page.get_by_role("group", name="Anna").get_by_label("Present").check()
    page.get_by_role("group", name="Bo").get_by_label("Present").check()
    page.get_by_role("group", name="Cecilia").get_by_label("Absent, told us").check()
    page.get_by_role("button", name="Save attendance").click()

    page.wait_for_url(group_url)
    expect_message(page, "Attendance is saved.")

    with scopes_disabled():
        meeting.refresh_from_db()
        assert meeting.topic_title == TOPIC
        assert meeting.topic_key.startswith("default:")
        recorded = {
            row.member.display_name: row.status
            for row in Attendance.objects.filter(meeting=meeting)
            if row.member is not None
        }
        assert recorded == {
            "Anna": Attendance.Status.PRESENT,
            "Bo": Attendance.Status.PRESENT,
            "Cecilia": Attendance.Status.NOTIFIED_ABSENCE,
        }
        assert Attendance.objects.filter(meeting=meeting).count() == 3
