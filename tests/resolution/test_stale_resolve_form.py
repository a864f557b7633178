"""A resolve form opened before someone else resolved and reopened the incident does not resolve
it again: the reopen was a later decision. Other changes meanwhile do not block a resolve."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.conftest import ALICE, BOB
from tests.resolution.test_resolve import resolve
from tests.slack.flows import channel_of, declare

MINUTE = timedelta(minutes=1)
FILLED = {"summary": "Rolled back the gateway deploy.", "customer_text": "Payments work normally again."}


async def open_resolve_form(bot, channel: str, user: str) -> dict:
    await bot.command("resolve", user=user, channel=channel)
    return bot.slack.opened_views[-1].view


async def test_a_resolve_form_from_before_a_reopen_is_answered_in_the_form(bot, slack, clock):
    await declare(bot, commander=BOB)
    channel = channel_of(bot).id
    slack.join(channel, ALICE)
    stale = await open_resolve_form(bot, channel, ALICE)
    clock.advance(MINUTE)
    await resolve(bot, channel, user=BOB)
    clock.advance(MINUTE)
    await bot.command("reopen", user=BOB, channel=channel)

    reply = await bot.submit(stale, FILLED, user=ALICE)

    errors = json.loads(reply.text)["errors"]
    assert errors["summary"].startswith("INC-1 was resolved and reopened at 09:32 UTC, after you opened")
    assert "Open the form again to resolve it." in errors["summary"]
    assert (await bot.core.incidents.get(1)).status == "investigating"


async def test_a_resolve_form_still_resolves_after_other_changes(bot, slack, clock):
    await declare(bot, commander=BOB)
    channel = channel_of(bot).id
    stale = await open_resolve_form(bot, channel, BOB)
    clock.advance(MINUTE)
    await bot.command("edit", user=BOB, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"severity": "SEV1"}, user=BOB)

    reply = await bot.submit(stale, FILLED, user=BOB)

    assert reply.status == 200 and not reply.text
    assert (await bot.core.incidents.get(1)).status == "resolved"
