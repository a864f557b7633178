"""One delivery pass: claim due entries in batches, send them concurrently, record in batches.

Database round trips, not Slack, are what limit throughput here (a transaction costs a few
milliseconds on SQLite, a post about one), so a pass claims as many entries as it has free
senders in one statement and records whatever outcomes have piled up in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from bot.enums import OutboxAction, OutboxStatus
from bot.publishing.context import Contexts
from bot.publishing.pacer import ChannelPacer
from bot.publishing.records import Attempt, Recorded
from bot.publishing.retry import is_retryable
from storage.db import Database
from storage.models import Incident, OutboxEntry

log = logging.getLogger(__name__)


class Sender(Protocol):
    """What a pass needs of the publisher (`Publisher` is the one implementation)."""

    db: Database
    pacer: ChannelPacer
    concurrency: int

    reference: Callable[[Incident], str]

    async def claim_batch(
        self, size: int, *, draft_id: int | None
    ) -> tuple[list[OutboxEntry], list[str]]: ...
    async def due_for_busy(self, *, draft_id: int | None, busy: list[str]) -> bool: ...
    async def attempt(self, entry: OutboxEntry, contexts: Contexts) -> Attempt: ...
    async def record(self, outcomes: list[tuple[OutboxEntry, Attempt]]) -> list[Recorded]: ...
    async def report_failure(self, entry: OutboxEntry, attempt: Attempt, contexts: Contexts) -> None: ...


class DeliveryRun:
    def __init__(self, publisher: Sender, *, limit: int | None, draft_id: int | None) -> None:
        self.publisher = publisher
        self.pacer = publisher.pacer
        self.left = limit  # entries this pass may still claim; None: no limit
        self.draft_id = draft_id
        self.contexts = Contexts(publisher.db, publisher.reference)
        self.claimed = 0
        self._sending: set[asyncio.Task[None]] = set()
        self._follow_ups: set[asyncio.Task[None]] = set()
        self._outcomes: list[tuple[OutboxEntry, Attempt]] = []
        self._recording: asyncio.Task[None] | None = None

    async def run(self) -> int:
        """Until nothing is due for this pass (or its limit is reached); returns entries claimed.

        Cancelled (shutdown): posts under way are abandoned unrecorded, like in a crash; their
        leases run out and whoever claims them next looks for them in Slack first.
        """
        try:
            try:
                while self.left is None or self.left > 0:
                    if not await self._claim_more():
                        break
            except Exception:
                await self._settle()  # record what was sent before the database went away
                raise
            await self._settle()
        except asyncio.CancelledError:
            for task in (*self._sending, *self._follow_ups):
                task.cancel()
            raise
        return self.claimed

    async def _claim_more(self) -> bool:
        """Claim and start a batch; False when nothing else is due for this pass."""
        while len(self._sending) >= self.publisher.concurrency:
            await asyncio.wait(self._sending, return_when=asyncio.FIRST_COMPLETED)
        size = self.publisher.concurrency - len(self._sending)
        size = size if self.left is None else min(size, self.left)
        batch, busy = await self.publisher.claim_batch(size, draft_id=self.draft_id)
        self._start(batch)
        if len(batch) == size:
            return True  # there may be more
        if not await self.publisher.due_for_busy(draft_id=self.draft_id, busy=busy):
            return False  # what failed now is due again only after its backoff: a later sweep's
        await self.pacer.wait(busy)
        return True

    def _start(self, batch: list[OutboxEntry]) -> None:
        self.claimed += len(batch)
        if self.left is not None:
            self.left -= len(batch)
        for entry in batch:  # their posts are reserved in the pacer already
            task = asyncio.create_task(self._send(entry), name=f"outbox:{entry.id}")
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, entry: OutboxEntry) -> None:
        post = entry.action == OutboxAction.POST
        cool_down = True
        try:
            if post:
                await self.pacer.acquire(entry.target)
            attempt = await self.publisher.attempt(entry, self.contexts)
            cool_down = attempt.ts is not None or is_retryable(attempt.code)  # a refusal posted nothing
        finally:
            if post:
                self.pacer.release(entry.target, cool_down=cool_down)
        # Cancelled before this line: nothing is recorded (see `run`).
        self._outcomes.append((entry, attempt))
        if self._recording is None or self._recording.done():
            self._recording = asyncio.create_task(self._record())

    async def _record(self) -> None:
        """Record everything that finished so far, one transaction per batch, until none is left."""
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            try:
                results = await self.publisher.record(batch)
            except Exception:
                log.exception("could not record %s delivery outcomes; their leases will expire", len(batch))
                continue
            for (entry, attempt), result in zip(batch, results, strict=True):
                self._follow_up(entry, attempt, result.status)

    def _follow_up(self, entry: OutboxEntry, attempt: Attempt, status: str) -> None:
        if not status:
            log.warning("outbox entry %s was taken over by another sender; its outcome is theirs", entry.id)
        elif status == OutboxStatus.FAILED:
            task = asyncio.create_task(self.publisher.report_failure(entry, attempt, self.contexts))
            self._follow_ups.add(task)
            task.add_done_callback(self._follow_ups.discard)
        elif status == OutboxStatus.PENDING:
            log.info(
                "outbox entry %s: %s; retrying later (attempt %s)", entry.id, attempt.code, entry.attempts
            )

    async def _settle(self) -> None:
        """Wait for the sends, the last recording and the failure reports of this pass."""
        while self._sending or (self._recording and not self._recording.done()) or self._follow_ups:
            await asyncio.gather(
                *self._sending, *self._follow_ups, *([self._recording] if self._recording else [])
            )
