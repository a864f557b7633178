"""Claiming due outbox entries: the shared claim (bot/claims.py) with a sender's lease.

    UPDATE outbox_entry SET status='in_flight', attempts=attempts+1, claimed_until=:lease, …
    WHERE id IN (SELECT id … WHERE <due> ORDER BY next_attempt_at, id LIMIT :n
                 FOR UPDATE SKIP LOCKED)
    RETURNING *

Due means pending and its time has come, or in flight with an expired lease (its sender died
or lost its database connection). E-mail and webhook deliveries (bot/external/claims.py) are
claimed the same way, with `due_to_send` and `taken_to_send`. `now` is the app clock's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import claims
from bot.enums import OutboxAction, OutboxStatus
from bot.publishing.retry import INTERRUPTED
from storage.channel_models import ExternalDelivery
from storage.models import OutboxEntry

SendQueue = type[OutboxEntry] | type[ExternalDelivery]


def due_to_send(table: SendQueue, now: datetime) -> ColumnElement[bool]:
    """Pending and its time has come, or in flight with an expired lease."""
    return or_(
        and_(col(table.status) == OutboxStatus.PENDING, col(table.next_attempt_at) <= now),
        and_(col(table.status) == OutboxStatus.IN_FLIGHT, col(table.claimed_until) < now),
    )


def taken_to_send(table: SendQueue) -> dict[str, Any]:
    """What a claim sets besides the lease: in flight, one more attempt, and last_error
    "interrupted" for a row taken over from a sender that never reported back (its earlier
    attempt may have landed, so the new sender reconciles first)."""
    return {
        "status": OutboxStatus.IN_FLIGHT.value,
        "attempts": col(table.attempts) + 1,
        "last_error": case(
            (col(table.status) == OutboxStatus.IN_FLIGHT, INTERRUPTED), else_=col(table.last_error)
        ),
    }


def _due(now: datetime, draft_id: int | None) -> list[ColumnElement[bool]]:
    conditions = [due_to_send(OutboxEntry, now)]
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
    """Claim up to `limit` due entries for this sender, oldest due first, attempts counted."""
    conditions = _due(now, draft_id)
    if busy:
        conditions.append(_not_busy(busy))
    entries = await claims.claim(
        session,
        OutboxEntry,
        due=conditions,
        order_by=(col(OutboxEntry.next_attempt_at), col(OutboxEntry.id)),
        limit=limit,
        sets={col(OutboxEntry.claimed_until): lease_until, **taken_to_send(OutboxEntry)},
    )
    return sorted(entries, key=lambda entry: (entry.next_attempt_at, entry.id))


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
