"""Actions that name no incident, over signed HTTP on Slack: declaring and the digest (and
the list and the Home tab, which follow it), under the defaults and under a narrowed table."""

from __future__ import annotations

import pytest

from tests.access.test_slack_actions import channels, told  # noqa: F401  (the channels fixture)
from tests.conftest import ALICE, DAVE, ERIN, GENERAL, running_bot
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import declare

UPDATES = "CUPDATES"


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, channels={"customer_updates": [UPDATES]}, roles={"cs_leads": [ERIN]})


async def test_posting_the_digest_is_for_cs_leads_and_reading_it_for_everyone(bot, slack):
    await declare(bot)

    await bot.command("digest post", user=DAVE, channel=APPROVALS)
    await bot.command("digest", user=DAVE, channel=APPROVALS)

    assert "Only CS leads" in told(slack, DAVE) and "post the digest" in told(slack, DAVE)
    assert [
        m
        for m in slack.messages(APPROVALS)
        if "Checkout errors in EU" in str(m.blocks) and "digest" in m.text.lower()
    ] == []
    assert "Checkout errors in EU" in told(slack, DAVE)  # his own, private digest
    await bot.command("digest post", user=ERIN, channel=APPROVALS)
    assert any("Checkout errors in EU" in str(m.blocks) for m in slack.messages(APPROVALS)[-2:])


async def test_a_team_can_restrict_declaring_and_the_refusal_names_who_can(
    slack, database_url, clock, tmp_path
):
    policy = make_policy(
        tmp_path, incident={"responder_group": "incident-responders"}, permissions={"declare": ["responders"]}
    )
    async with running_bot(slack, database_url, clock, policy) as bot:
        await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
        assert slack.opened_views == []  # refused before she fills in the form
        assert "Only responders (@incident-responders) can declare incidents." in told(slack, ALICE)
        assert slack.calls_to("conversations.create") == []
        await declare(bot, user=DAVE)  # in the incident-responders group
        assert len([c for c in slack.calls_to("conversations.create") if c.ok]) == 1


async def test_narrowing_the_digest_also_narrows_the_list_and_the_home_tab(
    slack, database_url, clock, tmp_path
):
    policy = make_policy(tmp_path, roles={"cs_leads": [ERIN]}, permissions={"digest": ["cs_leads"]})
    async with running_bot(slack, database_url, clock, policy) as bot:
        await declare(bot)

        await bot.command("list", user=DAVE, channel=GENERAL)
        await bot.event({"type": "app_home_opened", "user": DAVE, "tab": "home"})
        await bot.command("list", user=ERIN, channel=GENERAL)

        assert "Only CS leads" in told(slack, DAVE) and "Checkout errors in EU" not in told(slack, DAVE)
        assert "Checkout errors in EU" not in str(slack.home_views[DAVE]["blocks"])
        assert "Checkout errors in EU" in told(slack, ERIN)
