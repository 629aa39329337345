"""Benchmark: the live meeting panel under load, on one uvicorn process, over loopback.

Seeds a throw-away SQLite database with ``--meetings`` meetings (default 200), each with two
leaders and eight members present and the panel started, and a signed-in session for every
person. Starts one uvicorn process (``kretsen.asgi``), once with the Redis channel layer
(``redis://127.0.0.1:6379/15``) and once with the in-memory layer, and opens a WebSocket per
person (10 per meeting). For ``--seconds`` (default 60) every meeting, at its own pace of one
action every ``--pace`` seconds on average (default 10, uniformly 0.5x-1.5x), has a member raise
or lower a hand, or a leader give the floor to the first hand. A real group has perhaps one
such action every half minute (some 150 in 90 minutes), so the default is about three times
busier than a meeting. Reports:

- the time from a hand raised (the member's message sent) to each leader's panel receiving a
  state that shows it: p50, p95, p99;
- messages per second (sent and received by all clients);
- peak memory (VmHWM) of the uvicorn process;
- errors: refused or dropped connections, error answers, hands never shown within 10 s.

    nice -n 10 .venv/bin/python -m benchmarks.live_panel [--meetings 200] [--seconds 60]
        [--pace 10] [--layer redis|memory|both]

Bounded: everything runs on 127.0.0.1, and the run ends after the set seconds. The figures
are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "src"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

MEMBERS = 8
LEADERS = 2
SEED = 20261206
REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass
class Person:
    cookie: str
    path: str
    seat: int = 0


@dataclass
class MeetingPlan:
    leaders: list[Person]
    members: list[Person]


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    received: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    meetings: int = 0
    connected: int = 0
    started: float = 0.0
    connect_seconds: float = 0.0
    all_connected: asyncio.Event = field(default_factory=asyncio.Event)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def configure(var_dir: str) -> None:
    os.environ.update(
        {
            "DEBUG": "1",
            "KRETSEN_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "kretsen.settings",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def seed(meetings: int) -> list[MeetingPlan]:
    """Invented organisation, groups, people present, started panels and their sessions,
    written with bulk inserts (one per table)."""
    import secrets
    import uuid
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    from kretsen.core.middleware import SessionLifetimeMiddleware
    from kretsen.core.models import Organisation, StaffMembership, User
    from kretsen.directory.models import Offer
    from kretsen.groups.models import (
        Attendance,
        Group,
        GroupLeader,
        GroupMember,
        LiveSeat,
        LiveSession,
        Meeting,
    )
    from kretsen.intake.models import Registration

    call_command("migrate", verbosity=0)
    now = timezone.now()
    stamp = int(time.time())

    def users(kind: str, emails: list[str]) -> list[User]:
        made = []
        for email in emails:
            user = User(email=email, kind=kind, username=uuid.uuid4().hex)
            user.security_stamp = secrets.token_hex(16)
            user.set_unusable_password()
            made.append(user)
        return User.objects.bulk_create(made)

    sessions: list[Session] = []

    def session_cookie(user: User, backend: str, device: TOTPDevice | None) -> str:
        data: dict[str, Any] = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            SessionLifetimeMiddleware.STARTED: stamp,
            SessionLifetimeMiddleware.SEEN: stamp,
        }
        if device is not None:
            data[DEVICE_ID_SESSION_KEY] = device.persistent_id
        key = secrets.token_hex(16)
        sessions.append(
            Session(
                session_key=key,
                session_data=SessionStore().encode(data),
                expire_date=now + timedelta(days=1),
            )
        )
        return f"{settings.SESSION_COOKIE_NAME}={key}"

    with scopes_disabled():
        organisation = Organisation.objects.create(slug="bench", name="Bench kommun")
        offer = Offer.objects.create(organisation=organisation, title_sv="Samtalsgrupp")
        groups = Group.objects.bulk_create(
            Group(organisation=organisation, offer=offer, name=f"Grupp {i}")
            for i in range(meetings)
        )
        meeting_rows = Meeting.objects.bulk_create(
            Meeting(group=g, organisation=organisation, starts_at=now, minutes=90) for g in groups
        )
        live_rows = LiveSession.objects.bulk_create(
            LiveSession(meeting=m, organisation=organisation) for m in meeting_rows
        )
        leaders = users(
            User.Kind.STAFF,
            [f"leader{i}-{n}@bench.example" for i in range(meetings) for n in range(LEADERS)],
        )
        StaffMembership.objects.bulk_create(
            StaffMembership(organisation=organisation, user=u, is_leader=True) for u in leaders
        )
        GroupLeader.objects.bulk_create(
            GroupLeader(
                group=groups[i // LEADERS],
                organisation=organisation,
                user=u,
                position=i % LEADERS,
            )
            for i, u in enumerate(leaders)
        )
        devices = TOTPDevice.objects.bulk_create(
            TOTPDevice(user=u, name="bench", confirmed=True) for u in leaders
        )
        relatives = users(
            User.Kind.RELATIVE,
            [f"member{i}-{n}@bench.example" for i in range(meetings) for n in range(MEMBERS)],
        )
        registrations = Registration.objects.bulk_create(
            Registration(
                organisation=organisation,
                user=u,
                submission_key=uuid.uuid4(),
                display_name=f"Person{i % MEMBERS}",
                consent_version="bench",
                consent_at=now,
            )
            for i, u in enumerate(relatives)
        )
        members = GroupMember.objects.bulk_create(
            GroupMember(
                group=groups[i // MEMBERS],
                organisation=organisation,
                registration=r,
                display_name=r.display_name,
                status=GroupMember.Status.ACTIVE,
                joined_on=now.date(),
            )
            for i, r in enumerate(registrations)
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting_rows[i // MEMBERS],
                member=m,
                organisation=organisation,
                status=Attendance.Status.PRESENT,
            )
            for i, m in enumerate(members)
        )
        seats = LiveSeat.objects.bulk_create(
            LiveSeat(
                session=live_rows[i // MEMBERS],
                organisation=organisation,
                member=m,
                name=m.display_name,
                position=i % MEMBERS,
            )
            for i, m in enumerate(members)
        )
        plans = []
        for index, (group, meeting) in enumerate(zip(groups, meeting_rows, strict=True)):
            base = f"/staff/bench/groups/{group.public_id}/meetings/{meeting.public_id}/live/state/"
            people = [
                Person(
                    session_cookie(leaders[k], "kretsen.core.auth.StaffBackend", devices[k]), base
                )
                for k in range(index * LEADERS, (index + 1) * LEADERS)
            ]
            present = [
                Person(
                    session_cookie(relatives[k], "kretsen.core.auth.SignInLinkBackend", None),
                    f"/me/groups/{members[k].public_id}/meetings/{meeting.public_id}/live/state/",
                    seats[k].pk,
                )
                for k in range(index * MEMBERS, (index + 1) * MEMBERS)
            ]
            plans.append(MeetingPlan(people, present))
        Session.objects.bulk_create(sessions)
    return plans


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_memory_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def run_meeting(
    plan: MeetingPlan,
    port: int,
    seconds: float,
    pace: float,
    figures: Figures,
    rng: random.Random,
) -> None:
    import json

    import websockets

    origin = f"http://127.0.0.1:{port}"
    pending: dict[int, float] = {}  # seat -> when its hand was raised
    shown: dict[tuple[int, int], bool] = {}
    leader_queue: list[int] = []
    speaking: list[int] = [0]  # the seat the script gave the floor to
    speaking_now = [False] * MEMBERS  # what each member's own screen says

    async def open_socket(person: Person) -> Any:
        return await websockets.connect(
            f"ws://127.0.0.1:{port}{person.path}",
            additional_headers={"Cookie": person.cookie},
            origin=origin,  # type: ignore[arg-type]
            open_timeout=60,
            # Browsers do not ping from the page; the server's pings are answered.
            ping_interval=None,
        )

    try:
        leader_sockets = [await open_socket(p) for p in plan.leaders]
        member_sockets = [await open_socket(p) for p in plan.members]
    except Exception:
        figures.error("connect")
        return
    finally:
        # Everyone connects first; the measured part starts when the last client is in.
        figures.connected += 1
        if figures.connected == figures.meetings:
            figures.all_connected.set()
            figures.connect_seconds = time.perf_counter() - figures.started
    await figures.all_connected.wait()

    async def listen(index: int, ws: Any, is_leader: bool) -> None:
        try:
            async for raw in ws:
                figures.received += 1
                message = json.loads(raw)
                if message.get("type") == "error":
                    if not is_leader and speaking_now[index]:
                        # The floor reached them just before their hand went up: a refusal
                        # the page would never offer, not a failure.
                        figures.refused += 1
                    else:
                        figures.error("error answer: " + str(message.get("message")))
                    continue
                if not is_leader:
                    speaking_now[index] = bool(message["state"].get("my_turn"))
                    continue
                queue = message["state"].get("queue", [])
                if index == 0:
                    leader_queue[:] = queue
                arrived = time.perf_counter()
                for seat in queue:
                    raised = pending.get(seat)
                    if raised is not None and not shown.get((index, seat)):
                        shown[(index, seat)] = True
                        figures.latencies.append(arrived - raised)
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is None or closed.rcvd.code != 1000:
                figures.error("dropped")

    listeners = [
        asyncio.create_task(listen(i, ws, True)) for i, ws in enumerate(leader_sockets)
    ] + [asyncio.create_task(listen(i, ws, False)) for i, ws in enumerate(member_sockets)]
    deadline = time.perf_counter() + seconds
    await asyncio.sleep(rng.uniform(0, 2))
    try:
        await act(
            plan,
            figures,
            rng,
            deadline,
            member_sockets,
            leader_sockets,
            pending,
            shown,
            leader_queue,
            speaking,
            speaking_now,
            pace,
        )
    except websockets.ConnectionClosed:
        figures.error("dropped while sending")
    await asyncio.sleep(2)
    for seat, raised in pending.items():
        if raised < deadline - 10 and not all(shown.get((i, seat)) for i in range(LEADERS)):
            figures.error("hand not shown within 10 s")
    for ws in leader_sockets + member_sockets:
        await ws.close()
    await asyncio.gather(*listeners, return_exceptions=True)


async def act(
    plan: MeetingPlan,
    figures: Figures,
    rng: random.Random,
    deadline: float,
    member_sockets: list[Any],
    leader_sockets: list[Any],
    pending: dict[int, float],
    shown: dict[tuple[int, int], bool],
    leader_queue: list[int],
    speaking: list[int],
    speaking_now: list[bool],
    pace: float,
) -> None:
    """One meeting's actions at a realistic pace until the deadline."""
    import json

    while time.perf_counter() < deadline:
        choice = rng.random()
        if choice < 0.6:
            index = rng.randrange(MEMBERS)
            seat = plan.members[index].seat
            if seat == speaking[0] or speaking_now[index]:
                await asyncio.sleep(0.5)
                continue
            if seat in pending:
                action = {"action": "lower"}
                pending.pop(seat, None)
                for leader in range(LEADERS):
                    shown.pop((leader, seat), None)
            else:
                action = {"action": "raise"}
                pending[seat] = time.perf_counter()
            await member_sockets[index].send(json.dumps(action))
        elif leader_queue:
            seat = leader_queue[0]
            await leader_sockets[rng.randrange(LEADERS)].send(
                json.dumps({"action": "floor", "seat": seat})
            )
            speaking[0] = seat
            pending.pop(seat, None)
            for leader in range(LEADERS):
                shown.pop((leader, seat), None)
        else:
            await asyncio.sleep(0.5)
            continue
        figures.sent += 1
        await asyncio.sleep(rng.uniform(0.5 * pace, 1.5 * pace))


