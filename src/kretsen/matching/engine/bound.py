"""A proven upper bound on the objective that is cheap for any pool size.

Relaxation: each person i is scored alone, as if every group could be chosen for i's sake.
In a context (pool at a slot) with minimum group size L, i's h is a mean over at least L - 1
group-mates, and a mean over the k most alike others never rises when k grows; so
h_i <= the mean of the L - 1 highest likenesses to other people eligible in that context
(respecting the age span; never-together pairs and leaders' other groups are relaxed away).
u_i = w_i * (1 + max over i's contexts of that mean), and 0 for people with no possible context.
Capacity: at one slot a leader leads one group, so at most floor(free leaders / 2) groups meet
per slot, each with at most the largest maximum size; the number of people placed is at most
the sum of that over slots, C. The bound is the sum of the C largest u_i. Every step only
drops constraints, so no assignment can beat it; CP-SAT's own bound replaces it when smaller.
"""

from __future__ import annotations

from collections import Counter

from .index import Index


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


def upper_bound(index: Index) -> float:
    ceilings = sorted(person_ceilings(index), reverse=True)
    return sum(ceilings[: capacity(index)])
