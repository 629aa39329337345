"""Proven upper bounds on the objective: a cheap one for any pool size, and a tighter LP.

Ceilings (``ceiling_bound``): each person i is scored alone, as if every group could be chosen
for i's sake. In a context (pool at a slot) with minimum group size L, i's h is a mean over at
least L - 1 group-mates, and a mean over the k most alike others never rises when k grows; so
h_i <= the mean of the L - 1 highest likenesses to other people eligible in that context
(respecting the age span; never-together pairs and leaders' other groups are relaxed away).
u_i = w_i * (1 + max over i's contexts of that mean), and 0 for people with no possible context.
Capacity: at one slot a leader leads one group, so at most floor(free leaders / 2) groups meet
per slot, each with at most the largest maximum size; the number of people placed is at most
the sum of that over slots, C. The bound is the sum of the C largest u_i.

LP (``lp_bound``, decision 0031): the ceilings let every person meet their best mates in a
context those mates may not choose themselves. The LP couples them: y_ic in [0, 1] says i meets
in context c (sum over c <= 1); i claims at most L - 1 mates there (sum of claims <= (L - 1)
y_ic), earning w_i * likeness / (L - 1) per claim, and of each likeness value to i claims at
most the mass of people of those profiles put in c (i itself excluded). People per context and
per slot are capped by the leaders as above. Any valid assignment is a solution (y = 1 in each
group's context, claims = i's L - 1 most alike group-mates, whose mean is >= h_i), so the LP
optimum bounds the objective. The value used is not the solver's primal figure but the dual
one: for any duals lambda >= 0 of A x <= b, 0 <= x <= u, lambda.b + sum max(0, c - A'lambda) u
bounds c.x (weak duality), whatever the solver's tolerances.

Every step only drops constraints or raises coefficients, so no assignment can beat either
bound; ``upper_bound`` takes the smaller, and CP-SAT's own bound replaces it when smaller.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from ortools.pdlp import solvers_pb2
from ortools.pdlp.python import pdlp
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from . import clock
from .index import Context, Index

LP_EXACT_LIMIT = 30_000  # LP variables; past this, likeness values are coarsened
LP_VARIABLE_LIMIT = 60_000  # past this the LP takes longer than the time it may use
# A pool split into parts (decision 0137): regions pools of 5,000 people come to 298,000 with
# every likeness, city pools to 362,000; PDLP solves them in 10-20 s of one core.
LARGE_LP_LIMIT = 400_000
PDLP_ACCURACY = 1e-4  # relative; 11,846.9 against HiGHS's 11,843.0 (coarsened), 14 s not 95 s
COARSE_FLOOR = 0.5


def person_ceilings(index: Index) -> list[float]:
    """u_i: the most person i can add to the objective."""
    rules = index.problem.rules
    span = rules.max_age_span
    histogram: dict[tuple[object, ...], Counter[int]] = {}
    for context, members in index.context_people.items():
        histogram[context] = Counter(index.profile[i] for i in members)
    profile_age: dict[int, int] = {}
    for i, p in enumerate(index.profile):
        profile_age[p] = index.age[i]
    cache: dict[tuple[object, int], float] = {}
    out: list[float] = []
    for i in range(len(index.people)):
        contexts = index.block_contexts[index.block_of[i]]
        best = -1.0
        for context in contexts:
            key = (context, index.profile[i])
            if key not in cache:
                low = index.bounds(context[0])[0]
                counts = histogram[context]
                row = index.sim[index.profile[i]]
                values: list[tuple[float, int]] = []
                for p, count in counts.items():
                    if p == index.profile[i]:
                        count -= 1
                    if count <= 0:
                        continue
                    if span is not None and abs(profile_age[p] - index.age[i]) > span:
                        continue
                    values.append((row[p], count))
                values.sort(reverse=True)
                need = low - 1
                total = 0.0
                taken = 0
                for value, count in values:
                    take = min(count, need - taken)
                    total += value * take
                    taken += take
                    if taken == need:
                        break
                cache[key] = total / need if taken == need and need > 0 else -1.0
            best = max(best, cache[key])
        out.append(index.w[i] * (1.0 + best) if best >= 0 else 0.0)
    return out


def capacity(index: Index) -> int:
    """Most people that can be placed at all, from leaders' free slots."""
    rules = index.problem.rules
    largest = max(rules.max_size, rules.digital_max_size)
    usable = {leader for leaders in index.pool_leaders.values() for leader in leaders}
    total = 0
    for slot in range(21):
        free = sum(1 for leader in usable if index.leader_free[leader] >> slot & 1)
        total += (free // rules.leaders_per_group) * largest
    return total


def ceiling_bound(index: Index) -> float:
    ceilings = sorted(person_ceilings(index), reverse=True)
    return sum(ceilings[: capacity(index)])


def upper_bound(index: Index, time_limit: float = 0.0, largest: int = LP_VARIABLE_LIMIT) -> float:
    """The smaller of the two relaxations; the LP only with ``time_limit`` > 0 (and only if
    it has at most ``largest`` variables and rows)."""
    bound = ceiling_bound(index)
    if time_limit > 0:
        tighter = lp_bound(index, time_limit, largest)
        if tighter is not None:
            bound = min(bound, tighter)
    return bound


class _Lp:
    """A sparse LP max c.x, A x <= b, 0 <= x <= u, built row by row."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.rhs: list[float] = []

    def var(self, cost: float, upper: float) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, entries: list[tuple[int, float]], rhs: float) -> None:
        r = len(self.rhs)
        for col, val in entries:
            self.rows.append(r)
            self.cols.append(col)
            self.vals.append(val)
        self.rhs.append(rhs)


Plan = tuple[Context, int, list[int], dict[int, list[int]], dict[int, dict[float, list[int]]]]


def _plans(index: Index, floor: float, limit: int) -> tuple[list[Plan], int] | None:
    """Per context: eligible people by profile, and for each profile p the profiles there
    grouped by their likeness to p, a likeness under ``floor`` counted as ``floor`` (which
    only raises the bound, and gives fewer groups). None when the LP would pass ``limit``."""
    span = index.problem.rules.max_age_span
    profile_age = {index.profile[i]: index.age[i] for i in range(len(index.people))}
    size = 0
    plans: list[Plan] = []
    for context, members in index.context_people.items():
        low = index.bounds(context[0])[0]
        eligible = [i for i in members if context in index.block_contexts[index.block_of[i]]]
        if len(eligible) < low or low < 2:
            continue
        by_profile: dict[int, list[int]] = {}
        for i in eligible:
            by_profile.setdefault(index.profile[i], []).append(i)
        buckets: dict[int, dict[float, list[int]]] = {}
        for p in by_profile:
            mine: dict[float, list[int]] = {}
            for q in by_profile:
                if span is not None and abs(profile_age[p] - profile_age[q]) > span:
                    continue
                value = index.sim[p][q]
                if value > 0:
                    mine.setdefault(max(value, floor), []).append(q)
            buckets[p] = mine
            size += len(mine) * (len(by_profile[p]) + 1)
        size += len(eligible) + len(by_profile)
        if size > limit:
            return None
        plans.append((context, low, eligible, by_profile, buckets))
    return plans, size


def lp_bound(index: Index, time_limit: float, largest: int = LP_VARIABLE_LIMIT) -> float | None:
    """The LP relaxation's proven bound, or None when it is too big or not solved in time.

    Up to ``LP_EXACT_LIMIT`` variables the LP keeps every likeness value and is solved by dual
    simplex (about a second for 200 people); up to ``LP_VARIABLE_LIMIT`` likenesses under 0.5
    count as 0.5 and the interior-point method solves it (12-17 s for 1,000 people). Larger
    LPs, up to ``largest`` (every likeness kept where that fits, else coarsened), are solved
    by PDLP to a relative accuracy of ``PDLP_ACCURACY`` (decision 0137): its duals are not
    optimal, but weak duality makes any duals a proof.
    """
    begin = clock.now()
    rules = index.problem.rules
    need = rules.leaders_per_group
    n = len(index.people)
    method = "highs"
    found = _plans(index, 0.0, LP_EXACT_LIMIT)
    if found is None:
        method = "highs-ipm"
        found = _plans(index, COARSE_FLOOR, LP_VARIABLE_LIMIT)
    if found is None and largest > LP_VARIABLE_LIMIT:
        method = "pdlp"
        found = _plans(index, 0.0, largest) or _plans(index, COARSE_FLOOR, largest)
    if found is None or not found[0]:
        return None
    plans = found[0]

    lp = _Lp()
    person_vars: list[list[int]] = [[] for _ in range(n)]
    slot_vars: dict[int, list[int]] = {}
    for context, low, eligible, by_profile, buckets in plans:
        pool, slot = context
        high = index.bounds(pool)[1]
        y = {i: lp.var(index.w[i], 1.0) for i in eligible}
        for i in eligible:
            person_vars[i].append(y[i])
        slot_vars.setdefault(slot, []).extend(y.values())
        mass: dict[int, int] = {}  # profile -> variable: people of that profile placed here
        for q, people in by_profile.items():
            mass[q] = lp.var(0.0, float(len(people)))
            lp.row([(mass[q], 1.0)] + [(y[i], -1.0) for i in people], 0.0)
        for p, mine in buckets.items():
            pools: list[tuple[float, int, bool]] = []
            for value, profiles in mine.items():
                if len(profiles) == 1:
                    total = mass[profiles[0]]
                else:
                    cap = float(sum(len(by_profile[q]) for q in profiles))
                    total = lp.var(0.0, cap)
                    lp.row([(total, 1.0)] + [(mass[q], -1.0) for q in profiles], 0.0)
                pools.append((value, total, p in profiles))
            for i in by_profile[p]:
                claims: list[tuple[int, float]] = []
                for value, total, own in pools:
                    m = lp.var(index.w[i] * value / (low - 1), float(low - 1))
                    claims.append((m, 1.0))
                    lp.row([(m, 1.0), (total, -1.0)] + ([(y[i], 1.0)] if own else []), 0.0)
                lp.row([*claims, (y[i], -(low - 1.0))], 0.0)
        if need > 0:  # groups here: at most the free leaders of the pool, two per group
            bit = 1 << slot
            free = sum(1 for k in index.pool_leaders[pool] if index.leader_free[k] & bit)
            lp.row([(v, 1.0) for v in y.values()], float(high * (free // need)))
    largest = max(rules.max_size, rules.digital_max_size)
    usable = {leader for leaders in index.pool_leaders.values() for leader in leaders}
    for slot, variables in slot_vars.items():
        if need > 0:  # and at most the free leaders of every pool together
            free = sum(1 for leader in usable if index.leader_free[leader] >> slot & 1)
            lp.row([(v, 1.0) for v in variables], float(largest * (free // need)))
    for variables in person_vars:
        if len(variables) > 1:
            lp.row([(v, 1.0) for v in variables], 1.0)

    left = time_limit - (clock.now() - begin)
    if left <= 0.05:
        return None
    cost = np.array(lp.cost)
    upper = np.array(lp.upper)
    rhs = np.array(lp.rhs)
    matrix = coo_matrix((lp.vals, (lp.rows, lp.cols)), shape=(len(rhs), len(cost))).tocsr()
    if method == "pdlp":
        duals = _first_order_duals(cost, matrix, rhs, upper, left)
    else:
        result = linprog(
            -cost,
            A_ub=matrix,
            b_ub=rhs,
            bounds=np.column_stack([np.zeros(len(cost)), upper]),
            method=method,
            options={"time_limit": left},
        )
        if result.status != 0 or result.ineqlin is None:
            return None
        duals = np.maximum(0.0, -np.asarray(result.ineqlin.marginals))
    reduced = cost - matrix.T @ duals
    value = float(rhs @ duals + np.maximum(0.0, reduced) @ upper)
    if not math.isfinite(value):
        return None
    # Weak duality holds for any duals >= 0; the margin only covers floating-point rounding.
    return value * (1 + 1e-9) + 1e-9


def _first_order_duals(
    cost: np.ndarray, matrix: csr_matrix, rhs: np.ndarray, upper: np.ndarray, time_limit: float
) -> np.ndarray:
    """Duals >= 0 of max cost.x, matrix x <= rhs, 0 <= x <= upper, from OR-Tools' PDLP on one
    thread: near optimal within ``PDLP_ACCURACY``, or where the time limit stopped it (any
    duals >= 0 still give a bound, only a looser one)."""
    program = pdlp.QuadraticProgram()
    program.objective_vector = -cost
    program.constraint_matrix = matrix.tocsc()
    program.constraint_lower_bounds = np.full(len(rhs), -np.inf)
    program.constraint_upper_bounds = rhs
    program.variable_lower_bounds = np.zeros(len(cost))
    program.variable_upper_bounds = upper
    params = solvers_pb2.PrimalDualHybridGradientParams()
    criteria = params.termination_criteria.simple_optimality_criteria
    criteria.eps_optimal_relative = PDLP_ACCURACY
    criteria.eps_optimal_absolute = PDLP_ACCURACY
    params.termination_criteria.time_sec_limit = time_limit
    params.num_threads = 1
    result = pdlp.primal_dual_hybrid_gradient(program, params)
    # PDLP's duals of a minimisation are <= 0 on the rows at their upper bound.
    return np.maximum(0.0, -np.asarray(result.dual_solution, dtype=float))
