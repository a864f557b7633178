"""Incidents: declare, read, edit. Every state change bumps `version` and is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update

from bot.access.guard import Access
from bot.audit import timeline as audit_timeline
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.cards import mention
from bot.clock import Clock
from bot.enums import Action, Handover, IncidentStatus, Role, Visibility
from bot.errors import NotAllowed, NotFound
from bot.incidents.forms import DeclareInput, EditInput
from bot.incidents.roster import Roster, roster
from bot.incidents.stale_forms import EDITABLE, Fingerprint, wanted_changes
from bot.policy.model import Policy
from bot.reminders import schedule as reminder_schedule
from bot.slo.load import measure_one
from bot.slo.measures import CommsSlo
from storage.db import Database
from storage.models import AuditEvent, FollowUp, Incident


@dataclass(frozen=True)
class Declared:
    incident: Incident
    created: bool  # False when the same submission was seen before


@dataclass(frozen=True)
class StatusView:
    incident: Incident
    history: list[AuditEvent]
    slo: CommsSlo


@dataclass(frozen=True)
class Edited:
    incident: Incident
    changes: dict[str, tuple[Any, Any]]  # field -> (old, new)


class IncidentService:
    def __init__(self, db: Database, policy: Policy, clock: Clock, access: Access) -> None:
        self.db = db
        self.policy = policy
        self.clock = clock
        self.access = access

    def reference(self, incident: Incident) -> str:
        return f"{self.policy.incident.number_prefix}-{incident.id}"

    async def declare(
        self, form: DeclareInput, *, reporter_id: str, origin_channel_id: str | None, source_key: str
    ) -> Declared:
        """Record a new incident; a repeated `source_key` returns the first one instead."""
        await self.access.require(reporter_id, Action.DECLARE)
        if existing := await self._by_source(source_key):
            return Declared(existing, created=False)
        now = self.clock.now()
        incident = Incident(
            **{
                name: getattr(form, name)
                for name in ("title", "what_happened", "customer_impact", "severity")
            },
            status=IncidentStatus.INVESTIGATING.value,
            visibility=form.visibility.value,
            segments=form.segments,
            named_accounts=form.named_accounts,
            components=form.components,
            reporter_id=reporter_id,
            commander_id=form.commander_id,
            comms_owner_id=form.comms_owner_id,
            origin_channel_id=origin_channel_id,
            source_key=source_key,
            declared_at=now,
            updated_at=now,
            initial_notice_due_at=now,  # the intent, in the declaration's transaction
        )
        reminder_schedule.first_due(incident, self.policy)
        try:
            async with self.db.write() as session:
                session.add(incident)
                await session.flush()
                audit.record(
                    session,
                    incident_id=incident.id,
                    actor=reporter_id,
                    action=AuditAction.DECLARED,
                    at=now,
                    severity=form.severity,
                    visibility=form.visibility.value,
                )
        except IntegrityError:  # a concurrent duplicate won the race
            if existing := await self._by_source(source_key):
                return Declared(existing, created=False)
            raise
        return Declared(incident, created=True)

    async def get(self, incident_id: int) -> Incident:
        async with self.db.read() as session:
            incident = await session.get(Incident, incident_id)
        if incident is None:
            raise NotFound(f"There is no incident {self.policy.incident.number_prefix}-{incident_id}.")
        return incident

    async def by_channel(self, channel_id: str) -> Incident:
        async with self.db.read() as session:
            found = (await session.exec(select(Incident).where(Incident.channel_id == channel_id))).first()
        if found is None:
            raise NotFound("This is not an incident channel. Run this command in the incident's channel.")
        return found

    async def active(self, limit: int = 50) -> list[Incident]:
        statement = (
            select(Incident)
            .where(Incident.status != IncidentStatus.RESOLVED.value)
            .order_by(col(Incident.declared_at).desc())
            .limit(limit)
        )
        async with self.db.read() as session:
            return list((await session.exec(statement)).all())

    def stale(self, incident: Incident, form: EditInput, opened: Fingerprint | None) -> dict[str, str]:
        """The fields this save would write (raises `Invalid` for a field someone else changed
        since the form was opened); for a form's inline answer, and again under the row lock."""
        submitted = {name: str(getattr(form, name)) for name in EDITABLE}
        return wanted_changes(incident, submitted, opened, self.reference(incident))

    async def edit(
        self, incident_id: int, form: EditInput, *, actor: str, opened: Fingerprint | None = None
    ) -> Edited:
        """Apply what the user changed since `opened`; earlier values stay in the audit trail."""
        current = await self.get(incident_id)
        await self.access.require(actor, Action.EDIT, current)
        status = self.stale(current, form, opened).get("status")
        if status and (status == IncidentStatus.RESOLVED) != (current.status == IncidentStatus.RESOLVED):
            reopening = current.status == IncidentStatus.RESOLVED  # resolving or reopening by edit
            await self.access.require(actor, Action.REOPEN if reopening else Action.RESOLVE, current)
        now = self.clock.now()
        async with self.db.write() as session:
            incident = await session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
            if incident is None:
                raise NotFound("That incident no longer exists.")
            changes = _apply(incident, self.stale(incident, form, opened))
            if changes:
                incident.version += 1
                incident.updated_at = now
                _note_resolution(incident, changes, now)
                _move_reminders(incident, changes, self.policy, now)
                _audit_edit(session, incident, changes, actor, now)
        return Edited(incident, changes)

    async def update_fields(self, incident_id: int, **values: Any) -> None:
        """Record platform facts (channel id, intro message id, set-up done)."""
        async with self.db.write() as session:
            incident = await session.get(Incident, incident_id)
            if incident is None:
                raise NotFound("That incident no longer exists.")
            for name, value in values.items():
                setattr(incident, name, value)

    async def hand_over(self, incident_id: int, role: Handover, to: str, *, actor: str) -> Edited:
        """Give the commander or comms owner role to `to`; audited, announced by the caller."""
        await self._may_hand_over(actor, role, await self.get(incident_id))
        column = f"{role.value}_id"
        now = self.clock.now()
        async with self.db.write() as session:
            incident = await session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
            if incident is None:
                raise NotFound("That incident no longer exists.")
            old = getattr(incident, column)
            if old == to:
                return Edited(incident, {})
            setattr(incident, column, to)
            incident.version += 1
            incident.updated_at = now
            audit.record(
                session,
                incident_id=incident_id,
                actor=actor,
                action=AuditAction.HANDED_OVER,
                at=now,
                role=role.value,
                old=old,
                new=to,
            )
        return Edited(incident, {column: (old, to)})

    async def _may_hand_over(self, actor: str, role: Handover, incident: Incident) -> None:
        """`hand_over` in the table, and then: the commander role only from its holder, the comms
        owner role from its holder or the commander; admins either."""
        person = await self.access.require(actor, Action.HAND_OVER, incident)
        holders = [incident.commander_id] + (
            [incident.comms_owner_id] if role is Handover.COMMS_OWNER else []
        )
        if any(person.has(h) for h in holders) or await self.access.book.holds(Role.ADMINS, person, incident):
            return
        name = role.value.replace("_", " ")
        who = " or ".join(mention(h) for h in holders)
        raise NotAllowed(
            f"Only {who} or an admin can hand over the {name} role of {self.reference(incident)}."
        )

    async def listing(self, viewer: str, *, shared: bool) -> list[Incident]:
        """`/incident list`: live incidents (a list of them is a digest); in a shared place only
        what everyone may see, in private also the viewer's private ones."""
        await self.access.require(viewer, Action.DIGEST)
        return [i for i in await self.active() if visible_to(i, "" if shared else viewer)]

    async def roles(self, incident_id: int, *, viewer: str) -> Roster:
        incident = await self.get(incident_id)
        person = await self.access.require(viewer, Action.ROLES, incident)
        return await roster(self.access, incident, person)

    async def status(self, incident_id: int, *, viewer: str) -> StatusView:
        """The incident, its history and its comms SLOs, for someone who may see its status."""
        incident = await self.get(incident_id)
        await self.access.require(viewer, Action.STATUS, incident)
        async with self.db.read() as session:
            history = await audit.events_for(session, incident_id)
            slo = await measure_one(session, incident, self.policy, self.clock.now())
        return StatusView(incident, history, slo)

    async def timeline(self, incident_id: int, *, viewer: str) -> tuple[Incident, list]:
        incident = await self.get(incident_id)
        await self.access.require(viewer, Action.TIMELINE, incident)
        return incident, await audit_timeline.timeline(self.db, incident_id)

    async def history(self, incident_id: int) -> list[AuditEvent]:
        async with self.db.read() as session:
            return await audit.events_for(session, incident_id)

    async def _by_source(self, source_key: str) -> Incident | None:
        async with self.db.read() as session:
            return (await session.exec(select(Incident).where(Incident.source_key == source_key))).first()

    async def rename_person(self, old: str, new: str) -> None:
        """Someone named by one id (a Teams UPN typed into a form) turned out to act under
        another (their object id): the incidents and follow-ups naming them follow, so they
        see and run what is theirs."""
        async with self.db.write() as session:
            for role in ("reporter_id", "commander_id", "comms_owner_id"):
                column = getattr(Incident, role)
                await session.exec(update(Incident).where(column == old).values({role: new}))
            await session.exec(update(FollowUp).where(col(FollowUp.owner_id) == old).values(owner_id=new))


