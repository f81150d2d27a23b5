"""What each step of the push pipeline costs: wall and CPU seconds summed per step in this process.

Always on (four clock reads per step); bench/sync_bench.py resets it, pushes, and prints the
split, so a speed-up can be aimed at the step that costs most. CPU time is this thread's, so it
is not inflated by other processes competing for the cores.
"""

from __future__ import annotations

import time
from collections import Counter

SECONDS: Counter = Counter()
CPU_SECONDS: Counter = Counter()


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.thread_time()


def add(step: str, started: tuple[float, float]) -> tuple[float, float]:
    """Add the time since `started` to `step`; returns now (the next step's start)."""
    now = clock()
    SECONDS[step] += now[0] - started[0]
    CPU_SECONDS[step] += now[1] - started[1]
    return now


def reset() -> None:
    SECONDS.clear()
    CPU_SECONDS.clear()
