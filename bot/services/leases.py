"""At shutdown: hand back the leases this instance still holds, so another instance takes them at once.

Every write of an outbox entry or a reminder stamps `claimed_by` with the writing instance
(storage/models.py::lease_owner), so a row whose lease is still running and whose last writer
is us was claimed by us. Its lease is ended (`claimed_until = now`) and its status left as it
is: an entry or reminder in flight is looked up in the channel before any re-send, as after a
crash. Called once the background work has finished or been cancelled.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, update

from storage.db import Database
from storage.models import OutboxEntry, Reminder, lease_owner


async def release_leases(db: Database, now: datetime) -> int:
    """End our running leases on outbox entries and reminders; how many were handed back."""
    owner = lease_owner(db.engine.sync_engine)
    released = 0
    async with db.write() as session:
        for table in (OutboxEntry, Reminder):
            statement = (
                update(table)
                .where(col(table.claimed_by) == owner, col(table.claimed_until) > now)
                .values(claimed_until=now)
            )
            released += (await session.exec(statement)).rowcount or 0
    return released
