"""Each transition once: two instances sweeping together across the start and the end, a restart
between them; and the overrun nag when the owner completes the work themselves."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.services.sweeps import cadence_sweep
from tests.conftest import ALICE, BOB, GENERAL, running_bot
from tests.maintenance.helpers import (
    card,
    component_statuses,
    dms,
    maintenance_policy,
    maintenances,
    posts,
    schedule,
)


async def test_two_instances_and_a_restart_take_each_transition_once(bot, slack, clock, database_url, policy):
    start = clock.now() + timedelta(hours=3)
    await schedule(bot, start)
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    async with running_bot(slack, database_url, clock, policy) as other:
        clock.advance(timedelta(hours=2, minutes=30))  # inside reminder_before
        await asyncio.gather(*(cadence_sweep(b.core) for b in (bot, other, bot, other)))
        clock.advance(timedelta(minutes=31))  # the start
        await asyncio.gather(*(cadence_sweep(b.core) for b in (bot, other, bot, other)))
    assert len([t for t in dms(slack, ALICE) if "starts soon" in t]) == 1
    assert len(posts(slack)) == 2 and "Maintenance in progress" in posts(slack)[1]
    async with running_bot(slack, database_url, clock, policy) as restarted:  # a new instance
        clock.advance(timedelta(hours=2))  # past the end
        await asyncio.gather(*(cadence_sweep(b.core) for b in (bot, restarted, restarted)))
        assert await component_statuses(restarted) == {"api": "operational", "dashboard": "operational"}
    assert len(posts(slack)) == 3 and "Maintenance complete" in posts(slack)[2]
    assert [m["status"] for m in await maintenances(bot)] == ["completed"]


@pytest.fixture
def owner_completes(tmp_path):
    return maintenance_policy(tmp_path, auto_complete=False, overrun_nag_every="30m")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_an_overrun_nags_the_owner_until_they_complete_it(slack, clock, database_url, owner_completes):
    async with running_bot(slack, database_url, clock, owner_completes) as bot:
        start = clock.now() + timedelta(minutes=30)
        await schedule(bot, start, hours=1)
        await bot.click(card(slack), "maintenance_approve", user=BOB)
        clock.advance(timedelta(minutes=31))
        await cadence_sweep(bot.core)
        clock.advance(timedelta(hours=1))  # the planned end passed: still in progress
        await cadence_sweep(bot.core)
        await cadence_sweep(bot.core)
        assert len([t for t in dms(slack, ALICE) if "overran" in t]) == 1
        assert [m["status"] for m in await maintenances(bot, "active")] == ["in_progress"]
        clock.advance(timedelta(minutes=31))
        await cadence_sweep(bot.core)
        assert len([t for t in dms(slack, ALICE) if "overran" in t]) == 2
        maintenance_id = (await maintenances(bot))[0]["id"].removeprefix("mnt-")
        await bot.command(f"maintenance complete {maintenance_id}", user=ALICE, channel=GENERAL)
        assert "Maintenance complete" in posts(slack)[-1] and len(posts(slack)) == 3
        clock.advance(timedelta(hours=1))
        await cadence_sweep(bot.core)
        assert len([t for t in dms(slack, ALICE) if "overran" in t]) == 2
        assert await component_statuses(bot) == {"api": "operational", "dashboard": "operational"}
