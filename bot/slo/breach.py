"""A missed first-update target, said once in the incident channel when it happens.

The cadence sweep asks every second (a read first; idle sweeps write nothing). An incident
whose severity's `first_update_within` has passed since it was declared, not yet handled, is
claimed with a lease (one instance says it); if no customer message has been published by
then, the comms owner and commander are told in the incident channel, the post carrying a
marker that a retry after a crash looks for first, so it is said once. Handled incidents are
marked `said` or `moot` (the update came in time, the incident is resolved by then, there is
no channel, or more than GIVE_UP has passed: a bot that was down that long does not announce a
day-old miss).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import col, select

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.cards import Card, command_for, mention
from bot.chat.ports import ChatPlatform
from bot.claims import claim
from bot.clock import Clock
from bot.enums import IncidentStatus
from bot.errors import PlatformError
from bot.policy.model import Policy
from bot.slo.load import measure_one
from bot.slo.measures import CommsSlo
from bot.slo.wording import short
from storage.db import Database
from storage.models import Incident

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=1)
GIVE_UP = timedelta(days=1)
SAID, MOOT = "said", "moot"


class FirstUpdateBreaches:
    def __init__(self, db: Database, policy: Policy, clock: Clock, platform: ChatPlatform, ref) -> None:
        self.db, self.policy, self.clock, self.platform, self.ref = db, policy, clock, platform, ref

    def _due(self, now: datetime) -> list | None:
        """The claim's conditions; None when no severity has a target."""
        targets = [
            and_(
                col(Incident.severity) == name,
                col(Incident.declared_at) <= now - severity.first_update_within,
                col(Incident.declared_at) > now - severity.first_update_within - GIVE_UP,
            )
            for name, severity in self.policy.severities.items()
            if severity.first_update_within is not None
        ]
        if not targets:
            return None
        lease = col(Incident.first_update_lease_until)
        return [col(Incident.first_update_breach) == "", or_(*targets), or_(lease.is_(None), lease <= now)]

    async def say_due(self, now: datetime | None = None) -> int:
        """Say every breach that has come due; returns how many were said."""
        now = now or self.clock.now()
        due = self._due(now)
        if due is None:
            return 0
        async with self.db.read() as session:
            if (await session.exec(select(Incident.id).where(*due).limit(1))).first() is None:
                return 0
        async with self.db.write() as session:
            ids = await claim(
                session,
                Incident,
                due=due,
                sets={col(Incident.first_update_lease_until): now + LEASE},
                limit=50,
                order_by=(col(Incident.id),),
                returning=(col(Incident.id),),
            )
        said = 0
        for incident_id in sorted(ids):
            said += await self._say(incident_id, now)
        return said

    async def _say(self, incident_id: int, now: datetime) -> int:
        async with self.db.read() as session:
            incident = await session.get(Incident, incident_id)
            slo = await measure_one(session, incident, self.policy, now)
        resolved = incident.status == IncidentStatus.RESOLVED
        if slo.first_update_met is not False or not incident.channel_id or resolved:
            await self._mark(incident_id, MOOT, None, now)
            return 0
        marker = f"slo-first-update:{incident_id}"
        try:
            since = incident.declared_at - timedelta(minutes=1)
            if await self.platform.find_marked(incident.channel_id, marker, since=since) is None:
                await self.platform.post(incident.channel_id, self.card(incident, slo), marker=marker)
        except PlatformError as error:  # the lease runs out and the next sweep tries again
            log.warning("could not say incident %s missed its first update: %s", incident_id, error.code)
            return 0
        await self._mark(incident_id, SAID, slo, now)
        return 1

    async def _mark(self, incident_id: int, outcome: str, slo: CommsSlo | None, now: datetime) -> None:
        async with self.db.write() as session:
            incident = await session.get(Incident, incident_id)
            incident.first_update_breach, incident.first_update_lease_until = outcome, None
            session.add(incident)
            if slo is not None:
                audit.record(
                    session,
                    incident_id=incident_id,
                    actor="bot",
                    action=AuditAction.FIRST_UPDATE_MISSED,
                    at=now,
                    severity=slo.severity,
                    target_seconds=int(slo.first_update_target.total_seconds()),
                )

    def card(self, incident: Incident, slo: CommsSlo) -> Card:
        ref, target = self.ref(incident), short(slo.first_update_target)
        holders = (incident.comms_owner_id, incident.commander_id)
        people = " ".join(dict.fromkeys(mention(p) for p in holders if p))
        text = (
            f"⏱️ {ref} missed its first-update target: no customer message in the {target} a "
            f"{incident.severity} allows. {people} please get the initial notice approved or send "
            f"one with `{command_for(incident.platform)} update`."
        )
        return Card(summary=f"{ref} missed its first-update target ({target})", body=text)
