"""Public holidays of the organisation's country, for planning meeting series.

The dates come from the well-kept ``holidays`` package. Sweden counts its public holidays and
the eves that are free in practice (Midsummer Eve, Christmas Eve, New Year's Eve: the
package's "de facto" category); Norway its public holidays, and Christmas Eve and New Year's
Eve, which the package does not list but on which no one expects a group to meet.
Names are given in the reader's language where the package has it, else in the country's.
"""

from __future__ import annotations

from datetime import date

import holidays
from django.utils.translation import get_language, pgettext

# The package's language codes for Kretsen's languages, and each country's own.
_PACKAGE_LANGUAGES = {"sv": "sv", "nb": "no", "en": "en_US"}
_COUNTRY_LANGUAGE = {"SE": "sv", "NO": "no"}
_CATEGORIES = {"SE": ("public", "de_facto"), "NO": ("public",)}


def _norwegian_eves(year: int) -> dict[date, str]:
    return {
        date(year, 12, 24): pgettext("holiday", "Christmas Eve"),
        date(year, 12, 31): pgettext("holiday", "New Year's Eve"),
    }


def between(country: str, first: date, last: date) -> dict[date, str]:
    """The holidays of ``country`` ("SE" or "NO") from ``first`` to ``last``, with names."""
    if country not in _CATEGORIES:
        return {}
    years = list(range(first.year, last.year + 1))
    wanted = _PACKAGE_LANGUAGES.get((get_language() or "sv")[:2], "")
    calendar = holidays.country_holidays(
        country, years=years, categories=_CATEGORIES[country], language=wanted
    )
    if wanted not in calendar.supported_languages:
        calendar = holidays.country_holidays(
            country,
            years=years,
            categories=_CATEGORIES[country],
            language=_COUNTRY_LANGUAGE[country],
        )
    found = {day: str(name) for day, name in calendar.items()}
    if country == "NO":
        for year in years:
            found.update(_norwegian_eves(year))
    return {day: name for day, name in sorted(found.items()) if first <= day <= last}
