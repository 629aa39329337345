from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kretsen.core import formatting

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
    from kretsen.intake.phone import display

    return display(e164)
