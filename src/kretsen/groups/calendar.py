"""A relative's personal calendar feed (iCalendar) behind a secret, revocable address.

Event titles and texts are neutral: a phone's calendar is often seen by others. The place is
given for meetings in person; a video link never is (members get it on the site shortly
before the start).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kretsen.core.models import hash_token, new_token
from kretsen.groups.models import CalendarToken, Meeting


def create_token(user_id: int) -> str:
    """Revoke the person's current address and make a new one; the raw token is returned once."""
    now = timezone.now()
    CalendarToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=now)
    raw = new_token()
    CalendarToken.objects.create(user_id=user_id, token_hash=hash_token(raw))
    return raw


def revoke(user_id: int) -> None:
    CalendarToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_owner(raw: str) -> int | None:
    found = CalendarToken.objects.filter(
        token_hash=hash_token(raw), revoked_at__isnull=True
    ).first()
    return found.user_id if found else None


def feed(meetings: Iterable[Meeting], language: str, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Kretsen//Meetings//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("My meetings"))
        me_url = settings.SITE_URL + reverse("core:me")
        for meeting in meetings:
            event = Event()
            event.add("uid", f"{meeting.public_id}@kretsen")
            event.add("dtstamp", now)
            event.add("dtstart", meeting.starts_at)
            event.add("dtend", meeting.ends_at)
            event.add("sequence", meeting.sequence)
            event.add("summary", _("Meeting"))
            event.add("description", _("Details on your pages: %(url)s") % {"url": me_url})
            event.add("url", me_url)
            if meeting.is_cancelled:
                event.add("status", "CANCELLED")
            else:
                event.add("status", "CONFIRMED")
            if not meeting.group.is_digital and meeting.group.place:
                event.add("location", meeting.group.place)
            calendar.add_component(event)
    return calendar.to_ical()
