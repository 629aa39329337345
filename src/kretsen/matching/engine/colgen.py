"""Column generation for the set-partitioning model of group formation.

A column is a candidate group: a context (pool at a slot) and its members, worth
``Index.value``. The master LP (GLOP) chooses columns x_g in [0, 1]:

    max  sum v_g x_g
    s.t. sum of x_g over the columns holding person i           <= 1     (dual pi_i)
         need * sum of x_g in context c - sum_l a_lc            <= 0     (dual mu_c)
         sum of a_lc over the contexts c at slot s               <= 1     (dual rho_ls)

where a_lc in [0, 1] says leader l leads in context c (groups of one context are
interchangeable for leaders, as in ``partition``). Pricing asks, per context, for a valid group
S with v(S) - pi(S) - need * mu_c > 0: a greedy heuristic grown from a few seeds first, and
exact CP-SAT pricing in every context when the heuristic finds none (decision 0126).

The proven bound is Lagrangian, with the person rows (pi >= 0) and the leader rows
(rho >= 0) moved into the objective and each context's own row kept. For any valid x, a,

    sum v x <= sum pi + sum rho + sum_c R_c

where R_c bounds what the groups of context c and the leaders they need add together over
*all* valid groups (not only generated ones): k groups of c share nobody and are worth at
most k times the best v(S) - pi(S) there (CP-SAT's proven bound where exact pricing ran) and
at most a packing of per-person ceilings (person i is worth at most t_i = w_i (1 + hhat_i) -
pi_i, hhat_i the mean of i's L - 1 highest likenesses to the others eligible there; a mean
over more mates is never higher); they need need * k of c's free leaders, who cost at least
the need * k smallest prices rho at c's slot (``context_ceiling``). Charging the leaders
their own prices, rather than c's price mu_c for every group c could hold, is what keeps the
bound close to the LP: a context whose leaders are all busy elsewhere adds nothing, however
many groups its people could form (decision 0128). The bound holds whatever the LP solver's
tolerances, so it never falls below a valid solution; it equals the LP optimum when pricing
proves that no column improves. Where exact pricing did not finish the ceilings are loose,
so ``solve`` keeps the smaller of this and ``bound``'s LP.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from . import clock
from .exact import Floor, run_solver
from .index import Context, Index
from .partition import Column

EPSILON = 1e-6
SEEDS = 4  # seeds per context for the greedy pricing
CONVERGED = 0.005  # column generation stops when the bound is this close to the master LP
PER_CONTEXT = 4  # greedy columns added per context and round
EXACT_PRICING_PEOPLE = 250  # CP-SAT pricing only where dominance leaves at most this many
PRICING_SCALE = 1_000_000  # reduced costs in CP-SAT pricing, in millionths
PRIMAL = "use_preprocessing: false"
DUAL = "use_preprocessing: false use_dual_simplex: true"
SMOOTHING = 0.5  # weight of the earlier rounds' average in the prices greedy pricing uses
SMOOTHING_FROM = 400  # people; smaller pools price at the master's duals only
DIVE_SHARE = 4  # a dive round fixes at least this share of the open columns (1 / n)


@dataclass
class Place:
    """One context and what pricing needs about it, in local (0..m-1) positions."""

    context: Context
    people: np.ndarray  # index positions of the eligible people
    w: np.ndarray
    profile: np.ndarray
    age: np.ndarray
    single: np.ndarray  # not pinned together with anyone
    forbidden: list[list[int]]
    hhat: np.ndarray
    low: int
    high: int
    cap: int  # most groups that can meet here
    leaders: list[int]
    local: dict[int, int] = field(default_factory=dict)
    # Pinned together or never together with someone: never pruned by dominance.
    special: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # mates[n][k]: the mean of k's n - 1 highest likenesses here, a ceiling on h_k at size n.
    mates: dict[int, np.ndarray] = field(default_factory=dict)


def build_places(index: Index) -> list[Place]:
    rules = index.problem.rules
    need = rules.leaders_per_group
    span = rules.max_age_span
    sim = np.array(index.sim, dtype=float)
    block_sets = [set(contexts) for contexts in index.block_contexts]
    places: list[Place] = []
    for context in sorted(index.context_people, key=repr):
        eligible = [
            i for i in index.context_people[context] if context in block_sets[index.block_of[i]]
        ]
        low, high = index.bounds(context[0])
        bit = 1 << context[1]
        leaders = [k for k in index.pool_leaders[context[0]] if index.leader_free[k] & bit]
        cap = len(eligible) // low if low > 0 else 0
        if need > 0:
            cap = min(cap, len(leaders) // need)
        if cap <= 0:
            continue
        people = np.array(eligible, dtype=np.int64)
        profile = np.array([index.profile[i] for i in eligible], dtype=np.int64)
        age = np.array([index.age[i] for i in eligible], dtype=np.int64)
        local = {i: k for k, i in enumerate(eligible)}
        forbidden = [sorted(local[j] for j in index.forbidden[i] if j in local) for i in eligible]
        matrix = sim[np.ix_(profile, profile)]
        np.fill_diagonal(matrix, -1.0)
        if span is not None:
            matrix[np.abs(age[:, None] - age[None, :]) > span] = -1.0
        ranked = np.clip(-np.sort(-matrix, axis=1), 0.0, None)
        mates = {
            n: ranked[:, : n - 1].sum(axis=1) / (n - 1)
            for n in range(max(2, low), min(high, len(eligible)) + 1)
        }
        hhat = mates[max(2, low)] if low > 1 else np.zeros(len(eligible))
        single = np.array([len(index.blocks[index.block_of[i]]) == 1 for i in eligible])
        places.append(
            Place(
                context,
                people,
                np.array([index.w[i] for i in eligible]),
                profile,
                age,
                single,
                forbidden,
                hhat,
                low,
                high,
                cap,
                leaders,
                local,
                ~single | np.array([bool(f) for f in forbidden], dtype=bool),
                mates,
            )
        )
    return places


class Master:
    """The restricted master LP, grown column by column."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.need = index.problem.rules.leaders_per_group
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        # Without presolve GLOP keeps its basis when columns are added, so a round re-solves
        # from where the last one stopped.
        self.solver.SetSolverSpecificParametersAsString(PRIMAL)
        self.objective = self.solver.Objective()
        self.objective.SetMaximization()
        self.person_rows: dict[int, pywraplp.Constraint] = {}
        self.context_rows: dict[Context, pywraplp.Constraint] = {}
        self.assign: dict[Context, list[tuple[int, pywraplp.Variable]]] = {}
        self.leader_rows: dict[tuple[int, int], pywraplp.Constraint] = {}
        self.columns: list[Column] = []
        self.variables: list[pywraplp.Variable] = []
        self.known: set[Column] = set()
        self.value = 0.0
        self.floor_rows: list[tuple[frozenset[int], pywraplp.Constraint]] = []
        self.floor_duals: list[float] = []  # read in ``solve``: adding columns voids them

    def add(self, column: Column) -> bool:
        if column in self.known:
            return False
        self.known.add(column)
        context, members = column
        # No upper bound of 1: the person rows imply it, and a bound would hide reduced costs.
        x = self.solver.NumVar(0.0, math.inf, "")
        self.objective.SetCoefficient(x, self.index.value(list(members)))
        for i in members:
            row = self.person_rows.get(i)
            if row is None:
                row = self.person_rows[i] = self.solver.Constraint(-math.inf, 1.0)
            row.SetCoefficient(x, 1.0)
        if self.need > 0:
            self._context_row(context).SetCoefficient(x, float(self.need))
        for wanted, row in self.floor_rows:
            row.SetCoefficient(x, float(sum(1 for i in members if i in wanted)))
        self.columns.append(column)
        self.variables.append(x)
        return True

    def _context_row(self, context: Context) -> pywraplp.Constraint:
        row = self.context_rows.get(context)
        if row is not None:
            return row
        row = self.context_rows[context] = self.solver.Constraint(-math.inf, 0.0)
        slot = context[1]
        pairs: list[tuple[int, pywraplp.Variable]] = []
        for leader in self.index.pool_leaders[context[0]]:
            if not self.index.leader_free[leader] >> slot & 1:
                continue
            a = self.solver.NumVar(0.0, 1.0, "")
            row.SetCoefficient(a, -1.0)
            limit = self.leader_rows.get((leader, slot))
            if limit is None:
                limit = self.leader_rows[leader, slot] = self.solver.Constraint(-math.inf, 1.0)
            limit.SetCoefficient(a, 1.0)
            pairs.append((leader, a))
        self.assign[context] = pairs
        return row

    def solve(self, deadline: float) -> bool:
        """Solve the LP; False when it is not solved to optimality before ``deadline``."""
        left = deadline - clock.now()
        if left <= 0.05:
            return False
        self.solver.SetTimeLimit(max(1, int(1000 * left)))
        status = self.solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            return False
        self.value = self.objective.Value()
        self.floor_duals = [abs(row.dual_value()) for _, row in self.floor_rows]
        return True

    def duals(self) -> tuple[np.ndarray, dict[Context, float], dict[tuple[int, int], float]]:
        pi = np.zeros(len(self.index.people))
        for i, row in self.person_rows.items():
            pi[i] = max(0.0, row.dual_value())
        mu = {c: max(0.0, row.dual_value()) for c, row in self.context_rows.items()}
        rho = {key: max(0.0, row.dual_value()) for key, row in self.leader_rows.items()}
        return pi, mu, rho

    def release(self) -> None:
        """Undo what a dive fixed: every column and leader free again."""
        for x in self.variables:
            x.SetBounds(0.0, math.inf)
        for pairs in self.assign.values():
            for _, a in pairs:
                a.SetBounds(0.0, 1.0)

    def add_floors(self, floors: Sequence[Floor]) -> None:
        for wanted, minimum in floors:
            row = self.solver.Constraint(float(minimum), math.inf)
            for (_, members), x in zip(self.columns, self.variables, strict=True):
                row.SetCoefficient(x, float(sum(1 for i in members if i in wanted)))
            self.floor_rows.append((wanted, row))

    def floor_debt(self) -> float:
        """sum over the floors of price * minimum."""
        return sum(
            price * row.lb()
            for price, (_, row) in zip(self.floor_duals, self.floor_rows, strict=True)
        )

    def floor_prices(self) -> np.ndarray:
        """What the floors add to each person's worth in pricing (their duals, >= 0)."""
        bonus = np.zeros(len(self.index.people))
        for price, (wanted, _) in zip(self.floor_duals, self.floor_rows, strict=True):
            if wanted:
                bonus[sorted(wanted)] += price
        return bonus


