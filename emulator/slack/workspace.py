"""The mutable state of one emulated Slack workspace, plus lookups shared by the method handlers."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .errors import SlackError
from .models import (
    Call,
    Channel,
    Ephemeral,
    File,
    Message,
    OpenedView,
    ResponseUrl,
    Trigger,
    User,
    Usergroup,
)

if TYPE_CHECKING:
    from .validation import BlockChecker


def ts_key(ts: str) -> int:
    """A Slack ``ts`` ("1732363462.000100") as integer microseconds, for exact comparisons."""
    seconds, _, frac = str(ts).partition(".")
    if not seconds.isdigit() or (frac and not frac.isdigit()):
        raise ValueError(f"bad ts: {ts!r}")
    return int(seconds) * 1_000_000 + int((frac + "000000")[:6])


class Workspace:
    """Users, channels, messages, views and files of the emulated team, and every recorded call."""

    def __init__(
        self,
        *,
        team_id: str,
        team_domain: str,
        bot_user_id: str,
        bot_name: str,
        checker: BlockChecker,
        strict_triggers: bool = True,
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.team_name = team_domain.capitalize()
        self.bot_user_id = bot_user_id
        self.bot_id = "B0EMULATOR"
        self.app_id = "A0EMULATOR"
        self.checker = checker
        self.strict_triggers = strict_triggers
        self.trigger_ttl = 3.0
        self.origin = ""
        self.scopes: set[str] = set()
        self.users: dict[str, User] = {
            bot_user_id: User(bot_user_id, bot_name, real_name=bot_name, is_bot=True)
        }
        self.usergroups: dict[str, Usergroup] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.responses: list[tuple[str, dict]] = []
        self.views: dict[str, dict] = {}
        self.opened_views: list[OpenedView] = []
        self.home_views: dict[str, dict] = {}
        self.files: dict[str, File] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.calls: list[Call] = []
        self._counters: dict[str, int] = {}
        self._last_ts_us = 0

    # --- ids and timestamps -------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """Deterministic Slack-looking ids: ``CEMU00001``, ``VEMU00002`` ..."""
        while True:
            self._counters[prefix] = self._counters.get(prefix, 0) + 1
            candidate = f"{prefix}EMU{self._counters[prefix]:05d}"
            if candidate not in self.channels and candidate not in self.views and candidate not in self.files:
                return candidate

    def new_ts(self) -> str:
        """A message timestamp, strictly increasing within this workspace."""
        now_us = int(time.time() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    # --- channels -----------------------------------------------------------------------------------
    def find_channel(self, ref: str) -> Channel | None:
        """A channel by id, by name or by ``#name``; archived channels included."""
        if not isinstance(ref, str):
            return None
        if ref in self.channels:
            return self.channels[ref]
        name = ref[1:] if ref.startswith("#") else ref
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def channel(self, ref: str | None) -> Channel:
        """A channel the bot can see (private ones only as a member), else ``channel_not_found``."""
        found = self.find_channel(ref) if ref else None
        if found is None or (found.is_private and self.bot_user_id not in found.members):
            raise SlackError("channel_not_found")
        return found

    def target_channel(self, ref: str | None) -> Channel:
        """Like :meth:`channel`, but a user id opens (or reuses) the bot's DM with that user."""
        if isinstance(ref, str) and ref[:1] in ("U", "W") and ref in self.users:
            return self.dm_channel(ref)
        return self.channel(ref)

    def dm_channel(self, user_id: str) -> Channel:
        for existing in self.channels.values():
            if existing.is_im and existing.members == {self.bot_user_id, user_id}:
                return existing
        channel_id = self.new_id("D")
        dm = Channel(
            channel_id,
            user_id,
            is_private=True,
            members={self.bot_user_id, user_id},
            created_by=self.bot_user_id,
            created=int(time.time()),
            is_im=True,
        )
        self.channels[channel_id] = dm
        self.messages[channel_id] = []
        return dm

    def require_member(self, channel: Channel) -> None:
        if self.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")

    def require_postable(self, channel: Channel) -> None:
        """Posting needs membership (or ``chat:write.public`` for public channels) and a live channel."""
        if channel.is_archived:
            raise SlackError("is_archived")
        public_write = not channel.is_private and "chat:write.public" in self.scopes
        if not public_write:
            self.require_member(channel)

    # --- messages -----------------------------------------------------------------------------------
    def channel_messages(self, channel_id: str) -> list[Message]:
        return self.messages.setdefault(channel_id, [])

    def add_message(self, message: Message) -> Message:
        items = self.channel_messages(message.channel)
        items.append(message)
        items.sort(key=lambda m: ts_key(m.ts))
        return message

    def find_message(self, channel_id: str, ts: str | None) -> Message | None:
        return next((m for m in self.channel_messages(channel_id) if m.ts == ts), None)

    def message(self, channel_id: str, ts: str | None) -> Message:
        found = self.find_message(channel_id, ts)
        if found is None:
            raise SlackError("message_not_found")
        return found

    def replies(self, channel_id: str, parent_ts: str) -> list[Message]:
        return [m for m in self.channel_messages(channel_id) if m.is_reply and m.thread_ts == parent_ts]

    # --- users --------------------------------------------------------------------------------------
    def user(self, user_id: str | None) -> User:
        if not isinstance(user_id, str) or user_id not in self.users:
            raise SlackError("user_not_found")
        return self.users[user_id]

    def display_name(self, user_id: str) -> str:
        user = self.users.get(user_id)
        return user.name if user else user_id
