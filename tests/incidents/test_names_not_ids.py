"""Where people read text that cannot render a mention (a channel topic, a file, an e-mail), they
see names; the timeline names fields as the edit form does (issue 21)."""

from __future__ import annotations

from datetime import timedelta

from bot.audit.timeline import timeline
from tests.conftest import ALICE, BOB, CAROL
from tests.slack.flows import channel_of, declare


async def test_the_topic_names_the_commander_before_and_after_resolution(bot, slack):
    await declare(bot, commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    assert slack.channel(channel).topic.endswith("IC: bob")

    await bot.command("resolve", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"summary": "Rolled back."}, user=ALICE)

    topic = slack.channel(channel).topic
    assert "resolved" in topic and topic.endswith("IC: bob") and BOB not in topic


async def test_a_renamed_commander_is_named_as_the_platform_knows_them(bot, slack, clock):
    slack.add_user("UFRED", "fred", real_name="Fred Jones", email="fred@example.com")
    await declare(bot, commander="UFRED")

    assert slack.channel(channel_of(bot).id).topic.endswith("IC: Fred Jones")


async def test_the_timeline_names_fields_as_the_form_does_and_not_twice(bot, slack, clock):
    await declare(bot)
    await bot.command("edit", user=ALICE, channel=channel_of(bot).id)
    clock.advance(timedelta(minutes=1))
    changes = {"severity": "SEV1", "status": "identified", "status_note": "Gateway deploy found."}
    await bot.submit(slack.opened_views[-1].view, changes, user=ALICE)

    texts = [entry.text for entry in await timeline(bot.core.db, 1)]

    assert "edited the status note" in texts
    assert (
        "changed the severity SEV2 → SEV1" in texts
        and "changed the status investigating → identified" in texts
    )
    assert not any("status_note" in text or "edited the severity" in text for text in texts)
