"""What a POST to a ``response_url`` does: ephemeral / in_channel replies, replace or delete the original."""

from __future__ import annotations

import time
from typing import Any

from .args import truthy
from .methods_chat import MAX_TEXT
from .models import Ephemeral, Message, ResponseUrl
from .workspace import Workspace

MAX_USES = 5
LIFETIME_SECONDS = 30 * 60


Answer = tuple[int, str | dict[str, Any]]


def apply_response(ws: Workspace, entry: ResponseUrl, body: dict[str, Any]) -> Answer:
    """(HTTP status, text or JSON answer); Slack answers 200 ``ok`` when the response was accepted."""
    if entry.uses >= MAX_USES:
        return 404, "used_url"
    if time.monotonic() - entry.issued_at > LIFETIME_SECONDS:
        return 404, "expired_url"
    entry.uses += 1
    original = (
        ws.find_message(entry.channel, entry.message_ts) if entry.channel and entry.message_ts else None
    )
    if truthy(body.get("delete_original")):
        if original is not None:
            ws.channel_messages(original.channel).remove(original)
        return 200, "ok"
    rejected = _rejection(ws, body)
    if rejected is not None:
        return rejected
    text, blocks = body.get("text") or "", body.get("blocks") or None
    if truthy(body.get("replace_original")) and original is not None:
        original.text, original.blocks = text, blocks
    elif body.get("response_type") == "in_channel" and entry.channel:
        thread_ts = body.get("thread_ts") or None
        ws.add_message(Message(ws.new_ts(), entry.channel, ws.bot_user_id, text, blocks, thread_ts=thread_ts))
    else:
        ws.ephemerals.append(
            Ephemeral(entry.channel, entry.user, text, blocks, via="response_url", ts=ws.new_ts())
        )
    return 200, "ok"


def _rejection(ws: Workspace, body: dict[str, Any]) -> Answer | None:
    """Why Slack would refuse this response body (400), or None."""
    text, blocks = body.get("text") or "", body.get("blocks")
    if not text and not blocks:
        return 400, "no_text"
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return 400, "msg_too_long"
    if blocks is None:
        return None
    errors = (
        ws.checker.message_block_errors(blocks) if isinstance(blocks, list) else ["blocks: must be an array"]
    )
    return (400, {"ok": False, "error": "invalid_blocks", "errors": errors}) if errors else None
