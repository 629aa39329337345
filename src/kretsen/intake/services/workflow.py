"""The coordinator's side: assigning, contact attempts, the intake conversation, statuses.

Every change here is written to the audit trail with the status before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.models import StaffMembership, User
from kretsen.core.vocabulary import Condition, Format, Language, Relation, bit, having
from kretsen.intake.models import ContactAttempt, Intake, Readiness, Registration, Status

TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.CONTACTED, Status.INTAKE_DONE, Status.WITHDRAWN},
    Status.CONTACTED: {Status.INTAKE_DONE, Status.WITHDRAWN},
    Status.INTAKE_DONE: {
        Status.WAITING_LIST,
        Status.INDIVIDUAL_SUPPORT,
        Status.REFERRED,
        Status.WITHDRAWN,
    },
    Status.WAITING_LIST: {
        Status.INDIVIDUAL_SUPPORT,
        Status.REFERRED,
        Status.IN_GROUP,
        Status.WITHDRAWN,
    },
    # Set by the groups app when an invited person accepts a place; the coordinator decides
    # what follows when they leave.
    Status.IN_GROUP: {
        Status.WAITING_LIST,
        Status.INDIVIDUAL_SUPPORT,
        Status.REFERRED,
        Status.WITHDRAWN,
    },
    Status.INDIVIDUAL_SUPPORT: {Status.WAITING_LIST, Status.REFERRED, Status.WITHDRAWN},
    Status.REFERRED: {Status.WAITING_LIST, Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}

# Which status a readiness assessment usually leads to; the coordinator confirms it.
NEXT_STATUS_FOR_READINESS = {
    Readiness.READY: Status.WAITING_LIST,
    Readiness.INDIVIDUAL_FIRST: Status.INDIVIDUAL_SUPPORT,
    Readiness.OTHER_SUPPORT: Status.REFERRED,
    Readiness.NOT_SUITABLE: Status.REFERRED,
}


def allowed_next(registration: Registration) -> list[str]:
    return [s for s in Status.values if s in TRANSITIONS[registration.status]]


def view_record(request: HttpRequest, registration: Registration) -> None:
    """Reading a relative's record is logged, every time."""
    audit.read(request, "intake.registration.viewed", [registration], registration)


@transaction.atomic
def transition(request: HttpRequest, registration: Registration, to: str) -> None:
    if to == registration.status:
        return
    if to not in TRANSITIONS[registration.status]:
        raise DomainError(
            _("A registration that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": Status(registration.status).label,
                "next": Status(to).label if to in Status.values else to,
            }
        )
    before = registration.status
    registration.status = to
    registration.status_changed_at = timezone.now()
    if to == Status.WAITING_LIST:
        registration.waiting_since = registration.waiting_since or timezone.localdate()
    elif before == Status.WAITING_LIST:
        registration.waiting_since = None
    if to == Status.WITHDRAWN:
        registration.withdraw_now()
    registration.save()
    audit.log(
        request, "intake.registration.status_changed", registration, data={"from": before, "to": to}
    )


def coordinators(organisation_members: QuerySet[StaffMembership]) -> list[User]:
    return [m.user for m in organisation_members.filter(is_coordinator=True, is_active=True)]


@transaction.atomic
def assign(request: HttpRequest, registration: Registration, user: User | None) -> None:
    if (
        user is not None
        and not StaffMembership.objects.filter(
            user=user, is_coordinator=True, is_active=True
        ).exists()
    ):
        raise DomainError(_("Choose a coordinator of your organisation."))
    registration.assigned_to = user
    registration.save(update_fields=["assigned_to"])
    audit.log(
        request,
        "intake.registration.assigned",
        registration,
        data={"to": user.email if user else None},
    )


@transaction.atomic
def record_contact(
    request: HttpRequest, registration: Registration, channel: str, outcome: str, note: str
) -> ContactAttempt:
    if registration.status == Status.WITHDRAWN:
        raise DomainError(_("This person has withdrawn; do not contact them."))
    attempt = ContactAttempt.objects.create(
        registration=registration,
        organisation=registration.organisation,
        by=request.user if request.user.is_authenticated else None,
        channel=channel,
        outcome=outcome,
        note=note,
    )
    audit.log(
        request,
        "intake.contact.recorded",
        registration,
        data={"channel": channel, "outcome": outcome},
    )
    if outcome == ContactAttempt.Outcome.REACHED and registration.status == Status.NEW:
        transition(request, registration, Status.CONTACTED)
    return attempt


