"""Channels in the configured incident team, through Microsoft Graph's HTTP API.

Creating (standard or private, with its people) and archiving a channel; nothing here knows
about incidents or turns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import httpx

from bot.errors import NameTaken, PlatformError

ARCHIVE_FIX = "Grant the app ChannelSettings.ReadWrite.All in Entra."
GRAPH_FIX = "Grant the app Channel.Create (and ChannelMember.ReadWrite.All for private ones) in Entra."


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

    def _member(self, user: str, *, owner: bool) -> dict:
        """`user`: an Entra object id or a UPN (Graph's users('…') takes either)."""
        return {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "user@odata.bind": f"{self.graph_url}/users('{user}')",
            "roles": ["owner"] if owner else [],
        }
