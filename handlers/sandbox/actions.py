"""What a person does on the page, sent to the app as Slack would send it: through the driver.

Slash commands, button clicks and select choices (`block_actions`), modal submissions
(`view_submission`, `view_closed`) and opening the Home tab (`app_home_opened`) all become signed
HTTP requests to the app's `/slack/events`. Messages people type are seeded into the emulator as a
human's message (the app does not read channel messages), and a mention of the bot becomes the
`app_mention` event Slack would deliver.
"""

from __future__ import annotations

import re
import time
from typing import Any

from emulator.driver import TEAM, Reply
from handlers.sandbox.world import World

MENTION = re.compile(r"@incident-comms\b")


class Refused(Exception):
    """The page asked for something a Slack client could not do (shown to the person)."""


def _user(user: str) -> dict[str, str]:
    return {"id": user, "name": user.lower(), "team_id": TEAM["id"]}


def _checked(reply: Reply) -> Reply:
    if reply.status >= 400:
        raise Refused(f"the app answered HTTP {reply.status}: {reply.text[:200]}")
    return reply


async def type_text(world: World, user: str, channel: str, text: str) -> None:
    text = text.strip()
    if not text:
        return
    if text.startswith("/"):
        command, _, rest = text.partition(" ")
        if command != "/incident":
            raise Refused(f"{command} is not a command here; this workspace has /incident")
        _checked(await world.driver.command(rest.strip(), user=user, channel=channel))
        return
    bot = world.slack.workspace.bot_user_id
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # as Slack's client sends it
    text = MENTION.sub(f"<@{bot}>", text)
    ts = world.slack.add_message(channel, user, text)
    if f"<@{bot}>" in text:
        event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel}
        _checked(await world.driver.event({**event, "event_ts": ts}))


def _element(blocks: list[dict[str, Any]], block: int, element: int | None) -> tuple[dict, str]:
    """The element the person used, by its position, and its block's id."""
    if not 0 <= block < len(blocks):
        raise Refused("that message changed; try again")
    holder = blocks[block]
    if element is None:
        found = holder.get("accessory")
    else:
        elements = holder.get("elements") or []
        found = elements[element] if 0 <= element < len(elements) else None
    if not isinstance(found, dict) or "action_id" not in found:
        raise Refused("that message changed; try again")
    return found, str(holder.get("block_id") or f"b{block}")


def _action(element: dict[str, Any], block_id: str, choice: str | None) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": element["type"],
        "action_id": element["action_id"],
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] == "button":
        action.update(value=element.get("value", ""), text=element["text"])
    elif element["type"] == "users_select":
        action["selected_user"] = choice
    else:
        options = {o.get("value"): o for o in element.get("options", [])}
        if choice not in options:
            raise Refused("pick one of the options")
        action["selected_option"] = options[choice]
    return action


def _holder(world: World, user: str, where: dict[str, Any]) -> tuple[list[dict], dict[str, Any]]:
    """The blocks that hold the element, and the payload fields that say where they are."""
    slack, kind = world.slack, where.get("source")
    if kind in ("home", "modal"):
        entry = world.modals.top(user, slack) if kind == "modal" else None
        view = (entry.view if entry else {}) if kind == "modal" else slack.home_views.get(user) or {}
        container = {"type": "view", "view_id": view.get("id")}
        return view.get("blocks", []), {"container": container, "view": view}
    channel = str(where.get("channel"))
    if kind == "ephemeral":
        notes = slack.workspace.ephemerals
        index = int(where.get("id", -1))
        if not 0 <= index < len(notes) or notes[index].user != user:
            raise Refused("that note is gone")
        message = notes[index]
        container = {"type": "message", "message_ts": message.ts, "channel_id": channel, "is_ephemeral": True}
    else:
        message = slack.workspace.find_message(channel, str(where.get("ts")))
        if message is None:
            raise Refused("that message is gone")
        container = {"type": "message", "message_ts": message.ts, "channel_id": channel}
    return message.blocks or [], {
        "container": container,
        "channel": {"id": channel, "name": slack.channel(channel).name},
        "message": {"ts": message.ts, "text": message.text, "blocks": message.blocks},
        "response_url": slack.issue_response_url(channel=channel, user=user),
    }


async def use_element(world: World, user: str, where: dict[str, Any]) -> None:
    """A button click or a select choice: one `block_actions` payload."""
    blocks, fields = _holder(world, user, where)
    element, block_id = _element(blocks, int(where.get("block", -1)), where.get("element"))
    payload = {
        "type": "block_actions",
        "team": TEAM,
        "user": _user(user),
        "api_app_id": "A0INCIDENT",
        "token": "unused",
        "trigger_id": world.slack.issue_trigger_id(),
        **fields,
        "actions": [_action(element, block_id, where.get("choice"))],
    }
    _checked(await world.driver.interact(payload))


async def submit(world: World, user: str, values: dict[str, Any]) -> None:
    entry = world.modals.top(user, world.slack)
    if entry is None:
        raise Refused("no form is open")
    reply = _checked(await world.driver.submit(entry.view, values, user=user))
    world.modals.answer(user, reply.json())


async def close(world: World, user: str) -> None:
    entry = world.modals.close(user)
    if entry is None or not entry.view.get("notify_on_close"):
        return
    payload = {"type": "view_closed", "team": TEAM, "user": _user(user), "api_app_id": "A0INCIDENT"}
    _checked(await world.driver.interact({**payload, "view": entry.view, "is_cleared": False}))


async def open_home(world: World, user: str) -> None:
    _checked(await world.driver.event({"type": "app_home_opened", "user": user, "tab": "home"}))
