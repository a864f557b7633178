"""A resolve form opened before someone else resolved and reopened the incident must not resolve
it again: the reopen was their later decision. Any other change meanwhile (a title, a severity)
does not make the form stale: resolving is still what its user means."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit.trail import AuditAction
from bot.enums import IncidentStatus
from bot.errors import Invalid
from storage.models import AuditEvent

REOPENED_MEANWHILE = (
    "{ref} was resolved and reopened at {at} UTC, after you opened this form. "
    "Open the form again to resolve it."
)


async def refuse_if_reopened_since(
    session: AsyncSession, incident_id: int, opened_at: datetime | None, ref: str
):
    """Raise the form's inline error when the incident was reopened after `opened_at`."""
    if opened_at is None:
        return
    statement = (
        select(AuditEvent)
        .where(
            AuditEvent.incident_id == incident_id,
            col(AuditEvent.at) >= opened_at,
            col(AuditEvent.action).in_([AuditAction.REOPENED.value, AuditAction.STATUS_CHANGED.value]),
        )
        .order_by(col(AuditEvent.at).desc())
    )
    for event in (await session.exec(statement)).all():
        if event.action == AuditAction.REOPENED or event.details.get("old") == IncidentStatus.RESOLVED:
            at = event.at.astimezone(UTC).strftime("%H:%M")
            raise Invalid({"summary": REOPENED_MEANWHILE.format(ref=ref, at=at)})
