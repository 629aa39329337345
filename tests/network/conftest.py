"""Factories and fixtures for the learning network: a local network in organisation A led by
``leader_a``, another in organisation B, and a round with two questions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.network.models import (
    Answer,
    LocalMember,
    LocalNetwork,
    MemberRole,
    Network,
    Question,
    Quote,
    Round,
    Submission,
)
from tests.conftest import sign_in_staff


def make_local(
    network: Network, organisation: Organisation, leader: User | None, name: str
) -> LocalNetwork:
    with scopes_disabled():
        local = LocalNetwork.objects.create(
            network=network, organisation=organisation, leader=leader, name=name
        )
        LocalMember.objects.bulk_create(
            LocalMember(local_network=local, role=role)
            for role in (MemberRole.RELATIVE, MemberRole.RELATIVE, MemberRole.STAFF)
        )
    return local


def make_round(network: Network, number: int = 1, questions: int = 2, **extra: Any) -> Round:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "network": network,
        "number": number,
        "meetings_from": today - datetime.timedelta(days=10),
        "meetings_to": today + datetime.timedelta(days=5),
        "deadline": today + datetime.timedelta(days=10),
    }
    fields.update(extra)
    with scopes_disabled():
        the_round = Round.objects.create(**fields)
        for position in range(1, questions + 1):
            Question.objects.create(
                round=the_round,
                position=position,
                text=f"Fråga {position}: vad ger stöd i vardagen när allt känns tungt?",
                sub_questions="Vad fungerar?\nVad saknas?",
            )
    return the_round


def document(
    local: LocalNetwork,
    the_round: Round,
    quotes: list[tuple[str, str]] | None = None,
    discussion: str = "Vi pratade om skuld och skam, och om rätten till ett eget liv.",
    submitted: bool = True,
) -> Submission:
    """Documentation written straight into the database (each question gets the same text)."""
    with scopes_disabled():
        submission = Submission.objects.create(
            round=the_round,
            local_network=local,
            state=Submission.State.SUBMITTED if submitted else Submission.State.DRAFT,
            submitted_at=timezone.now() if submitted else None,
        )
        for question in the_round.questions.all():
            answer = Answer.objects.create(
                submission=submission, question=question, discussion=discussion
            )
            Quote.objects.bulk_create(
                Quote(answer=answer, role=role, text=text, position=i)
                for i, (role, text) in enumerate(quotes or [])
            )
    return submission


@pytest.fixture
def local_a(network: Network, org_a: Organisation, leader_a: User) -> LocalNetwork:
    return make_local(network, org_a, leader_a, "Åby")


@pytest.fixture
def other_leader(org_b: Organisation) -> User:
    from kretsen.core.roles import Role
    from tests.conftest import make_staff

    return make_staff("leader@b.example", org_b, {Role.LEADER})


@pytest.fixture
def local_b(network: Network, org_b: Organisation, other_leader: User) -> LocalNetwork:
    return make_local(network, org_b, other_leader, "Bøfjord")


@pytest.fixture
def open_round(network: Network) -> Round:
    return make_round(network)


@pytest.fixture
def coordinator_client(network_coordinator: User) -> Client:
    return sign_in_staff(Client(), network_coordinator)


@pytest.fixture
def leader_client(leader_a: User) -> Client:
    return sign_in_staff(Client(), leader_a)


@pytest.fixture
def staff_request(network_coordinator: User) -> Any:
    """A request object for calling services directly, as the network coordinator."""
    request = RequestFactory().post("/")
    request.user = network_coordinator
    return request


@pytest.fixture
def in_network(network: Network) -> Any:
    with scope(network=network):
        yield network
