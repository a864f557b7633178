"""`digest post` names internal facts, so it is refused where customers or another
organisation read: customer-update channels, a named account's channels, Slack Connect."""

from __future__ import annotations

import pytest

from tests.conftest import ALICE, BOB
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import declare

UPDATES, ACME, CONNECT, LEADS, OPS = "CUPDATES", "CACME", "CCONNECT", "CLEADS", "COPS"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        accounts={"Acme Corp": {"channels": [ACME]}},
        roles={"cs_leads": [ALICE]},
        digests={"channel": LEADS},  # the CS leads' channel: the only one that gets the full digest
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (
        ("approvals", APPROVALS),
        ("status", UPDATES),
        ("acme", ACME),
        ("cs-leads", LEADS),
        ("ops", OPS),
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


async def test_the_cs_leads_channel_gets_the_full_digest_and_others_the_redacted_one(bot, slack):
    await declare(bot, named_accounts="Acme Corp")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)  # customers are told

    await bot.command("digest post", user=ALICE, channel=LEADS)
    await bot.command("digest post", user=ALICE, channel=OPS)

    assert len(digests_in(slack, LEADS)) == 1 and "Acme Corp" in str(digests_in(slack, LEADS)[0].blocks)
    [redacted] = slack.messages(OPS)
    shown = str(redacted.blocks) + redacted.text
    assert "Live incidents (as customers were told)" in shown and "SEV2" in shown and "Investigating" in shown
    assert "next update by 10:30 UTC" in shown  # the approved headline, as customers read it
    for internal in ("Acme Corp", "about 30% of checkouts fail", "EU region", "<#C"):
        assert internal not in shown


async def test_a_channel_slack_cannot_describe_counts_as_shared(bot, slack):
    await declare(bot)
    slack.fail_next("conversations.info", "internal_error")

    await bot.command("digest post", user=ALICE, channel=LEADS)

    assert digests_in(slack, LEADS) == []
