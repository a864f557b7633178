"""The sandbox listens on 127.0.0.1 only, ignores the bot's environment, and `serve` has none of it."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import aiohttp

from bot.config import Settings
from handlers.app import create_app
from handlers.sandbox.world import start_world
from tests.serve_process import free_port

HOSTILE = {
    "DATABASE_URL": "postgresql+asyncpg://prod@db.example.invalid/prod",
    "SLACK_BOT_TOKEN": "xoxb-real-workspace",
    "SLACK_SIGNING_SECRET": "the-real-signing-secret",
    "SLACK_API_URL": "https://slack.example.invalid/api/",
    "SLACK_APP_TOKEN": "xapp-1-real",
    "SMTP_URL": "smtp://mail.example.invalid:25",
    "TEAMS_CLIENT_ID": "real-teams-app",
    "TEAMS_CLIENT_SECRET": "real-teams-secret",
    "TEAMS_TENANT_ID": "real-tenant",
    "INCIDENT_COMMS_CONFIG": "/nonexistent/policy.toml",
}
LOOPBACK_HEX = "0100007F"  # 127.0.0.1 in /proc/net/tcp


def _listening(port: int) -> set[str]:
    """Local addresses listening on `port` (IPv4 and IPv6), from /proc/net/tcp*."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


async def test_the_world_ignores_the_environment(monkeypatch):
    for name, value in HOSTILE.items():
        monkeypatch.setenv(name, value)
    world = await start_world()
    try:
        settings = world.core.settings
        assert settings.database_url.startswith("sqlite+aiosqlite:///")
        assert settings.database_url.endswith("sandbox.db") and world.folder.name in settings.database_url
        assert settings.secret("slack_bot_token") == world.slack.bot_token
        assert settings.secret("slack_signing_secret") not in (None, HOSTILE["SLACK_SIGNING_SECRET"])
        assert settings.slack_api_url == world.slack.api_url
        assert settings.slack_app_token is None and settings.smtp_url is None
        assert not settings.teams_configured
        assert world.app_url.startswith("http://127.0.0.1:") and world.slack.origin.startswith(
            "http://127.0.0.1:"
        )
    finally:
        await world.close()


async def test_the_command_binds_loopback_only():
    port = free_port()
    env = {**os.environ, **HOSTILE, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "handlers.cli", "sandbox", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(*command, env=env, stdout=asyncio.subprocess.PIPE)
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert f"http://127.0.0.1:{port}/" in line.decode()
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/") as page:
            assert page.status == 200 and "incident-comms sandbox" in await page.text()
        assert _listening(port) == {LOOPBACK_HEX}
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 20) == 0


def test_serve_registers_no_sandbox_route(tmp_path):
    settings = Settings(
        SLACK_SIGNING_SECRET="s",
        SLACK_BOT_TOKEN="xoxb-t",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/x.db",
    )
    paths = {resource.canonical for resource in create_app(settings, sweeps=False).router.resources()}
    assert not {"/api/state", "/api/type", "/api/use", "/api/reset", "/static"} & paths
    assert not any(path.startswith("/static") for path in paths)


async def test_other_sites_cannot_act(sandbox):
    async with aiohttp.ClientSession() as session:
        form = {"user": "UALICE", "channel": "CGENERAL", "text": "/incident help"}
        async with session.post(sandbox.url + "/api/type", data=form) as posted:  # a form, no preflight
            assert posted.status == 415
        rebound = {"Host": "attacker.example:80"}
        async with session.get(sandbox.url + "/api/state", headers=rebound) as read:
            assert read.status == 403
    ws = sandbox.world.slack.workspace
    assert not ws.responses and not ws.ephemerals and not ws.opened_views
