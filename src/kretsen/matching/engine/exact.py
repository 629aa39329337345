"""The exact CP-SAT model of group formation, for a whole small pool or a neighbourhood.

Each context (pool at one slot) with enough eligible people and free leaders gets as many
group copies as could exist there. The objective is the issue's formula scaled to integers:
with W_i = 365 * w_i (an integer), S_ij = 100 * likeness (an integer for weights in
hundredths) and K = lcm(1 .. max size - 1), 365 * 100 * K * w_i * (1 + h_i) summed over a group
of size n is  100*K*sum W_i + (K / (n - 1)) * sum_{i<j} (W_i + W_j) * S_ij.
The pair products are linearised (p_ij <= x_i, p_ij <= x_j, maximised), and the size-dependent
factor is enforced per size indicator. This is exact for weights given in hundredths (the
defaults 0.5 / 0.3 / 0.2 are); the bound it proves is the true optimum's bound for the
people and leaders passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from . import clock
from .heuristic import GroupState
from .index import Context, Index

Floor = tuple[frozenset[int], int]  # at least this many of these people must be placed


@dataclass
class ExactResult:
    groups: list[GroupState] | None  # None: no solution found in time
    optimal: bool
    bound: float  # proven upper bound on the sub-problem's objective
    value: float
    infeasible: bool = False


def objective_scale(index: Index) -> tuple[int, int]:
    rules = index.problem.rules
    top = max(rules.max_size, rules.digital_max_size, 2)
    k = 1
    for n in range(1, top):
        k = math.lcm(k, n)
    return k, 365 * 100 * k


def run_solver(
    model: cp_model.CpModel,
    seed: int,
    workers: int,
    time_limit: float,
    begin: float,
    presolve: bool = True,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus, ExactResult | None]:
    """Solve ``model`` within what is left of ``time_limit`` since ``begin``; the third
    value is the result to return at once when no solution was found."""
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = max(1, workers)
    # Building the model counts against the caller's time limit too.
    solver.parameters.max_time_in_seconds = max(0.05, time_limit - (clock.now() - begin))
    # A deterministic work limit ends normal runs, so the same seed gives the same answer;
    # the wall-clock limit above only guards the caller's time limit on a slow machine.
    solver.parameters.max_deterministic_time = max(0.05, time_limit)
    # Small models that are built fresh many times (pricing) solve faster without presolve.
    solver.parameters.cp_model_presolve = presolve
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return solver, status, ExactResult(None, False, 0.0, 0.0, infeasible=True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, status, ExactResult(None, False, math.inf, 0.0)
    return solver, status, None


def solve_exact(
    index: Index,
    people: list[int],
    leader_free: list[int],
    hint: list[GroupState],
    time_limit: float,
    seed: int,
    workers: int = 1,
    floors: Sequence[Floor] = (),
) -> ExactResult:
    begin = clock.now()
    rules = index.problem.rules
    need = rules.leaders_per_group
    chosen = set(people)
    big_k, scale = objective_scale(index)
    model = cp_model.CpModel()

    contexts: list[tuple[Context, list[int], list[int], int, int]] = []
    hinted: dict[tuple[Context, int], int] = {}
    for hinted_group in hint:
        key = (hinted_group.context, len(hinted_group.members))
        hinted[key] = hinted.get(key, 0) + 1
    for context in sorted({c for i in people for c in index.person_contexts[i]}, key=repr):
        if context not in index.context_people:
            continue
        eligible = [
            i
            for i in index.context_people[context]
            if i in chosen and context in index.block_contexts[index.block_of[i]]
        ]
        bit = 1 << context[1]
        leaders = [
            leader for leader in index.pool_leaders.get(context[0], []) if leader_free[leader] & bit
        ]
        low, high = index.bounds(context[0])
        for n in range(low, high + 1):
            copies = min(len(eligible) // n, len(leaders) // need)
            copies = max(copies, hinted.get((context, n), 0))
            if copies > 0:
                contexts.append((context, eligible, leaders, n, copies))

    x: dict[tuple[int, int], cp_model.IntVar] = {}
    z: dict[tuple[int, int], cp_model.IntVar] = {}
    groups: list[tuple[Context, list[int], list[int]]] = []
    used: list[cp_model.IntVar] = []
    size_vars: list[dict[int, cp_model.IntVar]] = []
    pair_vars: list[dict[tuple[int, int], cp_model.IntVar]] = []
    y_vars: list[dict[int, cp_model.IntVar]] = []
    objective_terms: list[cp_model.LinearExprT] = []
    span = rules.max_age_span
    leader_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}

    for context, eligible, leaders, n_size, copies in contexts:
        low = index.bounds(context[0])[0]
        previous: cp_model.IntVar | None = None
        for _ in range(copies):
            g = len(groups)
            groups.append((context, eligible, leaders))
            u = model.new_bool_var(f"u{g}")
            used.append(u)
            if previous is not None:
                model.add(previous >= u)  # copies are interchangeable: use them in order
            previous = u
            for i in eligible:
                x[i, g] = model.new_bool_var(f"x{i}_{g}")
            member_vars = [x[i, g] for i in eligible]
            # One copy per size: the factor 1 / (n - 1) is then a constant, which keeps the
            # LP relaxation (and so the proven bound) far tighter than size indicators.
            sizes = {n_size: u}
            size_vars.append(sizes)
            model.add(sum(member_vars) == n_size * u)
            for leader in leaders:
                z[leader, g] = model.new_bool_var(f"z{leader}_{g}")
                leader_slot.setdefault((leader, context[1]), []).append(z[leader, g])
            model.add(sum(z[leader, g] for leader in leaders) == need * u)

            pairs: dict[tuple[int, int], cp_model.IntVar] = {}
            liked: dict[int, list[tuple[int, cp_model.IntVar]]] = {i: [] for i in eligible}
            for a, i in enumerate(eligible):
                for j in eligible[a + 1 :]:
                    if j in index.forbidden[i] or (
                        span is not None and abs(index.age[i] - index.age[j]) > span
                    ):
                        model.add(x[i, g] + x[j, g] <= 1)
                        continue
                    s = index.sim_int[index.profile[i]][index.profile[j]]
                    if s <= 0:
                        continue
                    p = model.new_bool_var(f"p{i}_{j}_{g}")
                    model.add(p <= x[i, g])
                    model.add(p <= x[j, g])
                    pairs[i, j] = p
                    liked[i].append((s, p))
                    liked[j].append((s, p))
            pair_vars.append(pairs)
            # Per member: y_i = K / (n - 1) * sum_j S_ij p_ij is i's likeness bonus. Its cap,
            # the mean of the L - 1 best likenesses times x_i, is what makes the LP bound tight.
            ys: dict[int, cp_model.IntVar] = {}
            for i in eligible:
                best = sorted((s for s, _ in liked[i]), reverse=True)[: low - 1]
                cap = -(-big_k * sum(best) // max(low - 1, 1))
                y = model.new_int_var(0, cap, f"y{i}_{g}")
                model.add(y <= cap * x[i, g])
                total = sum(s * p for s, p in liked[i])
                model.add((n_size - 1) * y <= big_k * total)
                ys[i] = y
                objective_terms.append(index.weight_int[i] * y)
            y_vars.append(ys)
            for i in eligible:
                objective_terms.append(100 * big_k * index.weight_int[i] * x[i, g])

    for i in people:
        mine = [x[i, g] for g in range(len(groups)) if (i, g) in x]
        if len(mine) > 1:
            model.add(sum(mine) <= 1)
    for block in index.blocks:
        if len(block) > 1 and block[0] in chosen:
            for g in range(len(groups)):
                first = x.get((block[0], g))
                for other in block[1:]:
                    second = x.get((other, g))
                    if first is not None and second is not None:
                        model.add(first == second)
                    elif first is not None:
                        model.add(first == 0)
                    elif second is not None:
                        model.add(second == 0)
    for variables in leader_slot.values():
        if len(variables) > 1:
            model.add(sum(variables) <= 1)
    for wanted, minimum in floors:
        model.add(sum(var for (i, _), var in x.items() if i in wanted) >= minimum)
    model.maximize(sum(objective_terms))

    # Warm start: map every hinted group onto a free copy of its context.
    free_copy: dict[tuple[Context, int], list[int]] = {}
    for g, (context, _, _) in enumerate(groups):
        free_copy.setdefault((context, len(size_vars[g]) and next(iter(size_vars[g]))), []).append(
            g
        )
    hinted_groups: dict[int, GroupState] = {}
    for given in hint:
        key = (given.context, len(given.members))
        if free_copy.get(key):
            hinted_groups[free_copy[key].pop(0)] = given
    for g, (_, eligible, leaders) in enumerate(groups):
        gs = hinted_groups.get(g)
        hinted_members: set[int] = set(gs.members) if gs else set()
        model.add_hint(used[g], gs is not None)
        for i in eligible:
            model.add_hint(x[i, g], i in hinted_members)
        for leader in leaders:
            model.add_hint(z[leader, g], gs is not None and leader in gs.leaders)
        for (i, j), p in pair_vars[g].items():
            model.add_hint(p, i in hinted_members and j in hinted_members)
        for i, y in y_vars[g].items():
            bonus = 0
            if i in hinted_members and len(hinted_members) > 1:
                alike = sum(
                    index.sim_int[index.profile[i]][index.profile[j]]
                    for j in hinted_members
                    if j != i
                )
                bonus = big_k * alike // (len(hinted_members) - 1)
            model.add_hint(y, bonus)

    solver, status, failed = run_solver(model, seed, workers, time_limit, begin)
    if failed is not None:
        return failed
    result: list[GroupState] = []
    for g, (context, eligible, leaders) in enumerate(groups):
        if solver.value(used[g]):
            result.append(
                GroupState(
                    context,
                    [i for i in eligible if solver.value(x[i, g])],
                    [leader for leader in leaders if solver.value(z[leader, g])],
                )
            )
    return ExactResult(
        result,
        status == cp_model.OPTIMAL,
        solver.best_objective_bound / scale,
        solver.objective_value / scale,
    )
