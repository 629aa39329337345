"""Jobs that apps above ``core`` add to the scheduler, so that the scheduler (in ``groups``)
never imports them: an app registers a function in its ``AppConfig.ready``.

Daily jobs (``add_daily``): the scheduler calls every one on each round; the function decides
whether its job is due and queues it (claiming it once, so that two schedulers are harmless).
It returns True when it queued something.

Round jobs (``add_each_round``): small sweeps done on each round by the scheduler itself,
safe to run twice at once; the function returns how many things it changed.
"""

from __future__ import annotations

from collections.abc import Callable

Job = Callable[[], bool]

_jobs: dict[str, Job] = {}
_each_round: dict[str, Callable[[], int]] = {}


def add_daily(name: str, job: Job) -> None:
    _jobs[name] = job


def run_due() -> list[str]:
    """Give every daily job its chance; the names of those that queued their work."""
    return [name for name, job in _jobs.items() if job()]


def add_each_round(name: str, job: Callable[[], int]) -> None:
    _each_round[name] = job


def run_rounds() -> list[tuple[str, int]]:
    """Run every round job; the names of those that changed something, and how much."""
    done = [(name, job()) for name, job in _each_round.items()]
    return [(name, count) for name, count in done if count]


def _audit_chain_check() -> bool:
    from kretsen.core.audit_chain import queue_daily_check

    return queue_daily_check()


# Core's own daily job: check the audit trail's hash chains and alert the operators (0105).
add_daily("audit-chain", _audit_chain_check)
