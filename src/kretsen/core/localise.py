"""Numbers and dates as people read them in their language, and as machines read them.

Text shown to people follows the active language: "17 %" in Swedish and Norwegian, "17%"
in English; "15 dec", "15. des.", "15 Dec". Numbers meant for machines (SVG coordinates,
CSV values) never go through localisation: :func:`machine` writes them with a dot.

Rounding is half up, as people count: 1 of 6 is 16.67 %, shown as 17 %. (Django's
``number_format`` cuts the decimals off instead, which showed 16 %.)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, formats
from django.utils.translation import get_language, pgettext


def rounded(value: float | int | Decimal, places: int = 0) -> Decimal:
    """``value`` rounded half up (away from zero) to ``places`` decimals."""
    step = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal, places: int = 0) -> str:
    """A number for people, rounded half up, with the language's decimal sign."""
    return formats.number_format(rounded(value, places), places, force_grouping=True)


def percent(value: float | int | Decimal, places: int = 0) -> str:
    """A share in percent for people: "17 %" in Swedish and Norwegian, "17%" in English."""
    # Translators: a percentage; Swedish and Norwegian put a no-break space before the sign.
    return pgettext("percentage", "%(number)s%%") % {"number": number(value, places)}


def machine(value: float | int | Decimal, places: int = 1) -> str:
    """A number for machines (SVG, CSV): a dot, no grouping, no trailing ``.0``."""
    text = f"{rounded(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def local_format(name: str, language: str | None = None) -> str:
    """The date format called ``name`` in the language's format modules (Kretsen's first),
    or Django's format setting of that name."""
    for module in formats.get_format_modules(language or get_language()):
        pattern = getattr(module, name, None)
        if isinstance(pattern, str):
            return pattern
    return str(formats.get_format(name, language))


def local_date(value: date | datetime, name: str = "DATE_FORMAT") -> str:
    return dateformat.format(value, local_format(name))
