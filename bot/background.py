"""Background work the app starts after answering a request, tracked so none is lost silently.

Every task is logged with context when it fails, counted in metrics, and awaited on
shutdown (up to a grace period) instead of being cancelled mid-way.

`capacity` caps the work accepted from outside: the edges ask `full` before a request changes
anything and answer "busy, try again" (handlers/slack/busy.py, handlers/teams/turns.py);
`spawn` itself never refuses, so work already accepted is never dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.metrics import Metrics

log = logging.getLogger(__name__)


DEFAULT_CAPACITY = 200
CANCEL_WAIT = 1.0  # seconds cancelled tasks get to unwind at shutdown
BUSY = "incident-comms is busy right now, so nothing was done. Please try again in a minute."


class TaskTracker:
    def __init__(self, metrics: Metrics | None = None, capacity: int = DEFAULT_CAPACITY) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._metrics = metrics
        self.capacity = capacity
        self._idle = asyncio.Event()
        self._idle.set()

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()
        if task.cancelled():
            log.warning("background task %s was cancelled", task.get_name())
        elif (error := task.exception()) is not None:
            log.error("background task %s failed", task.get_name(), exc_info=error)
            if self._metrics:
                self._metrics.background_failures.labels(task.get_name().split(":")[0]).inc()

    @property
    def busy(self) -> int:
        return len(self._tasks)

    @property
    def full(self) -> bool:
        """At capacity: the edges turn new requests away (politely) until work finishes."""
        return len(self._tasks) >= self.capacity

    async def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until no tracked task is running (tasks may start further tasks)."""
        async with asyncio.timeout(timeout):
            while self._tasks:
                await self._idle.wait()
                await asyncio.sleep(0)

    async def drain(self, grace: float = 10.0) -> None:
        """At shutdown: let running work finish for `grace` seconds, then cancel what is left
        (and give it a moment to unwind, so nothing runs once the database is closed)."""
        try:
            await self.wait_idle(grace)
        except TimeoutError:
            left = list(self._tasks)
            for task in left:
                task.cancel()
            log.warning("cancelled %d background task(s) still running at shutdown", len(left))
            await asyncio.wait(left, timeout=CANCEL_WAIT)
