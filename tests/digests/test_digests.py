"""CS lead digests: on demand, on a schedule (once across instances), split when long; App Home."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.digests.service import DigestService
from storage.db import Database
from tests.conftest import ALICE, BOB, CAROL, DAVE, GENERAL
from tests.policies import make_policy
from tests.reminders.seeding import seed_incidents
from tests.slack.flows import channel_of, declare

DIGESTS = "CDIGEST"
NINE_IN_BERLIN = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # CET is UTC+1 in November


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels=None,
        digests={
            "channel": DIGESTS,
            "timezone": "Europe/Berlin",
            "schedules": {"daily": "0 9 * * *", "working_hours": "0 9-17/2 * * mon-fri"},
        },
        roles={"cs_leads": [ALICE]},  # she shares digests in CS channels
    )


@pytest.fixture(autouse=True)
def digest_channel(slack):
    slack.add_channel("cs-leads", channel_id=DIGESTS, members=[ALICE, BOB])


def text_of(messages) -> str:
    return "\n".join(str(m.blocks) for m in messages)


async def test_digest_on_demand_shows_every_live_incident_privately(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL, named_accounts="Acme Corp")
    await declare(bot, "Private breach", user=DAVE, visibility="private", severity="SEV1")
    clock.advance(timedelta(hours=1, minutes=5))

    await bot.command("digest", user=ALICE, channel=GENERAL)

    [note] = slack.responses()[-1:]
    shown = str(note)
    assert "Incident digest · 1 live incident, 1 with an overdue update" in shown
    assert "*INC-1 · SEV2 · Checkout errors in EU*" in shown
    assert "Investigating for 1h 5m" in shown and "EU customers cannot complete purchases" in shown
    assert "Segments: EU region · Named accounts: Acme Corp" in shown
    assert "Last customer update: none published yet" in shown
    assert "*overdue*, due since 10:30 UTC (5m ago)" in shown
    assert "1 draft waiting for approval" in shown
    assert "Private breach" not in shown  # Alice is not running it

    await bot.command("digest", user=DAVE, channel=GENERAL)
    assert "Private breach" in str(slack.responses()[-1])


async def test_the_digest_links_the_last_published_update(bot, slack, clock):
    await declare(bot)
    approval = [m for m in slack.messages(channel_of(bot).id) if "Initial notice" in str(m.blocks)][-1]
    await bot.click(approval, "draft_approve", user=BOB)

    await bot.command("digest post", user=ALICE, channel=DIGESTS)

    [posted] = slack.messages(DIGESTS)
    assert f"<https://{slack.workspace.team_domain}.slack.com/archives/{channel_of(bot).id}/p" in str(
        posted.blocks
    )
    assert "Next update due" in str(posted.blocks)


async def test_a_scheduled_digest_is_posted_once_per_slot(bot, slack, clock):
    await declare(bot)
    digests = bot.core.digests

    assert await digests.post_scheduled("daily", NINE_IN_BERLIN) == 1
    assert await digests.post_scheduled("daily", NINE_IN_BERLIN + timedelta(minutes=2)) == 0  # same slot
    assert await digests.post_scheduled("daily", NINE_IN_BERLIN + timedelta(minutes=30)) == 0  # no slot
    assert await digests.post_scheduled("working_hours", NINE_IN_BERLIN) == 1  # its own slot
    assert await digests.post_scheduled("working_hours", NINE_IN_BERLIN + timedelta(hours=1)) == 0
    assert await digests.post_scheduled("working_hours", NINE_IN_BERLIN + timedelta(hours=2)) == 1

    assert len(slack.messages(DIGESTS)) == 3


async def test_two_instances_firing_the_same_slot_post_one_digest(bot, slack, clock, database_url):
    await declare(bot)
    core = bot.core
    others = [Database(database_url) for _ in range(3)]
    services = [
        DigestService(db, core.policy, clock, core.platform, core.digests.cards, core.access) for db in others
    ]
    try:
        posted = await asyncio.gather(*(s.post_scheduled("daily", NINE_IN_BERLIN) for s in services))
    finally:
        for db in others:
            await db.dispose()

    assert sorted(posted) == [0, 0, 1]
    assert len(slack.messages(DIGESTS)) == 1


async def test_quiet_times_post_nothing_unless_the_policy_asks_for_an_all_clear(bot, slack, tmp_path):
    assert await bot.core.digests.post_scheduled("daily", NINE_IN_BERLIN) == 0
    assert slack.messages(DIGESTS) == []

    loud = make_policy(
        tmp_path,
        channels=None,
        approvals=None,
        digests={"channel": DIGESTS, "schedules": {"morning": "0 8 * * *"}, "when_quiet": "all_clear"},
    )
    core = bot.core
    service = DigestService(core.db, loud, core.clock, core.platform, core.digests.cards, core.access)
    assert await service.post_scheduled("morning", NINE_IN_BERLIN) == 1
    assert "All clear" in slack.messages(DIGESTS)[0].text


@pytest.mark.parametrize("count", [60, 200])
async def test_many_live_incidents_are_split_or_summarised_never_a_failed_post(bot, slack, clock, count):
    await seed_incidents(bot.core, None, count)

    posted = await bot.core.digests.post_scheduled("daily", NINE_IN_BERLIN)

    calls = slack.calls_to("chat.postMessage")
    assert posted == len(calls) > 1 and all(c.ok for c in calls)
    shown = text_of(slack.messages(DIGESTS))
    listed = [n for n in range(1, count + 1) if f"INC-{n} " in shown]
    if count == 60:
        assert len(listed) == 60 and posted == 3
    else:
        assert "more live incidents (SEV2 ×" in shown and "the bot's `list` command shows them" in shown
        assert len(listed) == 200 - int(shown.split("…and ")[1].split(" more")[0])


async def test_app_home_shows_my_incidents_first_with_buttons(bot, slack, clock):
    await declare(bot, "Search is slow", commander=DAVE, comms_owner=DAVE)
    await declare(bot, "Checkout errors in EU", commander=BOB, comms_owner=CAROL)

    await bot.event({"type": "app_home_opened", "user": BOB, "tab": "home"})

    home = slack.home_views[BOB]
    rendered = slack.render_view(home)
    assert (
        rendered.index("Your incidents")
        < rendered.index("Checkout errors")
        < rendered.index("All live incidents")
    )
    assert rendered.index("All live incidents") < rendered.index("Search is slow")
    buttons = [e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert f"https://slack.com/app_redirect?channel={channel_of(bot, 2).id}" in [
        b.get("url") for b in buttons
    ]

    await bot.click_home(BOB, "draft_update", value="2")
    assert slack.opened_views[-1].view["callback_id"] == "message_draft"
