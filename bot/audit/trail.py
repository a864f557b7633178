"""The audit trail: every state change is stored as (who, what, when, details)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


class AuditAction(StrEnum):
    DECLARED = "incident.declared"
    EDITED = "incident.edited"
    SEVERITY_CHANGED = "incident.severity_changed"
    STATUS_CHANGED = "incident.status_changed"
    CHANNEL_CREATED = "incident.channel_created"
    SETUP_FAILED = "incident.setup_failed"
    MESSAGE_DRAFTED = "message.drafted"
    MESSAGE_CHECKED = "message.checked"
    MESSAGE_APPROVED = "message.approved"
    MESSAGE_REJECTED = "message.rejected"
    MESSAGE_PUBLISHED = "message.published"
    DELIVERY_FAILED = "message.delivery_failed"
    MESSAGE_CORRECTED = "message.corrected"
    RESOLVED = "incident.resolved"
    REOPENED = "incident.reopened"
    CHANNEL_ARCHIVED = "incident.channel_archived"
    FOLLOW_UP_CREATED = "follow_up.created"
    FOLLOW_UP_COMPLETED = "follow_up.completed"
    FOLLOW_UP_REASSIGNED = "follow_up.reassigned"
    FOLLOW_UP_NAGGED = "follow_up.nagged"
    FOLLOW_UP_NAG_FAILED = "follow_up.nag_failed"
    REMINDER_POSTED = "reminder.posted"
    REMINDER_ESCALATED = "reminder.escalated"
    REMINDER_FAILED = "reminder.failed"
    REMINDERS_SNOOZED = "reminders.snoozed"
    REMINDERS_PAUSED = "reminders.paused"
    REMINDERS_RESUMED = "reminders.resumed"
    ACCESS_REFUSED = "access.refused"
    PERSON_LINKED = "person.linked"
    PERSON_UNLINKED = "person.unlinked"
    HANDED_OVER = "incident.handed_over"
    FIRST_UPDATE_MISSED = "slo.first_update_missed"


def record(
    session: AsyncSession,
    *,
    incident_id: int | None,
    actor: str,
    action: AuditAction,
    at: datetime,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(incident_id=incident_id, actor_id=actor, action=action.value, details=details, at=at)
    session.add(event)
    return event


async def events_for(session: AsyncSession, incident_id: int) -> list[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.incident_id == incident_id).order_by(AuditEvent.id)
    return list((await session.exec(statement)).all())
