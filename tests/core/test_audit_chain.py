"""The audit trail as hash chains: forged, deleted and emptied rows are found (decision 0105)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import RequestFactory, override_settings

from kretsen.core import audit, audit_chain
from kretsen.core.models import AuditChainHead, AuditCheck, AuditEvent, Organisation, User
from tests.core.test_worker_and_mail import body_of
from tests.mail_server import Inbox

TABLE = "core_auditevent"


@contextmanager
def triggers_off() -> Iterator[None]:
    """What an attacker with database rights does first: switch the append-only rule off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER core_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
    yield


def raw(sql: str, params: list[Any] | None = None) -> None:
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def write(rf: RequestFactory, user: User, count: int, org: Organisation | None = None) -> list[int]:
    request = rf.get("/", REMOTE_ADDR="192.0.2.9")
    request.user = user
    return [
        audit.log(request, "core.test.happened", organisation=org, data={"n": n, "ö": [1.5]}).pk
        for n in range(count)
    ]


def test_it_chains_each_organisation_apart(
    rf: RequestFactory, org_a: Organisation, org_b: Organisation, admin_a: User
) -> None:
    a = write(rf, admin_a, 3, org_a)
    b = write(rf, admin_a, 2, org_b)
    none = write(rf, admin_a, 2)
    events = AuditEvent.writer.in_bulk(a + b + none)
    assert [events[pk].chain_seq for pk in a + b + none] == [1, 2, 3, 1, 2, 1, 2]
    assert len({events[pk].chain_hash for pk in a + b + none}) == 7
    assert audit_chain.verify() == []
    heads = {head.organisation_id: head for head in audit_chain.heads()}
    assert heads[org_a.pk].seq == 3
    assert heads[org_a.pk].hash == events[a[-1]].chain_hash
    assert heads[None].seq == 2


def test_it_finds_a_forged_row(rf: RequestFactory, org_a: Organisation, admin_a: User) -> None:
    ids = write(rf, admin_a, 4, org_a)
    raw(f"UPDATE {TABLE} SET action = 'core.test.harmless' WHERE id = %s", [ids[2]])
    (found,) = audit_chain.verify()
    assert (found.organisation_id, found.event_id) == (org_a.pk, ids[2])
    assert "content changed" in found.problem


def test_it_finds_a_forged_actor(rf: RequestFactory, org_a: Organisation, admin_a: User) -> None:
    ids = write(rf, admin_a, 3, org_a)
    raw(f"UPDATE {TABLE} SET actor_label = 'someone@else.example' WHERE id = %s", [ids[1]])
    (found,) = audit_chain.verify()
    assert found.event_id == ids[1]
    assert "who did it" in found.problem


def test_it_finds_a_deleted_row(rf: RequestFactory, org_a: Organisation, admin_a: User) -> None:
    ids = write(rf, admin_a, 5, org_a)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [ids[1]])
    (found,) = audit_chain.verify()
    assert found.event_id == ids[2]
    assert found.problem == "rows 2 to 2 of the chain are missing"


def test_it_finds_an_emptied_trail_and_a_new_row_after_it(
    rf: RequestFactory, org_a: Organisation, org_b: Organisation, admin_a: User
) -> None:
    write(rf, admin_a, 3, org_a)
    write(rf, admin_a, 2, org_b)
    if connection.vendor == "postgresql":
        raw(f"TRUNCATE {TABLE}")
    else:
        raw(f"DELETE FROM {TABLE}")
    breaks = audit_chain.verify()
    assert [(found.organisation_id, found.event_id) for found in breaks] == [
        (org_a.pk, None),
        (org_b.pk, None),
    ]
    assert "last rows of the chain are missing (after 0, up to 3)" in breaks[0].problem
    # Writing on as if nothing happened does not hide it.
    (new,) = write(rf, admin_a, 1, org_a)
    first = audit_chain.verify()[0]
    assert (first.event_id, first.problem) == (new, "rows 1 to 3 of the chain are missing")


def test_a_head_kept_outside_finds_a_trail_written_anew(
    rf: RequestFactory, org_a: Organisation, admin_a: User, tmp_path: Path
) -> None:
    write(rf, admin_a, 3, org_a)
    out = StringIO()
    call_command("verify_audit", "--head", stdout=out)
    log = tmp_path / "backup.log"
    log.write_text("backup started\n" + out.getvalue() + "backup done\n")
    # Empty the trail and its heads, then write three rows again: a whole, but new, chain.
    raw(f"DELETE FROM {TABLE}")
    AuditChainHead.objects.all().delete()
    write(rf, admin_a, 3, org_a)
    assert audit_chain.verify() == []
    with pytest.raises(CommandError, match="broken in 1 chain"):
        call_command("verify_audit", "--compare", str(log), stderr=StringIO())
    recorded = audit_chain.Head.parse(out.getvalue().splitlines()[0])
    (found,) = audit_chain.verify([recorded])
    assert "differs from the head recorded outside" in found.problem


