"""`ChatPlatform` over the Slack Web API. Slack errors become `PlatformError` with a fix."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiohttp
from cachetools import TTLCache
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.chat.cards import Card
from bot.chat.ports import ChannelRef, MessageRef
from bot.errors import PlatformError
from bot.metrics import Metrics
from bot.publishing.retry import is_retryable, may_have_landed
from handlers.slack.blocks.card import message_payload as _message
from handlers.slack.directory import SlackDirectory
from handlers.slack.fixes import fix_for
from handlers.slack.mrkdwn import to_mrkdwn, to_plain, truncate
from handlers.slack.view_origins import ViewOrigins

# A URL someone typed is shown as text; Slack must not preview (unfurl) it into the message either
NO_PREVIEWS = {"unfurl_links": False, "unfurl_media": False}
log = logging.getLogger(__name__)
GROUP_CACHE_SECONDS = 300
GROUPS_REMEMBERED = 500  # user groups (named in the policy) whose members are kept
MARKER_EVENT = "incident_comms_delivery"
# conversations.history for an app outside the Slack Marketplace: 1 call a minute, 15 a page
HISTORY_PAGE, HISTORY_PAGES = 15, 4
CREATE_ATTEMPTS, CREATE_BACKOFF = 3, 0.5  # conversations.create tries; seconds between, doubled
ADOPT_WITHIN = 24 * 3600  # a channel the bot created this recently under the name is ours
# Methods whose arguments Slack reads only from form fields (their docs: no JSON input).
FORM_ONLY = frozenset(
    {
        "usergroups.list",
        "usergroups.users.list",
        "conversations.info",
        "conversations.members",
        "chat.getPermalink",
        "users.info",
        "users.lookupByEmail",
        "files.getUploadURLExternal",
        "users.conversations",
    }
)


class SlackGateway:
    def __init__(self, client: AsyncWebClient, metrics: Metrics, bot_user_id: str | None = None) -> None:
        self.client = client
        self.metrics = metrics
        self.bot_user_id = bot_user_id
        self.workspace_url = ""
        self.team_id = ""
        self._groups: TTLCache[str, list[str]] = TTLCache(GROUPS_REMEMBERED, GROUP_CACHE_SECONDS)
        self.directory = SlackDirectory(self.call, self._team_id)
        self.origins = ViewOrigins()

    async def call(self, step: str, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            body = {"data": _form(kwargs)} if method in FORM_ONLY else {"json": kwargs}
            response = await self.client.api_call(method, **body)
            return response.data  # type: ignore[return-value]
        except SlackApiError as exc:
            raise self._failed(step, method, exc) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._unanswered(step, method, exc) from None

    def _unanswered(self, step: str, method: str, exc: Exception) -> PlatformError:
        """No answer (a dropped connection, a timeout): Slack may have carried the call out."""
        code = "timeout" if isinstance(exc, TimeoutError) else "connection_error"
        self.metrics.api_errors.labels(method, code).inc()
        log.warning("Slack %s got no answer: %r", method, exc)
        return PlatformError(step, code, fix_for(code, {}))

    def _failed(self, step: str, method: str, exc: SlackApiError) -> PlatformError:
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        error = str(data.get("error") or exc.response.status_code)
        self.metrics.api_errors.labels(method, error).inc()
        log.warning("Slack %s failed: %s", method, error)
        return PlatformError(step, error, fix_for(error, data))

    async def create_channel(self, name: str, *, private: bool) -> ChannelRef:
        """Create the channel once: after an answer that may hide a created channel (5xx, a
        timeout, a dropped connection) or a `name_taken`, the channel the bot created is taken."""
        since, in_doubt = time.time() - ADOPT_WITHIN, False
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                data = await self.call(
                    "Create channel", "conversations.create", name=name, is_private=private
                )
                return ChannelRef(id=data["channel"]["id"], name=data["channel"]["name"])
            except PlatformError as error:
                retryable = is_retryable(error.code)
                in_doubt = in_doubt or (retryable and may_have_landed(error.code))
                last = attempt == CREATE_ATTEMPTS or not retryable
                if error.code == "name_taken" or (last and in_doubt):
                    return await self.directory.adopt(name, error, await self._bot_user_id() or "", since)
                if last:
                    raise
            await asyncio.sleep(CREATE_BACKOFF * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # the last attempt returns or raises

    async def invite(self, channel_id: str, user_ids: Sequence[str]) -> None:
        users = [u for u in user_ids if u and u != await self._bot_user_id()]
        if not users:
            return
        try:
            await self.call(
                "Invite people", "conversations.invite", channel=channel_id, users=",".join(users), force=True
            )
        except PlatformError as error:
            if error.code != "already_in_channel":
                raise

    async def group_members(self, group: str) -> list[str]:
        if (cached := self._groups.get(group)) is not None:
            return cached
        group_id = group if group.startswith("S") and group.isupper() else await self._group_id(group)
        data = await self.call("Look up responder group", "usergroups.users.list", usergroup=group_id)
        members = list(data.get("users") or [])
        self._groups[group] = members
        return members

    async def aliases(self, user_id: str) -> frozenset[str]:
        return frozenset({user_id})  # a Slack user has one id

    async def _group_id(self, handle: str) -> str:
        data = await self.call("Look up responder group", "usergroups.list")
        for item in data.get("usergroups") or []:
            if item.get("handle") == handle.lstrip("@"):
                return item["id"]
        raise PlatformError("Look up responder group", "no_such_subteam", fix_for("no_such_subteam", {}))

    async def set_topic(self, channel_id: str, topic: str) -> None:
        await self.call(
            "Set topic", "conversations.setTopic", channel=channel_id, topic=truncate(to_mrkdwn(topic), 250)
        )

    async def set_purpose(self, channel_id: str, purpose: str) -> None:
        text = truncate(to_mrkdwn(purpose), 250)
        await self.call("Set purpose", "conversations.setPurpose", channel=channel_id, purpose=text)

    async def post(
        self, channel_id: str, card: Card, *, marker: str | None = None, thread: str | None = None
    ) -> MessageRef:
        ex: dict[str, Any] = dict(NO_PREVIEWS, **({"thread_ts": thread} if thread else {}))
        if marker:
            ex["metadata"] = {"event_type": MARKER_EVENT, "event_payload": {"marker": marker}}
        data = await self.call("Post message", "chat.postMessage", channel=channel_id, **_message(card), **ex)
        return MessageRef(channel_id=data["channel"], message_id=data["ts"])

    async def find_marked(self, channel_id: str, marker: str, *, since: datetime) -> MessageRef | None:
        cursor = None
        for _page in range(HISTORY_PAGES):
            data = await self.call(
                "Check earlier delivery",
                "conversations.history",
                channel=channel_id,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=HISTORY_PAGE,
                **({"cursor": cursor} if cursor else {}),
            )
            for message in data.get("messages") or []:
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("marker") == marker:
                    return MessageRef(channel_id=channel_id, message_id=message["ts"])
            cursor = (data.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    async def update(self, ref: MessageRef, card: Card) -> None:
        await self.call(
            "Update message", "chat.update", channel=ref.channel_id, ts=ref.message_id, **_message(card)
        )

    async def archive_channel(self, channel_id: str) -> None:
        try:
            await self.call("Archive the channel", "conversations.archive", channel=channel_id)
        except PlatformError as error:
            if error.code != "already_archived":
                raise

    async def pin(self, ref: MessageRef) -> None:
        await self.call("Pin message", "pins.add", channel=ref.channel_id, timestamp=ref.message_id)

    async def tell_user(self, user_id: str, card: Card, *, reply_url: str | None = None) -> None:
        if reply_url:
            response = await AsyncWebhookClient(reply_url, session=self.client.session).send(
                response_type="ephemeral", **_message(card)
            )
            if response.status_code == 200:
                return
            log.warning("response_url answered %s; sending a DM instead", response.status_code)
        await self.call(
            "Message the user", "chat.postMessage", channel=user_id, **_message(card), **NO_PREVIEWS
        )

    async def upload_file(
        self, channel_id: str, filename: str, content: str, *, title: str, comment: str = ""
    ) -> None:
        """Slack's upload API: files.getUploadURLExternal, the upload, files.completeUploadExternal."""
        try:
            await self.client.files_upload_v2(
                channel=channel_id,
                filename=filename,
                content=content,
                title=to_plain(title),
                initial_comment=to_mrkdwn(comment) if comment else None,
            )
        except SlackApiError as exc:
            method = str(exc.response.api_url).rsplit("/", 1)[-1] or "files.completeUploadExternal"
            raise self._failed("Upload file", method, exc) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._unanswered("Upload file", "files.upload", exc) from None
        except SlackRequestError as exc:  # the upload URL refused the bytes
            log.warning("Slack file upload failed: %s", exc)
            self.metrics.api_errors.labels("files.upload", "upload_failed").inc()
            raise PlatformError("Upload file", "upload_failed", fix_for("upload_failed", {})) from None

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        data = await self.call("Open a form", "views.open", trigger_id=trigger_id, view=view)
        self.origins.opened(str((data.get("view") or {}).get("id") or ""))

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        await self.call("Show the Home tab", "views.publish", user_id=user_id, view=view)

    async def post_ephemeral(self, channel_id: str, user_id: str, card: Card) -> None:
        await self.call(
            "Show a private note", "chat.postEphemeral", channel=channel_id, user=user_id, **_message(card)
        )

    async def message_link(self, ref: MessageRef) -> str:
        """A permanent link to a message, built from the workspace URL (one auth.test, cached)."""
        await self._identify()
        return f"{self.workspace_url}archives/{ref.channel_id}/p{ref.message_id.replace('.', '')}"

    async def verified_email(self, user_id: str) -> str | None:
        return await self.directory.verified_email(user_id)

    async def display_name(self, user_id: str) -> str | None:
        return await self.directory.display_name(user_id)

    async def in_channel(self, channel_id: str, user_id: str) -> bool:
        return await self.directory.in_channel(channel_id, user_id)

    async def shared_outside(self, channel_id: str) -> bool:
        return await self.directory.shared_outside(channel_id)

    async def _team_id(self) -> str:
        await self._identify()
        return self.team_id

    async def _bot_user_id(self) -> str | None:
        await self._identify()
        return self.bot_user_id

    async def _identify(self) -> None:
        if self.bot_user_id is not None and self.workspace_url and self.team_id:
            return
        try:
            identity = await self.call("Identify the bot", "auth.test")
        except PlatformError:
            identity = {}
        if self.bot_user_id is None:
            self.bot_user_id = identity.get("user_id", "")
        self.workspace_url = identity.get("url") or "https://slack.com/"
        self.team_id = identity.get("team_id", "")


def _form(args: dict[str, Any]) -> dict[str, str]:
    """Form fields as Slack reads them: booleans as "true"/"false", everything else as text."""
    return {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in args.items()}
