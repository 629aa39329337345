"""Other networks' objects answer 404; the network coordinator sees no back office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.network.models import LocalNetwork, Network, Round, Theme
from tests.network.conftest import document, make_local, make_round


@pytest.fixture
def elsewhere(org_b: Organisation) -> dict[str, Any]:
    """Another network with a local network, a round being compiled and a theme."""
    other = Network.objects.create(name="Annat nätverk")
    local = make_local(other, org_b, None, "Bøfjord")
    the_round = make_round(other, state=Round.State.COMPILING)
    document(local, the_round, [("relative", "Ett citat från ett annat nätverk.")])
    with scopes_disabled():
        question = the_round.questions.first()
        assert question is not None
        answer = question.answers.get()
        theme = Theme.objects.create(question=question, title="Annat")
        return {
            "network": other,
            "local": local,
            "round": the_round,
            "question": question,
            "answer": answer,
            "quote": answer.quotes.get(),
            "theme": theme,
        }


@pytest.mark.parametrize(
    ("route", "kwarg", "key", "method"),
    [
        ("network:local-edit", "local", "local", "GET"),
        ("network:round", "round", "round", "GET"),
        ("network:round-edit", "round", "round", "GET"),
        ("network:round-start", "round", "round", "POST"),
        ("network:round-publish", "round", "round", "POST"),
        ("network:compile", "question", "question", "GET"),
        ("network:theme-new", "question", "question", "POST"),
        ("network:suggest", "question", "question", "POST"),
        ("network:theme-edit", "theme", "theme", "POST"),
        ("network:theme-delete", "theme", "theme", "POST"),
        ("network:quote-assign", "quote", "quote", "POST"),
        ("network:passage-new", "answer", "answer", "POST"),
        ("network:report", "round", "round", "GET"),
    ],
)
def test_it_answers_404_for_another_networks_object(
    route: str,
    kwarg: str,
    key: str,
    method: str,
    network: Network,
    coordinator_client: Client,
    elsewhere: dict[str, Any],
) -> None:
    url = reverse(route, kwargs={"network": network.public_id, kwarg: elsewhere[key].public_id})
    response = coordinator_client.post(url) if method == "POST" else coordinator_client.get(url)
    assert response.status_code == 404
    with scopes_disabled():
        assert Theme.objects.filter(pk=elsewhere["theme"].pk).exists()
        assert Round.objects.get(pk=elsewhere["round"].pk).state == Round.State.COMPILING


def test_a_coordinator_of_another_network_gets_403(
    elsewhere: dict[str, Any], coordinator_client: Client
) -> None:
    url = reverse("network:home", kwargs={"network": elsewhere["network"].public_id})
    assert coordinator_client.get(url).status_code == 403


def test_the_network_coordinator_sees_no_organisations_back_office(
    coordinator_client: Client, org_a: Organisation, local_a: LocalNetwork
) -> None:
    for url in (
        reverse("core:org-home", kwargs={"org": org_a.slug}),
        reverse("core:people", kwargs={"org": org_a.slug}),
        reverse("intake:inbox", kwargs={"org": org_a.slug}),
        reverse("core:audit", kwargs={"org": org_a.slug}),
    ):
        assert coordinator_client.get(url).status_code == 403


def test_an_unpublished_report_is_hidden_from_local_leaders(
    network: Network, local_a: LocalNetwork, leader_client: Client, open_round: Round
) -> None:
    url = reverse(
        "network:report", kwargs={"network": network.public_id, "round": open_round.public_id}
    )
    assert leader_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_overview_lists_what_a_user_leads(
    leader_client: Client, local_a: LocalNetwork, leader_a: User
) -> None:
    page = leader_client.get(reverse("network:mine"))
    assert page.status_code == 200
    assert str(local_a.public_id) in page.content.decode()
