"""Small pools: every valid group, the LP over all of them, and reduced-cost filtering.

Every valid group of the pool is enumerated (``partition.enumerate_columns``) and kept as
numpy arrays, so pricing is exact and costs one vectorised pass. Column generation over that
list solves the set-partitioning LP with the fairness floors as rows; its Lagrangian bound U
(``colgen.lagrangian_bound`` with exact per-context ceilings) is a proven bound on the fair
problem.

Filtering: with U the Lagrangian bound that prices each context's leaders at mu_c (decision
0126), for any valid assignment x, value(x) <= U + sum of the reduced costs of x's groups, and
every reduced cost is <= 0 once pricing finds nothing. So a group with reduced cost below
L - U, L the value of a known fair solution, is in no solution better than L. The bound kept
is the smaller of U and ``colgen.lagrangian_bound`` (decision 0128). CP-SAT over
the groups that remain (and the known solution's) with the floors then proves the fair optimum
of the whole pool, usually on a few hundred columns instead of tens of thousands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from . import clock
from .colgen import (
    EPSILON,
    Master,
    build_places,
    context_ceiling,
    lagrangian_base,
    lagrangian_bound,
)
from .exact import ExactResult, Floor
from .heuristic import GroupState
from .index import Context, Index
from .partition import Column, column_count, enumerate_columns

ENUMERATE_LIMIT = 400_000  # valid groups; past this the pool goes to column generation
ADD_PER_CONTEXT = 3  # improving columns added per context and round
MARGIN = 1e-4
MILP_COLUMNS = 6_000  # groups handed to HiGHS at once


@dataclass
class Columns:
    """Every valid group as arrays: members padded with ``len(people)`` (worth 0)."""

    columns: list[Column]
    members: np.ndarray  # columns x max size
    context: np.ndarray  # context number of each column
    contexts: list[Context]
    value: np.ndarray

    @classmethod
    def of(cls, index: Index, people: list[int]) -> Columns:
        columns = enumerate_columns(index, set(people), index.problem.rules.max_age_span)
        pad = len(index.people)
        width = max((len(m) for _, m in columns), default=1)
        members = np.full((len(columns), width), pad, dtype=np.int64)
        for k, (_, group) in enumerate(columns):
            members[k, : len(group)] = group
        contexts = sorted({c for c, _ in columns}, key=repr)
        number = {c: k for k, c in enumerate(contexts)}
        context = np.array([number[c] for c, _ in columns], dtype=np.int64)
        w = np.append(np.array(index.w, dtype=float), 0.0)
        profile = np.append(np.array(index.profile, dtype=np.int64), 0)
        sim = np.array(index.sim, dtype=float)
        present = members < pad
        size = present.sum(axis=1)
        pairs = sim[profile[members][:, :, None], profile[members][:, None, :]]
        pairs = pairs * (present[:, :, None] & present[:, None, :])
        pairs[:, np.arange(width), np.arange(width)] = 0.0
        # sum over ordered pairs i != j of w_i s_ij = sum over unordered of (w_i + w_j) s_ij
        weighted = (w[members][:, :, None] * pairs).sum(axis=(1, 2))
        value = w[members].sum(axis=1) + weighted / np.maximum(size - 1, 1)
        return cls(columns, members, context, contexts, value)

    def reduced(self, pi: np.ndarray, leader: dict[Context, float]) -> np.ndarray:
        """v(S) - pi(S) - what S's leaders cost, per ``leader`` (by context)."""
        padded = np.append(pi, 0.0)
        cost = np.array([leader.get(c, 0.0) for c in self.contexts])
        return self.value - padded[self.members].sum(axis=1) - cost[self.context]


@dataclass
class Filtered:
    result: ExactResult | None  # None: out of time before CP-SAT could run
    bound: float  # proven bound on the fair problem (inf when the LP did not finish)
    kept: int
    total: int
    fair_optimal: bool = False  # no answer that keeps the floors is worth more (proven)


