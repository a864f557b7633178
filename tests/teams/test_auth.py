"""With authentication on, the SDK checks the Bot Framework token against the cloud's JWKS.

The key set is served locally (tests/teams/conftest.py::keys_origin); the SDK's `PyJWKClient`
fetches it synchronously, so it is served from a thread, not from this event loop.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides

from emulator.teams.driver import TeamsDriver
from handlers.teams.adapter import TEST_BOT_ID
from tests.teams.conftest import FETCHED, running_teams

KID = "local-key-1"
ISSUER = "https://api.botframework.com"


@pytest.fixture
def jwks_fetches():
    FETCHED.clear()
    return lambda: sum(1 for path in FETCHED if path.endswith("/keys"))


@pytest.fixture
def signing_key(our_key: rsa.RSAPrivateKey) -> rsa.RSAPrivateKey:
    return our_key


@pytest.fixture
def jwks_origin(keys_origin: str) -> str:
    return keys_origin


@pytest.fixture
async def signed(slack, connector, database_url, clock, policy, jwks_origin) -> AsyncIterator[TeamsDriver]:
    cloud = with_overrides(PUBLIC, openid_metadata_url=f"{jwks_origin}/v1/.well-known/openidconfiguration")
    async with running_teams(
        slack, connector, database_url, clock, policy, authenticate=True, cloud=cloud
    ) as driver:
        yield driver


def token(key: rsa.RSAPrivateKey, service_url: str, **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": TEST_BOT_ID,
        "serviceurl": service_url,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})


def help_request(driver: TeamsDriver) -> dict:
    return driver.activity(
        "message", user="aad-alice", conversation="a:chat-alice", conversation_type="personal", text="help"
    )


async def test_a_correctly_signed_token_is_accepted(signed, connector, signing_key):
    good = token(signing_key, connector.service_url)

    reply = await signed.send(help_request(signed), headers={"Authorization": f"Bearer {good}"})

    assert reply.status == 200
    assert "incident help" in connector.last().texts()


async def test_a_missing_token_is_401(signed, connector):
    reply = await signed.send(help_request(signed))

    assert reply.status == 401 and connector.posted == []


async def test_a_tampered_token_is_401(signed, connector, signing_key):
    header, payload, signature = token(signing_key, connector.service_url).split(".")
    forged = jwt.utils.base64url_encode(
        json.dumps(
            {
                **jwt.decode(f"{header}.{payload}.{signature}", options={"verify_signature": False}),
                "aud": "another-bot",
            }
        ).encode()
    ).decode()

    reply = await signed.send(
        help_request(signed), headers={"Authorization": f"Bearer {header}.{forged}.{signature}"}
    )

    assert reply.status == 401 and connector.posted == []


async def test_a_token_signed_by_another_key_is_401(signed, connector):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    reply = await signed.send(
        help_request(signed), headers={"Authorization": f"Bearer {token(stranger, connector.service_url)}"}
    )

    assert reply.status == 401 and connector.posted == []


async def test_signing_keys_are_fetched_off_the_event_loop_so_requests_find_them_cached(
    jwks_fetches, signed, connector, signing_key
):
    assert await wait_until(lambda: jwks_fetches() >= 1), "fetched at start, by the warmer's thread"
    before = jwks_fetches()

    for _ in range(3):
        reply = await signed.send(
            help_request(signed),
            headers={"Authorization": f"Bearer {token(signing_key, connector.service_url)}"},
        )
        assert reply.status == 200

    assert jwks_fetches() == before, "no request fetched the keys itself"


async def wait_until(condition, timeout: float = 5.0) -> bool:
    import asyncio

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True
