"""The learning network: local networks, rounds of questions, local documentation, compilation.

Everything below ``Network`` belongs to one network and uses a scoped manager with the scope
key ``network``: a query that forgets the network raises instead of leaking another network's
documentation. Free text written about a local meeting (the discussion, quotes, passages and
kept versions) is encrypted at rest.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from encrypted_fields.fields import EncryptedTextField

from kretsen.core.crypto import EncryptedCharField
from kretsen.core.models import Organisation
from kretsen.core.roles import Role

DISCUSSION_MAX = 20_000
QUOTE_MAX = 2_000
TEXT_MAX = 4_000
MAX_QUESTIONS = 4


class Network(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        max_length=TEXT_MAX,
        help_text=_("Why the network exists, in a few sentences. Opens every report."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning network")
        verbose_name_plural = _("learning networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """A staff user's role in a learning network (the network coordinator).

    Local leaders are not members here: they are named on their local network.
    """

    ROLE_CHOICES = [(Role.NETWORK_COORDINATOR.value, Role.NETWORK_COORDINATOR.label)]

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=ROLE_CHOICES)

    class Meta:
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")
        constraints = [
            models.UniqueConstraint(fields=["network", "user", "role"], name="network_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.network}"


class MemberRole(models.TextChoices):
    RELATIVE = "relative", _("Relative")
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager")
    POLITICIAN = "politician", _("Politician")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class LocalNetwork(models.Model):
    """One municipality's (or association's) group in the network, led by a local leader."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="local_networks")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="local_networks",
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("Usually the municipality, e.g. Åby.")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("local leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_local_networks",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[models.Manager[LocalNetwork]] = ScopedManager(network="network")

    class Meta:
        verbose_name = _("local network")
        verbose_name_plural = _("local networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocalMember(models.Model):
    """A member of a local network: the role is what counts; a name is optional."""

    local_network = models.ForeignKey(
        LocalNetwork, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    name = models.CharField(_("name (optional)"), max_length=100, blank=True)

    objects: ClassVar[models.Manager[LocalMember]] = ScopedManager(network="local_network__network")

    class Meta:
        verbose_name = _("local member")
        verbose_name_plural = _("local members")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return self.name or self.get_role_display()


class Round(models.Model):
    """One round of meetings: the same questions discussed in every local network."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for documentation")
        COMPILING = "compiling", _("Being compiled")
        PUBLISHED = "published", _("Published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    meetings_from = models.DateField(_("meetings from"))
    meetings_to = models.DateField(_("meetings until"))
    deadline = models.DateField(_("documentation due"))
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before the deadline"), default=3
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    compiling_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    background = models.TextField(_("background"), blank=True, max_length=TEXT_MAX * 2)
    compiler_name = models.CharField(_("compiled by"), max_length=150, blank=True)
    compiled_on = models.DateField(_("compiled on"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_public = models.BooleanField(_("anyone with the address may read the report"), default=False)
    include_unsorted = models.BooleanField(
        _("also publish the quotes no theme holds, under “More voices”"), default=False
    )
    # Set by the one worker run that claims the "a round has opened" mail, so it goes once.
    opening_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[models.Manager[Round]] = ScopedManager(network="network")

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="network_round_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Question(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("question"), max_length=TEXT_MAX)
    sub_questions = models.TextField(
        _("sub-questions"), blank=True, max_length=TEXT_MAX, help_text=_("One per line.")
    )
    background = models.TextField(
        _("background material"),
        blank=True,
        max_length=TEXT_MAX * 2,
        help_text=_("Text and links for the local leaders; links as https://..."),
    )

    objects: ClassVar[models.Manager[Question]] = ScopedManager(network="round__network")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="network_question_once")
        ]

    def __str__(self) -> str:
        return self.text

    def sub_question_list(self) -> list[str]:
        return [line.strip() for line in self.sub_questions.splitlines() if line.strip()]


class Submission(models.Model):
    """One local network's documentation of one round."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    local_network = models.ForeignKey(
        LocalNetwork, on_delete=models.CASCADE, related_name="submissions"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects: ClassVar[models.Manager[Submission]] = ScopedManager(network="round__network")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "local_network"], name="network_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_network} / {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class Answer(models.Model):
    """The documentation of one question in one submission."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    discussion = EncryptedTextField(_("the discussion"), blank=True, null=True)
    tags = EncryptedCharField(_("tags"), max_length=300, blank=True)

    objects: ClassVar[models.Manager[Answer]] = ScopedManager(network="submission__round__network")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="network_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission} / {self.question.position}"

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class Quote(models.Model):
    """Something said at the meeting, attributed by role only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="quotes")
    role = models.CharField(_("said by a"), max_length=20, choices=MemberRole.choices)
    text = EncryptedTextField(_("quote"))
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Quote]] = ScopedManager(
        network="answer__submission__round__network"
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.get_role_display()


class SubmissionVersion(models.Model):
    """What a submission said when it was submitted or changed afterwards (JSON, encrypted)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = EncryptedTextField()

    objects: ClassVar[models.Manager[SubmissionVersion]] = ScopedManager(
        network="submission__round__network"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="network_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


class Theme(models.Model):
    """A sub-heading under one question in the compiled report."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("theme"), max_length=200)
    text = models.TextField(_("connecting text"), blank=True, max_length=TEXT_MAX * 2)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Theme]] = ScopedManager(network="question__round__network")

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Passage(models.Model):
    """A stretch of a discussion: a paragraph of it (``source_index``), or a piece the
    compiler selected. Under a theme it is report prose; without one it is "not sorted".
    The compiler may reword it for the report."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="passages"
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="passages")
    source_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    text = EncryptedTextField(_("passage"))
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Passage]] = ScopedManager(
        network="answer__submission__round__network"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "source_index"],
                condition=models.Q(source_index__isnull=False),
                name="network_paragraph_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer} / passage"


class QuoteUse(models.Model):
    """A quote under a theme: kept, shortened (marked in the report) or left out."""

    class Mode(models.TextChoices):
        KEEP = "keep", _("Keep")
        SHORTEN = "shorten", _("Shorten")
        OMIT = "omit", _("Leave out")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="quote_uses")
    quote = models.OneToOneField(Quote, on_delete=models.CASCADE, related_name="use")
    mode = models.CharField(_("use"), max_length=10, choices=Mode.choices, default=Mode.KEEP)
    shortened = EncryptedTextField(_("shortened quote"), blank=True, null=True)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[QuoteUse]] = ScopedManager(
        network="theme__question__round__network"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.theme} / quote"


class ThemeSuggestion(models.Model):
    """A proposed theme from clustering; nothing changes until the coordinator accepts it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="suggestions")
    keywords = models.JSONField(default=list)
    name = models.CharField(max_length=200, blank=True)
    # [{"quote": id} | {"passage": id}]
    members = EncryptedTextField()
    # The two sentences that show best what the theme is about (JSON list, encrypted).
    sentences = EncryptedTextField(blank=True, default="[]")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ThemeSuggestion]] = ScopedManager(
        network="question__round__network"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return ", ".join(self.keywords)


class SortProposal(models.Model):
    """Kretsen's proposal for one unsorted passage or quote, from the compiler's own themes.

    Nothing is applied until the compiler accepts it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="proposals")
    passage = models.OneToOneField(
        Passage, null=True, blank=True, on_delete=models.CASCADE, related_name="proposal"
    )
    quote = models.OneToOneField(
        Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="proposal"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="proposals")
    # [{"theme": theme id, "score": 0..1}], best first, at most three.
    candidates = models.JSONField(default=list)
    confidence = models.FloatField(default=0)
    is_sure = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[SortProposal]] = ScopedManager(
        network="question__round__network"
    )

    class Meta:
        ordering = ["-is_sure", "-confidence", "id"]

    def __str__(self) -> str:
        return f"{self.question} / proposal"