def solve_filtered(
    index: Index,
    people: list[int],
    start: Sequence[GroupState],
    floors: Sequence[Floor],
    deadline: float,
    seed: int,
    workers: int = 1,
) -> Filtered | None:
    """The fair optimum of a small pool, and a bound over every valid answer (fair or not);
    None when the pool has too many valid groups.

    ``start`` must meet the floors (first come, first served's groups or better). The LP has
    no floors, so its bound U holds for every valid answer; the filter with a fair value L
    keeps every group of any answer, fair or not, better than L. HiGHS then solves the
    filtered problem without the floors (its optimum is the bound) and, when that optimum
    breaks them, with them (the fair optimum)."""
    if column_count(index, people) > ENUMERATE_LIMIT:
        return None
    need = index.problem.rules.leaders_per_group
    every = Columns.of(index, people)
    if not every.columns:
        return Filtered(ExactResult([], True, 0.0, 0.0), 0.0, 0, 0, fair_optimal=True)
    master = Master(index)
    for group in start:
        master.add((group.context, tuple(sorted(group.members))))
    places = {place.context: place for place in build_places(index)}
    bound = math.inf
    while True:
        if clock.now() >= deadline or not master.solve(deadline):
            return Filtered(None, bound, 0, len(every.columns))
        pi, mu, rho = master.duals()
        worth = every.reduced(pi, {})  # v(S) - pi(S)
        improving = every.reduced(pi, {c: need * v for c, v in mu.items()})
        ceilings: dict[Context, float] = {context: 0.0 for context in places}
        # The filter keeps the bound of decision 0126, with the leaders priced at mu: filtering
        # by the bound of decision 0128 proved fewer 30-person pools in the time (decision 0128).
        at_mu = sum(
            max(0.0, mu.get(context, 0.0) - rho.get((leader, context[1]), 0.0))
            for context, pairs in master.assign.items()
            for leader, _ in pairs
        )
        added = 0
        for number, context in enumerate(every.contexts):
            here = np.flatnonzero(every.context == number)
            place = places.get(context)
            if place is not None:  # elsewhere no group can have its leaders
                top = float(worth[here].max())
                ceilings[context] = context_ceiling(place, pi[place.people], rho, top, need)
                at_mu += place.cap * max(0.0, float(improving[here].max()))
            for k in here[np.argsort(-improving[here], kind="stable")[:ADD_PER_CONTEXT]]:
                if improving[k] > EPSILON:
                    added += master.add(every.columns[k])
        here_bound = lagrangian_base(pi, rho, master) + at_mu
        here_bound = here_bound * (1 + 1e-9) + 1e-9  # rounding only
        bound = min(bound, here_bound, lagrangian_bound(pi, rho, master, ceilings))
        reduced = improving
        if added == 0:
            break
    # A good known fair value makes the filter sharp: HiGHS over the LP's own columns first.
    known = sum(index.value(g.members) for g in start)
    best = ExactResult(list(start), False, math.inf, known)
    left = deadline - clock.now()
    if left > 0.1:
        first = solve_milp(index, master.columns, floors, clock.now() + 0.3 * left)
        if first.groups is not None and first.value > known:
            best, known = first, first.value
    # value(x) <= here_bound + (a group's reduced cost) + (the others' reduced costs, each at
    # most EPSILON now): the margin covers them and rounding.
    keep = np.flatnonzero(reduced >= known - here_bound - MARGIN)
    complete = len(keep) <= MILP_COLUMNS
    if not complete:
        # HiGHS does not stop on time inside a large root LP: the most promising groups only,
        # which can still improve the answer but no longer prove it.
        keep = keep[np.argsort(-reduced[keep], kind="stable")[:MILP_COLUMNS]]
    chosen = [every.columns[k] for k in keep.tolist()]
    chosen += [(g.context, tuple(sorted(g.members))) for g in best.groups or []]
    free = solve_milp(index, chosen, (), clock.now() + 0.5 * (deadline - clock.now()))
    if complete and free.groups is not None:
        bound = min(bound, max(known, free.value if free.optimal else free.bound))
    if free.groups is not None and free.value > known + 1e-9 and _meets(free.groups, floors):
        best, known = free, free.value
        if free.optimal and complete:
            result = ExactResult(free.groups, True, known, known)
            return Filtered(result, known, len(chosen), 0, fair_optimal=True)
    fair = solve_milp(index, chosen, floors, deadline)
    if fair.groups is not None and fair.value > known + 1e-9:
        best, known = fair, fair.value
    # A fair answer worth more than ``known`` would be made of groups the filter kept, so
    # HiGHS, optimal with the floors over them, proves ``known`` the fair optimum.
    fair_optimal = complete and fair.optimal
    proven = fair_optimal and known >= bound - 1e-9
    return Filtered(
        ExactResult(best.groups, proven, bound, known),
        bound,
        len(chosen),
        len(every.columns),
        fair_optimal,
    )


