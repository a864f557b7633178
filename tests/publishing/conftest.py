"""Fixtures for publishing tests: a database, a real SlackGateway on the emulator, a Publisher."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.metrics import Metrics
from bot.policy.model import Policy
from bot.publishing.publisher import Publisher
from emulator.slack import SlackEmulator
from handlers.slack.client import build_client
from handlers.slack.gateway import SlackGateway
from storage.db import Database
from storage.models import Incident
from tests.policies import make_policy
from tests.publishing.helpers import INCIDENT_CHANNEL

CUSTOMERS = ["CCUST1", "CCUST2"]
INTERNAL = "CINTERNAL"
ACME = "CACME"
POLICY = {
    "channels": {"approvals": None, "customer_updates": CUSTOMERS, "internal_updates": [INTERNAL]},
    "approvals": None,
    "accounts": {"Acme Corp": {"channels": [ACME]}},
}


def reference(incident: Incident) -> str:
    return f"INC-{incident.id}"


@pytest.fixture
def publishing_policy(tmp_path: Path) -> Policy:
    return make_policy(tmp_path, **POLICY)


@pytest.fixture
def channels(slack: SlackEmulator) -> SlackEmulator:
    for channel_id in [*CUSTOMERS, INTERNAL, ACME, INCIDENT_CHANNEL]:
        slack.add_channel(channel_id.lower(), channel_id=channel_id)
    return slack


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def gateways(slack: SlackEmulator) -> AsyncIterator[Callable[..., SlackGateway]]:
    """Make real gateways (optionally with fewer client-side retries); closed after the test."""
    clients = []

    async def make(*, max_retries: int = 3) -> SlackGateway:
        metrics = Metrics()
        client = build_client(slack.bot_token, slack.api_url, metrics, max_retries=max_retries)
        await client.open_session()
        clients.append(client)
        return SlackGateway(client, metrics)

    yield make
    for client in clients:
        await client.close_session()


@pytest.fixture
async def make_publisher(
    gateways, clock: ManualClock, publishing_policy: Policy, channels: SlackEmulator
) -> Callable[..., Publisher]:
    async def make(db: Database, *, max_retries: int = 3, **options) -> Publisher:
        gateway = await gateways(max_retries=max_retries)
        return Publisher(db, gateway, clock, publishing_policy, Metrics(), reference, **options)

    return make


@pytest.fixture
async def publisher(make_publisher, db: Database) -> Publisher:
    return await make_publisher(db)
