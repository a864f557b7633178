"""What the public may see: approved customer messages of public incidents, nothing else.

Read in a fixed number of queries. The public title and impact come from the newest published
customer message (its headline and impact, which an approver has read), never from the
incident's internal fields; named-account and internal messages, drafts, rejected versions
and private incidents are never selected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit.trail import AuditAction
from bot.chat import links
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
    components: dict[str, str] | None = None  # component id -> status it announced; None: not said


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

    @cached_property
    def signature(self) -> tuple:
        """Changes whenever anything shown about this incident changes (keys its cached renders)."""
        shown = tuple((u.id, u.updated_at, u.status) for u in self.updates)
        return (self.id, self.status, self.resolved_at, tuple(self.segments), self.severity, shown)


async def data_version(session: AsyncSession) -> tuple[int, datetime | None]:
    """Every change the page could show is audited: the newest audit event versions the page."""
    row = (await session.exec(select(func.max(AuditEvent.id), func.max(AuditEvent.at)))).one()
    return int(row[0] or 0), row[1]


async def last_public_change(session: AsyncSession) -> datetime | None:
    """When a broad-customer message of a public incident was last published or corrected (any age;
    a pending correction does not count)."""
    kinds = [AuditAction.MESSAGE_PUBLISHED.value, AuditAction.MESSAGE_CORRECTED.value]
    statement = (
        select(func.max(AuditEvent.at))
        .join(Incident, col(Incident.id) == AuditEvent.incident_id)
        .join(Draft, col(Draft.id) == AuditEvent.details["draft"].as_integer())
        .where(
            col(AuditEvent.action).in_(kinds),
            Incident.visibility == Visibility.PUBLIC.value,
            Draft.audience_kind == AudienceKind.CUSTOMER.value,
        )
    )
    return (await session.exec(statement)).one()


async def changed_since(session: AsyncSession, version: int) -> set[int]:
    """Incidents with an audited change after `version` (the page refreshes only those)."""
    statement = select(AuditEvent.incident_id).where(col(AuditEvent.id) > version).distinct()
    return {row for row in (await session.exec(statement)).all() if row is not None}


async def public_incidents(
    session: AsyncSession,
    now: datetime,
    history: timedelta,
    segments: list[str],
    only: set[int] | None = None,
) -> list[PublicIncident]:
    """Live ones and those resolved within `history`, each with at least one published message.

    Plain column rows, not ORM objects: a page of 1,000 updates loads in a few milliseconds.
    `only` limits the read to those incidents (an incremental refresh).
    """
    statement = select(
        Incident.id, Incident.severity, Incident.declared_at, Incident.segments, Incident.components
    ).where(
        Incident.visibility == Visibility.PUBLIC.value,
        (Incident.status != IncidentStatus.RESOLVED.value) | (col(Incident.resolved_at) >= now - history),
    )
    if only is not None:
        statement = statement.where(col(Incident.id).in_(sorted(only)))
    incidents = {row.id: row for row in (await session.exec(statement)).all()}
    if not incidents:
        return []
    messages = await _published(session, list(incidents))
    published, corrected, statuses = await _events(session, list(incidents))
    found = []
    for incident_id, incident in incidents.items():
        updates = [
            _update(row, published, corrected, statuses.get(incident_id, []), incident.components)
            for row in messages.get(incident_id, [])
        ]
        if updates:
            updates.sort(key=lambda u: (u.published_at, int(u.id)), reverse=True)  # id: same-second ties
            found.append(_incident(incident, updates, segments))
    return sorted(found, key=lambda i: i.updates[0].published_at, reverse=True)


async def _published(session: AsyncSession, ids: list[int]) -> dict[int, list[Any]]:
    """The published version of every broad-customer message (never a named account's or internal)."""
    statement = (
        select(
            Draft.id, Draft.incident_id, Draft.stage, Draft.updated_at, DraftVersion.text, DraftVersion.facts
        )
        .join(
            DraftVersion,
            and_(DraftVersion.draft_id == Draft.id, DraftVersion.number == Draft.published_version),
        )
        .where(col(Draft.incident_id).in_(ids), Draft.audience_kind == AudienceKind.CUSTOMER.value)
    )
    by_incident: dict[int, list[Any]] = {}
    for row in (await session.exec(statement)).all():
        by_incident.setdefault(row.incident_id, []).append(row)
    return by_incident


async def _events(session: AsyncSession, ids: list[int]):
    """First publication and corrections per draft; status changes per incident (in order)."""
    kinds = [AuditAction.MESSAGE_PUBLISHED, AuditAction.MESSAGE_CORRECTED, AuditAction.STATUS_CHANGED]
    statement = (
        select(AuditEvent.incident_id, AuditEvent.action, AuditEvent.at, AuditEvent.details)
        .where(col(AuditEvent.incident_id).in_(ids), col(AuditEvent.action).in_([k.value for k in kinds]))
        .order_by(col(AuditEvent.id))
    )
    published: dict[int, datetime] = {}
    corrected: dict[int, list[datetime]] = {}
    statuses: dict[int, list[tuple[datetime, str]]] = {}
    for incident_id, action, at, details in (await session.exec(statement)).all():
        if action == AuditAction.STATUS_CHANGED:
            statuses.setdefault(incident_id, []).append((at, str(details.get("new") or "")))
        elif action == AuditAction.MESSAGE_PUBLISHED:
            published.setdefault(details.get("draft"), at)
        else:
            corrected.setdefault(details.get("draft"), []).append(at)
    return published, corrected, statuses


def _update(
    row: Any, published: dict, corrected: dict, statuses: list[tuple[datetime, str]], declared: Any
) -> PublicUpdate:
    """`declared`: the incident's components as declared, which its initial notice carries unless
    the notice's facts say otherwise (approving the notice is what makes them public)."""
    first = published.get(row.id, row.updated_at)
    facts = row.facts or {}
    said = facts.get("components") if "components" in facts else None
    if said is None and row.stage == Stage.INITIAL:
        said = declared
    return PublicUpdate(
        id=str(row.id),
        stage=row.stage,
        status=_status_at(row.stage, first, statuses),
        text=row.text,
        headline=links.plain(str(facts.get("headline") or "")),  # a typed link reads as text
        impact=links.plain(str(facts.get("impact") or "")),
        published_at=first,
        updated_at=max([first, *corrected.get(row.id, [])]),
        components=_components(said),
    )


def _components(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def _status_at(stage: str, moment: datetime, statuses: list[tuple[datetime, str]]) -> str:
    if stage == Stage.POST_INCIDENT:
        return "postmortem"
    if stage == Stage.RESOLVED:
        return IncidentStatus.RESOLVED.value
    status = IncidentStatus.INVESTIGATING.value
    for at, new in statuses:
        if at <= moment:
            status = new or status
    return status if status != IncidentStatus.RESOLVED else IncidentStatus.MONITORING.value


def _incident(incident: Any, updates: list[PublicUpdate], segments: list[str]) -> PublicIncident:
    """The page's state comes from what customers were told, not from the internal status."""
    resolved = [u for u in updates if u.stage in (Stage.RESOLVED, Stage.POST_INCIDENT)]
    status = "postmortem" if any(u.stage == Stage.POST_INCIDENT for u in updates) else updates[0].status
    return PublicIncident(
        id=incident.id,
        severity=incident.severity,
        status=status,
        declared_at=incident.declared_at,
        resolved_at=min(u.published_at for u in resolved) if resolved else None,
        segments=[s for s in incident.segments if s in segments],
        updates=updates,
    )
