"""Daily jobs that apps above ``core`` add to the scheduler, so that the scheduler (in
``groups``) never imports them: an app registers a function in its ``AppConfig.ready``.

The scheduler calls every registered function on each round; the function decides whether
its job is due and queues it (claiming it once, so that two schedulers are harmless). It
returns True when it queued something.
"""

from __future__ import annotations

from collections.abc import Callable

Job = Callable[[], bool]

_jobs: dict[str, Job] = {}


def add_daily(name: str, job: Job) -> None:
    _jobs[name] = job


def run_due() -> list[str]:
    """Give every daily job its chance; the names of those that queued their work."""
    return [name for name, job in _jobs.items() if job()]


def _audit_chain_check() -> bool:
    from kretsen.core.audit_chain import queue_daily_check

    return queue_daily_check()


# Core's own daily job: check the audit trail's hash chains and alert the operators (0105).
add_daily("audit-chain", _audit_chain_check)
