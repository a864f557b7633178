"""The one Slack Web API client: base URL from settings, retries on 429 and server errors."""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.metrics import Metrics


class _CountRetries:
    """Mixin: count each retry slack_sdk is about to make (public hook of its retry handlers)."""

    metrics: Metrics
    reason: str

    def __deepcopy__(self, memo: dict) -> _CountRetries:
        # Bolt deep-copies each request's context (client included) for lazy listeners;
        # the handler only counts into the shared registry, so sharing it is correct.
        return self

    async def prepare_for_next_attempt_async(self, **kwargs) -> None:
        self.metrics.api_retries.labels(self.reason).inc()
        await super().prepare_for_next_attempt_async(**kwargs)  # type: ignore[misc]


class _ConnectionRetry(_CountRetries, AsyncConnectionErrorRetryHandler):
    reason = "connection"


class _RateLimitRetry(_CountRetries, AsyncRateLimitErrorRetryHandler):
    reason = "rate_limited"


class _ServerErrorRetry(_CountRetries, AsyncServerErrorRetryHandler):
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


def build_client(token: str, base_url: str, metrics: Metrics, *, max_retries: int = 3) -> SlackWebClient:
    handlers = []
    for kind in (_ConnectionRetry, _RateLimitRetry, _ServerErrorRetry):
        handler = kind(max_retry_count=max_retries)
        handler.metrics = metrics
        handlers.append(handler)
    return SlackWebClient(token=token or None, base_url=base_url, retry_handlers=handlers, timeout=15)
