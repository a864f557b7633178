"""Incident state changes as webhook events, read from the audit trail.

Every state change is an audit row written in the transaction that made it, so the trail is
the one place none can be missed. A sweep reads it from a cursor (`external_cursor`) and
queues an event per subscribed endpoint (`incident_events = true`), insert-or-ignore, so
several instances may read the same rows. Who hears about it:

- endpoints with the `internal` audience: every state change of every incident;
- the others only about incidents they already received an approved message about, so a
  customer or account learns nothing of an incident before an approver let it be told.

The cursor moves only past rows at least RESCAN old; rows younger than that are read again
on the next sweep (nothing is queued twice). A write transaction never waits on the network,
so none stays open that long, and no row can become visible behind the cursor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit.trail import AuditAction
from bot.external.audience import WEBHOOK
from bot.external.enqueue import PUBLISHED, insert_new, new_row
from bot.policy.external import WebhookPolicy
from storage.channel_models import ExternalCursor, ExternalDelivery
from storage.models import AuditEvent

CURSOR = "webhook_incident_events"
RESCAN = timedelta(minutes=2)
FIRST_LOOKBACK = timedelta(hours=1)  # a new installation sends the changes of the last hour only
STATE_ACTIONS = (
    AuditAction.STATUS_CHANGED.value,
    AuditAction.SEVERITY_CHANGED.value,
    AuditAction.RESOLVED.value,
    AuditAction.REOPENED.value,
)


def event_type(event: AuditEvent) -> str:
    """`incident.resolved` / `reopened` whichever way it happened; else what changed."""
    if event.action == AuditAction.STATUS_CHANGED:
        if event.details.get("new") == "resolved":
            return "incident.resolved"
        if event.details.get("old") == "resolved":
            return "incident.reopened"
    return event.action


async def queue_incident_events(
    session: AsyncSession, webhooks: dict[str, WebhookPolicy], now: datetime, *, limit: int = 500
) -> int:
    """Queue the state changes since the cursor for subscribed endpoints; returns rows queued."""
    subscribed = {name: hook for name, hook in webhooks.items() if hook.incident_events}
    if not subscribed:
        return 0
    position = await _position(session, now)
    statement = (
        select(AuditEvent)
        .where(col(AuditEvent.id) > position, col(AuditEvent.action).in_(STATE_ACTIONS))
        .order_by(col(AuditEvent.id))
        .limit(limit)
    )
    events = (await session.exec(statement)).all()
    rows = []
    for event in events:
        told = await _told_about(session, event.incident_id)
        for name, hook in subscribed.items():
            if "internal" in hook.audiences or name in told:
                kind = event_type(event)
                key = f"audit-{event.id}.{kind.rpartition('.')[2]}"
                rows.append(
                    new_row(event.incident_id, WEBHOOK, name, kind, key, now, audit_event_id=event.id)
                )
    queued = await insert_new(session, rows)
    settled = [e.id for e in events if e.at <= now - RESCAN]
    if len(events) < limit:  # read to the end: the cursor may also pass settled rows of other kinds
        older = select(func.max(AuditEvent.id)).where(
            col(AuditEvent.id) > position, col(AuditEvent.at) <= now - RESCAN
        )
        settled.append((await session.exec(older)).one() or 0)
    await _advance(session, max(settled, default=position), now)
    return queued


async def _told_about(session: AsyncSession, incident_id: int | None) -> set[str]:
    """Endpoints that were queued an approved message about this incident."""
    statement = select(ExternalDelivery.recipient).where(
        ExternalDelivery.incident_id == incident_id,
        ExternalDelivery.channel == WEBHOOK,
        ExternalDelivery.event == PUBLISHED,
    )
    return set((await session.exec(statement)).all())


async def _position(session: AsyncSession, now: datetime) -> int:
    found = await session.get(ExternalCursor, CURSOR)
    if found is not None:
        return found.position
    start = select(func.max(AuditEvent.id)).where(col(AuditEvent.at) <= now - FIRST_LOOKBACK)
    position = (await session.exec(start)).one() or 0
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    await session.exec(
        insert(ExternalCursor)
        .values(name=CURSOR, position=position, updated_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return position


async def _advance(session: AsyncSession, position: int, now: datetime) -> None:
    """Only forward: two instances advancing together keep the larger position."""
    current = col(ExternalCursor.position)
    await session.exec(
        update(ExternalCursor)
        .where(col(ExternalCursor.name) == CURSOR)
        .values(position=case((current < position, position), else_=current), updated_at=now)
    )
