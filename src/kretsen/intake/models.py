"""A relative's way in: the interest registration, contact attempts, the intake conversation."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from encrypted_fields.fields import EncryptedTextField

from kretsen.core.crypto import EmailDigestField, EncryptedCharField, EncryptedEmailField
from kretsen.core.models import Organisation
from kretsen.core.vocabulary import (
    AgeBand,
    Condition,
    DayPart,
    Format,
    Gender,
    Language,
    Relation,
    Weekday,
    from_mask,
    labels,
    slot_index,
)
from kretsen.directory.models import Offer


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    INTAKE_DONE = "intake_done", _("Intake done")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    INDIVIDUAL_SUPPORT = "individual_support", _("Individual support")
    REFERRED = "referred", _("Referred elsewhere")
    IN_GROUP = "in_group", _("In a group")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ContactTime(models.TextChoices):
    WEEKDAY_DAY = "weekday_day", _("Weekdays, daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekdays, evening")
    WEEKEND = "weekend", _("Weekends")


class Registration(models.Model):
    """Someone said "I might want this". Becomes the relative's record in the organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="registrations"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    # Set when another organisation released this person to one of our shared-pool groups.
    referred_by = models.ForeignKey(
        Organisation,
        verbose_name=_("passed on by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        help_text="The relative's sign-in identity, when an e-mail address was given.",
    )
    submission_key = models.UUIDField(editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_registrations",
    )

    # How to reach the person, on their terms.
    display_name = EncryptedCharField(_("what we may call you"), max_length=80)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = EncryptedEmailField(_("e-mail address"), max_length=254, blank=True)
    # The address is encrypted; look-ups go through its keyed hash (core/crypto.py).
    email_hash = EmailDigestField(source="email")
    contact_by_phone = models.BooleanField(_("a phone call"), default=False)
    contact_by_sms = models.BooleanField(_("a text message"), default=False)
    contact_by_email = models.BooleanField(_("an e-mail"), default=False)
    contact_times = models.JSONField(_("when contact is welcome"), default=list, blank=True)
    contact_note = EncryptedCharField(_("about contacting you"), max_length=200, blank=True)
    no_messages = models.BooleanField(_("never leave a message"), default=False)
    no_topic = models.BooleanField(
        _("do not mention what it is about in texts or e-mail"), default=False
    )

    # What they told us, corrected at the intake conversation.
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    condition = models.CharField(
        _("the person cared for has"), max_length=20, choices=Condition.choices
    )
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    languages = models.PositiveIntegerField(_("languages"), default=0)
    format_preference = models.CharField(
        _("meeting"), max_length=10, choices=Format.choices, default=Format.BOTH
    )
    wish = EncryptedTextField(_("what would you like help with"), blank=True, null=True)
    ui_language = models.CharField(max_length=5, default="sv")

    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateField(_("on the waiting list since"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    delete_after = models.DateField(_("personal data deleted after"), null=True, blank=True)
    # Set when retention removed the personal data; the row stays for the figures (0085).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[models.Manager[Registration]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "submission_key"], name="intake_registration_once"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"]),
            models.Index(fields=["organisation", "status", "waiting_since"]),
            models.Index(fields=["organisation", "email_hash"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_hash"}
        super().save(*args, **kwargs)

    def language_values(self) -> list[str]:
        return from_mask(self.languages, Language)

    def language_labels(self) -> list[str]:
        return labels(self.languages, Language)

    def contact_time_labels(self) -> list[str]:
        return [
            str(ContactTime(value).label)
            for value in self.contact_times
            if value in ContactTime.values
        ]

    def contact_channel_labels(self) -> list[str]:
        channels = []
        if self.contact_by_phone:
            channels.append(str(_("a phone call")))
        if self.contact_by_sms:
            channels.append(str(_("a text message")))
        if self.contact_by_email:
            channels.append(str(_("an e-mail")))
        return channels

    def withdraw_now(self) -> None:
        """Mark as withdrawn; the personal data goes in the retention run of the next day
        (decision 0085: no grace period, since nothing can undo a withdrawal)."""
        now = timezone.now()
        self.status = Status.WITHDRAWN
        self.status_changed_at = now
        self.withdrawn_at = now
        self.delete_after = self.deletion_day_if_withdrawn()

    @staticmethod
    def deletion_day_if_withdrawn() -> date:
        return timezone.localdate() + timedelta(days=1)

    @property
    def is_discreet(self) -> bool:
        return self.no_messages or self.no_topic

    def days_waiting(self, today: date | None = None) -> int | None:
        if self.waiting_since is None:
            return None
        return ((today or timezone.localdate()) - self.waiting_since).days


class ContactAttempt(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("Meeting")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number or address")
        NOT_NOW = "not_now", _("Asked to be contacted later")
        DECLINED = "declined", _("Does not want contact now")

    NOT_REACHED = (Outcome.NO_ANSWER, Outcome.WRONG_NUMBER)

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    note = EncryptedTextField(_("note"), blank=True, null=True)

    objects: ClassVar[models.Manager[ContactAttempt]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.channel} {self.outcome}"


class Readiness(models.TextChoices):
    READY = "ready", _("Ready for a group")
    INDIVIDUAL_FIRST = "individual_first", _("Individual talks first")
    OTHER_SUPPORT = "other_support", _("Other support fits better")
    NOT_SUITABLE = "not_suitable", _("A group is not suitable")


class GroupPreference(models.TextChoices):
    SIMILAR = "similar", _("People in a similar situation")
    MIXED = "mixed", _("A mixed group is fine")
    NO_PREFERENCE = "none", _("No preference")


class Intake(models.Model):
    """The coordinator's intake conversation with one relative."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="intake"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    situation = EncryptedTextField(_("the situation, in short"), blank=True, null=True)
    availability = models.PositiveIntegerField(_("available"), default=0)
    area = EncryptedCharField(
        _("home area"),
        max_length=80,
        blank=True,
        help_text=_("Part of town or village, for groups that meet in person."),
    )
    group_preference = models.CharField(
        _("prefers"),
        max_length=10,
        choices=GroupPreference.choices,
        default=GroupPreference.NO_PREFERENCE,
    )
    never_with = models.ManyToManyField(
        Registration,
        blank=True,
        related_name="kept_apart_from",
        verbose_name=_("must not be in a group with"),
    )
    shared_pool = models.BooleanField(
        _("may be placed in a digital group shared with other organisations"),
        default=False,
        help_text=_(
            "Ask first. Until you release them to a group, the other organisations see only "
            "relation, condition, age band, gender, languages, times and days waiting, never "
            "the name."
        ),
    )
    readiness = models.CharField(_("readiness"), max_length=20, choices=Readiness.choices)
    readiness_reason = EncryptedTextField(_("why"), blank=True, null=True)
    next_step = EncryptedCharField(_("next step"), max_length=300, blank=True)
    held_on = models.DateField(_("conversation held on"), default=timezone.localdate)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Intake]] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"intake {self.pk}"

    def is_available(self, day: int, part: int) -> bool:
        return bool(self.availability & (1 << slot_index(day, part)))

    def availability_grid(self) -> list[tuple[str, list[bool]]]:
        return [
            (str(Weekday(day).label), [self.is_available(day, part) for part in DayPart.values])
            for day in Weekday.values
        ]
