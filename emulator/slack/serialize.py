"""Slack-shaped JSON objects (conversation, user, message, usergroup, file) built from workspace state."""

from __future__ import annotations

from typing import Any

from .models import Channel, File, Message, User, Usergroup
from .workspace import Workspace


def channel_obj(ws: Workspace, ch: Channel, *, include_num_members: bool = False) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": ch.id,
        "created": ch.created,
        "creator": ch.created_by,
        "is_archived": ch.is_archived,
        "is_im": ch.is_im,
        "is_member": ws.bot_user_id in ch.members,
        "is_private": ch.is_private,
        "context_team_id": ws.team_id,
    }
    if ch.is_im:
        obj.update({"user": ch.name, "is_user_deleted": False})
        return obj
    obj.update(
        {
            "name": ch.name,
            "name_normalized": ch.name,
            "is_channel": not ch.is_private,
            "is_group": ch.is_private,
            "is_mpim": False,
            "is_general": False,
            "is_shared": ch.ext_shared,
            "is_ext_shared": ch.ext_shared,
            "is_org_shared": False,
            "pending_shared": [],
            "is_pending_ext_shared": False,
            "unlinked": 0,
            "topic": {"value": ch.topic, "creator": ch.created_by if ch.topic else "", "last_set": 0},
            "purpose": {"value": ch.purpose, "creator": ch.created_by if ch.purpose else "", "last_set": 0},
            "previous_names": [],
            "shared_team_ids": [ws.team_id, *(["T0PARTNER"] if ch.ext_shared else [])],
        }
    )
    if include_num_members:
        obj["num_members"] = len(ch.members)
    return obj


def user_obj(ws: Workspace, user: User) -> dict[str, Any]:
    real_name = user.real_name or user.name
    profile: dict[str, Any] = {
        "real_name": real_name,
        "real_name_normalized": real_name,
        "display_name": user.name,
        "display_name_normalized": user.name,
        "team": user.team_id or ws.team_id,
    }
    if user.email and "users:read.email" in ws.scopes:  # Slack leaves it out without the scope
        profile["email"] = user.email
    if user.is_bot:
        profile["bot_id"] = ws.bot_id if user.id == ws.bot_user_id else None
    return {
        "id": user.id,
        "team_id": user.team_id or ws.team_id,
        "name": user.name,
        "deleted": user.deleted,
        "is_restricted": user.guest in ("multi", "single"),
        "is_ultra_restricted": user.guest == "single",
        **({"is_stranger": True} if user.team_id and user.team_id != ws.team_id else {}),
        "real_name": real_name,
        "tz": "Etc/UTC",
        "tz_label": "Coordinated Universal Time",
        "tz_offset": 0,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "profile": profile,
    }


def message_obj(ws: Workspace, msg: Message, *, include_metadata: bool = True) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "message",
        "user": msg.user,
        "text": msg.text,
        "ts": msg.ts,
        "team": ws.team_id,
    }
    if msg.user == ws.bot_user_id:
        obj.update({"bot_id": ws.bot_id, "app_id": ws.app_id})
    if msg.username:
        obj["username"] = msg.username
    if msg.blocks:
        obj["blocks"] = msg.blocks
    if msg.attachments:
        obj["attachments"] = msg.attachments
    _add_thread_info(ws, msg, obj)
    if msg.edited:
        obj["edited"] = {"user": msg.user, "ts": msg.edited_ts or msg.ts}
    if msg.pinned:
        obj["pinned_to"] = [msg.channel]
    if msg.reactions:
        obj["reactions"] = [{"name": n, "users": u, "count": len(u)} for n, u in msg.reactions.items()]
    if msg.files:
        obj["files"] = [file_obj(ws, ws.files[f]) for f in msg.files if f in ws.files]
    if include_metadata and msg.metadata is not None:
        obj["metadata"] = msg.metadata
    return obj


def _add_thread_info(ws: Workspace, msg: Message, obj: dict[str, Any]) -> None:
    if msg.is_reply:
        parent = ws.find_message(msg.channel, msg.thread_ts)
        obj["thread_ts"] = msg.thread_ts
        obj["parent_user_id"] = parent.user if parent else msg.user
        return
    replies = ws.replies(msg.channel, msg.ts)
    if replies:
        obj["thread_ts"] = msg.ts
        obj["reply_count"] = len(replies)
        obj["reply_users"] = sorted({r.user for r in replies})
        obj["latest_reply"] = replies[-1].ts


def usergroup_obj(ws: Workspace, group: Usergroup, *, include_users: bool) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": group.id,
        "team_id": ws.team_id,
        "is_usergroup": True,
        "name": group.name or group.handle,
        "description": group.description,
        "handle": group.handle,
        "is_external": False,
        "date_create": 0,
        "date_update": 0,
        "date_delete": 0,
        "auto_type": None,
        "created_by": ws.bot_user_id,
        "updated_by": ws.bot_user_id,
        "deleted_by": None,
        "prefs": {"channels": [], "groups": []},
        "user_count": len(group.members),
    }
    if include_users:
        obj["users"] = list(group.members)
    return obj


def file_obj(ws: Workspace, file: File) -> dict[str, Any]:
    return {
        "id": file.id,
        "created": file.created,
        "timestamp": file.created,
        "name": file.filename,
        "title": file.title,
        "user": ws.bot_user_id,
        "size": len(file.content),
        "channels": list(file.channels),
        "permalink": f"https://{ws.team_domain}.slack.com/files/{ws.bot_user_id}/{file.id}/{file.filename}",
    }
