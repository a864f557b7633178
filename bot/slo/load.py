"""Reading what the comms SLOs need for many incidents at once (two queries, whatever the count)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.policy.model import Policy
from bot.slo.measures import READ_ACTIONS, CommsSlo, measure
from storage.models import AuditEvent, Draft, Incident


async def measure_incidents(
    session: AsyncSession, incidents: Sequence[Incident], policy: Policy, now: datetime
) -> dict[int, CommsSlo]:
    """Each incident's comms SLOs at `now`, by incident id."""
    ids = [i.id for i in incidents if i.id is not None]
    if not ids:
        return {}
    drafts: dict[int, list[Draft]] = defaultdict(list)
    for draft in (await session.exec(select(Draft).where(col(Draft.incident_id).in_(ids)))).all():
        drafts[draft.incident_id].append(draft)
    events: dict[int, list[AuditEvent]] = defaultdict(list)
    statement = select(AuditEvent).where(
        col(AuditEvent.incident_id).in_(ids), col(AuditEvent.action).in_([a.value for a in READ_ACTIONS])
    )
    for event in (await session.exec(statement)).all():
        events[event.incident_id or 0].append(event)
    return {
        incident.id: measure(
            incident,
            drafts[incident.id],
            events[incident.id],
            target=policy.first_update_within(incident.severity),
            now=now,
        )
        for incident in incidents
        if incident.id is not None
    }


async def measure_one(session: AsyncSession, incident: Incident, policy: Policy, now: datetime) -> CommsSlo:
    return (await measure_incidents(session, [incident], policy, now))[incident.id or 0]
