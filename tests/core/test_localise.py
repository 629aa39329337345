"""Numbers and dates as people write them in Swedish, Norwegian and English."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django_scopes import scope

from kretsen.core import localise
from kretsen.core.models import Organisation, User
from kretsen.groups.models import Meeting
from tests.conftest import make_offer, sign_in_staff
from tests.groups.factories import make_group

TUESDAY = date(2026, 12, 15)
LOCALE = Path(localise.__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize(
    ("language", "day_month", "with_year", "weekday", "date_format"),
    [
        ("sv", "15 dec", "15 dec 2026", "tisdag 15 december", "15 december 2026"),
        ("nb", "15. des.", "15. des. 2026", "tirsdag 15. desember", "15. desember 2026"),
        ("en", "15 Dec", "15 Dec 2026", "Tuesday 15 December", "15 December 2026"),
    ],
)
def test_dates_are_written_as_in_each_language(
    db: None, language: str, day_month: str, with_year: str, weekday: str, date_format: str
) -> None:
    template = Template(
        '{% load kretsen %}{{ d|local_date:"DAY_MONTH_FORMAT" }}|'
        '{{ d|local_date:"DAY_MONTH_YEAR_FORMAT" }}|'
        '{{ d|local_date:"WEEKDAY_DAY_MONTH_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}'
    )
    with translation.override(language):
        shown = template.render(Context({"d": TUESDAY})).split("|")
    assert shown == [day_month, with_year, weekday, date_format]


@pytest.mark.parametrize(
    ("value", "places", "sv", "en"),
    [
        (100 / 6, 0, "17", "17"),  # was "16": the decimals were cut off
        (87.5, 0, "88", "88"),
        (2.5, 0, "3", "3"),
        (0.125, 2, "0,13", "0.13"),
        (1234.45, 1, "1\u00a0234,5", "1,234.5"),
    ],
)
def test_numbers_are_rounded_half_up(value: float, places: int, sv: str, en: str) -> None:
    with translation.override("sv"):
        assert localise.number(value, places) == sv
    with translation.override("en"):
        assert localise.number(value, places) == en


def test_numbers_for_machines_have_a_dot_in_every_language() -> None:
    for language in ("sv", "nb", "en"):
        with translation.override(language):
            assert localise.machine(230.0) == "230"
            assert localise.machine(16.666) == "16.7"
            assert localise.machine(-0.04) == "0"
            assert localise.machine(1234.5) == "1234.5"


def test_the_group_page_writes_the_meeting_date_in_norwegian(
    client: Client, org_a: Organisation, coordinator_a: User, leader_a: User
) -> None:
    with scope(organisation=org_a):
        group = make_group(org_a, make_offer(org_a), [leader_a])
        Meeting.objects.create(
            group=group,
            organisation=org_a,
            starts_at=datetime(2027, 12, 15, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm")),
            minutes=90,
        )
    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = "nb"
    page = client.get(f"/staff/org-a/groups/{group.public_id}/").content.decode()
    assert "ons 15. des. 2027, 18:00" in page
    client.cookies["kretsen_language"] = "sv"
    page = client.get(f"/staff/org-a/groups/{group.public_id}/").content.decode()
    assert "ons 15 dec 2027, 18:00" in page


# Counts that are never 1: a sign-in link lasts at least 5 minutes, a meeting at least 15.
NEVER_ONE = {
    "The link works once and for %(minutes)s minutes.",
    "%(minutes)s minutes each",
    # Rewritten by the retention work of issue 13 (item 4), which owns the withdraw page.
    "your information is deleted after %(days)s days",
}


def test_every_message_with_a_count_has_plural_forms() -> None:
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    counted = re.compile(r"%\((count|counter|minutes|seconds|days|hours)\)[sd]")
    singular_only = [
        entry.msgid
        for entry in catalogue
        if counted.search(entry.msgid)
        and not entry.msgid_plural
        and not any(allowed in entry.msgid for allowed in NEVER_ONE)
    ]
    assert singular_only == []