def improvable(place: Place, pi: np.ndarray, mu: float, need: int) -> bool:
    """Whether some group of ``place`` may still improve the master LP: the best k of (the
    largest sum of between k * low and k * high person ceilings t_i) - k * need * mu is
    positive. Where it is not, no group has a positive reduced cost."""
    return any(
        worth - k * need * mu > EPSILON for k, worth in enumerate(_packings(place, pi), start=1)
    )


def _packings(place: Place, pi: np.ndarray) -> list[float]:
    """For k = 1, 2, ... groups of ``place``: the largest sum of between k * low and k * high
    person ceilings t_i = w_i (1 + hhat_i) - pi_i, a bound on what k groups are worth there
    (they share nobody)."""
    t = np.sort(place.w * (1.0 + place.hhat) - pi)[::-1]
    sums = np.concatenate([[0.0], np.cumsum(t)])
    positive = int(np.count_nonzero(t > 0))
    out: list[float] = []
    for k in range(1, place.cap + 1):
        low, high = k * place.low, min(k * place.high, len(t))
        if low > len(t):
            break
        out.append(float(sums[min(max(positive, low), high)]))
    return out


def context_ceiling(
    place: Place,
    pi: np.ndarray,
    rho: dict[tuple[int, int], float],
    proven: float,
    need: int,
    cuts: Sequence[tuple[float, float]] = (),
) -> float:
    """R_c: an upper bound on what the groups of ``place`` and their leaders add to the
    Lagrangian, at person prices ``pi`` (local) and leader prices ``rho``.

    k groups of one context share nobody: together they are worth at most the smaller of
    k * (the best v(S) - pi(S), which is ``proven`` plus need * mu when exact pricing ran) and
    the largest sum of between k * low and k * high person ceilings t_i = w_i (1 + hhat_i) -
    pi_i. Each ``cut`` (s, b) says that they are worth at most s + k * b too: with extra
    person prices sigma >= 0 summing to s, every group has v(S) - pi(S) - sigma(S) <= b, and
    k groups that share nobody pay at most s of sigma together (``tighten``). They need
    need * k of the context's free leaders, who cost at least the need * k smallest leader
    prices at its slot. R_c is the best k of (that worth - that cost)."""
    slot = place.context[1]
    prices = np.sort([rho.get((leader, slot), 0.0) for leader in place.leaders])
    cost = np.concatenate([[0.0], np.cumsum(prices)])
    best = 0.0
    for k, worth in enumerate(_packings(place, pi), start=1):
        if need * k > len(prices):
            break
        worth = min([worth, k * proven, *(s + k * b for s, b in cuts)])
        best = max(best, worth - float(cost[need * k]))
    return best


