"""What the public may see: approved customer messages of public incidents, nothing else.

Read in a fixed number of queries. The public title and impact come from the newest published
customer message (its headline and impact, which an approver has read), never from the
incident's internal fields; named-account and internal messages, drafts, rejected versions
and private incidents are never selected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import AuditAction
from bot.enums import AudienceKind, IncidentStatus, Stage, Visibility
from storage.models import AuditEvent, Draft, DraftVersion, Incident


@dataclass(frozen=True)
class PublicUpdate:
    id: str  # stable: "<draft id>" (a correction keeps the id and moves `updated_at`)
    stage: str
    status: str  # Statuspage vocabulary at the time it was published
    text: str  # neutral Markdown, as approved
    headline: str
    impact: str
    published_at: datetime
    updated_at: datetime  # a correction's time, else published_at


@dataclass(frozen=True)
class PublicIncident:
    id: int
    severity: str
    status: str  # investigating | identified | monitoring | resolved | postmortem
    declared_at: datetime
    resolved_at: datetime | None  # when customers were told it is resolved
    segments: list[str]
    updates: list[PublicUpdate] = field(default_factory=list)  # newest first

    @property
    def title(self) -> str:
        return self.updates[0].headline if self.updates else ""

    @property
    def impact_text(self) -> str:
        return self.updates[0].impact if self.updates else ""

    @property
    def live(self) -> bool:
        return self.resolved_at is None

    @property
    def updated_at(self) -> datetime:
        return max(u.updated_at for u in self.updates)


async def data_version(session: AsyncSession) -> tuple[int, datetime | None]:
    """Every change the page could show is audited: the newest audit event versions the page."""
    row = (await session.exec(select(func.max(AuditEvent.id), func.max(AuditEvent.at)))).one()
    return int(row[0] or 0), row[1]


async def public_incidents(
    session: AsyncSession, now: datetime, history: timedelta, segments: list[str]
) -> list[PublicIncident]:
    """Live ones and those resolved within `history`, each with at least one published message."""
    statement = select(Incident).where(
        Incident.visibility == Visibility.PUBLIC.value,
        (Incident.status != IncidentStatus.RESOLVED.value) | (col(Incident.resolved_at) >= now - history),
    )
    incidents = {i.id: i for i in (await session.exec(statement)).all() if i.id is not None}
    if not incidents:
        return []
    drafts, versions = await _published(session, list(incidents))
    events = await _events(session, list(incidents))
    found = []
    for incident_id, incident in incidents.items():
        updates = [
            _update(d, versions[(d.id, d.published_version)], events.get(incident_id, []))
            for d in drafts.get(incident_id, [])
            if (d.id, d.published_version) in versions
        ]
        if updates:
            updates.sort(key=lambda u: (u.published_at, int(u.id)), reverse=True)  # id: same-second ties
            found.append(_incident(incident, updates, segments))
    return sorted(found, key=lambda i: i.updates[0].published_at, reverse=True)


async def _published(session: AsyncSession, ids: list[int]):
    statement = select(Draft).where(
        col(Draft.incident_id).in_(ids),
        Draft.audience_kind == AudienceKind.CUSTOMER.value,  # never a named account's or internal
        col(Draft.published_version).is_not(None),
    )
    drafts = list((await session.exec(statement)).all())
    by_incident: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_incident.setdefault(draft.incident_id, []).append(draft)
    wanted = select(DraftVersion).where(col(DraftVersion.draft_id).in_([d.id for d in drafts] or [-1]))
    versions = {(v.draft_id, v.number): v for v in (await session.exec(wanted)).all()}
    return by_incident, versions


async def _events(session: AsyncSession, ids: list[int]) -> dict[int, list[AuditEvent]]:
    kinds = [
        AuditAction.MESSAGE_PUBLISHED,
        AuditAction.MESSAGE_CORRECTED,
        AuditAction.STATUS_CHANGED,
        AuditAction.RESOLVED,
    ]
    statement = (
        select(AuditEvent)
        .where(col(AuditEvent.incident_id).in_(ids), col(AuditEvent.action).in_([k.value for k in kinds]))
        .order_by(col(AuditEvent.id))
    )
    events: dict[int, list[AuditEvent]] = {}
    for event in (await session.exec(statement)).all():
        events.setdefault(event.incident_id or 0, []).append(event)
    return events


def _update(draft: Draft, version: DraftVersion, events: list[AuditEvent]) -> PublicUpdate:
    mine = [e for e in events if e.details.get("draft") == draft.id]
    published = next((e.at for e in mine if e.action == AuditAction.MESSAGE_PUBLISHED), draft.updated_at)
    corrected = [e.at for e in mine if e.action == AuditAction.MESSAGE_CORRECTED]
    facts = version.facts or {}
    return PublicUpdate(
        id=str(draft.id),
        stage=draft.stage,
        status=_status_at(draft.stage, published, events),
        text=version.text,
        headline=str(facts.get("headline") or ""),
        impact=str(facts.get("impact") or ""),
        published_at=published,
        updated_at=max([published, *corrected]),
    )


def _status_at(stage: str, moment: datetime, events: list[AuditEvent]) -> str:
    if stage == Stage.POST_INCIDENT:
        return "postmortem"
    if stage == Stage.RESOLVED:
        return IncidentStatus.RESOLVED.value
    status = IncidentStatus.INVESTIGATING.value
    for event in events:
        if event.action == AuditAction.STATUS_CHANGED and event.at <= moment:
            status = str(event.details.get("new") or status)
    return status if status != IncidentStatus.RESOLVED else IncidentStatus.MONITORING.value


def _incident(incident: Incident, updates: list[PublicUpdate], segments: list[str]) -> PublicIncident:
    """The page's state comes from what customers were told, not from the internal status."""
    resolved = [u for u in updates if u.stage in (Stage.RESOLVED, Stage.POST_INCIDENT)]
    status = "postmortem" if any(u.stage == Stage.POST_INCIDENT for u in updates) else updates[0].status
    return PublicIncident(
        id=incident.id or 0,
        severity=incident.severity,
        status=status,
        declared_at=incident.declared_at,
        resolved_at=min(u.published_at for u in resolved) if resolved else None,
        segments=[s for s in incident.segments if s in segments],
        updates=updates,
    )
