"""The parts of a large pool formed in worker processes at once (decision 0135)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import (
    Group,
    Problem,
    Proposal,
    check_proposal,
    fairness,
    first_come_first_served,
    form_groups,
    objective,
    solve,
)


def _a_large_pool(monkeypatch: pytest.MonkeyPatch, workers: int) -> Problem:
    """220 people formed as a large pool: parts of about 60 (the split is made here; the
    processes form what they are given)."""
    monkeypatch.setattr(solve, "COLUMN_GENERATION_LIMIT", 100)
    monkeypatch.setattr(solve, "PART_SIZE", 60)
    return make_pool(220, seed=4, time_limit=8.0, family="regions", num_workers=workers)


def _assert_valid_fair_and_better(problem: Problem, proposal: Proposal) -> None:
    fcfs = first_come_first_served(problem)
    assert check_proposal(list(proposal.groups), problem) == []
    assert proposal.objective > objective(problem, fcfs)
    ours, theirs = fairness(problem, proposal.groups), fairness(problem, fcfs)
    assert ours.placed_share >= theirs.placed_share
    assert ours.longest_waiting_share >= theirs.longest_waiting_share


def _spy_on_parts_formed_here(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The people of every part ``_form_parts`` forms in this process."""
    here: list[list[str]] = []
    form_parts = solve._form_parts

    def spy(
        jobs: Sequence[solve.Part], seconds: float, tick: Callable[[], None] = lambda: None
    ) -> list[Group]:
        here.extend([p.id for p in job.problem.people] for job in jobs)
        return form_parts(jobs, seconds, tick)

    monkeypatch.setattr(solve, "_form_parts", spy)
    return here


def test_with_two_workers_the_parts_are_formed_in_two_other_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With two workers the parts go to two processes, whose groups come back and are
    joined; no part is formed in the engine's own process, and the answer is valid, fair and
    better than first come, first served."""
    problem = _a_large_pool(monkeypatch, workers=2)
    here = _spy_on_parts_formed_here(monkeypatch)
    calls: list[tuple[int, int, int]] = []
    in_processes = solve._parts_in_processes

    def spy(
        jobs: Sequence[solve.Part], workers: int, seconds: float, tick: Callable[[], None]
    ) -> list[Group]:
        groups = in_processes(jobs, workers, seconds, tick)
        calls.append((len(jobs), workers, len(groups)))
        return groups

    monkeypatch.setattr(solve, "_parts_in_processes", spy)
    proposal = form_groups(problem)
    assert len(calls) == 1
    parts, workers, groups = calls[0]
    assert parts >= 3
    assert workers == 2
    assert groups > 0
    assert here == []  # formed by the processes, not here
    _assert_valid_fair_and_better(problem, proposal)


def test_with_one_worker_the_parts_are_formed_one_after_another_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = _a_large_pool(monkeypatch, workers=1)
    here = _spy_on_parts_formed_here(monkeypatch)
    proposal = form_groups(problem)
    assert len(here) >= 3
    _assert_valid_fair_and_better(problem, proposal)


def test_parts_a_process_cannot_form_are_formed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A work item that cannot reach its process (here: a function that cannot be sent to
    another process) fails there; its parts are then formed in the engine's own process in
    the time left, and nobody is lost: every part is formed, and the answer is as good as
    the rule asks."""
    problem = _a_large_pool(monkeypatch, workers=2)
    here = _spy_on_parts_formed_here(monkeypatch)

    def not_sendable(
        jobs: Sequence[solve.Part], seconds: float, started: float, workers: int
    ) -> list[Group]:
        return []

    monkeypatch.setattr(solve, "_lane", not_sendable)
    proposal = form_groups(problem)
    assert len(here) >= 3
    people = [person for part in here for person in part]
    assert len(people) == len(set(people))
    assert len(people) > 0.9 * len(problem.people)
    _assert_valid_fair_and_better(problem, proposal)


def test_the_parts_count_their_floors_from_first_come_first_served_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The warm start polishes a copy of first come, first served's groups: the parts are
    split along, and count their floors from, its groups as they are. (Polished in place,
    they were the warm start's groups, which place more people: stricter floors, and a
    split that changed with the time the polish had.)"""
    problem = _a_large_pool(monkeypatch, workers=1)
    given: list[tuple[Group, ...]] = []
    form = solve._form

    def spy(problem: Problem, progress: object, part: object = None) -> Proposal:
        if part is not None:
            given.append(part[0])  # type: ignore[index]
        return form(problem, progress, part)  # type: ignore[arg-type]

    monkeypatch.setattr(solve, "_form", spy)
    form_groups(problem)
    assert len(given) >= 3
    fcfs = first_come_first_served(problem)
    ours = sorted((g.members, g.leaders, g.slot) for part in given for g in part)
    assert ours == sorted((g.members, g.leaders, g.slot) for g in fcfs)


def _children(pid: int) -> list[int]:
    """Living processes whose parent is ``pid`` (read from ``/proc``)."""
    found = (int(entry) for entry in os.listdir("/proc") if entry.isdigit())
    return [c for c in found if _stat(c)[1] == pid and _living(c)]


def _living(pid: int) -> bool:
    return _stat(pid)[0] not in ("X", "Z")  # neither gone nor a zombie waiting to be reaped


def _stat(pid: int) -> tuple[str, int]:
    """A process's state and parent, or ("X", 0) when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, UnicodeDecodeError):
        return ("X", 0)
    return (fields[0], int(fields[1]))


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads processes from /proc")
def test_the_processes_end_when_the_engine_is_killed_mid_run() -> None:
    """A worker killed while the parts are formed leaves no process behind: each ends within
    seconds of its parent, instead of forming parts to its deadline and then waiting for
    work for ever (as the pool's processes do on their own)."""
    code = textwrap.dedent(
        """
        from benchmarks.formation.synthetic import make_pool
        from kretsen.matching.engine import form_groups, solve

        solve.COLUMN_GENERATION_LIMIT = 100
        solve.PART_SIZE = 60
        form_groups(make_pool(220, seed=4, time_limit=120.0, family="regions", num_workers=2))
        """
    )
    engine = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parents[3])
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while time.monotonic() < deadline and len(children) < 2:
            time.sleep(0.2)
            # The pool's two processes (Python's resource tracker is a third child).
            children = [c for c in _children(engine.pid) if "spawn_main" in _command(c)]
        assert len(children) == 2
        time.sleep(1.0)  # at work on their parts
        assert all(_living(c) for c in children)
    finally:
        engine.kill()
        engine.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_living(c) for c in children):
        time.sleep(0.2)
    assert [c for c in children if _living(c)] == []


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
