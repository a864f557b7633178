"""A sender that died mid-delivery: its entries are looked up in Slack before anything is re-posted."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.enums import DraftStatus, OutboxStatus
from bot.metrics import Metrics
from bot.publishing.context import Contexts
from bot.publishing.publisher import Publisher, marker
from storage.models import Draft, OutboxEntry
from tests.publishing.conftest import CUSTOMERS, reference
from tests.publishing.helpers import INCIDENT_CHANNEL, approve, entries, make_incident, reload

LEASE = timedelta(seconds=60)


async def _left_in_flight(db, clock, *, expired: bool) -> None:
    """What a crash leaves behind: every entry claimed (attempt 1) and never recorded."""
    claimed_until = clock.now() + (-timedelta(seconds=1) if expired else LEASE)
    async with db.write() as session:
        await session.exec(
            update(OutboxEntry).values(
                status=OutboxStatus.IN_FLIGHT.value, attempts=1, claimed_until=claimed_until
            )
        )


async def test_a_post_slack_accepted_before_the_crash_is_found_not_sent_again(
    db, publisher, gateways, slack, clock
):
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())
    first, *others = await entries(db, draft.id)
    gateway = await gateways()
    card = (await Contexts(db, reference).get(first)).card(first)
    accepted = await gateway.post(first.target, card, marker=marker(first))  # then the process died
    clock.advance(LEASE)
    await _left_in_flight(db, clock, expired=True)

    assert await publisher.deliver_due() == 3

    settled = {e.target: e for e in await entries(db, draft.id)}
    assert settled[first.target].message_ts == accepted.message_id
    assert all(e.status == OutboxStatus.DELIVERED and e.attempts == 2 for e in settled.values())
    posts = [c.args["channel"] for c in slack.calls_to("chat.postMessage")]
    assert sorted(posts) == sorted([first.target, *(e.target for e in others)])  # each once
    assert len(slack.calls_to("conversations.history")) == 3
    assert all(len(slack.messages(target)) == 1 for target in [*CUSTOMERS, INCIDENT_CHANNEL])


async def test_an_entry_whose_claim_is_still_valid_is_left_alone(db, publisher, slack, clock):
    incident = await make_incident(db, clock.now())
    await approve(db, publisher, incident, "Update.", clock.now())
    await _left_in_flight(db, clock, expired=False)

    assert await publisher.deliver_due() == 0
    clock.advance(LEASE + timedelta(seconds=1))
    assert await publisher.deliver_due() == 3
    assert len(slack.calls_to("chat.postMessage")) == 3


async def test_unreadable_history_falls_back_to_posting(db, publisher, slack, clock):
    """The documented window: without history we cannot check, so we post (at least once)."""
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())
    await _left_in_flight(db, clock, expired=True)
    slack.fail_next("conversations.history", "missing_scope", times=3, needed="channels:history")

    await publisher.deliver_due()

    assert all(e.status == OutboxStatus.DELIVERED for e in await entries(db, draft.id))
    assert len(slack.calls_to("chat.postMessage")) == 3


class _Stalling:
    """A gateway whose posts to one channel hang until cancelled (a process stopped mid-post)."""

    def __init__(self, inner, channel: str) -> None:
        self.inner, self.channel, self.started = inner, channel, asyncio.Event()

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    async def post(self, channel_id, card, *, marker=None):
        if channel_id == self.channel:
            self.started.set()
            await asyncio.Event().wait()
        return await self.inner.post(channel_id, card, marker=marker)


async def test_a_pass_cancelled_mid_post_leaves_the_entry_for_the_next_process(
    db, gateways, publishing_policy, channels, slack, clock
):
    gateway = await gateways()
    stopping = Publisher(db, _Stalling(gateway, CUSTOMERS[0]), clock, publishing_policy, Metrics(), reference)
    incident = await make_incident(db, clock.now())
    draft = await approve(db, stopping, incident, "Update.", clock.now())
    running = asyncio.create_task(stopping.deliver_draft(draft.id))
    async with asyncio.timeout(5):  # the other two copies are delivered and recorded
        while sum(e.status == OutboxStatus.DELIVERED for e in await entries(db, draft.id)) < 2:
            await asyncio.sleep(0.01)

    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running

    stuck = {e.target: e for e in await entries(db, draft.id)}[CUSTOMERS[0]]
    assert (stuck.status, stuck.attempts) == (OutboxStatus.IN_FLIGHT, 1)
    restarted = Publisher(db, gateway, clock, publishing_policy, Metrics(), reference)
    clock.advance(LEASE + timedelta(seconds=1))
    assert await restarted.deliver_due() == 1
    assert [c.args["channel"] for c in slack.calls_to("conversations.history")] == [CUSTOMERS[0]]
    assert all(len(slack.messages(target)) == 1 for target in [*CUSTOMERS, INCIDENT_CHANNEL])
    assert (await reload(db, Draft, draft.id)).status == DraftStatus.PUBLISHED
