"""The two baselines the engine is benchmarked against; both return valid groups only.

(a) ``first_come_first_served``: what a coordinator does by hand with a spreadsheet. Take the
    longest-waiting person still on the list, try their possible meeting places in order, and
    fill a group with the next compatible people in waiting order; if no group reaches the
    minimum size (or no two leaders are free), that person stays on the list.
(b) ``constrained_kmeans``: size-constrained clustering (``k_means_constrained``) on one-hot
    attributes (condition, relation, age band, languages, format, area, availability), run per
    pool of people who could meet at all, then repaired: each cluster meets at the place that
    keeps most of its members with two free leaders; members without it go back to the list,
    never-together conflicts and clusters below the minimum size are dissolved.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .engine import Group, Problem, check_group
from .engine.index import Context, Index, build_index


def _group(index: Index, context: Context, members: list[int], leaders: list[int]) -> Group:
    (fmt, area, language), slot = context
    return Group(
        members=tuple(sorted(index.people[i] for i in members)),
        leaders=tuple(sorted(index.leader_ids[k] for k in leaders)),
        slot=slot,
        language=language,
        format=fmt,
        area=area,
    )


def _free_leaders(index: Index, context: Context, busy: list[int]) -> list[int] | None:
    free = index.leaders_for(context, busy)
    need = index.problem.rules.leaders_per_group
    return free[:need] if len(free) >= need else None


def _commit(
    index: Index, context: Context, members: list[int], busy: list[int], out: list[Group]
) -> bool:
    leaders = _free_leaders(index, context, busy)
    if leaders is None:
        return False
    group = _group(index, context, members, leaders)
    if check_group(group, index.problem, out):
        return False
    for leader in leaders:
        busy[leader] |= 1 << context[1]
    out.append(group)
    return True


def first_come_first_served(problem: Problem) -> list[Group]:
    index = build_index(problem)
    order = sorted(range(len(index.people)), key=lambda i: (-index.w[i], index.people[i]))
    rank = {i: k for k, i in enumerate(order)}
    placed = [False] * len(index.people)
    busy = [0] * len(index.leader_ids)
    out: list[Group] = list(problem.locked)
    for i in order:
        if placed[i]:
            continue
        # A coordinator reads the spreadsheet row: slots in weekday order, first language.
        for context in sorted(index.block_contexts[index.block_of[i]], key=lambda c: (c[1], c[0])):
            low, high = index.bounds(context[0])
            members = [i]
            for j in sorted(index.context_people[context], key=rank.__getitem__):
                if len(members) == high:
                    break
                if placed[j] or j == i or rank[j] < rank[i]:
                    continue
                if index.compatible(members, [j]):
                    members.append(j)
            if len(members) >= low and _commit(index, context, members, busy, out):
                for j in members:
                    placed[j] = True
                break
    return out


def constrained_kmeans(problem: Problem, seed: int = 0) -> list[Group]:
    import numpy as np
    from k_means_constrained import KMeansConstrained

    index = build_index(problem)
    rules = problem.rules
    people = {p.id: p for p in problem.people}
    # Pools of people who could ever meet: by their first possible (format, area, language).
    buckets: dict[object, list[int]] = defaultdict(list)
    for i in range(len(index.people)):
        contexts = index.block_contexts[index.block_of[i]]
        if contexts:
            buckets[min(contexts, key=repr)[0]].append(i)
    vocab: dict[tuple[str, str], int] = {}

    def features(i: int) -> dict[int, float]:
        p = people[index.people[i]]
        values = [
            ("condition", p.condition),
            ("relation", p.relation),
            ("age", p.age_band),
            ("format", p.format),
            ("area", p.area or "-"),
            *(("language", lang) for lang in sorted(p.languages)),
            *(("slot", str(s)) for s in range(21) if p.availability >> s & 1),
        ]
        return {vocab.setdefault(v, len(vocab)): 1.0 for v in values}

    rows = {i: features(i) for members in buckets.values() for i in members}
    busy = [0] * len(index.leader_ids)
    out: list[Group] = list(problem.locked)
    for pool in sorted(buckets, key=repr):
        members = buckets[pool]
        low, high = rules.size_bounds(pool[0])  # type: ignore[index]
        if len(members) < low:
            continue
        matrix = np.zeros((len(members), len(vocab)))
        for r, i in enumerate(members):
            for col, value in rows[i].items():
                matrix[r, col] = value
        clusters = max(1, math.ceil(len(members) / ((low + high) / 2)))
        clusters = min(clusters, len(members) // low)
        if clusters == 1:
            _repair(index, members, busy, out)
            continue
        model = KMeansConstrained(
            n_clusters=clusters,
            size_min=low,
            size_max=min(len(members) - 1, max(high, math.ceil(len(members) / clusters))),
            random_state=seed,
            n_init=1,
            max_iter=20,
        )
        labels = model.fit_predict(matrix)
        for label in sorted(set(labels.tolist())):
            cluster = [members[r] for r in range(len(members)) if labels[r] == label]
            _repair(index, cluster, busy, out)
    return out


def _repair(index: Index, cluster: list[int], busy: list[int], out: list[Group]) -> None:
    """Seat the cluster where most of it can meet; the rest goes back to the list."""
    options: dict[Context, list[int]] = defaultdict(list)
    for i in cluster:
        for context in index.block_contexts[index.block_of[i]]:
            options[context].append(i)
    ranked = sorted(options.items(), key=lambda item: (-len(item[1]), repr(item[0])))
    for context, members in ranked:
        low, high = index.bounds(context[0])
        if len(members) < low:
            break
        kept: list[int] = []
        for i in sorted(members, key=lambda i: -index.w[i]):
            if len(kept) < high and index.compatible(kept, [i]):
                kept.append(i)
        if len(kept) >= low and _commit(index, context, kept, busy, out):
            return
