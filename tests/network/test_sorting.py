"""Compiling with the material: every paragraph a passage, a first suggestion accepted into
themes, "sort the rest like these" applied only when accepted, the keyboard endpoint with
undo, passages reworded, and the search over a round."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from kretsen.core.errors import DomainError
from kretsen.network.models import (
    LocalNetwork,
    Network,
    Passage,
    QuoteUse,
    Round,
    SortProposal,
    Theme,
)
from kretsen.network.services import compilation
from tests.network.conftest import document, make_round

RESPITE = [
    "Avlösning i hemmet gav flera några timmar av vila varje vecka.",
    "Korttidsboende och växelvård borde gå att få utan att kämpa med handläggaren.",
    "Dagverksamheten gör att man hinner handla och andas en stund.",
    "Utan avlösning hade flera inte kunnat komma till träffarna alls.",
]
SECRECY = [
    "Tystnadsplikten måste sägas högt vid varje träff, inte bara första gången.",
    "Löftet att det som sägs stannar i rummet gör att man vågar berätta.",
    "Några var rädda att grannarna skulle få veta vad de sagt.",
    "Att skriva under löftet kändes som ett viktigt steg för gruppen.",
]


@pytest.fixture
def material_round(
    network: Network, local_a: LocalNetwork, local_b: LocalNetwork, staff_request: Any
) -> Round:
    the_round = make_round(network, questions=2)
    document(
        local_a,
        the_round,
        [("relative", "Jag sov en hel natt när avlösaren var här.")],
        discussion="\n\n".join(RESPITE[:2] + SECRECY[:2]),
    )
    document(
        local_b,
        the_round,
        [("staff", "Vi läser upp tystnadslöftet varje gång.")],
        discussion="\n\n".join(RESPITE[2:] + SECRECY[2:]),
    )
    with scope(network=network):
        compilation.start_compiling(staff_request, the_round)
    return the_round


def _question(the_round: Round) -> Any:
    return the_round.questions.get(position=1)


def test_every_paragraph_becomes_a_passage_once(material_round: Round, network: Network) -> None:
    with scope(network=network):
        question = _question(material_round)
        first = compilation.material(question)
        again = compilation.material(question)
        assert [item.key for item in first] == [item.key for item in again]
        assert Passage.objects.filter(answer__question=question).count() == 8
        assert sum(item.is_quote for item in first) == 2
        assert all(item.theme_id is None for item in first)


def test_a_suggestion_accepted_puts_its_passages_under_a_theme(
    material_round: Round, network: Network, staff_request: Any
) -> None:
    with scope(network=network):
        question = _question(material_round)
        suggestions = compilation.suggest_themes(staff_request, question)
        assert len(suggestions) == 2  # ten pieces of material: round(sqrt(5)) themes
        # Nothing changes until the coordinator accepts.
        assert not Theme.objects.filter(question=question).exists()
        assert all(compilation.suggestion_sentences(s) for s in suggestions)
        theme = compilation.accept_suggestion(staff_request, suggestions[0])
        members = compilation.suggestion_members(suggestions[0])
        passages = [m for m in members if "passage" in m]
        assert theme.passages.count() == len(passages)
        assert theme.title == suggestions[0].name


def test_sort_the_rest_proposes_and_applies_only_what_is_accepted(
    material_round: Round, network: Network, staff_request: Any
) -> None:
    with scope(network=network):
        question = _question(material_round)
        with pytest.raises(DomainError):
            compilation.propose_sorting(staff_request, question)
        items = {item.text: item for item in compilation.material(question)}
        respite = compilation.create_theme(staff_request, question, "Avlösning")
        secrecy = compilation.create_theme(staff_request, question, "Tystnadsplikt")
        compilation.assign_item(staff_request, question, items[RESPITE[0]].key, respite)
        compilation.assign_item(staff_request, question, items[SECRECY[0]].key, secrecy)
        proposals = compilation.propose_sorting(staff_request, question)
        assert len(proposals) == 8  # every passage and quote not sorted yet
        assert Passage.objects.filter(answer__question=question, theme__isnull=False).count() == 2
        assert not QuoteUse.objects.filter(theme__question=question).exists()
        for proposal in proposals:
            assert len(proposal.candidates) == 2  # only two themes to choose from
            assert 0 <= proposal.confidence <= 1
        # One at a time, with another candidate than the first.
        one = proposals[0]
        other = secrecy if one.theme_id == respite.pk else respite
        compilation.accept_proposal(staff_request, one, other)
        assert not SortProposal.objects.filter(pk=one.pk).exists()
        sure = SortProposal.objects.filter(question=question, is_sure=True).count()
        unsure = SortProposal.objects.filter(question=question, is_sure=False).count()
        assert compilation.accept_sure_proposals(staff_request, question) == sure
        # The unsure ones stay "not sorted" until the compiler decides.
        assert SortProposal.objects.filter(question=question).count() == unsure
        left = [item for item in compilation.material(question) if item.theme_id is None]
        assert len(left) == unsure


def test_the_keyboard_endpoint_assigns_and_undoes(
    material_round: Round, network: Network, coordinator_client: Client, staff_request: Any
) -> None:
    with scope(network=network):
        question = _question(material_round)
        theme = compilation.create_theme(staff_request, question, "Avlösning")
        item = compilation.material(question)[0]
    url = reverse(
        "network:item-assign", kwargs={"network": network.public_id, "question": question.public_id}
    )
    answer = coordinator_client.post(
        url,
        {"item": item.key, "theme": str(theme.public_id)},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200
    assert answer.json() == {"previous": ""}
    with scope(network=network):
        assert compilation.material(question)[0].theme_id == theme.pk
    # Undo: the script posts the theme it had before.
    assert coordinator_client.post(
        url, {"item": item.key, "theme": ""}, headers={"Accept": "application/json"}
    ).json() == {"previous": str(theme.public_id)}
    with scope(network=network):
        assert compilation.material(question)[0].theme_id is None
    # Without JavaScript the same form redirects back to the item.
    plain = coordinator_client.post(url, {"item": item.key, "theme": str(theme.public_id)})
    assert plain.status_code == 302
    assert plain["Location"].endswith(f"#item-{item.key}")
    bad = coordinator_client.post(
        url,
        {"item": "p00000000-0000-0000-0000-000000000000", "theme": ""},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "Det stycket hör inte till den här frågan."


def test_a_quote_of_another_question_cannot_be_sorted_here(
    material_round: Round, network: Network, staff_request: Any
) -> None:
    with scope(network=network):
        first, second = material_round.questions.order_by("position")
        quote_key = next(i.key for i in compilation.material(second) if i.is_quote)
        with pytest.raises(DomainError):
            compilation.assign_item(staff_request, first, quote_key, None)


def test_the_compiler_rewords_a_passage_for_the_report(
    material_round: Round, network: Network, coordinator_client: Client, staff_request: Any
) -> None:
    with scope(network=network):
        question = _question(material_round)
        theme = compilation.create_theme(staff_request, question, "Avlösning")
        item = compilation.material(question)[0]
        compilation.assign_item(staff_request, question, item.key, theme)
        passage = Passage.objects.get(public_id=item.key[1:])
    url = reverse(
        "network:passage-edit", kwargs={"network": network.public_id, "passage": passage.public_id}
    )
    prefix = str(passage.public_id)
    coordinator_client.post(url, {f"{prefix}-text": "Avlösning <b>gav</b> vila."})
    passage.refresh_from_db()
    assert passage.text == "Avlösning gav vila."
    page = coordinator_client.post(url, {f"{prefix}-text": "   "}, follow=True)
    passage.refresh_from_db()
    assert passage.text == "Avlösning gav vila."
    assert "Detta fält måste fyllas i." in [str(m) for m in page.context["messages"]]


def test_the_compile_page_lists_the_material_and_the_proposals(
    material_round: Round, network: Network, coordinator_client: Client, staff_request: Any
) -> None:
    with scope(network=network):
        question = _question(material_round)
        items = {item.text: item for item in compilation.material(question)}
        theme = compilation.create_theme(staff_request, question, "Avlösning")
        compilation.assign_item(staff_request, question, items[RESPITE[0]].key, theme)
        compilation.propose_sorting(staff_request, question)
    page = coordinator_client.get(
        reverse(
            "network:compile", kwargs={"network": network.public_id, "question": question.public_id}
        )
    ).content.decode()
    for text in RESPITE + SECRECY:
        assert text in page
    assert "Sortera resten som de här" in page
    assert "Under ”Avlösning”" in page
    assert 'data-item="p' in page


def test_the_search_finds_passages_and_quotes_across_the_round(
    material_round: Round, network: Network, coordinator_client: Client
) -> None:
    url = reverse(
        "network:round-search",
        kwargs={"network": network.public_id, "round": material_round.public_id},
    )
    page = coordinator_client.get(url, {"q": "tystnad"}).content.decode()
    # One passage and one quote, under each of the round's two questions.
    assert page.count("Tystnadsplikten måste sägas högt") == 2
    assert page.count("Vi läser upp tystnadslöftet varje gång.") == 2
    assert "Avlösning i hemmet" not in page
    assert "4 stycken och citat hittades." in page
    empty = coordinator_client.get(url, {"q": "sjöjungfru"}).content.decode()
    assert "0 stycken och citat hittades." in empty
