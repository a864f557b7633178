"""Auth, routing, failure injection, rate limits, scopes and call recording of the Slack emulator."""

from __future__ import annotations

import json
import time
import types

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from emulator.slack import SlackEmulator

from .conftest import ALICE


async def test_auth_test_identifies_the_bot(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    response = await client.auth_test()
    assert response["user_id"] == emulator.bot_user_id
    assert response["team_id"] == emulator.team_id
    assert response["bot_id"].startswith("B")
    assert emulator.api_url == emulator.origin + "/api/"
    assert emulator.origin.startswith("http://127.0.0.1:")


async def test_missing_and_wrong_tokens_are_rejected(emulator: SlackEmulator) -> None:
    with pytest.raises(SlackApiError) as missing:
        await AsyncWebClient(base_url=emulator.api_url).auth_test()
    assert missing.value.response["error"] == "not_authed"
    with pytest.raises(SlackApiError) as wrong:
        await AsyncWebClient(token="xoxb-wrong", base_url=emulator.api_url).chat_postMessage(
            channel=ALICE, text="x"
        )
    assert wrong.value.response["error"] == "invalid_auth"
    assert [c.error for c in emulator.calls] == ["not_authed", "invalid_auth"]


async def test_unknown_method(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        await client.api_call("chat.teleport", json={"channel": "C1"})
    assert err.value.response["error"] == "unknown_method"


async def test_retry_handler_succeeds_after_two_429s(
    emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # slack_sdk adds up to 1 s of random jitter to Retry-After; pin it to 0 to keep the test fast.
    monkeypatch.setattr(builtin_async_handlers, "random", types.SimpleNamespace(random=lambda: 0.0))
    channel = emulator.add_channel("general")
    emulator.rate_limit_next("chat.postMessage", retry_after=0, times=2)
    client = AsyncWebClient(token=emulator.bot_token, base_url=emulator.api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    response = await client.chat_postMessage(channel=channel, text="hello")
    assert response["ok"]
    assert [c.status for c in emulator.calls_to("chat.postMessage")] == [429, 429, 200]
    assert emulator.last_message(channel).text == "hello"


async def test_rate_limited_answer_carries_retry_after(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    emulator.rate_limit_next("conversations.info", retry_after=1)
    with pytest.raises(SlackApiError) as err:
        await client.conversations_info(channel="C404")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] in ("1", ["1"])
    assert err.value.response["error"] == "ratelimited"


async def test_injected_failures_are_consumed_in_order(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    channel = emulator.add_channel("general")
    emulator.fail_next("chat.postMessage", "channel_not_found", detail="injected")
    emulator.http_error_next("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as first:
        await client.chat_postMessage(channel=channel, text="1")
    assert first.value.response.data == {"ok": False, "error": "channel_not_found", "detail": "injected"}
    with pytest.raises(SlackApiError) as second:
        await client.chat_postMessage(channel=channel, text="2")
    assert second.value.response.status_code == 503
    await client.chat_postMessage(channel=channel, text="3")
    emulator.fail_next("chat.postMessage", times=5)
    emulator.clear_failures()
    await client.chat_postMessage(channel=channel, text="4")
    assert [m.text for m in emulator.messages(channel)] == ["3", "4"]
    assert [(c.ok, c.status) for c in emulator.calls_to("chat.postMessage")][:2] == [
        (False, 200),
        (False, 503),
    ]


async def test_post_rate_limit_per_channel(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    first, second = emulator.add_channel("one"), emulator.add_channel("two")
    emulator.limit_post_rate(20)
    await client.chat_postMessage(channel=first, text="a")
    await client.chat_postMessage(channel=second, text="other channel is independent")
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=first, text="too fast")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] in ("1", ["1"])
    time.sleep(0.06)
    await client.chat_postMessage(channel=first, text="b")
    emulator.limit_post_rate(None)
    await client.chat_postMessage(channel=first, text="c")
    assert [m.text for m in emulator.messages(first)] == ["a", "b", "c"]


async def test_missing_scope(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    emulator.remove_scope("chat:write")
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=ALICE, text="hi")
    assert err.value.response["error"] == "missing_scope"
    assert err.value.response["needed"] == "chat:write"
    assert "chat:write" not in err.value.response["provided"].split(",")


async def test_private_channels_need_groups_write(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    emulator.remove_scope("groups:write")
    await client.conversations_create(name="public-one")
    with pytest.raises(SlackApiError) as err:
        await client.conversations_create(name="secret-one", is_private=True)
    assert err.value.response["error"] == "missing_scope"
    assert err.value.response["needed"] == "groups:write"
    emulator.set_scopes({"groups:write"})
    await client.conversations_create(name="secret-two", is_private=True)
    with pytest.raises(SlackApiError) as public:
        await client.conversations_create(name="public-two")
    assert public.value.response["needed"] == "channels:manage"


async def test_form_encoded_calls_are_normalised(emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("general")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    form = {
        "token": emulator.bot_token,
        "channel": channel,
        "text": "hi",
        "blocks": json.dumps(blocks),
        "unfurl_links": "false",
        "made_up_arg": "1",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(emulator.api_url + "chat.postMessage", data=form) as resp,
    ):
        body = await resp.json()
    assert body["ok"] and body["message"]["blocks"] == blocks
    call = emulator.calls[-1]
    assert call.args["blocks"] == blocks and call.args["unfurl_links"] is False
    assert "token" not in call.args
    assert call.unknown_args == (("made_up_arg",) if emulator.schema_validation else ())
    assert emulator.last_message(channel).blocks == blocks


async def test_wrong_argument_types_are_rejected_with_specs(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    if not emulator.schema_validation:
        pytest.skip("spec files not available")
    channel = emulator.add_channel("general")
    with pytest.raises(SlackApiError) as err:
        await client.conversations_history(channel=channel, limit="lots")
    assert err.value.response["error"] == "invalid_arguments"
    assert "json-pointer:/limit" in err.value.response["response_metadata"]["messages"][0]
