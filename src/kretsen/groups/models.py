"""Groups, their members and leaders, meetings, pledges, attendance and notices."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from kretsen.core import crypto, vocabulary
from kretsen.core.models import Organisation, StaffMembership
from kretsen.core.vocabulary import (
    ALL_SLOTS,
    DayPart,
    Language,
    Weekday,
    from_mask,
    labels,
    slot_index,
)
from kretsen.directory.models import Offer
from kretsen.intake.models import Registration

IN_PERSON_MAX_MINUTES = 120
DIGITAL_DEFAULT_MINUTES = 90


class GroupSettings(models.Model):
    """An organisation's choices for its groups: reminders and the video provider."""

    class VideoProvider(models.TextChoices):
        NONE = "none", _("None: leaders paste a link to their own meeting room")
        JITSI = "jitsi", _("Our own Jitsi Meet server")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="group_settings"
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("send reminders this many hours before a meeting"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    video_link_minutes = models.PositiveSmallIntegerField(
        _("show the video link this many minutes before the start"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    video_provider = models.CharField(
        _("video meetings"),
        max_length=10,
        choices=VideoProvider.choices,
        default=VideoProvider.NONE,
    )
    jitsi_url = models.URLField(
        _("Jitsi server address"),
        blank=True,
        help_text=_("For example https://meet.example.org. Never a public demo server."),
    )
    jitsi_room_prefix = models.SlugField(_("room name prefix"), max_length=20, default="kretsen")
    jitsi_app_id = models.CharField(_("Jitsi app id"), max_length=100, blank=True)
    jitsi_app_secret = EncryptedCharField(
        _("Jitsi app secret"), max_length=200, blank=True, null=True
    )

    objects: ClassVar[models.Manager[GroupSettings]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("group settings")
        verbose_name_plural = _("group settings")

    def __str__(self) -> str:
        return f"group settings {self.organisation_id}"

    @property
    def uses_jitsi(self) -> bool:
        return self.video_provider == self.VideoProvider.JITSI and bool(self.jitsi_url)


class Group(models.Model):
    class Form(models.TextChoices):
        CLOSED = "closed", _("Closed group")
        OPEN = "open", _("Open drop-in")
        SELF_RUN = "self_run", _("Self-run group")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        DIGITAL = "digital", _("Digital")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        SELF_RUN = "self_run", _("Self-run")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="groups")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(
        _("name"),
        max_length=80,
        help_text=_("A neutral name that says nothing about health, e.g. “Tuesday group”."),
    )
    form = models.CharField(_("form"), max_length=10, choices=Form.choices, default=Form.CLOSED)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=250, blank=True)
    video_link = models.URLField(
        _("link to the video meeting"),
        max_length=500,
        blank=True,
        help_text=_("Shown to members only shortly before each meeting."),
    )
    video_room = models.CharField(max_length=80, blank=True, editable=False)
    min_size = models.PositiveSmallIntegerField(
        _("fewest members"), default=4, validators=[MinValueValidator(2), MaxValueValidator(40)]
    )
    max_size = models.PositiveSmallIntegerField(
        _("most members"), default=8, validators=[MinValueValidator(2), MaxValueValidator(40)]
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    contact_member = models.ForeignKey(
        "GroupMember",
        verbose_name=_("contact person of the self-run group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Group]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["state", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_digital(self) -> bool:
        return self.format == self.Format.DIGITAL

    @property
    def is_open(self) -> bool:
        return self.form == self.Form.OPEN


class GroupLeader(models.Model):
    """A staff user leading a group. Usually two; the order decides the default roles."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="leaderships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_leaderships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[models.Manager[GroupLeader]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="groups_leader_once")]

    def __str__(self) -> str:
        return f"{self.user} leads {self.group}"


class LeaderProfile(models.Model):
    """What group formation needs to know about one leader (decision 0040).

    Without a profile a leader counts as free at every time, in every area, format and
    language, and without special training.
    """

    membership = models.OneToOneField(
        StaffMembership, on_delete=models.CASCADE, related_name="leader_profile"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The same 21-bit mask as Intake.availability: bit weekday * 3 + part of the day.
    availability = models.PositiveIntegerField(
        _("available to lead groups"), default=ALL_SLOTS, validators=[MaxValueValidator(ALL_SLOTS)]
    )
    format = models.CharField(
        _("can lead groups that meet"),
        max_length=10,
        choices=vocabulary.Format.choices,
        default=vocabulary.Format.BOTH,
    )
    # Names as written in intake conversations (the engine compares them as written); one to
    # three areas, or none for any area (decision 0095).
    areas = models.JSONField(
        _("areas for groups that meet in person"),
        default=list,
        blank=True,
        help_text=_("Parts of town or villages. None: any area works."),
    )
    languages = models.PositiveIntegerField(
        _("languages for leading a group"),
        default=0,
        help_text=_("None ticked: groups in any language."),
    )
    qualified_for_children = models.BooleanField(
        _("trained to lead groups for children and young people"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager[LeaderProfile]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("leader profile")
        verbose_name_plural = _("leader profiles")

    def __str__(self) -> str:
        return f"leader profile {self.membership_id}"

    def area_list(self) -> list[str]:
        """The areas as a list of names (empty: any area)."""
        return [str(name) for name in self.areas or [] if str(name).strip()]

    def is_available(self, day: int, part: int) -> bool:
        return bool(self.availability & (1 << slot_index(day, part)))

    def availability_summary(self) -> list[str]:
        """One line per weekday with a free time, e.g. "Monday: Morning, Evening"."""
        lines = []
        for day in Weekday.values:
            parts = [
                str(DayPart(part).label) for part in DayPart.values if self.is_available(day, part)
            ]
            if parts:
                lines.append(f"{Weekday(day).label}: {', '.join(parts)}")
        return lines

    def language_values(self) -> list[str]:
        return from_mask(self.languages, Language)

    def language_labels(self) -> list[str]:
        return labels(self.languages, Language)


class GroupMember(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left")
        DECLINED = "declined", _("Declined")

    TAKING_A_PLACE = (Status.INVITED, Status.ACTIVE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    display_name = models.CharField(
        _("name in the group"),
        max_length=80,
        help_text=_("What the group calls this person; a first name or a pseudonym."),
    )
    invited_at = models.DateTimeField(default=timezone.now)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    leave_reason = EncryptedTextField(_("reason for leaving"), blank=True, null=True)
    reminders = models.BooleanField(_("send me reminders before meetings"), default=True)
    # Set when retention removed what the membership held about the person (decision 0085).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[models.Manager[GroupMember]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "registration"], name="groups_member_once")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def takes_a_place(self) -> bool:
        return self.status in self.TAKING_A_PLACE


class GroupText(models.Model):
    """An organisation's own version of the pledge or a set of rules, per language.

    Every save creates a new version; a signature keeps the version it was given for.
    Without any version the defaults in ``default_texts.toml`` apply (version 0).
    """

    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("Confidentiality pledge")
        CONVERSATION_RULES = "conversation_rules", _("Conversation rules")
        DIGITAL_RULES = "digital_rules", _("Rules for digital meetings")
        PRACTICAL_RULES = "practical_rules", _("Practical rules")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField()
    text_sv = models.TextField(_("Swedish"), blank=True, max_length=6000)
    text_nb = models.TextField(_("Norwegian"), blank=True, max_length=6000)
    text_en = models.TextField(_("English"), blank=True, max_length=6000)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[models.Manager[GroupText]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="groups_text_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class PledgeSignature(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", _("Signed on the web")
        PAPER = "paper", _("Signed on paper")

    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=5)
    text = models.TextField()
    signed_name = models.CharField(_("name or pseudonym"), max_length=80)
    signed_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[models.Manager[PledgeSignature]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"pledge v{self.version} {self.signed_at:%Y-%m-%d}"


class Topic(models.Model):
    """An organisation's own topic for the library (the default topics live in a data file)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title_sv = models.CharField(_("title (Swedish)"), max_length=80, blank=True)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=80, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=80, blank=True)
    summary_sv = models.TextField(_("for the leaders (Swedish)"), blank=True, max_length=4000)
    summary_nb = models.TextField(_("for the leaders (Norwegian)"), blank=True, max_length=4000)
    summary_en = models.TextField(_("for the leaders (English)"), blank=True, max_length=4000)
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Topic]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["title_sv", "title_nb", "title_en"]

    def __str__(self) -> str:
        return self.title_sv or self.title_nb or self.title_en


class Meeting(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    break_minutes = models.PositiveSmallIntegerField(_("break in minutes"), default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    # Raised on every change that members should hear about; the calendar's SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    opens_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opens"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presents_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presents the topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    technique_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handles the technique"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic_key = models.CharField(max_length=60, blank=True)
    topic_title = crypto.EncryptedCharField(_("topic"), max_length=120, blank=True)
    note = EncryptedTextField(_("note for the leaders and the coordinator"), blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Meeting]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())


class AbsenceNotice(models.Model):
    """ "I can't come": one per member and meeting; sending it again only updates the message."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absences")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="absences")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    message = EncryptedTextField(_("message to the leaders"), blank=True, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[AbsenceNotice]] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="groups_absence_once")
        ]

    def __str__(self) -> str:
        return f"absence {self.pk}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        NOTIFIED_ABSENCE = "notified", _("Absent, told us")
        ABSENT = "absent", _("Absent without notice")
        DROP_IN = "drop_in", _("Drop-in visitor")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.CASCADE, related_name="attendance"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    visitor_name = crypto.EncryptedCharField(_("visitor"), max_length=80, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Attendance]] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=models.Q(member__isnull=False),
                name="groups_attendance_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.status}"


class CalendarToken(models.Model):
    """A relative's secret calendar address. Only the token's hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar token {self.pk}"


class Notice(models.Model):
    """One message to one person: invitation, reminder, moved or cancelled meeting, or a
    note to the leaders. The unique key makes planning it twice harmless, and the state
    makes sending it twice impossible (see ``services/notices.py``)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        MOVED = "moved", _("Meeting moved")
        CANCELLED = "cancelled", _("Meeting cancelled")
        TO_LEADERS = "to_leaders", _("Message to the leaders")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=6, choices=Channel.choices)
    member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    state = models.CharField(
        max_length=8, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a task to send it was last queued; the scheduler queues it again only much later.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the mail server (or SMS gateway) accepted it, written before it is marked sent.
    accepted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Notice]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


class LiveSession(models.Model):
    """The live panel of one meeting while it runs (decision 0060).

    It holds who has the floor, the round and the hands, never anything said. When the
    leaders end the meeting (or the scheduler finds it long over) the seats are deleted and
    only an anonymous ``LiveSummary`` stays.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="live")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    # Raised by every change; clients compare it to know whether what they show is current.
    version = models.PositiveIntegerField(default=1)
    section = models.PositiveSmallIntegerField(default=0)
    section_started_at = models.DateTimeField(default=timezone.now)
    round_open = models.BooleanField(default=False)
    round_shuffled = models.BooleanField(default=False)
    quieter_first = models.BooleanField(default=False)
    speaker = models.ForeignKey(
        "LiveSeat", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_since = models.DateTimeField(null=True, blank=True)
    # True when the round offered the speaker the floor (then "passes" takes the turn back).
    speaker_from_round = models.BooleanField(default=False)
    sections_over = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[models.Manager[LiveSession]] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"live {self.meeting_id}"


class LiveSeat(models.Model):
    """One person present in a live meeting: a member, or a drop-in visitor by first name."""

    class Round(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPOKE = "spoke", _("Has spoken")
        PASSED = "passed", _("Passed")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    round_state = models.CharField(max_length=8, choices=Round.choices, default=Round.WAITING)
    turns = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0)
    hand_raised_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[LiveSeat]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"seat {self.pk}"


class LiveSummary(models.Model):
    """What stays of a live meeting for the leaders' reflection: no names, no seats."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="live_summary")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    people = models.PositiveSmallIntegerField()
    spoke = models.PositiveSmallIntegerField()
    turns = models.PositiveIntegerField()
    seconds = models.PositiveIntegerField()
    # Share (0-100) of the speaking time and of the turns taken by the most talkative third.
    top_third_time_share = models.PositiveSmallIntegerField()
    top_third_turn_share = models.PositiveSmallIntegerField()
    sections_over = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[LiveSummary]] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"live summary {self.meeting_id}"
