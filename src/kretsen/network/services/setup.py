"""Setting up a network: its purpose, the local networks and their members, the rounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.network import text
from kretsen.network.models import (
    MAX_QUESTIONS,
    TEXT_MAX,
    LocalMember,
    LocalNetwork,
    MemberRole,
    Network,
    Question,
    Round,
)


@dataclass(frozen=True)
class QuestionData:
    text: str
    sub_questions: str = ""
    background: str = ""


@dataclass(frozen=True)
class MemberData:
    role: str
    name: str = ""


def _plain(value: str, limit: int = TEXT_MAX) -> str:
    return text.clean(value, limit).text


def update_network(request: HttpRequest, network: Network, purpose: str, language: str) -> None:
    network.purpose = _plain(purpose)
    network.language = language
    network.save(update_fields=["purpose", "language"])
    audit.log(request, "network.network.changed", network)


def find_leader(organisation: Organisation, email: str) -> User:
    """A staff user with an active role in ``organisation``, by e-mail address."""
    user = User.objects.staff().filter(email__iexact=email.strip()).first()
    if user is not None:
        with scope(organisation=organisation):
            if StaffMembership.objects.filter(user=user, is_active=True).exists():
                return user
    raise DomainError(
        _(
            "No active staff member of %(organisation)s has this e-mail address. "
            "Ask the organisation's admin to invite the local leader first."
        )
        % {"organisation": organisation.name}
    )


@transaction.atomic
def save_local_network(
    request: HttpRequest,
    network: Network,
    local_network: LocalNetwork | None,
    organisation: Organisation,
    name: str,
    leader_email: str,
    members: list[MemberData],
) -> LocalNetwork:
    leader = find_leader(organisation, leader_email) if leader_email.strip() else None
    for member in members:
        if member.role not in MemberRole.values:
            raise DomainError(_("Every member needs a role."))
    created = local_network is None
    if local_network is None:
        local_network = LocalNetwork(network=network)
    local_network.organisation = organisation
    local_network.name = _plain(name, 150) or organisation.name
    local_network.leader = leader
    local_network.save()
    local_network.members.all().delete()
    LocalMember.objects.bulk_create(
        LocalMember(local_network=local_network, role=m.role, name=_plain(m.name, 100))
        for m in members
    )
    audit.log(
        request,
        "network.local.created" if created else "network.local.changed",
        local_network,
        data={"members": len(members), "leader": leader.email if leader else ""},
    )
    return local_network


def next_round_number(network: Network) -> int:
    highest = Round.objects.filter(network=network).aggregate(top=Max("number"))["top"]
    return int(highest or 0) + 1


@transaction.atomic
def save_round(
    request: HttpRequest,
    network: Network,
    the_round: Round | None,
    fields: dict[str, Any],
    questions: list[QuestionData],
) -> Round:
    questions = [q for q in questions if q.text.strip()]
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise DomainError(_("A round has one to four questions."))
    meetings_from: date = fields["meetings_from"]
    meetings_to: date = fields["meetings_to"]
    if meetings_to < meetings_from:
        raise DomainError(_("The meetings cannot end before they start."))
    if fields["deadline"] < meetings_from:
        raise DomainError(_("The deadline cannot come before the meetings start."))
    created = the_round is None
    if the_round is None:
        the_round = Round(network=network, number=next_round_number(network))
    elif not the_round.is_open and _questions_changed(the_round, questions):
        raise DomainError(_("The questions cannot change once compiling has started."))
    old_deadline = None if created else (the_round.deadline, the_round.reminder_days)
    for name in ("meetings_from", "meetings_to", "deadline", "reminder_days"):
        setattr(the_round, name, fields[name])
    the_round.save()
    if the_round.is_open:
        _save_questions(the_round, questions)
    if old_deadline != (the_round.deadline, the_round.reminder_days):
        the_round.reminder_sent_at = None
        the_round.save(update_fields=["reminder_sent_at"])
        from kretsen.network.services import reminders

        reminders.schedule(the_round)
    if created:
        from kretsen.network.tasks import announce_round_open

        round_id = the_round.pk
        transaction.on_commit(lambda: announce_round_open.enqueue(round_id=round_id))
    audit.log(
        request,
        "network.round.created" if created else "network.round.changed",
        the_round,
        data={"number": the_round.number, "questions": len(questions)},
    )
    return the_round


def _questions_changed(the_round: Round, questions: list[QuestionData]) -> bool:
    current = [
        (q.text, q.sub_questions, q.background) for q in the_round.questions.order_by("position")
    ]
    wanted = [
        (_plain(q.text), _plain(q.sub_questions), _plain(q.background, TEXT_MAX * 2))
        for q in questions
    ]
    return current != wanted


def _save_questions(the_round: Round, questions: list[QuestionData]) -> None:
    existing = {q.position: q for q in the_round.questions.all()}
    for position, data in enumerate(questions, start=1):
        question = existing.pop(position, None) or Question(round=the_round, position=position)
        question.text = _plain(data.text)
        question.sub_questions = _plain(data.sub_questions)
        question.background = _plain(data.background, TEXT_MAX * 2)
        question.save()
    for leftover in existing.values():
        if leftover.answers.exists():
            raise DomainError(_("A question that already has documentation cannot be removed."))
        leftover.delete()
