"""views.open, views.push, views.update, views.publish (modals and the App Home tab)."""

from __future__ import annotations

import time
from typing import Any

from .args import truthy
from .errors import SlackError
from .models import OpenedView, Trigger
from .workspace import Workspace

MAX_STACK = 3


def _trigger(ws: Workspace, args: dict[str, Any]) -> Trigger | None:
    """The trigger of a views.open/push call; with ``strict_triggers`` it must be issued, fresh, unused."""
    trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
    trigger = ws.triggers.get(str(trigger_id))
    if not ws.strict_triggers:
        return trigger
    if trigger is None:
        raise SlackError("invalid_trigger_id")
    if trigger.used or time.monotonic() - trigger.issued_at > ws.trigger_ttl:
        raise SlackError("expired_trigger_id")
    return trigger


def _check_external_id(ws: Workspace, view: dict[str, Any], view_id: str | None) -> None:
    external_id = view.get("external_id")
    if not external_id:
        return
    for other in ws.views.values():
        if other.get("external_id") == external_id and other["id"] != view_id:
            raise SlackError("duplicate_external_id")


def _stored(
    ws: Workspace, view: dict[str, Any], view_id: str, *, root: str | None, previous: str | None
) -> dict:
    """The view as Slack returns it: the payload plus id, hash, state and bookkeeping fields."""
    stored: dict[str, Any] = {
        "id": view_id,
        "team_id": ws.team_id,
        "type": view["type"],
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{ws.new_id('H')[4:]}",
        "clear_on_close": truthy(view.get("clear_on_close")),
        "notify_on_close": truthy(view.get("notify_on_close")),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "root_view_id": root or view_id,
        "previous_view_id": previous,
        "app_id": ws.app_id,
        "bot_id": ws.bot_id,
    }
    if view["type"] == "modal":
        stored["title"] = view.get("title")
        stored["submit_disabled"] = truthy(view.get("submit_disabled"))
    return stored


def _depth(ws: Workspace, view_id: str | None) -> int:
    depth = 0
    while view_id and view_id in ws.views and depth <= MAX_STACK:
        depth += 1
        view_id = ws.views[view_id].get("previous_view_id")
    return depth


def _open(ws: Workspace, args: dict[str, Any], *, push: bool) -> dict[str, Any]:
    trigger = _trigger(ws, args)
    view = ws.checker.require_view(args.get("view"), "modal")
    _check_external_id(ws, view, None)
    user = trigger.user if trigger else None
    below = None
    if push:
        candidates = [o for o in ws.opened_views if user is None or o.user == user]
        below = ws.views.get(candidates[-1].view_id) if candidates else None
        if below is not None and _depth(ws, below["id"]) >= MAX_STACK:
            raise SlackError("push_limit_reached")
    if trigger is not None:
        trigger.used = True
    view_id = ws.new_id("V")
    root = below["root_view_id"] if below else None
    stored = _stored(ws, view, view_id, root=root, previous=below["id"] if below else None)
    ws.views[view_id] = stored
    ws.opened_views.append(
        OpenedView(view_id, trigger.id if trigger else args.get("trigger_id"), user, stored)
    )
    return {"view": stored}


def views_open(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return _open(ws, args, push=False)


def views_push(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return _open(ws, args, push=True)


def views_update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = args.get("view_id"), args.get("external_id")
    if view_id:
        current = ws.views.get(str(view_id))
    else:
        current = next((v for v in ws.views.values() if v.get("external_id") == external_id), None)
    if current is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    view = ws.checker.require_view(args.get("view"), current["type"])
    _check_external_id(ws, view, current["id"])
    stored = _stored(
        ws, view, current["id"], root=current["root_view_id"], previous=current["previous_view_id"]
    )
    ws.views[current["id"]] = stored
    for opened in ws.opened_views:
        if opened.view_id == current["id"]:
            opened.view = stored
    for user_id, home in list(ws.home_views.items()):
        if home["id"] == current["id"]:
            ws.home_views[user_id] = stored
    return {"view": stored}


def views_publish(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = ws.user(args.get("user_id"))
    view = ws.checker.require_view(args.get("view"), "home")
    current = ws.home_views.get(user.id)
    if args.get("hash") and current is not None and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    view_id = current["id"] if current else ws.new_id("V")
    _check_external_id(ws, view, view_id)
    stored = _stored(ws, view, view_id, root=None, previous=None)
    ws.views[view_id] = stored
    ws.home_views[user.id] = stored
    return {"view": stored}


METHODS = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
