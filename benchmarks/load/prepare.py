"""Data for the load test, written through the production settings into its own database.

    python -m benchmarks.load.prepare data OUT.json --leaders N --sessions N --links N
    python -m benchmarks.load.prepare notices N      # plan N notices now (the real service)
    python -m benchmarks.load.prepare count          # the load test's notices by state (JSON)

``data`` loads the demo, the directory benchmark's volume (300 organisations, 5,000 published
offers, 50,000 registrations), then what the simulated people need: one group with a meeting
that has happened for each simulated leader, relatives with a registration, single-use
sign-in links made as the sign-in service makes them (only the hash is stored), and staff
sessions that have passed both factors (as after a sign-in with password and code; the sign-in
itself, a deliberately slow password hash, is not what the load test measures). It writes the
raw links, the session keys and the addresses the simulated people use to OUT.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent.parent
NOTICE_DOMAIN = "notices.load.example"
LOAD_DOMAIN = "load.example"
MEMBERS_PER_GROUP = 6
RELATIVES = 300
SEED = 20261206


def _staff(email: str, organisation: Any, *, coordinator: bool, leader: bool) -> tuple[Any, Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    from kretsen.core.models import StaffMembership, User

    # No password: these accounts only ever use sessions made below.
    user = User.objects.create_staff_user(email, None, display_name=email.split("@")[0])
    device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
    with scopes_disabled():
        StaffMembership.objects.create(
            user=user, organisation=organisation, is_coordinator=coordinator, is_leader=leader
        )
    return user, device


def _session(user: Any, backend: str, device: Any | None) -> str:
    """A session as Django's login() and django-otp's verification leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(settings.SESSION_COOKIE_AGE)
    session.create()
    assert session.session_key is not None
    return session.session_key


def _registration(organisation: Any, offer: Any, name: str, **fields: Any) -> Any:
    from django.utils import timezone

    from kretsen.core.vocabulary import Condition, Language, Relation, to_mask
    from kretsen.intake.models import Registration

    return Registration(
        organisation=organisation,
        offer=offer,
        submission_key=uuid.uuid4(),
        display_name=name,
        phone="+46701234567",
        contact_by_phone=True,
        relation=Relation.PARTNER,
        condition=Condition.DEMENTIA,
        languages=to_mask(["sv"], Language),
        consent_version="load",
        consent_at=timezone.now(),
        **fields,
    )


