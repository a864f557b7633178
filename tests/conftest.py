"""Shared fixtures: `slack` (the emulator), `bot` (the real app over signed HTTP), `clock`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.clock import ManualClock
from bot.config import Settings
from bot.policy.model import Policy, load_policy
from emulator.driver import SIGNING_SECRET, SlackDriver
from emulator.slack import SlackEmulator
from emulator.slack.socket_driver import SocketDriver
from handlers.app import CORE, METRICS, create_app
from tests.databases import PostgresRun, SqliteTemplate, postgres_or_skip

# Every app a test starts (in process or as `incident-comms serve`) puts /metrics on a free port,
# so parallel workers never collide on 9464; `running_bot`'s driver.metrics_url is where it is.
os.environ.setdefault("METRICS_PORT", "0")

ALICE, BOB, CAROL, DAVE, ERIN = "UALICE", "UBOB", "UCAROL", "UDAVE", "UERIN"
GENERAL = "CGENERAL"
ANNOUNCE = "CANNOUNCE"

# Posts to one channel are paced a second apart in production (Slack's rate); the emulator
# enforces no rate unless a test asks it to, so tests pace 50 ms apart and keep the ordering.
TEST_PACING = 0.05


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite"))
    await template.prepare()
    return template


@pytest.fixture(scope="session")
async def postgres_run() -> AsyncIterator[PostgresRun]:
    run = await postgres_or_skip()
    yield run
    await run.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> SqliteTemplate | PostgresRun:
    """Which database this run of the test uses (a sync fixture: it only picks)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_template")
    return request.getfixturevalue("postgres_run")


@pytest.fixture
async def database_url(database: SqliteTemplate | PostgresRun) -> str:
    """A database for this test alone: a fresh SQLite copy, or the run's PostgreSQL emptied."""
    if isinstance(database, SqliteTemplate):
        return database.fresh_url()
    await database.empty()
    return database.url


@pytest.fixture
async def slack() -> AsyncIterator[SlackEmulator]:
    emulator = SlackEmulator()
    await emulator.start()
    for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"), (DAVE, "dave"), (ERIN, "erin")):
        emulator.add_user(user_id, name, email=f"{name}@example.com")
    emulator.add_channel("general", channel_id=GENERAL, members=[ALICE, BOB, CAROL, DAVE, ERIN])
    emulator.add_channel("incidents", channel_id=ANNOUNCE, members=[ALICE])
    emulator.add_usergroup("SRESPONDERS", "incident-responders", [DAVE, ERIN])
    yield emulator
    await emulator.stop()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))


@pytest.fixture
def policy() -> Policy:
    return load_policy()


def write_policy(tmp_path: Path, text: str) -> Policy:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    return load_policy(path)


@pytest.fixture
def transport() -> str:
    """How Slack reaches `bot`: "http" (signed requests) or "socket" (Socket Mode, no signing
    secret); a test runs over both with `@pytest.mark.parametrize("transport", TRANSPORTS)`."""
    return "http"


TRANSPORTS = ["http", "socket"]


@pytest.fixture
async def bot(
    slack: SlackEmulator, database_url: str, clock: ManualClock, policy: Policy, transport: str
) -> AsyncIterator[SlackDriver]:
    async with running_bot(slack, database_url, clock, policy, transport=transport) as driver:
        yield driver


@asynccontextmanager
async def running_bot(
    slack, database_url: str, clock, policy, transport: str = "http", **settings: Any
) -> AsyncIterator[SlackDriver]:
    """The real app against the emulator, over signed HTTP or Socket Mode (extra settings such as
    SMTP_URL); no scheduler: tests run the sweeps themselves."""
    socket = transport == "socket"
    credentials = {"SLACK_APP_TOKEN": slack.socket_mode.app_token} if socket else {}
    config = Settings(
        SLACK_SIGNING_SECRET=None if socket else SIGNING_SECRET,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        **{**credentials, **settings},
    )
    app = create_app(config, policy=policy, clock=clock, migrate=False, sweeps=False)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    core = app[CORE]
    core.publisher.pacer.interval = TEST_PACING
    kind = SocketDriver if socket else SlackDriver
    driver = kind(str(server.make_url("/")), slack, settle=lambda: core.tracker.wait_idle(timeout=20))
    driver.core = core
    driver.app = app
    listener = app[METRICS]
    driver.metrics_url = f"http://{listener.host}:{listener.port}/metrics"
    try:
        yield driver
    finally:
        await driver.close()
        await server.close()


@pytest.fixture
def chromium() -> str:
    """The path of Debian's Chromium for Playwright (tests/browser.py)."""
    from tests.browser import chromium_path

    return chromium_path()
