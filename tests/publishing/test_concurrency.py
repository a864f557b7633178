"""Several senders at once (one process, or several instances): each entry is delivered once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from bot.audit.trail import AuditAction
from bot.enums import OutboxStatus
from bot.publishing.claims import claim
from bot.publishing.records import Attempt, Recorded, record_attempt
from storage.db import Database
from tests.policies import make_policy
from tests.publishing.helpers import INCIDENT_CHANNEL, approve, audit_events, entries, make_incident

CHANNELS = [f"CMANY{n:02d}" for n in range(30)]


def _many_channels(slack, tmp_path):
    for channel_id in CHANNELS:
        slack.add_channel(channel_id.lower(), channel_id=channel_id)
    return make_policy(tmp_path, channels={"approvals": None, "customer_updates": CHANNELS}, approvals=None)


def _posts_per_channel(slack) -> Counter:
    return Counter(c.args["channel"] for c in slack.calls_to("chat.postMessage"))


async def _assert_each_delivered_once(db, slack, incident, draft) -> None:
    assert _posts_per_channel(slack) == Counter([*CHANNELS, INCIDENT_CHANNEL])
    assert all(e.status == OutboxStatus.DELIVERED and e.attempts == 1 for e in await entries(db, draft.id))
    assert len(await audit_events(db, incident.id, AuditAction.MESSAGE_PUBLISHED)) == 1


async def test_two_sweeps_in_one_process_deliver_each_entry_once(db, make_publisher, slack, clock, tmp_path):
    publisher = await make_publisher(db, concurrency=4)
    publisher.policy = _many_channels(slack, tmp_path)
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())

    counts = await asyncio.gather(
        publisher.deliver_due(), publisher.deliver_due(), publisher.deliver_draft(draft.id)
    )

    assert counts[0] + counts[1] <= len(CHANNELS) + 1
    await _assert_each_delivered_once(db, slack, incident, draft)


async def test_two_instances_with_their_own_databases_deliver_each_entry_once(
    database_url, make_publisher, slack, clock, tmp_path
):
    first_db, second_db = Database(database_url), Database(database_url)
    try:
        first = await make_publisher(first_db, concurrency=4)
        second = await make_publisher(second_db, concurrency=4)
        first.policy = second.policy = _many_channels(slack, tmp_path)
        incident = await make_incident(first_db, clock.now())
        draft = await approve(first_db, first, incident, "Update.", clock.now())

        counts = await asyncio.gather(first.deliver_due(), second.deliver_due())

        assert sum(counts) == len(CHANNELS) + 1
        await _assert_each_delivered_once(first_db, slack, incident, draft)
    finally:
        await first_db.dispose()
        await second_db.dispose()


async def test_posts_to_one_channel_are_paced_instead_of_rate_limited(db, publisher, slack, clock):
    """Three messages back to back to the same channels: spaced a second apart, no 429 at all."""
    slack.limit_post_rate(1.0)
    incident = await make_incident(db, clock.now())
    drafts = [await approve(db, publisher, incident, f"Update {n}.", clock.now()) for n in range(3)]
    started = time.monotonic()

    await asyncio.gather(*(publisher.deliver_draft(d.id) for d in drafts))

    assert 2.0 <= time.monotonic() - started < 3.5
    assert all(c.ok for c in slack.calls_to("chat.postMessage"))
    assert len(slack.calls_to("chat.postMessage")) == 9


async def test_the_last_two_deliveries_recorded_at_once_still_publish_the_draft(
    database_url, publisher, clock, slack
):
    """Write skew guard: each recorder locks the draft, so one of them sees "all settled"."""
    first_db, second_db = Database(database_url), Database(database_url)
    try:
        incident = await make_incident(first_db, clock.now(), channel_id=None)
        await approve(first_db, publisher, incident, "Update.", clock.now())
        async with first_db.write() as session:
            a, b, *_ = await claim(session, now=clock.now(), lease_until=clock.now(), limit=10)
        recorded = asyncio.Event()

        async def record_first() -> None:
            async with first_db.write() as session:
                await record_attempt(session, a, Attempt(ts="1.1"), clock.now(), publisher.policy)
                recorded.set()
                await asyncio.sleep(0.3)  # still uncommitted while the second one records

        async def record_second() -> Recorded:
            await recorded.wait()
            async with second_db.write() as session:
                return await record_attempt(session, b, Attempt(ts="2.2"), clock.now(), publisher.policy)

        _, second = await asyncio.gather(record_first(), record_second())

        assert second.draft_finished
        assert len(await audit_events(first_db, incident.id, AuditAction.MESSAGE_PUBLISHED)) == 1
    finally:
        await first_db.dispose()
        await second_db.dispose()
