"""Snooze, pause and resume update reminders. Each is audited and bumps the incident version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.access.guard import Access
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.cards import Card, command_for, mention
from bot.chat.ports import ChatPlatform
from bot.clock import Clock
from bot.durations import format_duration
from bot.enums import Action, IncidentStatus
from bot.errors import Conflict, Invalid, NotFound
from bot.policy.model import Policy
from bot.reminders.schedule import reschedule
from storage.db import Database
from storage.models import Incident

LONGEST_SNOOZE = timedelta(hours=24)


@dataclass(frozen=True)
class Changed:
    incident: Incident
    note: Card  # what the incident channel is told


class ReminderControls:
    """Each change is committed, then told in the incident's channel (on whichever platform it
    runs), so everyone sees who quieted the reminders."""

    def __init__(
        self, db: Database, policy: Policy, clock: Clock, ref, platform: ChatPlatform, access: Access
    ) -> None:
        self.db, self.policy, self.clock, self.ref = db, policy, clock, ref
        self.platform, self.access = platform, access

    def snooze_length(self, seconds: int) -> timedelta:
        length = timedelta(seconds=seconds)
        if not timedelta(0) < length <= LONGEST_SNOOZE:
            raise Invalid({"snooze": "snooze for more than zero and at most 24 hours, e.g. `snooze 30m`"})
        return length

    async def snooze(self, incident_id: int, length: timedelta, *, actor: str) -> Changed:
        now = self.clock.now()
        until = now + self.snooze_length(int(length.total_seconds()))

        def change(incident: Incident) -> str:
            incident.snoozed_until = until
            length_text = format_duration(length)
            return f"🔕 {mention(actor)} snoozed update reminders for {length_text} (until {_hm(until)})."

        return await self._change(
            incident_id, actor, AuditAction.REMINDERS_SNOOZED, change, until=until.isoformat()
        )

    async def pause(self, incident_id: int, *, actor: str) -> Changed:
        def change(incident: Incident) -> str:
            resume = f"`{command_for(incident.platform)} resume` turns them back on."
            if incident.reminders_paused:
                raise Conflict(f"Update reminders are already paused. {resume}")
            incident.reminders_paused, incident.reminders_paused_at = True, self.clock.now()
            return f"⏸️ {mention(actor)} paused update reminders. {resume}"

        return await self._change(incident_id, actor, AuditAction.REMINDERS_PAUSED, change)

    async def resume(self, incident_id: int, *, actor: str) -> Changed:
        def change(incident: Incident) -> str:
            if not incident.reminders_paused and incident.snoozed_until is None:
                raise Conflict("Update reminders are already on.")
            incident.reminders_paused, incident.snoozed_until = False, None
            incident.reminders_paused_at = None
            due = incident.next_update_due_at
            when = f" The next update is due {_hm(due)}." if due else ""
            return f"▶️ {mention(actor)} resumed update reminders.{when}"

        return await self._change(incident_id, actor, AuditAction.REMINDERS_RESUMED, change)

    async def _change(self, incident_id: int, actor: str, action: AuditAction, change, **details) -> Changed:
        async with self.db.read() as session:
            current = await session.get(Incident, incident_id)
        if current is None:
            raise NotFound("That incident no longer exists.")
        await self.access.require(actor, PERMISSIONS[action], current)
        now = self.clock.now()
        async with self.db.write() as session:
            incident = await session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
            if incident is None:
                raise NotFound("That incident no longer exists.")
            if incident.status == IncidentStatus.RESOLVED:
                raise Conflict(f"{self.ref(incident)} is resolved: there are no update reminders to change.")
            text = change(incident)
            incident.version += 1
            incident.updated_at = now
            reschedule(incident, self.policy.reminders)
            audit.record(session, incident_id=incident_id, actor=actor, action=action, at=now, **details)
        changed = Changed(incident, Card(summary=text, body=text))
        if incident.channel_id:
            await self.platform.post(incident.channel_id, changed.note)
        return changed


PERMISSIONS = {
    AuditAction.REMINDERS_SNOOZED: Action.SNOOZE,
    AuditAction.REMINDERS_PAUSED: Action.PAUSE,
    AuditAction.REMINDERS_RESUMED: Action.RESUME,
}


def _hm(moment: datetime) -> str:
    return moment.strftime("%H:%M UTC")