def with_contact_summary(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Adds ``attempts`` and ``failed_since_reached`` (failed attempts since the person was
    last reached) in the same query, for the inbox and its "not reached" flag."""
    last_reached = (
        ContactAttempt.objects.filter(
            registration=OuterRef("pk"), outcome=ContactAttempt.Outcome.REACHED
        )
        .order_by("-at")
        .values("at")[:1]
    )
    failed = Q(contact_attempts__outcome__in=ContactAttempt.NOT_REACHED)
    return registrations.annotate(last_reached=Subquery(last_reached)).annotate(
        attempts=Count("contact_attempts"),
        failed_since_reached=Count(
            "contact_attempts",
            filter=failed
            & (Q(last_reached__isnull=True) | Q(contact_attempts__at__gt=F("last_reached"))),
        ),
    )


def unreached_count(registration: Registration) -> int:
    annotated = getattr(registration, "failed_since_reached", None)
    if annotated is not None:
        return int(annotated)
    attempts = registration.contact_attempts.all()
    last = attempts.filter(outcome=ContactAttempt.Outcome.REACHED).order_by("-at").first()
    failed = attempts.filter(outcome__in=ContactAttempt.NOT_REACHED)
    if last is not None:
        failed = failed.filter(at__gt=last.at)
    return failed.count()


def is_unreached(registration: Registration, threshold: int | None = None) -> bool:
    if threshold is None:
        threshold = registration.organisation.unreached_after_attempts
    return registration.status in (Status.NEW, Status.CONTACTED) and (
        unreached_count(registration) >= threshold
    )


@transaction.atomic
def record_intake(
    request: HttpRequest,
    registration: Registration,
    data: dict[str, Any],
    never_with: list[Registration],
    next_status: str,
) -> Intake:
    if registration.status == Status.WITHDRAWN:
        raise DomainError(_("This person has withdrawn."))
    for name in ("relation", "condition", "age_band", "gender", "languages", "format_preference"):
        setattr(registration, name, data[name])
    registration.save()
    intake, created = Intake.objects.get_or_create(
        registration=registration,
        defaults={"organisation": registration.organisation, "readiness": data["readiness"]},
    )
    for name in (
        "situation",
        "availability",
        "area",
        "group_preference",
        "shared_pool",
        "readiness",
        "readiness_reason",
        "next_step",
        "held_on",
    ):
        setattr(intake, name, data[name])
    intake.held_by = request.user if request.user.is_authenticated else None
    intake.save()
    intake.never_with.set([other for other in never_with if other.pk != registration.pk])
    audit.log(
        request,
        "intake.intake.recorded" if created else "intake.intake.changed",
        registration,
        data={"readiness": intake.readiness},
    )
    if registration.status in (Status.NEW, Status.CONTACTED):
        transition(request, registration, Status.INTAKE_DONE)
    if next_status and next_status != registration.status:
        transition(request, registration, next_status)
    return intake


@dataclass
class WaitingFilter:
    condition: str = ""
    relation: str = ""
    language: str = ""
    format: str = ""


def waiting_list(criteria: WaitingFilter) -> QuerySet[Registration]:
    people = Registration.objects.filter(status=Status.WAITING_LIST)
    if criteria.condition:
        people = people.filter(condition=criteria.condition)
    if criteria.relation:
        people = people.filter(relation=criteria.relation)
    if criteria.language:
        people = having(people, "languages", criteria.language, Language)
    if criteria.format == Format.DIGITAL:
        people = people.filter(format_preference__in=[Format.DIGITAL, Format.BOTH])
    elif criteria.format == Format.IN_PERSON:
        people = people.filter(format_preference__in=[Format.IN_PERSON, Format.BOTH])
    return people.order_by("waiting_since", "pk")


def waiting_counts(people: QuerySet[Registration]) -> dict[str, list[tuple[str, int]]]:
    """How many are waiting, by condition, relation, language and format: one query each."""
    by_condition = dict(
        people.order_by()
        .values_list("condition")
        .annotate(n=Count("pk"))
        .values_list("condition", "n")
    )
    by_relation = dict(
        people.order_by()
        .values_list("relation")
        .annotate(n=Count("pk"))
        .values_list("relation", "n")
    )
    by_format = dict(
        people.order_by()
        .values_list("format_preference")
        .annotate(n=Count("pk"))
        .values_list("format_preference", "n")
    )
    language_counts = _language_counts(people)
    return {
        "condition": [(str(c.label), by_condition.get(c.value, 0)) for c in Condition],
        "relation": [(str(r.label), by_relation.get(r.value, 0)) for r in Relation],
        "language": [(str(Language(code).label), n) for code, n in language_counts.items() if n],
        "format": [(str(f.label), by_format.get(f.value, 0)) for f in Format],
    }


def _language_counts(people: QuerySet[Registration]) -> dict[str, int]:
    annotated = people.order_by().alias(
        **{f"_lang_{code}": F("languages").bitand(bit(code, Language)) for code in Language.values}
    )
    return annotated.aggregate(
        **{code: Count("pk", filter=~Q(**{f"_lang_{code}": 0})) for code in Language.values}
    )
