"""From the waiting list to the engine's input, and the snapshot kept with a proposal.

People: registrations on the waiting list assessed ready for a group (of one offer, or all of
the organisation's), with their intake's availability, home area and never-together pairs.
Leaders: the organisation's active staff who may lead groups (the leader or the coordinator
role, as in the groups app). Kretsen does not yet record
leaders' availability, so a leader counts as free in every slot (still at most one group per
slot); decision 0038.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from kretsen.core.models import Organisation, StaffMembership
from kretsen.core.vocabulary import Format, Language, from_mask
from kretsen.directory.models import Offer
from kretsen.intake.models import Intake, Readiness, Registration, Status
from kretsen.matching.engine import DIGITAL, IN_PERSON, Group, Leader, Person, Problem, Rules

ALL_SLOTS = (1 << 21) - 1


def ready_people(organisation: Organisation, offer: Offer | None) -> list[Registration]:
    ready = Intake.objects.filter(readiness=Readiness.READY).values("registration_id")
    found = Registration.objects.filter(status=Status.WAITING_LIST, pk__in=ready)
    if offer is not None:
        found = found.filter(offer=offer)
    return list(found.select_related("intake").order_by("waiting_since", "created_at", "pk"))


def _rules(offer: Offer | None) -> Rules:
    if offer is None:
        return Rules()
    formats: frozenset[str] = frozenset({IN_PERSON, DIGITAL})
    if offer.format == Format.IN_PERSON:
        formats = frozenset({IN_PERSON})
    elif offer.format == Format.DIGITAL:
        formats = frozenset({DIGITAL})
    return Rules(
        min_size=offer.min_size,
        max_size=offer.max_size,
        digital_min_size=offer.min_size,
        digital_max_size=min(offer.max_size, 6),
        formats=formats,
    )


def build_problem(
    organisation: Organisation, offer: Offer | None, seconds: int, seed: int
) -> dict[str, Any]:
    """The snapshot (plain JSON) of the engine's input."""
    today = timezone.localdate()
    registrations = ready_people(organisation, offer)
    ids = {registration.pk: str(registration.public_id) for registration in registrations}
    people = []
    never = []
    for registration in registrations:
        intake = registration.intake
        people.append(
            {
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
        )
        for other in intake.never_with.values_list("pk", flat=True):
            if other in ids:
                never.append(sorted([ids[registration.pk], ids[other]]))
    memberships = (
        StaffMembership.objects.filter(organisation=organisation, is_active=True)
        .filter(Q(is_leader=True) | Q(is_coordinator=True))
        .select_related("user")
        .order_by("user__email")
    )
    leaders = [{"id": str(m.user.public_id), "availability": ALL_SLOTS} for m in memberships]
    rules = _rules(offer)
    return {
        "people": people,
        "leaders": leaders,
        "never_together": never,
        "rules": {
            "min_size": rules.min_size,
            "max_size": rules.max_size,
            "digital_min_size": rules.digital_min_size,
            "digital_max_size": rules.digital_max_size,
            "formats": sorted(rules.formats),
        },
        "seconds": seconds,
        "seed": seed,
    }


def to_problem(
    snapshot: dict[str, Any],
    *,
    locked: list[dict[str, Any]] | None = None,
    apart: list[list[str]] | None = None,
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
            Leader(id=leader["id"], availability=leader["availability"])
            for leader in snapshot["leaders"]
        ),
        rules=Rules(
            min_size=rules["min_size"],
            max_size=rules["max_size"],
            digital_min_size=rules["digital_min_size"],
            digital_max_size=rules["digital_max_size"],
            formats=frozenset(rules["formats"]),
        ),
        never_together=frozenset(tuple(pair) for pair in snapshot["never_together"]),
        apart=frozenset(tuple(pair) for pair in apart or []),  # type: ignore[misc]
        locked=tuple(
            Group(
                members=tuple(g["members"]),
                leaders=tuple(g["leaders"]),
                slot=g["slot"],
                language=g["language"],
                format=g["format"],
                area=g["area"],
            )
            for g in locked or []
        ),
        seed=snapshot["seed"],
        time_limit=float(snapshot["seconds"]),
    )