def run(
    layer: str, plans: list[MeetingPlan], seconds: float, pace: float, var_dir: str
) -> dict[str, Any]:
    port = free_port()
    env = os.environ | {
        "DEBUG": "1",
        "KRETSEN_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "kretsen.settings",
    }
    if layer == "redis":
        env["REDIS_URL"] = REDIS_URL
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            "kretsen.asgi:application",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-max-queue",
            "64",
        ],
        env=env,
        cwd=ROOT / "src",
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("uvicorn did not start") from None
                time.sleep(0.2)
        figures = Figures()
        rng = random.Random(SEED)  # noqa: S311 (a repeatable load pattern)
        started = time.perf_counter()

        async def everything() -> None:
            figures.meetings = len(plans)
            figures.started = time.perf_counter()
            figures.all_connected = asyncio.Event()
            await asyncio.gather(
                *(
                    run_meeting(plan, port, seconds, pace, figures, random.Random(rng.random()))  # noqa: S311
                    for plan in plans
                )
            )

        asyncio.run(everything())
        elapsed = time.perf_counter() - started - figures.connect_seconds
        memory = peak_memory_kib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    latencies = sorted(figures.latencies)

    def pct(share: float) -> float:
        if not latencies:
            return float("nan")
        return 1000 * latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    return {
        "layer": layer,
        "hands": len(latencies),
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": 1000 * statistics.fmean(latencies) if latencies else float("nan"),
        "messages_per_second": (figures.sent + figures.received) / elapsed,
        "memory_mib": memory / 1024,
        "errors": figures.errors,
        "error_kinds": figures.error_kinds,
        "seconds": elapsed,
        "connect_seconds": figures.connect_seconds,
        "refused": figures.refused,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pace", type=float, default=10, help="mean seconds between actions")
    parser.add_argument("--layer", choices=("redis", "memory", "both"), default="both")
    args = parser.parse_args(argv)
    meetings = max(1, min(args.meetings, 500))
    seconds = max(5.0, min(args.seconds, 300.0))
    with tempfile.TemporaryDirectory(prefix="kretsen-live-bench-") as var_dir:
        configure(var_dir)
        started = time.perf_counter()
        plans = seed(meetings)
        print(
            f"Seeded {meetings} meetings x {LEADERS + MEMBERS} people "
            f"in {time.perf_counter() - started:.1f} s"
        )
        layers = ("redis", "memory") if args.layer == "both" else (args.layer,)
        for layer in layers:
            result = run(layer, plans, seconds, max(1.0, min(args.pace, 120.0)), var_dir)
            print(
                f"{result['layer']:6} clients {meetings * (LEADERS + MEMBERS)}: "
                f"hand -> leader p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
                f"p99 {result['p99']:.0f} ms (n={result['hands']}); "
                f"{result['messages_per_second']:.0f} messages/s; "
                f"uvicorn peak memory {result['memory_mib']:.0f} MiB; "
                f"errors {result['errors']} {result['error_kinds'] or ''}"
                f" (refused as meant: {result['refused']}); "
                f"{result['seconds']:.0f} s after {result['connect_seconds']:.0f} s to connect"
                f" everyone; load average {os.getloadavg()[0]:.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