def greedy_pricing(
    index: Index, place: Place, pi: np.ndarray, mu: float, sim: np.ndarray
) -> list[tuple[float, tuple[int, ...]]]:
    """Groups with a positive reduced cost: the best groups of one profile
    (``_one_profile_groups``), and groups grown greedily from a few promising seeds (the
    people with the highest ceilings, and the best member of each of those groups)."""
    need = index.problem.rules.leaders_per_group
    span = index.problem.rules.max_age_span
    w = place.w
    matrix = sim[np.ix_(place.profile, place.profile)]
    potential = w * (1.0 + place.hhat) - pi
    singles = np.flatnonzero(place.single)
    if len(singles) < place.low:
        return []
    seeds = singles[np.argsort(-potential[singles], kind="stable")[:SEEDS]].tolist()
    found: dict[tuple[int, ...], float] = {}
    for worth, group in _one_profile_groups(place, singles, w - pi, np.diag(matrix)):
        clash = any(set(place.forbidden[k]).intersection(group) for k in group)
        if worth - need * mu > EPSILON and not clash:
            found[tuple(sorted(int(place.people[k]) for k in group))] = worth - need * mu
        if group[0] not in seeds:
            seeds.append(group[0])
    for seed in seeds:
        if potential[seed] <= EPSILON:
            continue
        banned = ~place.single.copy()
        banned[seed] = True
        banned[place.forbidden[seed]] = True
        members = [seed]
        q = (w[seed] + w) * matrix[seed]
        pairs = 0.0
        total = w[seed] - pi[seed]
        young = old = int(place.age[seed])
        best: tuple[float, list[int]] | None = None
        while len(members) < place.high:
            n = len(members)
            if span is not None:
                banned |= (np.maximum(place.age, old) - np.minimum(place.age, young)) > span
            gain = w - pi + (pairs + q) / n - (pairs / (n - 1) if n > 1 else 0.0)
            gain[banned] = -math.inf
            j = int(np.argmax(gain))
            if gain[j] == -math.inf or (n >= place.low and gain[j] <= EPSILON):
                break
            members.append(j)
            banned[j] = True
            banned[place.forbidden[j]] = True
            young, old = min(young, int(place.age[j])), max(old, int(place.age[j]))
            pairs += q[j]
            q += (w[j] + w) * matrix[j]
            total += w[j] - pi[j]
            if len(members) >= place.low:
                reduced = total + pairs / (len(members) - 1) - need * mu
                if best is None or reduced > best[0]:
                    best = (reduced, list(members))
        if best is not None and best[0] > EPSILON:
            key = tuple(sorted(int(place.people[k]) for k in best[1]))
            found[key] = best[0]
    return sorted(((value, key) for key, value in found.items()), reverse=True)


