"""Built-in description of every emulated Web API method.

Used as is when the public spec files are absent; when they exist, ``method_specs`` overlays the spec's
required args, scopes, argument types and ``arg_groups`` on top of this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ArgGroup:
    """``required``: at least one of ``args`` must be given; ``exclusive``: at most one may be given."""

    args: tuple[str, ...]
    required: bool
    exclusive: bool


@dataclass(frozen=True)
class MethodSpec:
    name: str
    required: tuple[str, ...]
    bot_scopes: tuple[str, ...]
    arg_groups: tuple[ArgGroup, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict)  # docs.slack.dev ``args.properties``
    from_specs: bool = False
    json_input: bool = True  # False: Slack ignores a JSON body for this method (send form fields)


_TEXT_GROUPS = (
    ArgGroup(("attachments", "blocks", "text", "markdown_text"), required=True, exclusive=False),
    ArgGroup(("text", "markdown_text"), required=False, exclusive=True),
)
_TRIGGER_GROUP = (ArgGroup(("trigger_id", "interactivity_pointer"), required=True, exclusive=True),)
_VIEW_REF_GROUP = (ArgGroup(("external_id", "view_id"), required=True, exclusive=True),)
_MANAGE = ("channels:manage", "groups:write")
_READ = ("channels:read", "groups:read")

_TABLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[ArgGroup, ...]]] = {
    "auth.test": ((), (), ()),
    "team.info": ((), ("team:read",), ()),
    "bookmarks.add": (("title", "type"), ("bookmarks:write",), ()),
    "chat.postMessage": (("channel",), ("chat:write",), _TEXT_GROUPS),
    "chat.update": (("channel", "ts"), ("chat:write",), _TEXT_GROUPS),
    "chat.postEphemeral": (("channel", "user"), ("chat:write",), _TEXT_GROUPS),
    "chat.delete": (("channel", "ts"), ("chat:write",), ()),
    "chat.getPermalink": (("channel", "message_ts"), (), ()),
    "conversations.create": (("name",), _MANAGE, ()),
    "conversations.invite": (("channel", "users"), _MANAGE, ()),
    "conversations.join": (("channel",), ("channels:join",), ()),
    "conversations.info": (("channel",), _READ, ()),
    "conversations.history": (("channel",), ("channels:history", "groups:history"), ()),
    "conversations.members": (("channel",), _READ, ()),
    "conversations.setTopic": (("channel", "topic"), _MANAGE, ()),
    "conversations.setPurpose": (("channel", "purpose"), _MANAGE, ()),
    "conversations.archive": (("channel",), _MANAGE, ()),
    "pins.add": (("channel",), ("pins:write",), ()),
    "reactions.add": (("channel", "name", "timestamp"), ("reactions:write",), ()),
    "usergroups.list": ((), ("usergroups:read",), ()),
    "usergroups.users.list": (("usergroup",), ("usergroups:read",), ()),
    "users.info": (("user",), ("users:read",), ()),
    "users.lookupByEmail": (("email",), ("users:read.email",), ()),
    "users.conversations": ((), _READ, ()),
    "views.open": (("view",), (), _TRIGGER_GROUP),
    "views.push": (("view",), (), _TRIGGER_GROUP),
    "views.update": (("view",), (), _VIEW_REF_GROUP),
    "views.publish": (("user_id", "view"), (), ()),
    "files.getUploadURLExternal": (("filename", "length"), ("files:write",), ()),
    "files.completeUploadExternal": (("files",), ("files:write",), ()),
}

BUILTIN_SPECS: dict[str, MethodSpec] = {
    name: MethodSpec(name, required, scopes, groups) for name, (required, scopes, groups) in _TABLE.items()
}

# Scopes a modern (granular) bot token cannot hold although the scraped docs list them under ``bot``.
LEGACY_SCOPES = frozenset({"channels:write"})

# Argument names decoded from JSON strings (form posts send them encoded).
JSON_ARGS = frozenset({"blocks", "attachments", "metadata", "view", "files", "unfurled_attachments"})
BOOL_ARGS = frozenset(
    {
        "as_user",
        "exclude_archived",
        "force",
        "include_all_metadata",
        "include_count",
        "include_disabled",
        "include_locale",
        "include_num_members",
        "include_users",
        "inclusive",
        "is_private",
        "link_names",
        "mrkdwn",
        "reply_broadcast",
        "unfurl_links",
        "unfurl_media",
    }
)
INT_ARGS = frozenset({"limit", "length"})

# Error code Slack answers when a required argument is missing (default: invalid_arguments).
MISSING_ARG_ERRORS = {
    "channel": "channel_not_found",
    "name": "invalid_name_required",
    "ts": "message_not_found",
    "message_ts": "message_not_found",
    "timestamp": "no_item_specified",
    "user": "user_not_found",
    "users": "no_user",
    "email": "users_not_found",
    "usergroup": "no_such_subteam",
}
