"""Claiming due e-mail and webhook deliveries: one atomic statement, like the Slack outbox's.

    UPDATE external_delivery SET status='in_flight', attempts=attempts+1, claimed_until=:lease …
    WHERE id IN (SELECT id … WHERE channel=:channel AND <due> ORDER BY next_attempt_at, id
                 LIMIT :n FOR UPDATE SKIP LOCKED)
    RETURNING *

Due: pending and its time has come, or in flight with an expired lease (its sender died). A
row taken over that way gets last_error "interrupted": it may have been sent already. `now`
is the app clock's, never the database's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.enums import OutboxStatus
from bot.publishing.retry import INTERRUPTED
from storage.channel_models import ExternalDelivery

Row = ExternalDelivery


async def claim(
    session: AsyncSession, *, channel: str, now: datetime, lease_until: datetime, limit: int
) -> list[ExternalDelivery]:
    """Claim up to `limit` due deliveries of one channel; each comes back with attempts counted."""
    due = or_(
        and_(col(Row.status) == OutboxStatus.PENDING, col(Row.next_attempt_at) <= now),
        and_(col(Row.status) == OutboxStatus.IN_FLIGHT, col(Row.claimed_until) < now),
    )
    chosen = (
        select(Row.id)
        .where(col(Row.channel) == channel, due)
        .order_by(col(Row.next_attempt_at), col(Row.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Row)
        .where(col(Row.id).in_(chosen.scalar_subquery()))
        .values(
            status=OutboxStatus.IN_FLIGHT.value,
            attempts=col(Row.attempts) + 1,
            claimed_until=lease_until,
            last_error=case(
                (col(Row.status) == OutboxStatus.IN_FLIGHT, INTERRUPTED), else_=col(Row.last_error)
            ),
        )
        .returning(Row)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return sorted(result.scalars().all(), key=lambda row: (row.next_attempt_at, row.id))
