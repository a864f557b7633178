"""One `ChatPlatform` over several: each call goes to the platform whose ids it names.

Ids of a second platform carry its prefix in the core (Teams: `msteams:`); unprefixed ids
belong to the default platform (Slack), so existing data needs no migration. Calls that
name no id (create a channel, look up a group) go to the default platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cachetools import TTLCache

from bot.chat.cards import Card
from bot.chat.foreign_names import named_for
from bot.chat.ports import ChannelRef, ChatPlatform, MessageRef
from bot.errors import PlatformError

NAMES_FOR_SECONDS = 600  # a foreign person's name is looked up again after this
NAMES_CACHED = 5_000


class PlatformRouter:
    def __init__(self, default: ChatPlatform) -> None:
        self.default = default
        self._by_prefix: dict[str, ChatPlatform] = {}
        self._names: TTLCache[str, str] = TTLCache(NAMES_CACHED, NAMES_FOR_SECONDS)

    def add(self, prefix: str, platform: ChatPlatform) -> None:
        self._by_prefix[prefix] = platform

    def for_id(self, some_id: str) -> ChatPlatform:
        for prefix, platform in self._by_prefix.items():
            if some_id.startswith(prefix):
                return platform
        return self.default

    async def create_channel(self, name: str, *, private: bool) -> ChannelRef:
        return await self.default.create_channel(name, private=private)

    async def invite(self, channel_id: str, user_ids: Sequence[str]) -> None:
        await self.for_id(channel_id).invite(channel_id, user_ids)

    async def group_members(self, group: str) -> list[str]:
        return await self.default.group_members(group)

    async def aliases(self, user_id: str) -> frozenset[str]:
        return await self.for_id(user_id).aliases(user_id)

    async def verified_email(self, user_id: str) -> str | None:
        return await self.for_id(user_id).verified_email(user_id)

    async def display_name(self, user_id: str) -> str | None:
        return await self.for_id(user_id).display_name(user_id)

    async def in_channel(self, channel_id: str, user_id: str) -> bool:
        if self.for_id(channel_id) is not self.for_id(user_id):
            return False  # a Slack user is never a member of a Teams conversation, nor the reverse
        return await self.for_id(channel_id).in_channel(channel_id, user_id)

    async def shared_outside(self, channel_id: str) -> bool:
        return await self.for_id(channel_id).shared_outside(channel_id)

    async def set_topic(self, channel_id: str, topic: str) -> None:
        await self.for_id(channel_id).set_topic(channel_id, topic)

    async def set_purpose(self, channel_id: str, purpose: str) -> None:
        await self.for_id(channel_id).set_purpose(channel_id, purpose)

    async def archive_channel(self, channel_id: str) -> None:
        await self.for_id(channel_id).archive_channel(channel_id)

    async def post(
        self, channel_id: str, card: Card, *, marker: str | None = None, thread: str | None = None
    ) -> MessageRef:
        target = self.for_id(channel_id)
        return await target.post(channel_id, await self._readable(target, card), marker=marker, thread=thread)

    async def find_marked(self, channel_id: str, marker: str, *, since: datetime) -> MessageRef | None:
        return await self.for_id(channel_id).find_marked(channel_id, marker, since=since)

    async def update(self, ref: MessageRef, card: Card) -> None:
        target = self.for_id(ref.channel_id)
        await target.update(ref, await self._readable(target, card))

    async def pin(self, ref: MessageRef) -> None:
        await self.for_id(ref.channel_id).pin(ref)

    async def message_link(self, ref: MessageRef) -> str:
        return await self.for_id(ref.channel_id).message_link(ref)

    async def tell_user(self, user_id: str, card: Card, *, reply_url: str | None = None) -> None:
        """By the user's id, unless `reply_url` names a conversation of another platform."""
        target = self.for_id(user_id)
        if reply_url and (by_reply := self.for_id(reply_url)) is not self.default:
            target = by_reply
        await target.tell_user(user_id, await self._readable(target, card), reply_url=reply_url)

    async def upload_file(
        self, channel_id: str, filename: str, content: str, *, title: str, comment: str = ""
    ) -> None:
        await self.for_id(channel_id).upload_file(channel_id, filename, content, title=title, comment=comment)

    async def _readable(self, target: ChatPlatform, card: Card) -> Card:
        """People of another platform than `target` by name (bot/chat/foreign_names.py)."""
        if not self._by_prefix:
            return card
        return await named_for(card, lambda user_id: self.for_id(user_id) is not target, self._name_of)

    async def _name_of(self, user_id: str) -> str:
        if (known := self._names.get(user_id)) is not None:
            return known
        try:
            name = await self.display_name(user_id)
        except PlatformError:  # unnamed this time: the id reads in its place
            return user_id.partition(":")[2] or user_id
        self._names[user_id] = name = name or user_id.partition(":")[2] or user_id
        return name
