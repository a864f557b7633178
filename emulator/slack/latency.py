"""A latency model for the emulators: each answer waits a seeded, random round trip.

`Latency.parse("120ms±40ms", seed=7)` waits a normal draw of mean 120 ms and standard
deviation 40 ms (clipped at zero) before each answer; `"120ms"` alone is a constant delay.
Off (`None`) by default, in the demo, the sandbox and the tests: the emulators answer in
microseconds, while real Slack and the Bot Connector answer in 100–300 ms. The seed makes a
run's draws reproducible (benchmarks/journeys.py). The Teams fake connector uses it too.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import dataclass, field

from aiohttp import web

_SPEC = re.compile(r"\s*(\d+(?:\.\d+)?)\s*ms\s*(?:(?:±|\+-|\+/-)\s*(\d+(?:\.\d+)?)\s*ms)?\s*")


@dataclass
class Latency:
    """A round trip of `mean` ± `spread` seconds (a normal draw, never below zero)."""

    mean: float
    spread: float = 0.0
    seed: int | None = None
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.mean < 0 or self.spread < 0:
            raise ValueError("latency cannot be negative")
        self._random = random.Random(self.seed)

    @classmethod
    def parse(cls, spec: str | Latency | None, seed: int | None = None) -> Latency | None:
        """`"120ms±40ms"`, `"120ms+-40ms"`, `"120ms"`, a `Latency`, or None (off)."""
        if spec is None or isinstance(spec, Latency):
            return spec
        found = _SPEC.fullmatch(spec)
        if found is None:
            raise ValueError(f"latency {spec!r}: write it like 120ms±40ms")
        mean, spread = found.group(1), found.group(2) or "0"
        return cls(float(mean) / 1000, float(spread) / 1000, seed)

    def draw(self) -> float:
        """One round trip in seconds."""
        if not self.spread:
            return self.mean
        return max(0.0, self._random.gauss(self.mean, self.spread))

    async def wait(self) -> None:
        await asyncio.sleep(self.draw())


def middleware(latency: Latency | None, *, skip: tuple[str, ...] = ()):
    """An aiohttp middleware: half the round trip before the handler runs, half after it answers
    (so a call is carried out mid-way, as on a real network). Paths starting with `skip` (a
    WebSocket upgrade) are not delayed; None (off) delays nothing."""

    @web.middleware
    async def delayed(request: web.Request, handler) -> web.StreamResponse:
        if latency is None or request.path.startswith(skip):
            return await handler(request)
        total = latency.draw()
        await asyncio.sleep(total / 2)
        response = await handler(request)
        await asyncio.sleep(total / 2)
        return response

    return delayed