def _one_profile_groups(
    place: Place, singles: np.ndarray, linear: np.ndarray, alike: np.ndarray
) -> list[tuple[float, list[int]]]:
    """For the ``SEEDS`` profiles whose best group of their own people only is worth most:
    that group (local positions, best first) and its reduced cost before the leader price.
    Such a group is worth the sum of w_i (1 + s_pp) - pi_i, so its best members at each
    size are the top ones by that. ``linear`` is w - pi, ``alike`` each person's likeness to
    their own profile. Exact pricing showed that the best group of a context is often such a
    group, while none of its members is among the people with the highest ceilings."""
    singles = singles[np.isfinite(linear[singles])]
    if len(singles) == 0:
        return []
    worth = linear[singles] + place.w[singles] * alike[singles]
    profile = place.profile[singles]
    order = np.lexsort((-worth, profile))
    profile, worth = profile[order], worth[order]
    starts = np.flatnonzero(np.concatenate([[True], profile[1:] != profile[:-1]]))
    lengths = np.diff(np.append(starts, len(profile)))
    rank = np.arange(len(profile)) - np.repeat(starts, lengths)
    sums = np.cumsum(worth)
    before = np.repeat(np.concatenate([[0.0], sums[starts[1:] - 1]]), lengths)
    totals = np.where((rank >= place.low - 1) & (rank < place.high), sums - before, -math.inf)
    best = np.maximum.reduceat(totals, starts)
    out: list[tuple[float, list[int]]] = []
    for t in np.argsort(-best, kind="stable")[:SEEDS].tolist():
        if not math.isfinite(best[t]):
            break
        end = starts[t] + int(np.argmax(totals[starts[t] : starts[t] + lengths[t]])) + 1
        out.append((float(best[t]), singles[order[starts[t] : end]].tolist()))
    return out


def undominated(place: Place, pi: np.ndarray, n: int) -> np.ndarray:
    """Who can be in a best group of size n: person j is dropped when n people of j's profile
    (neither pinned nor never-together with anyone) are worth at least as much (w >= w_j) and
    cost at most as much (pi <= pi_j), ties broken by position. Swapping j for one of them
    who is not in the group keeps every likeness and never lowers the reduced cost, so some
    best group avoids every dropped person."""
    keep = np.isfinite(pi)
    for value in np.unique(place.profile):
        members = np.flatnonzero((place.profile == value) & ~place.special & keep)
        if len(members) <= n:
            continue
        w, p = place.w[members], pi[members]
        at_least = (w[:, None] >= w[None, :]) & (p[:, None] <= p[None, :])
        better = (w[:, None] > w[None, :]) | (p[:, None] < p[None, :])
        tie = (w[:, None] == w[None, :]) & (p[:, None] == p[None, :])
        earlier = members[:, None] < members[None, :]
        dominators = (at_least & (better | (tie & earlier))).sum(axis=0)
        keep[members[dominators >= n]] = False
    return keep