def prepare(out: Path, leaders: int, sessions: int, links: int) -> None:
    from django.conf import settings
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from benchmarks.directory_and_waiting_list import BIG_SLUG, seed
    from kretsen.core.models import Organisation, SignInLink, User, hash_token, new_token
    from kretsen.demo import loader as demo
    from kretsen.directory.models import Offer
    from kretsen.groups.models import Group, GroupLeader, GroupMember, Meeting
    from kretsen.intake.models import Registration, Status

    demo.load()
    seed(random.Random(SEED))  # noqa: S311 (invented data from a fixed seed)
    now = timezone.now()
    staff_backend = "kretsen.core.auth.StaffBackend"
    with scopes_disabled():
        big = Organisation.objects.get(slug=BIG_SLUG)
        offer = Offer.objects.filter(organisation=big, state=Offer.State.PUBLISHED).earliest("pk")
        offers = [
            str(public_id)
            for public_id in Offer.objects.filter(state=Offer.State.PUBLISHED)
            .order_by("?")
            .values_list("public_id", flat=True)[:200]
        ]
        coordinator, coordinator_device = _staff(
            f"samordnare@{LOAD_DOMAIN}", big, coordinator=True, leader=False
        )
        meetings = []
        for number in range(leaders):
            leader, device = _staff(
                f"ledare-{number}@{LOAD_DOMAIN}", big, coordinator=False, leader=True
            )
            group = Group.objects.create(
                organisation=big,
                offer=offer,
                name=f"Lastgrupp {number}",
                state=Group.State.RUNNING,
            )
            GroupLeader.objects.create(group=group, organisation=big, user=leader, position=0)
            meeting = Meeting.objects.create(
                group=group,
                organisation=big,
                starts_at=now - timedelta(days=1),
                minutes=90,
            )
            people = Registration.objects.bulk_create(
                [
                    _registration(big, offer, f"Medlem {number}-{index}", status=Status.IN_GROUP)
                    for index in range(MEMBERS_PER_GROUP)
                ]
            )
            GroupMember.objects.bulk_create(
                [
                    GroupMember(
                        group=group,
                        organisation=big,
                        registration=person,
                        display_name=person.display_name,
                        status=GroupMember.Status.ACTIVE,
                        joined_on=now.date() - timedelta(days=30),
                    )
                    for person in people
                ]
            )
            meetings.append(
                {
                    "session": _session(leader, staff_backend, device),
                    "path": f"/staff/{BIG_SLUG}/groups/{group.public_id}"
                    f"/meetings/{meeting.public_id}/attendance/",
                }
            )
        # Notices for the worker-restart check go to two leaders of one group of their own.
        notice_group = Group.objects.create(
            organisation=big, offer=offer, name="Meddelanden", state=Group.State.RUNNING
        )
        for position in range(2):
            user, _device = _staff(
                f"ledare-{position}@{NOTICE_DOMAIN}", big, coordinator=False, leader=True
            )
            GroupLeader.objects.create(
                group=notice_group, organisation=big, user=user, position=position
            )

        relatives = [
            User.objects.create_relative(f"anhorig-{number}@{LOAD_DOMAIN}", display_name="Anna")
            for number in range(RELATIVES)
        ]
        Registration.objects.bulk_create(
            [
                _registration(big, offer, "Anna", user=relative, status=Status.NEW)
                for relative in relatives
            ]
        )
    raw_links = [new_token() for _ in range(links)]
    SignInLink.objects.bulk_create(
        [
            SignInLink(
                user=relatives[index % len(relatives)],
                token_hash=hash_token(raw),
                expires_at=now + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
            )
            for index, raw in enumerate(raw_links)
        ],
        batch_size=2000,
    )
    data = {
        "organisation": BIG_SLUG,
        "interest_organisations": [BIG_SLUG, "demo-kommun"],
        "offers": offers,
        "coordinator_sessions": [
            _session(coordinator, staff_backend, coordinator_device) for _ in range(sessions)
        ],
        "leader_meetings": meetings,
        "links": raw_links,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }
    out.write_text(json.dumps(data))


def _notice_group() -> Any:
    from kretsen.groups.models import Group

    return (
        Group.objects.filter(name="Meddelanden", leaderships__user__email__endswith=NOTICE_DOMAIN)
        .distinct()
        .get()
    )


def queue_notices(count: int) -> int:
    """Plan ``count`` notices through the real service: rows first, tasks after commit."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from kretsen.groups.services import notices

    with scopes_disabled():
        group = _notice_group()
        leaders = group.leaderships.count()
        stamp = uuid.uuid4().hex[:8]
        with transaction.atomic():
            for number in range((count + leaders - 1) // leaders):
                notices.to_leaders(group, f"load-{stamp}-{number}")
    return count


def count_notices() -> dict[str, int]:
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from kretsen.groups.models import Notice

    with scopes_disabled():
        rows = (
            Notice.objects.filter(staff__email__endswith="@" + NOTICE_DOMAIN)
            .values("state", "error")
            .annotate(n=Count("pk"))
        )
        counts: dict[str, int] = {}
        for row in rows:
            # A notice not sent yet says why its last attempt failed, if it did.
            key = f"{row['state']} ({row['error']})" if row["error"] else row["state"]
            counts[key] = counts.get(key, 0) + row["n"]
        return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data")
    data.add_argument("out", type=Path)
    data.add_argument("--leaders", type=int, default=60)
    data.add_argument("--sessions", type=int, default=200)
    data.add_argument("--links", type=int, default=8000)
    notices = commands.add_parser("notices")
    notices.add_argument("count", type=int)
    commands.add_parser("count")
    args = parser.parse_args(argv)
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    django.setup()
    if args.command == "data":
        prepare(args.out, args.leaders, args.sessions, args.links)
    elif args.command == "notices":
        print(queue_notices(args.count))
    else:
        print(json.dumps(count_notices()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
