"""The shared words of the domain: relations, conditions, age bands, languages, formats.

Sets of these (an offer is for several relations; a person speaks several languages) are
stored as bit masks in one integer column, which filters the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Relation(models.TextChoices):
    PARTNER = "partner", _("Partner")
    PARENT = "parent", _("Parent")
    ADULT_CHILD = "adult_child", _("Adult child")
    YOUNG = "young", _("Young relative")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Friend or other")


class Condition(models.TextChoices):
    DEMENTIA = "dementia", _("Dementia")
    MENTAL_ILLNESS = "mental_illness", _("Mental illness")
    ADDICTION = "addiction", _("Addiction")
    SERIOUS_ILLNESS = "serious_illness", _("Cancer or serious illness")
    DISABILITY = "disability", _("Disability")
    AGEING = "ageing", _("Ageing or frailty")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    AGE_18_29 = "18-29", _("18–29")
    AGE_30_44 = "30-44", _("30–44")
    AGE_45_64 = "45-64", _("45–64")
    AGE_65_79 = "65-79", _("65–79")
    AGE_80 = "80+", _("80 or older")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    NORWEGIAN = "nb", _("Norwegian")
    ENGLISH = "en", _("English")
    FINNISH = "fi", _("Finnish")
    ARABIC = "ar", _("Arabic")
    PERSIAN = "fa", _("Persian")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    POLISH = "pl", _("Polish")
    UKRAINIAN = "uk", _("Ukrainian")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    DIGITAL = "digital", _("Digital")
    BOTH = "both", _("In person or digital")


class Qualification(models.TextChoices):
    """What a group leader is trained for; an offer may require it of every leader it uses."""

    CHILDREN = "children", _("Groups for children and young people")


class Weekday(models.IntegerChoices):
    # A context of their own: Django's dates use the same words, written in lower case
    # in Swedish and Norwegian ("tisdag 15 december"), while these labels start a line.
    MONDAY = 0, pgettext_lazy("weekday label", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday label", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday label", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday label", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday label", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday label", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday label", "Sunday")


class DayPart(models.IntegerChoices):
    MORNING = 0, _("Morning")
    AFTERNOON = 1, _("Afternoon")
    EVENING = 2, _("Evening")


def to_mask(values: Iterable[str], choices: type[models.TextChoices]) -> int:
    order = list(choices.values)
    mask = 0
    for value in values:
        mask |= 1 << order.index(value)
    return mask


def from_mask(mask: int, choices: type[models.TextChoices]) -> list[str]:
    return [value for index, value in enumerate(choices.values) if mask & (1 << index)]


def labels(mask: int, choices: type[models.TextChoices]) -> list[str]:
    return [str(choices(value).label) for value in from_mask(mask, choices)]


def bit(value: str, choices: type[models.TextChoices]) -> int:
    return 1 << list(choices.values).index(value)


M = TypeVar("M", bound=models.Model)


def having(
    queryset: QuerySet[M], field: str, value: str, choices: type[models.TextChoices]
) -> QuerySet[M]:
    """Rows whose mask ``field`` contains ``value``."""
    alias = f"_{field}_has"
    return queryset.alias(**{alias: F(field).bitand(bit(value, choices))}).filter(~Q(**{alias: 0}))


SLOTS = [(day, part) for day in Weekday.values for part in DayPart.values]
ALL_SLOTS = (1 << len(SLOTS)) - 1  # available at every time of the week


def slot_values(mask: int) -> list[str]:
    """The "day-part" form values of the slots set in ``mask`` (the availability grid)."""
    return [f"{day}-{part}" for day, part in SLOTS if mask & (1 << slot_index(day, part))]


def slot_mask(values: Iterable[str]) -> int:
    """The mask of "day-part" form values; the inverse of ``slot_values``."""
    mask = 0
    for value in values:
        day, part = (int(x) for x in value.split("-"))
        mask |= 1 << slot_index(day, part)
    return mask


def slot_index(day: int, part: int) -> int:
    """Availability is 7 weekdays x 3 parts of the day = 21 bits, Monday morning first."""
    return day * len(DayPart.values) + part
