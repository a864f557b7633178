"""A real `serve --teams-local` process checks Teams tokens the production way, against the
OpenID metadata document TEAMS_OPENID_METADATA_URL names: signed by its key → answered; by
another key → 401; from another tenant → 403. `teams-say` talks to the built-in try-out."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from emulator.driver import SIGNING_SECRET
from emulator.teams.driver import TENANT, personal_chat
from handlers.teams.adapter import TEST_BOT_ID
from tests.handlers.test_metrics import REPO, _free_port, _until_up
from tests.teams.test_auth import ISSUER, KID


def serve(tmp_path, port: int, env: dict[str, str], *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(port),
        "METRICS_PORT": "0",
        "TMPDIR": str(tmp_path),  # the try-out's key and state stay in this test's folder
        **env,
    }
    command = [sys.executable, "-m", "handlers.cli", "serve", "--teams-local", *args]
    return subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def message(connector_url: str, tenant: str = TENANT) -> dict:
    user = "aad-alice"
    return {
        "type": "message",
        "id": "act-local-1",
        "channelId": "msteams",
        "serviceUrl": connector_url,
        "from": {"id": f"29:{user}", "name": user, "aadObjectId": user},
        "recipient": {"id": "28:incident-comms", "name": "incident-comms"},
        "conversation": {"id": personal_chat(user), "conversationType": "personal", "tenantId": tenant},
        "channelData": {"tenant": {"id": tenant}},
        "text": "help",
    }


def signed(key: rsa.RSAPrivateKey, connector_url: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": TEST_BOT_ID, "serviceurl": connector_url, "iat": now, "exp": now + 600}
    return jwt.encode(claims, key, "RS256", headers={"kid": KID})


async def post(url: str, body: dict, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session, session.post(url, json=body, headers=headers) as response:
        return response.status


async def test_serve_checks_tokens_against_the_configured_metadata_document(
    tmp_path,
    connector,
    keys_origin,
    our_key,
):
    port, url = _free_port(), connector.service_url
    env = {
        "TEAMS_OPENID_METADATA_URL": f"{keys_origin}/v1/.well-known/openidconfiguration",
        "TEAMS_LOGIN_URL": keys_origin,  # where our tenant's Entra key set is
        "TEAMS_TENANT_ID": TENANT,
    }
    process = serve(tmp_path, port, env, "--connector", url)
    endpoint = f"http://127.0.0.1:{port}/api/messages"
    try:
        await _until_up(f"http://127.0.0.1:{port}/healthz")
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

        assert await post(endpoint, message(url), signed(our_key, url)) == 200
        await _until(lambda: connector.posted)
        assert "incident help" in connector.last().texts()
        assert await post(endpoint, message(url), signed(stranger, url)) == 401
        assert await post(endpoint, message(url, tenant="another-tenant"), signed(our_key, url)) == 403
        assert len(connector.posted) == 1
    finally:
        process.terminate()
        process.wait(timeout=15)


async def test_the_try_out_answers_teams_say_through_its_own_connector_and_key(tmp_path):
    port = _free_port()
    process = serve(tmp_path, port, {})
    try:
        await _until_up(f"http://127.0.0.1:{port}/healthz")
        env = {**os.environ, "TMPDIR": str(tmp_path)}
        said = subprocess.run(
            [sys.executable, "-m", "handlers.cli", "teams-say", "incident list"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert said.returncode == 0 and "HTTP 200" in said.stdout, said.stdout + said.stderr
        printed = await _read_until(process, "No active incidents")
        assert "[fake Teams] the bot posted in a:personal-chat-with-aad-you" in printed
    finally:
        process.terminate()
        process.wait(timeout=15)


async def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def _read_until(process: subprocess.Popen, text: str, timeout: float = 20.0) -> str:
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    seen, deadline = "", time.monotonic() + timeout
    while text not in seen and time.monotonic() < deadline:
        seen += process.stdout.read() or ""
        await asyncio.sleep(0.1)
    assert text in seen, seen[-2000:]
    return seen
