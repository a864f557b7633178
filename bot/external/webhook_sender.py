"""Posting signed events to webhook endpoints; every way a POST can end becomes an `Outcome`.

2xx is delivered. 408, 429, 5xx, timeouts and connection errors are temporary (retried with
backoff); any other status, redirects included (they are not followed), fails for good.
Each POST carries the delivery id (`X-Incident-Comms-Delivery`), the same on every retry, so
a receiver can drop a repeat that follows a lost answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import aiohttp

from bot.clock import Clock
from bot.external.records import Outcome
from bot.external.webhook_signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from bot.policy.external import WebhookPolicy
from bot.policy.model import PolicyError
from storage.channel_models import ExternalDelivery

USER_AGENT = "incident-comms-webhooks/1"


def webhook_secrets(webhooks: Mapping[str, WebhookPolicy], environ: Mapping[str, str]) -> dict[str, bytes]:
    """Each endpoint's secret from the variable it names; a missing one stops start-up."""
    secrets = {}
    for name, hook in webhooks.items():
        value = environ.get(hook.secret_env, "")
        if not value:
            raise PolicyError(
                f"webhooks.{name}.secret_env: the environment variable {hook.secret_env} is not set"
            )
        secrets[name] = value.encode()
    return secrets


class WebhookSender:
    def __init__(
        self,
        webhooks: Mapping[str, WebhookPolicy],
        secrets: Mapping[str, bytes],
        clock: Clock,
        *,
        concurrency: int = 8,
    ) -> None:
        self.webhooks, self.secrets, self.clock = webhooks, secrets, clock
        self.concurrency = max(1, concurrency)

    async def send_all(self, items: list[tuple[ExternalDelivery, bytes]]) -> list[Outcome]:
        """POST each (row, body) concurrently over one client session; outcomes in order."""
        slots = asyncio.Semaphore(self.concurrency)

        async def one(http: aiohttp.ClientSession, row: ExternalDelivery, body: bytes) -> Outcome:
            async with slots:
                return await self.send(http, row, body)

        async with aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}) as http:
            return list(await asyncio.gather(*(one(http, row, body) for row, body in items)))

    async def send(self, http: aiohttp.ClientSession, row: ExternalDelivery, body: bytes) -> Outcome:
        hook = self.webhooks.get(row.recipient)
        if hook is None:
            return Outcome(
                code="endpoint_removed", detail=f"no webhook {row.recipient!r} in the policy any more"
            )
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(self.secrets[row.recipient], int(self.clock.now().timestamp()), body),
            DELIVERY_HEADER: str(row.id),
            EVENT_HEADER: row.event,
        }
        try:
            async with (
                asyncio.timeout(hook.timeout.total_seconds()),
                http.post(hook.url, data=body, headers=headers, allow_redirects=False) as response,
            ):
                status = response.status
                reason = (response.reason or "")[:200]
        except TimeoutError:
            return Outcome(
                code="timeout", detail=f"no answer within {hook.timeout.total_seconds():g}s", retry=True
            )
        except (aiohttp.ClientError, OSError) as error:
            return Outcome(
                code="connection_error", detail=f"{type(error).__name__}: {error}"[:300], retry=True
            )
        if 200 <= status < 300:
            return Outcome(at=self.clock.now())
        temporary = status in (408, 429) or status >= 500
        return Outcome(code=f"http_{status}", detail=reason, retry=temporary)
