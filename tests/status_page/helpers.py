"""A public incident with every kind of message, only some of which customers may ever see."""

from __future__ import annotations

import pytest

from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import channel_of, declare

UPDATES, LEADS, ACME = "CUPDATES", "CLEADS", "CACME"
SECRET_ACCOUNT = "Acme Corp"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES], "internal_updates": [LEADS]},
        accounts={SECRET_ACCOUNT: {"channels": [ACME]}},
        status_page={"name": "Example status", "public_segments": ["EU region"]},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (
        ("approvals", APPROVALS),
        ("updates", UPDATES),
        ("leads", LEADS),
        ("acme", ACME),
    ):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


def approval_cards(slack):
    return slack.messages(APPROVALS)


async def draft_update(bot, channel: str, audience: str, what: str, *, user: str = CAROL) -> None:
    await bot.command("update", user=user, channel=channel)
    await bot.submit(
        bot.slack.opened_views[-1].view, {"audience": audience, "what_happened": what}, user=user
    )


async def public_story(bot, slack) -> str:
    """INC-1 (public): an approved notice, a pending, a rejected, an internal and a named-account
    message. INC-2 (private): an approved notice. Returns INC-1's channel."""
    await declare(
        bot,
        "Checkout errors at Acme Corp",
        named_accounts=SECRET_ACCOUNT,
        segments=["EU region", "Self-serve"],
    )
    channel = channel_of(bot).id
    slack.join(channel, CAROL)  # Carol writes the updates from the incident channel
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    await draft_update(bot, channel, "internal:internal", "INTERNAL-ONLY: the database primary failed over.")
    await draft_update(
        bot, channel, f"named_account:{SECRET_ACCOUNT}", "ACCOUNT-ONLY: your EU tenant is affected."
    )
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    await draft_update(bot, channel, "customer:customers", "REJECTED-TEXT: we think the vendor broke it.")
    await bot.click(approval_cards(slack)[-1], "draft_reject", user=BOB)
    await bot.submit(slack.opened_views[-1].view, {"reason": "No speculation."}, user=BOB)
    await draft_update(bot, channel, "customer:customers", "PENDING-TEXT: a fix is being deployed.")
    await declare(bot, "Payroll export leak", visibility="private")
    private = channel_of(bot, 2).id  # a private incident's drafts wait in its own channel
    await bot.click(
        next(m for m in slack.messages(private) if "draft_approve" in str(m.blocks)),
        "draft_approve",
        user=BOB,
    )
    return channel
