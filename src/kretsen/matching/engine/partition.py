"""Exact set-packing model for small pools: every valid group is a column.

For each context (pool at a slot) every member set of allowed size that breaks no rule
(never-together, age span, pins) is enumerated with its exact objective value, scaled to an
integer as in ``exact``. CP-SAT picks columns so that each person is in at most one, and
leaders are assigned per (pool, slot) rather than per group: groups of one pool at one slot
are interchangeable for leaders, so "2 x number of groups there" leaders, each at most once
per slot, is exact. The LP relaxation of a set packing is far tighter than the compact model's,
which is what lets CP-SAT prove optimality on municipality-sized pools. Only used when the
number of columns stays under ``COLUMN_LIMIT``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from math import comb

from ortools.sat.python import cp_model

from . import clock
from .exact import ExactResult, Floor, objective_scale, run_solver
from .heuristic import GroupState
from .index import Context, Index, Pool

COLUMN_LIMIT = 60_000

Column = tuple[Context, tuple[int, ...]]  # a candidate group: its context and sorted members


def column_count(index: Index, people: list[int]) -> int:
    chosen = set(people)
    total = 0
    for context, members in index.context_people.items():
        e = sum(1 for i in members if i in chosen)
        low, high = index.bounds(context[0])
        total += sum(comb(e, n) for n in range(low, high + 1))
        if total > COLUMN_LIMIT:
            break
    return total


def solve_partition(
    index: Index,
    people: list[int],
    leader_free: list[int],
    hint: list[GroupState],
    time_limit: float,
    seed: int,
    workers: int = 1,
    floors: Sequence[Floor] = (),
) -> ExactResult:
    """Every valid group of ``people`` is a column; CP-SAT picks the best set."""
    columns = enumerate_columns(index, set(people), index.problem.rules.max_age_span)
    return solve_columns(index, columns, leader_free, hint, time_limit, seed, workers, floors)


def solve_columns(
    index: Index,
    candidates: Sequence[Column],
    leader_free: list[int],
    hint: list[GroupState],
    time_limit: float,
    seed: int,
    workers: int = 1,
    floors: Sequence[Floor] = (),
) -> ExactResult:
    """CP-SAT over the given columns (and the hint's groups), each person at most once,
    leaders at most once per slot, and at least ``minimum`` of each floor's people placed."""
    begin = clock.now()
    rules = index.problem.rules
    need = rules.leaders_per_group
    big_k, scale = objective_scale(index)
    model = cp_model.CpModel()
    columns: list[tuple[Context, tuple[int, ...]]] = []
    variables: list[cp_model.IntVar] = []
    values: list[int] = []
    by_person: dict[int, list[cp_model.IntVar]] = {}
    at: dict[tuple[Pool, int], list[cp_model.IntVar]] = {}

    for context, members in dict.fromkeys(
        [*candidates, *((g.context, tuple(sorted(g.members))) for g in hint)]
    ):
        bit = 1 << context[1]
        if sum(1 for leader in index.pool_leaders[context[0]] if leader_free[leader] & bit) < need:
            continue
        n = len(members)
        weight = 0
        pairs = 0
        for a, i in enumerate(members):
            weight += index.weight_int[i]
            row = index.sim_int[index.profile[i]]
            for j in members[a + 1 :]:
                pairs += (index.weight_int[i] + index.weight_int[j]) * row[index.profile[j]]
        var = model.new_bool_var(f"c{len(columns)}")
        columns.append((context, members))
        variables.append(var)
        values.append(100 * big_k * weight + (big_k // (n - 1)) * pairs)
        for i in members:
            by_person.setdefault(i, []).append(var)
        at.setdefault(context, []).append(var)

    for group_vars in by_person.values():
        if len(group_vars) > 1:
            model.add_at_most_one(group_vars)
    per_leader_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    assigned: dict[tuple[Pool, int], list[tuple[int, cp_model.IntVar]]] = {}
    for (pool, slot), group_vars in at.items():
        bit = 1 << slot
        pairs_here: list[tuple[int, cp_model.IntVar]] = []
        for leader in index.pool_leaders[pool]:
            if leader_free[leader] & bit:
                assign = model.new_bool_var(f"a{leader}_{slot}")
                pairs_here.append((leader, assign))
                per_leader_slot.setdefault((leader, slot), []).append(assign)
        assigned[pool, slot] = pairs_here
        model.add(sum(assign for _, assign in pairs_here) == need * sum(group_vars))
    for leader_vars in per_leader_slot.values():
        if len(leader_vars) > 1:
            model.add_at_most_one(leader_vars)
    for floor_people, minimum in floors:
        counted = [
            (sum(1 for i in members if i in floor_people), var)
            for (_, members), var in zip(columns, variables, strict=True)
        ]
        model.add(sum(count * var for count, var in counted if count) >= minimum)
    model.maximize(sum(v * var for v, var in zip(values, variables, strict=True)))

    wanted = {(g.context, tuple(sorted(g.members))): g for g in hint}
    hinted_leaders = {(g.context, leader) for g in hint for leader in g.leaders}
    for (context, members), var in zip(columns, variables, strict=True):
        model.add_hint(var, (context, members) in wanted)
    for context, pairs_here in assigned.items():
        for leader, assign in pairs_here:
            model.add_hint(assign, (context, leader) in hinted_leaders)

    solver, status, failed = run_solver(model, seed, workers, time_limit, begin)
    if failed is not None:
        return failed
    result: list[GroupState] = []
    free_leaders = {
        context: [leader for leader, assign in pairs_here if solver.value(assign)]
        for context, pairs_here in assigned.items()
    }
    for (context, members), var in zip(columns, variables, strict=True):
        if solver.value(var):
            leaders = free_leaders[context][:need]
            free_leaders[context] = free_leaders[context][need:]
            result.append(GroupState(context, list(members), leaders))
    return ExactResult(
        result,
        status == cp_model.OPTIMAL,
        solver.best_objective_bound / scale,
        solver.objective_value / scale,
    )


def enumerate_columns(index: Index, chosen: set[int], span: int | None) -> list[Column]:
    out: list[Column] = []
    for context in sorted(index.context_people, key=repr):
        eligible = [
            i
            for i in index.context_people[context]
            if i in chosen and context in index.block_contexts[index.block_of[i]]
        ]
        low, high = index.bounds(context[0])
        for n in range(low, min(high, len(eligible)) + 1):
            for members in itertools.combinations(eligible, n):
                if _allowed(index, members, span):
                    out.append((context, members))
    return out


def _allowed(index: Index, members: tuple[int, ...], span: int | None) -> bool:
    inside = set(members)
    for i in members:
        if index.forbidden[i] & inside:
            return False
        block = index.blocks[index.block_of[i]]
        if len(block) > 1 and not inside.issuperset(block):
            return False
    if span is not None:
        ages = [index.age[i] for i in members]
        if max(ages) - min(ages) > span:
            return False
    return True
