"""An Edit form opened on an older version of a draft never replaces a newer one: the save is
answered in the form, and nothing is written."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Draft
from tests.conftest import ALICE, BOB
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import declare


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, approvals={"approvers": [BOB]})


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB])


async def open_edit(bot, slack) -> dict:
    await bot.click(slack.messages(APPROVALS)[-1], "draft_edit", user=ALICE)
    return slack.opened_views[-1].view


async def version(bot) -> int:
    async with bot.core.db.read() as session:
        return (await session.exec(select(Draft))).one().version


async def test_saving_an_edit_of_an_older_version_is_answered_in_the_form(bot, slack):
    await declare(bot)
    stale = await open_edit(bot, slack)
    await bot.submit(await open_edit(bot, slack), {"impact": "Card payments fail in the EU."}, user=ALICE)

    reply = await bot.submit(stale, {"impact": "Everything is down."}, user=ALICE)

    [message] = reply.json()["errors"].values()
    assert message.startswith("This form edits version 1, but the draft is now at version 2")
    assert await version(bot) == 2
    await bot.submit(await open_edit(bot, slack), {"impact": "Everything is down."}, user=ALICE)
    assert await version(bot) == 3
