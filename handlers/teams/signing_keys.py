"""The signing keys inbound Teams tokens are checked with, kept fresh off the event loop.

SDK 2.1.1 checks each inbound token with a synchronous `jwt.PyJWKClient`, which fetches the
key set again when its five-minute cache has expired: on the event loop, so every request
(Slack's too) waits for that round trip, up to its 30 s timeout. The warmer refreshes that
client's key set (and our tenant's Entra key set, `token_gate.entra_client`) in a worker thread
every four minutes, so requests find it cached; `token_gate` refuses whatever is not. The
client is reached through the SDK's private attributes; should a later SDK move them, the
warmer says so once and does nothing, and the SDK works as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import jwt

log = logging.getLogger(__name__)
REFRESH_EVERY = 240.0  # seconds; PyJWKClient keeps a fetched key set for 300 s
RETRY_AFTER = 30.0


def key_client(app: Any) -> jwt.PyJWKClient | None:
    """The client the SDK checks Bot Framework tokens with (None when unauthenticated)."""
    inbound = getattr(getattr(app, "server", None), "_token_validator", None)
    client = getattr(getattr(inbound, "_service_validator", None), "_jwks_client", None)
    return client if isinstance(client, jwt.PyJWKClient) else None


class KeyWarmer:
    def __init__(self, client: jwt.PyJWKClient, every: float = REFRESH_EVERY) -> None:
        self.client = client
        self.every = every
        self.ready = asyncio.Event()  # set once the first fetch has ended, however it ended
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="teams:signing-keys")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.client.get_jwk_set, True)
                delay = self.every
            except Exception as error:  # a proxy's error page, an empty key set: keep trying, never die
                log.warning("Could not refresh the signing keys at %s (%s); retrying", self.client.uri, error)
                delay = RETRY_AFTER
            self.ready.set()
            await asyncio.sleep(delay)
