"""The digest says who paused or snoozed an incident's reminders and since or until when (issue 18)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import ALICE, BOB, CAROL, DAVE, GENERAL
from tests.digests.test_digests import digest_channel, policy  # noqa: F401  (fixtures)
from tests.slack.flows import channel_of, declare


async def test_the_digest_shows_who_paused_and_who_snoozed_reminders(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL)
    first = channel_of(bot).id
    await bot.command("pause", user=CAROL, channel=first)
    clock.advance(timedelta(minutes=3))
    await declare(bot, "Search is slow", commander=BOB, comms_owner=CAROL)
    second = (await bot.core.incidents.get(2)).channel_id
    await bot.command("snooze 30m", user=BOB, channel=second)

    await bot.command("digest", user=ALICE, channel=GENERAL)

    shown = str(slack.responses()[-1])
    assert f"Next update: Reminders paused by <@{CAROL}> since 09:30 UTC" in shown
    assert f"Reminders snoozed by <@{BOB}> until 10:03 UTC" in shown


async def test_a_private_incidents_hold_shows_only_to_those_running_it(bot, slack, clock):
    await declare(bot, "Private breach", user=DAVE, visibility="private", severity="SEV1")
    await bot.command("pause", user=DAVE, channel=channel_of(bot).id)

    await bot.command("digest", user=ALICE, channel=GENERAL)
    assert "Private breach" not in str(slack.responses()[-1]) and "paused" not in str(slack.responses()[-1])
    await bot.command("digest", user=DAVE, channel=GENERAL)
    assert f"Reminders paused by <@{DAVE}> since 09:30 UTC" in str(slack.responses()[-1])
