"""A ceiling on a context's best reduced cost from the LP relaxation of exact pricing.

Exact pricing (``colgen.exact_pricing``) solves, per group size n, the model

    max (n - 1) * sum (w_i - pi_i) x_i + sum over pairs of (w_i + w_j) s_ij p_ij
    s.t. p_ij <= x_i, p_ij <= x_j, sum_j p_ij <= (n - 1) x_i, sum x_i = n,
         x_i + x_j <= 1 for pairs that may not meet, x_i = x_j for people pinned together

with CP-SAT. Its LP relaxation is nearly as tight (on regions pools of 1,000 people it was
often equal, and at most 0.2 above, per group), and HiGHS solves it from arrays built with
numpy in 0.1-0.35 s where CP-SAT takes 1-2.4 s, in contexts of 100-170 people. So the bound of
column generation is finished with this where a context is large (decision 0136). Any
optimum of the relaxation bounds the integer optimum; the margin covers HiGHS's tolerances.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from . import clock
from .colgen import EPSILON, Place, size_ceiling, undominated
from .index import Index

MARGIN = 1e-6  # per unit of the objective, for HiGHS's tolerances
MOST_PEOPLE = 200  # past this many people (after dominance) the relaxation takes seconds


def lp_ceiling(
    index: Index, place: Place, pi: np.ndarray, mu: float, deadline: float
) -> tuple[float, np.ndarray | None]:
    """(A proven ceiling on the best v(S) - pi(S) - need * mu of ``place``, the relaxation's
    membership x of the size whose ceiling is highest, local positions); (inf, None) when
    HiGHS does not finish before ``deadline`` or the context is too large. ``pi`` is
    local."""
    need = index.problem.rules.leaders_per_group
    bound = -math.inf
    best: tuple[float, np.ndarray | None] = (-math.inf, None)
    for n in range(place.low, min(place.high, len(place.people)) + 1):
        ceiling = size_ceiling(place, pi, mu, need, n)
        if ceiling <= EPSILON:
            bound = max(bound, ceiling)
            continue
        left = deadline - clock.now()
        if left <= 0.01:
            return math.inf, None
        solved = _relaxation(index, place, pi, n, left)
        if solved is None:
            return math.inf, None
        value, x = solved
        here = min(ceiling, value - need * mu)
        bound = max(bound, here)
        if here > best[0]:
            best = (here, x)
    return bound, best[1]


def _relaxation(
    index: Index, place: Place, pi: np.ndarray, n: int, seconds: float
) -> tuple[float, np.ndarray] | None:
    """The optimum of the relaxation for size n over the people ``undominated`` leaves, per
    group (divided by n - 1), and its x over all of ``place``'s people; None when HiGHS does
    not finish in ``seconds`` or there are more than ``MOST_PEOPLE`` people."""
    span = index.problem.rules.max_age_span
    chosen = np.flatnonzero(undominated(place, pi, n))
    if len(chosen) > MOST_PEOPLE:
        return None
    # People pinned together with someone who cannot be in this group stay out of it.
    pinned: list[tuple[int, int]] = []
    position = {int(k): a for a, k in enumerate(chosen)}
    keep = np.ones(len(chosen), dtype=bool)
    for a, k in enumerate(chosen):
        for other in index.blocks[index.block_of[int(place.people[k])]]:
            mate = place.local.get(other)
            if mate is None or mate not in position:
                keep[a] = False
            elif mate > k:
                pinned.append((a, position[mate]))
    m = len(chosen)
    if int(keep.sum()) < n:
        return 0.0, np.zeros(len(place.people))
    sim = np.asarray(index.sim, dtype=float)
    profile, age, w = place.profile[chosen], place.age[chosen], place.w[chosen]
    first, second = np.triu_indices(m, 1)
    alike = sim[profile[first], profile[second]]
    apart = np.zeros(len(first), dtype=bool)
    if span is not None:
        apart |= np.abs(age[first] - age[second]) > span
    never = {
        (min(a, position[o]), max(a, position[o]))
        for a, k in enumerate(chosen)
        for o in place.forbidden[k]
        if o in position
    }
    if never:
        pairs = np.array(sorted(never))
        apart |= np.isin(first * m + second, pairs[:, 0] * m + pairs[:, 1])
    liked = ~apart & (alike > 0)
    i, j = first[liked], second[liked]
    gain = (w[i] + w[j]) * alike[liked]
    count = len(i)
    edge = np.arange(count)
    ones = np.ones(count)
    # p_ij - x_i <= 0 and p_ij - x_j <= 0; sum_j p_ij - (n - 1) x_i <= 0; x_i + x_j <= 1 apart.
    split_i, split_j = first[apart], second[apart]
    clash = np.arange(len(split_i))
    rows = [edge, edge, count + edge, count + edge]
    cols = [m + edge, i, m + edge, j]
    values = [ones, -ones, ones, -ones]
    star = 2 * count
    rows += [star + i, star + j, star + np.arange(m)]
    cols += [m + edge, m + edge, np.arange(m)]
    values += [ones, ones, np.full(m, -(n - 1.0))]
    apart_row = star + m
    rows += [apart_row + clash, apart_row + clash]
    cols += [split_i, split_j]
    values += [np.ones(len(clash)), np.ones(len(clash))]
    upper = coo_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
        shape=(apart_row + len(clash), m + count),
    ).tocsr()
    limits = np.concatenate([np.zeros(star + m), np.ones(len(clash))])
    # sum x = n, and x_a - x_b = 0 for people pinned together.
    eq_rows = [np.zeros(m, dtype=np.int64)]
    eq_cols = [np.arange(m)]
    eq_values = [np.ones(m)]
    for r, (a, b) in enumerate(pinned, start=1):
        eq_rows.append(np.array([r, r]))
        eq_cols.append(np.array([a, b]))
        eq_values.append(np.array([1.0, -1.0]))
    equal = csr_matrix(
        (np.concatenate(eq_values), (np.concatenate(eq_rows), np.concatenate(eq_cols))),
        shape=(1 + len(pinned), m + count),
    )
    targets = np.zeros(1 + len(pinned))
    targets[0] = n
    cost = np.concatenate([-(n - 1) * (w - pi[chosen]), -gain])
    high = np.ones(m + count)
    high[:m][~keep] = 0.0
    result = linprog(
        cost,
        A_ub=upper,
        b_ub=limits,
        A_eq=equal,
        b_eq=targets,
        bounds=np.column_stack([np.zeros(m + count), high]),
        method="highs-ds",
        options={"time_limit": max(0.01, seconds)},
    )
    if result.status == 2:  # no group of this size can meet here
        return -math.inf, np.zeros(len(place.people))
    if result.status != 0:
        return None
    value = -float(result.fun) / (n - 1)
    value += MARGIN * (1.0 + abs(value))
    x = np.zeros(len(place.people))
    x[chosen] = np.clip(result.x[:m], 0.0, 1.0)
    return value, x
