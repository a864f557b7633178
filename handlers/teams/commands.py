"""Commands typed to the bot: `@bot incident list` in a channel, `list` in a personal chat.

The bot's own mention is removed, a leading `incident` is optional, words are matched
case-insensitively; one unknown word gets the help, several are the title of a new incident
(`incident Checkout errors in EU`), as on Slack. Answers go to the conversation the
command came from; in channels and group chats that is seen by everyone, so private
incidents are only listed in a personal chat with someone running them.
"""

from __future__ import annotations

import html
import re

from bot.chat.cards import Card
from bot.enums import Action
from bot.errors import Invalid
from bot.incidents.forms import command_too_long, looks_like_subcommand, parse_handover
from bot.services.incident_edits import hand_over_and_announce
from handlers.teams import editing, export, home_card, lifecycle, maintenance
from handlers.teams.dialogs import declare_prompt
from handlers.teams.turns import Teams, Turn

COMMAND = "incident"
_AT = re.compile(r"<at>.*?</at>", re.S | re.I)
_LAST_AT_END = re.compile(r".*</at>", re.S | re.I)  # anchored (`match`): one greedy scan, then back
_TAG = re.compile(r"<[^>]*>")


def command_text(text: str, mentions: list[str]) -> str:
    """The text without the bot's mention(s) and without a leading `incident`."""
    for tag in mentions:
        text = text.replace(tag, " ")
    text = html.unescape(_without_tags(_without_mentions(text)))  # Teams may send `<p>…</p>`, `&nbsp;`
    words = " ".join(text.split())
    first, _, rest = words.partition(" ")
    return rest if first.lower() == COMMAND else words


def _without_mentions(text: str) -> str:
    """`_AT.sub(" ", text)` in linear time: every match ends with a `</at>`, so only the text up to
    the last one is searched (from a `<at>` after it, the lazy scan would run to the end each time)."""
    last = _LAST_AT_END.match(text)
    return text if last is None else _AT.sub(" ", text[: last.end()]) + text[last.end() :]


def _without_tags(text: str) -> str:
    """`_TAG.sub(" ", text)` in linear time, the same way: only up to the last `>`."""
    end = text.rfind(">") + 1
    return _TAG.sub(" ", text[:end]) + text[end:]


async def route(teams: Teams, turn: Turn) -> None:
    if refusal := command_too_long(turn.text):  # told privately: in their personal chat with the bot
        chat = turn.conversation if turn.personal else await teams.gateway.open_personal_chat(turn.user)
        await teams.gateway.post(chat, _note(refusal))
        return
    sub, _, rest = turn.text.partition(" ")
    handler = ROUTES.get(sub.lower())
    if handler is None and turn.text and not looks_like_subcommand(turn.text):
        await declare(teams, turn)  # free text: the title of a new incident, as on Slack
    elif handler is None:
        await show_help(teams, turn, unknown=turn.text)
    else:
        await handler(teams, Turn(turn.conversation, turn.user, turn.kind, rest.strip()))


async def show_help(teams: Teams, turn: Turn, unknown: str = "") -> None:
    card = teams.core.cards.help(unknown=unknown, command=COMMAND, only=set(ROUTES))
    await teams.gateway.post(turn.conversation, card)


async def welcome(teams: Teams, turn: Turn) -> None:
    """The bot was added: what it does, and in a personal chat the person's dashboard."""
    await show_help(teams, turn)
    if turn.personal:
        await home_card.post_home(teams, turn)


async def declare(teams: Teams, turn: Turn) -> None:
    """A typed command cannot open a dialog in Teams: answer with a button that does."""
    await teams.gateway.post_adaptive(turn.conversation, declare_prompt(turn.text), "Declare an incident")


async def _help(teams: Teams, turn: Turn) -> None:
    await show_help(teams, turn)


async def list_active(teams: Teams, turn: Turn) -> None:
    shown = await teams.core.incidents.listing(turn.user, shared=not turn.personal)
    await teams.gateway.post(turn.conversation, teams.core.cards.listing(shown))


async def status(teams: Teams, turn: Turn) -> None:
    found = await teams.core.incidents.by_channel(turn.conversation)
    view = await teams.core.incidents.status(found.id, viewer=turn.user)
    await teams.gateway.post(turn.conversation, teams.core.cards.status(view))


async def roles(teams: Teams, turn: Turn) -> None:
    found = await teams.core.incidents.by_channel(turn.conversation)
    roster = await teams.core.incidents.roles(found.id, viewer=turn.user)
    await teams.gateway.post(turn.conversation, teams.core.cards.roles(roster))


async def handover(teams: Teams, turn: Turn) -> None:
    """`handover commander alice@contoso.com`: Teams has no people picker in a typed command."""
    incident = await teams.core.incidents.by_channel(turn.conversation)
    await teams.core.access.require(turn.user, Action.HAND_OVER, incident)  # before any lookup
    role, _, person = turn.text.strip().partition(" ")
    person = person.strip().removeprefix("msteams:")
    person = person.casefold() if "@" in person else person  # UPNs ignore case
    try:
        form = parse_handover({"role": role.lower().replace("-", "_"), "to": person})
    except Invalid as invalid:
        usage = f"Write it as `{COMMAND} handover commander <UPN>` or `{COMMAND} handover comms_owner <UPN>`."
        await teams.gateway.post(turn.conversation, _note(f"{' '.join(invalid.fields.values())} {usage}"))
        return
    to = await teams.gateway.canonical(f"msteams:{form.to}", turn.conversation)
    await hand_over_and_announce(teams.core, incident.id, form.role, to, actor=turn.user)


def _note(text: str) -> Card:
    return Card(summary=text, body=text)


async def digest(teams: Teams, turn: Turn) -> None:
    """Personally in a 1:1 chat; in a channel or group only what everyone there may see."""
    service = teams.core.digests
    if turn.personal:
        cards = await service.requested(turn.user)
    else:
        cards = await service.to_post(turn.user, turn.conversation)
    for card in cards:
        await teams.gateway.post(turn.conversation, card)


ROUTES = {
    "declare": declare,
    "new": declare,
    "help": _help,
    "list": list_active,
    "status": status,
    "digest": digest,
    "home": home_card.post_home,
    "update": lifecycle.update,
    "resolve": lifecycle.resolve,
    "reopen": lifecycle.reopen,
    "snooze": lifecycle.snooze,
    "pause": lifecycle.pause,
    "resume": lifecycle.resume,
    "timeline": editing.show_timeline,
    "export": export.export,
    "edit": editing.edit,
    "followups": lifecycle.follow_ups,
    "follow-ups": lifecycle.follow_ups,
    "roles": roles,
    "handover": handover,
    "maintenance": maintenance.command,
}
