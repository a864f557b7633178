"""`digest post` names internal facts, so it is refused where customers or another
organisation read: customer-update channels, a named account's channels, Slack Connect."""

from __future__ import annotations

import pytest

from tests.conftest import ALICE, BOB
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import declare

UPDATES, ACME, CONNECT, LEADS = "CUPDATES", "CACME", "CCONNECT", "CLEADS"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        accounts={"Acme Corp": {"channels": [ACME]}},
        roles={"cs_leads": [ALICE]},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (
        ("approvals", APPROVALS),
        ("status", UPDATES),
        ("acme", ACME),
        ("cs-leads", LEADS),
    ):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB])
    slack.add_channel("partner-acme", channel_id=CONNECT, members=[ALICE], ext_shared=True)


def digests_in(slack, channel: str) -> list:
    return [m for m in slack.messages(channel) if "Checkout errors in EU" in str(m.blocks)]


@pytest.mark.parametrize(
    "channel", [UPDATES, ACME, CONNECT], ids=["customer-updates", "named-account", "slack-connect"]
)
async def test_digest_post_is_refused_where_customers_read(bot, slack, channel):
    await declare(bot, named_accounts="Acme Corp")

    await bot.command("digest post", user=ALICE, channel=channel)

    assert digests_in(slack, channel) == []
    assert "not posted where customers or another organisation read" in str(
        slack.ephemerals(user=ALICE)[-1].blocks
    )


async def test_digest_post_goes_to_an_internal_channel(bot, slack):
    await declare(bot, named_accounts="Acme Corp")

    await bot.command("digest post", user=ALICE, channel=LEADS)

    assert len(digests_in(slack, LEADS)) == 1


async def test_a_channel_slack_cannot_describe_counts_as_shared(bot, slack):
    await declare(bot)
    slack.fail_next("conversations.info", "internal_error")

    await bot.command("digest post", user=ALICE, channel=LEADS)

    assert digests_in(slack, LEADS) == []
