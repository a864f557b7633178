"""A draft's "next update by" follows the policy: a severity raised before approval re-derives
it as a new version the bot makes (earlier approvals no longer count), and a promise that has
passed cannot be approved (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.audit.timeline import timeline
from storage.models import Draft, DraftVersion
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import channel_of, declare

UPDATES = "CUPDATES"
NINE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        approvals={"approvers": [BOB, CAROL], "default_required": 2},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, CAROL])
    slack.add_channel("customer-updates", channel_id=UPDATES, members=[ALICE, BOB])


async def set_severity(bot, severity: str) -> None:
    await bot.command("edit", user=ALICE, channel=channel_of(bot).id)
    await bot.submit(bot.slack.opened_views[-1].view, {"severity": severity}, user=ALICE)


async def versions(bot) -> list[DraftVersion]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(DraftVersion).order_by(col(DraftVersion.number)))).all())


async def test_a_severity_raised_before_approval_moves_the_promise_and_voids_approvals(bot, slack, clock):
    clock.set(NINE)
    await declare(bot)  # SEV2: an update within the hour, so "by 10:00 UTC"
    assert "by 10:00 UTC" in str(slack.messages(APPROVALS)[-1].blocks)
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)  # 1 of 2
    clock.set(NINE + timedelta(minutes=4))

    await set_severity(bot, "SEV1")  # every 30 minutes

    card = str(slack.messages(APPROVALS)[-1].blocks)
    assert "by 09:35 UTC" in card and "by 10:00 UTC" not in card
    first, second = await versions(bot)
    assert second.author_id == first.author_id == ALICE  # the bot added no author
    assert second.facts["next_update_at"].startswith("2026-12-07T09:35")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=CAROL)
    assert slack.messages(UPDATES) == []  # Bob's approval was of the old promise
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)
    [published] = slack.messages(UPDATES)
    assert "by 09:35 UTC" in str(published.blocks)
    texts = [entry.text for entry in await timeline(bot.core.db, 1)]
    assert (
        "moved the next update promised in the initial notice for customers to 09:35 UTC (SEV1) (v2)" in texts
    )


async def test_a_lower_severity_keeps_a_promise_the_policy_still_allows(bot, slack, clock):
    clock.set(NINE)
    await declare(bot)

    await set_severity(bot, "SEV3")

    assert len(await versions(bot)) == 1
    assert "by 10:00 UTC" in str(slack.messages(APPROVALS)[-1].blocks)


async def test_a_promise_already_in_the_past_cannot_be_approved(bot, slack, clock):
    clock.set(NINE)
    await declare(bot)
    clock.set(NINE + timedelta(hours=1, minutes=1))

    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)

    told = str(slack.ephemerals(user=BOB)[-1].blocks)
    assert "promises the next update by 10:00 UTC, which has passed" in told and "Edit" in told
    async with bot.core.db.read() as session:
        draft = (await session.exec(select(Draft))).one()
    assert draft.status == "pending" and slack.messages(UPDATES) == []
