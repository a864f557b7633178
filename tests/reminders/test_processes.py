"""Real processes, real time: a restart mid-cadence, and two instances on one PostgreSQL.

The app runs as `python -m handlers.cli serve` subprocesses against the emulator in this process,
with cadences of seconds from the policy. Nothing here mocks time: we wait for real posts.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.policy.model import load_policy
from emulator.driver import SIGNING_SECRET
from handlers.app import CORE, create_app
from tests.policies import policy_file
from tests.reminders.seeding import seed_incidents

ICONS = {"⏰": "heads_up", "🔔": "due", "🚨": "escalation"}


def write_fast_policy(tmp_path: Path, *, cadence: str, heads_up: str, escalate_after: str) -> Path:
    return policy_file(
        tmp_path,
        "fast-policy.toml",
        channels=None,
        approvals=None,
        severities={"SEV2": {"description": "Major", "cadence": cadence}},
        reminders={"heads_up": heads_up, "escalate_after": escalate_after, "sweep_interval": "1s"},
    )


async def seed(slack, database_url: str, policy_path: Path, count: int) -> None:
    settings = _settings(slack, database_url)
    app = create_app(settings, policy=load_policy(policy_path), clock=SystemClock(), sweeps=False)
    core = app[CORE]
    try:
        await seed_incidents(core, slack, count)
    finally:
        await core.db.dispose()


def _settings(slack, database_url: str) -> Settings:
    return Settings(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
    )


@contextmanager
def instance(slack, database_url: str, policy_path: Path, port: int) -> Iterator[subprocess.Popen]:
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "INCIDENT_COMMS_CONFIG": str(policy_path),
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "handlers.cli", "serve"], env=env)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # aiohttp runs the app's cleanup: sweeps finish first
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def reminders(slack) -> Counter:
    """(channel, stage) -> how many times it was posted."""
    found: Counter = Counter()
    for call in slack.calls_to("chat.postMessage"):
        icon = (call.args.get("text") or "")[:1]
        if call.ok and icon in ICONS:
            found[(call.args["channel"], ICONS[icon])] += 1
    return found


async def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for reminders")
        await asyncio.sleep(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_restart_mid_cadence_loses_no_reminder_and_doubles_none(slack, sqlite_template, tmp_path):
    """One instance on the embedded default database, stopped and started again."""
    database_url = sqlite_template.fresh_url()
    policy = write_fast_policy(tmp_path, cadence="14s", heads_up="4s", escalate_after="4s")
    await seed(slack, database_url, policy, 5)

    with instance(slack, database_url, policy, free_port()) as first:
        await wait_for(lambda: len(reminders(slack)) == 5, timeout=60)  # every heads-up, ~10s in
        stop(first)
    assert set(stage for _, stage in reminders(slack)) == {"heads_up"}
    with instance(slack, database_url, policy, free_port()):
        await wait_for(lambda: len(reminders(slack)) == 15, timeout=60)
        await asyncio.sleep(2)  # two more sweeps: anything doubled would show now

    sent = reminders(slack)
    assert len(sent) == 15 and set(sent.values()) == {1}


async def test_two_instances_on_one_postgresql_send_each_reminder_exactly_once(slack, postgres_run, tmp_path):
    database = postgres_run
    await database.empty()
    policy = write_fast_policy(tmp_path, cadence="8s", heads_up="3s", escalate_after="3s")
    await seed(slack, database.url, policy, 40)

    with (
        instance(slack, database.url, policy, free_port()),
        instance(slack, database.url, policy, free_port()),
    ):
        await wait_for(lambda: len(reminders(slack)) == 120, timeout=60)
        await asyncio.sleep(2)

    sent = reminders(slack)
    assert len(sent) == 120 and set(sent.values()) == {1}
