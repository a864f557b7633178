"""Reading what reminders need to say, for a whole batch of incidents in three queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.enums import AudienceKind, DraftStatus
from storage.models import Draft, DraftVersion


@dataclass(frozen=True)
class Published:
    """An incident's customer messages so far."""

    count: int = 0  # 0: the initial notice is still due
    last_text: str = ""
    last_at: datetime | None = None
    waiting: int = 0  # drafts waiting for approval


def _published_customer():
    return (
        Draft.audience_kind == AudienceKind.CUSTOMER.value,
        col(Draft.published_version).is_not(None),
    )


async def published_for(session: AsyncSession, ids: list[int]) -> dict[int, Published]:
    if not ids:
        return {}
    counts = (
        select(Draft.incident_id, func.count(col(Draft.id)), func.max(col(Draft.id)))
        .where(col(Draft.incident_id).in_(ids), *_published_customer())
        .group_by(col(Draft.incident_id))
    )
    per_incident = {row[0]: (row[1], row[2]) for row in (await session.exec(counts)).all()}
    last_ids = [last for _, last in per_incident.values()]
    texts = (
        select(Draft.id, Draft.updated_at, DraftVersion.text)
        .join(
            DraftVersion,
            and_(DraftVersion.draft_id == Draft.id, DraftVersion.number == Draft.published_version),
        )
        .where(col(Draft.id).in_(last_ids or [-1]))
    )
    last = {row[0]: (row[1], row[2]) for row in (await session.exec(texts)).all()}
    waiting = await waiting_drafts(session, ids)
    found = {}
    for incident_id in ids:
        count, last_id = per_incident.get(incident_id, (0, None))
        at, text = last.get(last_id, (None, ""))
        found[incident_id] = Published(count, text, at, waiting.get(incident_id, 0))
    return found


async def waiting_drafts(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    statement = (
        select(Draft.incident_id, func.count(col(Draft.id)))
        .where(col(Draft.incident_id).in_(ids), Draft.status == DraftStatus.PENDING.value)
        .group_by(col(Draft.incident_id))
    )
    return {incident_id: count for incident_id, count in (await session.exec(statement)).all()}