def size_ceiling(place: Place, pi: np.ndarray, mu: float, need: int, n: int) -> float:
    """A ceiling on the reduced cost of any group of size n here: the n best of
    w_k (1 + mean of k's n - 1 highest likenesses) - pi_k."""
    t = place.w * (1.0 + place.mates[n]) - pi
    if len(t) < n:
        return -math.inf
    return float(np.sort(t)[-n:].sum()) - need * mu


def exact_pricing(
    index: Index, place: Place, pi: np.ndarray, mu: float, deadline: float, seed: int
) -> tuple[float, tuple[int, ...] | None]:
    """CP-SAT pricing: (proven upper bound on the best reduced cost, best group or None).

    One model per group size n whose ceiling (``size_ceiling``) is positive, over the people
    ``undominated`` leaves: maximise (n - 1) * sum (w_i - pi_i) x_i + sum over pairs of
    (w_i + w_j) s_ij p_ij with p_ij <= x_i, x_j and, since a member has n - 1 mates,
    sum_j p_ij <= (n - 1) x_i (the cut that makes the model prove fast). Coefficients are
    rounded up, so the proven bound is a bound on the true reduced cost too.
    """
    need = index.problem.rules.leaders_per_group
    span = index.problem.rules.max_age_span
    sim = index.sim
    bound = -math.inf
    best: tuple[float, tuple[int, ...] | None] = (-math.inf, None)
    sizes = range(place.low, min(place.high, len(place.people)) + 1)
    ceilings = {n: size_ceiling(place, pi, mu, need, n) for n in sizes}
    for n in sorted(sizes, key=lambda n: -ceilings[n]):
        ceiling = ceilings[n]
        if ceiling <= EPSILON:
            bound = max(bound, ceiling)
            continue
        begin = clock.now()
        left = deadline - begin
        if left <= 0.01:
            return math.inf, None
        chosen_ones = [int(k) for k in np.flatnonzero(undominated(place, pi, n))]
        if len(chosen_ones) > EXACT_PRICING_PEOPLE:
            return math.inf, None
        model = cp_model.CpModel()
        x = {k: model.new_bool_var("") for k in chosen_ones}
        model.add(sum(x.values()) == n)
        terms: list[cp_model.LinearExprT] = []
        incident: dict[int, list[cp_model.IntVar]] = {k: [] for k in chosen_ones}
        for a, k in enumerate(chosen_ones):
            terms.append(math.ceil((n - 1) * (place.w[k] - pi[k]) * PRICING_SCALE) * x[k])
            for other in place.forbidden[k]:
                if other > k and other in x:
                    model.add(x[k] + x[other] <= 1)
            row = sim[int(place.profile[k])]
            for j in chosen_ones[a + 1 :]:
                if span is not None and abs(int(place.age[k]) - int(place.age[j])) > span:
                    model.add(x[k] + x[j] <= 1)
                    continue
                value = row[int(place.profile[j])]
                if value <= 0:
                    continue
                p = model.new_bool_var("")
                model.add(p <= x[k])
                model.add(p <= x[j])
                incident[k].append(p)
                incident[j].append(p)
                terms.append(math.ceil((place.w[k] + place.w[j]) * value * PRICING_SCALE) * p)
        for k in chosen_ones:
            if len(incident[k]) > n - 1:
                model.add(sum(incident[k]) <= (n - 1) * x[k])
            for other in index.blocks[index.block_of[int(place.people[k])]]:
                mate = place.local.get(other)
                if mate is None or mate not in x:
                    model.add(x[k] == 0)
                elif mate > k:
                    model.add(x[k] == x[mate])
        # Only improving groups are wanted: proving that none exists is faster than optimising.
        model.add(sum(terms) >= math.floor((n - 1) * (need * mu + EPSILON) * PRICING_SCALE))
        model.maximize(sum(terms))
        solver, _, failed = run_solver(model, seed, 1, left, begin, presolve=False)
        if failed is not None:
            if failed.infeasible:
                bound = max(bound, EPSILON)
                continue
            return math.inf, None
        scale = (n - 1) * PRICING_SCALE
        bound = max(bound, min(ceiling, solver.best_objective_bound / scale - need * mu))
        chosen = [k for k in chosen_ones if solver.value(x[k])]
        members = tuple(sorted(int(place.people[k]) for k in chosen))
        reduced = index.value(list(members)) - float(pi[chosen].sum()) - need * mu
        if reduced > best[0]:
            best = (reduced, members)
    return bound, best[1] if best[0] > EPSILON else None


