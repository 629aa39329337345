"""Offers: what an organisation provides (a group, a relatives' café, individual talks)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kretsen.core.models import Organisation
from kretsen.core.vocabulary import (
    AgeBand,
    Condition,
    Format,
    Gender,
    Language,
    Relation,
    from_mask,
    labels,
)

TEXT_LANGUAGES = ("sv", "nb", "en")
# Age bands are consecutive steps; a span of 0 keeps everyone in one band.
MAX_AGE_SPAN = len(AgeBand.values) - 1


class Offer(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Form(models.TextChoices):
        CLOSED = "closed", _("Closed group")
        OPEN = "open", _("Open drop-in")
        SELF_RUN = "self_run", _("Self-run group")
        INDIVIDUAL = "individual", _("Individual talks")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every other week")
        MONTHLY = "monthly", _("Once a month")
        AGREED = "agreed", _("As agreed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )

    title_sv = models.CharField(_("title (Swedish)"), max_length=120, blank=True)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=120, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    purpose_sv = models.TextField(
        _("purpose and what to expect (Swedish)"), blank=True, max_length=6000
    )
    purpose_nb = models.TextField(
        _("purpose and what to expect (Norwegian)"), blank=True, max_length=6000
    )
    purpose_en = models.TextField(
        _("purpose and what to expect (English)"), blank=True, max_length=6000
    )

    relations = models.PositiveIntegerField(_("for relatives who are"), default=0)
    conditions = models.PositiveIntegerField(_("when the person cared for has"), default=0)
    age_min = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    form = models.CharField(_("form"), max_length=12, choices=Form.choices, default=Form.CLOSED)
    meeting_count = models.PositiveSmallIntegerField(
        _("number of meetings"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    min_size = models.PositiveSmallIntegerField(
        _("fewest participants"), default=4, validators=[MinValueValidator(2)]
    )
    max_size = models.PositiveSmallIntegerField(
        _("most participants"), default=8, validators=[MaxValueValidator(40)]
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("length of a meeting in minutes"),
        default=90,
        validators=[MinValueValidator(30), MaxValueValidator(120)],
    )
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    languages = models.PositiveIntegerField(_("languages"), default=0)
    # Rules for forming the offer's groups (decision 0040).
    gender_specific = models.CharField(
        _("only for one gender"),
        max_length=8,
        choices=Gender.choices,
        blank=True,
        help_text=_("For example a group for men. Only people of this gender are placed."),
    )
    max_age_span = models.PositiveSmallIntegerField(
        _("widest age span in one group"),
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(
                MAX_AGE_SPAN,
                message=_("The span is counted in age bands: at most %(limit_value)s."),
            )
        ],
        help_text=_(
            "For children's groups: the widest span of age bands in one group. "
            "0 keeps everyone in the same age band, 1 allows neighbouring bands. "
            "Leave empty for no limit."
        ),
    )
    needs_children_qualification = models.BooleanField(
        _("leaders must be trained for children's groups"),
        default=False,
        help_text=_("Only leaders trained to lead groups for children and young people."),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    venue_accessibility = models.CharField(
        _("accessibility of the venue"), max_length=250, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    starts_when_enough = models.BooleanField(
        _("starts when enough people have registered"), default=False
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    cost_note = models.CharField(_("cost"), max_length=120, blank=True)
    contact_role = models.CharField(_("contact: role"), max_length=120)
    contact_name = models.CharField(_("contact: name (optional)"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact: phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Offer]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["state", "format", "start_date"])]

    def __str__(self) -> str:
        return self.title("sv")

    def text(self, field: str, language: str) -> str:
        for code in (language, self.organisation.default_language, *TEXT_LANGUAGES):
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return str(value)
        return ""

    def title(self, language: str) -> str:
        return self.text("title", language)

    def text_language(self, field: str, language: str) -> str:
        """Which language the text shown for ``language`` is actually written in."""
        for code in (language, self.organisation.default_language, *TEXT_LANGUAGES):
            if getattr(self, f"{field}_{code}", ""):
                return code
        return language

    @property
    def is_digital(self) -> bool:
        return self.format == Format.DIGITAL

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def relation_values(self) -> list[str]:
        return from_mask(self.relations, Relation)

    def condition_values(self) -> list[str]:
        return from_mask(self.conditions, Condition)

    def language_values(self) -> list[str]:
        return from_mask(self.languages, Language)

    def relation_labels(self) -> list[str]:
        return labels(self.relations, Relation)

    def condition_labels(self) -> list[str]:
        return labels(self.conditions, Condition)

    def language_labels(self) -> list[str]:
        return labels(self.languages, Language)

    def starts_soon(self, today: date, days: int = 60) -> bool:
        if self.starts_when_enough:
            return True
        return self.start_date is not None and 0 <= (self.start_date - today).days <= days
