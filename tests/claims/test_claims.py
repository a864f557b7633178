"""The shared lease claim (bot/claims.py) on its own, on SQLite and PostgreSQL.

Incidents stand in for any claim queue: `next_reminder_at` says when a row is due and
`reminder_lease_until` holds the claim, as the reminder sweep uses them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import or_
from sqlmodel import col, select

from bot import claims
from storage.db import Database
from storage.models import Incident

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
LEASE = timedelta(minutes=1)
DUE, LATER = 40, 5  # rows due by NOW (the later inserted, the earlier due), rows due a day later


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.write() as session:
        for n in range(DUE + LATER):
            due_at = NOW - timedelta(seconds=n) if n < DUE else NOW + timedelta(days=1)
            session.add(_incident(n, due_at))
    yield database
    await database.dispose()


def _incident(n: int, due_at: datetime) -> Incident:
    return Incident(
        title=f"Incident {n}",
        what_happened="",
        customer_impact="",
        severity="SEV2",
        status="investigating",
        visibility="public",
        reporter_id="UALICE",
        commander_id="UALICE",
        comms_owner_id="UALICE",
        source_key=f"claims-{n}",
        declared_at=NOW,
        updated_at=NOW,
        next_reminder_at=due_at,
    )


async def _claim(db: Database, now: datetime, limit: int, *, hold: float = 0.0) -> list[int]:
    """One claimer's transaction; `hold` keeps it open (rows locked) so claimers overlap."""
    async with db.write() as session:
        ids = await claims.claim(
            session,
            Incident,
            due=(
                col(Incident.next_reminder_at) <= now,
                or_(col(Incident.reminder_lease_until).is_(None), col(Incident.reminder_lease_until) < now),
            ),
            order_by=(col(Incident.next_reminder_at),),
            limit=limit,
            sets={col(Incident.reminder_lease_until): now + LEASE, "version": col(Incident.version) + 1},
            returning=(Incident.id,),
        )
        await asyncio.sleep(hold)
    return ids


async def _due_ids(db: Database) -> set[int]:
    async with db.read() as session:
        rows = await session.exec(select(Incident.id).where(col(Incident.next_reminder_at) <= NOW))
        return set(rows.all())


async def test_concurrent_claimers_claim_each_due_row_exactly_once(database_url, db):
    claimers = [Database(database_url) for _ in range(4)]

    async def drain(claimer: Database) -> list[int]:
        taken: list[int] = []
        for _ in range(DUE):  # bounded: a claim that never leases would loop forever
            if not (batch := await _claim(claimer, NOW, limit=3, hold=0.02)):
                break
            taken += batch
        return taken

    try:
        taken = await asyncio.gather(*(drain(claimer) for claimer in claimers))
    finally:
        for claimer in claimers:
            await claimer.dispose()

    counts = Counter(incident_id for batch in taken for incident_id in batch)
    assert set(counts) == await _due_ids(db)
    assert set(counts.values()) == {1}


async def test_an_unexpired_lease_is_not_claimed_again_and_an_expired_one_is(db):
    first = await _claim(db, NOW, limit=100)

    assert len(first) == DUE
    assert await _claim(db, NOW + LEASE - timedelta(seconds=1), limit=100) == []
    assert sorted(await _claim(db, NOW + LEASE + timedelta(seconds=1), limit=100)) == sorted(first)


async def test_a_claim_takes_the_first_due_rows_in_order_and_sets_the_lease_and_values(db):
    claimed = await _claim(db, NOW, limit=3)

    async with db.read() as session:
        rows = (await session.exec(select(Incident).order_by(col(Incident.next_reminder_at)))).all()
    assert sorted(claimed) == sorted(row.id for row in rows[:3])
    assert {(row.reminder_lease_until, row.version) for row in rows[:3]} == {(NOW + LEASE, 2)}
    assert {(row.reminder_lease_until, row.version) for row in rows[3:]} == {(None, 1)}


async def test_claimed_rows_come_back_whole_or_as_the_columns_asked_for(db):
    due = (col(Incident.next_reminder_at) <= NOW,)
    async with db.write() as session:
        whole = await claims.claim(
            session,
            Incident,
            due=due,
            sets={col(Incident.reminder_lease_until): NOW + LEASE},
            limit=1,
            order_by=(col(Incident.next_reminder_at),),
        )
        pairs = await claims.claim(
            session,
            Incident,
            due=due,
            sets={col(Incident.reminder_lease_until): NOW + LEASE},
            limit=2,
            order_by=(col(Incident.next_reminder_at),),
            returning=(Incident.id, Incident.title),
        )

    assert [(type(row), row.reminder_lease_until) for row in whole] == [(Incident, NOW + LEASE)]
    assert sorted(tuple(pair) for pair in pairs) == [
        (DUE - 1, f"Incident {DUE - 2}"),
        (DUE, f"Incident {DUE - 1}"),
    ]
