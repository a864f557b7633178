"""Process roles: a `web` process answers and records, a `worker` process sets up and reminds.

Real `serve` processes (tests/serve_process.py) against one PostgreSQL database and the
Slack emulator. A declaration through a web process is not set up while no worker runs; a
worker started later sets it up (channel, invites, pinned intro, the initial notice's card),
and only once. With the worker gone a due reminder is not posted by the web process; the
worker posts it when it is back. `web` and `worker` refuse SQLite; `all` (the default) runs
on SQLite in every other end-to-end test.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import update

from bot.config import Settings
from handlers.app import ConfigError, create_app
from storage.models import Incident
from tests.conftest import ALICE, BOB, GENERAL
from tests.policies import APPROVALS, policy_file
from tests.serve_process import REPO, Serve, database_at
from tests.slack.flows import DEFAULT_FORM


async def eventually(done: Callable[[], bool], seconds: float = 15) -> None:
    async with asyncio.timeout(seconds):
        while not done():
            await asyncio.sleep(0.05)


async def reminder_due_now(database_url: str) -> None:
    db = database_at(database_url)
    past = datetime.now(UTC) - timedelta(minutes=1)
    try:
        async with db.write() as session:
            await session.exec(update(Incident).values(next_update_due_at=past, next_reminder_at=past))
    finally:
        await db.dispose()


async def test_web_records_and_a_worker_sets_up_and_reminds(postgres_run, slack, tmp_path) -> None:
    await postgres_run.empty()
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB])
    env = {"INCIDENT_COMMS_CONFIG": str(policy_file(tmp_path)), "LOG_LEVEL": "WARNING"}
    web = await Serve(tmp_path, slack, postgres_run.url, PROCESS_ROLE="web", **env).start()
    worker = Serve(tmp_path, slack, postgres_run.url, PROCESS_ROLE="worker", **env)
    try:
        bot = web.driver()
        await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
        await eventually(lambda: slack.opened_views)  # the form opens from the web process
        reply = await bot.submit(slack.opened_views[-1].view, DEFAULT_FORM, user=ALICE)
        assert reply.status == 200 and not reply.text
        await asyncio.sleep(1.0)  # four of a worker's polls: a web process sets nothing up
        assert not slack.calls_to("conversations.create"), web.log()

        await worker.start()
        await eventually(lambda: slack.calls_to("pins.add") and slack.messages(APPROVALS))
        [created] = [c for c in slack.calls_to("conversations.create") if c.ok]
        channel = slack.channel(created.args["name"])
        assert {ALICE} <= channel.members
        async with (
            aiohttp.ClientSession() as session,
            session.post(worker.base_url + "slack/events") as answer,
        ):
            assert answer.status == 404  # a worker takes no Slack requests
        await worker.stop()
        worker.close()
        assert "cannot LISTEN" not in worker.log()  # woken by NOTIFY, not only by polling

        posts = len(slack.messages(channel.id))
        await reminder_due_now(postgres_run.url)
        await asyncio.sleep(2.5)  # more than two cadence sweeps (1 s) of an `all` process
        assert len(slack.messages(channel.id)) == posts, "a web process posted a reminder"

        worker = await Serve(tmp_path, slack, postgres_run.url, PROCESS_ROLE="worker", **env).start()
        await eventually(lambda: len(slack.messages(channel.id)) > posts)
        assert "due" in slack.messages(channel.id)[posts].text  # the reminder
        assert len([c for c in slack.calls_to("conversations.create") if c.ok]) == 1
        await bot.close()
    finally:
        web.close()
        worker.close()


def test_a_worker_refuses_sqlite(tmp_path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db", "SLACK_SIGNING_SECRET": "s", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "serve", "--role", "worker"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "DATABASE_URL" in done.stderr and "PostgreSQL" in done.stderr


@pytest.mark.parametrize("role", ["web", "nobody"])
def test_a_web_process_refuses_sqlite_and_roles_are_checked(role: str, tmp_path) -> None:
    settings = Settings(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/x.db",
        SLACK_SIGNING_SECRET="s",
        SLACK_BOT_TOKEN="xoxb-x",
    )
    with pytest.raises(ConfigError, match="DATABASE_URL" if role == "web" else "web, worker or all"):
        create_app(settings, role=role)
