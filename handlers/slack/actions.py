"""Buttons on incident cards."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.errors import NotFound
from bot.services import Core
from handlers.slack.blocks.incident_forms import edit_modal
from handlers.slack.ids import ActionId
from handlers.slack.lazy import lazy


def register(app: AsyncApp, core: Core) -> None:
    app.action(ActionId.EDIT_INCIDENT.value)(ack=_ack, lazy=[lazy(core, open_edit)])
    app.action(ActionId.SHOW_STATUS.value)(ack=_ack, lazy=[lazy(core, show_status)])


async def _ack(ack) -> None:
    await ack()


def _incident_id(body: dict[str, Any]) -> int:
    try:
        return int(body["actions"][0]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise NotFound("That button no longer points at an incident.") from None


async def open_edit(core: Core, body: dict[str, Any], client, respond) -> None:
    incident = await core.incidents.get(_incident_id(body))
    await client.views_open(
        trigger_id=body["trigger_id"], view=edit_modal(core.policy, incident, core.cards.ref(incident))
    )


async def show_status(core: Core, body: dict[str, Any], client, respond) -> None:
    incident = await core.incidents.get(_incident_id(body))
    card = core.cards.status(incident, await core.incidents.history(incident.id))
    channel = (body.get("channel") or {}).get("id") or incident.channel_id
    await core.platform.post_ephemeral(channel, body["user"]["id"], card)
