from __future__ import annotations

import hashlib
import secrets
import uuid
import zoneinfo
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kretsen.core.roles import Role

RESERVED_SLUGS = {"account", "static", "media", "admin", "api"}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved; choose another."))


def hash_token(raw: str) -> str:
    """Tokens sent by mail are stored only as a SHA-256 hash; the raw value lives in the mail."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        ASSOCIATION = "association", _("Association")
        REGION = "region", _("Region")

    class Country(models.TextChoices):
        SE = "SE", _("Sweden")
        NO = "NO", _("Norway")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("Lower-case letters, digits and hyphens; appears in staff addresses."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Stockholm", validators=[validate_time_zone]
    )
    region = models.CharField(
        _("county or region"),
        max_length=100,
        blank=True,
        help_text=_("For example Västra Götaland or Vestland. Used in the public directory."),
    )
    welcomes_outside_participants = models.BooleanField(
        _("digital offers are open to people from elsewhere"),
        default=False,
        help_text=_("Show the digital offers to people searching anywhere in the country."),
    )
    retention_days = models.PositiveIntegerField(
        _("days before personal data is deleted"),
        default=90,
        help_text=_(
            "After a group ends, for its members. Someone who withdraws is deleted the next day."
        ),
    )
    unreached_after_attempts = models.PositiveSmallIntegerField(
        _("flag people not reached after this many attempts"), default=3
    )
    privacy_sv = models.TextField(_("privacy notice (Swedish)"), blank=True, max_length=20000)
    privacy_nb = models.TextField(_("privacy notice (Norwegian)"), blank=True, max_length=20000)
    privacy_en = models.TextField(_("privacy notice (English)"), blank=True, max_length=20000)
    crisis_sv = models.TextField(_("crisis contacts (Swedish)"), blank=True, max_length=4000)
    crisis_nb = models.TextField(_("crisis contacts (Norwegian)"), blank=True, max_length=4000)
    crisis_en = models.TextField(_("crisis contacts (English)"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def text(self, field: str, language: str) -> str:
        """An organisation-written text in ``language``, else its default language, else any."""
        for code in (language, self.default_language, "sv", "nb", "en"):
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return str(value)
        return ""


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, kind: str, password: str | None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), kind=kind, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_staff_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        return self._create(email, User.Kind.STAFF, password, **extra)

    def create_relative(self, email: str, **extra: Any) -> User:
        return self._create(email, User.Kind.RELATIVE, None, **extra)

    def create_user(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        return self._create(
            email or username, extra.pop("kind", User.Kind.STAFF), password, **extra
        )

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email or username, User.Kind.STAFF, password, **extra)

    def staff(self) -> models.QuerySet[User]:
        return self.filter(kind=User.Kind.STAFF)

    def relatives(self) -> models.QuerySet[User]:
        return self.filter(kind=User.Kind.RELATIVE)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can sign in: staff (password + TOTP) or a relative (sign-in links only).

    Staff and relatives are separate identities even when they share an e-mail address, so that
    nothing about being a relative shows through the staff side, and a sign-in link can never
    open a staff account.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        RELATIVE = "relative", _("Relative")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # An internal, opaque identifier; people sign in with their e-mail address.
    username = models.CharField(max_length=40, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    display_name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("A first name or a pseudonym is fine.")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform operator"),
        default=False,
        help_text=_("May open the platform's technical administration."),
    )
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    # Changing this ends every session of the user (see _get_session_auth_hash).
    security_stamp = models.CharField(max_length=32, default="", editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), "kind", name="core_user_unique_email_per_kind")
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.username:
            self.username = uuid.uuid4().hex
        if not self.security_stamp:
            self.security_stamp = secrets.token_hex(16)
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def first_name_only(self) -> str:
        """The first word of the display name: what a relative is told of a leader."""
        words = self.display_name.split()
        return words[0] if words else ""

    @property
    def is_relative(self) -> bool:
        return self.kind == self.Kind.RELATIVE

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "kretsen.core.models.User.session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.security_stamp}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def end_all_sessions(self) -> None:
        self.security_stamp = secrets.token_hex(16)
        self.save(update_fields=["security_stamp"])


class StaffMembership(models.Model):
    """The roles one staff user holds in one organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_leader = models.BooleanField(_("group leader"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    objects: ClassVar[models.Manager[StaffMembership]] = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="core_membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def roles(self) -> set[Role]:
        found = set()
        if self.is_admin:
            found.add(Role.ADMIN)
        if self.is_coordinator:
            found.add(Role.COORDINATOR)
        if self.is_leader:
            found.add(Role.LEADER)
        return found

    def role_labels(self) -> list[str]:
        return [str(role.label) for role in Role if role in self.roles]


class Invitation(models.Model):
    """An e-mailed invitation for a new staff user to choose a password and set up 2FA."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Invitation]] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class SignInLink(models.Model):
    """A single-use, expiring sign-in link for a relative. Only the token's hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link {self.pk}"

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        # Each row takes its place in a hash chain one at a time (audit.log).
        raise PermissionError("Audit events are written one at a time, through audit.log.")


action_code_validator = RegexValidator(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


class AuditEvent(models.Model):
    """One entry in the append-only audit trail: who did what to which object, when and where.

    The actor and organisation are kept as plain ids plus a label, without foreign-key
    constraints, so that an entry never has to change when a user or organisation goes away.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(
        _("action"), max_length=100, validators=[action_code_validator], db_index=True
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (core/audit_chain.py, decision 0105): the row's place in its
    # organisation's chain, the chain hash, and the seal over who did it. Retention erases
    # only the nonce, together with the actor (decision 0086).
    chain_seq = models.PositiveBigIntegerField(default=0, editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)
    actor_seal = models.CharField(max_length=64, blank=True, editable=False)
    seal_nonce = models.CharField(max_length=32, blank=True, editable=False)
    # The relatives a read showed: their registrations' public ids (decision 0115). No
    # default, so that adding the column does not rebuild the table (and drop its trigger)
    # on SQLite; rows from before have none.
    subjects = models.JSONField(_("people shown"), null=True, blank=True)

    objects: ClassVar[models.Manager[AuditEvent]] = ScopedManager(
        organisation="organisation",
        _manager_class=models.Manager.from_queryset(AppendOnlyQuerySet),
    )
    # Used only by the writer, which runs outside any organisation scope (e.g. at sign-in).
    writer = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        base_manager_name = "writer"
        indexes = [models.Index(fields=["organisation", "chain_seq"], name="audit_chain_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        from kretsen.core.audit_chain import next_link

        with next_link(self):
            super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        from kretsen.core.audit_actions import label

        return label(self.action)

    @property
    def read_label(self) -> str:
        """What a relative is told this read was ("opened your registration")."""
        from kretsen.core.audit_actions import READS_OF_A_RECORD, label

        found = READS_OF_A_RECORD.get(self.action)
        return str(found) if found is not None else label(self.action)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class AuditChainHead(models.Model):
    """The last place and hash of one audit chain (``chain`` is the organisation's id, 0 for
    rows without one). Writers lock it; a trail emptied below it shows as a break."""

    chain = models.BigIntegerField(unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain {self.chain} at {self.seq}"


class AuditCheck(models.Model):
    """One day's check of the audit chains by the scheduler. The unique day lets the scheduler
    claim the check once, however many schedulers are running."""

    day = models.DateField(unique=True)
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The first break of each chain, as text (organisation id, row id, what is wrong).
    breaks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"audit check {self.day}"


class Heartbeat(models.Model):
    """When a background process last showed that it runs (the worker, the scheduler).

    Platform data, not a tenant's: read by ``/healthz``. The scheduler asks the worker for a
    beat through the queue (``requested_at``), so a worker that no longer takes tasks shows."""

    name = models.CharField(max_length=20, unique=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
