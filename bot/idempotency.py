"""Idempotency keys for inbound requests (event_id, view id, trigger id), kept in the database
for as long as Slack may redeliver them, then pruned."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from storage.db import Database
from storage.models import ProcessedRequest, SweepRun

log = logging.getLogger(__name__)


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


# Slack retries an unanswered event up to 3 times (at once, after 1 minute, after 5 minutes) and
# gives up on an app after about an hour of failures; a key older than 2 hours can never be
# redelivered, so it is deleted. Checked by the cadence sweep, done once per PRUNE_PERIOD by
# whichever instance claims the period first.
RETENTION = timedelta(hours=2)
PRUNE_PERIOD = timedelta(hours=1)
PRUNE = "prune:processed_request"
RUNS_KEPT = timedelta(days=7)  # claimed periods are pruned too


async def prune_once_per_period(db: Database, now: datetime) -> int | None:
    """Delete keys older than RETENTION, once per period over all instances: the number
    deleted, or None when this period was already done (here or by another instance)."""
    period = datetime.fromtimestamp(
        now.timestamp() // PRUNE_PERIOD.total_seconds() * PRUNE_PERIOD.total_seconds(), UTC
    )
    async with db.read() as session:  # every second most sweeps only read
        done = select(SweepRun.id).where(SweepRun.name == PRUNE, SweepRun.period_start == period)
        if (await session.exec(done)).first() is not None:
            return None
    insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    claim = (
        insert(SweepRun)
        .values(name=PRUNE, period_start=period, claimed_at=now)
        .on_conflict_do_nothing(index_elements=["name", "period_start"])
        .returning(SweepRun.id)
    )
    async with db.write() as session:
        if (await session.exec(claim)).first() is None:
            return None
        pruned = await session.exec(
            delete(ProcessedRequest).where(col(ProcessedRequest.at) < now - RETENTION)
        )
        await session.exec(delete(SweepRun).where(col(SweepRun.period_start) < now - RUNS_KEPT))
    log.info("pruned %d idempotency key(s) older than %s", pruned.rowcount, RETENTION)
    return pruned.rowcount
