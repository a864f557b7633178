"""The communications-plan export's data: one incident read in eight queries, and the plan's shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit.trail import AuditAction
from bot.enums import AudienceKind, FollowUpStatus, IncidentStatus, OutboxStatus, Stage
from bot.policy.model import Policy
from bot.slo.measures import CommsSlo, measure
from storage.db import Database
from storage.models import (
    Approval,
    AuditEvent,
    Draft,
    DraftVersion,
    FollowUp,
    Incident,
    OutboxEntry,
    Reminder,
)

DRAFT, IN_REVIEW, APPROVED = "Draft", "In review", "Approved"
OPEN, COMPLETE = "Open", "Complete"


@dataclass(frozen=True)
class Row:
    """One line of a plan table: Item · Details · Owner · Status (· Notes)."""

    item: str
    details: str  # neutral text; people and channels as mention markers
    owner: str  # a user id, never empty
    status: str
    notes: str = ""
    times: Mapping[str, datetime] = field(default_factory=dict)  # machine-readable, for JSON
    text: str = ""  # a message as published (the Templates section)
    owner_name: str = ""  # set when the plan is rendered (bot/export/naming.py)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[Row, ...]

    @property
    def has_notes(self) -> bool:
        return any(r.notes for r in self.rows)


@dataclass(frozen=True)
class Metadata:
    owner: str  # user id
    version: int
    effective_date: date
    status: str  # Draft / In review / Approved
    category: str = "Customer Success"
    review_cycle: str = "After every incident"
    owner_name: str = ""  # set when the plan is rendered (bot/export/naming.py)


@dataclass(frozen=True)
class Plan:
    ref: str
    title: str
    notice: str  # the internal-document warning for the header
    metadata: Metadata
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Audience:
    """One audience of the plan and the channels the policy sends its messages to."""

    kind: AudienceKind
    name: str  # "customers", the named account, or "internal"
    channels: tuple[str, ...]


@dataclass(frozen=True)
class PolicyFacts:
    """What the policy says about this incident's approvals and audiences."""

    approvers: tuple[str, ...]  # user ids and/or user group handles
    needed: int  # approvals an external message needs at the incident's severity
    internal_needs_approval: bool
    audiences: tuple[Audience, ...]
    severity_description: str


@dataclass(frozen=True)
class PlanData:
    incident: Incident
    drafts: tuple[Draft, ...]
    published: Mapping[int, DraftVersion]  # draft id -> its published version
    approvals: tuple[Approval, ...]
    deliveries: tuple[OutboxEntry, ...]  # delivered copies, oldest first
    events: tuple[AuditEvent, ...]
    follow_ups: tuple[FollowUp, ...]
    reminders: tuple[Reminder, ...]
    policy: PolicyFacts
    slo: CommsSlo | None = None

    def approvals_of(self, draft: Draft) -> list[Approval]:
        return [a for a in self.approvals if a.draft_id == draft.id]

    def deliveries_of(self, draft: Draft) -> list[OutboxEntry]:
        return [d for d in self.deliveries if d.draft_id == draft.id]

    def events_of(self, draft: Draft, action: AuditAction) -> list[AuditEvent]:
        return [e for e in self.events if e.action == action and e.details.get("draft") == draft.id]

    def published_at(self, draft: Draft) -> datetime | None:
        """When the draft was first published (its publication audit event)."""
        found = self.events_of(draft, AuditAction.MESSAGE_PUBLISHED)
        return found[0].at if found else None

    def published_to(self, kind: AudienceKind, name: str) -> bool:
        return any(
            d.published_version is not None and d.audience_kind == kind.value and d.audience_key == name
            for d in self.drafts
        )

    @property
    def post_incident_published(self) -> bool:
        return any(
            d.stage == Stage.POST_INCIDENT.value
            and d.audience_kind == AudienceKind.CUSTOMER.value
            and d.published_version is not None
            for d in self.drafts
        )

    @property
    def status(self) -> str:
        """Draft while live; Approved once resolved with every follow-up done and the last word out."""
        if self.incident.status != IncidentStatus.RESOLVED.value:
            return DRAFT
        open_items = any(f.status != FollowUpStatus.COMPLETE.value for f in self.follow_ups)
        return IN_REVIEW if open_items or not self.post_incident_published else APPROVED


async def load_plan_data(db: Database, policy: Policy, incident_id: int, now: datetime) -> PlanData | None:
    """Read one incident's plan in a read session; None when there is no such incident."""
    async with db.read() as session:
        incident = await session.get(Incident, incident_id)
        if incident is None:
            return None
        of_incident = col(Draft.incident_id) == incident_id

        def of_drafts(model: Any, *where: Any) -> Any:
            return select(model).join(Draft, col(Draft.id) == col(model.draft_id)).where(of_incident, *where)

        drafts = await _all(session, select(Draft).where(of_incident).order_by(col(Draft.id)))
        published_version = col(DraftVersion.number) == col(Draft.published_version)
        published = await _all(session, of_drafts(DraftVersion, published_version))
        approvals = await _all(session, of_drafts(Approval).order_by(col(Approval.at), col(Approval.id)))
        delivered = OutboxEntry.status == OutboxStatus.DELIVERED.value
        deliveries = await _all(
            session,
            of_drafts(OutboxEntry, delivered).order_by(col(OutboxEntry.delivered_at), col(OutboxEntry.id)),
        )
        events = await _all(
            session,
            select(AuditEvent).where(AuditEvent.incident_id == incident_id).order_by(col(AuditEvent.id)),
        )
        follow_ups = await _all(
            session,
            select(FollowUp)
            .where(FollowUp.incident_id == incident_id)
            .order_by(col(FollowUp.due_at), col(FollowUp.id)),
        )
        reminders = await _all(
            session,
            select(Reminder).where(Reminder.incident_id == incident_id).order_by(col(Reminder.id)),
        )
    return PlanData(
        incident=incident,
        drafts=tuple(drafts),
        published={v.draft_id: v for v in published},
        approvals=tuple(approvals),
        deliveries=tuple(deliveries),
        events=tuple(events),
        follow_ups=tuple(follow_ups),
        reminders=tuple(reminders),
        policy=policy_facts(policy, incident),
        slo=measure(incident, drafts, events, target=policy.first_update_within(incident.severity), now=now),
    )


async def _all(session: AsyncSession, statement: Any) -> list[Any]:
    return list((await session.exec(statement)).all())


def policy_facts(policy: Policy, incident: Incident) -> PolicyFacts:
    channels = policy.channels
    audiences = [Audience(AudienceKind.CUSTOMER, "customers", tuple(channels.customer_updates))]
    for name in incident.named_accounts:
        account = policy.accounts.get(name)
        audiences.append(
            Audience(AudienceKind.NAMED_ACCOUNT, name, tuple(account.channels) if account else ())
        )
    audiences.append(Audience(AudienceKind.INTERNAL, "internal", tuple(channels.internal_updates)))
    severity = policy.severities.get(incident.severity)
    return PolicyFacts(
        approvers=tuple(policy.approvals.approvers),
        needed=policy.approvals.needed(incident.severity),
        internal_needs_approval=policy.approvals.internal_needs_approval,
        audiences=tuple(audiences),
        severity_description=severity.description if severity else "",
    )
