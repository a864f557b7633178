"""Incident channels in a configured team, created through Microsoft Graph.

With `TEAMS_INCIDENT_TEAM_ID` set (and the app granted `Channel.Create` on Graph), each
incident declared on Teams gets a channel named like Slack's (`inc-42-checkout-errors`, a
taken name gets `-2` …); the bot, installed in that team, posts there through the Bot
Connector. Without it, or when Graph refuses, the incident runs in the conversation where
it was declared and the reporter is told why.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import httpx

from bot.enums import Visibility
from bot.errors import NameTaken, NotFound, PlatformError
from bot.incidents.channel_names import candidates, incident_channel_name
from handlers.teams.conversations import ConversationRef, key_for
from handlers.teams.text import raw_id
from handlers.teams.turns import Teams, Turn, reply
from storage.models import Incident

log = logging.getLogger(__name__)
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


async def open_incident_channel(teams: Teams, turn: Turn, incident: Incident) -> bool:
    """Create the incident's channel and point the incident at it; False when it could not be."""
    graph = teams.graph
    if graph is None:
        return False
    core, origin = teams.core, await teams.conversations.lookup(turn.conversation)
    base = incident_channel_name(core.policy.incident.channel_name_pattern, incident)
    for name in candidates(base):
        try:
            channel_id = await graph.create(
                name,
                description=core.cards.purpose(incident),
                private=incident.visibility == Visibility.PRIVATE.value,
                owner=raw_id(incident.reporter_id),
                members=[raw_id(p) for p in (incident.commander_id, incident.comms_owner_id) if p],
            )
        except NameTaken:
            continue
        key = await teams.conversations.remember(
            ConversationRef(channel_id, origin.service_url, origin.tenant_id, "channel")
        )
        await core.incidents.update_fields(incident.id, channel_id=key, channel_name=name)
        return True
    raise PlatformError("Create channel", "name_taken", f"Every name like {base} is taken; archive old ones.")


async def choose_home(teams: Teams, turn: Turn, incident: Incident) -> tuple[str, str]:
    """(where the incident runs, where the reporter hears how set-up went): its own Graph
    channel; else the conversation it was declared in, unless that is shared and the incident
    private: then the reporter's personal chat, so nothing of it reaches the others there."""
    failure = ""
    try:
        if await open_incident_channel(teams, turn, incident):
            return (await teams.core.incidents.get(incident.id)).channel_id or "", turn.conversation
    except PlatformError as error:
        failure = f"{error.step} failed: `{error.code}`. {error.fix} "
    private = incident.visibility == Visibility.PRIVATE.value and not turn.personal
    home = await teams.gateway.open_personal_chat(incident.reporter_id) if private else turn.conversation
    if failure:
        where = "It runs in your personal chat with the bot (it is private)." if private else "It runs here."
        await reply(teams, turn, failure + where)
    await teams.core.incidents.update_fields(incident.id, channel_id=home)
    return home, home if private else turn.conversation


async def channel_of_thread(teams: Teams, conversation_id: str, key: str) -> str:
    """Where a channel activity acts: every post in a Teams channel is a thread of its own
    (`19:…@thread.tacv2;messageid=…`), so a command in any thread of an incident's own channel
    acts on that incident (and is answered in the channel); elsewhere, in the thread itself."""
    channel, _, thread = conversation_id.partition(";messageid=")
    if not thread:
        return key
    channel_key = key_for(channel)
    try:
        await teams.core.incidents.by_channel(channel_key)
    except NotFound:
        return key
    return channel_key
