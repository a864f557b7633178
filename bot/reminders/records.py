"""The database side of a reminder sweep: each step is one short transaction for a whole batch.

`record_due` re-reads the claimed incidents under row locks and records what to send: a
resolve, snooze or pause committed before it means no reminder. `record_posted` and
`record_failed` record what the platform answered; a reminder whose incident was resolved
while it was being posted comes back from `record_posted` to be edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.ports import MessageRef
from bot.enums import IncidentStatus, ReminderStage, ReminderStatus
from bot.policy.model import Policy
from bot.reminders.audience import mentions, targets
from bot.reminders.cards import ReminderFacts
from bot.reminders.facts import published_for
from bot.reminders.schedule import Step, mark_sent, pause_ends, reschedule, steps_due
from storage.models import Incident, Reminder

ACTOR = "incident-comms"
NO_CHANNEL_RETRY = timedelta(minutes=1)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class ToSend:
    reminder: Reminder
    facts: ReminderFacts
    in_incident_channel: bool
    reconcile: bool = False  # an earlier attempt may have landed: look for it first
    thread: str | None = None  # post as a reply to this message (repeats, under the first nag)


async def _locked(session: AsyncSession, ids: list[int]) -> list[Incident]:
    """Lock in id order (two sweeps never deadlock) and read fresh values."""
    statement = select(Incident).where(col(Incident.id).in_(sorted(ids))).order_by(col(Incident.id))
    result = await session.exec(statement.with_for_update(), execution_options={"populate_existing": True})
    return list(result.all())


async def record_due(
    session: AsyncSession, ids: list[int], now: datetime, policy: Policy, lease_until: datetime
) -> list[ToSend]:
    rules, plans = policy.reminders, []
    incidents = await _locked(session, ids)
    history = await published_for(session, [i.id for i in incidents if i.id is not None])
    for incident in incidents:
        incident.reminder_lease_until = None
        if (ends := pause_ends(incident, rules)) is not None and ends <= now:
            plans.extend(_end_pause(session, incident, ends, now, lease_until, history[incident.id or 0]))
        steps = steps_due(incident, rules, now)
        if not steps or incident.next_update_due_at is None:
            reschedule(incident, rules)
            continue
        if not incident.channel_id:  # set-up not finished: look again shortly
            incident.next_reminder_at = now + NO_CHANNEL_RETRY
            continue
        due_at = incident.next_update_due_at
        mark_sent(incident, steps, rules, now)
        reschedule(incident, rules)
        for step in steps:
            facts = ReminderFacts(
                incident, step.stage, due_at, now, history[incident.id or 0], step.number,
                mentions(incident, step, policy),
            )  # fmt: skip
            for target in targets(incident, step, policy):
                row = _row(incident, step, due_at, target.channel_id, now, lease_until)
                session.add(row)
                plans.append(ToSend(row, facts, target.in_incident_channel, thread=target.thread))
    await session.flush()
    return plans


def _row(incident: Incident, step: Step, due_at: datetime, channel: str, now: datetime, lease: datetime):
    return Reminder(
        incident_id=incident.id,
        stage=step.stage.value,
        step=step.number,
        due_at=due_at,
        channel_id=channel,
        incident_version=incident.version,
        status=ReminderStatus.SENDING.value,
        claimed_until=lease,
        created_at=now,
    )


def _end_pause(
    session: AsyncSession, incident: Incident, ends: datetime, now: datetime, lease: datetime, history
) -> list[ToSend]:
    """`max_pause` is over: reminders are on again, and the incident channel is told (once)."""
    began = incident.reminders_paused_at or ends
    incident.reminders_paused, incident.reminders_paused_at = False, None
    incident.version += 1
    incident.updated_at = now
    audit.record(
        session, incident_id=incident.id, actor=ACTOR, action=AuditAction.REMINDERS_RESUMED, at=now,
        reason="max_pause",
    )  # fmt: skip
    if not incident.channel_id:
        return []
    step = Step(ReminderStage.PAUSE_ENDED, int(began.timestamp()))
    due_at = incident.next_update_due_at or ends
    row = _row(incident, step, due_at, incident.channel_id, now, lease)
    session.add(row)
    facts = ReminderFacts(incident, step.stage, due_at, now, history, step.number)
    return [ToSend(row, facts, True)]


async def replan(
    session: AsyncSession, stale: list[Reminder], now: datetime, policy: Policy
) -> tuple[list[ToSend], list[str]]:
    """Reminders whose sender never confirmed: resend (after reconciling) unless resolved or hopeless."""
    incidents = {i.id: i for i in await _locked(session, list({r.incident_id for r in stale}))}
    history = await published_for(session, [i for i in incidents if i is not None])
    plans, given_up = [], []
    for row in stale:
        incident = incidents.get(row.incident_id)
        if incident is None or row.status != ReminderStatus.SENDING:
            continue
        if incident.status == IncidentStatus.RESOLVED or row.attempts > MAX_ATTEMPTS:
            row.status = (
                ReminderStatus.WITHDRAWN
                if incident.status == IncidentStatus.RESOLVED
                else ReminderStatus.FAILED
            ).value
            session.add(row)
            given_up.append(row.status)
            continue
        plans.append(_replanned(incident, row, now, history[row.incident_id], policy))
    return plans, given_up


def _replanned(incident: Incident, row: Reminder, now: datetime, history, policy: Policy) -> ToSend:
    step = Step(ReminderStage(row.stage), row.step)
    home = row.channel_id == incident.channel_id
    thread = incident.reminder_thread_ts if home and step.stage is ReminderStage.REPEAT else None
    facts = ReminderFacts(
        incident, step.stage, row.due_at, now, history, step.number, mentions(incident, step, policy)
    )
    return ToSend(row, facts, home, reconcile=True, thread=thread)


async def record_posted(
    session: AsyncSession, posted: list[tuple[Reminder, MessageRef]], now: datetime
) -> list[tuple[Reminder, Incident]]:
    """Mark posted; returns the reminders whose incident was resolved meanwhile (to edit)."""
    rows = {r.id: r for r in await _reminders(session, [row.id for row, _ in posted])}
    for row, ref in posted:
        fresh = rows[row.id]
        fresh.status, fresh.message_ts, fresh.posted_at = ReminderStatus.POSTED.value, ref.message_id, now
    await session.flush()  # reminder rows locked first: a resolve's close_for waits, then sees them
    incidents = {i.id: i for i in await _incidents(session, {row.incident_id for row, _ in posted})}
    resolved = []
    for row, ref in posted:
        incident = incidents.get(row.incident_id)
        if incident is not None and _starts_thread(incident, row):
            incident.reminder_thread_ts = ref.message_id
        if incident is not None and incident.status == IncidentStatus.RESOLVED:
            rows[row.id].status = ReminderStatus.CLOSED.value
            resolved.append((rows[row.id], incident))
        escalated = row.stage == ReminderStage.ESCALATION
        audit.record(
            session,
            incident_id=row.incident_id,
            actor=ACTOR,
            action=AuditAction.REMINDER_ESCALATED if escalated else AuditAction.REMINDER_POSTED,
            at=now,
            stage=row.stage,
            step=row.step,
            due_at=row.due_at.isoformat(),
            channel=row.channel_id,
            ts=ref.message_id,
        )
    return resolved


def _starts_thread(incident: Incident, row: Reminder) -> bool:
    """The first nag (or what went out instead) in the incident channel: repeats reply to it."""
    overdue = (ReminderStage.DUE, ReminderStage.ESCALATION, ReminderStage.REPEAT)
    return (
        not incident.reminder_thread_ts
        and row.channel_id == incident.channel_id
        and row.stage in overdue
        and row.due_at == incident.next_update_due_at
    )


async def record_failed(
    session: AsyncSession, failed: list[tuple[Reminder, str]], now: datetime, retry_at: datetime
) -> None:
    rows = {r.id: r for r in await _reminders(session, [row.id for row, _ in failed])}
    for row, code in failed:
        if rows[row.id].status == ReminderStatus.SENDING:
            rows[row.id].claimed_until = retry_at  # a later sweep retries (and reconciles first)
        audit.record(
            session,
            incident_id=row.incident_id,
            actor=ACTOR,
            action=AuditAction.REMINDER_FAILED,
            at=now,
            stage=row.stage,
            channel=row.channel_id,
            code=code,
        )


async def _reminders(session: AsyncSession, ids: list[int | None]) -> list[Reminder]:
    statement = select(Reminder).where(col(Reminder.id).in_(sorted(i for i in ids if i is not None)))
    result = await session.exec(statement.with_for_update(), execution_options={"populate_existing": True})
    return list(result.all())


async def _incidents(session: AsyncSession, ids: set[int]) -> list[Incident]:
    statement = select(Incident).where(col(Incident.id).in_(sorted(ids)))
    return list((await session.exec(statement, execution_options={"populate_existing": True})).all())
