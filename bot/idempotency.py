"""Idempotency keys for inbound requests (event_id, view id, trigger id), kept in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from storage.db import Database
from storage.models import ProcessedRequest


async def first_time(db: Database, kind: str, key: str, at: datetime) -> bool:
    """True exactly once per (kind, key), however many requests race for it."""
    insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    statement = (
        insert(ProcessedRequest)
        .values(kind=kind, key=key[:128], at=at)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
        .returning(ProcessedRequest.id)
    )
    async with db.write() as session:
        return (await session.exec(statement)).first() is not None
