"""Benchmark: one nightly retention run on a large organisation, and the run after it.

Seeds invented data into a throw-away test database: one organisation with 150 ended groups
of 8 members (each with 8 meetings of attendance, a pledge, an absence, a follow-up, two
questionnaires and feedback), 1,000 withdrawn registrations due today, 2,000 registrations
still waiting, 5,000 expired sign-in links. Times ``plan()`` (the admin's page), the first
``apply()`` and a second one, and prints a Markdown table. Never fails because of timing.

    .venv/bin/python -m benchmarks.retention [--database-url URL] [--groups N]

The figures are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "src"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

MEMBERS = 8
MEETINGS = 8
WITHDRAWN = 1_000
WAITING = 2_000
LINKS = 5_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="database for the throw-away test database")
    parser.add_argument("--groups", type=int, default=150, help="ended groups (default 150)")
    return parser.parse_args(argv)


def seed(groups: int) -> dict[str, int]:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from kretsen.care.models import FollowUp, MeetingFeedback, QuestionnaireRequest
    from kretsen.core.models import SignInLink, User
    from kretsen.groups.models import (
        AbsenceNotice,
        Attendance,
        Group,
        GroupMember,
        Meeting,
        PledgeSignature,
    )
    from kretsen.intake.models import Registration, Status
    from tests.conftest import make_offer, make_org

    now = timezone.now()
    ended_at = now - timedelta(days=120)
    org = make_org("bench-retention", "Benchmark kommun")
    with scopes_disabled():
        offer = make_offer(org)

        def registration(number: int, status: str, **extra: object) -> Registration:
            return Registration(
                organisation=org,
                submission_key=uuid.uuid4(),
                display_name=f"Person {number}",
                phone="+46701234567",
                contact_note="Ring efter fem",
                wish="Vill prata med andra",
                relation="partner",
                condition="dementia",
                consent_version="bench",
                consent_at=now,
                status=status,
                **extra,
            )

        users = User.objects.bulk_create(
            [
                User(
                    email=f"person{n}@bench.example",
                    kind=User.Kind.RELATIVE,
                    username=uuid.uuid4().hex,
                    security_stamp=uuid.uuid4().hex,
                    date_joined=now - timedelta(days=200),
                )
                for n in range(groups * MEMBERS + WITHDRAWN)
            ]
        )
        in_groups = Registration.objects.bulk_create(
            [registration(n, Status.IN_GROUP, user=users[n]) for n in range(groups * MEMBERS)]
        )
        Registration.objects.bulk_create(
            [
                registration(
                    n,
                    Status.WITHDRAWN,
                    user=users[groups * MEMBERS + n],
                    withdrawn_at=now,
                    delete_after=timezone.localdate(),
                )
                for n in range(WITHDRAWN)
            ]
        )
        Registration.objects.bulk_create(
            [registration(n, Status.WAITING_LIST) for n in range(WAITING)]
        )
        made = Group.objects.bulk_create(
            [
                Group(
                    organisation=org,
                    offer=offer,
                    name=f"Grupp {g}",
                    state=Group.State.ENDED,
                    state_changed_at=ended_at,
                )
                for g in range(groups)
            ]
        )
        members = GroupMember.objects.bulk_create(
            [
                GroupMember(
                    group=made[i // MEMBERS],
                    organisation=org,
                    registration=reg,
                    display_name=reg.display_name,
                    status=GroupMember.Status.ACTIVE,
                    joined_on=date.today() - timedelta(days=200),
                    leave_reason="",
                )
                for i, reg in enumerate(in_groups)
            ]
        )
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    group=group,
                    organisation=org,
                    starts_at=ended_at - timedelta(days=7 * (MEETINGS - m)),
                    minutes=90,
                    note="Bra samtal",
                )
                for group in made
                for m in range(MEETINGS)
            ]
        )
        by_group: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            by_group.setdefault(meeting.group_id, []).append(meeting)
        attendance: list[Attendance] = []
        pledges: list[PledgeSignature] = []
        absences: list[AbsenceNotice] = []
        follow_ups: list[FollowUp] = []
        answers: list[QuestionnaireRequest] = []
        feedback: list[MeetingFeedback] = []
        for member in members:
            own = by_group[member.group_id]
            attendance += [
                Attendance(meeting=m, member=member, organisation=org, status="present")
                for m in own
            ]
            pledges.append(
                PledgeSignature(
                    member=member,
                    organisation=org,
                    version=1,
                    language="sv",
                    text="Löfte",
                    signed_name=member.display_name,
                )
            )
            absences.append(
                AbsenceNotice(meeting=own[0], member=member, organisation=org, message="Sjuk")
            )
            follow_ups.append(
                FollowUp(
                    organisation=org,
                    member=member,
                    reason="burdened",
                    note="Ring",
                    due_on=date.today(),
                )
            )
            answers += [
                QuestionnaireRequest(
                    organisation=org,
                    member=member,
                    timepoint=timepoint,
                    state="answered",
                    answers={"1": 3},
                    raw_score=12,
                    percentage=48,
                )
                for timepoint in ("baseline", "end")
            ]
            feedback.append(
                MeetingFeedback(
                    organisation=org,
                    meeting=own[1],
                    member=member,
                    felt_safe="yes",
                    enough_space="yes",
                    takeaway="Lugnet",
                )
            )
        Attendance.objects.bulk_create(attendance, batch_size=2_000)
        PledgeSignature.objects.bulk_create(pledges, batch_size=2_000)
        AbsenceNotice.objects.bulk_create(absences, batch_size=2_000)
        FollowUp.objects.bulk_create(follow_ups, batch_size=2_000)
        QuestionnaireRequest.objects.bulk_create(answers, batch_size=2_000)
        MeetingFeedback.objects.bulk_create(feedback, batch_size=2_000)
        made_rows = len(attendance) + len(pledges) + len(absences) + len(follow_ups)
        made_rows += len(answers) + len(feedback)
        SignInLink.objects.bulk_create(
            [
                SignInLink(
                    user=users[n % len(users)],
                    token_hash=uuid.uuid4().hex * 2,
                    expires_at=now - timedelta(hours=1),
                )
                for n in range(LINKS)
            ],
            batch_size=2_000,
        )
    return {
        "members": len(members),
        "rows": made_rows,
        "org": org.pk,
    }


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (test database in a file)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.db import connection

    temporary = None
    if connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"):
        temporary = tempfile.mkdtemp(prefix="kretsen-bench-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(temporary) / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        from django_scopes import scopes_disabled

        from kretsen.care.services import retention
        from kretsen.core.models import Organisation

        started = time.perf_counter()
        counts = seed(args.groups)
        print(f"Seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with scopes_disabled():
            organisation = Organisation.objects.get(pk=counts["org"])
        timings = []
        started = time.perf_counter()
        retention.plan(organisation)
        timings.append(("plan() for the admin's page", time.perf_counter() - started, ""))
        for label in ("first apply()", "second apply()"):
            started = time.perf_counter()
            result = retention.apply()
            summary = ", ".join(f"{key} {value}" for key, value in result.items() if value)
            timings.append((label, time.perf_counter() - started, summary or "nothing"))
        database = database_description()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    print(
        f"{database}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{date.today().isoformat()}: {args.groups} ended groups, {counts['members']} members "
        f"with {counts['rows']} rows about them, {WITHDRAWN} withdrawn, {WAITING} waiting, "
        f"{LINKS} expired sign-in links.\n"
    )
    print("| step | seconds | removed or anonymised |")
    print("| --- | ---: | --- |")
    for label, seconds, summary in timings:
        print(f"| {label} | {seconds:.2f} | {summary} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
