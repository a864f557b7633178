"""Teams at capacity: a typed command gets "busy, try again", a dialog or card button is
answered busy inside Teams' wait, nothing changes, and the accepted work still finishes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.background import BUSY
from storage.models import Incident
from tests.handlers.test_busy import CAPACITY, fill
from tests.teams.conftest import running_teams
from tests.teams.test_declare import ALICE, FORM, THREAD, open_dialog


@pytest.fixture
async def small(slack, connector, database_url, clock, policy) -> AsyncIterator:
    async with running_teams(
        slack, connector, database_url, clock, policy, MAX_BACKGROUND_TASKS=str(CAPACITY)
    ) as driver:
        yield driver


async def incidents(teams) -> list[Incident]:
    async with teams.core.db.read() as session:
        return list((await session.exec(select(Incident))).all())


async def test_a_typed_command_at_capacity_is_answered_busy_and_the_accepted_work_finishes(small, connector):
    release, finished = await fill(small)
    await small.message(
        "incident declare Checkout errors in EU", user=ALICE, conversation=THREAD, settle=False
    )
    await _until_posted(small, THREAD)

    assert BUSY in connector.last(THREAD).texts() and await incidents(small) == []
    release.set()
    await small.settle()
    assert len(finished) == CAPACITY
    assert (await open_dialog(small))["type"] == "AdaptiveCard", "with room again, the command works"


async def test_a_dialog_submitted_at_capacity_is_answered_busy_and_declares_nothing(small):
    await open_dialog(small)
    release, _ = await fill(small)

    reply = await small.invoke("task/submit", {"data": FORM}, user=ALICE, conversation=THREAD)

    assert reply.status == 200 and reply.body == {"task": {"type": "message", "value": BUSY}}
    assert await incidents(small) == []
    release.set()
    await small.settle()


async def _until_posted(teams, conversation: str) -> None:
    for _ in range(100):
        if teams.connector.messages(conversation):
            return
        await asyncio.sleep(0.02)
