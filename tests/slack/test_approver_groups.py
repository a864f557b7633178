"""Approvers can be named by Slack user group handle; membership is checked on the server."""

from __future__ import annotations

import pytest

from tests.conftest import BOB, DAVE
from tests.policies import make_policy

UPDATES = "CUPDATES"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"approvals": None, "customer_updates": [UPDATES]},
        approvals={"approvers": ["incident-responders"]},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_channel("customer-updates", channel_id=UPDATES)


async def test_a_member_of_the_approver_group_can_approve(bot, slack):
    from tests.slack.flows import channel_of, declare

    await declare(bot)
    approval = slack.messages(channel_of(bot).id)[-1]  # no approvals channel: the card is in the incident

    await bot.click(approval, "draft_approve", user=BOB)  # not in the group
    assert slack.messages(UPDATES) == []
    await bot.click(approval, "draft_approve", user=DAVE)  # @incident-responders

    assert len(slack.messages(UPDATES)) == 1
    assert [c.args.get("usergroup") for c in slack.calls_to("usergroups.users.list")] == ["SRESPONDERS"]
