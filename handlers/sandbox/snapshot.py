"""What the page shows one person: their channels, the open channel's messages, modals, Home.

Read straight from what the emulator recorded of the app's Web API calls; nothing is rendered here
(the page renders Block Kit itself) and nothing here changes any state.
"""

from __future__ import annotations

from typing import Any

from emulator.slack.models import Channel, Ephemeral, Message
from handlers.sandbox.cast import PEOPLE
from handlers.sandbox.world import World

EXTERNAL = {p.id for p in PEOPLE if p.external}


def version(world: World) -> str:
    """Changes whenever anything the page shows may have changed."""
    ws = world.slack.workspace
    return f"{world.changes}.{len(ws.calls)}.{len(ws.responses)}"


def visible_channels(world: World, user: str) -> list[Channel]:
    """Public channels and the private ones the person is in; a customer sees only shared ones."""
    ws = world.slack.workspace
    seen = []
    for channel in ws.channels.values():
        if channel.is_im:
            if channel.members == {ws.bot_user_id, user}:
                seen.append(channel)
            continue
        member = user in channel.members
        if user in EXTERNAL and not (channel.ext_shared and member):
            continue
        if channel.is_private and not member:
            continue
        seen.append(channel)
    return seen


def _channel(world: World, channel: Channel, user: str) -> dict[str, Any]:
    ws = world.slack.workspace
    return {
        "id": channel.id,
        "name": "incident-comms" if channel.is_im else channel.name,
        "private": channel.is_private and not channel.is_im,
        "dm": channel.is_im,
        "shared": channel.ext_shared,
        "archived": channel.is_archived,
        "member": user in channel.members,
        "topic": channel.topic,
        "count": len(ws.channel_messages(channel.id)),
    }


def _message(world: World, message: Message) -> dict[str, Any]:
    ws = world.slack.workspace
    return {
        "kind": "message",
        "ts": message.ts,
        "user": message.user,
        "author": ws.display_name(message.user),
        "bot": message.user == ws.bot_user_id,
        "text": message.text,
        "blocks": message.blocks or [],
        "edited": message.edited,
        "pinned": message.pinned,
        "thread_ts": message.thread_ts if message.is_reply else None,
        "files": [
            {"id": f.id, "name": f.filename or f.title, "size": len(f.content)}
            for f in (ws.files.get(file_id) for file_id in message.files)
            if f is not None
        ],
    }


def _ephemeral(world: World, index: int, note: Ephemeral) -> dict[str, Any]:
    return {
        "kind": "ephemeral",
        "ts": note.ts or "0",
        "id": index,
        "user": world.slack.workspace.bot_user_id,
        "author": "incident-comms",
        "bot": True,
        "text": note.text,
        "blocks": note.blocks or [],
        "thread_ts": None,
        "files": [],
    }


def messages(world: World, user: str, channel_id: str) -> list[dict[str, Any]]:
    """The channel's messages and the person's own private notes in it, in time order."""
    ws = world.slack.workspace
    shown = [_message(world, m) for m in ws.channel_messages(channel_id)]
    notes = enumerate(ws.ephemerals)
    shown += [_ephemeral(world, i, e) for i, e in notes if e.channel == channel_id and e.user == user]
    shown.sort(key=lambda m: float(m["ts"]))
    replies: dict[str, list[dict[str, Any]]] = {}
    for item in shown:
        if item["thread_ts"]:
            replies.setdefault(item["thread_ts"], []).append(item)
    ordered = []
    for item in shown:  # each thread's replies right under the message they answer
        if not item["thread_ts"]:
            ordered += [item, *replies.pop(item["ts"], [])]
    return ordered + [reply for thread in replies.values() for reply in thread]


def snapshot(world: World, user: str, channel_id: str) -> dict[str, Any]:
    ws = world.slack.workspace
    channels = visible_channels(world, user)
    shown = next((c for c in channels if c.id == channel_id), None)
    modal = world.modals.top(user, world.slack)
    return {
        "version": version(world),
        "user": user,
        "channels": [_channel(world, c, user) for c in channels],
        "channel": _channel(world, shown, user) if shown else None,
        "messages": messages(world, user, shown.id) if shown else [],
        "modal": {"view": modal.view, "errors": modal.errors} if modal else None,
        "home": ws.home_views.get(user),
        "clock": world.clock.now().isoformat(timespec="minutes"),
        "users": {u.id: u.name for u in ws.users.values()},
        "names": {c.id: c.name for c in ws.channels.values() if not c.is_im},
    }
