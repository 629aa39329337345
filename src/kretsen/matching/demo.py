"""Demo data for forming groups: invented people on the waiting list, ready for a group.

Twelve people with availability mostly on Tuesday and Thursday evenings, so that a proposal in
the demo forms groups and leaves a few people on the list with a reason.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation
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
from kretsen.intake.models import Intake, Readiness, Registration, Status

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


def load_demo(organisation: Organisation) -> None:
    with scopes_disabled():
        if Registration.objects.filter(organisation=organisation, display_name="Agneta").exists():
            return
        offer = Offer.objects.filter(organisation=organisation).order_by("pk").first()
        today = timezone.localdate()
        for name, relation, condition, age, fmt, area, slots, waited in PEOPLE:
            registration = Registration.objects.create(
                organisation=organisation,
                offer=offer,
                submission_key=uuid.uuid4(),
                display_name=name,
                phone="+46701234567",
                contact_by_phone=True,
                relation=relation,
                condition=condition,
                age_band=age,
                languages=to_mask(["sv"], Language),
                format_preference=fmt,
                status=Status.WAITING_LIST,
                waiting_since=today - timedelta(days=waited),
                consent_version="demo",
                consent_at=timezone.now(),
            )
            Intake.objects.create(
                registration=registration,
                organisation=organisation,
                readiness=Readiness.READY,
                availability=slots,
                area=area,
            )
