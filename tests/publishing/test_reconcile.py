"""A sender that died mid-delivery: its entries are looked up in Slack before anything is re-posted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.enums import OutboxStatus
from bot.publishing import marker
from bot.publishing_context import Contexts
from storage.models import OutboxEntry
from tests.publishing.conftest import CUSTOMERS, reference
from tests.publishing.helpers import INCIDENT_CHANNEL, approve, entries, make_incident

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
