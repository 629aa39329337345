"""Explanations: what a group's members share, and why a person stays on the list.

Reasons for people left out are checked from the most basic to the most specific, so the code
names the first thing that stood in the way: the offer's gender rule, format, area, language,
a slot shared with enough others, leaders, pins, age span, never-together pairs, then (when a
group was possible in principle) full groups, busy leaders, or too few alike people.
"""

from __future__ import annotations

from collections import Counter

from .heuristic import State
from .index import Context, Index
from .model import DIGITAL, IN_PERSON, GroupExplanation, LeftOut, Person, Problem, Reason
from .rules import group_value, likeness, outside_target, slot_name, wait_weight


def explain_group(
    members: list[Person], slot: int, language: str, fmt: str, area: str | None, problem: Problem
) -> GroupExplanation:
    def shared(values: list[str]) -> str | None:
        return values[0] if values and all(v == values[0] for v in values) else None

    condition = shared([p.condition for p in members])
    relation = shared([p.relation for p in members])
    age_band = shared([p.age_band for p in members])
    total_w = sum(wait_weight(p.days_waiting) for p in members)
    # The unweighted mean of the members' h.
    mean_h = 0.0
    if len(members) > 1:
        hs = [
            sum(likeness(me, other, problem) for j, other in enumerate(members) if j != i)
            / (len(members) - 1)
            for i, me in enumerate(members)
        ]
        mean_h = sum(hs) / len(hs)
    parts = [slot_name(slot), fmt.replace("_", " "), f"language {language}"]
    if area is not None:
        parts.append(f"area {area}")
    for label, same in (("condition", condition), ("relation", relation), ("age", age_band)):
        if same is not None:
            parts.append(f"same {label}: {same}")
    value = group_value(members, problem)
    parts.append(f"mean likeness {mean_h:.2f}, value {value:.2f} (weights {total_w:.2f})")
    return GroupExplanation(
        slot, language, fmt, area, condition, relation, age_band, mean_h, "; ".join(parts)
    )


def explain_left_out(index: Index, state: State) -> list[LeftOut]:
    problem = index.problem
    rules = problem.rules
    people = {p.id: p for p in problem.people}
    raw: Counter[Context] = Counter()
    for contexts in index.person_contexts:
        raw.update(contexts)
    pool_people: Counter[tuple[str, str | None, str]] = Counter()
    for contexts in index.person_contexts:
        pool_people.update({pool for pool, _ in contexts})
    groups_at: dict[Context, list[int]] = {}
    for k, g in enumerate(state.groups):
        groups_at.setdefault(g.context, []).append(k)

    out: list[LeftOut] = []
    for i, pid in enumerate(index.people):
        if state.where[i] >= 0:
            continue
        p = people[pid]
        contexts = index.person_contexts[i]
        pools = {pool for pool, _ in contexts}

        def low_of(context: Context) -> int:
            return index.bounds(context[0])[0]

        def left(code: Reason, detail: str, pid: str = pid) -> None:
            out.append(LeftOut(pid, code, detail))

        if rules.gender is not None and p.gender != rules.gender:
            left(Reason.GENDER, f"the offer is for {rules.gender} only")
            continue
        outside = outside_target(p, problem)
        if outside is not None:
            left(Reason.TARGET_GROUP, outside)
            continue
        formats = {f for f in (IN_PERSON, DIGITAL) if f in rules.formats}
        if not any(p.format in ("both", f) for f in formats):
            left(Reason.FORMAT, "the offer does not run groups in the format this person accepts")
            continue
        if not pools:
            if p.format == IN_PERSON and p.area is None:
                left(Reason.AREA, "in person only, but no home area is recorded")
            else:
                left(Reason.NO_SHARED_SLOT, "no availability or no language recorded")
            continue
        if all(pool_people[pool] < rules.size_bounds(pool[0])[0] for pool in pools):
            if all(pool[0] == IN_PERSON for pool in pools):
                left(Reason.AREA, "too few people in the same area speak a common language")
            else:
                left(Reason.LANGUAGE, "too few people share a language and format")
            continue
        if all(raw[c] < low_of(c) for c in contexts):
            left(Reason.NO_SHARED_SLOT, "no slot is shared with enough others")
            continue
        possible = [c for c in contexts if raw[c] >= low_of(c)]
        if not any(c in index.context_people for c in possible):
            left(Reason.NO_LEADERS, "no two leaders are free at the slots shared with others")
            continue
        block = index.blocks[index.block_of[i]]
        own = index.block_contexts[index.block_of[i]]
        if not own:
            left(Reason.PINNED, "the people pinned together with this person share no group")
            continue
        if rules.max_age_span is not None and all(
            sum(
                1
                for j in index.context_people[c]
                if abs(index.age[j] - index.age[i]) <= rules.max_age_span
            )
            < low_of(c)
            for c in own
        ):
            left(Reason.AGE_SPAN, "too few others within the allowed age span")
            continue
        if index.forbidden[i] and all(
            sum(1 for j in index.context_people[c] if j not in index.forbidden[i]) < low_of(c)
            for c in own
        ):
            left(Reason.NEVER_TOGETHER, "the others who could meet are never-together pairs")
            continue
        reachable = [k for c in own for k in groups_at.get(c, [])]
        with_room = [
            k
            for k in reachable
            if len(state.groups[k].members) + len(block)
            <= index.bounds(state.groups[k].context[0])[1]
        ]
        if reachable and not with_room:
            left(Reason.SIZE, "every group this person could join is full")
            continue
        if not with_room and not any(
            len(index.leaders_for(c, state.busy)) >= rules.leaders_per_group for c in own
        ):
            left(Reason.NO_LEADERS, "the leaders free at this person's slots lead other groups")
            continue
        if not with_room:
            left(Reason.SIZE, "too few people are left at this person's slots to start a group")
            continue
        left(
            Reason.TOO_FEW_ALIKE,
            "joining a group with room would lower its likeness more than it adds",
        )
    return out
