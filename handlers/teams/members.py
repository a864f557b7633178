"""Teams people: the Entra object id they act under, their UPN and their display name.

Users act under `msteams:<object id>`; the policy and the declare form may name them by UPN
(`msteams:bob@contoso.com`), and cards mention them by name. On an inbound turn the adapter
asks the Bot Connector about a sender it does not know, or knew more than a day ago, in the
conversation the activity came from (`GET /v3/conversations/{id}/members/{user}`, which takes
an object id or a UPN) and keeps the answer in `teams_member`. When the connector was last
asked is remembered in the process, so a busy conversation does not call it on every message.
A lookup is bounded in time and never fails the user's action: a failure is logged, retried
after a back-off, and the turn goes on with what is known.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cachetools import LRUCache
from microsoft_teams.api import ApiClient
from sqlalchemy import or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from bot.clock import Clock
from handlers.teams.conversations import ConversationRef
from handlers.teams.text import ID_PREFIX, raw_id
from storage.channel_models import TeamsMember
from storage.db import Database

log = logging.getLogger(__name__)
FRESH = timedelta(days=1)  # a stored member is asked about again after this
RETRY = timedelta(minutes=15)  # after a failed (or empty) lookup
MEMBERS_REMEMBERED = 10_000  # people whose next lookup time is kept; least recently used forgotten
LOOKUP_TIMEOUT = 3.0  # seconds; invokes must be answered within a few seconds


Renamed = Callable[[str, str], Awaitable[None]]  # (old core id, new core id)


@dataclass(frozen=True)
class Member:
    object_id: str
    upn: str  # lowercased; "" when the connector gave none
    name: str
    updated_at: datetime | None = None
    guest: bool = False  # a guest, anonymous or external user (never linked by e-mail)

    @property
    def aliases(self) -> frozenset[str]:
        return frozenset(ID_PREFIX + a for a in (self.object_id, self.upn) if a)


def _key(member_id: str) -> str:
    """UPNs compare case-insensitively; object ids are kept as Teams sends them."""
    return member_id.casefold() if "@" in member_id else member_id


class Members:
    def __init__(self, db: Database, clock: Clock, api: ApiClient, renamed: Renamed | None = None) -> None:
        self.db = db
        self.clock = clock
        self.api = api
        self.renamed = renamed  # told when a UPN turns out to be someone's object id
        # object id or UPN -> when to ask the connector; forgetting one only costs a database read
        self._next_lookup: LRUCache[str, datetime] = LRUCache(MEMBERS_REMEMBERED)
        # a second turn waits for the lookup under way (an evicted lock: at worst a second lookup)
        self._locks: LRUCache[str, asyncio.Lock] = LRUCache(MEMBERS_REMEMBERED)

    async def learn(self, member_id: str, conversation: ConversationRef) -> Member | None:
        """Know `member_id` (an object id or a UPN, no prefix), asking the connector if needed.

        Returns the member when it was looked at now (None when asked recently: see `find`).
        Never raises: a failed lookup is logged and what is stored (if anything) is returned.
        """
        key = _key(member_id)
        try:
            async with self._locks.setdefault(key, asyncio.Lock()):
                now = self.clock.now()
                if (due := self._next_lookup.get(key)) is not None and now < due:
                    return None  # no database or connector call for every message of a busy conversation
                self._next_lookup[key] = now + RETRY
                return await self._refresh(key, member_id, conversation, now)
        except Exception:
            log.exception("could not learn a Teams member; going on without")
            return None

    async def _refresh(
        self, key: str, member_id: str, conversation: ConversationRef, now: datetime
    ) -> Member | None:
        stored = await self.find(key)
        if stored is not None and stored.updated_at and now - stored.updated_at < FRESH:
            self._next_lookup[key] = stored.updated_at + FRESH
            return stored
        fetched = await self._fetch(conversation, member_id)
        if fetched is None:
            return stored
        await self._store(fetched, now)
        if fetched.upn and self.renamed is not None:
            await self.renamed(ID_PREFIX + fetched.upn, ID_PREFIX + fetched.object_id)
        for known in (fetched.object_id, fetched.upn, key):
            if known:
                self._next_lookup[known] = now + FRESH
        return fetched

    async def find(self, member_id: str) -> Member | None:
        """A stored member by object id or UPN (no prefix); the latest when a UPN moved."""
        key = _key(member_id)
        statement = (
            select(TeamsMember)
            .where(or_(col(TeamsMember.object_id) == key, col(TeamsMember.upn) == key))
            .order_by(col(TeamsMember.updated_at).desc())
        )
        async with self.db.read() as session:
            row = (await session.exec(statement)).first()
        return None if row is None else Member(row.object_id, row.upn, row.name, row.updated_at, row.guest)

    async def aliases(self, user_id: str) -> frozenset[str]:
        """Every core id the user is known by: `msteams:<object id>` and `msteams:<upn>`."""
        if not user_id.startswith(ID_PREFIX):
            return frozenset({user_id})
        member = await self.find(raw_id(user_id))
        return frozenset({user_id}) | (member.aliases if member else frozenset())

    async def object_id(self, user_id: str) -> str:
        """The raw id to reach `user_id` by: a known UPN's object id, else the id without prefix."""
        raw = raw_id(user_id)
        member = await self.find(raw) if "@" in raw else None
        return member.object_id if member else raw

    async def canonical(self, user_id: str, conversation: ConversationRef | None) -> str:
        """`msteams:<upn>` as `msteams:<object id>` when the member is (or becomes) known.

        An unknown UPN stays as typed: Adaptive Card mentions accept a UPN as the id.
        """
        upn = raw_id(user_id)
        if not user_id.startswith(ID_PREFIX) or "@" not in upn:
            return user_id
        member = await self.find(upn)
        if member is None and conversation is not None:
            member = await self.learn(upn, conversation)
        return ID_PREFIX + member.object_id if member else user_id

    async def names(self, member_ids: Iterable[str]) -> dict[str, str]:
        """Display names of the known members among `member_ids` (object ids or UPNs, no prefix)."""
        wanted = {_key(m): m for m in member_ids}
        if not wanted:
            return {}
        statement = select(TeamsMember).where(
            or_(col(TeamsMember.object_id).in_(wanted), col(TeamsMember.upn).in_(wanted))
        )
        async with self.db.read() as session:
            rows = (await session.exec(statement)).all()
        found: dict[str, str] = {}
        for row in sorted(rows, key=lambda r: r.updated_at):  # the latest wins when a UPN moved
            for key in (row.object_id, row.upn):
                if key in wanted and row.name:
                    found[wanted[key]] = row.name
        return found

    async def _fetch(self, conversation: ConversationRef, member_id: str) -> Member | None:
        api = self.api.from_service_url(conversation.service_url) if conversation.service_url else self.api
        try:
            account = await asyncio.wait_for(
                api.conversations.get_member_by_id(conversation.conversation_id, member_id),
                LOOKUP_TIMEOUT,
            )
        except Exception as error:
            status = getattr(getattr(error, "response", None), "status_code", None)
            if status == 404:
                return None  # not a member of that conversation
            log.warning("Teams member lookup failed (%s); going on without", status or type(error).__name__)
            return None
        if not account.aad_object_id:
            return None
        upn = (account.user_principal_name or "").casefold()
        guest = account.user_role != "user" or "#ext#" in upn  # no role given: not known to be a member
        return Member(account.aad_object_id, upn, (account.name or "").strip(), guest=guest)

    async def present(self, conversation: ConversationRef, member_id: str) -> bool:
        """Whether the connector lists `member_id` in the conversation now, as a member of our
        tenant (a guest, or a failed lookup: no)."""
        found = await self._fetch(conversation, member_id)
        return found is not None and not found.guest

    async def _store(self, member: Member, now: datetime) -> None:
        insert = postgresql.insert if self.db.dialect == "postgresql" else sqlite.insert
        values = {
            "upn": member.upn[:320],
            "name": member.name[:256],
            "guest": member.guest,
            "updated_at": now,
        }
        statement = (
            insert(TeamsMember)
            .values(object_id=member.object_id, **values)
            .on_conflict_do_update(index_elements=["object_id"], set_=values)
        )
        async with self.db.write() as session:
            await session.exec(statement)
