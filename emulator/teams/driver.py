"""Sends real inbound activities to the bot's /api/messages, as Teams would."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from emulator.teams.connector import FakeConnector

BOT_ID = "28:incident-comms"
BOT_NAME = "incident-comms"
TENANT = "tenant-1"


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any


class TeamsDriver:
    def __init__(
        self,
        base_url: str,
        connector: FakeConnector,
        settle: Callable[[], Awaitable[Any]],
        token: Callable[[], str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.connector = connector
        self.settle = settle
        self.token = token
        self._ids = itertools.count(1)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def activity(self, kind: str, *, user: str, conversation: str, conversation_type: str, **extra: Any):
        return {
            "type": kind,
            "id": f"act-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector.service_url,
            "from": {"id": f"29:{user}", "name": user, "aadObjectId": user},
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            **extra,
        }

    async def message(
        self,
        text: str,
        *,
        user: str,
        conversation: str,
        conversation_type: str = "channel",
        mention: bool = True,
        settle: bool = True,
    ) -> Reply:
        """A message; in channels and group chats it @mentions the bot first, as Teams delivers it."""
        entities = []
        if mention:
            tag = f"<at>{BOT_NAME}</at>"
            text = f"{tag} {text}"
            entities = [{"type": "mention", "text": tag, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}]
        body = self.activity(
            "message",
            user=user,
            conversation=conversation,
            conversation_type=conversation_type,
            text=text,
            textFormat="plain",
            entities=entities,
        )
        return await self.send(body, settle=settle)

    async def chat(self, text: str, *, user: str) -> Reply:
        """Plain text in the user's personal chat with the bot."""
        return await self.message(
            text, user=user, conversation=personal_chat(user), conversation_type="personal", mention=False
        )

    async def invoke(
        self,
        name: str,
        value: dict[str, Any],
        *,
        user: str,
        conversation: str,
        conversation_type: str = "channel",
    ) -> Reply:
        body = self.activity(
            "invoke",
            user=user,
            conversation=conversation,
            conversation_type=conversation_type,
            name=name,
            value=value,
        )
        return await self.send(body, settle=False)

    async def send(
        self, body: dict[str, Any], *, headers: dict[str, str] | None = None, settle: bool = True
    ) -> Reply:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        sent = dict(headers or {})
        if self.token is not None and "Authorization" not in sent:
            sent["Authorization"] = f"Bearer {self.token()}"
        async with self._session.post(f"{self.base_url}/api/messages", json=body, headers=sent) as response:
            payload = await response.json() if response.content_length else None
            reply = Reply(response.status, payload)
        if settle:
            await self.settle()
        return reply


def personal_chat(user: str) -> str:
    return f"a:personal-chat-with-{user}"


def channel_thread(channel: str, root: str) -> str:
    """The conversation id Teams gives a thread in a channel."""
    return f"19:{channel}@thread.tacv2;messageid={root}"
