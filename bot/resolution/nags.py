"""Nagging the owners of overdue follow-ups, run by the cadence sweep (no second scheduler).

Each due nag is claimed (`nag_records.claim`), posted outside any transaction to the incident
channel (with its marker, after looking for a copy an earlier attempt may have landed) and to
the owner, then recorded: a failed target is tried again soon, a bounded number of times.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.chat.cards import Card
from bot.chat.ports import ChatPlatform
from bot.errors import PlatformError
from bot.resolution import nag_records
from bot.resolution.follow_up_cards import FollowUpCards
from bot.resolution.nag_records import CHANNEL, OWNER, Nag
from storage.db import Database
from storage.models import Incident

log = logging.getLogger(__name__)
RECONCILE_MARGIN = timedelta(minutes=1)


class FollowUpNags:
    def __init__(
        self, db: Database, cards: FollowUpCards, platform: ChatPlatform, nag_every: timedelta
    ) -> None:
        self.db, self.cards, self.platform, self.nag_every = db, cards, platform, nag_every

    async def run(self, now: datetime) -> int:
        """Post every nag due at `now`; returns how many reached everyone they were for."""
        nags = await nag_records.claim(self.db, now)
        incidents = await self._incidents(nags)
        done = 0
        for nag in nags:
            failed = await self._send(incidents[nag.item.incident_id], nag)
            if await nag_records.record(self.db, nag, failed, now, self.nag_every):
                log.warning("%s gave up after %s tries", nag.marker, nag.attempt)
            done += not failed
        return done

    async def _incidents(self, nags: list[Nag]) -> dict[int, Incident]:
        if not nags:
            return {}
        ids = sorted({n.item.incident_id for n in nags})
        async with self.db.read() as session:
            found = (await session.exec(select(Incident).where(col(Incident.id).in_(ids)))).all()
        return {i.id: i for i in found if i.id is not None}

    async def _send(self, incident: Incident, nag: Nag) -> dict[str, str]:
        """Post to the targets still owed; the platform's error code for each that failed."""
        card, failed = self.cards.nag(incident, nag.item), {}
        if CHANNEL in nag.targets and incident.channel_id and incident.archived_at is None:
            try:
                await self._post_once(incident.channel_id, card, nag)
            except PlatformError as error:
                log.warning("follow-up nag %s to %s failed: %s", nag.marker, incident.channel_id, error.code)
                failed[CHANNEL] = error.code
        if OWNER in nag.targets:
            try:
                await self.platform.tell_user(nag.item.owner_id, card)
            except PlatformError as error:
                log.warning("could not tell %s of %s: %s", nag.item.owner_id, nag.marker, error.code)
                failed[OWNER] = error.code
        return failed

    async def _post_once(self, channel_id: str, card: Card, nag: Nag) -> None:
        since = nag.item.created_at - RECONCILE_MARGIN  # no copy of any nag can be older
        if await self.platform.find_marked(channel_id, nag.marker, since=since) is None:
            await self.platform.post(channel_id, card, marker=nag.marker)
