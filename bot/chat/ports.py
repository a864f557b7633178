"""What the core needs from a chat platform. Slack and Teams adapters implement it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.chat.cards import Card


@dataclass(frozen=True)
class ChannelRef:
    id: str
    name: str


@dataclass(frozen=True)
class MessageRef:
    channel_id: str
    message_id: str  # Slack ts, Teams activity id


class ChatPlatform(Protocol):
    """Every method raises `bot.errors.PlatformError` when the platform finally refuses."""

    async def create_channel(self, name: str, *, private: bool) -> ChannelRef:
        """Create a channel; raise `NameTaken` when the name is in use."""

    async def invite(self, channel_id: str, user_ids: Sequence[str]) -> None: ...

    async def group_members(self, group: str) -> list[str]:
        """Members of a user group given by handle or id."""

    async def aliases(self, user_id: str) -> frozenset[str]:
        """Every id the user is known by, `user_id` included (Teams: object id and UPN)."""

    async def verified_email(self, user_id: str) -> str | None:
        """The e-mail of a full member of our own workspace or tenant, lowercased; None for guests,
        people of another organisation, bots, or when the platform will not say. Raises
        `PlatformError` when it could not answer (rate limits, outages): that is no answer."""

    async def display_name(self, user_id: str) -> str | None:
        """The name the platform shows for the user (their profile's); None when it will not say."""

    async def in_channel(self, channel_id: str, user_id: str) -> bool:
        """Whether the user is a member of the channel now."""

    async def shared_outside(self, channel_id: str) -> bool:
        """Whether people of another organisation can read the channel (unknown: True)."""

    async def set_topic(self, channel_id: str, topic: str) -> None: ...

    async def set_purpose(self, channel_id: str, purpose: str) -> None: ...

    async def archive_channel(self, channel_id: str) -> None:
        """Archive a channel; one already archived is not an error."""

    async def post(
        self, channel_id: str, card: Card, *, marker: str | None = None, thread: str | None = None
    ) -> MessageRef:
        """Post a card; `marker` is stored with the message (invisibly) for `find_marked`;
        `thread`: a reply to that message, where the platform threads (Slack; Teams posts anew)."""

    async def find_marked(self, channel_id: str, marker: str, *, since: datetime) -> MessageRef | None:
        """The message posted with `marker` in the channel since `since`, if any (reconciliation)."""

    async def update(self, ref: MessageRef, card: Card) -> None: ...

    async def pin(self, ref: MessageRef) -> None: ...

    async def message_link(self, ref: MessageRef) -> str:
        """A link that opens the message for anyone who may see it."""

    async def tell_user(self, user_id: str, card: Card, *, reply_url: str | None = None) -> None:
        """A private note to one user: via `reply_url` (e.g. a slash command's) when given, else a DM."""

    async def upload_file(
        self, channel_id: str, filename: str, content: str, *, title: str, comment: str = ""
    ) -> None:
        """Share a text file in the channel; `comment` (neutral Markdown) is posted with it."""
