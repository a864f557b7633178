"""Forged Teams tokens never reach a key fetch on the event loop, so they cannot stall it.

The local key server answers our own key sets (the Bot Framework's, our tenant's Entra one) at
once and any other tenant's after a second, as a far-away endpoint would; a token that made the
SDK fetch one on the loop would stall every request for that second.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.apps.auth.token_validator import AGENT_365_PLATFORM_APP_ID

from emulator.teams.driver import TENANT, TeamsDriver
from handlers.teams.adapter import TEST_BOT_ID
from tests.teams.conftest import FAR_AWAY, FETCHED, running_teams
from tests.teams.test_auth import KID, help_request, token


@pytest.fixture
async def guarded(slack, connector, database_url, clock, policy, keys_origin) -> AsyncIterator[TeamsDriver]:
    cloud = with_overrides(
        PUBLIC,
        openid_metadata_url=f"{keys_origin}/v1/.well-known/openidconfiguration",
        login_endpoint=keys_origin,
    )
    async with running_teams(
        slack, connector, database_url, clock, policy, authenticate=True, cloud=cloud, TEAMS_TENANT_ID=TENANT
    ) as driver:
        await _until(lambda: any(p.startswith(f"/{TENANT}/") for p in FETCHED))
        yield driver


def entra(key: rsa.RSAPrivateKey, origin: str, tenant: str, *, kid: str = KID, **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": f"{origin}/{tenant}/v2.0",
        "tid": tenant,
        "aud": TEST_BOT_ID,
        "iat": now,
        "exp": now + 600,
    }
    return jwt.encode({**payload, **claims}, key, algorithm="RS256", headers={"kid": kid})


def forgeries(key: rsa.RSAPrivateKey, origin: str, service_url: str) -> list[str]:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = jwt.utils.base64url_encode(b'{"alg":"none","kid":"local-key-1"}').decode()
    claims = jwt.utils.base64url_encode(b'{"iss":"https://api.botframework.com"}').decode()
    return [
        *(entra(stranger, origin, str(uuid.uuid4())) for _ in range(5)),  # fresh tenants
        *(token(stranger, service_url) for _ in range(2)),  # our kid, another key: the SDK says no
        jwt.encode({"iss": "https://api.botframework.com"}, stranger, "RS256", headers={"kid": "not-ours"}),
        entra(stranger, origin, TENANT, kid="unknown-kid"),
        jwt.encode(
            {"iss": "https://api.botframework.com"},
            "a-shared-secret-of-32-bytes-or-more",
            "HS256",
            headers={"kid": KID},
        ),
        f"{header}.{claims}.",
        "a" * 8_000,  # (longer headers are aiohttp's 400)
        "not.a.token",
        "a\u00ff.b.c",  # not ASCII: the JWT library raises UnicodeError, not a JWT error
        "",
    ]


async def test_forged_tokens_are_401_without_a_key_fetch_and_never_stall_the_loop(
    guarded,
    connector,
    our_key,
    keys_origin,
):
    fetched_before = len(FETCHED)
    for _ in range(STALL_ATTEMPTS):  # a starved process can stall once; a key fetch on the loop every time
        async with longest_stall() as stall:
            sent = [
                guarded.send(
                    help_request(guarded), headers={"Authorization": f"Bearer {forged}"}, settle=False
                )
                for forged in forgeries(our_key, keys_origin, connector.service_url)
            ]
            signed = {"Authorization": f"Bearer {token(our_key, connector.service_url)}"}
            worst = [guarded.send(hostile, headers=signed, settle=False) for hostile in worst_case(guarded)]
            replies, answered = await asyncio.gather(asyncio.gather(*sent), asyncio.gather(*worst))
            good = await guarded.send(help_request(guarded), headers=signed)
        if stall.longest < FAR_AWAY / 2:
            break

    assert [reply.status for reply in replies] == [401] * len(replies)
    assert [reply.status for reply in answered] == [200] * len(answered), "worst-case text is answered"
    posted = [p.texts() for p in connector.messages()]  # the worst cases' answers may land after it
    assert good.status == 200 and any("incident help" in text for text in posted)
    assert FETCHED[fetched_before:] == [], "no request fetched a key set"
    assert stall.longest < FAR_AWAY / 2, f"the loop stalled {stall.longest:.3f} s"


async def test_our_own_tenants_entra_token_is_checked_from_keys_warmed_up_front(
    guarded,
    connector,
    our_key,
    keys_origin,
):
    fetched_before = len(FETCHED)
    ours = entra(our_key, keys_origin, TENANT, azp=AGENT_365_PLATFORM_APP_ID)

    reply = await guarded.send(help_request(guarded), headers={"Authorization": f"Bearer {ours}"})

    assert reply.status == 200 and "incident help" in connector.last().texts()
    assert FETCHED[fetched_before:] == []


def worst_case(teams: TeamsDriver) -> list[dict]:
    """Correctly signed messages whose text is the worst case for what scans it (56 KB each:
    mention tags, tags, link syntax, brackets), in the personal chat with the bot."""
    texts = ["<at>" * 14_000, "<" * 56_000, "[a](" * 14_000, "[" * 56_000, "*_" * 28_000]
    return [{**help_request(teams), "text": text} for text in texts]


STALL_ATTEMPTS = 3


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


class Stall:
    longest = 0.0


@asynccontextmanager
async def longest_stall(tick: float = 0.005) -> AsyncIterator[Stall]:
    """The longest time the event loop was late to wake a sleeper, while the block runs."""
    stall = Stall()

    async def watch() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(tick)
            stall.longest = max(stall.longest, time.perf_counter() - started - tick)

    watcher = asyncio.create_task(watch())
    try:
        yield stall
    finally:
        watcher.cancel()


async def _until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
