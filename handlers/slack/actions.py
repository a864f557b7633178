"""Buttons on incident cards."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.enums import Action
from bot.errors import NotFound
from handlers.slack.after_ack import Slack, ack_then
from handlers.slack.blocks.incident_forms import edit_modal, handover_modal
from handlers.slack.ids import ActionId


def register(app: AsyncApp, slack: Slack) -> None:
    app.action(ActionId.EDIT_INCIDENT.value)(ack_then(slack, open_edit))
    app.action(ActionId.SHOW_STATUS.value)(ack_then(slack, show_status))
    app.action(ActionId.HAND_OVER.value)(ack_then(slack, open_handover))


def incident_id_of(body: dict[str, Any]) -> int:
    try:
        return int(body["actions"][0]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise NotFound("That button no longer points at an incident.") from None


async def open_edit(slack: Slack, body: dict[str, Any]) -> None:
    incident = await slack.core.incidents.get(incident_id_of(body))
    await slack.core.access.require(body["user"]["id"], Action.EDIT, incident)
    view = edit_modal(slack.core.policy, incident, slack.core.cards.ref(incident))
    await slack.gateway.open_view(body["trigger_id"], view.to_dict())


async def show_status(slack: Slack, body: dict[str, Any]) -> None:
    core = slack.core
    view = await core.incidents.status(incident_id_of(body), viewer=body["user"]["id"])
    incident, card = view.incident, core.cards.status(view)
    channel = (body.get("channel") or {}).get("id") or incident.channel_id
    await slack.gateway.post_ephemeral(channel, body["user"]["id"], card)


async def open_handover(slack: Slack, body: dict[str, Any]) -> None:
    incident = await slack.core.incidents.get(incident_id_of(body))
    await show_handover(slack, incident, body["user"]["id"], body["trigger_id"])


async def show_handover(slack: Slack, incident, user_id: str, trigger_id: str) -> None:
    """The hand-over form, for someone who may hand roles over (asked before they fill it in)."""
    await slack.core.access.require(user_id, Action.HAND_OVER, incident)
    view = handover_modal(incident, slack.core.cards.ref(incident))
    await slack.gateway.open_view(trigger_id, view.to_dict())
