"""One incident run end to end on Slack, over signed HTTP and over Socket Mode: declare, approve,
publish, remind, draft an update from the reminder, approve it, resolve, approve the notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.enums import DraftStatus, Stage
from storage.models import Draft
from tests.conftest import ALICE, BOB, CAROL, TRANSPORTS
from tests.policies import APPROVALS, make_policy
from tests.resolution.test_resolve import resolve
from tests.slack.flows import channel_of, declare

UPDATES = "CUPDATES"


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, channels={"customer_updates": [UPDATES]})


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, CAROL])
    slack.add_channel("customer-updates", channel_id=UPDATES, members=[ALICE, BOB, CAROL])


async def approve_latest(bot) -> None:
    await bot.click(bot.slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)


async def stages(bot) -> dict[str, str]:
    async with bot.core.db.read() as session:
        return {d.stage: d.status for d in (await session.exec(select(Draft))).all()}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_an_incident_from_declaration_to_its_resolution_notice(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    await approve_latest(bot)
    assert (await stages(bot))[Stage.INITIAL] == DraftStatus.PUBLISHED

    clock.set(clock.now() + timedelta(hours=2))
    assert await bot.core.reminders.run() >= 1
    await bot.settle()
    reminder = next(m for m in reversed(slack.messages(channel)) if "Draft update" in str(m.blocks))
    await bot.click(reminder, "draft_update", user=CAROL)
    form = slack.opened_views[-1].view
    reply = await bot.submit(form, {"headline": "Checkout recovers for most EU customers"}, user=CAROL)
    assert reply.status == 200, reply.text
    await approve_latest(bot)
    assert (await stages(bot))[Stage.UPDATE] == DraftStatus.PUBLISHED

    assert (await resolve(bot, channel)).status == 200
    await approve_latest(bot)

    assert (await stages(bot))[Stage.RESOLVED] == DraftStatus.PUBLISHED
    assert (await bot.core.incidents.get(1)).status == "resolved"
    published = slack.messages(UPDATES)
    assert len(published) == 3, [m.text for m in published]  # each stage once, none twice
    assert "Checkout recovers for most EU customers" in str(published[1].blocks)
