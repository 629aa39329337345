"""The engine's one clock, so that tests can replace it and time limits can be tested
without reading the wall clock."""

from __future__ import annotations

import time
from collections.abc import Callable

now: Callable[[], float] = time.monotonic
