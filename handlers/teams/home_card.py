"""What a Teams user looks at: the incident's status (a dialog), redaction and the home card.

Slack shows the status privately (an ephemeral message); Teams has no ephemeral messages in a
channel, so the intro card's Show status opens a read-only dialog instead. Slack's App Home is
a tab; on Teams, `incident home` posts a dashboard card that refreshes itself (Universal
Actions `refresh`) whenever someone looks at it, answered for that viewer alone: in a channel
the posted copy shows only what everyone there may see, the refreshed view adds the viewer's
private incidents.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.chat.cards import Button, ButtonStyle, Card, CardAction, CardItem
from bot.chat.ports import MessageRef
from bot.digests.home import dashboard_groups, left_out
from bot.errors import DomainError, PlatformError
from handlers.teams.cards import ADAPTIVE_CARD, button_data
from handlers.teams.dialogs import button_number, close_with, continue_with
from handlers.teams.turns import Teams, Turn

HOME_TITLE = "Incident dashboard"
REFRESH = Button(CardAction.REFRESH_HOME, "Refresh", "")


async def status_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    """The intro card's Show status: the status card in a dialog only the clicking user sees."""
    core = teams.core
    try:
        view = await core.incidents.status(button_number(data, "an incident"), viewer=turn.user)
    except DomainError as refusal:
        return close_with(refusal.message)
    incident, card = view.incident, core.cards.status(view)
    shown = await teams.gateway.adaptive(replace(card, buttons=()))  # a dialog shows; the intro card acts
    return continue_with(shown, f"{core.cards.ref(incident)} status")


async def redact(teams: Teams, turn: Turn, data: dict[str, Any]) -> Card:
    """Redact personal data: a new version of the draft, shown on the approval card in place."""
    core = teams.core
    draft_id = button_number(data, "a draft")
    redacted = await core.messages.redact(draft_id, author=turn.user)
    return core.messages.approval_card(redacted)


async def home_card(teams: Teams, asked_by: str, *, shared: bool = False) -> Card:
    """Live incidents for `asked_by` (theirs first); `shared`: only what everyone may see."""
    core = teams.core
    now = core.clock.now()
    viewer = None if shared else asked_by
    entries = await core.digests.dashboard(asked_by, shared=shared)
    links = await core.digests.links(entries)
    groups = dashboard_groups(entries, viewer or "")
    items: list[CardItem] = []
    for heading, group in groups:
        items.append(CardItem(f"**{heading}**"))
        for entry in group:
            text = core.digests.cards.entry(entry, now, links.get(entry.incident.id or 0))
            items.append(CardItem(text, await _incident_buttons(teams, entry.incident)))
    count = f"{len(entries)} live incident{'s' if len(entries) != 1 else ''} · as of {now:%H:%M UTC}"
    more = left_out(entries, groups)
    return Card(
        summary=f"{HOME_TITLE}: {count}",
        title=HOME_TITLE,
        body=count if entries else f"{count}\n\n✅ All clear: no live incidents.",
        items=tuple(items),
        buttons=(REFRESH,),
        context=f"…and {more} more: `incident list` shows every one." if more else "",
    )


async def _incident_buttons(teams: Teams, incident) -> tuple[Button, ...]:
    buttons = []
    if incident.channel_id and incident.intro_ts:
        try:
            link = await teams.core.platform.message_link(MessageRef(incident.channel_id, incident.intro_ts))
            buttons.append(Button(CardAction.OPEN_CHANNEL, "Open conversation", str(incident.id), url=link))
        except PlatformError:
            pass  # the dashboard still lists it; the link is a convenience
    buttons.append(Button(CardAction.DRAFT_UPDATE, "Draft update", str(incident.id), ButtonStyle.PRIMARY))
    return tuple(buttons)


def with_refresh(content: dict[str, Any]) -> dict[str, Any]:
    """Teams runs the refresh action when the card is viewed (automatically in conversations of
    up to 60 people; larger ones click Refresh) and shows each viewer the card answered for them."""
    action = {"type": "Action.Execute", "verb": REFRESH.action.value, "data": button_data(REFRESH)}
    content["refresh"] = {"action": action}
    return content


async def post_home(teams: Teams, turn: Turn) -> None:
    """`incident home`: personal in a 1:1 chat; in a channel the redacted digest everyone may
    read (each viewer's refreshed copy then shows their own dashboard)."""
    if turn.personal:
        card = await home_card(teams, turn.user)
    else:
        card = await teams.core.digests.shared_view(turn.user)
    content = with_refresh(await teams.gateway.adaptive(card))
    await teams.gateway.post_adaptive(turn.conversation, content, card.summary)


async def refreshed_home(teams: Teams, turn: Turn) -> dict[str, Any]:
    """The invoke answer to a refresh (automatic or the Refresh button): the viewer's own view."""
    card = await home_card(teams, turn.user)
    content = with_refresh(await teams.gateway.adaptive(card))
    return {"statusCode": 200, "type": ADAPTIVE_CARD, "value": content}
