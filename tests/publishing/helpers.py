"""Building incidents and approved drafts straight through the ORM, as the approval flow would."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from bot.audit.trail import events_for
from bot.enums import AudienceKind, DraftStatus, IncidentStatus, Stage, Visibility
from bot.publishing.publisher import Publisher
from storage.db import Database
from storage.models import AuditEvent, Draft, DraftVersion, Incident, OutboxEntry

INCIDENT_CHANNEL = "CINC1"


async def make_incident(
    db: Database, now: datetime, *, channel_id: str | None = INCIDENT_CHANNEL
) -> Incident:
    incident = Incident(
        title="Checkout errors in EU",
        what_happened="Card payments fail at checkout.",
        customer_impact="EU customers cannot pay.",
        severity="SEV2",
        status=IncidentStatus.INVESTIGATING.value,
        visibility=Visibility.PUBLIC.value,
        named_accounts=["Acme Corp"],
        reporter_id="UALICE",
        commander_id="UALICE",
        comms_owner_id="UBOB",
        channel_id=channel_id,
        channel_name="inc-1-checkout",
        setup_complete=True,
        source_key=f"test-{now.timestamp()}-{channel_id}",
        declared_at=now,
        updated_at=now,
    )
    async with db.write() as session:
        session.add(incident)
    return incident


async def approve(
    db: Database,
    publisher: Publisher,
    incident: Incident,
    text: str,
    now: datetime,
    *,
    kind: AudienceKind = AudienceKind.CUSTOMER,
    key: str = "customers",
    next_update_at: datetime | None = None,
) -> Draft:
    """A new draft, approved at once: version 1, status APPROVED, entries enqueued, one transaction."""
    async with db.write() as session:
        draft = Draft(
            incident_id=incident.id,
            stage=Stage.UPDATE.value,
            audience_kind=kind.value,
            audience_key=key,
            status=DraftStatus.APPROVED.value,
            author_id="UALICE",
            next_update_at=next_update_at,
            created_at=now,
            updated_at=now,
        )
        session.add(draft)
        await session.flush()
        session.add(_version(draft.id, 1, text, now))
        await publisher.enqueue(session, incident, draft)
    return draft


async def correct(db: Database, publisher: Publisher, draft_id: int, text: str, now: datetime) -> None:
    """A new version of a published draft, approved: what a correction does."""
    async with db.write() as session:
        draft = await session.get(Draft, draft_id)
        incident = await session.get(Incident, draft.incident_id)
        draft.version += 1
        draft.status = DraftStatus.APPROVED.value
        session.add(_version(draft.id, draft.version, text, now))
        await publisher.enqueue(session, incident, draft)


def _version(draft_id: int, number: int, text: str, now: datetime) -> DraftVersion:
    return DraftVersion(draft_id=draft_id, number=number, text=text, author_id="UALICE", created_at=now)


async def entries(db: Database, draft_id: int | None = None) -> list[OutboxEntry]:
    async with db.read() as session:
        statement = select(OutboxEntry).order_by(OutboxEntry.id)
        if draft_id is not None:
            statement = statement.where(OutboxEntry.draft_id == draft_id)
        return list((await session.exec(statement)).all())


async def reload(db: Database, model: type, key: int):
    async with db.read() as session:
        return await session.get(model, key)


async def audit_events(db: Database, incident_id: int, action: str | None = None) -> list[AuditEvent]:
    async with db.read() as session:
        events = await events_for(session, incident_id)
    return [e for e in events if action is None or e.action == action]
