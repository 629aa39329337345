"""/healthz: the database, the worker's heartbeat and the scheduler's last round, as JSON;
200 when healthy, 503 otherwise; open to anyone and free of personal data (decision 0111)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kretsen.core.services import heartbeat
from kretsen.core.tasks import beat
from tests.mail_server import DATABASE_TASKS


def health() -> tuple[int, dict[str, Any]]:
    response = Client().get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def test_it_is_healthy_when_the_worker_and_the_scheduler_beat(db: None) -> None:
    heartbeat.beat(heartbeat.WORKER, timezone.now() - timedelta(minutes=2))
    heartbeat.beat(heartbeat.SCHEDULER, timezone.now() - timedelta(seconds=30))
    status, body = health()
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] is True
    assert body["checks"]["worker"]["seconds_since_beat"] >= 120
    assert body["checks"]["scheduler"]["ok"] is True
    assert body["checks"]["scheduler"]["seconds_since_beat"] >= 30


def test_a_silent_worker_makes_it_fail(db: None) -> None:
    heartbeat.beat(heartbeat.WORKER, timezone.now() - timedelta(minutes=20))
    heartbeat.beat(heartbeat.SCHEDULER)
    status, body = health()
    assert (status, body["status"]) == (503, "failing")
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["scheduler"]["ok"] is True


def test_a_scheduler_that_never_ran_makes_it_fail(db: None) -> None:
    heartbeat.beat(heartbeat.WORKER)
    status, body = health()
    assert status == 503
    assert body["checks"]["scheduler"] == {"ok": False, "seconds_since_beat": None}


def test_a_task_left_running_by_a_killed_worker_asks_for_attention(db: None) -> None:
    heartbeat.beat(heartbeat.WORKER)
    heartbeat.beat(heartbeat.SCHEDULER)
    with override_settings(TASKS=DATABASE_TASKS):
        killed = beat.enqueue()
        beat.enqueue()  # waiting, not running: no concern
    DBTaskResult.objects.filter(pk=killed.id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=2)
    )
    status, body = health()
    assert (status, body["status"]) == (200, "attention")
    assert body["checks"]["tasks"] == {"ok": False, "running_over_an_hour": 1}


@pytest.mark.django_db(transaction=True)
def test_the_real_scheduler_and_worker_make_it_healthy() -> None:
    with override_settings(TASKS=DATABASE_TASKS):
        assert health()[0] == 503
        call_command("run_scheduler", "--once")
        # The scheduler ran and asked the worker for a beat; no worker has taken it yet.
        status, body = health()
        assert status == 503
        assert body["checks"]["scheduler"]["ok"] is True
        assert body["checks"]["worker"]["ok"] is False
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        status, body = health()
        assert (status, body["status"]) == (200, "ok")
        # Another round asks again only because the last beat was answered: one at a time.
        call_command("run_scheduler", "--once")
        call_command("run_scheduler", "--once")
    beats = DBTaskResult.objects.filter(task_path="kretsen.core.tasks.beat")
    assert beats.filter(status="READY").count() == 1
