"""Digests of every live incident for CS leads: scheduled, on demand, and on the App Home tab.

Scheduled digests fire in every instance (APScheduler runs in each), so each run first
claims its slot: one row per (schedule, slot start), inserted by whoever comes first; only
that instance posts.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.access.guard import Access
from bot.chat.cards import Card
from bot.chat.ports import ChatPlatform
from bot.clock import Clock
from bot.digests.cards import MAX_MESSAGES, RESOLVED_WINDOW, DigestCards
from bot.digests.data import DigestEntry, live_entries, resolved_since
from bot.digests.maintenance import maintenance_lines, upcoming
from bot.digests.redacted import redacted_digest
from bot.enums import Action
from bot.errors import NotAllowed
from bot.incidents.service import visible_to
from bot.policy.model import DigestPolicy, Policy
from bot.slo.load import measure_incidents
from storage.db import Database
from storage.models import DigestRun

log = logging.getLogger(__name__)
NOT_HERE = (
    "The digest names internal facts, so it is not posted where customers or another organisation "
    "read (a customer-updates, named-account or Slack Connect channel). Post it in an internal "
    "channel, or ask for your own with `digest`."
)
LATE_START = timedelta(minutes=5)  # a run this late (busy loop, restart) still counts for its slot


def trigger(digests: DigestPolicy, schedule: str) -> CronTrigger:
    return CronTrigger.from_crontab(digests.schedules[schedule], timezone=ZoneInfo(digests.timezone))


def slot_start(digests: DigestPolicy, schedule: str, now: datetime) -> datetime | None:
    """The scheduled time this run belongs to: the latest fire time in the last few minutes."""
    cron = trigger(digests, schedule)
    minute = now.replace(second=0, microsecond=0)
    for back in range(int(LATE_START.total_seconds() // 60) + 1):
        candidate = minute - timedelta(minutes=back)
        if cron.get_next_fire_time(None, candidate) == candidate:
            return candidate
    return None


class DigestService:
    def __init__(
        self,
        db: Database,
        policy: Policy,
        clock: Clock,
        platform: ChatPlatform,
        cards: DigestCards,
        access: Access,
    ) -> None:
        self.db, self.policy, self.clock, self.platform, self.cards = db, policy, clock, platform, cards
        self.access = access

    async def requested(self, viewer: str, *, max_messages: int = MAX_MESSAGES) -> list[Card]:
        """The digest one person asked for, privately: with the private incidents they run."""
        await self.access.require(viewer, Action.DIGEST)
        entries = await self.entries(viewer=viewer)
        return await self.build(entries, viewer=viewer, max_messages=max_messages)

    async def to_post(self, actor: str, channel_id: str) -> list[Card]:
        """The digest `actor` shares in a channel: in the CS leads' `digests.channel` the full one
        (never with private incidents); in any other internal channel the redacted one; never in
        a channel customers or another organisation read."""
        await self.access.require(actor, Action.DIGEST_POST)
        if await self._customer_facing(channel_id):
            raise NotAllowed(NOT_HERE)
        if channel_id != self.policy.digests.channel:  # only the CS leads' channel gets the full one
            return [await redacted_digest(self.db, self.policy, self.clock.now())]
        return await self.build(await self.entries())

    async def shared_view(self, asked_by: str) -> Card:
        """What a shared conversation shows everyone (each viewer may then see their own)."""
        await self.access.require(asked_by, Action.DIGEST)
        return await redacted_digest(self.db, self.policy, self.clock.now())

    async def _customer_facing(self, channel_id: str) -> bool:
        accounts = {c for account in self.policy.accounts.values() for c in account.channels}
        if channel_id in set(self.policy.channels.customer_updates) | accounts:
            return True
        return await self.platform.shared_outside(channel_id)

    async def dashboard(self, asked_by: str, *, shared: bool = False) -> list[DigestEntry]:
        """Live incidents for a dashboard `asked_by` opened (shared: only what everyone may see);
        nothing for someone the policy does not let read the digest (a view, not a refusal)."""
        if not await self.access.may(asked_by, Action.DIGEST):
            return []
        return await self.entries(viewer=None if shared else asked_by)

    async def entries(self, viewer: str | None = None) -> list[DigestEntry]:
        """Live incidents; private ones only for a viewer running them (never in a shared channel);
        `recently_resolved` alike."""
        async with self.db.read() as session:
            entries = await live_entries(session, self.policy.severity_names)
            return await self._with_slos(session, entries, viewer)

    async def recently_resolved(self, now: datetime, viewer: str | None = None) -> list[DigestEntry]:
        async with self.db.read() as session:
            entries = await resolved_since(session, now - RESOLVED_WINDOW)
            return await self._with_slos(session, entries, viewer)

    async def _with_slos(
        self, session: AsyncSession, entries: list[DigestEntry], viewer: str | None
    ) -> list[DigestEntry]:
        """The entries `viewer` may see, each with its comms SLOs."""
        entries = [e for e in entries if visible_to(e.incident, viewer or "")]
        slos = await measure_incidents(session, [e.incident for e in entries], self.policy, self.clock.now())
        return [replace(e, slo=slos.get(e.incident.id or 0)) for e in entries]

    async def build(
        self,
        entries: list[DigestEntry],
        *,
        now: datetime | None = None,
        viewer: str | None = None,
        resolved: list[DigestEntry] | None = None,
        max_messages: int = MAX_MESSAGES,
    ) -> list[Card]:
        now = now or self.clock.now()
        links = await self.links(entries)
        if resolved is None:
            resolved = await self.recently_resolved(now, viewer)
        cards = self.cards.digest(entries, now, links, resolved=resolved, max_messages=max_messages)
        async with self.db.read() as session:
            planned = maintenance_lines(self.cards.templates, await upcoming(session, now))
        if planned:  # after everything else, on the last card
            cards[-1] = replace(cards[-1], body=f"{cards[-1].body}\n\n{planned}")
        return cards

    async def links(self, entries: list[DigestEntry]) -> dict[int, str]:
        """incident id -> link to its last published customer update (the incident channel copy)."""
        links = {}
        for entry in entries:
            if entry.last_published is not None and entry.incident.id is not None:
                links[entry.incident.id] = await self.platform.message_link(entry.last_published)
        return links

    async def post_scheduled(self, schedule: str, now: datetime | None = None) -> int:
        """The scheduler's job for one schedule; returns how many messages this instance posted."""
        now = now or self.clock.now()
        digests = self.policy.digests
        slot = slot_start(digests, schedule, now) if digests.channel else None
        if slot is None or not await self._claim(schedule, slot, now):
            return 0
        entries = await self.entries()
        resolved = await self.recently_resolved(now)
        if not entries and not resolved and digests.when_quiet == "skip":
            return 0
        cards = await self.build(entries, now=now, resolved=resolved)
        for card in cards:
            await self.platform.post(digests.channel, card)
        log.info("digest %s for %s: %d message(s)", schedule, slot.isoformat(), len(cards))
        return len(cards)

    async def _claim(self, schedule: str, slot: datetime, now: datetime) -> bool:
        insert = postgresql.insert if self.db.dialect == "postgresql" else sqlite.insert
        statement = (
            insert(DigestRun)
            .values(schedule=schedule, slot_start=slot, claimed_at=now, posted_parts=0)
            .on_conflict_do_nothing(index_elements=["schedule", "slot_start"])
            .returning(DigestRun.id)
        )
        async with self.db.write() as session:
            return (await session.exec(statement)).first() is not None
