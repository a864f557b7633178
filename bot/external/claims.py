"""Claiming due e-mail and webhook deliveries: the shared claim, like the Slack outbox's.

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

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import claims
from bot.publishing.claims import due_to_send, taken_to_send
from storage.channel_models import ExternalDelivery

Row = ExternalDelivery


async def claim(
    session: AsyncSession, *, channel: str, now: datetime, lease_until: datetime, limit: int
) -> list[ExternalDelivery]:
    """Claim up to `limit` due deliveries of one channel; each comes back with attempts counted."""
    rows = await claims.claim(
        session,
        Row,
        due=(col(Row.channel) == channel, due_to_send(Row, now)),
        order_by=(col(Row.next_attempt_at), col(Row.id)),
        limit=limit,
        sets={col(Row.claimed_until): lease_until, **taken_to_send(Row)},
    )
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id))
