"""Each reminder exactly once: racing sweeps, a sender that dies mid-post, Slack refusing."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlmodel import select

from bot.enums import IncidentStatus, ReminderStatus
from bot.incidents.forms import EditInput
from bot.reminders.sweep import LEASE, RETRY_AFTER, ReminderSweep
from storage.db import Database
from storage.models import Reminder
from tests.reminders.seeding import seed_incidents

DUE = timedelta(hours=1)  # SEV2 cadence with the shipped policy


def posts(slack) -> list:
    return [c for c in slack.calls_to("chat.postMessage") if c.ok and "🔔" in c.args.get("text", "")]


async def statuses(core) -> list[str]:
    async with core.db.read() as session:
        return [r.status for r in (await session.exec(select(Reminder))).all()]


async def test_two_instances_sweeping_at_once_post_each_reminder_once(bot, slack, clock, database_url):
    core = bot.core
    await seed_incidents(core, slack, 30)
    clock.advance(DUE)
    other_db = Database(database_url)
    other = ReminderSweep(other_db, core.platform, clock, core.policy, core.reminders.cards, core.metrics)
    try:
        counts = await asyncio.gather(core.reminders.run(), other.run(), core.reminders.run())
    finally:
        await other_db.dispose()

    assert sum(counts) == 30
    per_channel = Counter(c.args["channel"] for c in posts(slack))
    assert len(per_channel) == 30 and set(per_channel.values()) == {1}


async def test_a_sender_that_died_after_posting_is_not_followed_by_a_second_post(bot, slack, clock):
    core = bot.core
    await seed_incidents(core, slack, 1)
    clock.advance(DUE)
    held = slack.hold_next("chat.postMessage")
    sweep = asyncio.create_task(core.reminders.run())
    await held.arrived.wait()
    sweep.cancel()  # the process dies: the post landed, nobody recorded it
    held.release()
    await asyncio.gather(sweep, return_exceptions=True)
    assert await statuses(core) == [ReminderStatus.SENDING]

    assert await core.reminders.run() == 0  # still leased to the dead sender
    clock.advance(LEASE + timedelta(seconds=1))
    assert await core.reminders.run() == 1  # found its own marker in the channel: recorded, not resent

    assert len(posts(slack)) == 1
    assert await statuses(core) == [ReminderStatus.POSTED]


async def test_a_reminder_slack_refused_is_retried_later_and_posted_once(bot, slack, clock):
    core = bot.core
    await seed_incidents(core, slack, 1)
    clock.advance(DUE)
    slack.fail_next("chat.postMessage", "fatal_error")

    assert await core.reminders.run() == 0
    assert await core.reminders.run() == 0  # waits before trying again
    clock.advance(RETRY_AFTER + timedelta(seconds=1))
    assert await core.reminders.run() == 1

    assert len(posts(slack)) == 1
    assert await statuses(core) == [ReminderStatus.POSTED]


async def test_a_reminder_never_sent_before_a_resolve_is_withdrawn(bot, slack, clock):
    core = bot.core
    [incident_id] = await seed_incidents(core, slack, 1)
    clock.advance(DUE)
    slack.fail_next("chat.postMessage", "fatal_error")
    await core.reminders.run()
    await _resolve(core, incident_id)

    clock.advance(RETRY_AFTER + timedelta(seconds=1))
    assert await core.reminders.run() == 0

    assert posts(slack) == []
    assert await statuses(core) == [ReminderStatus.WITHDRAWN]


async def _resolve(core, incident_id: int) -> None:
    incident = await core.incidents.get(incident_id)
    form = EditInput(
        title=incident.title,
        what_happened=incident.what_happened,
        customer_impact=incident.customer_impact,
        severity=incident.severity,
        status=IncidentStatus.RESOLVED,
    )
    await core.incidents.edit(incident_id, form, actor="UALICE")


async def test_incidents_from_before_reminders_existed_get_a_due_time_at_start(bot, slack, clock):
    core = bot.core
    [incident_id] = await seed_incidents(core, slack, 1)
    await bot.settle()  # start-up work (the owed initial notice) is done before the rows are aged
    await core.incidents.update_fields(incident_id, next_update_due_at=None, next_reminder_at=None)

    assert await core.reminders.adopt_unscheduled() == 1
    clock.advance(DUE)
    assert await core.reminders.run() == 1
    assert await core.reminders.adopt_unscheduled() == 0
