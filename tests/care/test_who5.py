"""WHO-5 scoring: the instrument file, the raw score, the x4 rule and the thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kretsen.care import questionnaires

WHO5 = questionnaires.load("who5")
ITEMS = [item.key for item in WHO5.items]


def test_the_data_file_names_its_source_and_terms_and_has_every_language() -> None:
    assert "WHO" in WHO5.source
    assert "free" in WHO5.terms.lower()
    assert len(WHO5.items) == 5
    assert sorted(choice.value for choice in WHO5.scale) == [0, 1, 2, 3, 4, 5]
    for texts in [
        WHO5.title,
        WHO5.intro,
        *[i.text for i in WHO5.items],
        *[c.label for c in WHO5.scale],
    ]:
        assert set(texts) == {"sv", "nb", "en"}
        assert all(texts.values())


@pytest.mark.parametrize(
    ("answers", "raw", "percentage", "low", "follow_up"),
    [
        ([5, 5, 5, 5, 5], 25, 100, False, False),
        ([0, 0, 0, 0, 0], 0, 0, True, True),
        ([3, 3, 3, 2, 2], 13, 52, False, False),
        ([3, 3, 2, 2, 2], 12, 48, True, False),
        ([2, 2, 1, 1, 1], 7, 28, True, True),
        ([2, 2, 2, 1, 1], 8, 32, True, False),
    ],
)
def test_known_answer_sets(
    answers: list[int], raw: int, percentage: int, low: bool, follow_up: bool
) -> None:
    score = WHO5.score(dict(zip(ITEMS, answers, strict=True)))
    assert (score.raw, score.percentage, score.low, score.needs_follow_up) == (
        raw,
        percentage,
        low,
        follow_up,
    )


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=5, max_size=5))
def test_the_range_and_the_times_four_rule(answers: list[int]) -> None:
    score = WHO5.score(dict(zip(ITEMS, answers, strict=True)))
    assert 0 <= score.raw <= 25
    assert score.raw == sum(answers)
    assert score.percentage == 4 * score.raw
    assert 0 <= score.percentage <= 100
    assert score.needs_follow_up == (score.percentage <= 28)
    assert score.low == (score.percentage <= 50)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from([*ITEMS, "extra"]), st.integers(min_value=-3, max_value=9)))
def test_incomplete_or_off_scale_answers_are_refused(answers: dict[str, int]) -> None:
    valid = set(answers) == set(ITEMS) and all(0 <= v <= 5 for v in answers.values())
    if valid:
        assert WHO5.score(answers).raw == sum(answers.values())
    else:
        with pytest.raises(questionnaires.InvalidAnswers):
            WHO5.score(answers)
