"""The real app with subscriptions on, a real SMTP server (aiosmtpd) and the steps a customer takes."""

from __future__ import annotations

import re

import pytest

from tests.conftest import running_bot
from tests.external.email.conftest import SMTP_URL, Inbox, inbox  # noqa: F401 (the fixture)
from tests.external.helpers import CHAT_POLICY, add_channels
from tests.policies import make_policy

SECRET = "a-test-subscription-secret-of-forty-characters"
BASE_URL = "https://status.example.test"
COMPONENTS = {
    "api": {"name": "Public API", "order": 1},
    "payments": {"name": "Card <payments>", "order": 2},
}
LINK = re.compile(r"https://status\.example\.test(/status/subscribe/confirm/[0-9a-f.]+)")
FORM_TOKEN = re.compile(r'name="form_token" value="([0-9]+\.[0-9a-f]{64})"')


@pytest.fixture
def limits() -> dict:
    return {"per_address_per_hour": 2, "per_ip_per_hour": 5, "global_per_hour": 8}


@pytest.fixture
def policy(tmp_path, limits):
    return make_policy(
        tmp_path,
        **CHAT_POLICY,
        status_page={"name": "Example status", "base_url": BASE_URL, "components": COMPONENTS},
        email={"from_address": "Service status <status@example.com>", "customers": ["ops@one.example"]},
        subscriptions={"enabled": True, "blocked_domains": ["spam.example"], **limits},
    )


@pytest.fixture
async def bot(slack, database_url, clock, policy, inbox, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SUBSCRIPTION_SECRET", SECRET)
    add_channels(slack)
    async with running_bot(
        slack, database_url, clock, policy, SMTP_URL=SMTP_URL.format(port=inbox.port)
    ) as driver:
        yield driver


async def get(bot, path: str) -> tuple[int, str]:
    async with bot.session.get(bot.base_url + path) as response:
        return response.status, await response.text()


async def post(bot, path: str, data: dict | list, **headers: str) -> tuple[int, str]:
    async with bot.session.post(bot.base_url + path, data=data, headers=headers) as response:
        return response.status, await response.text()


async def subscribe(bot, address: str, components: list[str] | None = None) -> tuple[int, str]:
    """Open the form, fill it in as a browser without JavaScript would, submit it."""
    status, html = await get(bot, "/status/subscribe")
    assert status == 200
    fields = [("form_token", FORM_TOKEN.search(html)[1]), ("email", address)]
    fields += (
        [("scope", "some"), *(("component", c) for c in components)] if components else [("scope", "all")]
    )
    reply = await post(bot, "/status/subscribe", fields)
    await bot.settle()  # the confirmation e-mail is sent after the answer
    return reply


def confirmation_path(received: Inbox, address: str) -> str:
    [mail] = [r for r in received.to(address) if "Confirm your subscription" in r.message["Subject"]][-1:]
    return LINK.search(mail.part("plain"))[1]
