"""Claiming due reminder work: the shared claim (bot/claims.py) each, safe across instances.

    UPDATE incident SET reminder_lease_until = :lease
    WHERE id IN (SELECT id FROM incident
                 WHERE next_reminder_at <= :now AND (lease is NULL or lease < :now)
                 ORDER BY next_reminder_at LIMIT :n FOR UPDATE SKIP LOCKED)
    RETURNING id

The inner SELECT is a range scan of the partial index on `next_reminder_at`, so its cost
follows the number of due incidents, not of live ones. On PostgreSQL SKIP LOCKED lets
instances take different rows without waiting; SQLite's BEGIN IMMEDIATE makes writers
take turns instead. `now` is always the app clock's (tests move it), never the database's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import claims
from bot.enums import ReminderStatus
from storage.models import Incident, Reminder


def _due_incidents(now: datetime):
    return col(Incident.next_reminder_at) <= now, or_(
        col(Incident.reminder_lease_until).is_(None), col(Incident.reminder_lease_until) < now
    )


def due_query(now: datetime, limit: int):
    """The claim's inner SELECT, also shown by the benchmark's EXPLAIN."""
    return claims.due_ids(Incident, _due_incidents(now), (col(Incident.next_reminder_at),), limit)


async def anything_due(session: AsyncSession, now: datetime) -> bool:
    """A cheap read first, so an idle sweep never takes SQLite's write lock."""
    stale = select(Reminder.id).where(
        col(Reminder.status) == ReminderStatus.SENDING, col(Reminder.claimed_until) < now
    )
    for statement in (select(Incident.id).where(*_due_incidents(now)), stale):
        if (await session.exec(statement.limit(1))).first() is not None:
            return True
    return False


async def claim_incidents(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int
) -> list[int]:
    """Incidents due a reminder, by id; the lease keeps other sweeps off while this one plans."""
    ids = await claims.claim(
        session,
        Incident,
        due=_due_incidents(now),
        order_by=(col(Incident.next_reminder_at),),
        limit=limit,
        sets={col(Incident.reminder_lease_until): lease_until},
        returning=(Incident.id,),
    )
    return sorted(ids)


async def claim_stale(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int
) -> list[Reminder]:
    """Reminders recorded but never confirmed posted (their sender died or Slack kept failing)."""
    return await claims.claim(
        session,
        Reminder,
        due=(col(Reminder.status) == ReminderStatus.SENDING, col(Reminder.claimed_until) < now),
        order_by=(col(Reminder.claimed_until),),
        limit=limit,
        sets={col(Reminder.claimed_until): lease_until, "attempts": col(Reminder.attempts) + 1},
    )
