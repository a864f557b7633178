"""Fixtures for Teams: `connector` (the fake Bot Connector) and `teams` (the app over HTTP)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema
import jwt
import pytest
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_teams.api.auth.cloud_environment import CloudEnvironment

from bot.clock import ManualClock
from bot.config import Settings
from bot.policy.model import Policy
from emulator.driver import SIGNING_SECRET, SlackDriver
from emulator.slack import SlackEmulator
from emulator.teams import FakeConnector
from emulator.teams.driver import TENANT, TeamsDriver
from handlers.app import CORE, create_app
from handlers.teams.adapter import TeamsOverrides
from tests.conftest import TEST_PACING
from tests.specs import load_spec


def card_validator():
    """Adaptive Card 1.5 schema check when ../shared/specs is present (the emulator's own checks else)."""
    schema = load_spec("adaptive-card-1.5.schema.json")
    if schema is None:
        return None
    validator = jsonschema.Draft6Validator(schema)

    def check(card: dict[str, Any]) -> None:
        # `msteams` (width, mention entities) is Teams' documented host extension, not in the schema
        validator.validate({k: v for k, v in card.items() if k != "msteams"})

    return check


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector(card_validator=card_validator())
    await fake.start()
    yield fake
    await fake.stop()


# what the injected token callable hands the SDK instead of an Entra sign-in (a JWT shape it can read)
OUTBOUND_TOKEN = jwt.encode(
    {"aud": "https://api.botframework.com", "appid": "incident-comms", "exp": 4102444800},
    "not-a-secret-only-a-shape-the-sdk-can-read",
    "HS256",
)


def teams_settings(slack: SlackEmulator, database_url: str, **extra: Any) -> Settings:
    return Settings(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        **extra,
    )


INCIDENT_TEAM = "team-incidents"  # the Teams team in which Graph creates incident channels
SIGNING_KID = "local-key-1"  # the kid tokens signed with `our_key` name (test_auth.KID)


@asynccontextmanager
async def running_teams(
    slack: SlackEmulator,
    connector: FakeConnector,
    database_url: str,
    clock: ManualClock,
    policy: Policy,
    *,
    graph: bool = False,
    authenticate: bool = False,
    cloud: CloudEnvironment | None = None,
    **settings: str,
) -> AsyncIterator[TeamsDriver]:
    """The app over HTTP with Teams on (unauthenticated, the fake connector); `graph`: with a team
    configured, so each incident gets its own channel through the fake Graph."""
    overrides = TeamsOverrides(
        service_url=connector.service_url,
        token=lambda *_: OUTBOUND_TOKEN,
        graph_url=connector.graph_url if graph else None,
        upload_origins=(connector.service_url,),  # the emulator's upload sessions
        authenticate=authenticate,
        cloud=cloud,
    )
    extra = {**settings, **({"TEAMS_INCIDENT_TEAM_ID": INCIDENT_TEAM} if graph else {})}
    app = create_app(
        teams_settings(slack, database_url, **extra),
        policy=policy,
        clock=clock,
        migrate=False,
        sweeps=False,
        teams=overrides,
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    core = app[CORE]
    core.publisher.pacer.interval = TEST_PACING
    driver = TeamsDriver(
        str(server.make_url("/")), connector, settle=lambda: core.tracker.wait_idle(timeout=20)
    )
    driver.core = core
    driver.slack = slack
    # the same app's Slack side, for one incident on each platform at once
    driver.slack_bot = SlackDriver(str(server.make_url("/")), slack, settle=driver.settle)
    driver.slack_bot.core = core
    try:
        yield driver
    finally:
        await driver.slack_bot.close()
        await driver.close()
        await server.close()


@pytest.fixture
async def teams(
    slack: SlackEmulator, connector: FakeConnector, database_url: str, clock: ManualClock, policy: Policy
) -> AsyncIterator[TeamsDriver]:
    async with running_teams(slack, connector, database_url, clock, policy) as driver:
        yield driver


@pytest.fixture
async def graph_teams(
    slack: SlackEmulator, connector: FakeConnector, database_url: str, clock: ManualClock, policy: Policy
) -> AsyncIterator[TeamsDriver]:
    async with running_teams(slack, connector, database_url, clock, policy, graph=True) as driver:
        yield driver


# ---- a local key server for signed tokens (our key set answers at once, others are far away) ----
FAR_AWAY = 1.0  # seconds another tenant's key set takes to arrive
FETCHED: list[str] = []


@pytest.fixture(scope="module")
def our_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def keys_origin(our_key: rsa.RSAPrivateKey) -> Iterator[str]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(our_key.public_key()))
    keys = json.dumps({"keys": [{**jwk, "kid": SIGNING_KID, "use": "sig", "alg": "RS256"}]}).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            FETCHED.append(self.path)
            if not (self.path.startswith("/v1/") or self.path.startswith(f"/{TENANT}/")):
                time.sleep(FAR_AWAY)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(keys)

        def log_message(self, *args) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
