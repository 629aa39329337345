"""The proven upper bounds of ``engine.bound`` against brute force on tiny pools."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import Problem, Rules, bound
from kretsen.matching.engine.bound import ceiling_bound, lp_bound, upper_bound
from kretsen.matching.engine.index import build_index

from .helpers import brute_force, problems_st

WIDER = Rules(min_size=3, max_size=4, digital_min_size=3, digital_max_size=4)


@st.composite
def tiny_problems(draw: st.DrawFn) -> Problem:
    problem = draw(st.one_of(problems_st(high=6), problems_st(high=6, dense=True)))
    if draw(st.booleans()):
        # Groups of 3-4: each person's likeness is then a mean over at least two mates.
        rules = replace(WIDER, gender=problem.rules.gender, max_age_span=problem.rules.max_age_span)
        problem = replace(problem, rules=rules)
    return problem


@settings(deadline=None, max_examples=40, derandomize=True)
@given(tiny_problems())
def test_every_bound_is_at_least_the_brute_force_optimum(problem: Problem) -> None:
    best = brute_force(problem)
    index = build_index(problem)
    ceiling = ceiling_bound(index)
    tighter = lp_bound(index, 5.0)
    combined = upper_bound(index, 5.0)
    assert ceiling >= best - 1e-6
    assert tighter is None or tighter >= best - 1e-6
    assert best - 1e-6 <= combined <= ceiling + 1e-9


def test_the_lp_bound_is_tighter_on_a_city_pool() -> None:
    index = build_index(make_pool(200, 0))
    tighter = lp_bound(index, 20.0)
    assert tighter is not None
    assert tighter < 0.99 * ceiling_bound(index)
    assert upper_bound(index, 20.0) == tighter


def test_the_lp_too_large_for_the_simplex_is_bounded_by_pdlp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past ``LP_VARIABLE_LIMIT`` the relaxation is solved by PDLP (decision 0137): its duals
    give a bound never below the LP optimum (weak duality), and near it."""
    index = build_index(make_pool(200, 1, family="regions"))
    optimum = lp_bound(index, 60.0)  # every likeness kept, by the dual simplex
    monkeypatch.setattr(bound, "LP_EXACT_LIMIT", 0)
    monkeypatch.setattr(bound, "LP_VARIABLE_LIMIT", 0)  # the same LP, by PDLP
    assert lp_bound(index, 60.0, largest=10) is None  # larger than it may be
    first_order = lp_bound(index, 60.0, largest=10**6)
    assert optimum is not None
    assert first_order is not None
    assert optimum - 1e-6 <= first_order <= optimum * 1.002
    assert first_order < ceiling_bound(index)
