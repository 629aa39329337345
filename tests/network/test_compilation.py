"""The coordinator compiles: themes (create, rename, merge, order), passages and quotes,
suggestions applied only when accepted, background, publication."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from kretsen.core.errors import DomainError
from kretsen.core.models import AuditEvent
from kretsen.network.models import (
    LocalNetwork,
    Network,
    Quote,
    QuoteUse,
    Round,
    Theme,
    ThemeSuggestion,
)
from kretsen.network.services import compilation
from tests.network.conftest import document

RESPITE = [
    ("relative", "Avlösning i hemmet ger mig några timmar av vila varje vecka."),
    ("relative", "Korttidsboende och avlösning borde gå att få utan att kämpa."),
    ("staff", "Avlösning och korttidsboende är det som oftast saknas."),
]
SHAME = [
    ("relative", "Skam och skuld följer med mig överallt."),
    ("relative", "Skammen gör att jag inte berättar för grannarna."),
    ("volunteer", "Skuld och skam är vanligt, men går att prata om."),
]


@pytest.fixture
def compiling_round(
    network: Network,
    local_a: LocalNetwork,
    local_b: LocalNetwork,
    open_round: Round,
    staff_request: Any,
) -> Round:
    document(
        local_a,
        open_round,
        RESPITE,
        discussion="Vi pratade om avlösning.\n\nOch om korttidsboende i kommunen.",
    )
    document(local_b, open_round, SHAME, discussion="Skam och skuld var temat.\n\nSkammen är tung.")
    with scope(network=network):
        compilation.start_compiling(staff_request, open_round)
    return open_round


def test_it_edits_themes_and_assigns_quotes_and_passages(
    compiling_round: Round, network: Network, staff_request: Any
) -> None:
    with scope(network=network):
        question = compiling_round.questions.get(position=1)
        first = compilation.create_theme(staff_request, question, "<b>Avlösning</b>")
        second = compilation.create_theme(staff_request, question, "Skam")
        third = compilation.create_theme(staff_request, question, "Skuld")
        assert first.title == "Avlösning"
        compilation.update_theme(staff_request, second, "Skam och skuld", "Många skäms.")
        compilation.move_theme(staff_request, third, -1)
        assert [t.title for t in question.themes.all()] == ["Avlösning", "Skuld", "Skam och skuld"]

        quotes = list(
            Quote.objects.filter(answer__question=question).order_by(
                "answer__submission__local_network__name", "position"
            )
        )
        for quote in quotes[:3]:
            compilation.assign_quote(staff_request, quote, first)
        compilation.assign_quote(staff_request, quotes[3], third)
        compilation.assign_quote(staff_request, quotes[4], second)
        answer = next(q.answer for q in quotes if q.text == SHAME[0][1])
        compilation.add_passage(staff_request, answer, third, "Skammen   är tung.")
        with pytest.raises(DomainError):
            compilation.add_passage(staff_request, answer, third, "Något som aldrig sades.")

        compilation.merge_themes(staff_request, third, second)
        assert not Theme.objects.filter(pk=third.pk).exists()
        second.refresh_from_db()
        assert second.quote_uses.count() == 2
        assert second.passages.count() == 1
        with pytest.raises(DomainError):
            compilation.merge_themes(staff_request, second, second)

        compilation.assign_quote(staff_request, quotes[0], None)
        assert first.quote_uses.count() == 2
        compilation.delete_theme(staff_request, first)
        assert QuoteUse.objects.count() == 2
        assert Quote.objects.count() == len(RESPITE + SHAME) * 2
    with scopes_disabled():
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "network.theme.created",
        "network.theme.changed",
        "network.theme.moved",
        "network.theme.merged",
        "network.theme.deleted",
        "network.quote.assigned",
        "network.passage.assigned",
    } <= actions


def test_it_refuses_compilation_before_it_starts(
    network: Network, open_round: Round, staff_request: Any
) -> None:
    with scope(network=network), pytest.raises(DomainError):
        compilation.create_theme(staff_request, open_round.questions.get(position=1), "För tidigt")


def test_it_suggests_themes_and_applies_nothing_until_accepted(
    compiling_round: Round, network: Network, staff_request: Any, coordinator_client: Client
) -> None:
    with scope(network=network):
        question = compiling_round.questions.get(position=1)
    url = reverse(
        "network:suggest", kwargs={"network": network.public_id, "question": question.public_id}
    )
    assert coordinator_client.post(url).status_code == 302
    with scope(network=network):
        suggestions = list(ThemeSuggestion.objects.filter(question=question))
        assert len(suggestions) >= 2
        assert all(s.keywords for s in suggestions)
        assert not Theme.objects.exists()
        assert not QuoteUse.objects.exists()
    page = coordinator_client.get(
        reverse(
            "network:compile", kwargs={"network": network.public_id, "question": question.public_id}
        )
    )
    assert page.status_code == 200
    for keyword in suggestions[0].keywords:
        assert keyword in page.content.decode()

    accept = reverse(
        "network:suggestion-accept",
        kwargs={"network": network.public_id, "suggestion": suggestions[0].public_id},
    )
    coordinator_client.post(accept, {f"{suggestions[0].public_id}-title": "Ett eget namn"})
    with scope(network=network):
        theme = Theme.objects.get()
        assert theme.title == "Ett eget namn"
        assert theme.quote_uses.exists() or theme.passages.exists()
        assert ThemeSuggestion.objects.count() == len(suggestions) - 1


def test_it_generates_an_editable_background(
    compiling_round: Round, network: Network, staff_request: Any
) -> None:
    with scopes_disabled():
        compiling_round.refresh_from_db()
    background = compiling_round.background
    assert "Åby" in background
    assert "Bøfjord" in background
    assert "2 av 2" in background
    assert "anhöriga" in background
    with scope(network=network):
        compilation.save_background(
            staff_request, compiling_round, "<i>Egen</i> text.", "Nora", None
        )
    compiling_round.refresh_from_db()
    assert compiling_round.background == "Egen text."


def test_it_publishes_and_tells_the_local_leaders(
    compiling_round: Round,
    network: Network,
    coordinator_client: Client,
    leader_a: Any,
    other_leader: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    url = reverse(
        "network:round-publish",
        kwargs={"network": network.public_id, "round": compiling_round.public_id},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            coordinator_client.post(url, {"is_public": "on", "include_unsorted": "on"}).status_code
            == 302
        )
    compiling_round.refresh_from_db()
    assert compiling_round.is_published
    assert compiling_round.is_public
    assert compiling_round.include_unsorted
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader_a.email, other_leader.email])
    # Public: anyone may read the web version.
    public = Client().get(
        reverse(
            "network:report",
            kwargs={"network": network.public_id, "round": compiling_round.public_id},
        )
    )
    assert public.status_code == 200
    assert RESPITE[0][1] in public.content.decode()


def test_the_coordinator_sees_submissions_side_by_side_but_no_drafts(
    network: Network,
    local_a: LocalNetwork,
    local_b: LocalNetwork,
    open_round: Round,
    coordinator_client: Client,
    staff_request: Any,
) -> None:
    document(local_a, open_round, RESPITE)
    document(
        local_b, open_round, [("relative", "Ett utkast som inte är inskickat.")], submitted=False
    )
    with scope(network=network):
        compilation.start_compiling(staff_request, open_round)
        question = open_round.questions.get(position=1)
    page = coordinator_client.get(
        reverse(
            "network:compile", kwargs={"network": network.public_id, "question": question.public_id}
        )
    )
    content = page.content.decode()
    assert "Åby" in content
    assert RESPITE[0][1] in content
    assert "inte är inskickat" not in content
