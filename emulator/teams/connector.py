"""A fake Bot Connector on 127.0.0.1: records what the bot posts, answers like the real one.

It serves the three calls a Teams bot makes to its conversations' `serviceUrl`:
`POST /v3/conversations/{id}/activities` (a new message), `PUT …/activities/{activity id}`
(edit in place) and `POST /v3/conversations` (a new conversation or channel thread), plus
`GET /v3/conversations/{id}/members/{user}` (one person, from `members`); and, as
a fake Microsoft Graph under `/v1.0`, `POST /teams/{id}/channels` (409 for a taken name) and
the message lists read to reconcile (a channel's, a thread's replies, a chat's: latest first).
Faults (`fail_after_store`: a 5xx, a reset or a slow answer after storing; `rate_limit`: 429s).
Every call must carry a bearer token. Adaptive Cards are checked against the public 1.5 schema
when `../shared/specs/` is present (the tests pass it in; this module reads no files).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from aiohttp import web

from emulator.slack.latency import Latency, middleware
from emulator.teams import files

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass
class Posted:
    """One activity as the bot sent it (latest version when it was edited)."""

    conversation_id: str
    activity_id: str
    activity: dict[str, Any]
    edits: list[dict[str, Any]] = field(default_factory=list)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == ADAPTIVE_CARD
        ]

    @property
    def card(self) -> dict[str, Any]:
        [card] = self.cards
        return card

    def texts(self) -> str:
        """Every TextBlock and fact of the card, one per line (for readable assertions)."""
        lines: list[str] = []
        for card in self.cards:
            _collect(card, lines)
        return "\n".join(lines)


def _collect(node: Any, lines: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            lines.append(node.get("text", ""))
        elif node.get("type") == "FactSet":
            lines += [f"{f['title']}: {f['value']}" for f in node.get("facts", [])]
        elif node.get("type", "").startswith("Action.") and "title" in node:
            lines.append(f"[ {node['title']} ]")
        for value in node.values():
            if isinstance(value, list | dict):
                _collect(value, lines)
    elif isinstance(node, list):
        for item in node:
            _collect(item, lines)


@dataclass
class Fault:
    """What the next new message in `conversation` (any, when None) meets once it is stored."""

    kind: Literal["status", "reset", "slow"]
    conversation: str | None = None
    status: int = 502
    seconds: float = 0.0


class FakeConnector:
    def __init__(self, card_validator=None, on_post: Callable[[Posted], None] | None = None) -> None:
        self.card_validator = card_validator  # callable(card) raising on an invalid card
        self.on_post = on_post  # told of each new message (the local Teams try-out prints them)
        self.latency: Latency | None = None  # Latency.parse("120ms±40ms", seed): answers as late as Teams'
        self.posted: list[Posted] = []
        self.created_conversations: list[dict[str, Any]] = []
        self.channels: dict[str, dict[str, Any]] = {}  # Graph: channel id -> the request that created it
        self.graph_failure: int | None = None
        self.graph_authorizations: list[str] = []  # a status every Graph call answers with
        self.authorizations: list[str] = []
        self._ids = itertools.count(1000)
        self._hold: asyncio.Event | None = None
        self._throttle: list[str] = []  # Retry-After values for the next calls, answered with 429
        self.throttled = 0
        # the tenant's people for GET …/members/{id}: any key -> TeamsChannelAccount JSON
        # (found by key, id, aadObjectId or, ignoring case, userPrincipalName); else 404
        self.members: dict[str, dict[str, Any]] = {}
        self.member_failure: int | None = None  # a status every member lookup answers with
        self.member_lookups: list[tuple[str, str]] = []  # (conversation id, member id) asked for
        self.faults: list[Fault] = []  # applied in order, each to one new message
        self.graph_lookups: list[str] = []  # paths of Graph message lists read
        self.graph_lookup_failures: list[int] = []  # statuses the next Graph message reads answer with
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)  # stamps messages (Graph's time)
        self._runner: web.AppRunner | None = None
        self.service_url = ""
        self.graph_url = ""

    async def start(self, port: int = 0) -> None:
        app = web.Application(middlewares=[middleware(self.latency)])  # set latency before start
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v1.0/teams/{team}/channels", self._create_channel)
        app.router.add_post("/v1.0/teams/{team}/channels/{channel}/archive", self._archive_channel)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._put)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        channel = "/v1.0/teams/{team}/channels/{channel}/messages"
        for listing in (channel, f"{channel}/{{root}}/replies", "/v1.0/chats/{chat}/messages"):
            app.router.add_get(listing, self._graph_messages)
        self.files = files.serve(app, self)  # upload sessions and Graph channel Files
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.service_url = f"http://127.0.0.1:{port}/"
        self.graph_url = f"http://127.0.0.1:{port}/v1.0"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def messages(self, conversation_id: str | None = None) -> list[Posted]:
        return [p for p in self.posted if conversation_id in (None, p.conversation_id)]

    def last(self, conversation_id: str | None = None) -> Posted:
        return self.messages(conversation_id)[-1]

    def hold_posts(self) -> asyncio.Event:
        """New messages wait (unanswered) until the returned event is set: a slow connector."""
        self._hold = asyncio.Event()
        return self._hold

    def rate_limit(self, times: int, retry_after: str = "0") -> None:
        """Answer the next `times` calls with 429 and this `Retry-After`."""
        self._throttle += [retry_after] * times

    def fail_after_store(self, fault: Fault, times: int = 1) -> None:
        """The next `times` new messages (in `fault.conversation`) are stored, then: `status` is
        answered, the connection is dropped (`reset`), or the answer comes `seconds` late (`slow`)."""
        self.faults += [fault] * times

    async def _faulty(self, request: web.Request, activity_id: str) -> web.Response | None:
        """The answer of the first fault for this conversation (None: no fault, answer normally)."""
        conversation = request.match_info["conversation"]
        fault = next((f for f in self.faults if f.conversation in (None, conversation)), None)
        if fault is None:
            return None
        self.faults.remove(fault)
        if fault.kind == "reset":
            if request.transport is not None:
                request.transport.abort()  # no answer at all: the client sees the connection drop
            return web.Response(status=201)
        if fault.kind == "slow":
            await asyncio.sleep(fault.seconds)
            return web.json_response({"id": activity_id}, status=201)
        return web.json_response({"error": {"code": "ServiceError"}}, status=fault.status)

    async def _authorised(self, request: web.Request) -> dict[str, Any]:
        if self._throttle:
            self.throttled += 1
            raise web.HTTPTooManyRequests(headers={"Retry-After": self._throttle.pop(0)})
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            raise web.HTTPUnauthorized(text='{"error": {"code": "Unauthorized"}}')
        self.authorizations.append(auth)
        body = await request.json()
        for attachment in body.get("attachments") or []:
            if attachment.get("contentType") == ADAPTIVE_CARD and self.card_validator is not None:
                self.card_validator(attachment["content"])
        return body

    async def _post(self, request: web.Request) -> web.Response:
        body = await self._authorised(request)
        if self._hold is not None:
            await self._hold.wait()
        conversation = request.match_info["conversation"]
        activity_id = self._activity_id(conversation)
        self.posted.append(posted := Posted(conversation, activity_id, body, created=self.now()))
        if self.on_post is not None:
            self.on_post(posted)
        return await self._faulty(request, activity_id) or web.json_response({"id": activity_id}, status=201)

    def _activity_id(self, conversation_id: str) -> str:
        """Ids as Teams gives them: ms timestamps; in personal chats 46-character `1:1…` ones."""
        number = next(self._ids)
        if conversation_id.startswith("a:"):
            return "1:1" + hashlib.sha256(str(number).encode()).hexdigest()[:43]
        return str(1_700_000_000_000 + number)

    async def _put(self, request: web.Request) -> web.Response:
        body = await self._authorised(request)
        conversation, activity_id = request.match_info["conversation"], request.match_info["activity"]
        for posted in self.posted:
            if (posted.conversation_id, posted.activity_id) == (conversation, activity_id):
                posted.edits.append(posted.activity)
                posted.activity = body
                return web.json_response({"id": activity_id})
        return web.json_response({"error": {"code": "ActivityNotFound"}}, status=404)

    async def _member(self, request: web.Request) -> web.Response:
        """One member of a conversation, by Teams id, Entra object id or UPN (as the real one)."""
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            raise web.HTTPUnauthorized(text='{"error": {"code": "Unauthorized"}}')
        wanted = request.match_info["member"]
        self.member_lookups.append((request.match_info["conversation"], wanted))
        if self.member_failure is not None:
            return web.json_response({"error": {"code": "ServiceError"}}, status=self.member_failure)
        for key, member in self.members.items():
            upn = str(member.get("userPrincipalName") or "").casefold()
            if wanted in (key, member.get("id"), member.get("aadObjectId")) or wanted.casefold() == upn:
                return web.json_response(member)
        return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await self._authorised(request)
        self.created_conversations.append(body)
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        activity_id = str(1_700_000_000_000 + next(self._ids))
        if channel and body.get("activity"):  # a new thread in a channel, started by its first post
            conversation = f"{channel};messageid={activity_id}"
            self.posted.append(Posted(conversation, activity_id, body["activity"]))
            return web.json_response({"id": conversation, "activityId": activity_id}, status=201)
        member = (body.get("members") or [{}])[0].get("id", "")
        return web.json_response({"id": f"a:personal-{member}"}, status=201)

    async def _create_channel(self, request: web.Request) -> web.Response:
        body = await self._authorised(request)
        self.graph_authorizations.append(request.headers["Authorization"])
        if self.graph_failure is not None:
            return web.json_response({"error": {"code": "Forbidden"}}, status=self.graph_failure)
        names = {c["displayName"].casefold() for c in self.channels.values()}
        if body["displayName"].casefold() in names:
            return web.json_response({"error": {"code": "NameAlreadyExists"}}, status=409)
        channel_id = f"19:channel-{len(self.channels) + 1}@thread.tacv2"
        self.channels[channel_id] = {**body, "team": request.match_info["team"]}
        return web.json_response({"id": channel_id, "displayName": body["displayName"]}, status=201)

    async def _archive_channel(self, request: web.Request) -> web.Response:
        await self._authorised(request)
        channel = self.channels.get(request.match_info["channel"])
        if channel is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        channel["archived"] = True
        return web.Response(status=202)

    async def _graph_messages(self, request: web.Request) -> web.Response:
        """Graph's message lists: a channel's top-level posts, a thread's replies, a chat's messages."""
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        self.graph_lookups.append(request.path)
        if self.graph_lookup_failures:
            return web.json_response({"error": {"code": "Busy"}}, status=self.graph_lookup_failures.pop(0))
        wanted = [p for p in reversed(self.posted) if _listed(p, request.match_info)]  # newest first
        top, skip = int(request.query.get("$top", "20")), int(request.query.get("$skip", "0"))
        body: dict[str, Any] = {"value": [_graph_message(p) for p in wanted[skip : skip + top]]}
        if skip + top < len(wanted):
            body["@odata.nextLink"] = str(request.url.update_query({"$skip": str(skip + top)}))
        return web.json_response(body)


def _listed(posted: Posted, match: Any) -> bool:
    """Whether Graph lists the message under the path: a chat, a thread's replies, or a channel's
    top-level posts (with the roots of the threads the bot started)."""
    if "chat" in match:
        return posted.conversation_id == match["chat"]
    channel, root = match["channel"], match.get("root")
    if root:
        return posted.conversation_id == f"{channel};messageid={root}" and posted.activity_id != root
    return posted.conversation_id in (channel, f"{channel};messageid={posted.activity_id}")


def _graph_message(posted: Posted) -> dict[str, Any]:
    """A chatMessage as Graph returns a bot's post: each attachment's content as a JSON string."""
    attachments = [
        {**a, "id": f"{posted.activity_id}-{n}", "content": json.dumps(a.get("content"))}
        for n, a in enumerate(posted.activity.get("attachments") or [])
    ]
    stamp = posted.created.isoformat().replace("+00:00", "Z")
    stamps = {"createdDateTime": stamp, "lastModifiedDateTime": stamp}
    return {"id": posted.activity_id, **stamps, "attachments": attachments}