def visible_to(incident: Incident, user_id: str) -> bool:
    """Private incidents are shown only to the people running them."""
    if incident.visibility != Visibility.PRIVATE.value:
        return True
    return user_id in {incident.reporter_id, incident.commander_id, incident.comms_owner_id}


def _apply(incident: Incident, wanted: dict[str, str]) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in wanted.items():
        changes[name] = (getattr(incident, name), new)
        setattr(incident, name, new)
    return changes


def _note_resolution(incident: Incident, changes: dict[str, tuple[Any, Any]], now) -> None:
    """Resolving by edit owes follow-ups: the intent is written with the status, in its transaction."""
    if "status" in changes:
        resolved = incident.status == IncidentStatus.RESOLVED.value
        incident.resolved_at = now if resolved else None
        incident.follow_ups_due_at = now if resolved else None


def _move_reminders(incident: Incident, changes: dict[str, tuple[Any, Any]], policy: Policy, now) -> None:
    """Severity changes recompute the due time; resolving stops reminders, reopening resumes them."""
    if "severity" in changes:
        reminder_schedule.after_severity_change(incident, changes["severity"][0], policy, now)
    old_status = changes.get("status", (None,))[0]
    if old_status == IncidentStatus.RESOLVED.value:
        reminder_schedule.after_reopen(incident, policy, now)
    reminder_schedule.reschedule(incident, policy.reminders)


def _audit_edit(session, incident: Incident, changes: dict[str, tuple[Any, Any]], actor: str, now) -> None:
    as_lists = {name: list(pair) for name, pair in changes.items()}
    audit.record(
        session, incident_id=incident.id, actor=actor, action=AuditAction.EDITED, at=now, changes=as_lists
    )
    for name, action in (("severity", AuditAction.SEVERITY_CHANGED), ("status", AuditAction.STATUS_CHANGED)):
        if name in changes:
            old, new = changes[name]
            audit.record(
                session, incident_id=incident.id, actor=actor, action=action, at=now, old=old, new=new
            )
