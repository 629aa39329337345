"""Names of new groups say when they meet and who they are for, in the organisation's language."""

from __future__ import annotations

import pytest

from kretsen.core.vocabulary import slot_index
from kretsen.groups import naming

TUESDAY_EVENING = slot_index(1, 2)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Tisdagskvällar, partner till någon med demens"),
        ("nb", "Tirsdagskvelder, partnere til noen med demens"),
        ("en", "Tuesday evenings, partners of someone with dementia"),
    ],
)
def test_it_names_a_group_by_time_and_shared_relation_and_condition(
    language: str, expected: str
) -> None:
    name = naming.suggest(
        language,
        slot=TUESDAY_EVENING,
        relations=["partner", "partner"],
        conditions=["dementia", "dementia"],
    )
    assert name == expected


def test_it_leaves_out_what_the_members_do_not_share() -> None:
    name = naming.suggest(
        "sv", slot=slot_index(0, 0), relations=["partner", "parent"], conditions=["addiction"]
    )
    assert name == "Måndagsförmiddagar, anhöriga till någon med beroende"


def test_it_numbers_a_name_already_taken() -> None:
    first = naming.suggest("en", slot=None, relations=["parent"], conditions=[])
    assert first == "Parents"
    second = naming.suggest("en", slot=None, relations=["parent"], conditions=[], taken=[first])
    third = naming.suggest(
        "en", slot=None, relations=["parent"], conditions=[], taken=[first, second]
    )
    assert (second, third) == ("Parents (2)", "Parents (3)")
