"""Group leaders and what group formation needs to know about them (decision 0040).

The people who may lead groups are the organisation's active staff with the leader or the
coordinator role. Each may have a ``LeaderProfile``; without one, a leader counts as free at
every time, for both formats, in every area and language, and without special training,
which is how Kretsen treated every leader before profiles existed.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django_scopes import scope

from kretsen.core import audit
from kretsen.core.models import Organisation, StaffMembership
from kretsen.core.vocabulary import ALL_SLOTS, Format, Language, Qualification, from_mask
from kretsen.groups.models import LeaderProfile
from kretsen.intake.models import Intake

PROFILE_FIELDS = ("availability", "format", "areas", "languages", "qualified_for_children")


class LeaderInput(TypedDict):
    """One leader as the matching engine's ``Leader`` reads it (plain JSON)."""

    id: str
    availability: int
    format: str
    areas: list[str]
    languages: list[str]
    qualifications: list[str]


def leader_memberships(organisation: Organisation) -> QuerySet[StaffMembership]:
    """Active staff who may lead groups, with their profiles, by e-mail address."""
    return (
        StaffMembership.objects.filter(organisation=organisation, is_active=True)
        .filter(Q(is_leader=True) | Q(is_coordinator=True))
        .select_related("user", "leader_profile")
        .order_by("user__email")
    )


def profile_of(membership: StaffMembership) -> LeaderProfile | None:
    """The recorded profile, or None while nothing is recorded."""
    found: LeaderProfile | None = getattr(membership, "leader_profile", None)
    return found


def profile_for_editing(membership: StaffMembership) -> LeaderProfile:
    """The recorded profile, or an unsaved one with the values a missing profile stands for."""
    return profile_of(membership) or LeaderProfile(
        membership=membership,
        organisation_id=membership.organisation_id,
        availability=ALL_SLOTS,
        format=Format.BOTH,
    )


def save_profile(
    request: HttpRequest, membership: StaffMembership, values: dict[str, Any], changed: list[str]
) -> LeaderProfile:
    """Record ``values`` (the profile fields) for ``membership`` and log who changed what."""
    profile, created = LeaderProfile.objects.update_or_create(
        membership=membership,
        defaults={
            "organisation_id": membership.organisation_id,
            **{name: values[name] for name in PROFILE_FIELDS},
        },
    )
    audit.log(
        request,
        "groups.leader_profile.update",
        profile,
        data={
            "membership": str(membership.public_id),
            "created": created,
            "fields": sorted(set(changed) & set(PROFILE_FIELDS)),
        },
    )
    return profile


def known_areas(organisation: Organisation) -> list[str]:
    """Area names already used in intake conversations and leader profiles, to suggest the
    same spelling (the engine compares areas as written)."""
    with scope(organisation=organisation):
        # Intake areas are encrypted, so they are compared after decryption, here.
        names = {area for area in Intake.objects.values_list("area", flat=True) if area}
        for areas in LeaderProfile.objects.values_list("areas", flat=True):
            names.update(str(name) for name in areas or [] if str(name).strip())
    return sorted(names, key=str.casefold)


def leader_input(membership: StaffMembership) -> LeaderInput:
    profile = profile_of(membership)
    user_id = str(membership.user.public_id)
    if profile is None:
        return {
            "id": user_id,
            "availability": ALL_SLOTS,
            "format": Format.BOTH.value,
            "areas": [],
            "languages": [],
            "qualifications": [],
        }
    return {
        "id": user_id,
        "availability": profile.availability,
        "format": str(profile.format),
        "areas": profile.area_list(),
        "languages": from_mask(profile.languages, Language),
        "qualifications": [Qualification.CHILDREN.value] if profile.qualified_for_children else [],
    }


def leaders_for_matching(organisation: Organisation) -> list[LeaderInput]:
    """The organisation's possible leaders, by e-mail address, as the engine's input.

    Each is ``{"id", "availability", "format", "areas", "languages", "qualifications"}``: the
    user's public id, the 21-bit mask, ``in_person``/``digital``/``both``, the area names
    (empty: any area), ISO language codes (empty: any language) and qualifications (``children``).
    """
    with scope(organisation=organisation):
        memberships = list(leader_memberships(organisation))
    return [leader_input(membership) for membership in memberships]