def test_the_command_reports_the_first_break_and_fails(
    rf: RequestFactory, org_a: Organisation, admin_a: User
) -> None:
    ids = write(rf, admin_a, 3, org_a)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "The audit trail is whole: 1 chain(s)." in out.getvalue()
    raw(f"UPDATE {TABLE} SET data = '{{}}' WHERE id = %s", [ids[0]])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stderr=err)
    assert f"organisation {org_a.pk}, row {ids[0]}: its content changed" in err.getvalue()


def test_retention_pseudonymising_an_actor_keeps_the_chain_whole(
    rf: RequestFactory, org_a: Organisation, admin_a: User, relative: User
) -> None:
    write(rf, admin_a, 1, org_a)
    ids = write(rf, relative, 2, org_a)
    write(rf, admin_a, 1, org_a)
    assert audit.pseudonymise_actor(relative) == 2
    row = AuditEvent.writer.get(pk=ids[0])
    assert row.actor_label.startswith(audit.PSEUDONYM_PREFIX)
    assert row.seal_nonce == ""
    assert row.ip_address is None
    assert audit_chain.verify() == []


def test_the_trigger_refuses_changing_the_chain_while_pseudonymising(
    rf: RequestFactory, org_a: Organisation, relative: User
) -> None:
    (pk,) = write(rf, relative, 1, org_a)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET actor_id = NULL, ip_address = NULL, seal_nonce = '', "
            "actor_label = 'pseudonym:00', chain_hash = 'x' WHERE id = %s",
            [pk],
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers itself; its in-memory test database refuses threads",
)
@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_do_not_fork_a_chain(org_a: Organisation, admin_a: User) -> None:
    rf = RequestFactory()
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            write(rf, admin_a, 10, org_a)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    seqs = sorted(AuditEvent.writer.filter(organisation=org_a).values_list("chain_seq", flat=True))
    assert seqs == list(range(1, 41))
    assert audit_chain.verify() == []


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_checks_daily_and_mails_the_operators(
    smtp: Inbox, monkeypatch: pytest.MonkeyPatch, org_a: Organisation, admin_a: User
) -> None:
    monkeypatch.setattr(audit_chain, "CHECK_HOUR", 0)
    operator = User.objects.create_superuser("ops@example.org", "ops@example.org", "x" * 16)
    User.objects.filter(pk=operator.pk).update(language="en")
    ids = write(RequestFactory(), admin_a, 3, org_a)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [ids[0]])
    database_tasks = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with override_settings(TASKS=database_tasks):
        call_command("run_scheduler", "--once")
        call_command("run_scheduler", "--once")  # once a day, however many rounds
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ops@example.org"
    assert message["Subject"] == "Kretsen: the audit trail is broken"
    assert f"organisation {org_a.pk}, row {ids[1]}: rows 1 to 1" in body_of(message)
    check = AuditCheck.objects.get()
    assert check.finished_at is not None
    assert len(check.breaks) == 1


def test_a_whole_trail_mails_nobody(org_a: Organisation, admin_a: User, mailoutbox: Any) -> None:
    User.objects.create_superuser("ops@example.org", "ops@example.org", "x" * 16)
    write(RequestFactory(), admin_a, 2, org_a)
    check = AuditCheck.objects.create(day="2026-01-01")
    assert audit_chain.run_daily_check(check.pk) == []
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_written_before_it(org_a: Organisation) -> None:
    from django.db.migrations.executor import MigrationExecutor

    before = [("core", "0005_audit_pseudonymise")]
    after = [("core", "0006_audit_hash_chain")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    rows = [
        (org_a.pk, "core.test.first", "a@example.org", "192.0.2.1", '{"b": 1, "a": [2]}'),
        (None, "core.auth.staff_signed_in", "b@example.org", None, "{}"),
        (org_a.pk, "core.test.second", "pseudonym:0011223344556677", None, "{}"),
    ]
    with connection.cursor() as cursor:
        for organisation_id, action, label, ip, data in rows:
            cursor.execute(
                f"INSERT INTO {TABLE} (at, organisation_id, action, object_type, object_id, "
                "actor_label, ip_address, data) VALUES (%s, %s, %s, '', '', %s, %s, %s)",
                ["2026-01-02 03:04:05.678901+00:00", organisation_id, action, label, ip, data],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    # The later migrations too, so the tables of every test after this one are there.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert audit_chain.verify() == []
    chained = AuditEvent.writer.filter(organisation=org_a).order_by("id")
    assert [(row.chain_seq, bool(row.seal_nonce)) for row in chained] == [(1, True), (2, False)]
    # New rows go on from the migrated heads, and the trigger is back.
    audit.log(None, "core.test.third", organisation=org_a)
    assert audit_chain.verify() == []
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'core.test.x'")
