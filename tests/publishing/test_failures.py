"""Slack errors: retried with backoff, or reported in the incident channel when they cannot succeed."""

from __future__ import annotations

from datetime import timedelta

from bot.audit.trail import AuditAction
from bot.enums import AudienceKind, DraftStatus, OutboxStatus
from emulator.slack.transcript import channel_transcript
from storage.models import Draft
from tests.publishing.conftest import CUSTOMERS
from tests.publishing.helpers import INCIDENT_CHANNEL, approve, audit_events, entries, make_incident, reload

BACKOFF = timedelta(seconds=5)  # the default policy's retry_backoff


async def test_rate_limits_beyond_the_clients_retries_are_retried_after_backoff(
    db, make_publisher, slack, clock
):
    publisher = await make_publisher(db, max_retries=1, concurrency=1, post_interval=None)  # known order
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())
    slack.rate_limit_next("chat.postMessage", retry_after=1, times=2)  # the client retries once

    await publisher.deliver_draft(draft.id)

    first, *_ = await entries(db, draft.id)
    assert (first.target, first.status, first.attempts) == (CUSTOMERS[0], OutboxStatus.PENDING, 1)
    assert (first.last_error, first.next_attempt_at) == ("ratelimited", clock.now() + BACKOFF)
    assert (await reload(db, Draft, draft.id)).status == DraftStatus.APPROVED
    assert await publisher.deliver_due() == 0  # not due yet

    clock.advance(BACKOFF)
    assert await publisher.deliver_due() == 1

    assert len(slack.messages(CUSTOMERS[0])) == 1
    assert slack.calls_to("conversations.history") == []  # a 429 never lands: no need to look
    assert all(e.status == OutboxStatus.DELIVERED for e in await entries(db, draft.id))
    assert (await reload(db, Draft, draft.id)).status == DraftStatus.PUBLISHED


async def test_an_error_that_may_have_landed_is_looked_up_before_posting_again(
    db, make_publisher, slack, clock
):
    publisher = await make_publisher(db, post_interval=None)
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())
    slack.fail_next("chat.postMessage", "internal_error")

    await publisher.deliver_draft(draft.id)
    retrying = [e for e in await entries(db, draft.id) if e.status == OutboxStatus.PENDING]
    assert [e.last_error for e in retrying] == ["internal_error"]
    clock.advance(BACKOFF)
    await publisher.deliver_due()

    assert [c.args["channel"] for c in slack.calls_to("conversations.history")] == [retrying[0].target]
    assert all(len(slack.messages(target)) == 1 for target in [*CUSTOMERS, INCIDENT_CHANNEL])


async def test_backoff_doubles_and_the_last_attempt_gives_up(db, make_publisher, slack, clock):
    publisher = await make_publisher(db, post_interval=None)  # no real-time pacing between rounds
    incident = await make_incident(db, clock.now())
    only_the_copy = {"kind": AudienceKind.NAMED_ACCOUNT, "key": "No channels"}
    draft = await approve(db, publisher, incident, "Update.", clock.now(), **only_the_copy)
    slack.fail_next("chat.postMessage", "service_unavailable", times=6)  # max_delivery_attempts

    await publisher.deliver_draft(draft.id)
    delays = []
    for _ in range(5):
        (waiting,) = [e for e in await entries(db, draft.id) if e.status == OutboxStatus.PENDING]
        delays.append(waiting.next_attempt_at - clock.now())
        clock.set(waiting.next_attempt_at)
        await publisher.deliver_due()

    assert delays == [BACKOFF * 2**n for n in range(5)]
    (failed,) = [e for e in await entries(db, draft.id) if e.status == OutboxStatus.FAILED]
    assert (failed.attempts, failed.last_error) == (6, "service_unavailable")
    (event,) = await audit_events(db, incident.id, AuditAction.DELIVERY_FAILED)
    assert (
        event.details | {"attempts": 6, "code": "service_unavailable", "target": failed.target}
        == event.details
    )


async def test_a_permanent_error_fails_at_once_and_is_reported_in_the_incident_channel(
    db, publisher, slack, clock
):
    slack.workspace.channels.pop(CUSTOMERS[1])  # the policy names a channel that is gone
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())

    await publisher.deliver_draft(draft.id)

    by_target = {e.target: e for e in await entries(db, draft.id)}
    gone = by_target[CUSTOMERS[1]]
    assert (gone.status, gone.attempts, gone.last_error) == (OutboxStatus.FAILED, 1, "channel_not_found")
    assert by_target[CUSTOMERS[0]].status == by_target[INCIDENT_CHANNEL].status == OutboxStatus.DELIVERED
    report = channel_transcript(slack.workspace, slack.channel(INCIDENT_CHANNEL))
    assert "could not be delivered to" in report and "channel_not_found" in report
    assert "Check the channel id in the policy file" in report
    assert any(f"<#{CUSTOMERS[1]}>" in m.text for m in slack.messages(INCIDENT_CHANNEL))
    (failure,) = await audit_events(db, incident.id, AuditAction.DELIVERY_FAILED)
    assert (
        failure.details | {"target": CUSTOMERS[1], "code": "channel_not_found", "attempts": 1}
        == failure.details
    )
    (published,) = await audit_events(db, incident.id, AuditAction.MESSAGE_PUBLISHED)
    assert published.details["failed"] == [{"target": CUSTOMERS[1], "code": "channel_not_found"}]
    assert (await reload(db, Draft, draft.id)).status == DraftStatus.PUBLISHED


async def test_a_failed_incident_channel_copy_is_only_audited(db, publisher, slack, clock):
    slack.workspace.channels.pop(INCIDENT_CHANNEL)
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Update.", clock.now())

    await publisher.deliver_draft(draft.id)

    assert len(slack.calls_to("chat.postMessage")) == 3  # the two customer copies and the failed one
    assert len(await audit_events(db, incident.id, AuditAction.DELIVERY_FAILED)) == 1
