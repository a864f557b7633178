"""Follow-up items after resolution: list, complete, reassign, move the due date.

Completing an item stops its nags (`next_nag_at` NULL); reassigning moves them to the new due
date. The nags themselves are claimed, posted and retried by bot/resolution/nags.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from bot.access.guard import Access
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.clock import Clock
from bot.enums import Action, FollowUpKind, FollowUpStatus
from bot.errors import Conflict, NotFound
from bot.policy.model import Policy
from bot.resolution.follow_up_plan import title_of
from storage.db import Database
from storage.models import FollowUp, Incident


@dataclass(frozen=True)
class Changed:
    item: FollowUp
    incident: Incident
    previous_owner: str = ""


class FollowUpService:
    def __init__(self, db: Database, policy: Policy, clock: Clock, access: Access) -> None:
        self.db, self.policy, self.clock, self.access = db, policy, clock, access

    async def for_incident(self, incident_id: int) -> list[FollowUp]:
        statement = select(FollowUp).where(FollowUp.incident_id == incident_id).order_by(col(FollowUp.id))
        async with self.db.read() as session:
            return list((await session.exec(statement)).all())

    async def listing(self, incident: Incident, *, viewer: str) -> list[FollowUp]:
        """The incident's items, for someone who may see its status (named accounts included)."""
        await self.access.require(viewer, Action.STATUS, incident)
        return await self.for_incident(incident.id)

    async def get(self, item_id: int) -> tuple[FollowUp, Incident]:
        async with self.db.read() as session:
            item = await session.get(FollowUp, item_id)
            incident = await session.get(Incident, item.incident_id) if item else None
        if item is None or incident is None:
            raise NotFound("That follow-up item no longer exists.")
        return item, incident

    async def complete(self, item_id: int, *, actor: str, notes: str = "") -> Changed:
        def change(item: FollowUp, now: datetime) -> dict:
            if item.status == FollowUpStatus.COMPLETE:
                raise Conflict("That follow-up item is already complete.")
            item.status, item.completed_at, item.completed_by = FollowUpStatus.COMPLETE.value, now, actor
            item.next_nag_at = None
            if notes:
                item.notes = notes
            return {"notes": notes}

        return await self._change(item_id, actor, Action.COMPLETE_FOLLOW_UP, change)

    async def reassign(
        self, item_id: int, *, owner: str, due_at: datetime, actor: str, opened: str | None = None
    ) -> Changed:
        """`opened`: the item's `assignment` when the form was opened; a newer one is not overwritten."""

        def change(item: FollowUp, now: datetime) -> dict:
            if item.status == FollowUpStatus.COMPLETE:
                raise Conflict("That follow-up item is already complete.")
            if opened is not None and opened != assignment(item):
                raise Conflict(REASSIGNED_MEANWHILE)
            before = {"old_owner": item.owner_id, "old_due_at": item.due_at.isoformat()}
            item.owner_id, item.due_at, item.next_nag_at = owner, due_at, due_at
            return {**before, "owner": owner, "due_at": due_at.isoformat()}

        return await self._change(item_id, actor, Action.REASSIGN_FOLLOW_UP, change)

    async def _change(self, item_id: int, actor: str, permission: Action, change) -> Changed:
        found, incident = await self.get(item_id)
        await self.access.require(actor, permission, incident, owner=found.owner_id)
        action = AUDITED[permission]
        now = self.clock.now()
        async with self.db.write() as session:
            item = await session.get(FollowUp, item_id, with_for_update=True, populate_existing=True)
            if item is None:
                raise NotFound("That follow-up item no longer exists.")
            previous_owner = item.owner_id
            details = {"title": title_of(item.kind, item.subject), **change(item, now)}
            audit.record(
                session,
                incident_id=item.incident_id,
                actor=actor,
                action=action,
                at=now,
                follow_up=item.id,
                **details,
            )
            incident = await session.get(Incident, item.incident_id)
        assert incident is not None
        return Changed(item, incident, previous_owner)

    async def incidents_of(self, items: list[FollowUp]) -> dict[int, Incident]:
        statement = select(Incident).where(col(Incident.id).in_(sorted({i.incident_id for i in items})))
        async with self.db.read() as session:
            return {i.id: i for i in (await session.exec(statement)).all() if i.id is not None}


def is_rca(item: FollowUp) -> bool:
    return item.kind == FollowUpKind.RCA


AUDITED = {
    Action.COMPLETE_FOLLOW_UP: AuditAction.FOLLOW_UP_COMPLETED,
    Action.REASSIGN_FOLLOW_UP: AuditAction.FOLLOW_UP_REASSIGNED,
}

REASSIGNED_MEANWHILE = (
    "Someone changed this item's owner or due date since you opened the form: open it again to see it."
)


def assignment(item: FollowUp) -> str:
    """The owner and due date an item's change form was opened with (the form carries it)."""
    return f"{item.owner_id}|{item.due_at.date().isoformat()}"
