"""A correction edits every delivered copy in place and is recorded."""

from __future__ import annotations

from datetime import timedelta

from bot.audit.trail import AuditAction
from bot.enums import DraftStatus, OutboxAction, OutboxStatus
from emulator.slack.transcript import channel_transcript
from storage.models import Draft
from tests.publishing.conftest import CUSTOMERS
from tests.publishing.helpers import (
    INCIDENT_CHANNEL,
    approve,
    audit_events,
    correct,
    entries,
    make_incident,
    reload,
)


async def test_a_correction_edits_every_delivered_copy(db, publisher, slack, clock):
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "Payments fail in the US.", clock.now())
    await publisher.deliver_draft(draft.id)
    posted = {e.target: e.message_ts for e in await entries(db, draft.id)}

    correction_time = clock.advance(timedelta(minutes=50))
    await correct(db, publisher, draft.id, "Payments fail in the EU.", correction_time)
    await publisher.deliver_draft(draft.id)

    edits = [e for e in await entries(db, draft.id) if e.version == 2]
    assert {(e.target, e.action, e.status, e.message_ts) for e in edits} == {
        (target, OutboxAction.UPDATE, OutboxStatus.DELIVERED, ts) for target, ts in posted.items()
    }
    assert len(slack.calls_to("chat.postMessage")) == 3  # nothing posted anew
    for target in [*CUSTOMERS, INCIDENT_CHANNEL]:
        (message,) = slack.messages(target)
        assert message.edited and message.ts == posted[target]
        shown = channel_transcript(slack.workspace, slack.channel(target))
        assert "Payments fail in the EU." in shown and "Payments fail in the US." not in shown
        assert "INC-1 · Update · 2026-11-23 09:30 UTC · ✏️ Corrected 10:20 UTC" in shown
    corrected = await reload(db, Draft, draft.id)
    assert (corrected.status, corrected.published_version) == (DraftStatus.PUBLISHED, 2)
    (event,) = await audit_events(db, incident.id, AuditAction.MESSAGE_CORRECTED)
    assert event.details["previous_version"] == 1 and len(event.details["delivered"]) == 3


async def test_a_copy_that_never_arrived_is_not_edited_and_a_deleted_one_is_reported(
    db, publisher, slack, clock
):
    slack.workspace.channels.pop(CUSTOMERS[1])
    incident = await make_incident(db, clock.now())
    draft = await approve(db, publisher, incident, "First text.", clock.now())
    await publisher.deliver_draft(draft.id)
    slack.workspace.messages[CUSTOMERS[0]].clear()  # someone deleted the copy

    await correct(db, publisher, draft.id, "Second text.", clock.now())
    await publisher.deliver_draft(draft.id)

    edits = {e.target: e for e in await entries(db, draft.id) if e.version == 2}
    assert set(edits) == {CUSTOMERS[0], INCIDENT_CHANNEL}
    assert (edits[CUSTOMERS[0]].status, edits[CUSTOMERS[0]].last_error) == (
        OutboxStatus.FAILED,
        "message_not_found",
    )
    report = channel_transcript(slack.workspace, slack.channel(INCIDENT_CHANNEL))
    assert "the correction could not be applied to the copy in" in report and "message_not_found" in report
    (event,) = await audit_events(db, incident.id, AuditAction.MESSAGE_CORRECTED)
    assert event.details["failed"] == [{"target": CUSTOMERS[0], "code": "message_not_found"}]
