"""The engine's entry point: ``form_groups(problem, progress) -> Proposal`` (decision 0090).

1. Index the problem (locked groups and their leaders' slots, and people outside the offer's
   target group, are taken out). First come, first served gives the fairness floors
   (decision 0091): no answer may place fewer people, or fewer of the longest-waiting quarter.
2. Warm start: greedy construction and local search, or first come, first served polished by
   local search when the greedy answer breaks a floor or is worse.
3. Pools of at most ``EXACT_LIMIT`` free people (decision 0126): every valid group, the LP
   over all of them, reduced-cost filtering and HiGHS (``reduced``), first without the floors
   (its optimum is the bound), then with them if needed. Pools with too many valid groups:
   CP-SAT over every valid group (``partition``) or the compact model, the same two steps.
4. Larger pools: the relaxation LP of ``bound`` (on a thread beside column generation when
   there is a second worker, decision 0128); column generation (``colgen``: GLOP master,
   greedy pricing with groups of one profile, exact CP-SAT pricing, Lagrangian bound; a
   sweep of exact pricing that the deadline cuts short is finished on that thread while the
   answer is sought, decision 0130); a dive through the LP that fixes each
   group with its leaders (decision 0127), seated by CP-SAT, filled up by local search, and
   repaired where it left out people the floors need (single moves, small exact re-solves,
   then a new group around a person whose contexts have none, decision 0131; a second dive
   with the floors if that fails); HiGHS, then CP-SAT, over the
   generated columns that can still improve; local search and large-neighbourhood search
   with the floors until the time limit. Pools of more than ``COLUMN_GENERATION_LIMIT`` free
   people are split into parts of about ``PART_SIZE`` (whole areas, first come, first served's
   groups kept whole), each part formed by steps 1-4 with its share of the leaders' slots and
   the whole pool's fairness rule inside it (decision 0129), in as many processes at once as
   there are workers (decision 0135); local search and large-neighbourhood search then
   polish the joined answer.
5. The bound is the smallest proven one (ceilings, relaxation LP, Lagrangian, CP-SAT's on small
   pools) plus the locked groups' value; reaching it proves optimality.

Determinism: the same seed gives the same proposal on small pools (deterministic CP-SAT work
limits with ``num_workers=1``). Column generation, the dive and the neighbourhood search stop on
the wall clock, so on larger pools two runs may differ when they are cut at different points.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import multiprocessing
import os
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait

from . import clock
from .bound import LARGE_LP_LIMIT, LP_VARIABLE_LIMIT, ceiling_bound, upper_bound
from .colgen import Generated, dive, filter_columns, generate
from .exact import ExactResult, Floor, solve_exact
from .explain import explain_group, explain_left_out
from .fairness import FairShare, add_groups, group_of
from .finish import finish_bound
from .heuristic import GroupState, State, construct, local_search, repair
from .index import Index, build_index
from .model import Group, LeftOut, Problem, Progress, Proposal, Reason, Status
from .partition import COLUMN_LIMIT, Column, column_count, solve_columns, solve_partition
from .reduced import solve_filtered, solve_milp
from .rules import check_group, objective

log = logging.getLogger(__name__)

EXACT_LIMIT = 40  # free people; past this the whole model is too big to prove quickly
NEIGHBOURHOOD_SIZES = (12, 14, 16)  # people released in one LNS round
COLUMN_GENERATION_LIMIT = 2_500  # free people; past this a master LP round takes too long
PART_SIZE = 1_250  # people per part when a pool too large for column generation is split
PARTS_SHARE = 0.8  # of the time limit, for the parts; the rest polishes the whole answer
NEIGHBOURHOOD_TAIL = 0.02  # of the time limit, at least, for the neighbourhood search then
TRANSPLANT_TRIES = 8  # people a floor wants whose first come, first served group is tried
LARGE_LP_SECONDS = 20.0  # the relaxation's time a pool formed in parts needs for its LP


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
    return _form(problem, progress)


def _form(
    problem: Problem,
    progress: Callable[[Progress], None] | None,
    part: tuple[tuple[Group, ...], frozenset[str]] | None = None,
) -> Proposal:
    """``form_groups``; for one ``part`` of a split pool (``_by_parts``), the fairness rule
    of the whole pool inside it (see ``FairShare.of``), and no relaxation LP for the bound,
    which is not used."""
    started = clock.now()
    reporter = clock.Reporter(progress, started)
    # Explaining and checking the result takes a few per cent of the time on large pools.
    deadline = started + max(0.1, problem.time_limit) * (0.93 if len(problem.people) > 400 else 1)
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
    locked_value = objective(problem, problem.locked)
    rng = random.Random(problem.seed)  # noqa: S311 - seeded tie-breaking, not cryptography
    limit = max(0.1, problem.time_limit)
    fair = FairShare.of(index, part)
    relax = part is None
    # The greedy answer, and first come, first served polished without losing anyone: the
    # better of them that places as many as first come, first served is the warm start.
    # Large pools spend their time on column generation instead.
    warm = 0.1 if len(index.people) <= 400 else 0.04
    state = local_search(index, construct(index, rng), started + warm * limit)
    if not fair.holds(state):
        # Local search may trade a longest-waiting person for likeness; put them back.
        state = repair(index, state, fair.floors)
    # A copy: ``fair.baseline`` stays first come, first served's groups, from which the parts
    # of a large pool count their floors and are split (local search changes what it gets).
    polished = local_search(
        index, fair.baseline.copy(), started + 1.5 * warm * limit, keep=fair.quarter
    )
    if not fair.holds(state) or polished.value() > state.value():
        state = polished
    bound = ceiling_bound(index)
    reporter.update(state.value() + locked_value, bound + locked_value)
    status = Status.FEASIBLE
    rounds = 0
    free = len(index.people)
    stats_extra: tuple[tuple[str, float], ...] = ()
    fair_optimal = False
    if 0 < free <= EXACT_LIMIT and index.context_people:
        state, bound, status, fair_optimal = _solve_whole(index, state, fair, deadline)
    elif free > EXACT_LIMIT and index.context_people:
        # The relaxation LP of ``bound`` is often tighter than the Lagrangian bound of column
        # generation where exact pricing is out of reach; the smaller of the two is kept.
        # With a second worker it runs on a thread beside column generation (HiGHS releases
        # the interpreter while it solves), with time until column generation ends. A pool
        # formed in parts gets it before the parts, larger and solved by PDLP in 10-20 s,
        # which holds the interpreter (decision 0137).
        relaxation = (0.2 if free > 600 else 0.15) * limit
        parallel = problem.num_workers > 1 and free <= COLUMN_GENERATION_LIMIT
        side = ThreadPoolExecutor(max_workers=1) if parallel and relax else None
        relaxed = None
        if side is not None:
            relaxed = side.submit(upper_bound, index, started + 0.5 * limit - clock.now())
        elif relax:
            # Building the large LP alone takes a few seconds: only when there is time.
            large = free > COLUMN_GENERATION_LIMIT and relaxation >= LARGE_LP_SECONDS
            largest = LARGE_LP_LIMIT if large else LP_VARIABLE_LIMIT
            bound = upper_bound(index, relaxation, largest)
            reporter.update(bound=bound + locked_value)
        generated = None
        finished: Future[float] | None = None
        if free <= COLUMN_GENERATION_LIMIT:

            def on_bound(value: float) -> None:
                reporter.update(bound=min(value, bound) + locked_value)

            generated = generate(
                index,
                _columns(state) + _columns(polished),
                started + 0.5 * limit,
                problem.seed,
                on_bound,
                problem.num_workers,
            )
            bound = min(bound, generated.bound)
            if relaxed is not None and side is not None:
                bound = min(bound, relaxed.result())
                reporter.update(bound=bound + locked_value)
                # The last round of column generation is priced in full and tightened with
                # person prices beside the search for an answer (decisions 0130 and 0136),
                # unless it cannot beat this bound; its bound is taken at the end.
                finished = side.submit(
                    finish_bound, index, generated, deadline - 0.3, problem.seed, bound
                )
            state = _integer(index, state, generated, fair, started + 0.8 * limit, deadline)
            reporter.update(state.value() + locked_value)
            state = local_search(index, state, deadline - 0.5, keep=fair.quarter)
        else:
            # Too many people for column generation to converge in the time: the pool is
            # split into parts of about ``PART_SIZE`` people, each formed on its own with its
            # share of the leaders (decision 0129); local search and the neighbourhood search
            # then work on the whole answer. A part is never split again.
            if part is None:
                parts = _by_parts(index, fair, started + PARTS_SHARE * limit, reporter.tick)
                state = _fairer(index, fair, state, parts.groups)
            # Local search across the parts gains far more per second than the neighbourhood
            # search (decision 0135), so it has the time until ``NEIGHBOURHOOD_TAIL``; a
            # pass at a time, so the page sees each pass's gain.
            end = deadline - NEIGHBOURHOOD_TAIL * limit
            while clock.now() < end:
                before = state.value()
                state = local_search(index, state, end, max_passes=1, keep=fair.quarter)
                reporter.update(state.value() + locked_value)
                if state.value() <= before + 1e-9:
                    break
        state, rounds = _large_neighbourhood_search(index, state, rng, deadline, fair, reporter)
        if finished is not None:
            bound = min(bound, finished.result())
        if side is not None:
            side.shutdown()
        if generated is not None:
            stats_extra = (
                ("cg_rounds", float(generated.rounds)),
                ("columns", float(len(generated.columns))),
            )

    groups = list(problem.locked) + [_to_group(index, g) for g in state.groups]
    value = objective(problem, groups)
    bound = max(bound + locked_value, value)
    if status is Status.OPTIMAL or value >= bound - 1e-9:
        # Reaching a proven bound is a proof of optimality, whichever way it was reached.
        status = Status.OPTIMAL
        bound = value
        fair_optimal = True
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
        *stats_extra,
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
        fair_optimal,
    )


def _solve_whole(
    index: Index, state: State, fair: FairShare, deadline: float
) -> tuple[State, float, Status, bool]:
    """Small pools: every valid group with reduced-cost filtering and HiGHS (``reduced``);
    when there are too many valid groups, CP-SAT over all of them (or the compact model). The
    optimum without the fairness rule gives the bound; when it breaks the rule, a second run
    with the rule, in the time left, gives the fair optimum (the warm start is fair already,
    so it stands when that run finds nothing better). The last item says whether the answer
    is proven the best that keeps the rule."""
    problem = index.problem
    everyone = list(range(len(index.people)))
    small = column_count(index, everyone) <= COLUMN_LIMIT
    bound = ceiling_bound(index)
    # The LP over every valid group with the floors, reduced-cost filtering, then
    # HiGHS branch and bound on what is left (``reduced``).
    filtered = solve_filtered(
        index,
        everyone,
        state.groups,
        fair.floors,
        deadline - 0.05 * problem.time_limit,
        problem.seed,
        problem.num_workers,
    )
    if filtered is not None and filtered.result is not None:
        fairer = filtered.result
        bound = min(bound, filtered.bound)
        if fairer.groups is not None:
            # The fair optimum over the groups that survive filtering is the pool's.
            bound = min(bound, fairer.value if fairer.optimal else fairer.bound)
            state = _fairer(index, fair, state, fairer.groups)
        status = Status.OPTIMAL if fairer.optimal else Status.FEASIBLE
        return state, bound, status, filtered.fair_optimal and fairer.groups is not None
    solver = solve_partition if small else solve_exact

    def run(floors: Sequence[Floor] = ()) -> ExactResult:
        return solver(
            index,
            everyone,
            index.leader_free,
            state.groups,
            0.9 * (deadline - clock.now()),
            problem.seed,
            problem.num_workers,
            floors,
        )

    result = run()
    if result.infeasible:
        return state, state.value(), Status.OPTIMAL, True
    if result.groups is None:
        return state, bound, Status.FEASIBLE, False
    bound = min(bound, result.value if result.optimal else result.bound)
    best = _state_from(index, result.groups)
    if fair.holds(best):
        if best.value() >= state.value() - 1e-9:
            state = best
        status = Status.OPTIMAL if result.optimal else Status.FEASIBLE
        return state, bound, status, result.optimal
    fairest = run(fair.floors)
    state = _fairer(index, fair, state, fairest.groups)
    # Optimal with the floors, and the answer kept worth as much: the fair optimum.
    proven = fairest.optimal and state.value() >= fairest.value - 1e-9
    return state, bound, Status.FEASIBLE, proven


def _integer(
    index: Index, state: State, generated: Generated, fair: FairShare, until: float, deadline: float
) -> State:
    """Whole groups from the generated columns: a dive through the LP, seated and filled up;
    then HiGHS and CP-SAT over the columns that can still improve (the floors as rows)."""
    problem = index.problem
    limit = problem.time_limit
    # The dive follows the LP without the floors (with them it stops at the first group
    # that would break them); CP-SAT seats its groups with leaders, and local search, which
    # never sends anyone in the longest-waiting quarter back to the list, fills them up.
    # When the floors cannot be repaired after that, a second dive keeps them.
    for floors in ((), fair.floors):
        if clock.now() > until:
            break
        generated.master.release()
        dived = dive(index, generated, floors, until)
        if not dived:
            continue
        seated = solve_columns(
            index,
            dived,
            index.leader_free,
            [],
            max(0.5, 0.03 * limit),
            problem.seed,
            problem.num_workers,
        )
        if seated.groups is None:
            continue
        candidate = local_search(
            index,
            _state_from(index, seated.groups),
            min(deadline - 0.5, clock.now() + 0.05 * limit),
            keep=fair.quarter,
        )
        # Place the longest-waiting people the dive left out.
        candidate = repair(index, candidate, fair.floors)
        candidate = _place_missing(index, candidate, fair, deadline - 0.15 * limit)
        candidate = _graft(index, candidate, fair)
        candidate = _transplant(index, candidate, fair)
        state = _fairer(index, fair, state, candidate.groups)
        if fair.holds(candidate):
            break
    # HiGHS branch and bound over the generated columns that can still beat the best answer
    # (reduced-cost filtering, see ``reduced``) and the best answer's groups: its LP is the
    # master's, so it closes much of the gap; CP-SAT, warm-started, when it finds nothing.
    columns = [*filter_columns(generated, state.value()), *_columns(state)]
    end = deadline - 0.5 - 0.15 * limit
    result = solve_milp(index, columns, fair.floors, clock.now() + 0.5 * (end - clock.now()))
    state = _fairer(index, fair, state, result.groups)
    result = solve_columns(
        index,
        columns,
        index.leader_free,
        state.groups,
        max(0.1, end - clock.now()),
        problem.seed,
        problem.num_workers,
        fair.floors,
    )
    return _fairer(index, fair, state, result.groups)


def _by_parts(
    index: Index, fair: FairShare, until: float, tick: Callable[[], None] = lambda: None
) -> State:
    """Split the pool into parts of about ``PART_SIZE`` people (``_split``), share out the
    leaders' slots (``_allot``), form each part's groups with ``_form`` in time shared by
    size, and join them; then new groups with the leaders' slots still free.

    Each part keeps the fairness rule of the whole pool inside it: at least as many placed,
    and as many of the whole pool's longest-waiting quarter, as the groups of first come,
    first served that lie in the part (``_split`` keeps those groups whole, ``_allot`` gives
    the part their leaders' slots). So the joined answer keeps the rule for the whole pool."""
    problem = index.problem
    person_of = {p.id: p for p in problem.people}
    leader_at = {leader_id: k for k, leader_id in enumerate(index.leader_ids)}
    position = {person_id: i for i, person_id in enumerate(index.people)}
    parts = _split(index, fair.baseline, [person_of[i].area for i in index.people])
    own = _allot(index, parts, fair.baseline)
    quarter = frozenset(index.people[i] for i in fair.quarter)
    jobs: list[Part] = []
    for number, part in enumerate(parts):
        members = set(part)
        sub = dataclasses.replace(
            problem,
            # People who can meet nowhere stay out: pinned to someone in a locked group, a
            # part (which has no locked groups) would not know.
            people=tuple(
                person_of[index.people[i]] for i in part if index.block_contexts[index.block_of[i]]
            ),
            leaders=tuple(
                dataclasses.replace(leader, availability=own[k][number])
                for k, leader in enumerate(problem.leaders)
                if own[k].get(number)
            ),
            locked=(),
        )
        baseline = tuple(
            _to_group(index, g) for g in fair.baseline.groups if members.issuperset(g.members)
        )
        jobs.append(Part(sub, baseline, quarter, len(part)))
    workers = min(problem.num_workers, len(jobs))
    if workers > 1:
        formed = _parts_in_processes(jobs, workers, until - clock.now(), tick)
    else:
        formed = _form_parts(jobs, until - clock.now(), tick)
    state = State.empty(index)
    add_groups(state, formed, position, leader_at)
    # Leaders' slots a part left free may still lead groups of the people left waiting.
    return construct(index, random.Random(problem.seed), state)  # noqa: S311 - tie-breaking


@dataclasses.dataclass(frozen=True)
class Part:
    """One part of a split pool (``_by_parts``): its problem (the time limit is set when it
    starts), first come, first served's groups inside it, the whole pool's longest-waiting
    quarter (ids) and its size, which decides its share of the time."""

    problem: Problem
    baseline: tuple[Group, ...]
    quarter: frozenset[str]
    size: int


def _form_parts(
    jobs: Sequence[Part], seconds: float, tick: Callable[[], None] = lambda: None
) -> list[Group]:
    """Form ``jobs`` one after another in ``seconds``, each in time shared by size."""
    until = clock.now() + seconds
    left = sum(job.size for job in jobs)
    groups: list[Group] = []
    for job in jobs:
        share = (until - clock.now()) * job.size / max(1, left)
        left -= job.size
        sub = dataclasses.replace(job.problem, time_limit=max(0.1, share))
        # The parts' own progress only says that the search goes on (``tick``): their
        # figures are not the whole pool's.
        formed = _form(sub, lambda _: tick(), (job.baseline, job.quarter))
        groups += formed.groups
        tick()
    return groups


def _lane(jobs: Sequence[Part], seconds: float, sent: float, workers: int) -> list[Group]:
    """``_form_parts`` in a worker process with ``workers`` CP-SAT workers, from the moment
    the parent sent the work (``sent``, on the system's monotonic clock, which processes
    share): starting a process takes a second or two of the parts' time."""
    seconds -= time.monotonic() - sent
    return _form_parts(
        [
            dataclasses.replace(job, problem=dataclasses.replace(job.problem, num_workers=workers))
            for job in jobs
        ],
        seconds,
    )


def _watch_parent(parent: int) -> None:
    """Set up a process that forms parts: it ends as soon as the engine's process is gone
    (a worker stopped or killed mid-run). Without this it would work on to its deadline and
    then wait for more work for ever, holding its memory."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _parts_in_processes(
    jobs: Sequence[Part], workers: int, seconds: float, tick: Callable[[], None]
) -> list[Group]:
    """Form the parts in ``workers`` processes at once (decision 0135): the parts are
    independent, and one process of the search uses little more than one core, so each part
    gets about ``workers`` times the time it would have one after another. The parts are
    dealt out largest first, each to the process with the fewest people so far. Where a
    process cannot start or fails, its parts are formed here, one after another, in the time
    left."""
    until = clock.now() + seconds
    # The cores left over when there are fewer parts than workers go to CP-SAT.
    threads = max(1, jobs[0].problem.num_workers // workers)
    lanes: list[list[Part]] = [[] for _ in range(workers)]
    for job in sorted(jobs, key=lambda job: -job.size):
        min(lanes, key=lambda lane: sum(j.size for j in lane)).append(job)
    groups: list[Group] = []
    formed: set[int] = set()
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_watch_parent,
            initargs=(os.getpid(),),
        ) as pool:
            pending = {
                pool.submit(_lane, lane, seconds, time.monotonic(), threads): number
                for number, lane in enumerate(lanes)
            }
            while pending:
                done, _ = wait(pending, timeout=0.5)
                tick()
                for future in done:
                    number = pending.pop(future)
                    try:
                        groups += future.result()
                        formed.add(number)
                    except Exception as error:  # a process failed: its parts are formed here
                        # The kind of failure only: a message may name people.
                        log.warning("A process forming parts failed: %s", type(error).__name__)
    except Exception as error:  # no process could start: every part is formed here
        log.warning("No process could form parts: %s", type(error).__name__)
    failed = [job for number, lane in enumerate(lanes) if number not in formed for job in lane]
    if failed:
        groups += _form_parts(failed, until - clock.now(), tick)
    return groups


def _split(index: Index, baseline: State, areas: list[str | None]) -> list[list[int]]:
    """The free people in parts of about ``PART_SIZE``. The units are the groups of first
    come, first served (``baseline``) and the blocks it leaves waiting; a unit's area is its
    members' most common one (``areas``, per person). Each area's units go whole into one
    part where they fit, larger areas are dealt out; the largest pieces first, each into the
    part with the fewest people."""
    units: dict[str | None, list[list[int]]] = defaultdict(list)
    for g in baseline.groups:
        units[Counter(areas[i] for i in g.members).most_common(1)[0][0]].append(g.members)
    for block in index.blocks:
        if baseline.where[block[0]] < 0:
            units[areas[block[0]]].append(block)
    count = max(1, math.ceil(len(index.people) / PART_SIZE))
    pieces: list[list[int]] = []
    for area in sorted(units, key=lambda a: (a is None, a or "")):
        size = sum(len(unit) for unit in units[area])
        n = max(1, math.ceil(size / PART_SIZE))
        for k in range(n):
            pieces.append([i for unit in units[area][k::n] for i in unit])
    parts: list[list[int]] = [[] for _ in range(count)]
    for piece in sorted(pieces, key=lambda piece: (-len(piece), piece)):
        smallest = min(range(count), key=lambda k: (len(parts[k]), k))
        parts[smallest] += piece
    return sorted((sorted(part) for part in parts if part), key=lambda part: (-len(part), part))


def _allot(index: Index, parts: list[list[int]], baseline: State) -> list[dict[int, int]]:
    """Each leader's slots per part (part -> slot mask): the slots where the leader leads a
    group of first come, first served go to that group's part; the leader's other slots go
    to one part, leaders who can serve fewer parts first, each to the part, among those with
    people they could lead, that has the fewest leaders per person so far."""
    part_of = [0] * len(index.people)
    for number, part in enumerate(parts):
        for i in part:
            part_of[i] = number
    own: list[dict[int, int]] = [defaultdict(int) for _ in index.leader_ids]
    for g in baseline.groups:
        for leader in g.leaders:
            own[leader][part_of[g.members[0]]] |= 1 << g.context[1]
    reach: list[set[int]] = [set() for _ in index.leader_ids]
    for (pool, _), members in index.context_people.items():
        here = {part_of[i] for i in members}
        for leader in index.pool_leaders.get(pool, []):
            reach[leader] |= here
    count = [0] * len(parts)
    for leader in sorted(range(len(reach)), key=lambda k: (len(reach[k]), k)):
        rest = index.leader_free[leader]
        for mask in own[leader].values():
            rest &= ~mask
        if reach[leader] and rest:
            best = min(reach[leader], key=lambda n: ((count[n] + 1) / len(parts[n]), n))
            own[leader][best] |= rest
            count[best] += 1
    return own


def _place_missing(index: Index, state: State, fair: FairShare, deadline: float) -> State:
    """For each person a floor still needs (longest waiting first), re-solve exactly the
    groups that could make room (``_room_around``), asking for one more such person; the
    other floors may use their slack."""
    problem = index.problem
    for _ in range(len(index.people)):
        placed = {i for i, k in enumerate(state.where) if k >= 0}
        unmet = [wanted for wanted, minimum in fair.floors if len(placed & wanted) < minimum]
        if not unmet or clock.now() > deadline - 0.3:
            return state
        wanted = unmet[0]
        missing = sorted(wanted - placed, key=lambda i: (-index.w[i], i))
        for i in missing:
            if not index.block_contexts[index.block_of[i]]:
                continue  # nowhere to meet: no answer places them
            released, chosen = _room_around(index, state, i, placed)
            people = [m for k in released for m in state.groups[k].members]
            kept = [g for k, g in enumerate(state.groups) if k not in released]
            floors = tuple(
                (
                    w.intersection(chosen),
                    len(w.intersection(people)) + 1
                    if w is wanted
                    else max(0, len(w.intersection(people)) - (len(placed & w) - minimum)),
                )
                for w, minimum in fair.floors
            )
            budget = min(1.0, deadline - clock.now() - 0.3)
            if budget <= 0.05:
                return state
            result = solve_exact(
                index,
                chosen,
                _leaders_free_beside(index, kept),
                [state.groups[k] for k in released],
                budget,
                problem.seed,
                problem.num_workers,
                floors,
            )
            if result.groups is not None:
                state = _state_from(index, kept + result.groups)
                break
        else:
            return state
    return state


def _graft(index: Index, state: State, fair: FairShare) -> State:
    """Where a floor still fails after ``_place_missing``, a new group around one of the
    people it wants: in one of their contexts whose leaders are still free at its slot, with
    the waiting people who fit there and people taken from groups that stay large enough
    (never anyone of the longest-waiting quarter), the most alike first. The dive's answer
    often misses the quarter's floor by one or two people whose contexts have no group at
    all, and it is worth far more than the warm start it would otherwise lose to (decision
    0131). Stops when every floor holds or no such group can be formed."""
    for _ in range(len(index.people)):
        placed = {i for i, k in enumerate(state.where) if k >= 0}
        wanted = next((w for w, minimum in fair.floors if len(placed & w) < minimum), None)
        if wanted is None:
            return state
        grown = None
        for i in sorted(wanted - placed, key=lambda i: (-index.w[i], i)):
            grown = _group_around(index, state, fair, i)
            if grown is not None:
                break
        if grown is None:
            return state
        state = grown
    return state


def _transplant(index: Index, state: State, fair: FairShare) -> State:
    """Where a floor still fails after ``_graft``, first come, first served's own group of a
    person it wants, put into the answer whole: its members leave their groups; a group at its
    slot that needs one of its leaders gets another free leader or is dissolved, as is a group
    left too small; ``repair`` then places again those it sent to the list. The dive's answer
    may miss the floor by a person whose only context has no group and one free leader, where
    ``_place_missing`` and ``_graft`` find nothing (decision 0138). Stops when every floor
    holds or no transplant places more of the people the floor wants."""
    base = fair.baseline
    for _ in range(len(index.people)):
        placed = {i for i, k in enumerate(state.where) if k >= 0}
        wanted = next((w for w, minimum in fair.floors if len(placed & w) < minimum), None)
        if wanted is None:
            return state
        missing = [i for i in wanted - placed if base.where[i] >= 0]
        for i in sorted(missing, key=lambda i: (-index.w[i], i))[:TRANSPLANT_TRIES]:
            grown = _with_group(index, state, base.groups[base.where[i]])
            grown = repair(index, grown, fair.floors)
            if sum(1 for j in wanted if grown.where[j] >= 0) > len(placed & wanted):
                state = grown
                break
        else:
            return state
    return state


def _with_group(index: Index, state: State, new: GroupState) -> State:
    """``state`` with the group ``new`` (valid on its own) in it: see ``_transplant``."""
    slot = new.context[1]
    taken = set(new.members)
    busy = list(state.busy)
    for leader in new.leaders:
        busy[leader] |= 1 << slot
    groups = [new]
    for g in state.groups:
        members = [m for m in g.members if m not in taken]
        if len(members) < index.bounds(g.context[0])[0]:
            continue
        leaders = list(g.leaders)
        if g.context[1] == slot:
            clash = [leader for leader in leaders if leader in new.leaders]
            free = [x for x in index.leaders_for(g.context, busy) if x not in leaders]
            if len(free) < len(clash):
                continue
            for leader, other in zip(clash, free, strict=False):
                leaders[leaders.index(leader)] = other
                busy[other] |= 1 << slot
        groups.append(GroupState(g.context, members, leaders))
    return _state_from(index, groups)


def _group_around(index: Index, state: State, fair: FairShare, person: int) -> State | None:
    """``_graft``'s new group for ``person`` (not pinned to anyone), or None."""
    if len(index.blocks[index.block_of[person]]) > 1:
        return None
    need = index.problem.rules.leaders_per_group
    for context in index.block_contexts[index.block_of[person]]:
        leaders = index.leaders_for(context, state.busy)
        if len(leaders) < need:
            continue
        low, _ = index.bounds(context[0])
        size = [len(g.members) for g in state.groups]
        candidates = sorted(
            (state.where[j] >= 0, -index.s(person, j), -index.w[j], j)
            for j in index.context_people[context]
            if j != person
            and len(index.blocks[index.block_of[j]]) == 1
            and context in index.block_contexts[index.block_of[j]]
            and (state.where[j] < 0 or j not in fair.quarter)
        )
        members = [person]
        for _, _, _, j in candidates:
            k = state.where[j]
            if k >= 0 and size[k] <= index.bounds(state.groups[k].context[0])[0]:
                continue
            if not index.compatible(members, [j]):
                continue
            members.append(j)
            if k >= 0:
                size[k] -= 1
            if len(members) == low:
                break
        if len(members) < low:
            continue
        taken = set(members)
        groups = [
            GroupState(g.context, [m for m in g.members if m not in taken], g.leaders)
            for g in state.groups
        ]
        groups.append(GroupState(context, sorted(members), leaders[:need]))
        return _state_from(index, groups)
    return None


def _room_around(
    index: Index, state: State, person: int, placed: set[int]
) -> tuple[list[int], list[int]]:
    """The groups that could make room for ``person`` (those of their contexts first, then
    those at the same slots whose leaders could lead there, up to about 24 people) and the
    people to re-solve: their members, ``person``'s block and up to 12 waiting people who
    could join, the longest waiting first."""
    block = index.blocks[index.block_of[person]]
    contexts = set(index.block_contexts[index.block_of[person]])
    leaders = {k for c in contexts for k in index.pool_leaders[c[0]]}
    slots = {c[1] for c in contexts}
    candidates = [
        k
        for k, g in enumerate(state.groups)
        if g.context in contexts or (g.context[1] in slots and leaders & set(g.leaders))
    ]
    candidates.sort(key=lambda k: state.groups[k].context not in contexts)
    released: list[int] = []
    people: list[int] = []
    for k in candidates:
        if len(people) + len(state.groups[k].members) > NEIGHBOURHOOD_SIZES[-1] + 8:
            break
        released.append(k)
        people += state.groups[k].members
    waiting = sorted(
        (
            j
            for j in range(len(index.people))
            if j not in placed
            and j not in block
            and contexts.intersection(index.block_contexts[index.block_of[j]])
        ),
        key=lambda j: (-index.w[j], j),
    )
    extra: set[int] = set()
    for j in waiting:
        if len(extra) >= 12:
            break
        extra.update(index.blocks[index.block_of[j]])
    return released, sorted(set(people) | set(block) | extra)


def _leaders_free_beside(index: Index, kept: list[GroupState]) -> list[int]:
    """Each leader's free slots once the ``kept`` groups have their leaders."""
    leader_free = list(index.leader_free)
    for g in kept:
        for leader in g.leaders:
            leader_free[leader] &= ~(1 << g.context[1])
    return leader_free


def _fairer(index: Index, fair: FairShare, state: State, groups: list[GroupState] | None) -> State:
    """``groups`` when they keep the fairness rule and are worth more than ``state``."""
    if groups is None:
        return state
    candidate = _state_from(index, groups)
    if fair.holds(candidate) and candidate.value() > state.value() + 1e-9:
        return candidate
    return state


def _columns(state: State) -> list[Column]:
    return [(g.context, tuple(sorted(g.members))) for g in state.groups]


def _to_group(index: Index, g: GroupState) -> Group:
    return group_of(index, g.context, g.members, g.leaders)


def _state_from(index: Index, groups: list[GroupState]) -> State:
    state = State.empty(index)
    for g in sorted(groups, key=lambda g: (repr(g.context), sorted(g.members))):
        state.add_group(g.context, sorted(g.members), sorted(g.leaders))
    return state


def _large_neighbourhood_search(
    index: Index,
    state: State,
    rng: random.Random,
    deadline: float,
    fair: FairShare,
    reporter: clock.Reporter,
) -> tuple[State, int]:
    """Release a few related groups plus waiting people, re-solve them exactly, keep gains.

    Each neighbourhood places at least as many people, and as many of the longest-waiting
    quarter, as before, so the fairness rule keeps holding."""
    locked_value = objective(index.problem, index.problem.locked)
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
        leader_free = _leaders_free_beside(index, kept)
        before = sum(index.value(state.groups[k].members) for k in released)
        budget = min(0.5, deadline - clock.now() - 0.3)
        if budget <= 0.05:
            break
        small = column_count(index, sorted(chosen)) <= COLUMN_LIMIT // 4
        floors = (
            (frozenset(chosen), len(people)),
            (fair.quarter.intersection(chosen), len(fair.quarter.intersection(people))),
        )
        result = (solve_partition if small else solve_exact)(
            index,
            sorted(chosen),
            leader_free,
            [state.groups[k] for k in released],
            budget,
            problem.seed + rounds,
            problem.num_workers,
            floors,
        )
        if result.groups is None:
            continue
        after = sum(index.value(g.members) for g in result.groups)
        if after > before + 1e-9:
            state = _state_from(index, kept + result.groups)
            reporter.update(state.value() + locked_value)
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
