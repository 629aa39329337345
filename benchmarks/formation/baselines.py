"""The k-means baseline the engine is benchmarked against (valid groups only).

First come, first served lives in the engine (``engine.first_come_first_served``): the app
shows it beside a proposal and the fairness rule is measured against it.
``constrained_kmeans``: size-constrained clustering (``k_means_constrained``) on one-hot
    attributes (condition, relation, age band, languages, format, area, availability), run per
    pool of people who could meet at all, then repaired: each cluster meets at the place that
    keeps most of its members with two free leaders; members without it go back to the list,
    never-together conflicts and clusters below the minimum size are dissolved.
"""

from __future__ import annotations

import math
from collections import defaultdict

from kretsen.matching.engine import Group, Problem, check_group
from kretsen.matching.engine.fairness import group_of
from kretsen.matching.engine.index import Context, Index, build_index


def _commit(
    index: Index, context: Context, members: list[int], busy: list[int], out: list[Group]
) -> bool:
    need = index.problem.rules.leaders_per_group
    free = index.leaders_for(context, busy)
    if len(free) < need:
        return False
    group = group_of(index, context, members, free[:need])
    if check_group(group, index.problem, out):
        return False
    for leader in free[:need]:
        busy[leader] |= 1 << context[1]
    out.append(group)
    return True


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
