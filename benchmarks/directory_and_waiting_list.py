"""Benchmark: the public directory with filters and one organisation's waiting list.

Seeds invented data into a throw-away test database (300 organisations, 5,000 published
offers, 50,000 registrations), then times requests through the Django test client and prints
a Markdown table. Never touches a real database and never fails because of timing; it exits
non-zero only when a response is not 200.

    .venv/bin/python -m benchmarks.directory_and_waiting_list [--database-url URL] [--requests N]

The figures are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "src"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

ORGANISATIONS = 300
PUBLISHED_OFFERS = 5_000
DRAFT_OFFERS = 400
ARCHIVED_OFFERS = 200
REGISTRATIONS = 50_000
BIG_SLUG = "bench-big"
BIG_REGISTRATIONS = 1_500
BIG_WAITING = 600
BIG_PUBLISHED_OFFERS = 40
WARM_UP = 5
SEED = 20240611

SE_REGIONS = [
    "Norrskogen",
    "Älvdalsbygden",
    "Östra Mälarslätten",
    "Västra Kustlandet",
    "Södra Höglandet",
    "Bergslagsmarken",
    "Sjölandet",
    "Norra Kustbandet",
    "Myrlandet",
    "Gränsbygden",
    "Skärgårdsriket",
    "Slättbygden",
]
NO_REGIONS = [
    "Fjordane Nord",
    "Innlandsdalen",
    "Vestkysten",
    "Nordfjella",
    "Sørlandsbygda",
    "Midtre Trøndelag",
    "Øyriket",
    "Vidda",
]
SE_PARTS = (
    ["Björk", "Ek", "Gran", "Lind", "Sjö", "Strand", "Berg", "Dal", "Hag", "Fur", "Ås", "Mal"],
    ["vik", "holm", "åsen", "torp", "köping", "stad", "näs", "by", "ryd", "fors"],
)
NO_PARTS = (
    ["Fjell", "Bø", "Vik", "Strand", "Elv", "Skog", "Li", "Nes", "Haug", "Sand"],
    ["heim", "dal", "vik", "berg", "fjord", "øy", "stad", "land"],
)
TITLES = [
    ("Samtalsgrupp för anhöriga", "Samtalegruppe for pårørende", "Conversation group"),
    ("Anhörigcafé", "Pårørendekafé", "Relatives' café"),
    ("Stödgrupp för föräldrar", "Støttegruppe for foreldre", "Support group for parents"),
    ("Enskilda samtal", "Individuelle samtaler", "Individual talks"),
    ("Promenadgrupp", "Turgruppe", "Walking group"),
    ("Träffpunkt för unga anhöriga", "Møteplass for unge pårørende", "Meeting place"),
    ("Kurs om demens", "Kurs om demens", "Course on dementia"),
    ("Digital samtalsgrupp", "Digital samtalegruppe", "Online conversation group"),
]
FIRST_NAMES = [
    "Eva",
    "Karin",
    "Lars",
    "Anders",
    "Maria",
    "Ingrid",
    "Ola",
    "Kari",
    "Per",
    "Nils",
    "Sara",
    "Amina",
    "Ali",
    "Fatima",
    "Oksana",
    "Piotr",
    "Aino",
    "Jonas",
]


@dataclass
class Scenario:
    name: str
    path: str


@dataclass
class Result:
    scenario: Scenario
    median_ms: float
    p90_ms: float
    queries: int
    matches: str
    failures: int


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="database to create the throw-away test database on (default: SQLite, a file)",
    )
    parser.add_argument(
        "--requests", type=int, default=50, help="timed requests per scenario (default 50)"
    )
    return parser.parse_args(argv)


def set_up_django(database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def place_name(rng: random.Random, country: str) -> str:
    first, second = SE_PARTS if country == "SE" else NO_PARTS
    return rng.choice(first) + rng.choice(second)


def mask_of(rng: random.Random, choices: Any, fewest: int, most: int) -> int:
    from kretsen.core.vocabulary import to_mask

    values = list(choices.values)
    return to_mask(rng.sample(values, rng.randint(fewest, most)), choices)


def seed(rng: random.Random) -> dict[str, Any]:
    """Invented organisations, offers and registrations, written with bulk_create."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from kretsen.core.models import Organisation
    from kretsen.core.vocabulary import (
        AgeBand,
        Condition,
        Format,
        Gender,
        Language,
        Relation,
        to_mask,
    )
    from kretsen.directory.models import Offer
    from kretsen.intake.models import ContactTime, Registration, Status

    today = timezone.localdate()
    now = timezone.now()

    organisations = [
        Organisation(
            slug=BIG_SLUG,
            name="Storvik kommun",
            kind=Organisation.Kind.MUNICIPALITY,
            country="SE",
            default_language="sv",
            time_zone="Europe/Stockholm",
            region=SE_REGIONS[0],
            welcomes_outside_participants=True,
        )
    ]
    for number in range(1, ORGANISATIONS):
        country = "SE" if rng.random() < 0.6 else "NO"
        town = place_name(rng, country)
        is_association = rng.random() < 0.2
        if country == "SE":
            name = f"Anhörigföreningen i {town}" if is_association else f"{town} kommun"
        else:
            name = f"Pårørendeforeningen i {town}" if is_association else f"{town} kommune"
        organisations.append(
            Organisation(
                slug=f"bench-{number:03d}",
                name=name,
                kind=(
                    Organisation.Kind.ASSOCIATION
                    if is_association
                    else Organisation.Kind.MUNICIPALITY
                ),
                country=country,
                default_language="sv" if country == "SE" else "nb",
                time_zone="Europe/Stockholm" if country == "SE" else "Europe/Oslo",
                region=rng.choice(SE_REGIONS if country == "SE" else NO_REGIONS),
                welcomes_outside_participants=rng.random() < 1 / 3,
            )
        )
    Organisation.objects.bulk_create(organisations)
    organisations = list(Organisation.objects.order_by("pk"))
    big = organisations[0]
    others = organisations[1:]

    def offer(organisation: Organisation, state: str) -> Offer:
        title_sv, title_nb, title_en = rng.choice(TITLES)
        swedish = organisation.country == "SE"
        main_language = "sv" if swedish else "nb"
        extra_languages = rng.sample(["en", "fi", "ar", "fa", "so", "ti", "pl", "uk"], 2)
        languages = [main_language, *extra_languages[: rng.choice([0, 0, 0, 1, 2])]]
        starts_when_enough = rng.random() < 0.25
        form = rng.choices(list(Offer.Form.values), weights=[5, 3, 1, 2])[0]
        return Offer(
            organisation=organisation,
            state=state,
            title_sv=title_sv if swedish else "",
            title_nb="" if swedish else title_nb,
            title_en=title_en if rng.random() < 0.5 else "",
            purpose_sv="Vi ses, pratar och delar erfarenheter." if swedish else "",
            purpose_nb="" if swedish else "Vi møtes, prater og deler erfaringer.",
            relations=mask_of(rng, Relation, 1, 3),
            conditions=0 if rng.random() < 0.1 else mask_of(rng, Condition, 1, 2),
            languages=to_mask(languages, Language),
            form=form,
            meeting_count=rng.choice([None, 6, 8, 10]),
            format=rng.choices(list(Format.values), weights=[6, 2, 2])[0],
            address=f"Storgatan {rng.randint(1, 90)}",
            start_date=None if starts_when_enough else today + timedelta(rng.randint(0, 120)),
            starts_when_enough=starts_when_enough,
            contact_role="Anhörigkonsulent" if swedish else "Pårørendekoordinator",
            contact_phone="+46701234567" if swedish else "+4791234567",
            published_at=now - timedelta(days=rng.randint(0, 300))
            if state == Offer.State.PUBLISHED
            else None,
        )

    offers = [offer(big, Offer.State.PUBLISHED) for _ in range(BIG_PUBLISHED_OFFERS)]
    offers += [
        offer(rng.choice(others), Offer.State.PUBLISHED)
        for _ in range(PUBLISHED_OFFERS - BIG_PUBLISHED_OFFERS)
    ]
    offers += [offer(rng.choice(organisations), Offer.State.DRAFT) for _ in range(DRAFT_OFFERS)]
    offers += [
        offer(rng.choice(organisations), Offer.State.ARCHIVED) for _ in range(ARCHIVED_OFFERS)
    ]
    with scopes_disabled():
        Offer.objects.bulk_create(offers, batch_size=1000)
        offer_ids: dict[int, list[int]] = {}
        for pk, organisation_id in Offer.objects.filter(state=Offer.State.PUBLISHED).values_list(
            "pk", "organisation_id"
        ):
            offer_ids.setdefault(organisation_id, []).append(pk)

    statuses = [
        Status.NEW,
        Status.CONTACTED,
        Status.INTAKE_DONE,
        Status.INDIVIDUAL_SUPPORT,
        Status.REFERRED,
        Status.WITHDRAWN,
    ]
    other_weights = [15, 10, 10, 10, 5, 10]  # plus 40 % on the waiting list

    def registration(organisation: Organisation, status: str) -> Registration:
        created = now - timedelta(days=rng.randint(0, 450), minutes=rng.randint(0, 1440))
        waiting_since = None
        if status == Status.WAITING_LIST:
            waiting_since = today - timedelta(days=rng.randint(0, 400))
            created = min(created, datetime.combine(waiting_since, datetime.min.time(), now.tzinfo))
        swedish = organisation.country == "SE"
        languages = ["sv" if swedish else "nb"]
        if rng.random() < 0.3:
            languages.append(rng.choice(["en", "fi", "ar", "fa", "so", "ti", "pl", "uk"]))
        possible_offers = offer_ids.get(organisation.pk, [])
        withdrawn = status == Status.WITHDRAWN
        return Registration(
            organisation=organisation,
            offer_id=rng.choice(possible_offers)
            if possible_offers and rng.random() < 0.5
            else None,
            submission_key=uuid.uuid4(),
            status=status,
            display_name=rng.choice(FIRST_NAMES),
            phone=f"+4670{rng.randint(1000000, 9999999)}",
            contact_by_phone=True,
            contact_by_sms=rng.random() < 0.5,
            contact_times=rng.sample(list(ContactTime.values), rng.randint(0, 2)),
            no_topic=rng.random() < 0.1,
            relation=rng.choice(list(Relation.values)),
            condition=rng.choices(list(Condition.values), weights=[5, 3, 2, 3, 2, 3, 1])[0],
            age_band=rng.choice(list(AgeBand.values)),
            gender=rng.choice(list(Gender.values)),
            languages=to_mask(languages, Language),
            format_preference=rng.choices(list(Format.values), weights=[5, 2, 4])[0],
            wish="Att träffa andra i samma situation." if rng.random() < 0.01 else None,
            ui_language="sv" if swedish else "nb",
            consent_version="2024-05",
            consent_at=created,
            created_at=created,
            status_changed_at=created,
            waiting_since=waiting_since,
            withdrawn_at=now - timedelta(days=rng.randint(0, 60)) if withdrawn else None,
            delete_after=today + timedelta(days=rng.randint(1, 90)) if withdrawn else None,
        )

    people = [registration(big, Status.WAITING_LIST) for _ in range(BIG_WAITING)]
    people += [
        registration(big, rng.choices(statuses, weights=other_weights)[0])
        for _ in range(BIG_REGISTRATIONS - BIG_WAITING)
    ]
    for _ in range(REGISTRATIONS - BIG_REGISTRATIONS):
        status = (
            Status.WAITING_LIST
            if rng.random() < 0.4
            else rng.choices(statuses, weights=other_weights)[0]
        )
        people.append(registration(rng.choice(others), status))
    with scopes_disabled():
        Registration.objects.bulk_create(people, batch_size=2000)
        counts: dict[str, int | str] = {
            "organisations": Organisation.objects.count(),
            "published": Offer.objects.filter(state=Offer.State.PUBLISHED).count(),
            "other_offers": Offer.objects.exclude(state=Offer.State.PUBLISHED).count(),
            "registrations": Registration.objects.count(),
            "waiting": Registration.objects.filter(status=Status.WAITING_LIST).count(),
            "big_registrations": Registration.objects.filter(organisation=big).count(),
            "big_waiting": Registration.objects.filter(
                organisation=big, status=Status.WAITING_LIST
            ).count(),
        }
    other_org = next(o for o in others if o.pk in offer_ids)
    counts["place_org"] = other_org.slug
    counts["place_region"] = SE_REGIONS[1]
    return counts


