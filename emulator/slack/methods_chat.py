"""chat.postMessage, chat.update, chat.postEphemeral, chat.delete, chat.getPermalink."""

from __future__ import annotations

from typing import Any

from .args import truthy
from .errors import SlackError
from .models import Ephemeral, Message
from .serialize import message_obj
from .workspace import Workspace, ts_key

MAX_TEXT = 40_000
MAX_MARKDOWN_TEXT = 12_000
MAX_ATTACHMENTS = 100


def message_text(args: dict[str, Any]) -> str:
    """``text`` (or ``markdown_text``) with Slack's length limits."""
    markdown = args.get("markdown_text")
    if isinstance(markdown, str) and len(markdown) > MAX_MARKDOWN_TEXT:
        raise SlackError("msg_too_long")
    text = args.get("text") or markdown or ""
    text = text if isinstance(text, str) else str(text)
    if len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    return text


def attachments_of(ws: Workspace, value: Any) -> list[dict[str, Any]] | None:
    if value in (None, "", False, []):
        return None
    if not isinstance(value, list) or not all(isinstance(a, dict) for a in value):
        raise SlackError("invalid_attachments")
    if len(value) > MAX_ATTACHMENTS:
        raise SlackError("too_many_attachments")
    for index, attachment in enumerate(value):
        if isinstance(attachment.get("blocks"), list):
            errors = ws.checker.message_block_errors(attachment["blocks"], f"attachments[{index}].blocks")
            if errors:
                raise SlackError("invalid_attachments", errors=errors)
    return value


def metadata_of(value: Any) -> dict[str, Any] | None:
    """Message metadata: ``{"event_type": str, "event_payload": dict}``."""
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        raise SlackError("invalid_metadata_format")
    if not isinstance(value.get("event_type"), str) or not value["event_type"]:
        raise SlackError("invalid_metadata_schema")
    if not isinstance(value.get("event_payload"), dict):
        raise SlackError("invalid_metadata_schema")
    return value


def thread_of(ws: Workspace, channel_id: str, thread_ts: Any) -> str | None:
    """The thread parent's ts (a reply's ts is mapped to its parent, as Slack does)."""
    if thread_ts in (None, ""):
        return None
    try:
        ts_key(str(thread_ts))
    except ValueError as exc:
        raise SlackError("invalid_thread_ts") from exc
    parent = ws.find_message(channel_id, str(thread_ts))
    return parent.thread_ts if parent is not None and parent.is_reply else str(thread_ts)


def post_message(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    ws.require_postable(channel)
    text = message_text(args)
    blocks = ws.checker.require_message_blocks(args.get("blocks"))
    message = Message(
        ts=ws.new_ts(),
        channel=channel.id,
        user=ws.bot_user_id,
        text=text,
        blocks=blocks,
        metadata=metadata_of(args.get("metadata")),
        thread_ts=thread_of(ws, channel.id, args.get("thread_ts")),
        attachments=attachments_of(ws, args.get("attachments")),
        username=args.get("username") or None,
        reply_broadcast=truthy(args.get("reply_broadcast")),
    )
    ws.add_message(message)
    return {"channel": channel.id, "ts": message.ts, "message": message_obj(ws, message)}


def update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    message = ws.message(channel.id, args.get("ts"))
    if message.user != ws.bot_user_id:
        raise SlackError("cant_update_message")
    text = message_text(args)
    if "blocks" in args:
        message.blocks = ws.checker.require_message_blocks(args["blocks"])
    if "attachments" in args:
        message.attachments = attachments_of(ws, args["attachments"])
    if "metadata" in args:
        message.metadata = metadata_of(args["metadata"])
    if "text" in args or "markdown_text" in args:
        message.text = text
    message.edited = True
    message.edited_ts = ws.new_ts()
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": message_obj(ws, message),
    }


def post_ephemeral(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    user = ws.user(args.get("user"))
    ws.require_postable(channel)
    if user.id not in channel.members:
        raise SlackError("user_not_in_channel")
    text = message_text(args)
    blocks = ws.checker.require_message_blocks(args.get("blocks"))
    attachments_of(ws, args.get("attachments"))
    ephemeral = Ephemeral(
        channel=channel.id,
        user=user.id,
        text=text,
        blocks=blocks,
        via="chat.postEphemeral",
        ts=ws.new_ts(),
        thread_ts=thread_of(ws, channel.id, args.get("thread_ts")),
    )
    ws.ephemerals.append(ephemeral)
    return {"message_ts": ephemeral.ts}


def delete(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    message = ws.message(channel.id, args.get("ts"))
    if message.user != ws.bot_user_id:
        raise SlackError("cant_delete_message")
    ws.channel_messages(channel.id).remove(message)
    return {"channel": channel.id, "ts": message.ts}


def get_permalink(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    message = ws.message(channel.id, args.get("message_ts"))
    permalink = f"https://{ws.team_domain}.slack.com/archives/{channel.id}/p{message.ts.replace('.', '')}"
    if message.is_reply:
        permalink += f"?thread_ts={message.thread_ts}&cid={channel.id}"
    return {"channel": channel.id, "permalink": permalink}


METHODS = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.postEphemeral": post_ephemeral,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
}
