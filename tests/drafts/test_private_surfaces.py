"""A private incident stays in its own rooms: its drafts wait in its channel (or the policy's
private approvals channel, never the shared one), and an escalation posted elsewhere says only
that a private incident needs an update."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ALICE, BOB, CAROL, running_bot
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import channel_of, declare

ESCALATIONS, PRIVATE_APPROVALS = "CESCALATE", "CPRIVATEAPPROVALS"
TITLE = "Payroll export leaked salaries"


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, reminders={"escalate_after": "15m", "escalation_channel": ESCALATIONS})


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (
        ("approvals", APPROVALS),
        ("escalations", ESCALATIONS),
        ("hr-approvals", PRIVATE_APPROVALS),
    ):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


def mentions_it(slack, channel: str) -> bool:
    return any(
        TITLE in m.text + str(m.blocks) or "INC-1" in m.text + str(m.blocks) for m in slack.messages(channel)
    )


async def test_a_private_incidents_draft_waits_in_its_own_channel_not_the_shared_one(bot, slack):
    await declare(bot, TITLE, visibility="private")

    assert not mentions_it(slack, APPROVALS)
    assert any("Initial notice" in str(m.blocks) for m in slack.messages(channel_of(bot).id))


async def test_the_policy_can_name_a_private_approvals_channel(slack, database_url, clock, tmp_path):
    policy = make_policy(tmp_path, channels={"private_approvals": PRIVATE_APPROVALS})
    async with running_bot(slack, database_url, clock, policy) as bot:
        await declare(bot, TITLE, visibility="private")
        await declare(bot, "Checkout errors in EU")

    assert any("Initial notice" in str(m.blocks) for m in slack.messages(PRIVATE_APPROVALS))
    assert [m for m in slack.messages(APPROVALS) if TITLE in str(m.blocks)] == []
    assert any("Checkout errors in EU" in str(m.blocks) for m in slack.messages(APPROVALS))


async def test_an_escalation_outside_a_private_incidents_channel_names_nothing(bot, slack, clock):
    await declare(bot, TITLE, visibility="private", commander=BOB, comms_owner=CAROL)
    clock.set(clock.now() + timedelta(hours=1, minutes=16))  # SEV2: due after 1h, escalated 15m later

    await bot.core.reminders.run()

    [escalated] = slack.messages(ESCALATIONS)
    shown = escalated.text + str(escalated.blocks)
    assert "A private incident needs an update" in shown
    for secret in (TITLE, "INC-1", "UBOB", "UCAROL", "Snooze"):
        assert secret not in shown
    assert any(TITLE in str(m.blocks) + m.text for m in slack.messages(channel_of(bot).id))
