"""Multi-step user stories reused by several tests."""

from __future__ import annotations

from typing import Any

from emulator.driver import SlackDriver
from tests.conftest import ALICE, GENERAL

DEFAULT_FORM = {
    "what_happened": "Card payments fail at checkout for customers in the EU region.",
    "customer_impact": "EU customers cannot complete purchases; about 30% of checkouts fail.",
    "severity": "SEV2",
    "segments": ["EU region"],
}


async def open_declare_form(
    bot: SlackDriver, text: str = "Checkout errors in EU", *, user: str = ALICE
) -> dict:
    reply = await bot.command(text, user=user, channel=GENERAL)
    assert reply.status == 200
    return bot.slack.opened_views[-1].view


async def declare(
    bot: SlackDriver, title: str = "Checkout errors in EU", *, user: str = ALICE, **fields: Any
) -> dict:
    """Type /incident, fill the form, submit; returns the submitted view."""
    view = await open_declare_form(bot, title, user=user)
    reply = await bot.submit(view, {**DEFAULT_FORM, **fields}, user=user)
    assert reply.status == 200, reply.text
    return view


def channel_of(bot: SlackDriver, number: int = 1):
    matches = [c for c in bot.slack.calls_to("conversations.create") if c.ok]
    assert len(matches) >= number, "no incident channel was created"
    return bot.slack.channel(matches[number - 1].args["name"])
