"""The reminder sweep: heads-up, nag, repeats and ladder tiers, each exactly once, until resolved.

One run, in batches until nothing more is due:
1. a cheap read: is anything due? (an idle sweep never takes a write lock);
2. claim due incidents with one `UPDATE … RETURNING` (reminder_claims);
3. one transaction re-reads the claimed incidents under row locks (status, version, snooze),
   picks each one's stage, records a `Reminder` row per channel and moves its schedule on.
   A resolve committed before this point means no reminder at all (reminder_records);
4. post, outside any transaction, each with its reminder id as an invisible marker;
5. one transaction records the posts. Reminders whose incident was resolved while they were
   in flight are then edited to say so. A sender that dies between 3 and 5 leaves `sending`
   rows: a later sweep claims them when their lease expires, looks for the marker in the
   channel, and posts only if the first attempt never landed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.chat.ports import ChatPlatform, MessageRef
from bot.clock import Clock
from bot.enums import IncidentStatus, ReminderStage, ReminderStatus
from bot.errors import PlatformError
from bot.metrics import Metrics
from bot.policy.model import Policy
from bot.reminders.cards import ReminderCards
from bot.reminders.claims import anything_due, claim_incidents, claim_stale
from bot.reminders.records import ToSend, record_due, record_failed, record_posted, replan
from bot.reminders.schedule import first_due, stage_time
from storage.db import Database
from storage.models import Incident, Reminder

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
RETRY_AFTER = timedelta(seconds=30)
PARALLEL_POSTS = 16
Outcome = tuple[Reminder, MessageRef | str]  # the posted message, or the platform's error code


class ReminderSweep:
    def __init__(
        self,
        db: Database,
        platform: ChatPlatform,
        clock: Clock,
        policy: Policy,
        cards: ReminderCards,
        metrics: Metrics,
        *,
        lease: timedelta = LEASE,
        batch: int = 100,
    ) -> None:
        self.db, self.platform, self.clock, self.policy = db, platform, clock, policy
        self.cards, self.metrics, self.lease, self.batch = cards, metrics, lease, batch
        self._posting = asyncio.Semaphore(PARALLEL_POSTS)

    async def run(self, now: datetime | None = None) -> int:
        """One sweep at `now` (the app clock's by default); returns how many reminders were posted."""
        now = now or self.clock.now()
        async with self.db.read() as session:
            if not await anything_due(session, now):
                return 0
        posted = 0
        while True:
            async with self.db.write() as session:
                claimed = await claim_incidents(
                    session, now=now, lease_until=now + self.lease, limit=self.batch
                )
            if claimed:
                async with self.db.write() as session:
                    plans = await record_due(session, claimed, now, self.policy, now + self.lease)
                posted += await self._send(plans)
            if len(claimed) < self.batch:
                break
        return posted + await self._retry_stale(now)

    async def _retry_stale(self, now: datetime) -> int:
        async with self.db.write() as session:
            stale = await claim_stale(session, now=now, lease_until=now + self.lease, limit=self.batch)
            if not stale:
                return 0
            plans, given_up = await replan(session, stale, now, self.policy)
        for status in given_up:
            self.metrics.reminders.labels("any", status).inc()
        return await self._send(plans)

    # ---- post, then record ---------------------------------------------------------------------
    async def _send(self, plans: list[ToSend]) -> int:
        if not plans:
            return 0
        outcomes = await asyncio.gather(*(self._post(plan) for plan in plans))
        posted = [(row, result) for row, result in outcomes if isinstance(result, MessageRef)]
        failed = [(row, result) for row, result in outcomes if isinstance(result, str)]
        now = self.clock.now()
        async with self.db.write() as session:
            resolved = await record_posted(session, posted, now) if posted else []
            if failed:
                await record_failed(session, failed, now, now + RETRY_AFTER)
        self._count(posted, failed, now)
        for row, incident in resolved:
            await self._edit_closed(incident, row)
        return len(posted)

    async def _post(self, plan: ToSend) -> Outcome:
        row = plan.reminder
        card = self.cards.reminder(plan.facts, in_incident_channel=plan.in_incident_channel)
        async with self._posting:
            try:
                if plan.reconcile and (earlier := await self._find_earlier(row)):
                    return row, earlier
                return row, await self.platform.post(
                    row.channel_id, card, marker=marker(row), thread=plan.thread
                )
            except PlatformError as error:
                log.warning("reminder %s to %s failed: %s", row.id, row.channel_id, error.code)
                return row, error.code

    async def _find_earlier(self, row: Reminder) -> MessageRef | None:
        since = row.created_at - timedelta(minutes=1)
        return await self.platform.find_marked(row.channel_id, marker(row), since=since)

    def _count(self, posted: list, failed: list, now: datetime) -> None:
        for row, _ in posted:
            self.metrics.reminders.labels(row.stage, "posted").inc()
            due = stage_time(ReminderStage(row.stage), row.due_at, self.policy.reminders, row.step)
            self.metrics.reminder_lateness.observe(max(0.0, (now - due).total_seconds()))
        for row, _ in failed:
            self.metrics.reminders.labels(row.stage, "failed").inc()

    async def adopt_unscheduled(self) -> int:
        """At start-up: a live incident without a due time gets its first one (`first_due`)."""
        statement = select(Incident).where(
            Incident.status != IncidentStatus.RESOLVED.value, col(Incident.next_update_due_at).is_(None)
        )
        async with self.db.write() as session:
            incidents = list((await session.exec(statement.with_for_update())).all())
            for incident in incidents:
                first_due(incident, self.policy)
        return len(incidents)

    # ---- resolve ---------------------------------------------------------------------------------
    async def close_for(self, incident_id: int) -> int:
        """The incident was resolved: edit this due time's posted reminders to say so."""
        async with self.db.write() as session:
            incident = await session.get(Incident, incident_id, populate_existing=True)
            if incident is None or incident.status != IncidentStatus.RESOLVED:
                return 0
            statement = select(Reminder).where(
                Reminder.incident_id == incident_id, Reminder.status == ReminderStatus.POSTED.value
            )
            rows = list((await session.exec(statement.with_for_update())).all())
            for row in rows:
                row.status = ReminderStatus.CLOSED.value
        current = [r for r in rows if r.due_at == incident.next_update_due_at and r.message_ts]
        for row in current:
            await self._edit_closed(incident, row)
        return len(current)

    async def _edit_closed(self, incident: Incident, row: Reminder) -> None:
        try:
            ref = MessageRef(row.channel_id, row.message_ts or "")
            await self.platform.update(ref, self.cards.closed(incident, ReminderStage(row.stage)))
        except PlatformError as error:
            log.warning("could not mark reminder %s as resolved: %s", row.id, error.code)


def marker(row: Reminder) -> str:
    return f"reminder:{row.id}"
