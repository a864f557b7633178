"""Human-readable transcripts of a channel and renderings of modal / Home views (``incident-comms demo``)."""

from __future__ import annotations

import time
from typing import Any

from .models import Channel, Message
from .render import render_blocks, text_of
from .textfmt import display_text
from .workspace import Workspace

RULE = "─" * 46


def channel_transcript(ws: Workspace, channel: Channel) -> str:
    title = f"@{ws.display_name(channel.name)}" if channel.is_im else f"#{channel.name}"
    if channel.topic:
        title += f"  (topic: {display_text(channel.topic, ws)})"
    if channel.is_archived:
        title += "  [archived]"
    lines = [title, RULE]
    top_level = [m for m in ws.channel_messages(channel.id) if not m.is_reply]
    if not top_level:
        lines.append("(no messages)")
    for index, message in enumerate(top_level):
        if index:
            lines.append("")
        lines += message_lines(ws, message, indent="")
        for reply in ws.replies(channel.id, message.ts):
            lines += message_lines(ws, reply, indent="    ", reply=True)
    return "\n".join(lines) + "\n"


def message_lines(ws: Workspace, message: Message, *, indent: str, reply: bool = False) -> list[str]:
    author = message.username or ws.display_name(message.user)
    head = f"{indent}{'↳ ' if reply else ''}[{clock(message.ts)}] {author}"
    if message.edited:
        head += " (edited)"
    if message.pinned:
        head += "  📌"
    body = _body(ws, message)
    pad = indent + ("    " if reply else "  ")
    return [head, *(f"{pad}{line}".rstrip() for line in body)]


def _body(ws: Workspace, message: Message) -> list[str]:
    lines = render_blocks(message.blocks, ws) if message.blocks else []
    if not lines and message.text:
        lines = display_text(message.text, ws).split("\n")
    for attachment in message.attachments or []:
        lines += [f"┃ {line}" for line in _attachment(ws, attachment)]
    for file_id in message.files:
        file = ws.files.get(file_id)
        if file is not None:
            lines.append(f"📎 {file.filename}" + (f" — {file.title}" if file.title != file.filename else ""))
    if message.reactions:
        lines.append("  ".join(f":{name}: {len(users)}" for name, users in message.reactions.items()))
    return lines


def _attachment(ws: Workspace, attachment: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for key in ("pretext", "title", "text"):
        if attachment.get(key):
            lines += display_text(str(attachment[key]), ws).split("\n")
    for field in attachment.get("fields", []) or []:
        if isinstance(field, dict):
            lines.append(f"{field.get('title', '')}: {display_text(str(field.get('value', '')), ws)}")
    if isinstance(attachment.get("blocks"), list):
        lines += render_blocks(attachment["blocks"], ws)
    return lines


def clock(ts: str) -> str:
    """UTC ``HH:MM:SS`` of a Slack ts."""
    try:
        seconds = int(str(ts).split(".")[0])
    except ValueError:
        return "??:??:??"
    return time.strftime("%H:%M:%S", time.gmtime(seconds))


def view_rendering(ws: Workspace, view: dict[str, Any]) -> str:
    """A modal (title, blocks, close/submit buttons) or a Home tab as plain text."""
    is_home = view.get("type") == "home"
    title = "App Home" if is_home else (text_of(view.get("title"), ws) or "(untitled modal)")
    lines = [f"┌─ {title} " + "─" * max(4, 40 - len(title))]
    blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
    lines += [f"│ {line}".rstrip() for line in render_blocks(blocks, ws)]
    buttons = [f"[ {text_of(view[key], ws)} ]" for key in ("close", "submit") if view.get(key)]
    lines.append("└─ " + "  ".join(buttons) if buttons else "└" + "─" * 20)
    return "\n".join(lines) + "\n"
