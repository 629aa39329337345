"""The engine's entry point: ``form_groups(problem) -> Proposal``.

1. Index the problem (locked groups and their leaders' slots are taken out).
2. Greedy construction and local search (``heuristic``) give a valid proposal quickly.
3. Pools of at most ``EXACT_LIMIT`` free people are handed whole to CP-SAT with the heuristic
   answer as hint: when CP-SAT reports OPTIMAL the result is a proven optimum. Larger pools
   get large-neighbourhood search: a few groups (same slot or same pool) and the waiting people
   who could join them are released and re-solved exactly by CP-SAT with everything else fixed;
   the change is kept when the objective rises. That part is a heuristic (no optimality claim).
4. The bound is the smallest of the two relaxations in ``bound`` (per-person ceilings; the LP
   coupling people to contexts, when small enough to solve in time) and CP-SAT's proven bound
   (whole pool only), plus the locked groups' value.

Determinism: the same seed gives the same proposal while the deterministic work limits end the
search (always for the whole-pool CP-SAT run with ``num_workers=1``). Large-neighbourhood
search stops on the wall clock, so on pools past ``EXACT_LIMIT`` two runs may differ when they
are cut at different rounds.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from . import clock
from .bound import upper_bound
from .exact import solve_exact
from .explain import explain_group, explain_left_out
from .heuristic import GroupState, State, construct, local_search
from .index import Index, build_index
from .model import Group, LeftOut, Problem, Progress, Proposal, Reason, Status
from .partition import COLUMN_LIMIT, column_count, solve_partition
from .rules import check_group, objective

EXACT_LIMIT = 40  # free people; past this the whole model is too big to prove quickly
NEIGHBOURHOOD_SIZES = (12, 14, 16)  # people released in one LNS round


def _problems_with_input(problem: Problem) -> list[str]:
    rules = problem.rules
    out: list[str] = []
    ids = [p.id for p in problem.people]
    if len(set(ids)) != len(ids):
        out.append("duplicate person ids")
    if len({leader.id for leader in problem.leaders}) != len(problem.leaders):
        out.append("duplicate leader ids")
    for fmt in ("in_person", "digital"):
        low, high = rules.size_bounds(fmt)
        if low < 2 or high < low:
            out.append(f"size bounds {low}-{high} for {fmt} groups are not usable")
    if rules.leaders_per_group < 0:
        out.append("leaders per group must not be negative")
    placed: Counter[str] = Counter(m for g in problem.locked for m in g.members)
    if any(count > 1 for count in placed.values()):
        out.append("a person is in two locked groups")
    return out


def form_groups(problem: Problem, progress: Callable[[Progress], None] | None = None) -> Proposal:
    """Form groups for ``problem``; never raises on infeasible or empty input.

    ``progress`` is called with the best objective so far and the proven bound whenever one
    of them improves (at most about twice a second), and once more at the end.
    """
    started = clock.now()
    reporter = clock.Reporter(progress, started)
    deadline = started + max(0.1, problem.time_limit)
    broken = _problems_with_input(problem)
    if broken:
        return Proposal(
            (),
            0.0,
            0.0,
            Status.EMPTY,
            (),
            tuple(LeftOut(p.id, Reason.INVALID_INPUT, "; ".join(broken)) for p in problem.people),
            tuple(broken),
        )
    messages: list[str] = []
    for k, group in enumerate(problem.locked):
        others = [g for j, g in enumerate(problem.locked) if j != k]
        for violation in check_group(group, problem, others):
            messages.append(f"locked group {k} breaks a rule: {violation.detail}")

    index = build_index(problem)
    rng = random.Random(problem.seed)  # noqa: S311 - seeded tie-breaking, not cryptography
    state = construct(index, rng)
    # Local search is pure Python and slow per pass on national pools; past 40 % of the time
    # limit the exact neighbourhood search pays more.
    state = local_search(index, state, started + 0.4 * max(0.1, problem.time_limit))
    # The LP bound takes about 1 s on 200 people and 12-17 s on 1,000; at most a quarter of the
    # time limit goes to it (past that it is dropped and the cheap relaxation stays).
    bound = upper_bound(index, 0.25 * max(0.1, problem.time_limit))
    status = Status.FEASIBLE
    rounds = 0
    free = len(index.people)
    if 0 < free <= EXACT_LIMIT and index.context_people:
        remaining = deadline - clock.now()
        small = column_count(index, list(range(free))) <= COLUMN_LIMIT
        result = (solve_partition if small else solve_exact)(
            index,
            list(range(free)),
            index.leader_free,
            state.groups,
            0.9 * remaining,
            problem.seed,
            problem.num_workers,
        )
        if result.groups is not None and result.value >= state.value() - 1e-9:
            state = _state_from(index, result.groups)
        if result.infeasible or result.optimal:
            status = Status.OPTIMAL
            bound = min(bound, state.value())
        else:
            bound = min(bound, result.bound)
    elif free > EXACT_LIMIT and index.context_people:
        state, rounds = _large_neighbourhood_search(index, state, rng, deadline)

    groups = list(problem.locked) + [_to_group(index, g) for g in state.groups]
    locked_value = objective(problem, problem.locked)
    value = objective(problem, groups)
    bound = max(bound + locked_value, value)
    if status is Status.OPTIMAL or value >= bound - 1e-9:
        # Reaching a proven bound is a proof of optimality, whichever way it was reached.
        status = Status.OPTIMAL
        bound = value
    people = {p.id: p for p in problem.people}
    explanations = tuple(
        explain_group(
            [people[m] for m in g.members if m in people],
            g.slot,
            g.language,
            g.format,
            g.area,
            problem,
        )
        for g in groups
    )
    left_out = tuple(explain_left_out(index, state))
    if not groups:
        if not problem.people:
            status = Status.EMPTY
            messages.append("no people to place")
        elif bound <= 1e-9:
            status = Status.EMPTY
            messages.append("no group can be formed: see the reason for each person")
    reporter.finish(value, bound)
    stats = (
        ("seconds", clock.now() - started),
        ("lns_rounds", float(rounds)),
        ("free_people", float(free)),
    )
    return Proposal(
        tuple(groups),
        value,
        bound,
        status,
        explanations,
        left_out,
        tuple(messages),
        stats,
    )


def _to_group(index: Index, g: GroupState) -> Group:
    (fmt, area, language), slot = g.context
    return Group(
        members=tuple(sorted(index.people[i] for i in g.members)),
        leaders=tuple(sorted(index.leader_ids[k] for k in g.leaders)),
        slot=slot,
        language=language,
        format=fmt,
        area=area,
    )


def _state_from(index: Index, groups: list[GroupState]) -> State:
    state = State.empty(index)
    for g in sorted(groups, key=lambda g: (repr(g.context), sorted(g.members))):
        state.add_group(g.context, sorted(g.members), sorted(g.leaders))
    return state


def _large_neighbourhood_search(
    index: Index, state: State, rng: random.Random, deadline: float
) -> tuple[State, int]:
    """Release a few related groups plus waiting people, re-solve them exactly, keep gains."""
    problem = index.problem
    rounds = 0
    while clock.now() < deadline - 0.5 and state.groups:
        rounds += 1
        # Small neighbourhoods are solved to optimality in milliseconds by the set-packing
        # model; mixing in larger ones lets groups trade people across more of the pool.
        limit = rng.choice(NEIGHBOURHOOD_SIZES)
        released = _pick_neighbourhood(index, state, rng, limit)
        people = sorted({i for k in released for i in state.groups[k].members})
        contexts = {state.groups[k].context for k in released}
        waiting = [
            i
            for i in range(len(index.people))
            if state.where[i] < 0
            and index.block_contexts[index.block_of[i]]
            and contexts & set(index.block_contexts[index.block_of[i]])
        ]
        waiting.sort(key=lambda i: (-index.w[i], rng.random()))
        room = max(0, limit - len(people))
        chosen = set(people)
        for i in waiting:
            block = index.blocks[index.block_of[i]]
            if i in chosen or len(chosen) + len(block) > len(people) + room:
                continue
            chosen.update(block)
        kept = [g for k, g in enumerate(state.groups) if k not in released]
        leader_free = list(index.leader_free)
        for g in kept:
            for leader in g.leaders:
                leader_free[leader] &= ~(1 << g.context[1])
        before = sum(index.value(state.groups[k].members) for k in released)
        budget = min(0.5, deadline - clock.now() - 0.3)
        if budget <= 0.05:
            break
        small = column_count(index, sorted(chosen)) <= COLUMN_LIMIT // 4
        result = (solve_partition if small else solve_exact)(
            index,
            sorted(chosen),
            leader_free,
            [state.groups[k] for k in released],
            budget,
            problem.seed + rounds,
            problem.num_workers,
        )
        if result.groups is None:
            continue
        after = sum(index.value(g.members) for g in result.groups)
        if after > before + 1e-9:
            state = _state_from(index, kept + result.groups)
    return state, rounds


def _pick_neighbourhood(index: Index, state: State, rng: random.Random, limit: int) -> set[int]:
    groups = state.groups
    first = rng.randrange(len(groups))
    pool, slot = groups[first].context
    same_slot = [k for k, g in enumerate(groups) if g.context[1] == slot and k != first]
    same_pool = [k for k, g in enumerate(groups) if g.context[0] == pool and k != first]
    candidates = same_slot if rng.random() < 0.5 else same_pool
    candidates = candidates or same_slot or same_pool
    rng.shuffle(candidates)
    chosen = {first}
    size = len(groups[first].members)
    for k in candidates:
        if size + len(groups[k].members) > limit - 4:
            break
        chosen.add(k)
        size += len(groups[k].members)
    return chosen
