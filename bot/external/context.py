"""What a sender needs to write an e-mail or a webhook event, loaded once per batch.

Only approved content leaves: the version's text and the headline its author confirmed. For
incident events, the headline is the one of the last message that endpoint received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import links
from bot.enums import OutboxStatus
from bot.external.enqueue import PUBLISHED
from storage.channel_models import ExternalDelivery
from storage.db import Database
from storage.models import AuditEvent, Draft, DraftVersion, Incident


@dataclass(frozen=True)
class EventContext:
    reference: str
    incident: Incident
    draft: Draft | None = None
    version: DraftVersion | None = None
    change: AuditEvent | None = None  # incident events: the audit row of the state change
    headline: str = ""
    first_message_id: str | None = None  # e-mail corrections: the message they correct
    first_sent_at: datetime | None = None  # …and when it went out


async def load_contexts(
    db: Database, rows: list[ExternalDelivery], reference: Callable[[Incident], str]
) -> dict[int, EventContext]:
    """Context per row id; rows whose incident or version is gone are left out."""
    contexts: dict[int, EventContext] = {}
    async with db.read() as session:
        for row in rows:
            incident = await session.get(Incident, row.incident_id)
            if incident is None or row.id is None:
                continue
            if row.draft_id is not None:
                found = await _message(session, row, incident, reference(incident))
            else:
                found = await _change(session, row, incident, reference(incident))
            if found is not None:
                contexts[row.id] = found
    return contexts


async def _message(
    session: AsyncSession, row: ExternalDelivery, incident: Incident, ref: str
) -> EventContext | None:
    draft = await session.get(Draft, row.draft_id)
    version = await _version(session, row.draft_id, row.version)
    if draft is None or version is None:
        return None
    first = None
    if row.event != PUBLISHED:
        first = (
            await session.exec(
                select(ExternalDelivery).where(
                    ExternalDelivery.draft_id == row.draft_id,
                    ExternalDelivery.channel == row.channel,
                    ExternalDelivery.recipient == row.recipient,
                    ExternalDelivery.event == PUBLISHED,
                )
            )
        ).first()
    return EventContext(
        reference=ref,
        incident=incident,
        draft=draft,
        version=version,
        headline=_headline(version, ref),
        first_message_id=first.message_id if first else None,
        first_sent_at=(first.delivered_at or first.created_at) if first else None,
    )


async def _change(
    session: AsyncSession, row: ExternalDelivery, incident: Incident, ref: str
) -> EventContext | None:
    change = await session.get(AuditEvent, row.audit_event_id) if row.audit_event_id else None
    if change is None:
        return None
    last = (
        await session.exec(
            select(ExternalDelivery)
            .where(
                ExternalDelivery.incident_id == incident.id,
                ExternalDelivery.channel == row.channel,
                ExternalDelivery.recipient == row.recipient,
                col(ExternalDelivery.draft_id).is_not(None),
                ExternalDelivery.status != OutboxStatus.FAILED.value,
            )
            .order_by(col(ExternalDelivery.id).desc())
            .limit(1)
        )
    ).first()
    version = await _version(session, last.draft_id, last.version) if last else None
    headline = _headline(version, ref) if version else ref  # never the internal title
    return EventContext(reference=ref, incident=incident, change=change, headline=headline)


async def _version(session: AsyncSession, draft_id: int | None, number: int) -> DraftVersion | None:
    statement = select(DraftVersion).where(DraftVersion.draft_id == draft_id, DraftVersion.number == number)
    return (await session.exec(statement)).first()


def _headline(version: DraftVersion, fallback: str) -> str:
    """The approved headline on one line, a typed link in it as plain text (subjects, titles)."""
    headline = " ".join(links.plain(str(version.facts.get("headline") or "")).split())
    return headline or fallback
