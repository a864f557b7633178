"""files.getUploadURLExternal, files.completeUploadExternal, pins.add, reactions.add, bookmarks.add."""

from __future__ import annotations

import time
from typing import Any

from .errors import SlackError, invalid_arguments
from .models import File, Message
from .serialize import file_obj
from .workspace import Workspace


def get_upload_url(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    length = args.get("length")
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        raise invalid_arguments("[ERROR] length must be a positive integer [json-pointer:/length]")
    file_id = ws.new_id("F")
    filename = str(args.get("filename"))
    ws.files[file_id] = File(
        file_id, title=filename, filename=filename, length=length, created=int(time.time())
    )
    return {"upload_url": f"{ws.origin}/upload/{file_id}", "file_id": file_id}


def complete_upload(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise invalid_arguments("[ERROR] files must be a non-empty JSON array [json-pointer:/files]")
    files: list[File] = []
    for entry in entries:
        file = ws.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if file is None or not file.uploaded or file.completed:
            raise SlackError("file_not_found")
        files.append(file)
    targets = [c for c in str(args.get("channels") or "").split(",") if c]
    if args.get("channel_id"):
        targets.insert(0, str(args["channel_id"]))
    channels = [ws.target_channel(ref) for ref in targets]
    for channel in channels:
        ws.require_postable(channel)
    blocks = ws.checker.require_message_blocks(args.get("blocks"))
    for file, entry in zip(files, entries, strict=True):
        file.title = str(entry.get("title") or file.title)
        file.completed = True
        file.channels = [c.id for c in channels]
    for channel in channels:
        message = Message(
            ts=ws.new_ts(),
            channel=channel.id,
            user=ws.bot_user_id,
            text=str(args.get("initial_comment") or ""),
            blocks=blocks,
            thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
            files=[f.id for f in files],
        )
        ws.add_message(message)
    return {"files": [file_obj(ws, f) for f in files]}


def _item(ws: Workspace, args: dict[str, Any]) -> Message:
    channel = ws.target_channel(args.get("channel"))
    if not args.get("timestamp"):
        raise SlackError("no_item_specified")
    return ws.message(channel.id, args.get("timestamp"))


def pins_add(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    ws.require_member(channel)
    message = _item(ws, args)
    if message.pinned:
        raise SlackError("already_pinned")
    message.pinned = True
    return {}


def reactions_add(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.target_channel(args.get("channel"))
    if channel.is_archived:
        raise SlackError("is_archived")
    message = _item(ws, args)
    name = str(args.get("name", "")).strip(":")
    if not name or " " in name:
        raise SlackError("invalid_name")
    users = message.reactions.setdefault(name, [])
    if ws.bot_user_id in users:
        raise SlackError("already_reacted")
    users.append(ws.bot_user_id)
    return {}


def bookmarks_add(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(args.get("channel_id"))
    if args.get("type") != "link":
        raise SlackError("invalid_bookmark_type")
    link = args.get("link")
    if not isinstance(link, str) or not link.startswith(("http://", "https://")):
        raise SlackError("invalid_link")
    bookmark = {
        "id": ws.new_id("Bk"),
        "channel_id": channel.id,
        "title": str(args.get("title")),
        "link": link,
        "emoji": args.get("emoji"),
        "icon_url": None,
        "type": "link",
        "entity_id": None,
        "date_created": int(time.time()),
        "date_updated": 0,
        "rank": "g",
        "last_updated_by_user_id": ws.bot_user_id,
        "last_updated_by_team_id": ws.team_id,
        "shortcut_id": None,
        "app_id": ws.app_id,
    }
    channel.bookmarks.append(bookmark)
    return {"bookmark": bookmark}


METHODS = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "pins.add": pins_add,
    "reactions.add": reactions_add,
    "bookmarks.add": bookmarks_add,
}
