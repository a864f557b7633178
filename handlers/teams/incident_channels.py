"""Incident channels in a configured team, created through Microsoft Graph.

With `TEAMS_INCIDENT_TEAM_ID` set (and the app granted `Channel.Create` on Graph), each
incident declared on Teams gets a channel named like Slack's (`inc-42-checkout-errors`, a
taken name gets `-2` …); the bot, installed in that team, posts there through the Bot
Connector. Without it, or when Graph refuses, the incident runs in the conversation where
it was declared and the reporter is told why.
"""

from __future__ import annotations

from bot.enums import Visibility
from bot.errors import NameTaken, NotFound, PlatformError
from bot.incidents.channel_names import candidates, incident_channel_name
from handlers.teams.conversations import ConversationRef, key_for
from handlers.teams.text import raw_id
from handlers.teams.turns import Teams, Turn, reply
from storage.models import Incident


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
