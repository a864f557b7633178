"""`/incident timeline`: the whole story in order, with who did what."""

from __future__ import annotations

from datetime import timedelta

from bot.services.sweeps import cadence_sweep
from tests.conftest import ALICE, BOB, CAROL
from tests.resolution.conftest import approvals_channel  # noqa: F401 (fixture)
from tests.resolution.test_follow_ups import policy  # noqa: F401 (fixture)
from tests.resolution.test_resolve import APPROVALS, resolve
from tests.slack.flows import channel_of, declare


async def test_the_timeline_tells_the_story_in_order(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    clock.advance(timedelta(minutes=5))
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)
    due = (await bot.core.incidents.get(1)).next_update_due_at
    await cadence_sweep(bot.core, due)
    clock.set(due + timedelta(minutes=5))
    await resolve(bot, channel)

    await bot.command("timeline", user=ALICE, channel=channel)

    text = slack.ephemerals(user=ALICE)[-1].text + str(slack.ephemerals(user=ALICE)[-1].blocks)
    expected = [
        "declared the incident (SEV2, public)",
        "set up the incident channel",
        "drafted the initial notice for customers (v1)",
        "approved the initial notice for customers (v1)",
        "published the initial notice for customers (v1)",
        "posted a reminder (due)",
        "resolved the incident: Rolled back the gateway deploy.",
        "created the follow-up “Root-cause analysis” for <@UBOB>",
        "drafted the resolution notice for customers (v1)",
    ]
    positions = [text.index(line) for line in expected]
    assert positions == sorted(positions)
    assert "<@UALICE> declared" in text and "<@UBOB> approved" in text
    assert "*Mon 23 Nov 2026*" in text


async def test_follow_ups_are_named_by_title_in_the_timeline_not_by_a_global_id(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    await resolve(bot, channel)
    [first, *_] = await bot.core.follow_ups.for_incident(1)
    await bot.core.follow_ups.complete(first.id, actor=BOB, notes="Written up.")

    await bot.command("timeline", user=ALICE, channel=channel)

    text = slack.ephemerals(user=ALICE)[-1].text + str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert "<@UBOB> completed the follow-up “Root-cause analysis”" in text
    assert "follow-up #" not in text
