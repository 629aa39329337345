"""Names for new groups that people recognise: when they meet and who they are for.

"Tuesday evenings, partners of someone with dementia" says more to a relative choosing
whether to join than "Group 1". The name is written once, in the organisation's language,
and the coordinator can change it. Notifications and calendar entries never use it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kretsen.core.vocabulary import SLOTS, Condition, Relation

# One phrase per weekday and part of the day, so that each language can bend the words.
WHEN: dict[tuple[int, int], Promise] = {
    (0, 0): gettext_lazy("Monday mornings"),
    (0, 1): gettext_lazy("Monday afternoons"),
    (0, 2): gettext_lazy("Monday evenings"),
    (1, 0): gettext_lazy("Tuesday mornings"),
    (1, 1): gettext_lazy("Tuesday afternoons"),
    (1, 2): gettext_lazy("Tuesday evenings"),
    (2, 0): gettext_lazy("Wednesday mornings"),
    (2, 1): gettext_lazy("Wednesday afternoons"),
    (2, 2): gettext_lazy("Wednesday evenings"),
    (3, 0): gettext_lazy("Thursday mornings"),
    (3, 1): gettext_lazy("Thursday afternoons"),
    (3, 2): gettext_lazy("Thursday evenings"),
    (4, 0): gettext_lazy("Friday mornings"),
    (4, 1): gettext_lazy("Friday afternoons"),
    (4, 2): gettext_lazy("Friday evenings"),
    (5, 0): gettext_lazy("Saturday mornings"),
    (5, 1): gettext_lazy("Saturday afternoons"),
    (5, 2): gettext_lazy("Saturday evenings"),
    (6, 0): gettext_lazy("Sunday mornings"),
    (6, 1): gettext_lazy("Sunday afternoons"),
    (6, 2): gettext_lazy("Sunday evenings"),
}

WHO: dict[str, Promise] = {
    Relation.PARTNER: gettext_lazy("partners"),
    Relation.PARENT: gettext_lazy("parents"),
    Relation.ADULT_CHILD: gettext_lazy("adult children"),
    Relation.YOUNG: gettext_lazy("young relatives"),
    Relation.SIBLING: gettext_lazy("siblings"),
}

OF_SOMEONE_WITH: dict[str, Promise] = {
    Condition.DEMENTIA: gettext_lazy("of someone with dementia"),
    Condition.MENTAL_ILLNESS: gettext_lazy("of someone with mental illness"),
    Condition.ADDICTION: gettext_lazy("of someone with addiction"),
    Condition.SERIOUS_ILLNESS: gettext_lazy("of someone with a serious illness"),
    Condition.DISABILITY: gettext_lazy("of someone with a disability"),
    Condition.AGEING: gettext_lazy("of someone who is growing old"),
}


def _shared(values: Iterable[str]) -> str:
    """The value everyone has, if they all have the same one."""
    counted = Counter(v for v in values if v)
    return next(iter(counted)) if len(counted) == 1 else ""


def suggest(
    language: str,
    *,
    slot: int | None,
    relations: Iterable[str] = (),
    conditions: Iterable[str] = (),
    taken: Iterable[str] = (),
) -> str:
    """A name in ``language`` from the meeting time and what the members share.

    ``relations`` and ``conditions`` are the members' own (or the offer's target group);
    a part only appears when everyone shares it. A name already ``taken`` gets a number."""
    relation = _shared(relations)
    condition = _shared(conditions)
    with translation.override(language):
        parts: list[str] = []
        if slot is not None and 0 <= slot < len(SLOTS):
            parts.append(str(WHEN[SLOTS[slot]]))
        who = str(WHO[relation]) if relation in WHO else _("relatives")
        if condition in OF_SOMEONE_WITH:
            who = _("%(who)s %(of_someone)s") % {
                "who": who,
                "of_someone": OF_SOMEONE_WITH[condition],
            }
        if parts:
            parts.append(who)
        else:
            parts.append(who[:1].upper() + who[1:])
        name = ", ".join(parts)
        existing = set(taken)
        if name not in existing:
            return name
        number = 2
        while f"{name} ({number})" in existing:
            number += 1
        return f"{name} ({number})"