@dataclass
class Certificate:
    """A context's proven ceiling on the best reduced cost at earlier duals. When the duals
    move, a group's reduced cost rises by at most what its members' prices fell plus what the
    context's leader price fell, so the ceiling carries over without pricing again."""

    bound: float
    pi: np.ndarray
    mu: float

    def at(self, place: Place, pi: np.ndarray, mu: float, need: int) -> float:
        fell = np.sort(np.clip(self.pi - pi, 0.0, None))[-place.high :]
        return self.bound + float(fell.sum()) + need * max(0.0, self.mu - mu)


@dataclass
class Priced:
    """One round's duals with every context's ceiling, as the Lagrangian bound read them."""

    pi: np.ndarray  # net of the floors' prices
    rho: dict[tuple[int, int], float]
    ceilings: dict[Context, float]
    base: float  # the bound without the ceilings
    mu: dict[Context, float] = field(default_factory=dict)
    # Where exact pricing ran at these duals: its proven ceiling (with mu) and the best
    # improving group, if any (``finish.finish_bound``).
    found: dict[Context, tuple[float, tuple[int, ...] | None]] = field(default_factory=dict)

    def copy(self) -> Priced:
        return Priced(self.pi, self.rho, dict(self.ceilings), self.base, self.mu, dict(self.found))

    @property
    def bound(self) -> float:
        # Weak duality holds for any duals >= 0; the margin only covers rounding.
        return (self.base + sum(self.ceilings.values())) * (1 + 1e-9) + 1e-9


@dataclass
class Generated:
    master: Master
    places: list[Place]
    bound: float  # proven upper bound on the objective of the free people
    lp_value: float
    rounds: int
    reduced: np.ndarray = field(default_factory=lambda: np.zeros(0))  # at the last duals
    last: Priced | None = None  # the last round every context was priced in

    @property
    def last_bound(self) -> float:
        return self.last.bound if self.last is not None else math.inf

    @property
    def columns(self) -> list[Column]:
        return self.master.columns


def price(
    index: Index,
    master: Master,
    places: list[Place],
    pi: np.ndarray,
    mu: dict[Context, float],
    rho: dict[tuple[int, int], float],
    sim: np.ndarray,
    deadline: float,
) -> tuple[int, dict[Context, float], list[Place]]:
    """One greedy pricing round over every context: columns added, each context's
    ``context_ceiling`` from the person ceilings alone, and the contexts where a group may
    still improve the LP (``improvable``), for exact pricing."""
    need = index.problem.rules.leaders_per_group
    added = 0
    ceilings: dict[Context, float] = {}
    pending: list[Place] = []
    for place in places:
        local_pi = pi[place.people]
        here = mu.get(place.context, 0.0)
        for _, members in greedy_pricing(index, place, local_pi, here, sim)[:PER_CONTEXT]:
            added += master.add((place.context, members))
        ceilings[place.context] = context_ceiling(place, local_pi, rho, math.inf, need)
        if improvable(place, local_pi, here, need):
            pending.append(place)
        if clock.now() > deadline:
            break
    return added, ceilings, pending


