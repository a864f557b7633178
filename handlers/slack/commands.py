"""`/incident …`: ack at once, then route the subcommand after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.incidents import visible_to
from bot.services import Core
from handlers.slack.blocks.card import message_payload
from handlers.slack.blocks.incident_forms import declare_modal, edit_modal
from handlers.slack.lazy import lazy

COMMAND = "/incident"


def register(app: AsyncApp, core: Core) -> None:
    app.command(COMMAND)(ack=_ack, lazy=[lazy(core, route)])


async def _ack(ack) -> None:
    await ack()


def split_subcommand(text: str) -> tuple[str, str]:
    first, _, rest = (text or "").strip().partition(" ")
    return first.lower(), rest.strip()


async def route(core: Core, body: dict[str, Any], client, respond) -> None:
    sub, rest = split_subcommand(body.get("text", ""))
    text = (body.get("text") or "").strip()
    if sub in ROUTES:
        await ROUTES[sub](core, body, client, respond, rest)
    elif looks_like_subcommand(text):
        await show_help(core, body, client, respond, unknown=text)
    else:  # free text: the title of a new incident
        await declare(core, body, client, respond, text)


def looks_like_subcommand(text: str) -> bool:
    """One short word (`/incident stauts`) is a mistyped subcommand, not a title."""
    return bool(text) and " " not in text and len(text) <= 15 and text.isascii() and text.isalpha()


async def declare(core: Core, body: dict[str, Any], client, respond, title: str) -> None:
    metadata = {"origin": body.get("channel_id"), "reply_url": body.get("response_url")}
    view = declare_modal(core.policy, title=title, reporter_id=body["user_id"], metadata=metadata)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def show_help(
    core: Core, body: dict[str, Any], client, respond, rest: str = "", unknown: str = ""
) -> None:
    await respond(response_type="ephemeral", **message_payload(core.cards.help(unknown=unknown)))


async def list_active(core: Core, body: dict[str, Any], client, respond, rest: str) -> None:
    incidents = [i for i in await core.incidents.active() if visible_to(i, body["user_id"])]
    await respond(response_type="ephemeral", **message_payload(core.cards.listing(incidents)))


async def status(core: Core, body: dict[str, Any], client, respond, rest: str) -> None:
    incident = await core.incidents.by_channel(body["channel_id"])
    history = await core.incidents.history(incident.id)
    await respond(response_type="ephemeral", **message_payload(core.cards.status(incident, history)))


async def edit(core: Core, body: dict[str, Any], client, respond, rest: str) -> None:
    incident = await core.incidents.by_channel(body["channel_id"])
    view = edit_modal(core.policy, incident, core.cards.ref(incident))
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def _declare_route(core: Core, body: dict[str, Any], client, respond, rest: str) -> None:
    await declare(core, body, client, respond, rest)


ROUTES = {
    "help": show_help,
    "declare": _declare_route,
    "new": _declare_route,
    "list": list_active,
    "status": status,
    "edit": edit,
}
