"""A proposal of groups: the engine's input as it was, its result, and the coordinator's edits."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kretsen.core.models import Organisation
from kretsen.directory.models import Offer


class Proposal(models.Model):
    """One run of the formation engine and what the coordinator did with it.

    ``problem`` is the input snapshot (people by registration id, leaders by user id, the
    rules with the offer's target group, the people included by hand outside it), so that
    moves are checked against what the engine saw; ``groups`` is the current, edited proposal
    (a list of groups with a ``locked`` flag); ``result`` what the engine returned (objective,
    bound, status, who was left out and why, first come first served's fairness figures).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Forming groups")
        DONE = "done", _("Ready to review")
        FAILED = "failed", _("Could not be completed")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        Offer,
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_pool = models.ForeignKey(
        "SharedPool",
        verbose_name=_("shared pool"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    seconds = models.PositiveSmallIntegerField(_("time to search, in seconds"), default=10)
    seed = models.PositiveIntegerField(default=0)
    problem = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    groups = models.JSONField(default=list)
    apart = models.JSONField(default=list)
    together = models.JSONField(default=list)
    created_groups = models.JSONField(default=list)
    started_at = models.DateTimeField(null=True, blank=True)  # when the worker took it up
    finished_at = models.DateTimeField(null=True, blank=True)
    # While the search runs: the best objective so far, the proven bound and the seconds
    # searched, written from the engine's progress reports (at most about once a second).
    best_value = models.FloatField(null=True, blank=True)
    best_bound = models.FloatField(null=True, blank=True)
    elapsed = models.FloatField(default=0.0)

    objects: ClassVar[models.Manager[Proposal]] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"proposal {self.public_id}"

    @property
    def is_working(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DONE


class SharedPool(models.Model):
    """Organisations that agreed to form digital groups from their waiting lists together.

    A pool spans organisations, so it has no scoped manager: views always filter by the
    requesting organisation's own membership (``services/shared.py``).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name of the shared pool"), max_length=120)
    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PoolMember(models.Model):
    """One organisation's answer to a shared pool: invited, agreed, declined or withdrawn."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        AGREED = "agreed", _("Takes part")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrew")

    pool = models.ForeignKey(SharedPool, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pool", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "organisation"], name="matching_pool_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.pool}"


class Transfer(models.Model):
    """A place in another organisation's shared-pool group, offered for one of our people.

    The person's home organisation decides: releasing copies what the group needs (name,
    contact, relation, condition, age band, languages, times) to the host organisation, which
    invites them; the home organisation's intake notes stay at home.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for their organisation")
        RELEASED = "released", _("Released and invited")
        DECLINED = "declined", _("Not released")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pool = models.ForeignKey(SharedPool, null=True, on_delete=models.SET_NULL, related_name="+")
    proposal = models.ForeignKey(
        Proposal, null=True, on_delete=models.SET_NULL, related_name="transfers"
    )
    home = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        "intake.Registration", on_delete=models.CASCADE, related_name="transfers"
    )
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_to = models.ForeignKey(
        "intake.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "group"], name="matching_transfer_once")
        ]

    def __str__(self) -> str:
        return f"transfer {self.public_id}"
