"""Socket Mode: `apps.connections.open` and the WebSocket Slack delivers requests over.

The shapes follow Slack's Socket Mode documentation. `apps.connections.open` takes the
app-level token (`xapp-…`, scope `connections:write`; a bot token is `not_allowed_token_type`)
and answers a single-use `ws://…/link/?ticket=…` URL on the emulator's own server. A new
connection first gets `hello`; each request then travels as an envelope

    {"envelope_id", "type": "slash_commands" | "interactive" | "events_api", "payload",
     "accepts_response_payload", "retry_attempt", "retry_reason"}

and counts as delivered once the app answers `{"envelope_id", "payload"?}` (the optional payload
is what an HTTP response body would carry: `response_action` errors, a command's reply). Each
envelope goes to one open connection, taking turns; one that was sent `disconnect` gets new
envelopes only while no other connection is open. An envelope not acknowledged within
`ack_timeout` (Slack: 3 s) is delivered again with `retry_attempt` + 1 and `retry_reason`
"timeout", up to `max_retries` times, also when its connection closed meanwhile: each attempt
has its own `envelope_id`, and an ack of any attempt settles the delivery, over any connection
(slack_sdk sends an ack over its newest connection, even for an envelope read on the one it
has just replaced).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .args import read_request
from .errors import SlackError
from .failures import Failure, FailurePlan
from .models import Call

log = logging.getLogger("emulator.slack.socket_mode")
KINDS = ("slash_commands", "interactive", "events_api")


@dataclass
class Connection:
    number: int
    ws: web.WebSocketResponse
    opened_at: float
    draining: bool = False  # sent `disconnect`: Slack expects the app to open a new one
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None


@dataclass(frozen=True)
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    connection: int  # the connection the ack came over
    attempt: int  # the retry_attempt of the envelope it acknowledged


@dataclass
class Sent:
    """One envelope as it went out: to which connection, and the delivery it belongs to."""

    envelope: dict[str, Any]
    connection: int
    delivery: asyncio.Future[Ack]


class SocketModeServer:
    """The Socket Mode side of the emulator; `SlackEmulator.socket_mode` is the one it serves."""

    def __init__(
        self, app_token: str, app_id: str, calls: list[Call], failures: FailurePlan[Failure]
    ) -> None:
        self.app_token = app_token
        self.app_id = app_id
        self.ack_timeout = 3.0
        self.max_retries = 3
        self.connections: list[Connection] = []
        self.sent: list[Sent] = []  # every envelope, in order
        self.acks: list[Ack] = []  # every ack that named a known envelope, in order
        self.unreadable: list[str] = []  # frames from the app that were no ack at all
        self.closed: list[Connection] = []  # connections that ended, with their close codes
        self._calls = calls
        self._failures = failures  # `SlackEmulator.fail_next("apps.connections.open", …)` and the like
        self._tickets: set[str] = set()
        self._numbers = itertools.count(1)
        self._turn = itertools.count()
        self._by_envelope: dict[str, Sent] = {}
        self._changed = asyncio.Condition()

    # --- apps.connections.open and the WebSocket ------------------------------------------------------
    async def handle_open(self, request: web.Request) -> web.Response:
        args, token = await read_request(request)
        if (failure := self._failures.consume("apps.connections.open")) is not None:
            status, body, headers = failure.response()
            self._calls.append(Call("apps.connections.open", args, False, body["error"], time.time(), status))
            return web.json_response(body, status=status, headers=headers)
        try:
            self._check_token(token)
        except SlackError as error:
            self._calls.append(Call("apps.connections.open", args, False, error.code, time.time(), 200))
            return web.json_response(error.body())
        ticket = secrets.token_hex(12)
        self._tickets.add(ticket)
        self._calls.append(Call("apps.connections.open", args, True, None, time.time(), 200))
        url = f"ws://{request.host}/link/?ticket={ticket}&app_id={self.app_id}"
        return web.json_response({"ok": True, "url": url})

    def _check_token(self, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        if not token.startswith("xapp-"):
            raise SlackError("not_allowed_token_type")
        if token != self.app_token:
            raise SlackError("invalid_auth")

    async def handle_link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid or used ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        connection = Connection(next(self._numbers), ws, time.monotonic())
        await self._opened(connection)
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._read(connection, message.data)
        finally:
            await self._ended(connection)
        return ws

    async def _opened(self, connection: Connection) -> None:
        self.connections.append(connection)
        await connection.ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self.connections),
                "debug_info": {
                    "host": "applink-emulator",
                    "build_number": 1,
                    "approximate_connection_time": 3600,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        await self._notify()

    async def _ended(self, connection: Connection) -> None:
        connection.close_code = connection.ws.close_code
        if connection in self.connections:
            self.connections.remove(connection)
        self.closed.append(connection)
        connection.closed.set()
        await self._notify()

    def _read(self, connection: Connection, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = None
        sent = self._by_envelope.get(message.get("envelope_id")) if isinstance(message, dict) else None
        if sent is None:
            self.unreadable.append(data)
            return
        payload = message.get("payload")
        ack = Ack(
            sent.envelope["envelope_id"],
            payload if isinstance(payload, dict) else None,
            connection.number,
            sent.envelope["retry_attempt"],
        )
        self.acks.append(ack)
        if not sent.delivery.done():
            sent.delivery.set_result(ack)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- what a test (or the driver) does ---------------------------------------------------------
    async def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        max_retries: int | None = None,
    ) -> Ack | None:
        """Send one request as Slack does and wait for its ack (redelivering as described above);
        None when no attempt was acknowledged."""
        if kind not in KINDS:
            raise ValueError(f"unknown envelope type {kind!r}")
        accepts = kind != "events_api" if accepts_response_payload is None else accepts_response_payload
        delivery: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        retries = self.max_retries if max_retries is None else max_retries
        for attempt in range(retry_attempt, retry_attempt + retries + 1):
            envelope = {
                "envelope_id": str(uuid.uuid4()),
                "type": kind,
                "payload": payload,
                "accepts_response_payload": accepts,
                "retry_attempt": attempt,
                "retry_reason": retry_reason if attempt == retry_attempt else "timeout",
            }
            if await self._attempt(envelope, delivery):
                return delivery.result()
        return delivery.result() if delivery.done() else None

    async def _attempt(self, envelope: dict[str, Any], delivery: asyncio.Future[Ack]) -> bool:
        """One envelope to one connection; True once the delivery is acknowledged."""
        connection = await self._pick()
        if connection is None:
            return delivery.done()
        sent = Sent(envelope, connection.number, delivery)
        self.sent.append(sent)
        self._by_envelope[envelope["envelope_id"]] = sent
        with contextlib.suppress(ConnectionError, RuntimeError):  # closing: the next attempt goes elsewhere
            await connection.ws.send_json(envelope)
        # A closed connection changes nothing here: the app may still ack over its new one.
        await asyncio.wait({delivery}, timeout=self.ack_timeout)
        return delivery.done()

    async def _pick(self) -> Connection | None:
        """The next open connection, waiting up to `ack_timeout` for one (Slack holds requests
        for an app that is reconnecting)."""
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: bool(self.connections)), self.ack_timeout
                )
        live = [c for c in self.connections if not c.closed.is_set()]
        ready = [c for c in live if not c.draining] or live
        return ready[next(self._turn) % len(ready)] if ready else None

    async def wait_for_connections(self, count: int = 1, *, timeout: float = 5.0) -> list[Connection]:
        """Until `count` connections are open that were not told to disconnect."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len([c for c in self.connections if not c.draining]) >= count),
                timeout,
            )
        return [c for c in self.connections if not c.draining]

    async def disconnect(
        self,
        reason: str = "refresh_requested",
        *,
        connection: Connection | None = None,
        close_after: float | None = None,
    ) -> None:
        """Send `disconnect` (`refresh_requested`, `warning`, `link_disabled`) to one connection (default:
        every open one); with `close_after`, close it that many seconds later, as Slack does."""
        for target in [connection] if connection else list(self.connections):
            target.draining = True
            await target.ws.send_json(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-emulator"}}
            )
            if close_after is not None:
                asyncio.get_running_loop().call_later(
                    close_after, lambda ws=target.ws: asyncio.ensure_future(ws.close())
                )

    async def send_raw(self, text: str, *, connection: Connection | None = None) -> None:
        """Any frame at all (a malformed envelope, say) to one connection (default: the first open one)."""
        target = connection or (await self.wait_for_connections())[0]
        await target.ws.send_str(text)

    async def close_all(self, code: int = 1001) -> None:
        """Close every connection (the emulator is stopping)."""
        for connection in list(self.connections):
            await connection.ws.close(code=code)
