"""Claiming due outbox entries: one atomic statement, safe with several senders and instances.

    UPDATE outbox_entry SET status='in_flight', attempts=attempts+1, claimed_until=:lease, …
    WHERE id IN (SELECT id … WHERE <due> ORDER BY next_attempt_at, id LIMIT :n
                 FOR UPDATE SKIP LOCKED)
    RETURNING *

Due means pending and its time has come, or in flight with an expired lease (its sender died
or lost its database connection). On PostgreSQL, SKIP LOCKED lets concurrent claimers take
different rows without waiting; SQLAlchemy drops it on SQLite, where BEGIN IMMEDIATE already
makes writers take turns. `now` is the app clock's, never the database's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.enums import OutboxAction, OutboxStatus
from bot.publishing.retry import INTERRUPTED
from storage.models import OutboxEntry


def _due(now: datetime, draft_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        or_(
            and_(col(OutboxEntry.status) == OutboxStatus.PENDING, col(OutboxEntry.next_attempt_at) <= now),
            and_(col(OutboxEntry.status) == OutboxStatus.IN_FLIGHT, col(OutboxEntry.claimed_until) < now),
        )
    ]
    if draft_id is not None:
        conditions.append(col(OutboxEntry.draft_id) == draft_id)
    return conditions


def _not_busy(busy: Sequence[str]) -> ColumnElement[bool]:
    """Posts to busy channels wait (see ChannelPacer); edits are not paced."""
    return or_(col(OutboxEntry.action) != OutboxAction.POST, col(OutboxEntry.target).not_in(busy))


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    limit: int = 1,
    draft_id: int | None = None,
    busy: Sequence[str] = (),
) -> list[OutboxEntry]:
    """Claim up to `limit` due entries for this sender; each comes back with attempts counted.

    An entry taken over from a sender that never reported back gets last_error "interrupted",
    so the new sender knows its earlier post may have landed and reconciles first.
    """
    conditions = _due(now, draft_id)
    if busy:
        conditions.append(_not_busy(busy))
    chosen = (
        select(OutboxEntry.id)
        .where(*conditions)
        .order_by(col(OutboxEntry.next_attempt_at), col(OutboxEntry.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(OutboxEntry)
        .where(col(OutboxEntry.id).in_(chosen.scalar_subquery()))
        .values(
            status=OutboxStatus.IN_FLIGHT.value,
            attempts=col(OutboxEntry.attempts) + 1,
            claimed_until=lease_until,
            last_error=case(
                (col(OutboxEntry.status) == OutboxStatus.IN_FLIGHT, INTERRUPTED),
                else_=col(OutboxEntry.last_error),
            ),
        )
        .returning(OutboxEntry)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return sorted(result.scalars().all(), key=lambda entry: (entry.next_attempt_at, entry.id))


async def due_for_busy(
    session: AsyncSession, *, now: datetime, draft_id: int | None, busy: Sequence[str]
) -> bool:
    """Is anything due that only waits for a busy channel (so waiting a moment is worth it)?"""
    if not busy:
        return False
    statement = (
        select(OutboxEntry.id)
        .where(
            *_due(now, draft_id),
            col(OutboxEntry.action) == OutboxAction.POST,
            col(OutboxEntry.target).in_(busy),
        )
        .limit(1)
    )
    return (await session.exec(statement)).first() is not None
