"""Heartbeats of the background processes, read by the health endpoint.

The scheduler beats on every round. The worker beats when it runs the ``beat`` task, which
the scheduler queues (at most one waiting at a time, or one per ``ASK_AGAIN`` when the worker
does not answer), so the worker's beat proves that queued tasks are being taken."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from kretsen.core.models import Heartbeat

WORKER = "worker"
SCHEDULER = "scheduler"
ASK_AGAIN = timedelta(minutes=10)


def beat(name: str, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})


def ask_worker(enqueue: Callable[[], object], now: datetime | None = None) -> bool:
    """Queue a beat for the worker unless one is already waiting; True when one was queued.

    The request is claimed with one conditional UPDATE, so two schedulers queue one beat."""
    now = now or timezone.now()
    Heartbeat.objects.get_or_create(name=WORKER)
    answered = Q(requested_at__isnull=True) | Q(beat_at__gte=F("requested_at"))
    claimed = (
        Heartbeat.objects.filter(name=WORKER)
        .filter(answered | Q(requested_at__lt=now - ASK_AGAIN))
        .update(requested_at=now)
    )
    if claimed:
        enqueue()
    return bool(claimed)


def last_beats() -> dict[str, datetime | None]:
    return dict(Heartbeat.objects.values_list("name", "beat_at"))
