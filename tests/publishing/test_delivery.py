"""An approved message reaches every target of its audience once, and the draft is published."""

from __future__ import annotations

from datetime import timedelta

from bot.audit.trail import AuditAction
from bot.enums import AudienceKind, DraftStatus, OutboxAction, OutboxStatus
from emulator.slack.transcript import channel_transcript
from storage.models import Draft, Incident
from tests.publishing.conftest import ACME, CUSTOMERS, INTERNAL
from tests.publishing.helpers import (
    INCIDENT_CHANNEL,
    approve,
    audit_events,
    entries,
    make_incident,
    reload,
)

TEXT = "We are investigating failed card payments in the EU.\n\n**Next update** by 10:30 UTC."


async def test_every_target_gets_the_message_once_and_the_draft_is_published(db, publisher, slack, clock):
    incident = await make_incident(db, clock.now())
    promised = clock.now() + timedelta(hours=1)
    draft = await approve(db, publisher, incident, TEXT, clock.now(), next_update_at=promised)

    await publisher.deliver_draft(draft.id)

    delivered = await entries(db, draft.id)
    assert [e.target for e in delivered] == [*CUSTOMERS, INCIDENT_CHANNEL]
    for entry in delivered:
        (message,) = slack.messages(entry.target)
        assert (entry.status, entry.action, entry.attempts) == (OutboxStatus.DELIVERED, OutboxAction.POST, 1)
        assert entry.message_ts == message.ts and entry.delivered_at == clock.now()
        assert message.metadata["event_payload"] == {"marker": f"outbox:{entry.id}"}
    assert slack.messages(INTERNAL) == []
    shown = channel_transcript(slack.workspace, slack.channel(CUSTOMERS[0]))
    assert "We are investigating failed card payments" in shown
    assert "INC-1 · Update · 2026-11-23 09:30 UTC" in shown
    published = await reload(db, Draft, draft.id)
    assert (published.status, published.published_version) == (DraftStatus.PUBLISHED, 1)
    assert (await reload(db, Incident, incident.id)).next_update_due_at == promised
    (event,) = await audit_events(db, incident.id, AuditAction.MESSAGE_PUBLISHED)
    assert event.details["delivered"] == [{"target": e.target, "ts": e.message_ts} for e in delivered]
    assert event.details["failed"] == []


async def test_a_named_accounts_message_goes_only_to_its_own_channels(db, publisher, slack, clock):
    incident = await make_incident(db, clock.now())
    draft = await approve(
        db,
        publisher,
        incident,
        "Acme Corp: your EU checkouts are affected.",
        clock.now(),
        kind=AudienceKind.NAMED_ACCOUNT,
        key="Acme Corp",
        next_update_at=clock.now() + timedelta(hours=1),
    )

    await publisher.deliver_draft(draft.id)

    assert [e.target for e in await entries(db, draft.id)] == [ACME, INCIDENT_CHANNEL]
    assert len(slack.messages(ACME)) == len(slack.messages(INCIDENT_CHANNEL)) == 1
    assert all(slack.messages(channel) == [] for channel in [*CUSTOMERS, INTERNAL])
    assert (await reload(db, Incident, incident.id)).next_update_due_at is None  # only the broad audience


async def test_internal_messages_go_to_the_internal_channels(db, publisher, slack, clock):
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Internal note.", clock.now(), kind=AudienceKind.INTERNAL)

    await publisher.deliver_draft(draft.id)

    assert [e.target for e in await entries(db, draft.id)] == [INTERNAL, INCIDENT_CHANNEL]
    assert len(slack.messages(INTERNAL)) == 1


async def test_a_message_with_no_target_is_published_at_once(db, publisher, slack, clock):
    incident = await make_incident(db, clock.now(), channel_id=None)
    draft = await approve(
        db, publisher, incident, "Nobody to tell.", clock.now(), kind=AudienceKind.NAMED_ACCOUNT, key="Nobody"
    )

    assert await entries(db, draft.id) == []
    assert (await reload(db, Draft, draft.id)).status == DraftStatus.PUBLISHED
    assert len(await audit_events(db, incident.id, AuditAction.MESSAGE_PUBLISHED)) == 1


async def test_the_sweep_delivers_what_approval_left_behind(db, publisher, slack, clock):
    """A process that approved and died before delivering: the next sweep delivers."""
    incident = await make_incident(db, clock.now())
    await approve(db, publisher, incident, TEXT, clock.now())

    assert await publisher.deliver_due() == 3
    assert await publisher.deliver_due() == 0
    assert len(slack.calls_to("chat.postMessage")) == 3
