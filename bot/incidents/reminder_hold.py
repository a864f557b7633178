"""Who quieted an incident's update reminders and until when, read from the audit trail.

Shown on the status card and in the digest ("Reminders paused by @x since 14:02 UTC",
"Reminders snoozed by @x until 14:30 UTC"); the wording is `incident/reminder_hold.md.j2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit.trail import AuditAction
from bot.enums import IncidentStatus
from storage.models import AuditEvent, Incident

PAUSED, SNOOZED = AuditAction.REMINDERS_PAUSED.value, AuditAction.REMINDERS_SNOOZED.value


@dataclass(frozen=True)
class ReminderHold:
    kind: str  # "paused" or "snoozed"
    by: str  # who, "" when the trail does not say
    at: datetime | None  # paused: since; snoozed: until


def reminder_hold(incident: Incident, history: Sequence[AuditEvent]) -> ReminderHold | None:
    """The incident's pause or snooze, with its latest pause or snooze event in `history`."""
    if incident.status == IncidentStatus.RESOLVED:
        return None
    wanted = PAUSED if incident.reminders_paused else SNOOZED if incident.snoozed_until else None
    if wanted is None:
        return None
    event = next((e for e in reversed(history) if e.action == wanted), None)
    by = event.actor_id if event else ""
    if wanted == PAUSED:
        return ReminderHold("paused", by, event.at if event else None)
    return ReminderHold("snoozed", by, incident.snoozed_until)


async def reminder_holds(session: AsyncSession, incidents: Sequence[Incident]) -> dict[int, ReminderHold]:
    """`reminder_hold` for many incidents with one query (those paused or snoozed)."""
    held = [i for i in incidents if i.id is not None and (i.reminders_paused or i.snoozed_until)]
    if not held:
        return {}
    statement = (
        select(AuditEvent)
        .where(col(AuditEvent.incident_id).in_(sorted(i.id for i in held if i.id is not None)))
        .where(col(AuditEvent.action).in_([PAUSED, SNOOZED]))
        .order_by(col(AuditEvent.id))
    )
    events: dict[int, list[AuditEvent]] = {}
    for event in (await session.exec(statement)).all():
        events.setdefault(event.incident_id or 0, []).append(event)
    found = {i.id: reminder_hold(i, events.get(i.id or 0, [])) for i in held}
    return {k: v for k, v in found.items() if k is not None and v is not None}
