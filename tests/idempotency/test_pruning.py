"""Idempotency keys older than Slack's retry window are pruned, by one instance per period."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.idempotency import PRUNE_PERIOD, RETENTION, first_time, prune_once_per_period
from bot.services.sweeps import cadence_sweep
from storage.db import Database
from storage.models import ProcessedRequest

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def keys(db: Database) -> list[str]:
    async with db.read() as session:
        return sorted((await session.exec(select(ProcessedRequest.key))).all())


async def test_old_keys_go_recent_stay_and_two_instances_prune_once(database_url):
    first, second = Database(database_url), Database(database_url)  # two instances, one database
    try:
        minute = timedelta(minutes=1)
        for key, age in (("old", RETENTION + minute), ("recent", RETENTION - minute)):
            assert await first_time(first, "event", key, NOW - age)

        results = await asyncio.gather(*(prune_once_per_period(db, NOW) for db in (first, second)))

        assert sorted(results, key=str) == [1, None]  # one instance deleted the one old key
        assert await keys(first) == ["recent"]
        assert await prune_once_per_period(first, NOW + timedelta(minutes=10)) is None  # same period
        later = NOW + PRUNE_PERIOD
        assert await prune_once_per_period(second, later) == 1  # the next period: "recent" is old now
        assert await keys(first) == []
        assert await first_time(first, "event", "old", later)  # a pruned key is new again
    finally:
        await first.dispose()
        await second.dispose()


async def test_the_cadence_sweep_prunes(bot, clock):
    core = bot.core
    assert await first_time(core.db, "event", "Ev-old", clock.now() - RETENTION - timedelta(seconds=1))
    assert await first_time(core.db, "event", "Ev-new", clock.now())

    await cadence_sweep(core)

    assert await keys(core.db) == ["Ev-new"]
