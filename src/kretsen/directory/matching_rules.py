"""The offer's own rules for forming its groups, in the words the matching engine reads.

``offer_rules_extra`` gives the rules that the size and format rules (read from the offer by
the matching app) do not cover: a gender-specific offer, the widest age span of a children's
group, and the training every leader must have. Plain JSON values, for a proposal's snapshot.
"""

from __future__ import annotations

from typing import TypedDict

from kretsen.core.vocabulary import Qualification
from kretsen.directory.models import Offer


class OfferRulesExtra(TypedDict):
    gender: str | None  # every member has this gender (engine Rules.gender)
    max_age_span: int | None  # in age-band steps (engine Rules.max_age_span)
    leader_qualification: str | None  # every leader holds it (engine Rules.leader_qualification)


def offer_rules_extra(offer: Offer | None) -> OfferRulesExtra:
    """The offer's special rules; no offer (the whole organisation's pool) has none."""
    if offer is None:
        return {"gender": None, "max_age_span": None, "leader_qualification": None}
    return {
        "gender": offer.gender_specific or None,
        "max_age_span": offer.max_age_span,
        "leader_qualification": (
            Qualification.CHILDREN.value if offer.needs_children_qualification else None
        ),
    }
