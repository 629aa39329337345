"""Demo data for forming groups: invented people on the waiting list, ready for a group.

Twelve people with availability mostly on Tuesday and Thursday evenings, so that a proposal in
the demo forms groups and leaves a few people on the list with a reason; the first offer is for
partners of someone with dementia, so the others are left out as outside its target group. The
demo leader leads in-person groups in two areas. A shared digital pool with the Norwegian demo
organisation brings three more people who agreed to it (``load_shared_demo``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, StaffMembership
from kretsen.core.vocabulary import (
    AgeBand,
    Condition,
    Format,
    Language,
    Relation,
    slot_index,
    to_mask,
)
from kretsen.directory.models import Offer
from kretsen.groups.models import LeaderProfile
from kretsen.intake.models import Intake, Readiness, Registration, Status
from kretsen.matching.models import PoolMember, SharedPool

TUESDAY_EVENING = 1 << slot_index(1, 2)
THURSDAY_EVENING = 1 << slot_index(3, 2)
SATURDAY_MORNING = 1 << slot_index(5, 0)

# name, relation, condition, age band, format, area, availability, days waiting
PEOPLE = [
    (
        "Agneta",
        Relation.PARTNER,
        Condition.DEMENTIA,
        AgeBand.AGE_65_79,
        Format.IN_PERSON,
        "Centrum",
        TUESDAY_EVENING | THURSDAY_EVENING,
        120,
    ),
    (
        "Bengt",
        Relation.PARTNER,
        Condition.DEMENTIA,
        AgeBand.AGE_80,
        Format.IN_PERSON,
        "Centrum",
        TUESDAY_EVENING,
        75,
    ),
    (
        "Carola",
        Relation.ADULT_CHILD,
        Condition.DEMENTIA,
        AgeBand.AGE_45_64,
        Format.BOTH,
        "Centrum",
        TUESDAY_EVENING | THURSDAY_EVENING,
        60,
    ),
    (
        "Dragan",
        Relation.PARTNER,
        Condition.DEMENTIA,
        AgeBand.AGE_65_79,
        Format.BOTH,
        "Centrum",
        TUESDAY_EVENING,
        44,
    ),
    (
        "Elvira",
        Relation.ADULT_CHILD,
        Condition.DEMENTIA,
        AgeBand.AGE_45_64,
        Format.IN_PERSON,
        "Centrum",
        TUESDAY_EVENING | SATURDAY_MORNING,
        30,
    ),
    (
        "Folke",
        Relation.PARTNER,
        Condition.AGEING,
        AgeBand.AGE_80,
        Format.IN_PERSON,
        "Centrum",
        TUESDAY_EVENING,
        21,
    ),
    (
        "Gunnel",
        Relation.PARENT,
        Condition.MENTAL_ILLNESS,
        AgeBand.AGE_45_64,
        Format.DIGITAL,
        "",
        THURSDAY_EVENING,
        140,
    ),
    (
        "Hamid",
        Relation.SIBLING,
        Condition.MENTAL_ILLNESS,
        AgeBand.AGE_30_44,
        Format.DIGITAL,
        "",
        THURSDAY_EVENING,
        90,
    ),
    (
        "Irja",
        Relation.PARENT,
        Condition.MENTAL_ILLNESS,
        AgeBand.AGE_45_64,
        Format.BOTH,
        "Norr",
        THURSDAY_EVENING,
        66,
    ),
    (
        "Jonna",
        Relation.PARENT,
        Condition.ADDICTION,
        AgeBand.AGE_45_64,
        Format.DIGITAL,
        "",
        THURSDAY_EVENING,
        35,
    ),
    (
        "Kerttu",
        Relation.PARTNER,
        Condition.MENTAL_ILLNESS,
        AgeBand.AGE_65_79,
        Format.DIGITAL,
        "",
        THURSDAY_EVENING,
        12,
    ),
    (
        "Lage",
        Relation.PARTNER,
        Condition.DEMENTIA,
        AgeBand.AGE_80,
        Format.IN_PERSON,
        "Norr",
        SATURDAY_MORNING,
        200,
    ),
]


# The demo leader (the leader role only) leads in-person groups in two areas.
DEMO_LEADER_AREAS = ["Centrum", "Norr"]


def load_demo(organisation: Organisation) -> None:
    with scopes_disabled():
        names = Registration.objects.filter(organisation=organisation).values_list(
            "display_name", flat=True
        )
        if "Agneta" in names:
            return
        for membership in StaffMembership.objects.filter(
            organisation=organisation, is_leader=True, is_coordinator=False, is_active=True
        ):
            LeaderProfile.objects.get_or_create(
                membership=membership,
                defaults={"organisation": organisation, "areas": DEMO_LEADER_AREAS},
            )
        offer = Offer.objects.filter(organisation=organisation).order_by("pk").first()
        today = timezone.localdate()
        for name, relation, condition, age, fmt, area, slots, waited in PEOPLE:
            _ready(
                organisation,
                name,
                offer=offer,
                relation=relation,
                condition=condition,
                age_band=age,
                format_preference=fmt,
                waiting_since=today - timedelta(days=waited),
                intake={"availability": slots, "area": area},
            )


def _ready(organisation: Organisation, name: str, intake: dict[str, Any], **fields: Any) -> None:
    """An invented person on the waiting list, assessed ready for a group."""
    values: dict[str, Any] = {
        "phone": "+46701234567",
        "contact_by_phone": True,
        "languages": to_mask(["sv"], Language),
        "status": Status.WAITING_LIST,
        "consent_version": "demo",
        "consent_at": timezone.now(),
        **fields,
    }
    registration = Registration.objects.create(
        organisation=organisation, submission_key=uuid.uuid4(), display_name=name, **values
    )
    Intake.objects.create(
        registration=registration,
        organisation=organisation,
        readiness=Readiness.READY,
        **intake,
    )


# The digital offer's people who agreed at intake to share groups with another organisation:
# two of the host's and three of the partner's (True: the partner's).
SHARED = [
    ("Ingrid", AgeBand.AGE_45_64, 80, True),
    ("Torbjørn", AgeBand.AGE_45_64, 52, True),
    ("Solveig", AgeBand.AGE_30_44, 33, True),
    ("Hanna", AgeBand.AGE_45_64, 61, False),
    ("Mikael", AgeBand.AGE_30_44, 20, False),
]


def load_shared_demo(host: Organisation, partner: Organisation) -> None:
    """A shared digital pool of the two demo organisations, both agreed, with people for the
    host's digital offer (parents of someone with mental illness)."""
    with scopes_disabled():
        if SharedPool.objects.filter(host=host).exists():
            return
        pool = SharedPool.objects.create(name="Digitala kvällsgrupper", host=host)
        for organisation in (host, partner):
            PoolMember.objects.create(
                pool=pool, organisation=organisation, state=PoolMember.State.AGREED
            )
        offer = Offer.objects.filter(organisation=host, format=Format.DIGITAL).first()
        today = timezone.localdate()
        for name, age, waited, elsewhere in SHARED:
            home = partner if elsewhere else host
            _ready(
                home,
                name,
                offer=None if elsewhere else offer,
                phone="+4791234567" if elsewhere else "+46701234567",
                relation=Relation.PARENT,
                condition=Condition.MENTAL_ILLNESS,
                age_band=age,
                languages=to_mask(["nb", "sv"] if elsewhere else ["sv"], Language),
                format_preference=Format.DIGITAL,
                waiting_since=today - timedelta(days=waited),
                intake={"availability": TUESDAY_EVENING | THURSDAY_EVENING, "shared_pool": True},
            )
