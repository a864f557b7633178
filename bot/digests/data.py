"""What a digest says about each live incident, read with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.ports import MessageRef
from bot.enums import AudienceKind, FollowUpStatus, IncidentStatus, OutboxStatus
from bot.incidents.reminder_hold import ReminderHold, reminder_holds
from bot.reminders.facts import waiting_drafts
from bot.slo.measures import CommsSlo
from storage.models import Draft, FollowUp, Incident, OutboxEntry


@dataclass(frozen=True)
class DigestEntry:
    incident: Incident
    last_published_at: datetime | None = None
    last_published: MessageRef | None = None  # the copy in the incident channel
    waiting: int = 0  # drafts waiting for approval
    open_follow_ups: int = 0
    hold: ReminderHold | None = None  # reminders paused or snoozed: by whom, since or until when
    slo: CommsSlo | None = None  # how well customers were kept informed (bot/slo)


async def live_entries(session: AsyncSession, severities: list[str]) -> list[DigestEntry]:
    """Every live incident, most severe first, then the longest-running."""
    statement = select(Incident).where(Incident.status != IncidentStatus.RESOLVED.value)
    incidents = list((await session.exec(statement)).all())
    rank = {name: n for n, name in enumerate(severities)}
    incidents.sort(key=lambda i: (rank.get(i.severity, len(rank)), i.declared_at, i.id or 0))
    ids = [i.id for i in incidents if i.id is not None]
    if not ids:
        return []
    last = await _last_published(session, ids)
    copies = await _incident_channel_copies(session, list(last.values()), incidents)
    waiting = await waiting_drafts(session, ids)
    follow_ups = await open_follow_ups(session, ids)
    holds = await reminder_holds(session, incidents)
    return [
        DigestEntry(
            incident=i,
            last_published_at=last[i.id].updated_at if i.id in last else None,
            last_published=copies.get(last[i.id].id) if i.id in last else None,
            waiting=waiting.get(i.id, 0),
            open_follow_ups=follow_ups.get(i.id, 0),
            hold=holds.get(i.id or 0),
        )
        for i in incidents
    ]


async def resolved_since(session: AsyncSession, since: datetime) -> list[DigestEntry]:
    """Incidents resolved since `since`, newest first, with their open follow-ups."""
    statement = (
        select(Incident)
        .where(Incident.status == IncidentStatus.RESOLVED.value, col(Incident.resolved_at) >= since)
        .order_by(col(Incident.resolved_at).desc())
    )
    incidents = list((await session.exec(statement)).all())
    follow_ups = await open_follow_ups(session, [i.id for i in incidents if i.id is not None])
    return [DigestEntry(incident=i, open_follow_ups=follow_ups.get(i.id, 0)) for i in incidents]


async def open_follow_ups(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    statement = (
        select(FollowUp.incident_id, func.count(col(FollowUp.id)))
        .where(col(FollowUp.incident_id).in_(ids), FollowUp.status == FollowUpStatus.OPEN.value)
        .group_by(col(FollowUp.incident_id))
    )
    return {incident_id: count for incident_id, count in (await session.exec(statement)).all()}


async def _last_published(session: AsyncSession, ids: list[int]) -> dict[int, Draft]:
    newest = (
        select(func.max(Draft.id))
        .where(
            col(Draft.incident_id).in_(ids),
            Draft.audience_kind == AudienceKind.CUSTOMER.value,
            col(Draft.published_version).is_not(None),
        )
        .group_by(col(Draft.incident_id))
    )
    drafts = (await session.exec(select(Draft).where(col(Draft.id).in_(newest)))).all()
    return {d.incident_id: d for d in drafts}


async def _incident_channel_copies(
    session: AsyncSession, drafts: list[Draft], incidents: list[Incident]
) -> dict[int, MessageRef]:
    if not drafts:
        return {}
    channels = {i.id: i.channel_id for i in incidents}
    versions = {d.id: d.published_version for d in drafts}
    statement = select(OutboxEntry).where(
        col(OutboxEntry.draft_id).in_(list(versions)), OutboxEntry.status == OutboxStatus.DELIVERED.value
    )
    found: dict[int, MessageRef] = {}
    by_draft = {d.id: d for d in drafts}
    for entry in (await session.exec(statement)).all():
        draft = by_draft[entry.draft_id]
        in_channel = entry.target == channels.get(draft.incident_id) and entry.message_ts
        if in_channel and (entry.version == versions[entry.draft_id] or entry.draft_id not in found):
            found[entry.draft_id] = MessageRef(entry.target, entry.message_ts or "")
    return found
