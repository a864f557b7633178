"""Reading what a reminder needs to say, inside the transaction that records it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.enums import AudienceKind, DraftStatus, ReminderStage
from bot.reminder_cards import ReminderFacts
from storage.models import Draft, DraftVersion, Incident


async def reminder_facts(
    session: AsyncSession, incident: Incident, stage: ReminderStage, due_at: datetime, now: datetime
) -> ReminderFacts:
    published = (
        select(Draft)
        .where(
            Draft.incident_id == incident.id,
            Draft.audience_kind == AudienceKind.CUSTOMER.value,
            col(Draft.published_version).is_not(None),
        )
        .order_by(col(Draft.id).desc())
    )
    drafts = list((await session.exec(published)).all())
    last_text, last_at = "", None
    if drafts:
        last = drafts[0]
        version = select(DraftVersion.text).where(
            DraftVersion.draft_id == last.id, DraftVersion.number == last.published_version
        )
        last_text, last_at = (await session.exec(version)).first() or "", last.updated_at
    return ReminderFacts(
        incident=incident,
        stage=stage,
        due_at=due_at,
        now=now,
        published=len(drafts),
        last_text=last_text,
        last_at=last_at,
        waiting=await waiting_drafts(session, incident.id),
    )


async def waiting_drafts(session: AsyncSession, incident_id: int | None) -> int:
    statement = select(func.count(col(Draft.id))).where(
        Draft.incident_id == incident_id, Draft.status == DraftStatus.PENDING.value
    )
    return (await session.exec(statement)).one()
