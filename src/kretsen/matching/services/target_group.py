"""The offer's target group as a rule of group formation (issue 15, decision 0096).

An offer names the relations and conditions it is for, and may name an age range. The snapshot
carries them as plain lists of vocabulary values; the engine leaves a person outside them on
the list unless the coordinator included them by hand (``snapshot["included"]``).
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.utils.translation import gettext as _

from kretsen.core.vocabulary import AgeBand, Condition, Relation, from_mask
from kretsen.directory.models import Offer

# The youngest and oldest age of each age band, in years.
BAND_AGES: dict[str, tuple[int, int]] = {
    AgeBand.UNDER_18.value: (0, 17),
    AgeBand.AGE_18_29.value: (18, 29),
    AgeBand.AGE_30_44.value: (30, 44),
    AgeBand.AGE_45_64.value: (45, 64),
    AgeBand.AGE_65_79.value: (65, 79),
    AgeBand.AGE_80.value: (80, 200),
}


class TargetGroup(TypedDict):
    relations: list[str]
    conditions: list[str]
    age_bands: list[str]


def _all_or_some(values: list[str], every: list[str]) -> list[str]:
    # Every value ticked is no restriction at all, the same as none ticked.
    return [] if set(values) >= set(every) else values


def target_group(offer: Offer | None) -> TargetGroup:
    """The offer's target group for the snapshot's rules; an empty list restricts nothing.

    Age bands come from the offer's youngest and oldest age: every band that overlaps the range
    (the intake records a band, not an age, so a band partly inside the range is let in).
    """
    if offer is None:
        return {"relations": [], "conditions": [], "age_bands": []}
    bands: list[str] = []
    if offer.age_min is not None or offer.age_max is not None:
        low = offer.age_min if offer.age_min is not None else 0
        high = offer.age_max if offer.age_max is not None else 200
        bands = [band for band, (young, old) in BAND_AGES.items() if young <= high and old >= low]
    return {
        "relations": _all_or_some(from_mask(offer.relations, Relation), list(Relation.values)),
        "conditions": _all_or_some(from_mask(offer.conditions, Condition), list(Condition.values)),
        "age_bands": _all_or_some(bands, list(AgeBand.values)),
    }


def _labels(values: list[str], choices: Any) -> str:
    names = [str(choices(value).label).lower() for value in values if value in choices.values]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def describe(rules: dict[str, Any]) -> str:
    """The target group in plain words, e.g. "partner or adult child of someone with dementia"."""
    relations = _labels(rules.get("relations", []), Relation)
    conditions = _labels(rules.get("conditions", []), Condition)
    ages = _labels(rules.get("age_bands", []), AgeBand)
    if relations and conditions:
        text = _("%(relations)s of someone with %(conditions)s") % {
            "relations": relations,
            "conditions": conditions,
        }
    elif relations:
        text = relations
    elif conditions:
        text = _("relatives of someone with %(conditions)s") % {"conditions": conditions}
    else:
        text = _("relatives")
    if ages:
        text = _("%(group)s, aged %(ages)s") % {"group": text, "ages": ages}
    return text
