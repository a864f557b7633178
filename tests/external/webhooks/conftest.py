"""A local aiohttp receiver that verifies every signature, and the app configured to post to it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.external.webhook_signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verify
from tests.conftest import running_bot
from tests.external.helpers import CHAT_POLICY, add_channels
from tests.policies import local_webhook, make_policy

SECRETS = {"mirror": "mirror-secret", "acme": "acme-secret", "ops": "ops-secret"}


@dataclass
class Hit:
    endpoint: str
    delivery: str
    event: str
    body: dict[str, Any]
    raw: bytes


@dataclass
class Receiver:
    """Accepted events per endpoint; `answers[name]` is the statuses to answer next (then 204)."""

    url: str = ""
    secrets: dict[str, str] = field(default_factory=lambda: dict(SECRETS))
    hits: list[Hit] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # endpoints that got a bad signature
    answers: dict[str, list[int]] = field(default_factory=dict)
    clock: Any = None

    def of(self, endpoint: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.endpoint == endpoint]

    async def handle(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        raw = await request.read()
        now = int(self.clock.now().timestamp())
        if not verify(self.secrets[name].encode(), request.headers.get(SIGNATURE_HEADER, ""), raw, now):
            self.rejected.append(name)
            return web.Response(status=401, text="bad signature")
        self.hits.append(
            Hit(name, request.headers[DELIVERY_HEADER], request.headers[EVENT_HEADER], json.loads(raw), raw)
        )
        queued = self.answers.get(name) or [204]
        return web.Response(status=queued.pop(0) if self.answers.get(name) else 204)


@pytest.fixture
async def receiver(clock) -> AsyncIterator[Receiver]:
    receiver = Receiver(clock=clock)
    app = web.Application()
    app.router.add_post("/hooks/{name}", receiver.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    receiver.url = str(server.make_url("/hooks/"))
    yield receiver
    await server.close()


@pytest.fixture
def policy(tmp_path, receiver):
    def hook(name: str, audience: str, **events: bool) -> dict:
        return local_webhook(f"{receiver.url}{name}", audience, f"TEST_{name.upper()}_SECRET", **events)

    return make_policy(
        tmp_path,
        **CHAT_POLICY,
        webhooks={
            "mirror": hook("mirror", "customers", incident_events=True),
            "acme": hook("acme", "account:Acme Corp"),
            "ops": hook("ops", "internal", incident_events=True),
        },
    )


@pytest.fixture
async def bot(slack, database_url, clock, policy, monkeypatch):
    for name, secret in SECRETS.items():
        monkeypatch.setenv(f"TEST_{name.upper()}_SECRET", secret)
    add_channels(slack)
    async with running_bot(slack, database_url, clock, policy) as driver:
        yield driver
