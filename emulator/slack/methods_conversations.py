"""conversations.* : create, invite, join, info, history, members, setTopic, setPurpose, archive;
users.conversations."""

from __future__ import annotations

import base64
import time
from typing import Any

from .args import truthy
from .errors import SlackError
from .models import Channel
from .serialize import channel_obj, message_obj
from .workspace import Workspace, ts_key

MAX_NAME = 80
MAX_TOPIC = 250


def check_channel_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise SlackError("invalid_name_required")
    if len(name) > MAX_NAME:
        raise SlackError("invalid_name_maxlength")
    if not all(_name_char(c) for c in name):
        raise SlackError("invalid_name_specials")
    if all(c in "-_" for c in name):
        raise SlackError("invalid_name_punctuation")
    return name


def _name_char(c: str) -> bool:
    if c.isascii():
        return c.islower() or c.isdigit() or c in "-_"
    return c.isalnum() and c == c.lower()


def paginate(items: list[Any], cursor: Any, limit: int) -> tuple[list[Any], str]:
    """One page of ``items`` and the opaque cursor of the next one ("" when done)."""
    offset = 0
    if cursor:
        try:
            prefix, _, value = base64.b64decode(str(cursor)).decode().partition(":")
            offset = int(value) if prefix == "offset" else -1
        except ValueError as exc:
            raise SlackError("invalid_cursor") from exc
        if offset < 0:
            raise SlackError("invalid_cursor")
    page = items[offset : offset + limit]
    more = offset + limit < len(items)
    return page, (base64.b64encode(f"offset:{offset + limit}".encode()).decode() if more else "")


def _limit(value: Any, default: int, maximum: int) -> int:
    try:
        limit = int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default
    return default if limit <= 0 else min(limit, maximum)


def create(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    name = check_channel_name(args.get("name"))
    if any(c.name == name and not c.is_im for c in ws.channels.values()):
        raise SlackError("name_taken")
    channel = Channel(
        ws.new_id("C"),
        name,
        is_private=truthy(args.get("is_private")),
        members={ws.bot_user_id},
        created_by=ws.bot_user_id,
        created=int(time.time()),
    )
    ws.channels[channel.id] = channel
    ws.channel_messages(channel.id)
    return {"channel": channel_obj(ws, channel)}


def _managed_channel(ws: Workspace, args: dict[str, Any]) -> Channel:
    channel = ws.channel(args.get("channel"))
    if channel.is_im:
        raise SlackError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackError("is_archived")
    ws.require_member(channel)
    return channel


def invite(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = _managed_channel(ws, args)
    raw = args.get("users", "")
    users = [
        str(u).strip() for u in (raw if isinstance(raw, list) else str(raw).split(",")) if str(u).strip()
    ]
    if not users:
        raise SlackError("no_user")
    for user_id in users:
        code = "cant_invite_self" if user_id == ws.bot_user_id else None
        code = code or ("user_not_found" if user_id not in ws.users else None)
        if code:
            raise SlackError(code, errors=[{"user": user_id, "ok": False, "error": code}])
    new = [u for u in users if u not in channel.members]
    if not new:
        errors = [{"user": u, "ok": False, "error": "already_in_channel"} for u in users]
        raise SlackError("already_in_channel", errors=errors)
    channel.members.update(new)
    return {"channel": channel_obj(ws, channel)}


def join(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.find_channel(str(args.get("channel", "")))
    if channel is None:
        raise SlackError("channel_not_found")
    if channel.is_private:
        raise SlackError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackError("is_archived")
    if ws.bot_user_id in channel.members:
        warning = {"warning": "already_in_channel", "response_metadata": {"warnings": ["already_in_channel"]}}
        return {"channel": channel_obj(ws, channel), **warning}
    channel.members.add(ws.bot_user_id)
    return {"channel": channel_obj(ws, channel)}


def info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(args.get("channel"))
    return {"channel": channel_obj(ws, channel, include_num_members=truthy(args.get("include_num_members")))}


def _ts_bound(value: Any, error: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return ts_key(str(value))
    except ValueError as exc:
        raise SlackError(error) from exc


def history(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(args.get("channel"))
    ws.require_member(channel)
    oldest = _ts_bound(args.get("oldest"), "invalid_ts_oldest")
    latest = _ts_bound(args.get("latest"), "invalid_ts_latest")
    inclusive = truthy(args.get("inclusive"))

    def in_range(key: int) -> bool:
        above = oldest is None or key > oldest or (inclusive and key == oldest)
        below = latest is None or key < latest or (inclusive and key == latest)
        return above and below

    visible = [m for m in ws.channel_messages(channel.id) if not m.is_reply or m.reply_broadcast]
    selected = [m for m in reversed(visible) if in_range(ts_key(m.ts))]
    page, next_cursor = paginate(selected, args.get("cursor"), _limit(args.get("limit"), 100, 999))
    include_metadata = truthy(args.get("include_all_metadata"))
    body: dict[str, Any] = {
        "messages": [message_obj(ws, m, include_metadata=include_metadata) for m in page],
        "has_more": bool(next_cursor),
        "pin_count": sum(1 for m in ws.channel_messages(channel.id) if m.pinned),
        "channel_actions_ts": None,
        "channel_actions_count": 0,
    }
    for key in ("latest", "oldest"):
        if args.get(key) not in (None, ""):
            body[key] = str(args[key])
    if next_cursor:
        body["response_metadata"] = {"next_cursor": next_cursor}
    return body


def members(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(args.get("channel"))
    page, next_cursor = paginate(
        sorted(channel.members), args.get("cursor"), _limit(args.get("limit"), 100, 1000)
    )
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


def _set_text(ws: Workspace, args: dict[str, Any], key: str) -> dict[str, Any]:
    channel = _managed_channel(ws, args)
    value = str(args.get(key, ""))
    if len(value) > MAX_TOPIC:
        raise SlackError("too_long")
    setattr(channel, key, value)
    return {"channel": channel_obj(ws, channel)}


def set_topic(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return _set_text(ws, args, "topic")


def set_purpose(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return _set_text(ws, args, "purpose")


def archive(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(args.get("channel"))
    if channel.is_im:
        raise SlackError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackError("already_archived")
    ws.require_member(channel)
    channel.is_archived = True
    return {}


def user_conversations(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """users.conversations: the channels a user (by default the caller, the bot) is a member of."""
    user = str(args.get("user") or ws.bot_user_id)
    types = set(str(args.get("types") or "public_channel").split(","))
    skip_archived = truthy(args.get("exclude_archived"))
    chosen = [
        c
        for c in ws.channels.values()
        if not c.is_im
        and user in c.members
        and ("private_channel" if c.is_private else "public_channel") in types
        and not (skip_archived and c.is_archived)
    ]
    page, next_cursor = paginate(chosen, args.get("cursor"), _limit(args.get("limit"), 100, 999))
    return {"channels": [channel_obj(ws, c) for c in page], "response_metadata": {"next_cursor": next_cursor}}


METHODS = {
    "users.conversations": user_conversations,
    "conversations.create": create,
    "conversations.invite": invite,
    "conversations.join": join,
    "conversations.info": info,
    "conversations.history": history,
    "conversations.members": members,
    "conversations.setTopic": set_topic,
    "conversations.setPurpose": set_purpose,
    "conversations.archive": archive,
}
