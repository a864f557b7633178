"""Fixtures for Teams: `connector` (the fake Bot Connector) and `teams` (the app over HTTP)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jsonschema
import jwt
import pytest
from aiohttp.test_utils import TestServer
from microsoft_teams.api.auth.cloud_environment import CloudEnvironment

from bot.clock import ManualClock
from bot.config import Settings
from bot.policy.model import Policy
from emulator.driver import SIGNING_SECRET, SlackDriver
from emulator.slack import SlackEmulator
from emulator.teams import FakeConnector
from emulator.teams.driver import TeamsDriver
from handlers.app import CORE, create_app
from handlers.teams.adapter import TeamsOverrides
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
