"""Rows a maintenance writes: its private host incident, and one approved draft per published text.

A published text is a `Draft` of the host incident, already approved (its approval is the
maintenance's), with one version holding the approved text; `Publisher.enqueue` writes its
outbox entries (and e-mail and webhook deliveries) in the caller's transaction, so the text is
delivered once per target whatever crashes or second instances do.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.comms.drafting import DraftFacts
from bot.drafts.approvers import BLOCKED
from bot.enums import AudienceKind, DraftStatus, IncidentStatus, Stage, Visibility
from bot.errors import NotFound
from bot.maintenance.texts import AUDIENCE
from storage.maintenance_models import MaintenanceWindow
from storage.models import Draft, DraftVersion, Incident


def host_incident(title: str, owner: str, severity: str, source_key: str, now: datetime) -> Incident:
    """Private and closed (status resolved): no channel, no reminders, never a status-page incident."""
    return Incident(
        title=f"Maintenance: {title}"[:200],
        what_happened="Scheduled maintenance",
        customer_impact="",
        severity=severity,
        status=IncidentStatus.RESOLVED.value,
        visibility=Visibility.PRIVATE.value,
        reporter_id=owner,
        commander_id=owner,
        comms_owner_id=owner,
        source_key=f"maintenance:{source_key}"[:128],
        setup_complete=True,
        first_update_breach="moot",
        declared_at=now,
        updated_at=now,
    )  # resolved_at stays empty: never "resolved in the last 24 hours" in a digest


async def locked(session: AsyncSession, maintenance_id: int) -> tuple[MaintenanceWindow, Incident]:
    statement = select(MaintenanceWindow).where(MaintenanceWindow.id == maintenance_id).with_for_update()
    window = (await session.exec(statement)).first()
    if window is None:
        raise NotFound("That maintenance no longer exists.")
    return window, await session.get(Incident, window.incident_id)


async def by_source(session: AsyncSession, source_key: str) -> MaintenanceWindow | None:
    return (
        await session.exec(select(MaintenanceWindow).where(MaintenanceWindow.source_key == source_key))
    ).first()


async def published_text(
    session: AsyncSession,
    window: MaintenanceWindow,
    incident: Incident,
    stage: Stage,
    now: datetime,
    enqueue,
    key: str = "",
) -> Draft:
    """The approved text (`texts[key or stage]`) as a draft of the host incident, queued for
    delivery in the caller's transaction."""
    key = key or stage.value
    draft = Draft(
        incident_id=incident.id,
        stage=stage.value,
        audience_kind=AudienceKind.CUSTOMER.value,
        audience_key=AUDIENCE,
        status=DraftStatus.APPROVED.value,
        author_id=window.owner_id,
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    await session.flush()
    session.add(_version(window, draft, key, now))
    await session.flush()
    audit.record(
        session,
        incident_id=incident.id,
        actor=window.approved_by or "bot",
        action=AuditAction.MESSAGE_APPROVED,
        at=now,
        draft=draft.id,
        version=1,
        maintenance=window.id,
        stage=stage.value,
    )
    await enqueue(session, incident, draft)
    window.drafts = {**window.drafts, key: draft.id}
    return draft


def _version(window: MaintenanceWindow, draft: Draft, key: str, now: datetime) -> DraftVersion:
    """The one version: the text as approved, with the checks it was approved with."""
    return DraftVersion(
        draft_id=draft.id,
        number=1,
        text=window.texts[key],
        facts=_facts(window).to_json(),
        checks=window.checks.get(key, {}),
        blocking=False,
        author_id=window.owner_id,
        created_at=now,
    )


def _facts(window: MaintenanceWindow) -> DraftFacts:
    blank = dict.fromkeys(("what_happened", "eta", "actions_taken", "next_steps", "support_route"), "")
    return DraftFacts(headline=window.title, impact=window.expected_impact, next_update_at=None, **blank)


def status_changed(
    session: AsyncSession, window: MaintenanceWindow, actor: str, old: str, now: datetime
) -> None:
    audit.record(
        session,
        incident_id=window.incident_id,
        actor=actor,
        action=AuditAction.STATUS_CHANGED,
        at=now,
        old=old,
        new=window.status,
        maintenance=window.id,
    )


def change_requested(session: AsyncSession, window: MaintenanceWindow, actor: str, now: datetime) -> None:
    audit.record(
        session,
        incident_id=window.incident_id,
        actor=actor,
        action=AuditAction.EDITED,
        at=now,
        changes={"maintenance": window.change.get("kind")},
        maintenance=window.id,
        until=window.change.get("until"),
    )


async def windows(session: AsyncSession, *statuses: str) -> list[MaintenanceWindow]:
    statement = select(MaintenanceWindow).where(col(MaintenanceWindow.status).in_(statuses))
    return list((await session.exec(statement.order_by(col(MaintenanceWindow.starts_at)))).all())


def refusal_text(why: str, fix: str = "cancel this maintenance and schedule it again") -> str:
    """The drafts' four-eyes refusals, worded for a maintenance (no Edit: its texts are fixed anew)."""
    if why == BLOCKED:
        return f"These texts have blocking findings: {fix} with them fixed."
    return why.replace("draft", "maintenance")
