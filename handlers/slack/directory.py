"""Who a Slack user is (the verified e-mail of a full member), channel membership, and which
channel of a name the bot created itself.

An e-mail links identities only for a full member of our own workspace: never a guest
(`is_restricted`, `is_ultra_restricted`), a user of another team reached through Slack
Connect (`is_stranger`, or another `team_id`), a bot, a deactivated account, or an address
Slack has not confirmed. Without the `users:read.email` scope Slack leaves the address out,
and the person stays unlinked.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from cachetools import TTLCache

from bot.chat.ports import ChannelRef
from bot.errors import NameTaken, PlatformError
from bot.publishing.retry import is_retryable

log = logging.getLogger(__name__)
MEMBERS_CACHE_SECONDS = 30
CHANNELS_REMEMBERED = 2_000  # channels whose member lists are kept; least recently used forgotten
ANSWERS = frozenset({"user_not_found", "missing_scope", "account_inactive"})  # Slack's definite "no"
Call = Callable[..., Awaitable[dict[str, Any]]]
OWN_CHANNEL_PAGES = 10  # users.conversations pages of 200: the bot's unarchived channels


def full_member(user: dict[str, Any], team_id: str) -> bool:
    """A person of our own workspace: not a guest, a Slack Connect user, a bot or deactivated."""
    outsider = any(user.get(flag) for flag in ("is_restricted", "is_ultra_restricted", "is_stranger"))
    if outsider or user.get("is_bot") or user.get("deleted"):
        return False
    return bool(team_id) and user.get("team_id") == team_id


def full_member_email(user: dict[str, Any], team_id: str) -> str | None:
    if not full_member(user, team_id) or user.get("is_email_confirmed") is False:
        return None
    email = str((user.get("profile") or {}).get("email") or "").strip().lower()
    return email if "@" in email else None


class SlackDirectory:
    def __init__(self, call: Call, team_id: Callable[[], Awaitable[str]]) -> None:
        self.call = call
        self.team_id = team_id
        self._members: TTLCache[str, frozenset[str]] = TTLCache(CHANNELS_REMEMBERED, MEMBERS_CACHE_SECONDS)

    async def verified_email(self, user_id: str) -> str | None:
        """None when Slack says no (no such user, no scope); `PlatformError` when it could not say."""
        try:
            user = await self._user(user_id)
        except PlatformError as error:
            if error.code not in ANSWERS:
                raise
            log.info("no verified e-mail for a Slack user (%s)", error.code)
            return None
        team_id = await self.team_id()
        if not team_id:
            raise PlatformError("Look up a person", "team_unknown", "auth.test did not answer; try again.")
        return full_member_email(user, team_id)

    async def display_name(self, user_id: str) -> str | None:
        """The profile's full name, else its display name; None when Slack says no such user."""
        try:
            user = await self._user(user_id)
        except PlatformError as error:
            if error.code not in ANSWERS:
                raise
            return None
        profile = user.get("profile") or {}
        return profile.get("real_name") or profile.get("display_name") or user.get("name") or None

    async def in_channel(self, channel_id: str, user_id: str) -> bool:
        """A full member of our workspace in the channel now: a guest or a Slack Connect user in
        it holds no incident role (a failed lookup: no)."""
        return await self._listed(channel_id, user_id) and await self._full_member(user_id)

    async def shared_outside(self, channel_id: str) -> bool:
        """Slack Connect (shared with another organisation, or about to be); unknown: shared."""
        try:
            data = await self.call("Look up a channel", "conversations.info", channel=channel_id)
            team_id = await self.team_id()
        except PlatformError:
            return True
        channel = data.get("channel") or {}
        others = set(channel.get("shared_team_ids") or []) - {team_id}
        flags = ("is_ext_shared", "is_pending_ext_shared", "is_shared")
        return not team_id or bool(others) or any(channel.get(f) for f in flags)

    async def _full_member(self, user_id: str) -> bool:
        try:
            return full_member(await self._user(user_id), await self.team_id())
        except PlatformError:
            return False

    async def _user(self, user_id: str) -> dict[str, Any]:
        """`users.info`'s user, asked fresh each time: an account turned guest loses its roles at once."""
        data = await self.call("Look up a person", "users.info", user=user_id)
        return data.get("user") or {}

    async def _listed(self, channel_id: str, user_id: str) -> bool:
        if (members := self._members.get(channel_id)) is None:
            members = self._members[channel_id] = await self._fetch_members(channel_id)
        return user_id in members

    async def _fetch_members(self, channel_id: str) -> frozenset[str]:
        members: set[str] = set()
        cursor = ""
        while True:
            args: dict[str, Any] = {"channel": channel_id, "limit": 1000}
            if cursor:
                args["cursor"] = cursor
            try:
                data = await self.call("Look up channel members", "conversations.members", **args)
            except PlatformError:
                return frozenset(members)  # what we could read; a refusal means nobody is known
            members.update(data.get("members") or [])
            cursor = (data.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return frozenset(members)

    async def adopt(self, name: str, failed: PlatformError, bot_user_id: str, since: float) -> ChannelRef:
        """After `failed` (a `name_taken`, or an answer that may hide a created channel): the
        channel `name` if the bot created it since `since` (an earlier create that landed).

        Otherwise `NameTaken` (someone else's channel: the caller tries the next name) or
        `failed` itself. A lookup that fails for a while raises: a `-2` channel could be a copy.
        """
        try:
            found = await self.own_channel(name, bot_user_id, created_after=since)
        except PlatformError as error:
            if is_retryable(error.code):
                raise
            log.warning("cannot list the bot's channels (%s); #%s counts as taken", error.code, name)
            found = None
        if found is not None:
            log.info("channel #%s was created by an earlier attempt; using it", name)
            return ChannelRef(id=found["id"], name=found["name"])
        if failed.code == "name_taken":
            raise NameTaken(failed.step, failed.code) from None
        raise failed

    async def own_channel(
        self, name: str, bot_user_id: str, *, created_after: float
    ) -> dict[str, Any] | None:
        """The unarchived channel `name` among the bot's own, created by the bot after `created_after`."""
        cursor = ""
        for _page in range(OWN_CHANNEL_PAGES):
            args: dict[str, Any] = {"types": "public_channel,private_channel", "exclude_archived": True}
            data = await self.call(
                "Find the incident channel", "users.conversations", limit=200, **args, **_cursor(cursor)
            )
            for channel in data.get("channels") or []:
                mine = bool(bot_user_id) and channel.get("creator") == bot_user_id
                recent = float(channel.get("created") or 0) >= created_after
                if channel.get("name") == name and mine and recent:
                    return channel
            cursor = (data.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return None
        return None


def _cursor(cursor: str) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}