def scenarios(place_org: str, place_region: str) -> list[Scenario]:
    waiting = f"/staff/{BIG_SLUG}/waiting-list/"
    return [
        Scenario("(a) directory, no filter", "/offers/"),
        Scenario(
            "(b) directory, condition + relation + digital + language",
            "/offers/?condition=dementia&relation=partner&format=digital&language=sv",
        ),
        Scenario(
            "(c) directory, one organisation, starting soon",
            f"/offers/?place=org:{place_org}&soon=on",
        ),
        Scenario(
            "(d) directory, region, closed groups",
            f"/offers/?place=region:{place_region}&form=closed",
        ),
        Scenario("(e) directory, text search", "/offers/?q=grupp"),
        Scenario(f"(f) waiting list of {BIG_SLUG}", waiting),
        Scenario(
            f"(g) waiting list of {BIG_SLUG}, condition + language + digital",
            f"{waiting}?condition=dementia&language=sv&format=digital",
        ),
    ]


MATCHES = [
    re.compile(r'id="results-title">\s*(\d[\d\s\u00a0,.]*)'),
    re.compile(r"<caption>\s*(\d[\d\s\u00a0,.]*)"),
]


def matches(html: str) -> str:
    for pattern in MATCHES:
        found = pattern.search(html)
        if found:
            return re.sub(r"\D", "", found.group(1))
    return "?"


