"""Publishing approved messages through the outbox: every target once, across errors and restarts.

Approval writes one outbox entry per target in the same transaction that approves the draft
(`enqueue`); a delivery pass (`publishing_run`) claims due entries atomically
(`delivery_claims`), calls Slack with no transaction open, paced per channel
(`publishing_pacer`), and records the outcomes in short transactions (`publishing_records`).
Errors are retried with backoff; a target that finally fails is reported in the incident
channel. A restart (or another instance) picks up whatever is still pending, and entries
whose sender died once their lease runs out.

At-least-once with reconciliation, on both platforms: every post carries its entry's
marker (`outbox:<id>`), and before a post is sent again after an attempt that may have landed
(`retry.may_have_landed`: the sender died, timed out, lost its connection, got a 5xx), the
platform is asked for an earlier copy (`ChatPlatform.find_marked`: Slack's history, Teams'
Graph); a match is recorded as the delivery instead of posting again. Only a 429 is re-sent
without looking; a lookup that fails with a retryable error keeps the entry in doubt (a 429 on
the lookup is recorded as a `timeout`, since it says nothing about the post); after the last
attempt the target is reported as failed rather than posted to blind. Edits are idempotent and
simply repeated. What this leaves, per platform, is stated once in docs/architecture.md
("Delivery guarantee"); keep the two in step.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.ports import ChatPlatform, MessageRef
from bot.clock import Clock
from bot.enums import AudienceKind, OutboxAction, OutboxStatus
from bot.errors import PlatformError
from bot.metrics import Metrics
from bot.policy.model import Policy
from bot.publishing.claims import claim, due_for_busy
from bot.publishing.context import Contexts, DeliveryContext
from bot.publishing.pacer import ChannelPacer
from bot.publishing.published_card import delivery_failed_card
from bot.publishing.records import Attempt, Recorded, complete, record_attempts
from bot.publishing.retry import is_retryable, may_have_landed
from bot.publishing.run import DeliveryRun
from bot.slo.observe import SloMetrics
from storage.db import Database
from storage.models import Draft, Incident, OutboxEntry

log = logging.getLogger(__name__)
DELIVERY_SWEEP_INTERVAL = timedelta(seconds=2)  # how often the scheduler runs `deliver_due`
POST_INTERVAL = timedelta(seconds=1)  # Slack: about one message per second per channel
RECONCILE_MARGIN = timedelta(minutes=1)  # search history from this long before the entry was made
ATTEMPT_SHARE = 0.75  # an attempt is abandoned after this share of the lease, so leases never overlap


class Publisher:
    def __init__(
        self,
        db: Database,
        platform: ChatPlatform,
        clock: Clock,
        policy: Policy,
        metrics: Metrics,
        reference: Callable[[Incident], str],
        *,
        concurrency: int = 8,
        lease: timedelta = timedelta(seconds=60),
        post_interval: timedelta | None = POST_INTERVAL,
        external: Callable[[AsyncSession, Incident, Draft], Awaitable[object]] | None = None,
    ) -> None:
        self.db, self.platform, self.clock, self.policy = db, platform, clock, policy
        self.metrics, self.reference = metrics, reference
        self.slo = SloMetrics(db, policy, clock, metrics)  # observed after each draft is published
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.pacer = ChannelPacer(post_interval)
        self.external = external  # queues e-mail and webhook deliveries (bot/external/enqueue.py)
        self._claiming = asyncio.Lock()  # claims here take turns, each seeing the channels taken
        # SQLite admits one writer; a second one waits in SQLite's busy handler, which sleeps in
        # steps of up to 100 ms. Our own claims and records take turns here instead.
        self._writing: contextlib.AbstractAsyncContextManager[object] = (
            asyncio.Lock() if db.is_sqlite else contextlib.nullcontext()
        )

    # ---- approval side ------------------------------------------------------------------------
    def targets(self, incident: Incident, draft: Draft) -> list[str]:
        """The audience's channels from the policy, then a copy in the incident channel."""
        channels = self.policy.channels
        if draft.audience_kind == AudienceKind.CUSTOMER:
            chosen = list(channels.customer_updates)
        elif draft.audience_kind == AudienceKind.NAMED_ACCOUNT:
            account = self.policy.accounts.get(draft.audience_key)
            chosen = list(account.channels) if account else []
        else:
            chosen = list(channels.internal_updates)
        if incident.channel_id:
            chosen.append(incident.channel_id)
        return list(dict.fromkeys(c for c in chosen if c))

    async def enqueue(self, session: AsyncSession, incident: Incident, draft: Draft) -> list[OutboxEntry]:
        """Inside the approval transaction: the deliveries of `draft.version`.

        A first publication posts to every target; a correction edits every copy delivered
        so far. With nothing to deliver the draft is published at once.
        """
        now = self.clock.now()
        if draft.published_version is None:
            plan = [(target, OutboxAction.POST, None) for target in self.targets(incident, draft)]
        else:
            copies = await _delivered_copies(session, draft.id)
            plan = [(target, OutboxAction.UPDATE, ts) for target, ts in copies]
        entries = [
            OutboxEntry(
                draft_id=draft.id,
                version=draft.version,
                target=target,
                action=action.value,
                status=OutboxStatus.PENDING.value,
                next_attempt_at=now,
                message_ts=ts,
                created_at=now,
            )
            for target, action, ts in plan
        ]
        session.add_all(entries)
        if self.external is not None:  # before `complete`, which marks the version published
            await self.external(session, incident, draft)
        if not entries:
            await complete(session, draft, [], now, self.policy)
        await session.flush()
        return entries

    # ---- sending side -------------------------------------------------------------------------
    async def deliver_due(self, *, limit: int = 100) -> int:
        """Deliver what is due (the scheduler's sweep); returns how many entries were attempted."""
        return await DeliveryRun(self, limit=limit, draft_id=None).run()

    async def deliver_draft(self, draft_id: int) -> None:
        """Deliver one draft's due entries now (right after its approval)."""
        await DeliveryRun(self, limit=None, draft_id=draft_id).run()

    async def claim_batch(self, size: int, *, draft_id: int | None) -> tuple[list[OutboxEntry], list[str]]:
        """Claim up to `size` entries, skipping busy channels; returns them and the busy list used.

        Claims in this process take turns, so each sees the channels the previous one took.
        """
        async with self._claiming:
            busy = self.pacer.busy()
            async with self._writing, self.db.write() as session:
                now = self.clock.now()
                batch = await claim(
                    session, now=now, lease_until=now + self.lease, limit=size, draft_id=draft_id, busy=busy
                )
            for entry in batch:
                if entry.action == OutboxAction.POST:
                    self.pacer.reserve(entry.target)
        return batch, busy

    async def due_for_busy(self, *, draft_id: int | None, busy: list[str]) -> bool:
        async with self.db.read() as session:
            return await due_for_busy(session, now=self.clock.now(), draft_id=draft_id, busy=busy)

    async def record(self, outcomes: list[tuple[OutboxEntry, Attempt]]) -> list[Recorded]:
        async with self._writing, self.db.write() as session:
            recorded = await record_attempts(session, outcomes, self.clock.now(), self.policy)
        for (entry, _attempt), result in zip(outcomes, recorded, strict=True):
            if result.status:  # pending = will be retried
                self.metrics.deliveries.labels(entry.action, result.status).inc()
        finished = {
            (e.draft_id, e.version) for (e, _), r in zip(outcomes, recorded, strict=True) if r.draft_finished
        }
        for draft_id, version in sorted(finished):
            await self.slo.published(draft_id, version)
        return recorded

    async def attempt(self, entry: OutboxEntry, contexts: Contexts) -> Attempt:
        """One delivery attempt, bounded in time; every way it can end becomes an `Attempt`.

        It gives up well before the lease ends, so no other sender can take the entry over
        while this one may still post it.
        """
        try:
            context = await contexts.get(entry)
            async with asyncio.timeout(self.lease.total_seconds() * ATTEMPT_SHARE):
                attempt = await self._send(entry, context)
            return replace(attempt, at=self.clock.now())
        except PlatformError as error:
            return Attempt(code=error.code, fix=error.fix)
        except TimeoutError:
            return Attempt(code="timeout")
        except Exception as error:  # connection errors and the like: retry, reconciling first
            log.warning("delivering outbox entry %s failed: %r", entry.id, error, exc_info=True)
            return Attempt(code="connection_error")

    async def _send(self, entry: OutboxEntry, context: DeliveryContext) -> Attempt:
        card = context.card(entry)
        if entry.action == OutboxAction.UPDATE:
            await self.platform.update(MessageRef(entry.target, entry.message_ts or ""), card)
            return Attempt(ts=entry.message_ts)
        if entry.attempts > 1 and may_have_landed(entry.last_error):
            found = await self._find_earlier(entry)
            if found is not None:
                log.info("outbox entry %s was already delivered (%s); not posting again", entry.id, found)
                return Attempt(ts=found, reconciled=True)
        ref = await self.platform.post(entry.target, card, marker=marker(entry))
        return Attempt(ts=ref.message_id)

    async def _find_earlier(self, entry: OutboxEntry) -> str | None:
        """The ts of this entry's copy from an earlier attempt, if Slack has it."""
        since = entry.created_at - RECONCILE_MARGIN
        try:
            ref = await self.platform.find_marked(entry.target, marker(entry), since=since)
        except PlatformError as error:
            if is_retryable(error.code):
                raise _still_unknown(error) from None
            log.warning(
                "cannot read the history of %s to check outbox entry %s (%s); posting again",
                entry.target,
                entry.id,
                error.code,
            )
            return None
        return ref.message_id if ref else None

    async def report_failure(self, entry: OutboxEntry, attempt: Attempt, contexts: Contexts) -> None:
        """Tell the incident channel (unless that is the target that failed); the audit has it anyway."""
        log.warning("outbox entry %s to %s failed for good: %s", entry.id, entry.target, attempt.code)
        try:
            context = await contexts.get(entry)
            channel = context.incident.channel_id
            if not channel or channel == entry.target:
                return
            card = delivery_failed_card(
                context.reference,
                entry.target,
                attempt.code,
                attempt.fix,
                attempts=entry.attempts,
                correction=entry.action == OutboxAction.UPDATE,
            )
            await self.platform.post(channel, card)
        except Exception:
            log.warning("could not report the failed delivery of outbox entry %s", entry.id, exc_info=True)


def _still_unknown(error: PlatformError) -> PlatformError:
    """A lookup that failed for now leaves the earlier attempt's doubt in place: a 429 on the
    history says nothing about the post, so it is recorded as a `timeout` (reconcile next time)."""
    if may_have_landed(error.code):
        return error
    log.info("the history lookup was rate-limited (%s); the entry stays in doubt", error.code)
    return PlatformError(error.step, "timeout", error.fix)


def marker(entry: OutboxEntry) -> str:
    """Stored with the post as Slack message metadata; how reconciliation finds it again."""
    return f"outbox:{entry.id}"


async def _delivered_copies(session: AsyncSession, draft_id: int | None) -> list[tuple[str, str]]:
    """(channel, ts) of every copy of the draft delivered so far, oldest first, each once."""
    statement = (
        select(OutboxEntry.target, OutboxEntry.message_ts)
        .where(
            OutboxEntry.draft_id == draft_id,
            OutboxEntry.status == OutboxStatus.DELIVERED.value,
            col(OutboxEntry.message_ts).is_not(None),
        )
        .order_by(col(OutboxEntry.id))
    )
    rows = (await session.exec(statement)).all()
    return list(dict.fromkeys((target, ts) for target, ts in rows if ts))
