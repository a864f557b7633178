"""Archiving incident channels a policy-set number of days after resolution (default: never).

Run by the cadence sweep, but at most once a minute per instance: resolved incidents only
grow, and a channel a minute late to be archived harms nobody. Each channel is claimed (its
`archived_at` set) by the shared claim (bot/claims.py) before Slack is asked, so it is archived once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import col

from bot import claims
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.ports import ChatPlatform
from bot.enums import IncidentStatus
from bot.errors import PlatformError
from bot.policy.model import Policy
from storage.db import Database
from storage.models import Incident

log = logging.getLogger(__name__)
CHECK_EVERY = timedelta(minutes=1)
BATCH = 20


class ChannelArchiver:
    def __init__(self, db: Database, platform: ChatPlatform, policy: Policy) -> None:
        self.db, self.platform, self.policy = db, platform, policy
        self._next_check: datetime | None = None

    async def archive_due(self, now: datetime) -> int:
        days = self.policy.resolution.archive_after_days
        if not days or (self._next_check is not None and now < self._next_check):
            return 0
        self._next_check = now + CHECK_EVERY
        async with self.db.write() as session:
            claimed = await claims.claim(  # archived_at is the claim mark, and it never frees
                session,
                Incident,
                due=(
                    Incident.status == IncidentStatus.RESOLVED.value,
                    col(Incident.resolved_at) <= now - timedelta(days=days),
                    col(Incident.archived_at).is_(None),
                    col(Incident.channel_id).is_not(None),
                ),
                limit=BATCH,
                sets={col(Incident.archived_at): now},
                returning=(Incident.id, Incident.channel_id),
            )
        for incident_id, channel_id in claimed:
            await self._archive(incident_id, channel_id, now)
        return 0  # archiving posts nothing

    async def _archive(self, incident_id: int, channel_id: str, now: datetime) -> None:
        try:
            await self.platform.archive_channel(channel_id)
            outcome = {"channel": channel_id}
        except PlatformError as error:
            log.warning("could not archive %s: %s", channel_id, error.code)
            outcome = {"channel": channel_id, "failed": error.code}
        async with self.db.write() as session:
            audit.record(
                session,
                incident_id=incident_id,
                actor="incident-comms",
                action=AuditAction.CHANNEL_ARCHIVED,
                at=now,
                **outcome,
            )
