"""Permission-table rows for the network app (collected by ``tests/test_permissions.py``).

The world gets a local network in organisation A led by ``leader_a`` (the "leader" persona),
an open round with that local network's draft, a round being compiled (a theme, a quote under
it, a passage, a suggestion) and a published round that is not public.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from kretsen.network.models import (
    Passage,
    QuoteUse,
    Round,
    SortProposal,
    Theme,
    ThemeSuggestion,
)
from tests.network.conftest import document, make_local, make_round
from tests.permission_table import Row

#              anonymous relative leader coordinator admin other_org network
COORDINATOR = (302, 403, 403, 403, 403, 403, 200)
COORDINATOR_POST = (302, 403, 403, 403, 403, 403, 302)
LOCAL_LEADER = (302, 403, 200, 403, 403, 403, 403)
LOCAL_LEADER_POST = (302, 403, 302, 403, 403, 403, 403)
PUBLISHED_REPORT = (302, 403, 200, 403, 403, 403, 200)
ANY_STAFF = (302, 403, 200, 200, 200, 200, 200)


def _n(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"network": ctx["network"].public_id}


def _with(key: str, kwarg: str) -> Any:
    return lambda ctx: {**_n(ctx), kwarg: ctx[key].public_id}


def _local(ctx: dict[str, Any], round_key: str = "") -> dict[str, Any]:
    kwargs = {**_n(ctx), "local": ctx["local_network"].public_id}
    if round_key:
        kwargs["round"] = ctx[round_key].public_id
    return kwargs


ROWS: list[Row] = [
    Row("network:mine", ANY_STAFF),
    Row("network:settings", COORDINATOR, kwargs=_n),
    Row("network:dashboard", COORDINATOR, kwargs=_n),
    Row("network:dashboard-csv", COORDINATOR, kwargs=_n),
    Row("network:local-new", COORDINATOR, kwargs=_n),
    Row("network:local-edit", COORDINATOR, kwargs=_with("local_network", "local")),
    Row("network:round-new", COORDINATOR, kwargs=_n),
    Row("network:round", COORDINATOR, kwargs=_with("open_round", "round")),
    Row("network:round-edit", COORDINATOR, kwargs=_with("open_round", "round")),
    Row("network:round-start", COORDINATOR_POST, "POST", _with("open_round", "round")),
    Row(
        "network:round-background",
        COORDINATOR_POST,
        "POST",
        _with("compiling_round", "round"),
    ),
    Row(
        "network:round-background-generate",
        COORDINATOR_POST,
        "POST",
        _with("compiling_round", "round"),
    ),
    Row("network:round-publish", COORDINATOR_POST, "POST", _with("compiling_round", "round")),
    Row("network:compile", COORDINATOR, kwargs=_with("compiling_question", "question")),
    Row("network:theme-new", COORDINATOR_POST, "POST", _with("compiling_question", "question")),
    Row("network:suggest", COORDINATOR_POST, "POST", _with("compiling_question", "question")),
    Row(
        "network:suggestions-discard",
        COORDINATOR_POST,
        "POST",
        _with("compiling_question", "question"),
    ),
    Row("network:suggestion-accept", COORDINATOR_POST, "POST", _with("suggestion", "suggestion")),
    Row("network:theme-edit", COORDINATOR_POST, "POST", _with("theme", "theme")),
    Row("network:theme-move", COORDINATOR_POST, "POST", _with("theme", "theme")),
    Row("network:theme-merge", COORDINATOR_POST, "POST", _with("theme", "theme")),
    Row("network:theme-delete", COORDINATOR_POST, "POST", _with("theme", "theme")),
    Row("network:quote-assign", COORDINATOR_POST, "POST", _with("compiling_quote", "quote")),
    Row("network:quote-use", COORDINATOR_POST, "POST", _with("quote_use", "use")),
    Row("network:passage-new", COORDINATOR_POST, "POST", _with("compiling_answer", "answer")),
    Row("network:passage-remove", COORDINATOR_POST, "POST", _with("passage", "passage")),
    Row("network:item-assign", COORDINATOR_POST, "POST", _with("compiling_question", "question")),
    Row("network:sort-propose", COORDINATOR_POST, "POST", _with("compiling_question", "question")),
    Row(
        "network:proposals-accept-sure",
        COORDINATOR_POST,
        "POST",
        _with("compiling_question", "question"),
    ),
    Row(
        "network:proposals-discard",
        COORDINATOR_POST,
        "POST",
        _with("compiling_question", "question"),
    ),
    Row("network:proposal-accept", COORDINATOR_POST, "POST", _with("sort_proposal", "proposal")),
    Row("network:passage-edit", COORDINATOR_POST, "POST", _with("passage", "passage")),
    Row("network:round-search", COORDINATOR, kwargs=_with("compiling_round", "round")),
    Row("network:report", PUBLISHED_REPORT, kwargs=_with("published_round", "round")),
    Row("network:report-docx", PUBLISHED_REPORT, kwargs=_with("published_round", "round")),
    Row("network:report-pdf", PUBLISHED_REPORT, kwargs=_with("published_round", "round")),
    Row("network:local-home", LOCAL_LEADER, kwargs=_local),
    Row("network:local-round", LOCAL_LEADER, kwargs=lambda ctx: _local(ctx, "open_round")),
    Row(
        "network:local-answer",
        LOCAL_LEADER,
        kwargs=lambda ctx: {
            **_local(ctx, "open_round"),
            "question": ctx["open_question"].public_id,
        },
    ),
    Row(
        "network:local-submit",
        LOCAL_LEADER_POST,
        "POST",
        lambda ctx: _local(ctx, "open_round"),
    ),
]

QUOTES = [("relative", "Jag fick äntligen säga hur trött jag är."), ("staff", "Vi lyssnar mer nu.")]


def extend_world(world: dict[str, Any]) -> None:
    """Add this app's objects to the shared world (runs with scopes disabled)."""
    network = world["network"]
    local = make_local(network, world["org_a"], world["users"]["leader"], "Åby")
    world["local_network"] = local

    open_round = make_round(network, number=1)
    document(local, open_round, QUOTES, submitted=False)
    world["open_round"] = open_round
    world["open_question"] = open_round.questions.first()

    compiling = make_round(network, number=2, state=Round.State.COMPILING)
    compiling.compiling_started_at = timezone.now()
    compiling.save()
    document(local, compiling, QUOTES)
    question = compiling.questions.get(position=1)
    answer = question.answers.get()
    quote = answer.quotes.order_by("position")[0]
    theme = Theme.objects.create(question=question, title="Trötthet")
    world["compiling_round"] = compiling
    world["compiling_question"] = question
    world["compiling_answer"] = answer
    world["compiling_quote"] = quote
    world["theme"] = theme
    world["quote_use"] = QuoteUse.objects.create(theme=theme, quote=quote)
    world["passage"] = Passage.objects.create(
        theme=theme, answer=answer, text=answer.discussion[:20]
    )
    unsorted = Passage.objects.create(answer=answer, text=answer.discussion[-20:])
    world["sort_proposal"] = SortProposal.objects.create(
        question=question, passage=unsorted, theme=theme, confidence=0.5
    )
    world["suggestion"] = ThemeSuggestion.objects.create(
        question=question, keywords=["skuld", "skam"], members=json.dumps([])
    )

    published = make_round(
        network,
        number=3,
        state=Round.State.PUBLISHED,
        published_at=timezone.now(),
        compiler_name="Nora",
    )
    document(local, published, QUOTES)
    world["published_round"] = published
