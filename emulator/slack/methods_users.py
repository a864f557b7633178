"""auth.test, team.info, users.info, users.lookupByEmail, usergroups.list, usergroups.users.list."""

from __future__ import annotations

from typing import Any

from .args import truthy
from .errors import SlackError
from .serialize import user_obj, usergroup_obj
from .workspace import Workspace


def auth_test(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.display_name(ws.bot_user_id),
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def team_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    team = args.get("team")
    if team and team != ws.team_id:
        raise SlackError("team_not_found")
    return {
        "team": {
            "id": ws.team_id,
            "name": ws.team_name,
            "domain": ws.team_domain,
            "email_domain": f"{ws.team_domain}.example.com",
            "icon": {"image_default": True},
        }
    }


def users_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"user": user_obj(ws, ws.user(args.get("user")))}


def users_lookup_by_email(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    email = str(args.get("email", "")).strip().lower()
    for user in ws.users.values():
        if user.email and user.email.lower() == email:
            return {"user": user_obj(ws, user)}
    raise SlackError("users_not_found")


def usergroups_list(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    include_users = truthy(args.get("include_users"))
    return {"usergroups": [usergroup_obj(ws, g, include_users=include_users) for g in ws.usergroups.values()]}


def usergroups_users_list(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    group = ws.usergroups.get(str(args.get("usergroup")))
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group.members)}


METHODS = {
    "auth.test": auth_test,
    "team.info": team_info,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "usergroups.list": usergroups_list,
    "usergroups.users.list": usergroups_users_list,
}
