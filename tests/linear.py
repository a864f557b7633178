"""Linear time without a wall-clock threshold: the same function at n and 8n, compared in one test.

A quadratic scan takes ~64 times longer on 8n characters; a linear one ~8 times. The ratio of the
best of a few runs at each size is compared, so the machine's speed and load cancel out; no absolute
time is asserted. Sizes are chosen so that even the small run takes about a millisecond.
"""

from __future__ import annotations

import time
from collections.abc import Callable

SMALL = 8_000  # characters; the large input is 8 times this (64 KB)
LINEAR_BOUND = 20  # linear is ~8, quadratic ~64
ATTEMPTS = 3  # measurements of the ratio at most; the smallest counts


def _best(function: Callable[[str], object], text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - start)
    return min(times)


def growth(function: Callable[[str], object], unit: str, tail: str = "", small: int = SMALL) -> float:
    """How much longer `function` takes on `unit` repeated to 8×`small` characters than to `small`."""
    short = unit * (small // len(unit)) + tail
    long = unit * (8 * small // len(unit)) + tail
    function(short)  # warm caches (compiled patterns, templates)
    ratios = []
    for _ in range(ATTEMPTS):  # a loaded machine can stall one measurement; a quadratic scan stays ~64
        ratios.append(_best(function, long, 5) / max(_best(function, short, 5), 1e-6))
        if ratios[-1] < LINEAR_BOUND:
            break
    return min(ratios)
