"""Snooze buttons on reminders, and `/incident snooze|pause|resume`."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.durations import parse_duration
from bot.errors import Invalid, NotFound
from handlers.slack.after_ack import Slack, ack_then, user_of
from handlers.slack.ids import ActionId


def register(app: AsyncApp, slack: Slack) -> None:
    snooze_buttons = re.compile(rf"^{re.escape(ActionId.SNOOZE_REMINDERS.value)}(:.+)?$")
    app.action(snooze_buttons)(ack_then(slack, snooze_clicked))


def _button_value(body: dict[str, Any]) -> tuple[int, int]:
    try:
        incident_id, seconds = body["actions"][0]["value"].split(":")
        return int(incident_id), int(seconds)
    except (KeyError, IndexError, AttributeError, ValueError):
        raise NotFound("That button no longer points at an incident.") from None


async def snooze_clicked(slack: Slack, body: dict[str, Any]) -> None:
    incident_id, seconds = _button_value(body)
    controls = slack.core.reminder_controls
    await controls.snooze(incident_id, controls.snooze_length(seconds), actor=user_of(body))


async def snooze(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    options = slack.core.policy.reminders.snooze_options
    try:
        length = parse_duration(rest) if rest else options[0]
    except ValueError as error:
        raise Invalid({"snooze": str(error)}) from None
    await slack.core.reminder_controls.snooze(incident.id, length, actor=body["user_id"])


async def pause(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await slack.core.reminder_controls.pause(incident.id, actor=body["user_id"])


async def resume(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await slack.core.reminder_controls.resume(incident.id, actor=body["user_id"])
