"""`/incident …`: ack at once, then route the subcommand after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.chat.cards import Card
from bot.enums import Action
from bot.incidents.forms import command_too_long, looks_like_subcommand
from handlers.slack import digests, export, maintenance, reminders, resolution
from handlers.slack.actions import show_handover
from handlers.slack.after_ack import Slack, ack_then
from handlers.slack.blocks.incident_forms import declare_modal, edit_modal
from handlers.slack.messages import open_update_form

COMMAND = "/incident"


def register(app: AsyncApp, slack: Slack) -> None:
    app.command(COMMAND)(ack_then(slack, route))


def split_subcommand(text: str) -> tuple[str, str]:
    first, _, rest = (text or "").strip().partition(" ")
    return first.lower(), rest.strip()


async def route(slack: Slack, body: dict[str, Any]) -> None:
    text = (body.get("text") or "").strip()
    if refusal := command_too_long(text):  # answered privately, before anything is parsed
        await _reply(slack, body, Card(summary=refusal, body=refusal))
        return
    sub, rest = split_subcommand(text)
    if sub in ROUTES:
        await ROUTES[sub](slack, body, rest)
    elif looks_like_subcommand(text):
        await show_help(slack, body, unknown=text)
    else:  # free text: the title of a new incident
        await declare(slack, body, text)


async def declare(slack: Slack, body: dict[str, Any], title: str) -> None:
    await slack.core.access.require(body["user_id"], Action.DECLARE)  # before the form is filled in
    metadata = {"origin": body.get("channel_id"), "reply_url": body.get("response_url")}
    view = declare_modal(slack.core.policy, title=title, reporter_id=body["user_id"], metadata=metadata)
    await slack.gateway.open_view(body["trigger_id"], view)


async def show_help(slack: Slack, body: dict[str, Any], rest: str = "", unknown: str = "") -> None:
    await _reply(slack, body, slack.core.cards.help(unknown=unknown))


async def list_active(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incidents = await slack.core.incidents.listing(body["user_id"], shared=False)  # answered privately
    await _reply(slack, body, slack.core.cards.listing(incidents))


async def status(slack: Slack, body: dict[str, Any], rest: str) -> None:
    found = await slack.core.incidents.by_channel(body["channel_id"])
    view = await slack.core.incidents.status(found.id, viewer=body["user_id"])
    await _reply(slack, body, slack.core.cards.status(view))


async def edit(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await slack.core.access.require(body["user_id"], Action.EDIT, incident)
    view = edit_modal(slack.core.policy, incident, slack.core.cards.ref(incident))
    await slack.gateway.open_view(body["trigger_id"], view.to_dict())


async def roles(slack: Slack, body: dict[str, Any], rest: str) -> None:
    found = await slack.core.incidents.by_channel(body["channel_id"])
    await _reply(
        slack,
        body,
        slack.core.cards.roles(await slack.core.incidents.roles(found.id, viewer=body["user_id"])),
    )


async def handover(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await show_handover(slack, incident, body["user_id"], body["trigger_id"])


async def _reply(slack: Slack, body: dict[str, Any], card) -> None:
    await slack.gateway.tell_user(body["user_id"], card, reply_url=body.get("response_url"))


async def update(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await open_update_form(slack, incident.id, body["trigger_id"], body["user_id"])


ROUTES = {
    "update": update,
    "help": show_help,
    "declare": declare,
    "new": declare,
    "list": list_active,
    "status": status,
    "edit": edit,
    "snooze": reminders.snooze,
    "pause": reminders.pause,
    "resume": reminders.resume,
    "digest": digests.digest,
    "resolve": resolution.resolve,
    "reopen": resolution.reopen,
    "followups": resolution.follow_ups,
    "follow-ups": resolution.follow_ups,
    "timeline": resolution.show_timeline,
    "export": export.export,
    "roles": roles,
    "handover": handover,
    "maintenance": maintenance.command,
}