def dive(
    index: Index, generated: Generated, floors: Sequence[Floor], deadline: float
) -> list[Column] | None:
    """Integer columns by diving: fix the columns the LP likes most together with the leaders
    who lead them, price again, repeat until every column the LP uses is fixed. Fixing the
    leaders matters: the LP may share a leader between two contexts at one slot, and groups
    taken without their leaders could not all be seated. None when the LP with the floors has
    no solution."""
    master = generated.master
    need = master.need
    sim = np.array(index.sim, dtype=float)
    master.add_floors(floors)
    fixed: set[int] = set()
    busy: set[tuple[int, int]] = set()  # (leader, slot) fixed to lead somewhere
    banned = np.zeros(len(index.people), dtype=bool)
    while clock.now() < deadline:
        if not master.solve(deadline):
            if clock.now() < deadline - 0.1 and not fixed:
                return None  # not for lack of time: the floors cannot be met
            break
        values = [x.solution_value() for x in master.variables]
        open_ = [(v, k) for k, v in enumerate(values) if k not in fixed and v > EPSILON]
        if not open_:
            break
        # Read before any bound changes: they void the solution.
        lead = {
            context: [(a.solution_value(), leader, a) for leader, a in pairs]
            for context, pairs in master.assign.items()
        }
        # The columns the LP likes most that share nobody (every whole one), the best at least.
        choice: list[int] = []
        taken: set[int] = set()
        # At least a quarter of the open columns per round keeps the rounds few.
        least = max(1, len(open_) // DIVE_SHARE)
        for v, k in sorted(open_, reverse=True):
            members = master.columns[k][1]
            if taken.intersection(members) or (len(choice) >= least and v < 0.6):
                continue
            context = master.columns[k][0]
            leaders = _free_leaders(lead.get(context, []), context[1], busy, need)
            if leaders is None:
                master.variables[k].SetUb(0.0)  # nobody is left to lead it
                continue
            choice.append(k)
            taken.update(members)
            for leader, a in leaders:
                a.SetLb(1.0)
                busy.add((leader, context[1]))
            master.variables[k].SetLb(1.0)
        fixed.update(choice)
        for k in choice:
            banned[list(master.columns[k][1])] = True
        # Fixing bounds keeps the basis dual feasible, adding columns keeps it primal
        # feasible: each re-solve takes the simplex that starts from where the last one ended.
        master.solver.SetSolverSpecificParametersAsString(DUAL)
        solved = master.solve(deadline)
        master.solver.SetSolverSpecificParametersAsString(PRIMAL)
        if not solved:
            break
        pi, mu, rho = master.duals()
        pi = pi - master.floor_prices()
        pi[banned] = math.inf
        price(index, master, generated.places, pi, mu, rho, sim, deadline)
    return [master.columns[k] for k in sorted(fixed)]


def _free_leaders(
    lead: list[tuple[float, int, pywraplp.Variable]],
    slot: int,
    busy: set[tuple[int, int]],
    need: int,
) -> list[tuple[int, pywraplp.Variable]] | None:
    """``need`` of a context's leaders not yet fixed at its slot, those the LP gives most of
    themselves to it first; None when there are not enough."""
    pairs = [p for p in lead if (p[1], slot) not in busy]
    if len(pairs) < need:
        return None
    pairs.sort(key=lambda p: (-p[0], p[1]))
    return [(leader, a) for _, leader, a in pairs[:need]]


def generate(
    index: Index,
    start: list[Column],
    deadline: float,
    seed: int,
    on_bound: Callable[[float], None] | None = None,
    workers: int = 1,
    smooth: bool | None = None,
) -> Generated:
    """Column generation from the ``start`` columns until no column improves or time is up.

    The bound holds for every valid answer, fair or not (the floors join in ``dive``).
    Greedy pricing runs every round; when it finds nothing,
    exact pricing runs where the context's certificate no longer proves that nothing improves,
    on ``workers`` threads (CP-SAT releases the interpreter while it solves). ``smooth``:
    greedy pricing at smoothed prices, by default for pools of more than ``SMOOTHING_FROM``."""
    sim = np.array(index.sim, dtype=float)
    places = build_places(index)
    master = Master(index)
    for column in start:
        master.add(column)
    certificates: dict[Context, Certificate] = {}
    last: Priced | None = None
    best_bound = math.inf
    rounds = 0
    centre: np.ndarray | None = None  # the person prices averaged over the rounds
    if smooth is None:
        smooth = len(index.people) > SMOOTHING_FROM
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while clock.now() < deadline:
            rounds += 1
            if not master.solve(deadline):
                break
            pi, mu, rho = master.duals()
            pi = pi - master.floor_prices()
            # Greedy pricing at smoothed person prices first (decision 0138): the master's
            # duals swing from round to round, and groups priced between them and the
            # average of earlier rounds bring the LP up in about half the rounds. Where
            # that finds nothing, pricing at the master's own duals, as before. Small pools
            # converge in their time anyway, and their answers were better without it.
            # The prices of the first round are the master's own.
            priced_at = pi
            if smooth:
                centre = pi if centre is None else SMOOTHING * centre + (1 - SMOOTHING) * pi
                priced_at = centre
            added, ceilings, pending = price(
                index, master, places, priced_at, mu, rho, sim, deadline
            )
            if added == 0 and priced_at is not pi:
                priced_at = pi
                added, ceilings, pending = price(index, master, places, pi, mu, rho, sim, deadline)
            found: dict[Context, tuple[float, tuple[int, ...] | None]] = {}
            if added == 0:
                exact = _price_exactly(
                    index,
                    pending,
                    (pi, mu, rho),
                    ceilings,
                    certificates,
                    deadline,
                    seed,
                    pool,
                    found,
                )
                added = sum(master.add(column) for column in exact)
            if len(ceilings) == len(places):
                # The Lagrangian bound holds at any prices >= 0: those the ceilings were
                # priced at.
                base = lagrangian_base(priced_at, rho, master)
                last = Priced(priced_at, rho, ceilings, base, mu, found)
                bound = last.bound
                if bound < best_bound:
                    best_bound = bound
                    if on_bound is not None:
                        on_bound(bound)
            # Near enough: the master's LP and the bound are within CONVERGED of each other,
            # and the time left goes to the answer (decision 0130).
            if added == 0 or best_bound <= master.value * (1 + CONVERGED):
                break
    generated = Generated(master, places, best_bound, master.value, rounds)
    if last is not None:
        generated.last = last
        padded = np.append(last.pi, 0.0)
        floor = {c: leader_floor(index, c, last.rho) for c in {c for c, _ in master.columns}}
        generated.reduced = np.array(
            [
                index.value(list(members)) - float(padded[list(members)].sum()) - floor[context]
                for context, members in master.columns
            ]
        )
    return generated


def filter_columns(generated: Generated, known: float) -> list[Column]:
    """The generated columns that can be in an answer better than ``known``: with the
    Lagrangian bound U at some duals, value(x) <= U + r(g) for each group g of x, where
    r(g) = v(g) - pi(g) - (the ``leader_floor`` of g's context): the context's other groups
    and their leaders add at most its ceiling, which U already counts, and g's leaders cost at
    least the floor. So a group with r(g) below known - U is in no better answer. All columns
    without a bound."""
    columns = generated.master.columns
    if not math.isfinite(generated.last_bound) or len(generated.reduced) != len(columns):
        return list(columns)
    floor = known - generated.last_bound - 1e-4
    return [c for c, r in zip(columns, generated.reduced, strict=True) if r >= floor]


def _price_exactly(
    index: Index,
    pending: list[Place],
    duals: tuple[np.ndarray, dict[Context, float], dict[tuple[int, int], float]],
    ceilings: dict[Context, float],
    certificates: dict[Context, Certificate],
    deadline: float,
    seed: int,
    pool: ThreadPoolExecutor | None,
    found: dict[Context, tuple[float, tuple[int, ...] | None]],
) -> list[Column]:
    """Exact pricing where greedy pricing found nothing: tightens ``ceilings`` and returns
    the improving columns it finds; ``found`` gets each context it proves, with its proven
    ceiling and best improving group."""
    pi, mu, rho = duals
    need = index.problem.rules.leaders_per_group

    def tighten(place: Place, best: float) -> None:
        """``best`` bounds the best reduced cost here (with the context's price mu)."""
        here = mu.get(place.context, 0.0)
        ceiling = context_ceiling(place, pi[place.people], rho, best + need * here, need)
        ceilings[place.context] = min(ceilings[place.context], ceiling)

    todo: list[Place] = []
    for place in pending:
        here = mu.get(place.context, 0.0)
        certificate = certificates.get(place.context)
        if certificate is not None:
            carried = certificate.at(place, pi[place.people], here, need)
            tighten(place, carried)
            if carried <= EPSILON:
                found[place.context] = (carried, None)
                continue
        todo.append(place)
    todo.sort(key=lambda place: -ceilings[place.context])

    def one(place: Place) -> tuple[float, tuple[int, ...] | None]:
        if clock.now() > deadline:
            return math.inf, None
        local_pi = pi[place.people]
        here = mu.get(place.context, 0.0)
        return exact_pricing(index, place, local_pi, here, min(deadline, clock.now() + 2.0), seed)

    columns: list[Column] = []
    results = pool.map(one, todo) if pool is not None else map(one, todo)
    for place, (proven, priced) in zip(todo, results, strict=True):
        if math.isfinite(proven):
            here = mu.get(place.context, 0.0)
            certificates[place.context] = Certificate(proven, pi[place.people].copy(), here)
            tighten(place, proven)
            found[place.context] = (proven, priced)
        if priced is not None:
            columns.append((place.context, priced))
    return columns


def leader_floor(index: Index, context: Context, rho: dict[tuple[int, int], float]) -> float:
    """What the ``need`` cheapest leaders free in ``context`` cost at leader prices ``rho``."""
    need = index.problem.rules.leaders_per_group
    slot = context[1]
    prices = sorted(
        rho.get((leader, slot), 0.0)
        for leader in index.pool_leaders.get(context[0], [])
        if index.leader_free[leader] >> slot & 1
    )
    return float(sum(prices[:need]))


def lagrangian_base(pi: np.ndarray, rho: dict[tuple[int, int], float], master: Master) -> float:
    """The bound of the module docstring without the contexts' ceilings; ``pi`` already net
    of the floors' prices, which then owe their minimums: a floor's price lambda >= 0 adds
    lambda * (placed - minimum) >= 0 for any fair assignment."""
    total = float((pi + master.floor_prices()).sum()) + sum(rho.values())
    return total - master.floor_debt()


def lagrangian_bound(
    pi: np.ndarray,
    rho: dict[tuple[int, int], float],
    master: Master,
    ceilings: dict[Context, float],
) -> float:
    """The bound of the module docstring; ``ceilings`` holds ``context_ceiling`` of every
    context where a group can meet."""
    return Priced(pi, rho, ceilings, lagrangian_base(pi, rho, master)).bound
