"""One sandbox world: the emulator, the real app over loopback HTTP, a manual clock, a driver.

Nothing comes from the environment: `SandboxSettings` reads only what is passed to it, so
`DATABASE_URL`, `SLACK_*`, `TEAMS_*`, `SMTP_URL` and a `.env` file are ignored. The database is
SQLite in a temporary folder, the signing secret is random, and everything listens on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot.clock import ManualClock
from bot.config import Settings
from bot.digests.service import trigger as digest_trigger
from bot.services.core import Core
from bot.services.sweeps import cadence_sweep
from emulator.driver import SlackDriver
from emulator.slack import SlackEmulator
from handlers.app import CORE, create_app
from handlers.sandbox.cast import GENERAL, GUIDE, GUIDE_USER, PEOPLE, POLICY, ROOMS
from handlers.sandbox.modals import Modals

HOST = "127.0.0.1"


class SandboxSettings(Settings):
    """Settings from the constructor only: no environment variables, no `.env` file."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


@dataclass
class World:
    slack: SlackEmulator
    driver: SlackDriver
    core: Core
    clock: ManualClock
    app_url: str
    runner: web.AppRunner
    folder: tempfile.TemporaryDirectory
    modals: Modals = field(default_factory=Modals)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one action at a time: views belong to it
    changes: int = 0  # bumped by every action, so the page knows when to look again
    closed: bool = False

    async def advance(self, minutes: int) -> None:
        """Move the app's clock on and run what the scheduler would have run in that time."""
        before = self.clock.now()
        self.clock.advance(timedelta(minutes=minutes))
        await self._digests(before, self.clock.now())
        await cadence_sweep(self.core)
        await self.core.publisher.deliver_due()
        await self.driver.settle()

    async def _digests(self, before: datetime, after: datetime) -> None:
        """Each digest schedule that came due in (before, after], run once at its last slot."""
        digests = self.core.policy.digests
        for schedule in digests.schedules if digests.channel else ():
            cron, last, at = digest_trigger(digests, schedule), None, before
            while (fire := cron.get_next_fire_time(None, at + timedelta(seconds=1))) and fire <= after:
                last, at = fire, fire
            if last is not None:
                await self.core.digests.post_scheduled(schedule, now=last.astimezone(UTC))

    async def close(self) -> None:
        self.closed = True
        await self.driver.close()
        await self.runner.cleanup()
        await self.slack.stop()
        self.folder.cleanup()


def _seed(slack: SlackEmulator) -> None:
    for person in PEOPLE:
        slack.add_user(
            person.id,
            person.name,
            real_name=person.name.title(),
            email=f"{person.name}@{'acme.example' if person.external else 'example.com'}",
            team_id="T0ACMECORP" if person.external else None,
        )
    for room in ROOMS:
        slack.add_channel(room.name, channel_id=room.id, members=room.members, ext_shared=room.shared)
    slack.add_user(GUIDE_USER, "sandbox-guide", real_name="Sandbox guide")
    slack.add_message(GENERAL, GUIDE_USER, GUIDE)  # a person's message: the app is not involved


async def start_world() -> World:
    slack = SlackEmulator()
    await slack.start(HOST)
    _seed(slack)
    folder = tempfile.TemporaryDirectory(prefix="incident-comms-sandbox-")
    policy = Path(folder.name) / "policy.toml"
    policy.write_text(POLICY)
    secret = secrets.token_hex(16)
    settings = SandboxSettings(
        SLACK_SIGNING_SECRET=secret,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{Path(folder.name) / 'sandbox.db'}",
        INCIDENT_COMMS_CONFIG=policy,
        METRICS_PORT=0,
        METRICS_HOST=HOST,
    )
    clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))
    app = create_app(settings, clock=clock, sweeps=False)  # the clock control runs the sweeps
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, HOST, 0).start()
    app_url = f"http://{HOST}:{runner.addresses[0][1]}"
    core = app[CORE]
    driver = SlackDriver(app_url, slack, secret=secret, settle=core.tracker.wait_idle)
    return World(slack, driver, core, clock, app_url, runner, folder)
