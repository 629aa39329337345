"""Getters for the network's objects. Every one runs inside the network's scope (opened by the
access decorator), so another network's object answers 404."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from kretsen.network.access import NetworkRequest
from kretsen.network.models import (
    Answer,
    LocalNetwork,
    Network,
    Passage,
    Question,
    Quote,
    QuoteUse,
    Round,
    SortProposal,
    Theme,
    ThemeSuggestion,
)


def network_of(request: HttpRequest) -> Network:
    return cast(NetworkRequest, request).network


def local_of(request: HttpRequest) -> LocalNetwork:
    return cast(NetworkRequest, request).local_network


def get_local(public_id: uuid.UUID) -> LocalNetwork:
    return get_object_or_404(
        LocalNetwork.objects.select_related("organisation", "leader"), public_id=public_id
    )


def get_round(public_id: uuid.UUID) -> Round:
    return get_object_or_404(Round.objects.select_related("network"), public_id=public_id)


def get_question(public_id: uuid.UUID, the_round: Round | None = None) -> Question:
    found = get_object_or_404(
        Question.objects.select_related("round__network"), public_id=public_id
    )
    if the_round is not None and found.round_id != the_round.pk:
        raise_not_found()
    return found


def get_theme(public_id: uuid.UUID) -> Theme:
    return get_object_or_404(Theme.objects.select_related("question__round"), public_id=public_id)


def get_quote(public_id: uuid.UUID) -> Quote:
    return get_object_or_404(
        Quote.objects.select_related("answer__question__round"), public_id=public_id
    )


def get_quote_use(public_id: uuid.UUID) -> QuoteUse:
    return get_object_or_404(
        QuoteUse.objects.select_related("theme__question__round", "quote"), public_id=public_id
    )


def get_answer(public_id: uuid.UUID) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("question__round", "submission"), public_id=public_id
    )


def get_passage(public_id: uuid.UUID) -> Passage:
    return get_object_or_404(
        Passage.objects.select_related("theme", "answer__question__round"), public_id=public_id
    )


def get_proposal(public_id: uuid.UUID) -> SortProposal:
    return get_object_or_404(
        SortProposal.objects.select_related("question__round", "theme"), public_id=public_id
    )


def get_suggestion(public_id: uuid.UUID) -> ThemeSuggestion:
    return get_object_or_404(
        ThemeSuggestion.objects.select_related("question__round"), public_id=public_id
    )


def raise_not_found() -> None:
    from django.http import Http404

    raise Http404


def show_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
