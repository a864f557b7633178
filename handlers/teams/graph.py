"""Channels in the configured incident team, through Microsoft Graph's HTTP API.

Creating (standard or private, with its people) and archiving a channel, and finding a message
by a marker in its card (reconciling a post that may have landed); nothing here knows about
incidents or turns.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from bot.errors import NameTaken, PlatformError

ARCHIVE_FIX = "Grant the app ChannelSettings.ReadWrite.All in Entra."
GRAPH_FIX = "Grant the app Channel.Create (and ChannelMember.ReadWrite.All for private ones) in Entra."
READ_FIX = "Grant the app ChannelMessage.Read.All (channels) and Chat.Read.All (group chats) in Entra."
PAGE_SIZE = 50  # Graph's largest page of channel messages, replies or chat messages
LOOKUP_PAGES = 10  # a lookup reads at most this many pages (500 messages), newest first


class GraphChannels:
    def __init__(self, team_id: str, graph_url: str, token: Callable[[], Awaitable[str]]) -> None:
        self.team_id = team_id
        self.graph_url = graph_url.rstrip("/")
        self.token = token

    async def create(
        self, name: str, *, description: str, private: bool, owner: str, members: Sequence[str] = ()
    ) -> str:
        """The new channel's id; `NameTaken` when a channel of that name exists.

        A private channel is made with its people in it (the application must name its first
        owner; the others join as members): a bot cannot invite into it later without Graph."""
        body: dict = {"displayName": name, "description": description[:1024], "membershipType": "standard"}
        if private:
            body["membershipType"] = "private"
            people = [owner, *(m for m in dict.fromkeys(members) if m != owner)]
            body["members"] = [self._member(person, owner=person == owner) for person in people]
        try:
            async with httpx.AsyncClient(timeout=20) as client:
                response = await client.post(
                    f"{self.graph_url}/teams/{self.team_id}/channels",
                    json=body,
                    headers={"Authorization": f"Bearer {await self.token()}"},
                )
        except httpx.HTTPError as error:
            raise PlatformError("Create channel", type(error).__name__, GRAPH_FIX) from error
        if response.status_code == 409:
            raise NameTaken("Create channel", "name_taken")
        if response.status_code >= 400:
            raise PlatformError("Create channel", f"graph_{response.status_code}", GRAPH_FIX)
        return str(response.json()["id"])

    async def archive(self, channel_id: str) -> None:
        """Archive the channel (Graph finishes it asynchronously: 202)."""
        try:
            async with httpx.AsyncClient(timeout=20) as client:
                response = await client.post(
                    f"{self.graph_url}/teams/{self.team_id}/channels/{channel_id}/archive",
                    json={},
                    headers={"Authorization": f"Bearer {await self.token()}"},
                )
        except httpx.HTTPError as error:
            raise PlatformError("Archive channel", type(error).__name__, ARCHIVE_FIX) from error
        if response.status_code >= 400:
            raise PlatformError("Archive channel", f"graph_{response.status_code}", ARCHIVE_FIX)

    def messages_path(self, conversation_id: str, kind: str) -> str | None:
        """Where Graph lists the messages of a Bot Framework conversation; None for a personal chat.

        A channel's thread (`19:…@thread.tacv2;messageid=<root>`) is the root's replies; a
        channel itself its top-level messages; a group chat (`19:…@thread.v2`) is a Graph chat."""
        if kind == "personal" or conversation_id.startswith("a:"):
            return None  # a 1:1 chat's Bot Framework id is not a Graph chat id
        if kind == "groupChat" or conversation_id.endswith("@thread.v2"):
            return f"/chats/{quote(conversation_id, safe=':@.')}/messages"
        channel, _, root = conversation_id.partition(";messageid=")
        path = f"/teams/{quote(self.team_id)}/channels/{quote(channel, safe=':@.')}/messages"
        return f"{path}/{quote(root)}/replies" if root else path

    async def find_marked(self, path: str, marker: str, *, since: datetime) -> str | None:
        """The id of the message under `path` whose card carries `marker` (an element id), if any.

        Graph lists by last change, newest first (channels and replies allow no other order), so
        the search stops after LOOKUP_PAGES pages or at a page all last changed before `since`.
        Raises `PlatformError` with a `graph_…` code (`graph_429`, `graph_503`, `graph_timeout`…)."""
        url = f"{self.graph_url}{path}?$top={PAGE_SIZE}"
        async with httpx.AsyncClient(timeout=20) as client:
            for _page in range(LOOKUP_PAGES):
                data = await self._get(client, url)
                messages = [m for m in data.get("value") or [] if isinstance(m, dict)]
                found = next((m for m in messages if _carries(m, marker)), None)
                if found is not None:
                    return str(found["id"])
                after = data.get("@odata.nextLink")
                if not isinstance(after, str) or not after.startswith(self.graph_url + "/"):
                    return None  # the last page (our token goes to Graph only)
                if all(_changed(m) < since for m in messages):
                    return None
                url = after
        return None

    async def _get(self, client: httpx.AsyncClient, url: str) -> dict[str, Any]:
        step = "Check earlier delivery"
        try:
            response = await client.get(url, headers={"Authorization": f"Bearer {await self.token()}"})
        except httpx.TimeoutException as error:
            raise PlatformError(step, "graph_timeout", READ_FIX) from error
        except httpx.HTTPError as error:
            raise PlatformError(step, "graph_connection_error", READ_FIX) from error
        if response.status_code >= 400:
            raise PlatformError(step, f"graph_{response.status_code}", READ_FIX)
        try:
            data = response.json()
        except ValueError as error:
            raise PlatformError(step, "graph_unreadable", READ_FIX) from error
        return data if isinstance(data, dict) else {}

    def _member(self, user: str, *, owner: bool) -> dict:
        """`user`: an Entra object id or a UPN (Graph's users('…') takes either)."""
        return {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "user@odata.bind": f"{self.graph_url}/users('{user}')",
            "roles": ["owner"] if owner else [],
        }


def _carries(message: dict[str, Any], marker: str) -> bool:
    """Whether one of the message's Adaptive Cards has an element whose id is `marker`."""
    for attachment in message.get("attachments") or []:
        content = attachment.get("content") if isinstance(attachment, dict) else None
        try:
            card = json.loads(content) if isinstance(content, str) else content
        except ValueError:
            continue
        if isinstance(card, dict) and any(
            isinstance(e, dict) and e.get("id") == marker for e in card.get("body") or []
        ):
            return True
    return False


def _changed(message: dict[str, Any]) -> datetime:
    """When the message last changed (never before it was made; unreadable: the far future)."""
    stamp = message.get("lastModifiedDateTime") or message.get("createdDateTime")
    try:
        changed = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return changed if changed.tzinfo else changed.replace(tzinfo=UTC)