def _meets(groups: Sequence[GroupState], floors: Sequence[Floor]) -> bool:
    placed = {i for g in groups for i in g.members}
    return all(len(placed & wanted) >= minimum for wanted, minimum in floors)


def solve_milp(
    index: Index, columns: Sequence[Column], floors: Sequence[Floor], deadline: float
) -> ExactResult:
    """HiGHS branch and bound over ``columns``: each person at most once, ``need`` leaders
    per chosen group from those free in its context, a leader once per slot, the floors met.
    Its LP is the set-partitioning LP, which is what proves small pools optimal."""
    need = index.problem.rules.leaders_per_group
    columns = list(dict.fromkeys(columns))
    if not columns:
        return ExactResult([], True, 0.0, 0.0)
    contexts = sorted({c for c, _ in columns}, key=repr)
    number = {c: k for k, c in enumerate(contexts)}
    assign = [
        (c, leader)
        for c in contexts
        for leader in index.pool_leaders[c[0]]
        if index.leader_free[leader] >> c[1] & 1
    ]
    size = len(columns) + len(assign)
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    low: list[float] = []
    high: list[float] = []

    def row(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(low)
        for col, value in entries:
            rows.append(r)
            cols.append(col)
            values.append(value)
        low.append(lo)
        high.append(hi)

    by_person: dict[int, list[int]] = {}
    by_context: dict[int, list[tuple[int, float]]] = {k: [] for k in range(len(contexts))}
    for k, (context, members) in enumerate(columns):
        for i in members:
            by_person.setdefault(i, []).append(k)
        by_context[number[context]].append((k, float(need)))
    for ks in by_person.values():
        row([(k, 1.0) for k in ks], -math.inf, 1.0)
    by_leader_slot: dict[tuple[int, int], list[int]] = {}
    for a, (context, leader) in enumerate(assign):
        by_context[number[context]].append((len(columns) + a, -1.0))
        by_leader_slot.setdefault((leader, context[1]), []).append(len(columns) + a)
    for entries in by_context.values():
        row(entries, 0.0, 0.0)
    for ks in by_leader_slot.values():
        row([(k, 1.0) for k in ks], -math.inf, 1.0)
    for wanted, minimum in floors:
        counted = [
            (k, float(sum(1 for i in members if i in wanted)))
            for k, (_, members) in enumerate(columns)
        ]
        row([(k, c) for k, c in counted if c], float(minimum), math.inf)
    cost = np.zeros(size)
    cost[: len(columns)] = [-index.value(list(members)) for _, members in columns]
    left = deadline - clock.now()
    if left <= 0.05:
        return ExactResult(None, False, math.inf, 0.0)
    matrix = coo_matrix((values, (rows, cols)), shape=(len(low), size)).tocsr()
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, low, high),
        integrality=np.ones(size),
        bounds=Bounds(0, 1),
        # HiGHS overshoots its limit by up to a few tenths of a second on these models.
        options={"time_limit": max(0.05, 0.85 * left), "disp": False},
    )
    dual = getattr(result, "mip_dual_bound", None)
    bound = -dual if dual is not None and math.isfinite(dual) else math.inf
    if result.status == 2:  # infeasible: the floors cannot be met with these columns
        return ExactResult(None, False, 0.0, 0.0, infeasible=True)
    if result.x is None:
        return ExactResult(None, False, bound, 0.0)
    chosen = result.x > 0.5
    free: dict[Context, list[int]] = {}
    for a, (context, leader) in enumerate(assign):
        if chosen[len(columns) + a]:
            free.setdefault(context, []).append(leader)
    groups: list[GroupState] = []
    for k, (context, members) in enumerate(columns):
        if chosen[k]:
            leaders = free.get(context, [])[:need]
            free[context] = free.get(context, [])[need:]
            groups.append(GroupState(context, list(members), leaders))
    value = sum(index.value(g.members) for g in groups)
    optimal = result.status == 0
    return ExactResult(groups, optimal, value if optimal else max(value, bound), value)
