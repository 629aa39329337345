"""The engine's one clock, so that tests can replace it and time limits can be tested
without reading the wall clock."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from .model import Progress

now: Callable[[], float] = time.monotonic


class Reporter:
    """Passes progress to the caller's callback when the objective or the bound improves,
    at most every ``interval`` seconds (the last report is always passed by ``finish``)."""

    def __init__(
        self, callback: Callable[[Progress], None] | None, started: float, interval: float = 0.5
    ) -> None:
        self.callback = callback
        self.started = started
        self.interval = interval
        self.best = -math.inf
        self.bound = math.inf
        self.last = -math.inf
        self.pending = False

    def update(self, objective: float | None = None, bound: float | None = None) -> None:
        if objective is not None and objective > self.best + 1e-9:
            self.best = objective
            self.pending = True
        if bound is not None and bound < self.bound - 1e-9:
            self.bound = bound
            self.pending = True
        if self.callback is None or not self.pending:
            return
        moment = now()
        if moment - self.last >= self.interval and math.isfinite(self.bound):
            self.last = moment
            self.pending = False
            self.callback(Progress(max(self.best, 0.0), self.bound, moment - self.started))

    def tick(self) -> None:
        """Pass the same figures again with the time searched so far, at most every
        ``interval`` seconds: work that does not improve them yet (the parts of a large pool)
        still shows that the search goes on."""
        moment = now()
        if self.callback is None or not math.isfinite(self.bound):
            return
        if moment - self.last >= self.interval:
            self.last = moment
            self.pending = False
            self.callback(Progress(max(self.best, 0.0), self.bound, moment - self.started))

    def finish(self, objective: float, bound: float) -> None:
        if self.callback is not None:
            self.callback(Progress(objective, bound, now() - self.started))
