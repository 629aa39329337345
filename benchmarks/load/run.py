"""The load test: the production stack on loopback, locust at several sizes, one report.

    .venv/bin/python -m benchmarks.load.run [--users 50 200 500] [--duration 75]
    make load-test USERS="50 200 500"

Starts, all on 127.0.0.1 and all thrown away at the end: a fresh PostgreSQL database, a
Redis server of its own (cache, rate limits, channel layer), a mail server that counts what
it receives, uvicorn with 2 workers and the production settings (DEBUG off, real keys,
PROXY_COUNT=1 as behind one TLS proxy), two ``db_worker`` processes and the scheduler. Loads
the demo and a generated volume (benchmarks/load/prepare.py), then runs locust
(benchmarks/load/locustfile.py) once per number of users. During each run it plans notices
and restarts one worker half-way (SIGTERM, as ``systemctl restart`` does), samples
pg_stat_activity every second, and at the end waits for the workers to send what was
planned. Prints a Markdown report; exits non-zero when a request failed or a notice was lost.
It never fails because of timing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kretsen_load"
PAGES_ORDER = [
    "floor (empty view)",
    "directory",
    "directory, filtered",
    "offer",
    "interest form",
    "interest form, send",
    "sign-in link",
    "sign-in link, confirm",
    "me",
    "inbox",
    "waiting list",
    "dashboard",
    "attendance",
    "attendance, save",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailCounter:
    """A real SMTP server on loopback that counts the messages it accepts, per recipient."""

    def __init__(self) -> None:
        self.recipients: Counter[str] = Counter()
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.recipients[recipient.lower()] += 1
        return "250 Message accepted for delivery"

    def count(self, domain: str) -> int:
        with self._lock:
            return sum(n for address, n in self.recipients.items() if address.endswith(domain))


@dataclass
class Sample:
    connections: int
    active: int


@dataclass
class Run:
    users: int
    pages: list[dict[str, str]]
    failures: list[dict[str, str]]
    samples: list[Sample]
    notices_planned: int
    notices: dict[str, int]
    mails: int
    restart_seconds: float
    drain_seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


class Stack:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="kretsen-load-"))
        self.port = args.port or free_port()
        self.redis_port = free_port()
        self.smtp_port = free_port()
        self.database_url = args.database_url
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.log = (self.work / "stack.log").open("ab")
        self.mail = MailCounter()
        self.smtp: Any = None
        parts = urlsplit(self.database_url)
        self.database = parts.path.lstrip("/")
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.load.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SALT_KEY": secrets.token_urlsafe(24),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"https://127.0.0.1:{self.port}",
            # As behind one TLS-terminating proxy: it says https and gives the client address.
            "BEHIND_TLS_PROXY": "1",
            "PROXY_COUNT": "1",
            # Only because locust talks plain HTTP to the proxy's side: a browser would not
            # send a cookie marked Secure over it. Everything else stays as in production.
            "SECURE_COOKIES": "0",
            "KRETSEN_VAR_DIR": str(self.work / "var"),
            "STATIC_ROOT": str(self.work / "static"),
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("DEBUG_TOOLS", None)

    # --- processes ---------------------------------------------------------------------
    def manage(self, *arguments: str) -> str:
        result = subprocess.run(  # noqa: S603
            [PYTHON, MANAGE, *arguments],
            env=self.env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        return result.stdout.decode()

    def module(self, *arguments: str) -> str:
        result = subprocess.run(  # noqa: S603
            [PYTHON, "-m", *arguments],
            env=self.env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        return result.stdout.decode()

    def start(self, name: str, command: list[str]) -> None:
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command, env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log
        )

    def start_worker(self, number: int) -> None:
        self.start(f"worker-{number}", [PYTHON, MANAGE, "db_worker", "--interval", "1"])

    def restart_worker(self, number: int) -> float:
        started = time.monotonic()
        process = self.processes[f"worker-{number}"]
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.start_worker(number)
        return time.monotonic() - started

    def database_admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def up(self) -> dict[str, Any]:
        from aiosmtpd.controller import Controller

        say(f"Work directory {self.work}; site on http://127.0.0.1:{self.port}/")
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
            ],
        )
        self.smtp = Controller(self.mail, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()
        say(f"Creating the database {self.database} ...")
        self.database_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self.database_admin(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("compile_translations")
        say("Loading the demo and the generated volume (a minute or two) ...")
        data_file = self.work / "load-data.json"
        self.module(
            "benchmarks.load.prepare",
            "data",
            str(data_file),
            "--leaders",
            str(self.args.leaders),
            "--sessions",
            str(max(self.args.users) // 2),
            "--links",
            str(self.args.links),
        )
        self.env["LOAD_DATA"] = str(data_file)
        self.start(
            "web",
            [
                PYTHON,
                "-m",
                "uvicorn",
                "kretsen.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "2",
                "--proxy-headers",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--ws-max-size",
                "65536",
                "--log-level",
                "warning",
                "--no-access-log",
            ],
        )
        self.start_worker(1)
        self.start_worker(2)
        self.start("scheduler", [PYTHON, MANAGE, "run_scheduler", "--interval", "30"])
        self.wait_until_up()
        return dict(json.loads(data_file.read_text()))

    def wait_until_up(self) -> None:
        url = f"http://127.0.0.1:{self.port}/load-floor/"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.processes["web"].poll() is not None:
                break
            time.sleep(0.5)
        raise SystemExit(f"The site did not start; see {self.work / 'stack.log'}")

    def down(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.smtp is not None:
            self.smtp.stop()
        self.log.close()
        if not self.args.keep:
            self.database_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            shutil.rmtree(self.work, ignore_errors=True)

    # --- measuring ---------------------------------------------------------------------
    def sample_connections(self, stop: threading.Event, samples: list[Sample]) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            while not stop.wait(1.0):
                row = connection.execute(
                    "SELECT count(*), count(*) FILTER (WHERE state = 'active') "
                    "FROM pg_stat_activity WHERE datname = %s",
                    (self.database,),
                ).fetchone()
                assert row is not None
                samples.append(Sample(int(row[0]), int(row[1])))

    def notice_counts(self) -> dict[str, int]:
        return dict(json.loads(self.module("benchmarks.load.prepare", "count")))

    def run(self, users: int, number: int) -> Run:
        from benchmarks.load.prepare import NOTICE_DOMAIN

        args = self.args
        prefix = self.work / f"locust-{users}"
        samples: list[Sample] = []
        stop = threading.Event()
        sampler = threading.Thread(target=self.sample_connections, args=(stop, samples))
        sampler.start()
        say(f"Running {users} users for {args.duration} s ...")
        locust = self.processes["locust"] = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "benchmarks" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(10, users // 10)),
                "--run-time",
                f"{args.duration}s",
                "--host",
                f"http://127.0.0.1:{self.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**self.env, "LOAD_RUN": str(number), "LOAD_RUNS": str(len(args.users))},
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        started = time.monotonic()
        time.sleep(5)
        load = [os.getloadavg()[0]]
        before = sum(self.notice_counts().values())
        self.module("benchmarks.load.prepare", "notices", str(args.notices))
        planned = sum(self.notice_counts().values()) - before
        time.sleep(max(0.0, started + args.duration / 2 - time.monotonic()))
        say("Restarting worker 1 (SIGTERM, then a new process) ...")
        restart = self.restart_worker(1)
        load.append(os.getloadavg()[0])
        locust.wait()
        load.append(os.getloadavg()[0])
        stop.set()
        sampler.join()
        drain_started = time.monotonic()
        counts = self.notice_counts()
        while any(k.startswith(("pending", "sending")) for k in counts) and (
            time.monotonic() - drain_started < args.drain_timeout
        ):
            time.sleep(2)
            counts = self.notice_counts()
        drain = time.monotonic() - drain_started
        with Path(f"{prefix}_stats.csv").open() as stats:
            pages = list(csv.DictReader(stats))
        with Path(f"{prefix}_failures.csv").open() as failures:
            failed = list(csv.DictReader(failures))
        return Run(
            users=users,
            pages=pages,
            failures=failed,
            samples=samples,
            notices_planned=planned,
            notices=counts,
            mails=self.mail.count("@" + NOTICE_DOMAIN),
            restart_seconds=restart,
            drain_seconds=drain,
            extra={"load": load},
        )


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report(runs: list[Run], args: argparse.Namespace) -> str:
    import django

    lines = [
        f"{date_line()}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} cores shared with other work (locust itself runs on the same "
        f"machine); {args.duration} s per run, think time 3-10 s, people started at a tenth "
        "of their number a second (the first 10 s are counted too).",
        "",
    ]
    for run in runs:
        total = next((p for p in run.pages if p["Name"] == "Aggregated"), None)
        floor = next((p for p in run.pages if p["Name"] == "floor (empty view)"), None)
        floor_p95 = float(floor["95%"]) if floor else 0.0
        errors = int(total["Failure Count"]) if total else 0
        lines += [
            f"#### {run.users} users",
            "",
            f"{float(total['Requests/s']) if total else 0:.1f} requests per second, "
            f"{int(total['Request Count']) if total else 0:,} requests, {errors} errors. "
            f"Database connections (pg_stat_activity, every second): at most "
            f"{max((s.connections for s in run.samples), default=0)}, at most "
            f"{max((s.active for s in run.samples), default=0)} active at once, "
            f"{sum(s.connections for s in run.samples) / max(1, len(run.samples)):.0f} on "
            "average. Load average (1 min) at the start, middle and end: "
            + ", ".join(f"{value:.1f}" for value in run.extra.get("load", [])),
            "",
            "| Page | Requests | Errors | p50 ms | p95 ms | p99 ms | p95 / floor |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        by_name = {page["Name"]: page for page in run.pages}
        for name in [*PAGES_ORDER, "Aggregated"]:
            page = by_name.get(name)
            if page is None:
                continue
            ratio = float(page["95%"]) / floor_p95 if floor_p95 else 0.0
            lines.append(
                f"| {name} | {int(page['Request Count']):,} | {page['Failure Count']} "
                f"| {page['50%']} | {page['95%']} | {page['99%']} | {ratio:.1f} |"
            )
        lost = run.notices_planned - run.notices.get("sent", 0)
        lines += [
            "",
            f"Notices: {run.notices_planned} planned in this run while a worker was restarted "
            f"half-way (it stopped and came back in {run.restart_seconds:.1f} s); at the end, "
            f"over all runs so far: {json.dumps(run.notices, sort_keys=True)}, the mail server "
            f"accepted {run.mails} (the queue drained {run.drain_seconds:.0f} s after the run).",
            "",
        ]
        if run.failures:
            lines.append(
                "Errors: "
                + "; ".join(f"{f['Name']}: {f['Error']} ({f['Occurrences']})" for f in run.failures)
            )
            lines.append("")
        run.extra["lost"] = lost
    return "\n".join(lines)


def date_line() -> str:
    from datetime import date

    return date.today().isoformat()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--duration", type=int, default=75, help="seconds per run (75)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--port", type=int, default=0, help="the site's port (a free one)")
    parser.add_argument("--notices", type=int, default=500, help="notices planned per run")
    parser.add_argument("--leaders", type=int, default=60, help="groups with a leader each")
    parser.add_argument("--links", type=int, default=10_000, help="sign-in links made")
    parser.add_argument(
        "--drain-timeout", type=int, default=300, help="seconds to wait for the notices (300)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    stack = Stack(args)
    runs: list[Run] = []
    try:
        stack.up()
        for number, users in enumerate(args.users):
            runs.append(stack.run(users, number))
    finally:
        stack.down()
    print(report(runs, args))
    errors = sum(
        int(page["Failure Count"])
        for run in runs
        for page in run.pages
        if page["Name"] == "Aggregated"
    )
    lost = runs[-1].notices_planned and (
        sum(run.notices_planned for run in runs) - runs[-1].notices.get("sent", 0)
    )
    duplicates = runs[-1].mails - runs[-1].notices.get("sent", 0) if runs else 0
    say(f"errors {errors}, notices not sent {lost}, mails beyond notices sent {duplicates}")
    return 1 if errors or lost or duplicates else 0


if __name__ == "__main__":
    sys.exit(main())
