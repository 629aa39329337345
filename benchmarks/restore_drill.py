"""Restore drill: back up a PostgreSQL database of 50,000 registrations, restore it, check it.

    .venv/bin/python -m benchmarks.restore_drill [--database-url postgres://postgres@127.0.0.1:5432/kretsen_drill]
    make restore-drill

1. Creates a fresh database (``kretsen_drill``) with the production settings and keys of its
   own, migrates it and seeds the directory benchmark's volume (300 organisations, 5,000
   published offers, 50,000 registrations) plus a few canary records whose encrypted text
   is known, and audit rows for them.
2. Takes a fingerprint through the ORM: rows per table, a digest of every encrypted field
   decrypted, the canaries' plain text.
3. Dumps it as the nightly backup does (``pg_dump --format=custom``), creates a second fresh
   database (``kretsen_drill_restored``) and restores the dump into it (``pg_restore``).
4. Starts Django on the restored database with the same keys and checks: the same rows per
   table, the same decrypted text (and the canaries' text not readable in the raw columns),
   and the audit chain with ``manage.py verify_audit`` when that command exists.

Prints the time of each step and the RTO (restore plus checks, from the dump file to a
verified database). Both databases are dropped at the end unless --keep. Exits non-zero when
a check fails, never because of timing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kretsen_drill"
CANARY = "Kanariefågel {number}: vi behöver hjälp på tisdagar"
CANARIES = 20
SEED = 20261206


def _django() -> None:
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


# --- steps run inside Django (one process per database) --------------------------------
def seed_step() -> dict[str, Any]:
    import random

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from benchmarks.directory_and_waiting_list import BIG_SLUG, seed
    from kretsen.core import audit
    from kretsen.core.models import Organisation
    from kretsen.intake.models import Registration

    counts = seed(random.Random(SEED))  # noqa: S311 (invented data from a fixed seed)
    with scopes_disabled():
        big = Organisation.objects.get(slug=BIG_SLUG)
        canaries = list(Registration.objects.filter(organisation=big).order_by("pk")[:CANARIES])
        for number, registration in enumerate(canaries):
            registration.wish = CANARY.format(number=number)
            registration.status_changed_at = timezone.now()
            registration.save(update_fields=["wish", "status_changed_at"])
            audit.log(None, "intake.registration.created", registration, organisation=big)
    return {"registrations": counts["registrations"]}


def encrypted_fields() -> list[tuple[Any, list[str]]]:
    """Every model with encrypted fields (whatever branch added them), and those fields."""
    from django.apps import apps
    from encrypted_fields.fields import EncryptedFieldMixin

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if names:
            found.append((model, names))
    return found


def fingerprint_step() -> dict[str, Any]:
    """Rows per table (SQL) and what the ORM decrypts (a digest per model, the canaries)."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from kretsen.intake.models import Registration

    tables: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = int(cursor.fetchone()[0])
    decrypted: dict[str, str] = {}
    values = 0
    with scopes_disabled():
        for model, names in encrypted_fields():
            digest = hashlib.sha256()
            for row in model._default_manager.order_by("pk").values_list("pk", *names).iterator():
                digest.update(repr(row).encode())
                values += sum(1 for value in row[1:] if value)
            decrypted[model._meta.label_lower] = digest.hexdigest()
        canaries = [
            wish or ""
            for wish in Registration.objects.filter(wish__isnull=False)
            .order_by("pk")
            .values_list("wish", flat=True)
            if wish and wish.startswith("Kanariefågel")
        ]
    table = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE wish LIKE %s", ["%Kanarie%"])  # noqa: S608
        readable = int(cursor.fetchone()[0])
    return {
        "tables": tables,
        "decrypted": decrypted,
        "encrypted_values": values,
        "canaries": canaries,
        "canaries_readable_in_raw_columns": readable,
    }


