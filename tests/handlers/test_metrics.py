"""/metrics lives on its own listener (METRICS_HOST:METRICS_PORT), never on $PORT, behind METRICS_TOKEN.

Every app here asks for METRICS_PORT=0 (tests/conftest.py) and reads the port it was given.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import Settings
from emulator.driver import SIGNING_SECRET
from handlers.app import METRICS, ConfigError, create_app
from tests.conftest import BOB, running_bot
from tests.slack.flows import declare

REPO = Path(__file__).resolve().parents[2]
TOKEN = "scrape-token-0123456789"


async def get(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return response.status, await response.text()


async def test_metrics_is_not_on_the_main_port_but_on_its_own(bot):
    assert (await get(bot.base_url + "/healthz"))[0] == 200
    assert (await get(bot.base_url + "/metrics"))[0] == 404
    status, body = await get(bot.metrics_url)
    assert status == 200 and "incident_comms_active_incidents" in body
    assert bot.app[METRICS].host == "127.0.0.1" and bot.app[METRICS].port != 0


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("", 401),
        (f"Bearer {TOKEN}x", 401),
        (f"Bearer {TOKEN[:-1]}", 401),
        (f"Basic {TOKEN}", 401),
        (TOKEN, 401),
        (f"Bearer {TOKEN}", 200),
        (f"bearer {TOKEN}", 200),
    ],
)
async def test_a_metrics_token_is_required_as_a_bearer_token(
    slack, database_url, clock, policy, authorization, status
):
    async with running_bot(slack, database_url, clock, policy, METRICS_TOKEN=TOKEN) as driver:
        headers = {} if authorization is None else {"Authorization": authorization}
        answered, body = await get(driver.metrics_url, **headers)
        assert answered == status
        assert ("incident_comms_requests" in body) == (status == 200)
        assert (await get(driver.base_url + "/metrics", Authorization=f"Bearer {TOKEN}"))[0] == 404


async def test_the_listener_stops_with_the_app(slack, database_url, clock, policy):
    async with running_bot(slack, database_url, clock, policy) as driver:
        url = driver.metrics_url
        assert (await get(url))[0] == 200
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(url)


async def test_a_metrics_port_in_use_stops_start_up_naming_it(slack, tmp_path, policy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_API_URL=slack.api_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            METRICS_PORT=port,
        )
        server = TestServer(create_app(settings, policy=policy, sweeps=False), host="127.0.0.1")
        with pytest.raises(ConfigError, match=f"METRICS_HOST:METRICS_PORT 127.0.0.1:{port} cannot be bound"):
            await server.start_server()
        await server.close()


def test_the_defaults_are_9464_on_loopback_without_a_token(monkeypatch):
    for name in ("METRICS_PORT", "METRICS_HOST", "METRICS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert (settings.metrics_port, settings.metrics_host, settings.metrics_token) == (9464, "127.0.0.1", None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_serve_puts_metrics_on_the_metrics_port(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(port),
        "METRICS_PORT": "0",
        "METRICS_TOKEN": TOKEN,
        "LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "handlers.cli", "serve"], env=env, cwd=REPO, stderr=subprocess.PIPE, text=True
    )
    try:
        metrics = _announced_metrics_url(process)
        await _until_up(f"http://127.0.0.1:{port}/healthz")
        assert (await get(metrics, Authorization=f"Bearer {TOKEN}"))[0] == 200
        assert (await get(metrics))[0] == 401
        assert (await get(f"http://127.0.0.1:{port}/metrics", Authorization=f"Bearer {TOKEN}"))[0] == 404
        assert (await get(f"http://127.0.0.1:{port}/healthz"))[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=15)


async def _until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if (await get(url))[0] == 200:
                return
        except aiohttp.ClientConnectionError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.05)


def _announced_metrics_url(process: subprocess.Popen) -> str:
    """The URL `serve` logs once its listeners are up (METRICS_PORT=0: the port it was given)."""
    deadline = time.monotonic() + 60
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if found := re.search(r"metrics on (http://127\.0\.0\.1:[1-9][0-9]*/metrics)", line):
            return found.group(1)
        if not line and process.poll() is not None:
            break
    raise AssertionError("serve never announced its metrics listener")


async def test_live_incidents_are_counted_by_visibility_so_private_ones_are_told_apart(bot):
    await declare(bot, "Checkout errors in EU")
    await declare(bot, "Payroll export leak", user=BOB, visibility="private")

    _, body = await get(bot.metrics_url)

    assert 'incident_comms_active_incidents{visibility="public"} 1.0' in body
    assert 'incident_comms_active_incidents{visibility="private"} 1.0' in body


async def test_the_scrape_parses_with_no_created_series_no_job_label_and_process_figures(bot):
    from prometheus_client.parser import text_string_to_metric_families

    bot.core.metrics.background_failures.labels("setup").inc()
    _, body = await get(bot.metrics_url)

    families = {family.name: family for family in text_string_to_metric_families(body)}
    samples = [sample for family in families.values() for sample in family.samples]
    assert not [s.name for s in samples if s.name.endswith("_created")], "no _created series"
    assert not [s.name for s in samples if "job" in s.labels], "a `job` label becomes exported_job"
    assert "process_resident_memory_bytes" in families and "python_info" in families
    [failure] = families["incident_comms_background_failures"].samples
    assert failure.labels == {"task": "setup"} and failure.value == 1.0
