"""The proven bound finished beside the search for an answer (decisions 0130 and 0136).

Column generation stops at its deadline, usually in the middle of a sweep of exact pricing.
Its Lagrangian bound (``colgen``) then holds greedy pricing's loose ceilings for the contexts
the sweep did not reach, and even a finished sweep counts k times a context's best reduced
cost for the k groups it could hold. On a thread beside the search, without touching the
master, ``finish_bound``:

1. prices every context the last round's sweep did not prove, exactly where it is small and
   by the LP relaxation of exact pricing where it is large (``lp_pricing``), five to ten
   times faster there and nearly as tight;
2. tightens the ceilings of contexts that can hold several groups with person prices
   (``tighten``).

On regions pools of 1,000 people the bound now lies 1.3-1.6 % above the master LP, against
2-4 % before (decision 0136).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from . import clock
from .colgen import (
    EPSILON,
    Generated,
    Place,
    Priced,
    context_ceiling,
    exact_pricing,
    improvable,
)
from .index import Context, Index
from .lp_pricing import MOST_PEOPLE, lp_ceiling

LP_PEOPLE = 40  # contexts with more people are priced by the LP relaxation here
PRICE_ROUNDS = 6  # rounds of person prices per context in ``tighten``
WORTH_TIGHTENING = 0.05  # the least a context's ceiling may still fall by to be tightened
CALL_SECONDS = 2.0  # the longest one context's pricing may take

Membership = np.ndarray  # a best group (0/1) or the relaxation's x, local positions


def finish_bound(
    index: Index, generated: Generated, deadline: float, seed: int, beat: float = math.inf
) -> float:
    """The smaller of column generation's best bound and the last round's, finished and
    tightened until ``deadline``; inf when column generation priced no round in full.
    When the finished round cannot come below ``beat`` (a bound known already) however far
    its ceilings are tightened, the search gets the cores back at once."""
    last = generated.last
    if last is None:
        return generated.bound
    need = index.problem.rules.leaders_per_group
    priced = last.copy()
    by_context = {place.context: place for place in generated.places}
    members: dict[Context, tuple[float, Membership | None]] = {
        context: (proven, None if group is None else _vector(by_context[context], group))
        for context, (proven, group) in priced.found.items()
    }
    todo = [
        place
        for place in generated.places
        if place.context not in priced.found
        and improvable(place, priced.pi[place.people], priced.mu.get(place.context, 0.0), need)
    ]
    todo.sort(key=lambda place: -priced.ceilings.get(place.context, 0.0))
    # Contexts too large to price keep greedy pricing's ceilings: when those alone reach
    # the bound to beat, nothing here can help.
    kept = sum(priced.ceilings[p.context] for p in todo if len(p.people) > MOST_PEOPLE)
    if priced.base + kept >= min(beat, generated.bound):
        return generated.bound
    for place in todo:
        if clock.now() > deadline:
            break
        here = priced.mu.get(place.context, 0.0)
        pi = priced.pi[place.people]
        proven, x = ceiling_of(index, place, pi, here, deadline, seed)
        if not math.isfinite(proven):
            continue
        ceiling = context_ceiling(place, pi, priced.rho, proven + need * here, need)
        priced.ceilings[place.context] = min(priced.ceilings[place.context], ceiling)
        members[place.context] = (proven, x)
    # Tightening can at most take the ceilings of the contexts it works on to 0.
    hope = priced.bound - sum(
        priced.ceilings[context]
        for context, (proven, x) in members.items()
        if _tightens(by_context.get(context), proven, x)
    )
    if hope < min(beat, generated.bound):
        tighten(index, generated.places, priced, members, deadline, seed)
    return min(generated.bound, priced.bound)


def ceiling_of(
    index: Index, place: Place, pi: np.ndarray, mu: float, deadline: float, seed: int
) -> tuple[float, Membership | None]:
    """A proven ceiling on the best reduced cost of ``place`` at local prices ``pi`` and
    context price ``mu``, and the group or fractional group that reaches it (None when no
    group improves); inf when out of time."""
    end = min(deadline, clock.now() + CALL_SECONDS)
    if len(place.people) > LP_PEOPLE:
        return lp_ceiling(index, place, pi, mu, end)
    proven, group = exact_pricing(index, place, pi, mu, end, seed)
    return proven, None if group is None else _vector(place, group)


def tighten(
    index: Index,
    places: Sequence[Place],
    priced: Priced,
    members: Mapping[Context, tuple[float, Membership | None]],
    deadline: float,
    seed: int,
) -> None:
    """Lower ``priced``'s ceilings where a context can hold several groups (decision 0136).

    A context's ceiling counts k times its best reduced cost b for the k groups it could
    hold, yet those groups share nobody: only one of them can hold the people who make the
    best group improve. Extra prices sigma >= 0 on those people that bring the best group's
    reduced cost to 0, and pricing again at pi + sigma, prove a ceiling b' on every group
    there; k groups then pay at most sum(sigma) of sigma together, so at pi they are worth
    at most sum(sigma) + k * b' (a cut of ``context_ceiling``). Any sigma >= 0 gives a valid
    cut; these only make it tight. ``PRICE_ROUNDS`` rounds, the context whose ceiling may
    fall most first, until ``deadline``. ``members`` holds each context's proven ceiling
    at pi and its best (fractional) group."""
    need = index.problem.rules.leaders_per_group
    by_context = {place.context: place for place in places}
    state: dict[Context, tuple[Place, np.ndarray, list[tuple[float, float]], Membership]] = {}
    for context, (proven, x) in members.items():
        place = by_context.get(context)
        if place is None or x is None or not _tightens(place, proven, x):
            continue
        here = priced.mu.get(context, 0.0)
        state[context] = (place, np.zeros(len(place.people)), [(0.0, proven + need * here)], x)

    def falls(context: Context) -> float:
        """How far the ceiling may still fall: to what one group is worth at most."""
        cuts = state[context][2]
        return priced.ceilings[context] - min(s + b for s, b in cuts)

    for _ in range(PRICE_ROUNDS):
        for context in sorted(state, key=falls, reverse=True):
            if falls(context) < WORTH_TIGHTENING:
                continue
            if clock.now() > deadline:
                return
            place, sigma, cuts, x = state.pop(context)
            here = priced.mu.get(context, 0.0)
            pi = priced.pi[place.people]
            # What the best group earns beyond its prices at pi + sigma, spread over its
            # members as extra prices, so that it no longer improves.
            excess = cuts[-1][1] - need * here
            sigma = sigma + max(0.0, excess) * x / max(float(x @ x), EPSILON)
            proven, better = ceiling_of(index, place, pi + sigma, here, deadline, seed)
            if not math.isfinite(proven):
                continue  # out of time: this context keeps its ceiling
            cuts.append((float(sigma.sum()), proven + need * here))
            ceiling = context_ceiling(place, pi, priced.rho, math.inf, need, cuts)
            priced.ceilings[context] = min(priced.ceilings[context], ceiling)
            if better is not None and proven > EPSILON:
                state[context] = (place, sigma, cuts, better)


def _tightens(place: Place | None, proven: float, x: Membership | None) -> bool:
    """Whether ``tighten`` works on a context: it can hold several groups (with one, k * b
    is exact) and some group improves there."""
    return place is not None and place.cap >= 2 and x is not None and proven > EPSILON


def _vector(place: Place, group: tuple[int, ...]) -> Membership:
    x = np.zeros(len(place.people))
    x[[place.local[i] for i in group]] = 1.0
    return x