# --- the drill ------------------------------------------------------------------------
class Drill:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        parts = urlsplit(args.database_url)
        self.source = parts.path.lstrip("/")
        self.target = f"{self.source}_restored"
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.source_url = args.database_url
        self.target_url = urlunsplit(parts._replace(path="/" + self.target))
        self.work = Path(tempfile.mkdtemp(prefix="kretsen-drill-"))
        self.dump = self.work / "kretsen.dump"
        self.libpq = {
            "PGHOST": parts.hostname or "127.0.0.1",
            "PGPORT": str(parts.port or 5432),
            "PGUSER": parts.username or "postgres",
            **({"PGPASSWORD": parts.password} if parts.password else {}),
        }
        # Production settings with keys of this drill; the restored side gets the same keys,
        # as a real restore does from the separately kept key material.
        self.env = {
            **os.environ,
            **self.libpq,
            "DJANGO_SETTINGS_MODULE": "kretsen.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SALT_KEY": secrets.token_urlsafe(24),
            "ALLOWED_HOSTS": "127.0.0.1",
            "KRETSEN_VAR_DIR": str(self.work / "var"),
            "LOG_LEVEL": "WARNING",
        }

    def admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def fresh(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin(f'CREATE DATABASE "{name}"')

    def django(self, url: str, *arguments: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, *arguments],
            env={**self.env, "DATABASE_URL": url},
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
        )
        return result.stdout.decode()

    def step(self, url: str, name: str) -> dict[str, Any]:
        output = self.django(url, "-m", "benchmarks.restore_drill", "--step", name)
        return dict(json.loads(output.strip().splitlines()[-1]))

    def has_verify_audit(self) -> bool:
        commands = self.django(self.source_url, str(ROOT / "manage.py"), "help", "--commands")
        return "verify_audit" in commands.split()

    def run(self) -> int:
        timings: dict[str, float] = {}

        def timed(label: str, started: float) -> None:
            timings[label] = time.monotonic() - started

        say(f"Creating {self.source} and seeding 50,000 registrations (a few minutes) ...")
        started = time.monotonic()
        self.fresh(self.source)
        self.django(self.source_url, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0")
        seeded = self.step(self.source_url, "seed")
        timed("create, migrate and seed", started)
        before = self.step(self.source_url, "fingerprint")

        say("Dumping (pg_dump --format=custom) ...")
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--file", str(self.dump), self.source],  # noqa: S607
            env={**os.environ, **self.libpq},
            check=True,
        )
        timed("dump", started)

        say(f"Restoring into a fresh {self.target} (pg_restore) ...")
        rto_started = time.monotonic()
        self.fresh(self.target)
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--jobs",
                "2",
                "--dbname",
                self.target,
                str(self.dump),
            ],
            env={**os.environ, **self.libpq},
            check=True,
        )
        timed("restore", rto_started)

        say("Checking the restored database through Django ...")
        started = time.monotonic()
        after = self.step(self.target_url, "fingerprint")
        problems = compare(before, after)
        audit_line = "audit chain: not available (no manage.py verify_audit on this branch)"
        if self.has_verify_audit():
            verified = subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), "verify_audit"],
                env={**self.env, "DATABASE_URL": self.target_url},
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            text = verified.stdout.decode().strip().replace("\n", " ")
            audit_line = f"audit chain: {'intact' if verified.returncode == 0 else 'BROKEN'}"
            audit_line += f" (verify_audit: {text})"
            if verified.returncode != 0:
                problems.append("verify_audit found a broken link")
        timed("checks", started)
        rto = time.monotonic() - rto_started

        tables = after["tables"]
        print(
            f"Restore drill, {time.strftime('%Y-%m-%d')}, PostgreSQL "
            f"{server_version(self.admin_url)}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores shared with other work."
        )
        print(
            f"Data: {seeded['registrations']:,} registrations, {len(tables)} tables, "
            f"{sum(tables.values()):,} rows; {after['encrypted_values']:,} encrypted values "
            f"in {len(after['decrypted'])} models; dump {self.dump.stat().st_size / 1e6:.1f} MB."
        )
        for label, seconds in timings.items():
            print(f"- {label}: {seconds:.1f} s")
        same_rows = not any(p.startswith("rows") for p in problems)
        rows = "the same" if same_rows else "DIFFERENT"
        print(f"- rows per table: {rows} ({len(tables)} tables)")
        print(
            "- decryption: "
            + (
                f"every encrypted value reads back the same ({len(after['canaries'])} canaries "
                f"exact; {after['canaries_readable_in_raw_columns']} readable in the raw columns)"
                if not any("decrypt" in p or "canar" in p for p in problems)
                else "DIFFERENT"
            )
        )
        print(f"- {audit_line}")
        print(f"RTO (fresh database + pg_restore + checks): {rto:.1f} s")
        for problem in problems:
            print(f"PROBLEM: {problem}")
        return 1 if problems else 0

    def clean_up(self) -> None:
        if not self.args.keep:
            self.admin(f'DROP DATABASE IF EXISTS "{self.target}" WITH (FORCE)')
            self.admin(f'DROP DATABASE IF EXISTS "{self.source}" WITH (FORCE)')
            shutil.rmtree(self.work, ignore_errors=True)


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    problems = []
    for table, count in before["tables"].items():
        if after["tables"].get(table) != count:
            problems.append(f"rows in {table}: {count} before, {after['tables'].get(table)} after")
    for model, digest in before["decrypted"].items():
        if after["decrypted"].get(model) != digest:
            problems.append(f"decrypted text of {model} differs after the restore")
    expected = [CANARY.format(number=number) for number in range(CANARIES)]
    if sorted(after["canaries"]) != sorted(expected):
        problems.append("the canaries' text did not decrypt to what was written")
    if after["canaries_readable_in_raw_columns"]:
        problems.append("canary text is readable in the raw column (not encrypted)")
    return problems


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]).split(" ")[0] if row else "?"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep both databases and the dump")
    parser.add_argument("--step", choices=["seed", "fingerprint"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        _django()
        result = seed_step() if args.step == "seed" else fingerprint_step()
        print(json.dumps(result))
        return 0
    drill = Drill(args)
    try:
        return drill.run()
    finally:
        drill.clean_up()


if __name__ == "__main__":
    sys.exit(main())
