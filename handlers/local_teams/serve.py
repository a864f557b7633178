"""`incident-comms serve --teams-local`: the bot with Teams on, and no Microsoft account.

Inbound activities take the production path: the token gate, then the SDK's signature,
audience, issuer and service-URL checks against `TEAMS_OPENID_METADATA_URL`. Unless that is
set, a local OpenID metadata document is served with a key generated at start (its PEM file is
printed). Outbound calls go to a fake Bot Connector on 127.0.0.1 (built in, or `--connector`),
which prints what the bot posts, with a placeholder token instead of an Entra sign-in; a
connector that is not on a loopback address is refused, so this mode never talks to Teams.
`incident-comms teams-say TEXT` signs a message with the printed key and sends it.
"""

from __future__ import annotations

import asyncio
import json
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_teams.api.auth.cloud_environment import with_overrides

from bot.config import Settings
from bot.endpoints import is_loopback
from emulator.teams import FakeConnector
from emulator.teams.connector import Posted
from emulator.teams.driver import TENANT
from handlers.teams.cloud import cloud_of

STATE = Path(tempfile.gettempdir()) / "incident-comms-teams-local"  # key + where things are, for teams-say
KID = "teams-local-key"
YOU, UPN = "aad-you", "you@example.com"  # who `teams-say` speaks as, known to the built-in connector
UPN_KEY = "userPrincipalName"


class LocalKeys:
    """A signing key and the OpenID metadata document that publishes it, on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.pem = folder / "signing-key.pem"
        self.pem.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.pem.chmod(0o600)
        self.metadata_url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_get("/{tenant}/discovery/v2.0/keys", self._keys)  # Entra's, for our tenant
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.metadata_url = f"http://127.0.0.1:{port}/v1/.well-known/openidconfiguration"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _metadata(self, _request: web.Request) -> web.Response:
        keys = self.metadata_url.replace("openidconfiguration", "keys")
        return web.json_response({"jwks_uri": keys, "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, _request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return web.json_response({"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]})


@dataclass
class Local:
    settings: Settings
    connector_url: str
    metadata_url: str
    key_file: Path | None


def placeholder_token() -> str:
    """What outbound calls carry instead of an Entra token (a JWT shape the SDK can read)."""
    claims = {"aud": "https://api.botframework.com", "appid": "incident-comms-local", "exp": 4102444800}
    return jwt.encode(claims, "local-only-placeholder-not-a-secret-at-all", "HS256")


def print_post(posted: Posted) -> None:
    text = posted.texts() or str(posted.activity.get("text") or "")
    print(f"\n[fake Teams] the bot posted in {posted.conversation_id}:\n{text}\n", flush=True)


async def serve_local(settings: Settings, connector_url: str | None) -> int:
    """Run until SIGINT/SIGTERM; 2 when the connector named is not on this machine."""
    if connector_url and not is_loopback(urlsplit(connector_url).hostname or ""):
        print(f"incident-comms: --connector must be on a loopback address, not {connector_url}")
        return 2
    STATE.mkdir(mode=0o700, exist_ok=True)
    stack: list = []
    try:
        local = await _start_parts(settings, connector_url, stack)
        await _run_app(local, stack)
    finally:
        for part in reversed(stack):
            await part()
    return 0


async def _start_parts(settings: Settings, connector_url: str | None, stack: list) -> Local:
    if connector_url is None:
        connector = FakeConnector(on_post=print_post)
        connector.members[YOU] = {
            "id": f"29:{YOU}",
            "aadObjectId": YOU,
            "name": "You",
            "userPrincipalName": UPN,
        }
        await connector.start()
        stack.append(connector.stop)
        connector_url = connector.service_url
    metadata_url, key_file = settings.teams_openid_metadata_url, None
    if not metadata_url:
        keys = LocalKeys(STATE)
        await keys.start()
        stack.append(keys.stop)
        metadata_url, key_file = keys.metadata_url, keys.pem
    tenant = settings.teams_tenant_id or TENANT
    chosen = settings.model_copy(update={"teams_tenant_id": tenant})
    return Local(chosen, connector_url, metadata_url, key_file)


async def _run_app(local: Local, stack: list) -> None:
    from handlers.app import create_app
    from handlers.teams.adapter import TEST_BOT_ID, TeamsOverrides

    # our own keys also stand in for our tenant's Entra key set (`token_gate`), so nothing is fetched
    # from Microsoft; with TEAMS_OPENID_METADATA_URL set, TEAMS_LOGIN_URL says where that set is
    login = local.metadata_url.split("/v1/", 1)[0] if local.key_file else None
    cloud = with_overrides(
        cloud_of(local.settings), openid_metadata_url=local.metadata_url, login_endpoint=login
    )
    token = placeholder_token()
    overrides = TeamsOverrides(local.connector_url, lambda *_: token, authenticate=True, cloud=cloud)
    runner = web.AppRunner(create_app(local.settings, teams=overrides))
    await runner.setup()
    stack.append(runner.cleanup)
    await web.TCPSite(runner, "127.0.0.1", local.settings.port).start()
    bot_id = local.settings.teams_client_id or TEST_BOT_ID
    _remember(local, bot_id, cloud.token_issuer)
    _announce(local)
    stopped = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stopped.set)
    await stopped.wait()


def _remember(local: Local, bot_id: str, issuer: str) -> None:
    state = {
        "bot": f"http://127.0.0.1:{local.settings.port}/api/messages",
        "connector": local.connector_url,
        "key": str(local.key_file) if local.key_file else None,
        "bot_id": bot_id,
        "tenant": local.settings.teams_tenant_id,
        "issuer": issuer,
    }
    (STATE / "local.json").write_text(json.dumps(state))


def _announce(local: Local) -> None:
    print(
        "Teams (local) is on: no Microsoft account, nothing leaves 127.0.0.1.\n"
        f"  messaging endpoint  http://127.0.0.1:{local.settings.port}/api/messages\n"
        f"  fake Bot Connector  {local.connector_url}  (what the bot posts is printed here)\n"
        f"  OpenID metadata     {local.metadata_url}\n"
        + (f"  signing key         {local.key_file}\n" if local.key_file else "")
        + '  try it:             incident-comms teams-say "help"   (in another terminal)',
        flush=True,
    )
