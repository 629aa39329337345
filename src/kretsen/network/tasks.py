"""Background work of the learning network. Tasks take ids and re-read what they need; each
runs inside the scope of the round's network, in the network's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django_tasks.base import Task

from kretsen.core.tasks import tenant_task
from kretsen.network.models import Network, Round
from kretsen.network.services import reminders

T = TypeVar("T")


def network_task(
    model: type[Round], **options: Any
) -> Callable[[Callable[..., T]], Task[..., T | None]]:
    return tenant_task(
        dimension="network",
        tenant_model=Network,
        model=model,
        through="network",
        language=lambda network: network.language,
        **options,
    )


@network_task(Round)
def send_round_reminder(round_id: int, deadline: str) -> None:
    reminders.send_reminder(round_id, deadline)


@network_task(Round)
def announce_publication(round_id: int) -> None:
    reminders.announce_publication(round_id)


@network_task(Round)
def announce_round_open(round_id: int) -> None:
    reminders.announce_round_open(round_id)
