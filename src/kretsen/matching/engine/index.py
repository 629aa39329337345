"""Integer-indexed view of a problem that the heuristics and the CP-SAT model share.

People in locked groups are removed, and so are their leaders' slots. A *pool* is
(format, area, language): area is the home area for in-person groups and None for digital
ones (digital groups mix areas). A *context* is a pool at one slot: the place where one
group can meet. Pins together are contracted into *blocks* that are always moved as a unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import DIGITAL, IN_PERSON, Problem
from .rules import (
    Profile,
    accepts,
    age_step,
    forbidden_pairs,
    leader_serves,
    outside_target,
    profile_likeness,
    wait_weight,
)
from .rules import profile as profile_of

Pool = tuple[str, str | None, str]  # format, area, language
Context = tuple[Pool, int]  # pool, slot


@dataclass
class Index:
    problem: Problem
    people: list[str]
    w: list[float]
    weight_int: list[int]  # 365 * w_i, exact integers
    profile: list[int]
    sim: list[list[float]]  # profile x profile likeness
    sim_int: list[list[int]]  # the same in hundredths (exact for the default weights)
    age: list[int]
    forbidden: list[set[int]]
    block_of: list[int]
    blocks: list[list[int]]
    person_contexts: list[set[Context]]
    leader_ids: list[str]
    leader_free: list[int]  # availability minus slots used by locked groups
    pool_leaders: dict[Pool, list[int]]
    context_people: dict[Context, list[int]] = field(default_factory=dict)
    block_contexts: list[list[Context]] = field(default_factory=list)

    def s(self, i: int, j: int) -> float:
        return self.sim[self.profile[i]][self.profile[j]]

    def bounds(self, pool: Pool) -> tuple[int, int]:
        return self.problem.rules.size_bounds(pool[0])

    def value(self, members: list[int]) -> float:
        """Objective contribution of a group of these people."""
        n = len(members)
        total = sum(self.w[i] for i in members)
        if n < 2:
            return total
        pairs = 0.0
        for a in range(n):
            i = members[a]
            pi = self.sim[self.profile[i]]
            wi = self.w[i]
            for b in range(a + 1, n):
                j = members[b]
                pairs += (wi + self.w[j]) * pi[self.profile[j]]
        return total + pairs / (n - 1)

    def compatible(self, members: list[int], newcomers: list[int]) -> bool:
        """Never-together and age span between ``newcomers`` and ``members`` (and inside)."""
        span = self.problem.rules.max_age_span
        everyone = members + newcomers
        for k in newcomers:
            bad = self.forbidden[k]
            if any(m in bad for m in everyone if m != k):
                return False
        if span is not None:
            ages = [self.age[i] for i in everyone]
            if max(ages) - min(ages) > span:
                return False
        return True

    def leaders_for(self, context: Context, busy: list[int]) -> list[int]:
        bit = 1 << context[1]
        return [
            leader
            for leader in self.pool_leaders.get(context[0], [])
            if self.leader_free[leader] & bit and not busy[leader] & bit
        ]


def build_index(problem: Problem) -> Index:
    rules = problem.rules
    locked_people = {m for g in problem.locked for m in g.members}
    people = [p for p in problem.people if p.id not in locked_people]
    ids = [p.id for p in people]
    pos = {pid: k for k, pid in enumerate(ids)}

    profiles: dict[Profile, int] = {}
    profile = [profiles.setdefault(profile_of(p), len(profiles)) for p in people]
    keys = list(profiles)
    sim = [[profile_likeness(a, b, rules.weights) for b in keys] for a in keys]
    sim_int = [[round(100 * v) for v in row] for row in sim]

    forbidden: list[set[int]] = [set() for _ in people]
    for a, b in forbidden_pairs(problem):
        if a in pos and b in pos and a != b:
            forbidden[pos[a]].add(pos[b])
            forbidden[pos[b]].add(pos[a])

    parent = list(range(len(people)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in sorted(problem.together):
        if a in pos and b in pos:
            parent[find(pos[a])] = find(pos[b])
    roots: dict[int, int] = {}
    block_of = [roots.setdefault(find(k), len(roots)) for k in range(len(people))]
    blocks: list[list[int]] = [[] for _ in roots]
    for k, block_number in enumerate(block_of):
        blocks[block_number].append(k)

    person_contexts: list[set[Context]] = []
    for p in people:
        contexts: set[Context] = set()
        if (rules.gender is None or p.gender == rules.gender) and outside_target(
            p, problem
        ) is None:
            for fmt in (IN_PERSON, DIGITAL):
                if fmt not in rules.formats or not accepts(p.format, fmt):
                    continue
                area = p.area if fmt == IN_PERSON else None
                if fmt == IN_PERSON and area is None:
                    continue
                for lang in sorted(p.languages):
                    for slot in range(21):
                        if p.availability >> slot & 1:
                            contexts.add(((fmt, area, lang), slot))
        person_contexts.append(contexts)

    busy_locked: dict[str, int] = defaultdict(int)
    for g in problem.locked:
        for leader_id in g.leaders:
            busy_locked[leader_id] |= 1 << g.slot
    leader_ids = [leader.id for leader in problem.leaders]
    leader_free = [
        leader.availability & ~busy_locked.get(leader.id, 0) & ((1 << 21) - 1)
        for leader in problem.leaders
    ]
    pools = {pool for contexts in person_contexts for pool, _ in contexts}
    pool_leaders: dict[Pool, list[int]] = {}
    for pool in sorted(pools, key=repr):
        fmt, area, lang = pool
        pool_leaders[pool] = [
            k
            for k, leader in enumerate(problem.leaders)
            if leader_serves(leader, fmt, area)
            and (not leader.languages or lang in leader.languages)
            and (
                rules.leader_qualification is None
                or rules.leader_qualification in leader.qualifications
            )
        ]

    index = Index(
        problem=problem,
        people=ids,
        w=[wait_weight(p.days_waiting) for p in people],
        weight_int=[365 + min(max(p.days_waiting, 0), 365) for p in people],
        profile=profile,
        sim=sim,
        sim_int=sim_int,
        age=[age_step(p.age_band) for p in people],
        forbidden=forbidden,
        block_of=block_of,
        blocks=blocks,
        person_contexts=person_contexts,
        leader_ids=leader_ids,
        leader_free=leader_free,
        pool_leaders=pool_leaders,
    )
    context_people: dict[Context, list[int]] = defaultdict(list)
    for k, contexts in enumerate(person_contexts):
        for context in contexts:
            context_people[context].append(k)
    # Keep only places where a group could meet at all: enough people and enough leaders.
    need = rules.leaders_per_group
    for context, members in context_people.items():
        low = rules.size_bounds(context[0][0])[0]
        if len(members) >= low and len(index.leaders_for(context, [0] * len(leader_ids))) >= need:
            index.context_people[context] = members
    # Pinned together with someone in a locked group: only that group would do, and it is
    # closed, so this person cannot be placed in a new one.
    stranded = {
        pos[free]
        for a, b in problem.together
        for free, other in ((a, b), (b, a))
        if free in pos and other in locked_people
    }
    for block in blocks:
        if stranded.intersection(block):
            index.block_contexts.append([])
            continue
        common = set.intersection(*(person_contexts[k] for k in block))
        internal_ok = index.compatible([], block) if len(block) > 1 else True
        index.block_contexts.append(
            sorted((c for c in common if c in index.context_people), key=repr)
            if internal_ok
            else []
        )
    return index
