"""The reminder sweep: heads-up, due and escalation posts, each exactly once, until resolved.

One run:
1. a cheap read: is anything due? (an idle sweep never takes a write lock);
2. claim due incidents with one `UPDATE … RETURNING` (see reminder_claims);
3. per incident, one short transaction re-reads it (status, version, snooze) under a row
   lock, picks the stage, records a `Reminder` row per channel and moves the schedule on.
   A resolve committed before this point means no reminder at all;
4. post, outside any transaction, with the reminder's id as an invisible marker;
5. record the post. If the incident was resolved meanwhile, the fresh reminder is edited
   to say so. A sender that dies between 3 and 5 leaves a `sending` row: a later sweep
   claims it when its lease expires, looks for the marker in the channel, and posts only
   if the first attempt never landed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from bot import audit
from bot.audit import AuditAction
from bot.cards import Card
from bot.clock import Clock
from bot.enums import IncidentStatus, ReminderStage, ReminderStatus
from bot.errors import PlatformError
from bot.metrics import Metrics
from bot.policy import Policy
from bot.ports import ChatPlatform, MessageRef
from bot.reminder_cards import ReminderCards
from bot.reminder_claims import anything_due, claim_incidents, claim_stale
from bot.reminder_facts import reminder_facts
from bot.reminder_schedule import reschedule, stage_due, stage_time
from storage.db import Database
from storage.models import Incident, Reminder

log = logging.getLogger(__name__)
ACTOR = "incident-comms"
LEASE = timedelta(seconds=60)
RETRY_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 5
NO_CHANNEL_RETRY = timedelta(minutes=1)
PARALLEL_POSTS = 8


@dataclass(frozen=True)
class Planned:
    reminder: Reminder
    card: Card
    reconcile: bool = False  # an earlier attempt may have landed: look for it first


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
        batch: int = 500,
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
        async with self.db.write() as session:
            claimed = await claim_incidents(session, now=now, lease_until=now + self.lease, limit=self.batch)
        planned = [p for incident_id in claimed for p in await self._record(incident_id, now)]
        planned += await self._retries(now)
        posted = await asyncio.gather(*(self._deliver(p) for p in planned))
        return sum(posted)

    # ---- step 3: decide and record, under the incident's row lock ------------------------
    async def _record(self, incident_id: int, now: datetime) -> list[Planned]:
        rules = self.policy.reminders
        async with self.db.write() as session:
            incident = await _locked(session, incident_id)
            if incident is None:
                return []
            incident.reminder_lease_until = None
            stage = stage_due(incident, rules, now)
            if stage is None or incident.next_update_due_at is None:
                reschedule(incident, rules)
                return []
            if not incident.channel_id:  # set-up not finished: look again shortly
                incident.next_reminder_at = now + NO_CHANNEL_RETRY
                return []
            due_at = incident.next_update_due_at
            incident.reminder_stage = stage.value
            reschedule(incident, rules)
            facts = await reminder_facts(session, incident, stage, due_at, now)
            rows = [
                Reminder(
                    incident_id=incident_id,
                    stage=stage.value,
                    due_at=due_at,
                    channel_id=channel,
                    incident_version=incident.version,
                    status=ReminderStatus.SENDING.value,
                    claimed_until=now + self.lease,
                    created_at=now,
                )
                for channel in self._channels(incident, stage)
            ]
            session.add_all(rows)
            await session.flush()
        return [
            Planned(
                row, self.cards.reminder(facts, in_incident_channel=row.channel_id == incident.channel_id)
            )
            for row in rows
        ]

    def _channels(self, incident: Incident, stage: ReminderStage) -> list[str]:
        channels = [incident.channel_id or ""]
        extra = self.policy.reminders.escalation_channel
        if stage is ReminderStage.ESCALATION and extra and extra != incident.channel_id:
            channels.append(extra)
        return channels

    # ---- retries of reminders whose sender never confirmed -------------------------------
    async def _retries(self, now: datetime) -> list[Planned]:
        async with self.db.write() as session:
            stale = await claim_stale(session, now=now, lease_until=now + self.lease, limit=self.batch)
        planned = []
        for row in stale:
            if plan := await self._replan(row, now):
                planned.append(plan)
        return planned

    async def _replan(self, row: Reminder, now: datetime) -> Planned | None:
        async with self.db.write() as session:
            incident = await _locked(session, row.incident_id)
            fresh = await session.get(Reminder, row.id, populate_existing=True)
            if incident is None or fresh is None or fresh.status != ReminderStatus.SENDING:
                return None
            stage = ReminderStage(fresh.stage)
            if incident.status == IncidentStatus.RESOLVED or fresh.attempts > MAX_ATTEMPTS:
                gave_up = incident.status != IncidentStatus.RESOLVED
                fresh.status = (ReminderStatus.FAILED if gave_up else ReminderStatus.WITHDRAWN).value
                self.metrics.reminders.labels(stage.value, fresh.status).inc()
                return None
            facts = await reminder_facts(session, incident, stage, fresh.due_at, now)
        card = self.cards.reminder(facts, in_incident_channel=fresh.channel_id == incident.channel_id)
        return Planned(fresh, card, reconcile=True)

    # ---- steps 4 and 5: post, then record --------------------------------------------------
    async def _deliver(self, plan: Planned) -> bool:
        row = plan.reminder
        async with self._posting:
            try:
                ref = await self._find_earlier(plan) if plan.reconcile else None
                ref = ref or await self.platform.post(row.channel_id, plan.card, marker=marker(row))
            except PlatformError as error:
                await self._failed(row, error)
                return False
        await self._posted(row, ref)
        return True

    async def _find_earlier(self, plan: Planned) -> MessageRef | None:
        since = plan.reminder.created_at - timedelta(minutes=1)
        return await self.platform.find_marked(plan.reminder.channel_id, marker(plan.reminder), since=since)

    async def _posted(self, row: Reminder, ref: MessageRef) -> None:
        now = self.clock.now()
        async with self.db.write() as session:
            fresh = await session.get(Reminder, row.id, populate_existing=True)
            if fresh is None:
                return
            fresh.status, fresh.message_ts, fresh.posted_at = ReminderStatus.POSTED.value, ref.message_id, now
            await session.flush()  # the row lock first: a resolve's close_for waits for us, then sees it
            incident = await session.get(Incident, row.incident_id, populate_existing=True)
            resolved = incident is not None and incident.status == IncidentStatus.RESOLVED
            if resolved:
                fresh.status = ReminderStatus.CLOSED.value
            action = AuditAction.REMINDER_ESCALATED if row.stage == ReminderStage.ESCALATION else None
            audit.record(
                session,
                incident_id=row.incident_id,
                actor=ACTOR,
                action=action or AuditAction.REMINDER_POSTED,
                at=now,
                stage=row.stage,
                due_at=row.due_at.isoformat(),
                channel=row.channel_id,
                ts=ref.message_id,
            )
        self.metrics.reminders.labels(row.stage, "posted").inc()
        self.metrics.reminder_lateness.observe(max(0.0, (now - _stage_at(row, self.policy)).total_seconds()))
        if resolved and incident is not None:
            await self._edit_closed(incident, row, ref)

    async def _failed(self, row: Reminder, error: PlatformError) -> None:
        log.warning("reminder %s to %s failed: %s", row.id, row.channel_id, error.code)
        now = self.clock.now()
        async with self.db.write() as session:
            fresh = await session.get(Reminder, row.id, populate_existing=True)
            if fresh is not None and fresh.status == ReminderStatus.SENDING:
                fresh.claimed_until = now + RETRY_AFTER  # a later sweep retries (and reconciles)
                audit.record(
                    session,
                    incident_id=row.incident_id,
                    actor=ACTOR,
                    action=AuditAction.REMINDER_FAILED,
                    at=now,
                    stage=row.stage,
                    channel=row.channel_id,
                    code=error.code,
                )
        self.metrics.reminders.labels(row.stage, "failed").inc()

    # ---- resolve ---------------------------------------------------------------------------
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
            await self._edit_closed(incident, row, MessageRef(row.channel_id, row.message_ts or ""))
        return len(current)

    async def _edit_closed(self, incident: Incident, row: Reminder, ref: MessageRef) -> None:
        try:
            await self.platform.update(ref, self.cards.closed(incident, ReminderStage(row.stage)))
        except PlatformError as error:
            log.warning("could not mark reminder %s as resolved: %s", row.id, error.code)


def marker(row: Reminder) -> str:
    return f"reminder:{row.id}"


def _stage_at(row: Reminder, policy: Policy) -> datetime:
    return stage_time(ReminderStage(row.stage), row.due_at, policy.reminders)


async def _locked(session, incident_id: int) -> Incident | None:
    statement = select(Incident).where(Incident.id == incident_id).with_for_update()
    return (await session.exec(statement, execution_options={"populate_existing": True})).first()
