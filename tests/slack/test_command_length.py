"""A typed command over the length cap gets a polite private answer, never a 5xx or a form (issue 16)."""

from __future__ import annotations

from bot.incidents.forms import COMMAND_MAX
from tests.conftest import ALICE, GENERAL


async def test_a_command_over_the_cap_is_answered_privately_and_does_nothing(bot, slack):
    reply = await bot.command("Checkout " + "x" * COMMAND_MAX, user=ALICE, channel=GENERAL)

    assert reply.status == 200
    note = slack.ephemerals(user=ALICE)[-1].text
    assert f"commands take at most {COMMAND_MAX:,}" in note and "Nothing was done" in note
    assert slack.opened_views == [] and slack.messages(GENERAL) == []


async def test_a_command_at_the_cap_is_still_a_title(bot, slack):
    await bot.command("Checkout " + "x" * (COMMAND_MAX - len("Checkout ")), user=ALICE, channel=GENERAL)

    assert len(slack.opened_views) == 1  # the declare form, as for any title
