"""The one Slack Web API client: base URL from settings, retries on 429 and server errors.

Retries happen inside slack_sdk, before our code sees an answer, so a retried call must be
safe to repeat. A non-idempotent method (`NOT_REPEATABLE`: a post, a channel creation, a
file share) is retried there only after a 429, which Slack answers before doing anything.
After a 5xx or a dropped connection Slack may already have stored the post or the channel,
so those failures reach the caller: the outbox looks for the earlier copy in the channel
history before posting again (`bot/publishing/publisher.py`), and the gateway adopts the
channel it created (`handlers/slack/gateway.py::SlackGateway.create_channel`).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.metrics import Metrics

# Slack may have carried these out when the answer is a 5xx or never arrives.
NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "conversations.create",
        "files.completeUploadExternal",
    }
)
TIMEOUT_SECONDS = 15


def api_method(request: HttpRequest) -> str:
    """The Web API method a request calls (the last part of its URL, without a query)."""
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class _CountRetries:
    """Mixin: count each retry slack_sdk is about to make (public hook of its retry handlers)."""

    metrics: Metrics
    reason: str

    def __deepcopy__(self, memo: dict) -> _CountRetries:
        # Bolt deep-copies each request's context (client included) for lazy listeners;
        # the handler only counts into the shared registry, so sharing it is correct.
        return self

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        self.metrics.api_retries.labels(self.reason).inc()
        await super().prepare_for_next_attempt_async(**kwargs)  # type: ignore[misc]


class _RepeatableOnly:
    """Mixin for handlers whose failures may come after Slack acted: never for `NOT_REPEATABLE`."""

    async def _can_retry_async(self, *, request: HttpRequest, **kwargs: Any) -> bool:
        if api_method(request) in NOT_REPEATABLE:
            return False
        return await super()._can_retry_async(request=request, **kwargs)  # type: ignore[misc]


class _ConnectionRetry(_CountRetries, _RepeatableOnly, AsyncConnectionErrorRetryHandler):
    reason = "connection"


class _RateLimitRetry(_CountRetries, AsyncRateLimitErrorRetryHandler):
    reason = "rate_limited"


class _ServerErrorRetry(_CountRetries, _RepeatableOnly, AsyncServerErrorRetryHandler):
    reason = "server_error"


class SlackWebClient(AsyncWebClient):
    """The app's one Web API client, shared by every listener.

    Bolt deep-copies each request's context before starting a lazy listener; copying the
    client (session, retry handlers, logger) cost ~1 ms on the ack path. It holds no
    per-request state, so the copy can be the client itself. Its aiohttp session is set
    at start-up (`open_session`), so calls reuse pooled connections.
    """

    def __deepcopy__(self, memo: dict) -> SlackWebClient:
        return self

    async def open_session(self) -> None:
        if self.session is None:
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))

    async def close_session(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


def retry_handlers(metrics: Metrics, max_retries: int) -> list[AsyncRetryHandler]:
    """429s for every method; connection and server errors only for repeatable ones."""
    handlers: list[AsyncRetryHandler] = []
    for kind in (_ConnectionRetry, _RateLimitRetry, _ServerErrorRetry):
        handler = kind(max_retry_count=max_retries)
        handler.metrics = metrics
        handlers.append(handler)
    return handlers


def build_client(
    token: str, base_url: str, metrics: Metrics, *, max_retries: int = 3, timeout: int = TIMEOUT_SECONDS
) -> SlackWebClient:
    handlers = retry_handlers(metrics, max_retries)
    return SlackWebClient(token=token or None, base_url=base_url, retry_handlers=handlers, timeout=timeout)
