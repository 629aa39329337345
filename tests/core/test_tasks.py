"""The one way to declare a task: every task says its tenancy; an organisation task runs in
its organisation's scope, language and time zone; the scheduler stops cleanly on SIGTERM."""

from __future__ import annotations

import importlib
import os
import pkgutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation
from django_scopes import get_scope, scope
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

import kretsen
from kretsen.core.models import Organisation
from kretsen.core.tasks import cross_tenant_task, organisation_task
from kretsen.intake.models import Registration
from tests.conftest import make_registration
from tests.mail_server import DATABASE_TASKS

PROJECT = Path(__file__).resolve().parents[2]


@organisation_task()
def seen_from_inside(organisation_id: int, note: str = "") -> list[str]:
    """What a task sees: its scope's organisation, language, time zone (and a plain value)."""
    return [
        str(get_scope().get("organisation")),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        note,
    ]


@organisation_task(Registration)
def seen_for_a_registration(registration_id: int) -> list[str]:
    # A scoped query works without the organisation in it: the scope is open.
    names = Registration.objects.values_list("display_name", flat=True)
    return [str(get_scope().get("organisation")), translation.get_language(), *names]


def every_task() -> list[Task[..., object]]:
    found = []
    for module in pkgutil.walk_packages(kretsen.__path__, "kretsen."):
        if module.name.endswith(".tasks"):
            values = vars(importlib.import_module(module.name)).values()
            found += [value for value in values if isinstance(value, Task)]
    return found


def test_it_declares_the_tenancy_of_every_task() -> None:
    tasks = every_task()
    assert len(tasks) >= 9
    undeclared = [t.module_path for t in tasks if not hasattr(t.func, "kretsen_tenancy")]
    assert undeclared == [], f"Tasks declared with a bare @task(): {undeclared}"


def test_it_runs_inside_the_organisations_scope_language_and_time_zone(
    org_a: Organisation, org_b: Organisation
) -> None:
    with translation.override("en"):
        assert seen_from_inside.call(org_b.pk, note="plain") == [
            str(org_b),
            "nb",
            "Europe/Oslo",
            "plain",
        ]
        # The id may come as a keyword, as `transaction.on_commit(... .enqueue(x_id=...))` does.
        assert seen_from_inside.call(organisation_id=org_a.pk) == [
            str(org_a),
            "sv",
            "Europe/Stockholm",
            "",
        ]
        assert get_scope().get("organisation") is None
        assert translation.get_language() == "en"


def test_it_finds_the_organisation_through_the_object(
    org_a: Organisation, org_b: Organisation
) -> None:
    with scope(organisation=org_b):
        make_registration(org_b, display_name="Bodil")
        registration = make_registration(org_b, display_name="Berit")
    with scope(organisation=org_a):
        make_registration(org_a, display_name="Agnes")
    seen = seen_for_a_registration.call(registration.pk)
    assert seen is not None
    assert seen[:2] == [str(org_b), "nb"]
    assert sorted(seen[2:]) == ["Berit", "Bodil"]


def test_it_does_nothing_when_the_object_is_gone(org_a: Organisation) -> None:
    assert seen_for_a_registration.call(987654) is None
    assert seen_from_inside.call(987654) is None


def test_a_cross_tenant_task_must_say_why() -> None:
    with pytest.raises(ValueError, match="say why"):
        cross_tenant_task(reason=" ")


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_a_task_in_its_organisation(org_b: Organisation) -> None:
    with override_settings(TASKS=DATABASE_TASKS):
        result = seen_from_inside.enqueue(organisation_id=org_b.pk, note="queued")
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == [str(org_b), "nb", "Europe/Oslo", "queued"]


def test_the_scheduler_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = os.environ | {"DEBUG": "1", "KRETSEN_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    manage = str(PROJECT / "manage.py")
    subprocess.run([sys.executable, manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    process = subprocess.Popen(
        [sys.executable, manage, "run_scheduler", "--interval", "3600"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "Scheduler started." in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        # It was waiting an hour for its next round; the signal ends the wait at once.
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Scheduler stopped." in output
    # The round under way when the signal came was finished: it ends with the heartbeat.
    with sqlite3.connect(tmp_path / "kretsen.sqlite3") as database:
        beats = database.execute("SELECT name, beat_at FROM core_heartbeat").fetchall()
    assert "scheduler" in {name for name, beat_at in beats if beat_at}