def run(scenario: Scenario, client: Any, requests: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    failures = 0
    for _ in range(WARM_UP):
        failures += client.get(scenario.path).status_code != 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(scenario.path)
        timings.append((time.perf_counter() - started) * 1000)
        failures += response.status_code != 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(scenario.path)
    failures += response.status_code != 200
    if response.status_code != 200:
        print(f"{scenario.path} answered {response.status_code}", file=sys.stderr)
    p90 = statistics.quantiles(timings, n=10, method="inclusive")[8] if len(timings) > 1 else 0.0
    return Result(
        scenario=scenario,
        median_ms=statistics.median(timings),
        p90_ms=p90 or timings[0],
        queries=len(captured.captured_queries),
        matches=matches(response.content.decode()),
        failures=failures,
    )


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (test database in a file)"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version}"
    return connection.vendor


def report(results: list[Result], counts: dict[str, Any], requests: int, database: str) -> str:
    import django

    lines = [
        f"{database}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {date.today().isoformat()}: "
        f"{counts['organisations']:,} organisations, {counts['published']:,} published offers "
        f"(+{counts['other_offers']:,} drafts and archived), "
        f"{counts['registrations']:,} registrations ({counts['waiting']:,} on waiting lists; "
        f"{BIG_SLUG}: {counts['big_registrations']:,}, {counts['big_waiting']:,} waiting). "
        f"{requests} timed requests per scenario after {WARM_UP} warm-up requests.",
        "",
        "| Scenario | Median ms | p90 ms | Queries | Matches |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines.append(
            f"| {result.scenario.name} (`{result.scenario.path}`) | {result.median_ms:.1f} "
            f"| {result.p90_ms:.1f} | {result.queries} | {result.matches} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    set_up_django(args.database_url)

    from django.db import connection
    from django.test import Client

    from kretsen.core.roles import Role
    from tests.conftest import make_staff, sign_in_staff

    temporary = None
    if connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"):
        temporary = tempfile.mkdtemp(prefix="kretsen-bench-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(temporary) / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        from django_scopes import scopes_disabled

        from kretsen.core.models import Organisation

        # Invented data, reproducible from a fixed seed; nothing secret.
        counts = seed(random.Random(SEED))  # noqa: S311
        with scopes_disabled():
            big = Organisation.objects.get(slug=BIG_SLUG)
            coordinator = make_staff("coordinator@bench.example", big, {Role.COORDINATOR})
        client = sign_in_staff(Client(), coordinator)
        print(
            f"Set up and seeded in {time.perf_counter() - started:.1f} s; timing ...",
            file=sys.stderr,
        )
        results = [
            run(scenario, client, args.requests)
            for scenario in scenarios(counts["place_org"], counts["place_region"])
        ]
        database = database_description()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    print(report(results, counts, args.requests, database))
    print(f"\nTotal time {time.perf_counter() - started:.1f} s", file=sys.stderr)
    failed = [r for r in results if r.failures]
    for result in failed:
        print(f"{result.scenario.path}: {result.failures} responses were not 200", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
