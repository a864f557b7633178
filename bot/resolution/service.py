"""Resolve and reopen. Resolving stops reminders in the same transaction and creates follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.access.guard import Access
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.cards import command_for
from bot.clock import Clock
from bot.enums import Action, FollowUpStatus, IncidentStatus
from bot.errors import Conflict, Invalid, NotFound
from bot.policy.model import Policy
from bot.reminders import schedule as reminder_schedule
from bot.resolution.follow_up_plan import plan_follow_ups
from bot.resolution.forms import ResolveInput
from bot.resolution.stale import refuse_if_reopened_since
from storage.db import Database
from storage.models import AuditEvent, FollowUp, Incident


@dataclass(frozen=True)
class Resolved:
    incident: Incident
    follow_ups: list[FollowUp]  # created now (none when a reopened incident is resolved again)


class ResolutionService:
    def __init__(self, db: Database, policy: Policy, clock: Clock, ref, access: Access) -> None:
        self.db, self.policy, self.clock, self.ref, self.access = db, policy, clock, ref, access

    async def _require(self, actor: str, action: Action, incident_id: int) -> None:
        async with self.db.read() as session:
            incident = await session.get(Incident, incident_id)
        if incident is None:
            raise NotFound("That incident no longer exists.")
        await self.access.require(actor, action, incident)

    async def resolve(self, incident_id: int, form: ResolveInput, *, actor: str) -> Resolved:
        await self._require(actor, Action.RESOLVE, incident_id)
        now = self.clock.now()
        async with self.db.write() as session:
            incident = await self._locked(session, incident_id)
            if incident.status == IncidentStatus.RESOLVED:
                raise Conflict(
                    f"{self.ref(incident)} is already resolved. "
                    f"`{command_for(incident.platform)} reopen` brings it back."
                )
            await refuse_if_reopened_since(session, incident_id, form.opened_at, self.ref(incident))
            if form.resolved_at < incident.declared_at.replace(microsecond=0):
                raise Invalid({"resolved_at": "The incident cannot be resolved before it was declared."})
            old_status = incident.status
            incident.status = IncidentStatus.RESOLVED.value
            incident.resolved_at = _not_before(form.resolved_at, incident.declared_at)
            incident.resolution_summary = form.summary
            _changed(incident, now, self.policy)
            audit.record(
                session,
                incident_id=incident_id,
                actor=actor,
                action=AuditAction.RESOLVED,
                at=now,
                old_status=old_status,
                resolved_at=incident.resolved_at.isoformat(),
                summary=form.summary,
            )
            created = await self._create_follow_ups(session, incident, now, actor)
            incident.follow_ups_due_at = None  # created in this transaction: nothing is owed
        return Resolved(incident, created)

    async def check_form(self, incident_id: int, form: ResolveInput) -> None:
        """The resolve form's inline check before its ack (`resolve` checks again, under the lock)."""
        async with self.db.read() as session:
            incident = await session.get(Incident, incident_id)
            if incident is not None:
                await refuse_if_reopened_since(session, incident_id, form.opened_at, self.ref(incident))

    async def reopen(self, incident_id: int, *, actor: str) -> Incident:
        await self._require(actor, Action.REOPEN, incident_id)
        now = self.clock.now()
        async with self.db.write() as session:
            incident = await self._locked(session, incident_id)
            if incident.status != IncidentStatus.RESOLVED:
                raise Conflict(f"{self.ref(incident)} is not resolved.")
            incident.status = IncidentStatus.INVESTIGATING.value
            incident.resolved_at = None
            incident.follow_ups_due_at = None
            reminder_schedule.after_reopen(incident, self.policy, now)
            _changed(incident, now, self.policy)
            audit.record(session, incident_id=incident_id, actor=actor, action=AuditAction.REOPENED, at=now)
        return incident

    async def create_follow_ups(self, incident_id: int, *, actor: str) -> list[FollowUp] | None:
        """For an incident resolved by `/incident edit`: the follow-ups its edit recorded as owed
        (`follow_ups_due_at`), created and marked done in one transaction under the row lock.
        None when nothing is owed any more (another task created them, or it was reopened)."""
        await self._require(actor, Action.RESOLVE, incident_id)
        async with self.db.write() as session:
            incident = await self._locked(session, incident_id)
            if incident.follow_ups_due_at is None or incident.status != IncidentStatus.RESOLVED:
                incident.follow_ups_due_at = None
                return None
            incident.follow_ups_due_at = None
            return await self._create_follow_ups(session, incident, self.clock.now(), actor)

    async def owed_follow_ups(self, now: datetime, limit: int = 50) -> list[tuple[int, str]]:
        """Incidents resolved by an edit whose follow-ups are still owed (a crash came between),
        each with who resolved it (the status change in the audit trail)."""
        owed = select(Incident.id).where(col(Incident.follow_ups_due_at) <= now).limit(limit)
        async with self.db.read() as session:
            found = []
            for incident_id in (await session.exec(owed)).all():
                by = (
                    select(AuditEvent.actor_id)
                    .where(AuditEvent.incident_id == incident_id)
                    .where(AuditEvent.action == AuditAction.STATUS_CHANGED.value)
                    .order_by(col(AuditEvent.id).desc())
                )
                found.append((incident_id, (await session.exec(by)).first() or "bot"))
        return found

    async def _create_follow_ups(
        self, session: AsyncSession, incident: Incident, now, actor: str
    ) -> list[FollowUp]:
        insert = postgresql.insert if self.db.dialect == "postgresql" else sqlite.insert
        created = []
        for item in plan_follow_ups(incident, self.policy, incident.resolved_at or now):
            values = dict(
                incident_id=incident.id,
                kind=item.kind.value,
                subject=item.subject,
                owner_id=item.owner_id,
                due_at=item.due_at,
                status=FollowUpStatus.OPEN.value,
                created_at=now,
                next_nag_at=item.due_at,
            )
            statement = (
                insert(FollowUp)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["incident_id", "kind", "subject"])
                .returning(FollowUp.id)
            )
            if (new_id := (await session.exec(statement)).scalar()) is None:
                continue  # created when it was resolved before (then reopened)
            created.append(FollowUp(id=new_id, **values))
            audit.record(
                session,
                incident_id=incident.id,
                actor=actor,
                action=AuditAction.FOLLOW_UP_CREATED,
                at=now,
                follow_up=created[-1].id,
                title=item.title,
                owner=item.owner_id,
                due_at=item.due_at.isoformat(),
            )
        return created

    async def _locked(self, session: AsyncSession, incident_id: int) -> Incident:
        statement = select(Incident).where(col(Incident.id) == incident_id).with_for_update()
        found = (await session.exec(statement, execution_options={"populate_existing": True})).first()
        if found is None:
            raise NotFound("That incident no longer exists.")
        return found


def _changed(incident: Incident, now, policy: Policy) -> None:
    incident.version += 1
    incident.updated_at = now
    reminder_schedule.reschedule(incident, policy.reminders)


def _not_before(resolved_at: datetime, declared_at: datetime) -> datetime:
    """The form's time picker keeps whole seconds: a resolution in the second the incident was
    declared is taken as the declaration moment, never as before it."""
    return max(resolved_at, declared_at)
