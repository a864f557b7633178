"""Failure injection (per method, consumed in order) and Slack's per-channel posting rate limit.

Two plans: failures answered instead of carrying the call out (`Failure`), and faults that
come after Slack carried it out (`AfterFault`: the message or channel exists, the answer is
a 5xx, a dropped connection or a late answer).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """One injected answer: ``kind`` is ``error`` (HTTP 200, ok=false), ``ratelimit`` (429) or ``http``."""

    kind: str
    error: str = "internal_error"
    extra: dict[str, Any] = field(default_factory=dict)
    retry_after: int = 1
    status: int = 200

    def response(self) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(HTTP status, JSON body, extra headers)."""
        if self.kind == "ratelimit":
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self.retry_after)}
        if self.kind == "http":
            return self.status, {"ok": False, "error": f"http_{self.status}"}, {}
        return 200, {"ok": False, "error": self.error, **self.extra}, {}


@dataclass(frozen=True)
class AfterFault:
    """After the call was carried out: ``http`` (answer ``status``), ``reset`` (drop the
    connection, no answer) or ``slow`` (answer normally after ``delay`` seconds)."""

    kind: str
    status: int = 500
    delay: float = 0.0


class FailurePlan(Generic[T]):
    def __init__(self) -> None:
        self._queues: dict[str, deque[T]] = {}

    def add(self, method: str, failure: T, times: int = 1) -> None:
        self._queues.setdefault(method, deque()).extend([failure] * max(times, 0))

    def consume(self, method: str) -> T | None:
        queue = self._queues.get(method)
        return queue.popleft() if queue else None

    def clear(self) -> None:
        self._queues.clear()

    def pending(self, method: str) -> int:
        return len(self._queues.get(method, ()))


class PostRateLimiter:
    """At most ``per_second`` chat.postMessage calls per channel; beyond that, a Retry-After in seconds."""

    def __init__(self) -> None:
        self.per_second: float | None = None
        self._last: dict[str, float] = {}

    def configure(self, per_second: float | None) -> None:
        if per_second is not None and per_second <= 0:
            raise ValueError("per_channel_per_second must be positive (or None to turn the limit off)")
        self.per_second = per_second
        self._last.clear()

    def retry_after(self, channel: str) -> int | None:
        """None when the post may go through (and it is counted), else the seconds to wait."""
        if self.per_second is None:
            return None
        now = time.monotonic()
        interval = 1.0 / self.per_second
        last = self._last.get(channel)
        if last is not None and now - last < interval:
            return max(1, math.ceil(interval - (now - last)))
        self._last[channel] = now
        return None


class Hold:
    """A call Slack has carried out but whose answer is still on its way (see `hold_next`)."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()  # the call was processed (e.g. the message is in the channel)
        self.released = asyncio.Event()  # set by the test: the answer goes out

    def release(self) -> None:
        self.released.set()


class HoldPlan:
    def __init__(self) -> None:
        self._holds: dict[str, deque[Hold]] = {}

    def add(self, method: str) -> Hold:
        hold = Hold()
        self._holds.setdefault(method, deque()).append(hold)
        return hold

    def take(self, method: str) -> Hold | None:
        queue = self._holds.get(method)
        return queue.popleft() if queue else None

    def release_all(self) -> None:
        for queue in self._holds.values():
            for hold in queue:
                hold.release()
        self._holds.clear()
