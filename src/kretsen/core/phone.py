"""Phone numbers: Swedish and Norwegian formats, international accepted, stored as E.164."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise(raw: str, country: str) -> str:
    """``070-123 45 67`` in Sweden becomes ``+46701234567``; raises ValidationError if not valid."""
    text = raw.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This does not look like a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This does not look like a phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
