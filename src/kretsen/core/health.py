"""What ``/healthz`` checks: the database, the worker's heartbeat, the scheduler's last round,
and what apps above ``core`` add (``groups`` adds its stuck and failed notices).

A check returns a plain dict of non-personal facts (ages in seconds, counts) with ``ok``;
a *critical* check that is not ok makes the endpoint answer 503, another one only asks for
attention (decision 0111). Nothing here names a person, an address or an organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kretsen.core.services import heartbeat

Facts = dict[str, Any]

# The scheduler runs a round a minute and asks the worker for a beat on each; a worker busy
# with a long task (a group proposal) answers late, so it has more room.
SCHEDULER_LATE = timedelta(minutes=5)
WORKER_LATE = timedelta(minutes=15)
# The longest task (a group proposal) runs for at most 120 s: a task "running" for an hour
# belongs to a worker that was killed (SIGKILL, a crash of the machine).
TASK_ABANDONED = timedelta(hours=1)


@dataclass(frozen=True)
class Check:
    run: Callable[[datetime], Facts]
    critical: bool


_checks: dict[str, Check] = {}


def add_check(name: str, run: Callable[[datetime], Facts], *, critical: bool) -> None:
    _checks[name] = Check(run, critical)


def _database(now: datetime) -> Facts:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return {"ok": cursor.fetchone() == (1,)}


def _beat(name: str, late: timedelta) -> Callable[[datetime], Facts]:
    def check(now: datetime) -> Facts:
        beat_at = heartbeat.last_beats().get(name)
        if beat_at is None:
            return {"ok": False, "seconds_since_beat": None}
        age = now - beat_at
        return {"ok": age <= late, "seconds_since_beat": max(0, int(age.total_seconds()))}

    return check


def _abandoned_tasks(now: datetime) -> Facts:
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - TASK_ABANDONED
    ).count()
    return {"ok": count == 0, "running_over_an_hour": count}


add_check("database", _database, critical=True)
add_check("worker", _beat(heartbeat.WORKER, WORKER_LATE), critical=True)
add_check("scheduler", _beat(heartbeat.SCHEDULER, SCHEDULER_LATE), critical=True)
add_check("tasks", _abandoned_tasks, critical=False)


def report(now: datetime | None = None) -> tuple[str, dict[str, Facts]]:
    """("ok" | "attention" | "failing", the facts of every check)."""
    now = now or timezone.now()
    facts: dict[str, Facts] = {}
    status = "ok"
    for name, check in _checks.items():
        try:
            facts[name] = check.run(now)
        except DatabaseError as error:
            facts[name] = {"ok": False, "error": type(error).__name__}
        if not facts[name]["ok"]:
            if check.critical:
                status = "failing"
            elif status == "ok":
                status = "attention"
    return status, facts
