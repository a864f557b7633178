"""Conversation references: every conversation the bot hears from, under a short core id.

A proactive message (a reminder, a digest, an approval card) needs the conversation id and
the service URL of its region; both come with every inbound activity and are stored here, so
they survive restarts. The core sees `msteams:<hash>` (ids there are at most 64 characters).

The policy may also name a Teams conversation directly, as `msteams:<conversation id>` (a
channel's id from "Get link to channel", `19:…@thread.tacv2`): approvals, announcements,
customer and internal update channels, digests and escalations. Such a channel is reached at
the bot's default service URL (the global one unless configured) until the bot hears from it,
which stores the channel's own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cachetools import LRUCache
from sqlalchemy.dialects import postgresql, sqlite

from bot.clock import Clock
from bot.errors import PlatformError
from handlers.teams.text import ID_PREFIX
from storage.channel_models import TeamsConversation
from storage.db import Database


@dataclass(frozen=True)
class ConversationRef:
    conversation_id: str
    service_url: str
    tenant_id: str | None = None
    kind: str = ""


def key_for(conversation_id: str) -> str:
    return ID_PREFIX + hashlib.sha256(conversation_id.encode()).hexdigest()[:32]


def named_directly(core_id: str) -> str | None:
    """The conversation id a policy entry names (`msteams:19:…`), or None for a stored key."""
    raw = core_id.removeprefix(ID_PREFIX)
    return raw if ":" in raw else None


CONVERSATIONS_REMEMBERED = 10_000  # references kept in memory; the rest are read from the database


class Conversations:
    def __init__(self, db: Database, clock: Clock, default_service_url: str = "") -> None:
        self.db = db
        self.clock = clock
        self.default_service_url = default_service_url
        self._cache: LRUCache[str, ConversationRef] = LRUCache(CONVERSATIONS_REMEMBERED)

    async def remember(self, ref: ConversationRef) -> str:
        """Store (or refresh) a reference; returns its core id."""
        key = key_for(ref.conversation_id)
        if self._cache.get(key) == ref:
            return key
        insert = postgresql.insert if self.db.dialect == "postgresql" else sqlite.insert
        values = {
            "service_url": ref.service_url,
            "tenant_id": ref.tenant_id,
            "kind": ref.kind,
            "updated_at": self.clock.now(),
        }
        statement = (  # an upsert: the first messages of a new conversation arrive together
            insert(TeamsConversation)
            .values(key=key, conversation_id=ref.conversation_id, **values)
            .on_conflict_do_update(index_elements=["key"], set_=values)
        )
        async with self.db.write() as session:
            await session.exec(statement)
        self._cache[key] = ref
        return key

    async def lookup(self, key: str) -> ConversationRef:
        if (ref := self._cache.get(key)) is not None:
            return ref
        if (raw := named_directly(key)) is not None:  # a conversation named in the policy
            return await self.lookup_raw(raw)
        async with self.db.read() as session:
            row = await session.get(TeamsConversation, key)
        if row is None:
            raise PlatformError(
                "Find the Teams conversation", "unknown_conversation", "Mention the bot there once first."
            )
        ref = ConversationRef(row.conversation_id, row.service_url, row.tenant_id, row.kind)
        self._cache[key] = ref
        return ref

    async def lookup_raw(self, conversation_id: str) -> ConversationRef:
        try:
            return await self.lookup(key_for(conversation_id))
        except PlatformError:
            return ConversationRef(conversation_id, self.default_service_url, None, "channel")
