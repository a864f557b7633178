"""`incident export [md|html]` on Teams: the communications plan as a file, for those who may see it.

Teams lets a bot send a file only in a personal chat, once the user accepts it: the requester
gets a file consent card there. Its context (incident and format) comes back with the user's
answer and is not trusted: on accept the bot checks again that this user may see the incident,
renders the plan afresh and uploads it. When the incident has its own channel made through
Microsoft Graph, the file goes into that channel's Files instead, as Slack's export does; if
Graph refuses, the requester gets the consent card and is told why.
"""

from __future__ import annotations

from typing import Any

from microsoft_teams.api.models import Action, FileConsentCardResponse

from bot.chat.cards import Button, Card, CardAction, mention
from bot.enums import Action as Permission
from bot.errors import NotAllowed, NotFound, PlatformError
from bot.export.service import CHAT_FORMATS, FORMAT_NAMES, Format
from handlers.teams import files
from handlers.teams.text import escape
from handlers.teams.turns import Handler, Teams, Turn, reply
from storage.models import Incident

MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
INTERNAL = "Internal document: do not share outside the company."
UNAVAILABLE = (
    "That export is not available: the incident does not exist or is private. "
    "Run `incident export` in the incident's conversation to get a new one."
)
CANCELLED = "Export cancelled: nothing was uploaded."


async def export(teams: Teams, turn: Turn) -> None:
    typed = turn.text.strip()
    fmt = CHAT_FORMATS.get(typed.lower())
    if fmt is None:
        await reply(teams, turn, f"`{typed}` is not an export format; use `incident export md` or `html`.")
        return
    incident = await teams.core.incidents.by_channel(turn.conversation)
    try:
        await teams.core.access.require(turn.user, Permission.EXPORT, incident)
    except NotAllowed as refused:
        await reply(teams, turn, refused.message)
        return
    reason = ""
    if (channel := await _graph_channel(teams, incident)) is not None:
        try:
            await _save_in_channel(teams, turn, incident, fmt, channel)
            return
        except PlatformError as error:
            reason = f"{error.step} failed: `{error.code}`. {error.fix} "
    await _offer(teams, turn, incident, fmt, reason)


async def _graph_channel(teams: Teams, incident: Incident) -> str | None:
    """The Graph id of the incident's own channel (see `channels.open_incident_channel`), if it has one."""
    if teams.graph is None or not incident.channel_id or not incident.channel_name:
        return None
    ref = await teams.conversations.lookup(incident.channel_id)
    if ref.kind != "channel" or ";" in ref.conversation_id:  # a thread where the incident was declared
        return None
    return ref.conversation_id


async def _save_in_channel(teams: Teams, turn: Turn, incident: Incident, fmt: Format, channel: str) -> None:
    assert teams.graph is not None
    exporter, ref = teams.core.export, teams.core.cards.ref(incident)
    document = (await exporter.render(incident.id, fmt, viewer=turn.user)).encode()
    url = await files.save_in_channel(
        teams.graph, channel, exporter.filename(incident, fmt), document, MEDIA_TYPES[fmt]
    )
    text = f"📄 {ref} communications plan ({FORMAT_NAMES[fmt]}) exported by {mention(turn.user)}. {INTERNAL}"
    button = Button(CardAction.OPEN_CHANNEL, "Open the document", "", url=url)
    card = Card(summary=f"📄 {ref} communications plan ({FORMAT_NAMES[fmt]})", body=text, buttons=(button,))
    await teams.gateway.post(turn.conversation, card)


async def _offer(teams: Teams, turn: Turn, incident: Incident, fmt: Format, reason: str) -> None:
    """The consent card in the requester's personal chat; a short note where they asked."""
    exporter, ref = teams.core.export, teams.core.cards.ref(incident)
    size = len((await exporter.render(incident.id, fmt, viewer=turn.user)).encode())
    chat = turn.conversation if turn.personal else await teams.gateway.open_personal_chat(turn.user)
    context = {"incident": incident.id, "format": fmt}
    description = f"{ref} communications plan ({FORMAT_NAMES[fmt]}). {INTERNAL}"
    card = files.consent_card(exporter.filename(incident, fmt), description, size, context)
    await files.send_attachment(
        teams.gateway, chat, card, f"{escape(ref)} communications plan: accept to save it."
    )
    if chat != turn.conversation:
        note = (
            f"{mention(turn.user)}, I sent you {ref}'s communications plan "
            f"({FORMAT_NAMES[fmt]}) in a personal chat."
        )
        await reply(teams, turn, reason + note)


def consented(answer: FileConsentCardResponse) -> Handler:
    """Handles the user's answer to a consent card (`fileConsent/invoke`), after Teams got its 200."""

    async def file_consent(teams: Teams, turn: Turn) -> None:
        if answer.action != Action.ACCEPT:
            await reply(teams, turn, CANCELLED)
            return
        requested, info = await _requested(teams, answer.context, turn.user), answer.upload_info
        if requested is None:
            await reply(teams, turn, UNAVAILABLE)
            return
        if info is None or not info.upload_url:
            await reply(teams, turn, f"Teams sent no upload address. {files.UPLOAD_FIX}")
            return
        incident, fmt = requested
        document = await teams.core.export.render(incident.id, fmt, viewer=turn.user)
        await files.upload(info.upload_url, document.encode(), teams.uploads)
        ref = escape(teams.core.cards.ref(incident))
        text = f"📄 {ref} communications plan ({FORMAT_NAMES[fmt]}). {INTERNAL}"
        await files.send_attachment(teams.gateway, turn.conversation, files.file_info_card(info), text)

    return file_consent


async def _requested(teams: Teams, context: Any, user: str) -> tuple[Incident, Format] | None:
    """The incident and format the card named, when they exist and this user may see the incident."""
    if not isinstance(context, dict):
        return None
    number, fmt = context.get("incident"), context.get("format")
    if type(number) is not int or not 0 < number < 2**31 or fmt not in CHAT_FORMATS.values():
        return None
    try:
        incident = await teams.core.incidents.get(number)
    except NotFound:
        return None
    if not await teams.core.access.may(user, Permission.EXPORT, incident):
        return None
    return incident, CHAT_FORMATS[fmt]
