"""From the waiting list to the engine's input, and the snapshot kept with a proposal.

People: registrations on the waiting list assessed ready for a group (of one offer, or all of
the organisation's), with their intake's availability, home area and never-together pairs.
With a shared pool (digital groups only), partners' people who agreed to it come too, by
pseudonym (``services/shared.py``, decision 0041).
Leaders: the organisation's active staff who may lead groups (the leader or the coordinator
role, as in the groups app), with what their leader profile records (decision 0040).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation
from kretsen.core.vocabulary import Format, Language, from_mask
from kretsen.directory.matching_rules import offer_rules_extra
from kretsen.directory.models import Offer
from kretsen.groups.leaders import leaders_for_matching
from kretsen.intake.models import Intake, Readiness, Registration, Status
from kretsen.matching.engine import BOTH, DIGITAL, IN_PERSON, Group, Leader, Person, Problem, Rules
from kretsen.matching.models import SharedPool
from kretsen.matching.services import shared
from kretsen.matching.services.target_group import target_group


def ready_people(organisation: Organisation, offer: Offer | None) -> list[Registration]:
    ready = Intake.objects.filter(readiness=Readiness.READY).values("registration_id")
    found = Registration.objects.filter(status=Status.WAITING_LIST, pk__in=ready)
    if offer is not None:
        found = found.filter(offer=offer)
    return list(found.select_related("intake").order_by("waiting_since", "created_at", "pk"))


def _rules(offer: Offer | None, digital_only: bool = False) -> Rules:
    if offer is None:
        return Rules(formats=frozenset({DIGITAL})) if digital_only else Rules()
    formats: frozenset[str] = frozenset({IN_PERSON, DIGITAL})
    if digital_only or offer.format == Format.DIGITAL:
        formats = frozenset({DIGITAL})
    elif offer.format == Format.IN_PERSON:
        formats = frozenset({IN_PERSON})
    return Rules(
        min_size=offer.min_size,
        max_size=offer.max_size,
        digital_min_size=offer.min_size,
        digital_max_size=min(offer.max_size, 6),
        formats=formats,
    )


def _people(
    registrations: list[Registration], home: Organisation | None
) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Snapshot rows of ``registrations`` and their never-together pairs among them.

    ``home`` is set for another organisation's people (shared pool): the proposal shows them
    by pseudonym only.
    """
    today = timezone.localdate()
    ids = {registration.pk: str(registration.public_id) for registration in registrations}
    people = []
    never = []
    for registration in registrations:
        intake = registration.intake
        row = {
            "id": ids[registration.pk],
            "condition": registration.condition,
            "relation": registration.relation,
            "age_band": registration.age_band,
            "gender": registration.gender or None,
            "languages": from_mask(registration.languages, Language) or ["sv"],
            "format": registration.format_preference,
            "area": intake.area or None,
            "availability": intake.availability,
            "days_waiting": (today - registration.waiting_since).days
            if registration.waiting_since
            else 0,
        }
        if home is not None:
            row["home"] = home.slug
            row["area"] = None  # digital groups only: where they live is not passed on
        people.append(row)
        for other in intake.never_with.values_list("pk", flat=True):
            if other in ids:
                never.append(sorted([ids[registration.pk], ids[other]]))
    return people, never


def build_problem(
    organisation: Organisation,
    offer: Offer | None,
    seconds: int,
    seed: int,
    shared_pool: SharedPool | None = None,
) -> dict[str, Any]:
    """The snapshot (plain JSON) of the engine's input."""
    people, never = _people(ready_people(organisation, offer), None)
    if shared_pool is not None:
        # Other organisations' people, by pseudonym; their never-together pairs stay theirs.
        with scopes_disabled():
            by_home: dict[int, list[Registration]] = {}
            for registration in shared.shared_people(shared_pool, organisation):
                by_home.setdefault(registration.organisation_id, []).append(registration)
            for home_people in by_home.values():
                rows, apart = _people(home_people, home_people[0].organisation)
                people.extend(rows)
                never.extend(apart)
    rules = _rules(offer, digital_only=shared_pool is not None)
    return {
        "people": people,
        "leaders": leaders_for_matching(organisation),
        "never_together": never,
        "rules": {
            "min_size": rules.min_size,
            "max_size": rules.max_size,
            "digital_min_size": rules.digital_min_size,
            "digital_max_size": rules.digital_max_size,
            "formats": sorted(rules.formats),
            **offer_rules_extra(offer),
            **target_group(offer),
        },
        "included": [],
        "seconds": seconds,
        "seed": seed,
        "shared_pool": str(shared_pool.public_id) if shared_pool else None,
    }


def to_problem(
    snapshot: dict[str, Any],
    *,
    locked: list[dict[str, Any]] | None = None,
    apart: list[list[str]] | None = None,
    together: list[list[str]] | None = None,
) -> Problem:
    rules = snapshot["rules"]
    return Problem(
        people=tuple(
            Person(
                id=p["id"],
                condition=p["condition"],
                relation=p["relation"],
                age_band=p["age_band"],
                gender=p["gender"],
                languages=frozenset(p["languages"]),
                format=p["format"],
                area=p["area"],
                availability=p["availability"],
                days_waiting=p["days_waiting"],
            )
            for p in snapshot["people"]
        ),
        leaders=tuple(
            # Snapshots from before leader profiles (decision 0040) hold only id and times.
            Leader(
                id=leader["id"],
                availability=leader["availability"],
                format=leader.get("format", BOTH),
                areas=frozenset(
                    leader.get("areas") or ([leader["area"]] if leader.get("area") else [])
                ),
                languages=frozenset(leader.get("languages", [])),
                qualifications=frozenset(leader.get("qualifications", [])),
            )
            for leader in snapshot["leaders"]
        ),
        rules=Rules(
            min_size=rules["min_size"],
            max_size=rules["max_size"],
            digital_min_size=rules["digital_min_size"],
            digital_max_size=rules["digital_max_size"],
            formats=frozenset(rules["formats"]),
            gender=rules.get("gender"),
            max_age_span=rules.get("max_age_span"),
            leader_qualification=rules.get("leader_qualification"),
            relations=frozenset(rules.get("relations", [])),
            conditions=frozenset(rules.get("conditions", [])),
            age_bands=frozenset(rules.get("age_bands", [])),
        ),
        never_together=frozenset(tuple(pair) for pair in snapshot["never_together"]),
        apart=frozenset(tuple(pair) for pair in apart or []),  # type: ignore[misc]
        together=frozenset(tuple(pair) for pair in together or []),  # type: ignore[misc]
        locked=tuple(group_from_json(g) for g in locked or []),
        included=frozenset(snapshot.get("included", [])),
        seed=snapshot["seed"],
        time_limit=float(snapshot["seconds"]),
    )


def group_from_json(stored: dict[str, Any]) -> Group:
    """A group as a proposal stores it (JSON) back into the engine's form."""
    return Group(
        members=tuple(stored["members"]),
        leaders=tuple(stored["leaders"]),
        slot=stored["slot"],
        language=stored["language"],
        format=stored["format"],
        area=stored["area"],
    )


def group_to_json(group: Group, locked: bool = False) -> dict[str, Any]:
    """The engine's group as a proposal stores it; the inverse of ``group_from_json``."""
    return {**asdict(group), "members": list(group.members), "leaders": list(group.leaders)} | {
        "locked": locked
    }
