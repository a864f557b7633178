"""`ChatPlatform` over the Bot Connector, through the Teams SDK's API client.

Conversations are known to the core by short keys (`conversations.py`); users by
`msteams:<Entra object id>`. Without Microsoft Graph, a bot
can post, edit and open 1:1 chats, but not create channels, invite people, set topics,
pin or search history: those steps are no-ops or answer with a `PlatformError` that says
what is missing, so the core records the incident and tells the reporter.

Reconciliation (`find_marked`): a post with a marker (`outbox:<id>`) carries it as the id of
its card's first element, which Graph returns with the message (`attachments[].content`);
with Graph configured, channels of the incident team and group chats are searched for it.
Personal chats, and any conversation without Graph, cannot be searched: the outbox posts again.
Every connector call gives up after `call_timeout`; timeouts and transport errors become the
retryable codes `timeout` and `connection_error`, which the outbox treats as "may have landed".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx
from microsoft_teams.api import Account, ApiClient, ConversationAccount, MessageActivityInput
from microsoft_teams.api.clients.conversation.params import CreateConversationParams

from bot.chat.cards import Card, CardAction
from bot.chat.ports import ChannelRef, MessageRef
from bot.errors import PlatformError
from bot.publishing.retry import is_retryable
from handlers.teams.cards import ADAPTIVE_CARD, adaptive_card, message
from handlers.teams.conversations import ConversationRef, Conversations
from handlers.teams.members import Members
from handlers.teams.text import mentioned_ids, raw_id

if TYPE_CHECKING:
    from handlers.teams.graph import GraphChannels

log = logging.getLogger(__name__)
T = TypeVar("T")
RATE_LIMIT_RETRIES = 3
CALL_TIMEOUT = 20.0  # seconds per connector call (the SDK's own client has no timeout)
MAX_RETRY_AFTER = 30.0  # seconds; a longer wait fails the step (the outbox retries it later)
NOT_ARCHIVED = "The incident ran in a conversation it shares with others; nothing was archived."
NO_GRAPH = "Teams channels, invitations, topics and pins need Microsoft Graph, which is not configured."


class TeamsGateway:
    def __init__(
        self,
        api: ApiClient,
        conversations: Conversations,
        bot_id: str,
        tenant_id: str | None,
        actions: Collection[CardAction] = (),
        members: Members | None = None,
        graph: GraphChannels | None = None,
    ) -> None:
        self.api = api
        self.conversations = conversations
        self.bot_id = bot_id
        self.tenant_id = tenant_id
        self.actions = frozenset(actions)  # card buttons the Teams handlers answer
        self.members = members  # object ids, UPNs and display names (`members.py`)
        self.graph = graph  # incident channels in the configured team (`channels.py`)
        self.call_timeout = CALL_TIMEOUT

    async def names(self, card: Card) -> dict[str, str]:
        """Display names of the known Teams users the card mentions (fetched before rendering)."""
        texts = (card.summary, card.title or "", card.body, card.context)
        texts += tuple(f.value for f in card.fields) + tuple(i.text for i in card.items)
        ids = set().union(*(mentioned_ids(t) for t in texts))
        return await self.members.names(ids) if self.members and ids else {}

    async def adaptive(self, card: Card) -> dict[str, Any]:
        """The Adaptive Card for `card` with names in its mentions (e.g. an invoke's answer)."""
        return adaptive_card(card, actions=self.actions, names=await self.names(card))

    async def canonical(self, user_id: str, conversation_key: str) -> str:
        """A person typed as `msteams:<upn>` as their object id when known (what their clicks carry)."""
        if self.members is None:
            return user_id
        try:
            conversation: ConversationRef | None = await self.conversations.lookup(conversation_key)
        except PlatformError:
            conversation = None  # only what is stored is used
        return await self.members.canonical(user_id, conversation)

    async def aliases(self, user_id: str) -> frozenset[str]:
        return await self.members.aliases(user_id) if self.members else frozenset({user_id})

    async def verified_email(self, user_id: str) -> str | None:
        """The UPN of a member of our tenant (never a guest's), as the connector last described them."""
        member = await self.members.find(raw_id(user_id)) if self.members else None
        if member is None or member.guest or "@" not in member.upn or "#ext#" in member.upn:
            return None
        return member.upn

    async def display_name(self, user_id: str) -> str | None:
        member = await self.members.find(raw_id(user_id)) if self.members else None
        return member.name if member is not None and member.name else None

    async def shared_outside(self, channel_id: str) -> bool:
        """A conversation of another tenant than ours (or one we cannot look up)."""
        try:
            conversation = await self.conversations.lookup(channel_id)
        except PlatformError:
            return True
        return bool(self.tenant_id and conversation.tenant_id and conversation.tenant_id != self.tenant_id)

    async def in_channel(self, channel_id: str, user_id: str) -> bool:
        if self.members is None:
            return False
        try:
            conversation = await self.conversations.lookup(channel_id)
        except PlatformError:
            return False
        return await self.members.present(conversation, await self.members.object_id(user_id))

    async def _activity(self, card: Card) -> MessageActivityInput:
        names = await self.names(card)
        activity = MessageActivityInput.model_validate(message(card, actions=self.actions, names=names))
        activity.from_ = Account(id=self.bot_id)
        return activity

    async def post(
        self, channel_id: str, card: Card, *, marker: str | None = None, thread: str | None = None
    ) -> MessageRef:
        """`thread` is not used: a reminder repeat is a message of its own on Teams."""
        activity = await self._activity(card)
        if marker:
            _mark(activity, marker)
        return await self._send(channel_id, activity)

    async def post_adaptive(self, channel_id: str, content: dict[str, Any], summary: str) -> MessageRef:
        """A Teams-only card (e.g. the button that opens a dialog), built by the adapter."""
        return await self.post_attachment(
            channel_id, {"contentType": ADAPTIVE_CARD, "content": content}, summary
        )

    async def post_attachment(
        self, channel_id: str, attachment: dict[str, Any], summary: str, text: str = ""
    ) -> MessageRef:
        """A message carrying one attachment built by the adapter (a card, a file consent card)."""
        fields = {"type": "message", "summary": summary[:300], "attachments": [attachment]}
        activity = MessageActivityInput.model_validate({**fields, **({"text": text} if text else {})})
        activity.from_ = Account(id=self.bot_id)
        return await self._send(channel_id, activity)

    async def _send(self, channel_id: str, activity: MessageActivityInput) -> MessageRef:
        ref = await self.conversations.lookup(channel_id)
        activity.conversation = ConversationAccount(id=ref.conversation_id)
        sent = await _call(
            "Post a message",
            lambda: self.api.conversations.create_activity(
                ref.conversation_id, activity, service_url=ref.service_url
            ),
            self.call_timeout,
        )
        return MessageRef(channel_id, sent.id or "")

    async def update(self, ref: MessageRef, card: Card) -> None:
        conversation = await self.conversations.lookup(ref.channel_id)
        activity = await self._activity(card)
        activity.conversation = ConversationAccount(id=conversation.conversation_id)
        activity.id = ref.message_id
        await _call(
            "Update a message",
            lambda: self.api.conversations.update_activity(
                conversation.conversation_id, ref.message_id, activity, service_url=conversation.service_url
            ),
            self.call_timeout,
        )

    async def tell_user(self, user_id: str, card: Card, *, reply_url: str | None = None) -> None:
        """`reply_url` is the conversation the request came from; else a 1:1 chat is opened."""
        await self.post(reply_url or await self.open_personal_chat(user_id), card)

    async def open_personal_chat(self, user_id: str) -> str:
        """The core key of the user's 1:1 chat with the bot, opened (or found) proactively."""
        user = await self.members.object_id(user_id) if self.members else raw_id(user_id)  # UPN known?
        params = CreateConversationParams(
            members=[Account(id=user, aad_object_id=user)], tenant_id=self.tenant_id
        )
        created = await _call("Open a chat", lambda: self.api.conversations.create(params), self.call_timeout)
        return await self.conversations.remember(
            ConversationRef(created.id, self.api.service_url, self.tenant_id, "personal")
        )

    async def create_channel(self, name: str, *, private: bool) -> ChannelRef:
        raise PlatformError("Create channel", "graph_not_configured", NO_GRAPH)

    async def invite(self, channel_id: str, user_ids: Sequence[str]) -> None:
        return None  # members of the conversation already see it; adding people needs Graph

    async def group_members(self, group: str) -> list[str]:
        return []

    async def set_topic(self, channel_id: str, topic: str) -> None:
        return None  # Teams conversations have no topic a bot can set

    async def set_purpose(self, channel_id: str, purpose: str) -> None:
        return None

    async def archive_channel(self, channel_id: str) -> None:
        """An incident's own Graph channel is archived; one that ran in a shared thread or chat
        has no channel of its own, which is said rather than recorded as archived."""
        ref = await self.conversations.lookup(channel_id)
        if self.graph is None or ref.kind != "channel" or ";" in ref.conversation_id:
            raise PlatformError("Archive channel", "not_its_own_channel", NOT_ARCHIVED)
        await self.graph.archive(ref.conversation_id)

    async def pin(self, ref: MessageRef) -> None:
        return None  # bots cannot pin in Teams

    async def find_marked(self, channel_id: str, marker: str, *, since: datetime) -> MessageRef | None:
        """The copy posted with `marker`, through Graph; None when none is found or none can be looked
        for (no Graph, a personal chat, a channel outside the incident team, no permission).

        Raises the lookup's `PlatformError` when Graph had a bad moment (`graph_429`, `graph_5xx`,
        `graph_timeout`, `graph_connection_error`), so the outbox tries again later."""
        conversation = await self.conversations.lookup(channel_id)
        path = (
            self.graph.messages_path(conversation.conversation_id, conversation.kind) if self.graph else None
        )
        if self.graph is None or path is None:
            log.info("cannot look for %s in %s (no Graph lookup for it); posting again", marker, channel_id)
            return None
        try:
            found = await self.graph.find_marked(path, marker, since=since)
        except PlatformError as error:
            if is_retryable(error.code):
                raise
            log.warning("cannot read %s through Graph (%s); posting %s again", channel_id, error.code, marker)
            return None
        return MessageRef(channel_id, found) if found else None

    async def message_link(self, ref: MessageRef) -> str:
        conversation = (await self.conversations.lookup(ref.channel_id)).conversation_id.split(";", 1)[0]
        return f"https://teams.microsoft.com/l/message/{quote(conversation)}/{quote(ref.message_id)}"

    async def upload_file(
        self, channel_id: str, filename: str, content: str, *, title: str, comment: str = ""
    ) -> None:
        raise PlatformError("Share a file", "not_supported", "Files in Teams need Graph and SharePoint.")


def _mark(activity: MessageActivityInput, marker: str) -> None:
    """Put `marker` in the activity's card as an element id: invisible, kept by Teams, read by Graph."""
    for attachment in activity.attachments or []:
        content = attachment.content
        if attachment.content_type != ADAPTIVE_CARD or not isinstance(content, dict):
            continue
        body = content.setdefault("body", [])
        if body and isinstance(body[0], dict) and "id" not in body[0]:
            body[0]["id"] = marker
        else:
            body.append({"type": "TextBlock", "id": marker, "text": " ", "isVisible": False})
        return


async def _call(step: str, request: Callable[[], Awaitable[T]], timeout: float = CALL_TIMEOUT) -> T:
    """One connector call; a 429 is retried after its `Retry-After` (capped), a few times.

    Each try gives up after `timeout`; a timeout or transport error (the request may have been
    stored) becomes `timeout` / `connection_error`, a 5xx `http_5xx`: all retried by the outbox."""
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        try:
            async with asyncio.timeout(timeout):
                return await request()
        except httpx.HTTPStatusError as error:
            if error.response.status_code != 429 or attempt == RATE_LIMIT_RETRIES:
                raise _platform_error(step, error) from error
            await asyncio.sleep(_retry_after(error.response))
        except Exception as error:
            raise _platform_error(step, error) from error
    raise AssertionError("unreachable")


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "1")), MAX_RETRY_AFTER)
    except ValueError:
        return 1.0


def _platform_error(step: str, error: Exception) -> PlatformError:
    status: Any = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        code = "timeout"
    elif isinstance(error, httpx.TransportError):
        code = "connection_error"
    else:
        code = f"http_{status}" if status else type(error).__name__
    log.warning("Teams %s failed: %s", step, code)
    return PlatformError(step, code, "Check the bot's Teams credentials and that it is in the conversation.")
