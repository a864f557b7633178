"""The Slack client's own retries: reads are repeated after a 5xx, posts and creates never."""

from __future__ import annotations

import pytest

from bot.chat.cards import Card
from bot.chat.ports import MessageRef
from bot.errors import PlatformError
from bot.metrics import Metrics
from handlers.slack.client import build_client
from handlers.slack.gateway import SlackGateway
from tests.conftest import ALICE, GENERAL


@pytest.fixture
async def gateway(slack):
    client = build_client(slack.bot_token, slack.api_url, Metrics())
    await client.open_session()
    yield SlackGateway(client, Metrics())
    await client.close_session()


async def test_a_read_is_retried_after_a_server_error(gateway, slack):
    slack.http_error_after("users.info", status=503)

    assert await gateway.verified_email(ALICE) == "alice@example.com"
    assert len(slack.calls_to("users.info")) == 2


async def test_a_post_answered_500_after_slack_stored_it_is_not_repeated(gateway, slack):
    slack.http_error_after("chat.postMessage", status=500)
    before = len(slack.messages(GENERAL))

    with pytest.raises(PlatformError) as failed:
        await _post(gateway)

    assert failed.value.code == "http_500"
    assert len(slack.messages(GENERAL)) == before + 1 and len(slack.calls_to("chat.postMessage")) == 1


async def test_a_dropped_connection_after_a_post_surfaces_as_connection_error(gateway, slack):
    slack.reset_after("chat.postMessage")

    with pytest.raises(PlatformError) as failed:
        await _post(gateway)

    assert failed.value.code == "connection_error"
    assert len(slack.calls_to("chat.postMessage")) == 1


async def _post(gateway: SlackGateway) -> MessageRef:
    return await gateway.post(GENERAL, Card(summary="Status update", body="All good."), marker="outbox:1")
