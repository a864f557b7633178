"""The real app with extra settings (SMTP_URL), and the approval steps the e-mail and webhook tests share."""

from __future__ import annotations

import re

from sqlmodel import col, select

from storage.channel_models import ExternalDelivery
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS

UPDATES, ACME = "CUPDATES", "CACME"
CHAT_POLICY = {
    "channels": {"customer_updates": [UPDATES]},
    "approvals": {"approvers": [ALICE, BOB, CAROL]},
    "accounts": {"Acme Corp": {"channels": [ACME]}},
}
"""What the e-mail and webhook policies add to the base policy (`tests/policies.py`)."""


def add_channels(slack) -> None:
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", UPDATES), ("acme-shared", ACME)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


ACTIONS = re.compile(r"draft_approve|message_correct")  # a pending or a published draft's card


def approval_card(slack):
    """The newest approval card: in the approvals channel, or a private incident's own channel."""
    cards = [
        m for c in slack.workspace.channels for m in slack.messages(c) if "draft_approve" in str(m.blocks)
    ]
    return max(cards, key=lambda m: float(m.ts)) if cards else slack.messages(APPROVALS)[-1]


async def approve_last(bot, user: str = BOB) -> None:
    await bot.click(approval_card(bot.slack), "draft_approve", user=user)


async def correct_last(bot, **facts: str) -> None:
    """Correct the last published message (its card's Correct button), then approve the new version."""
    await bot.click(approval_card(bot.slack), "message_correct", user=CAROL)
    await bot.submit(bot.slack.opened_views[-1].view, facts, user=CAROL)
    await approve_last(bot)


async def draft_update(bot, channel: str, audience: str) -> None:
    """`/incident update` for an audience: "named_account:Acme Corp" or "internal:internal"."""
    await bot.command("update", user=CAROL, channel=channel)
    await bot.submit(bot.slack.opened_views[-1].view, {"audience": audience}, user=CAROL)


async def deliveries(bot, channel: str | None = None) -> list[ExternalDelivery]:
    async with bot.core.db.read() as session:
        statement = select(ExternalDelivery).order_by(col(ExternalDelivery.id))
        if channel:
            statement = statement.where(ExternalDelivery.channel == channel)
        return list((await session.exec(statement)).all())
