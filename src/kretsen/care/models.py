"""Follow-ups of participants who struggle, questionnaires (WHO-5) and meeting feedback."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from encrypted_fields.fields import EncryptedTextField

from kretsen.core.models import Organisation
from kretsen.groups.models import GroupMember, Meeting


class FollowUp(models.Model):
    """A coordinator's task to contact one participant. Never shown to the participant on
    their group pages; listed (with the note) on their "what we store" page."""

    class Reason(models.TextChoices):
        BURDENED = "burdened", _("Seemed heavily burdened")
        ASKED_FOR_TALK = "asked_for_talk", _("Asked for an individual talk")
        REPEATED_ABSENCE = "repeated_absence", _("Repeated absence")
        CONFLICT = "conflict", _("Conflict in the group")
        LOW_WELLBEING = "low_wellbeing", _("Low score in the wellbeing questionnaire")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        TALK_HELD = "talk_held", _("Individual talk held")
        REFERRED = "referred", _("Referred to other help")
        NO_ACTION = "no_action", _("No action needed")

    # Reasons a leader can give; a low questionnaire score is only set by the questionnaire.
    LEADER_REASONS = ("burdened", "asked_for_talk", "repeated_absence", "conflict", "other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="follow_ups")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = EncryptedTextField(_("note"), blank=True, null=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("follow up by"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, blank=True, db_index=True
    )
    outcome_note = EncryptedTextField(_("what was done"), blank=True, null=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[models.Manager[FollowUp]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class Timepoint(models.TextChoices):
    BASELINE = "baseline", _("When joining a group")
    END = "end", _("At the end of the led period")
    FOLLOW_UP = "follow_up", _("Three months later")


class QuestionnaireRequest(models.Model):
    """One person asked to answer one instrument at one timepoint (answered at most once)."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        SKIPPED = "skipped", _("Skipped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="questionnaires")
    instrument = models.CharField(max_length=20, default="who5")
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)
    open_from = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    raw_score = models.PositiveSmallIntegerField(null=True, blank=True)
    percentage = models.PositiveSmallIntegerField(null=True, blank=True)

    objects: ClassVar[models.Manager[QuestionnaireRequest]] = ScopedManager(
        organisation="organisation"
    )

    class Meta:
        ordering = ["open_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "instrument", "timepoint"], name="care_one_answer_per_timepoint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.timepoint}"


class MeetingFeedback(models.Model):
    """A participant's short feedback after a meeting; anonymous towards the leaders unless
    the participant chooses to show their name."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="feedback")
    felt_safe = models.CharField(
        _("Did you feel safe in the group today?"), max_length=6, choices=Answer.choices
    )
    enough_space = models.CharField(
        _("Did you get enough space to say what you wanted?"),
        max_length=6,
        choices=Answer.choices,
    )
    takeaway = EncryptedTextField(_("What do you take with you today?"), blank=True, null=True)
    show_name = models.BooleanField(_("The leaders may see that this is from me"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[MeetingFeedback]] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="care_feedback_once")
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk}"


class RetentionRun(models.Model):
    """One day's run of the retention rules (decision 0085). The unique day lets the
    scheduler claim the daily run once, however many schedulers are running."""

    day = models.DateField(unique=True)
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Rows removed or anonymised per rule, without names.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"retention {self.day}"
