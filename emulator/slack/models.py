"""State records of the emulated workspace (what tests inspect)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    id: str
    name: str
    real_name: str | None = None
    email: str | None = None
    is_bot: bool = False
    deleted: bool = False
    guest: str = ""  # "" = a full member; "multi" (is_restricted) or "single" (is_ultra_restricted)
    team_id: str | None = None  # another organisation's team (Slack Connect); None = this workspace


@dataclass
class Usergroup:
    id: str
    handle: str
    members: list[str]
    name: str = ""
    description: str = ""


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    is_archived: bool = False
    topic: str = ""
    purpose: str = ""
    members: set[str] = field(default_factory=set)
    created_by: str = ""
    created: int = 0
    is_im: bool = False
    bookmarks: list[dict[str, Any]] = field(default_factory=list)
    ext_shared: bool = False  # a Slack Connect channel, shared with another organisation


@dataclass
class Message:
    ts: str
    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    edited: bool = False
    pinned: bool = False
    attachments: list[dict[str, Any]] | None = None
    files: list[str] = field(default_factory=list)
    reactions: dict[str, list[str]] = field(default_factory=dict)
    username: str | None = None
    reply_broadcast: bool = False
    edited_ts: str | None = None

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts


@dataclass
class Ephemeral:
    channel: str | None
    user: str | None
    text: str
    blocks: list[dict[str, Any]] | None
    via: str  # "chat.postEphemeral" or "response_url"
    ts: str = ""
    thread_ts: str | None = None


@dataclass
class OpenedView:
    view_id: str
    trigger_id: str | None
    user: str | None
    view: dict[str, Any]


@dataclass
class File:
    id: str
    title: str
    filename: str
    content: bytes = b""
    channels: list[str] = field(default_factory=list)
    length: int = 0
    uploaded: bool = False
    completed: bool = False
    created: int = 0


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    at: float
    status: int
    unknown_args: tuple[str, ...] = ()


@dataclass
class Trigger:
    id: str
    issued_at: float  # time.monotonic()
    user: str | None
    used: bool = False


@dataclass
class ResponseUrl:
    id: str
    url: str
    channel: str | None
    user: str | None
    message_ts: str | None
    issued_at: float  # time.monotonic()
    uses: int = 0
