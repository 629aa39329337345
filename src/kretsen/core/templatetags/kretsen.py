from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.safestring import SafeString

from kretsen.core import formatting, localise
from kretsen.core import phone as phones

register = template.Library()


@register.filter
def formatted(source: str) -> SafeString:
    return formatting.render(source)


@register.filter
def offer_title(offer: object, language: str) -> str:
    return str(offer.title(language))  # type: ignore[attr-defined]


@register.filter
def days_waiting(registration: object, today: object) -> int | None:
    return registration.days_waiting(today)  # type: ignore[attr-defined]


@register.filter
def phone(e164: str) -> str:
    return phones.display(e164)


@register.filter(expects_localtime=True)
def local_date(value: date | datetime | None, name: str = "DATE_FORMAT") -> str:
    """``{{ day|local_date:"DAY_MONTH_FORMAT" }}``: a date as written in the active language."""
    if not value:
        return ""
    return localise.local_date(value, name)


@register.filter
def percent(value: float | int | None, places: int = 0) -> str:
    """``{{ share|percent:1 }}``: "3,5 %" in Swedish and Norwegian, "3.5%" in English."""
    if value is None:
        return "–"
    return localise.percent(value, places)
