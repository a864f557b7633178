"""slack_sdk's aiohttp Socket Mode client, reading each frame within the edge's bounds.

The SDK's `process_message` runs `json.loads` on any frame that starts with "{" (a deeply nested
one raises RecursionError, logged as a traceback for every frame) and builds a
`SocketModeRequest` from anything with a type, an id and a payload (a payload that is a list or
a number raises inside the listener loop). Here a frame is parsed only when it is within
`MAX_FRAME` (the HTTP edge's body limit), then bounded like an HTTP body
(`handlers.payload_bounds`); an envelope must have Slack's shape (`Envelope`). What fails is
logged in one line and dropped; an envelope whose id is readable is acknowledged, so Slack does
not deliver it again and again. Each envelope's processing is kept until it has been answered,
so `close` can let the acks in flight go out before the socket closes.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from slack_sdk.socket_mode.aiohttp import SocketModeClient

from bot.metrics import Metrics
from handlers.payload_bounds import within_bounds

log = logging.getLogger(__name__)
MAX_FRAME = 1024 * 1024  # characters; aiohttp's default body limit for POST /slack/events
CLOSE_GRACE = 3.0  # seconds the envelopes being answered get before the socket closes


class Envelope(BaseModel):
    """An envelope as Slack sends one (other fields are allowed and ignored)."""

    model_config = ConfigDict(extra="allow")
    type: Literal["slash_commands", "interactive", "events_api"]
    envelope_id: str = Field(min_length=1, max_length=200)
    payload: dict[str, Any]
    accepts_response_payload: bool = False
    retry_attempt: int | None = None
    retry_reason: str | None = None


class EdgeClient(SocketModeClient):
    """The SDK's client with a bounded reader; everything else (reconnects, pings) is the SDK's."""

    def __init__(self, *args: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_flight: set[asyncio.Future[None]] = set()
        self.metrics = metrics

    async def process_message(self) -> None:
        raw = await self.message_queue.get()
        if raw is None:
            return
        message = await self._readable(raw)
        if message is None:
            self.metrics.requests.labels("unknown", "400").inc()  # as an unreadable HTTP body is counted
            return
        task = asyncio.ensure_future(self.run_message_listeners(message, raw))
        self.in_flight.add(task)
        task.add_done_callback(self.in_flight.discard)

    async def _readable(self, raw: Any) -> dict[str, Any] | None:
        if not isinstance(raw, str) or len(raw) > MAX_FRAME:
            log.warning("Socket Mode: dropped a frame over %d characters", MAX_FRAME)
            return None
        try:
            message = json.loads(raw)
        except (ValueError, RecursionError):  # json raises RecursionError on deep nesting
            log.warning("Socket Mode: dropped a frame that is not JSON")
            return None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            log.warning("Socket Mode: dropped a frame that is not a message")
            return None
        if not within_bounds(message):
            log.warning("Socket Mode: refused an envelope nested or sized beyond the bounds")
            await self._acknowledge(message.get("envelope_id"))
            return None
        if "envelope_id" in message or "payload" in message:
            try:
                Envelope.model_validate(message)
            except ValidationError:
                log.warning(
                    "Socket Mode: refused an envelope of type %.40r not shaped as Slack's", message["type"]
                )
                await self._acknowledge(message.get("envelope_id"))
                return None
        return message

    async def _acknowledge(self, envelope_id: Any) -> None:
        """Ack a refused envelope whose id is readable, so it is not delivered again."""
        if not isinstance(envelope_id, str) or not 0 < len(envelope_id) <= 200:
            return
        try:
            await self.send_socket_mode_response({"envelope_id": envelope_id})
        except Exception as error:  # the connection went; Slack redelivers, and it is refused again
            log.warning("Socket Mode: could not ack a refused envelope: %s", type(error).__name__)

    async def close(self) -> None:
        """Stop reading frames, let the envelopes being answered send their acks, then close."""
        self.closed = True
        self.auto_reconnect_enabled = False
        if self.message_receiver is not None:
            self.message_receiver.cancel()
        if self.in_flight:
            await asyncio.wait(set(self.in_flight), timeout=CLOSE_GRACE)
        await super().close()
