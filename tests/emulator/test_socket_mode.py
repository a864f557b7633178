"""The emulator's Socket Mode: the app-level token, hello, envelopes and acks, redelivery,
disconnect and several connections, seen from a plain WebSocket client playing the app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from emulator.slack import SlackEmulator

COMMAND = {
    "command": "/incident",
    "text": "help",
    "user_id": "U0ALICE",
    "channel_id": "C1",
    "trigger_id": "1.2",
}


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def open_socket(emulator: SlackEmulator, session: aiohttp.ClientSession):
    """apps.connections.open with the app-level token, then connect; returns (ws, hello)."""
    url = (
        await AsyncWebClient(base_url=emulator.api_url).apps_connections_open(
            app_token=emulator.socket_mode.app_token
        )
    )["url"]
    ws = await session.ws_connect(url)
    return ws, await ws.receive_json(timeout=2)


async def test_connections_open_takes_only_the_app_level_token(emulator: SlackEmulator) -> None:
    web = AsyncWebClient(base_url=emulator.api_url)
    for token, error in ((emulator.bot_token, "not_allowed_token_type"), ("xapp-1-other", "invalid_auth")):
        with pytest.raises(SlackApiError) as refused:
            await web.apps_connections_open(app_token=token)
        assert refused.value.response["error"] == error
    answer = await web.apps_connections_open(app_token=emulator.socket_mode.app_token)
    assert answer["url"].startswith(emulator.origin.replace("http://", "ws://") + "/link/?ticket=")
    assert [c.error for c in emulator.calls_to("apps.connections.open")] == [
        "not_allowed_token_type",
        "invalid_auth",
        None,
    ]


async def test_a_url_opens_one_connection_and_starts_with_hello(emulator, session) -> None:
    web = AsyncWebClient(base_url=emulator.api_url)
    url = (await web.apps_connections_open(app_token=emulator.socket_mode.app_token))["url"]
    ws = await session.ws_connect(url)
    hello = await ws.receive_json(timeout=2)
    assert hello["type"] == "hello" and hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": "A0INCIDENT"} and "host" in hello["debug_info"]
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await session.ws_connect(url)  # the ticket is used
    await ws.close()


async def test_an_envelope_is_acked_by_its_id_with_a_response_payload(emulator, session) -> None:
    ws, _ = await open_socket(emulator, session)
    delivery = asyncio.create_task(emulator.socket_mode.deliver("slash_commands", COMMAND))
    envelope = await ws.receive_json(timeout=2)
    assert envelope["type"] == "slash_commands" and envelope["payload"] == COMMAND
    assert envelope["accepts_response_payload"] is True
    assert (envelope["retry_attempt"], envelope["retry_reason"]) == (0, "")
    await ws.send_json({"envelope_id": "not-one-we-sent"})
    await ws.send_json({"envelope_id": envelope["envelope_id"], "payload": {"text": "Hi"}})
    ack = await delivery
    assert ack.payload == {"text": "Hi"} and ack.envelope_id == envelope["envelope_id"]
    assert emulator.socket_mode.unreadable == ['{"envelope_id": "not-one-we-sent"}']
    events = asyncio.create_task(emulator.socket_mode.deliver("events_api", {"type": "event_callback"}))
    assert (await ws.receive_json(timeout=2))["accepts_response_payload"] is False
    events.cancel()
    await ws.close()


async def test_a_late_ack_is_redelivered_with_the_attempt_and_reason(emulator, session) -> None:
    emulator.socket_mode.ack_timeout = 0.1
    ws, _ = await open_socket(emulator, session)
    delivery = asyncio.create_task(emulator.socket_mode.deliver("events_api", {"type": "event_callback"}))
    first = await ws.receive_json(timeout=2)
    second = await ws.receive_json(timeout=2)  # no ack within 0.1 s
    assert (second["retry_attempt"], second["retry_reason"]) == (1, "timeout")
    assert second["envelope_id"] != first["envelope_id"] and second["payload"] == first["payload"]
    await ws.send_json({"envelope_id": first["envelope_id"]})  # a late ack of either attempt settles it
    assert (await delivery).attempt == 0
    emulator.socket_mode.max_retries = 1
    assert await emulator.socket_mode.deliver("events_api", {"type": "event_callback"}) is None
    assert [s.envelope["retry_attempt"] for s in emulator.socket_mode.sent[-2:]] == [0, 1]
    await ws.close()


async def test_each_envelope_goes_to_one_connection_taking_turns(emulator, session) -> None:
    sockets = [(await open_socket(emulator, session))[0] for _ in range(2)]
    received: list[tuple[int, dict]] = []

    async def play_app(number: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            envelope = message.json()
            received.append((number, envelope["payload"]))
            await ws.send_json({"envelope_id": envelope["envelope_id"]})

    apps = [asyncio.create_task(play_app(n, ws)) for n, ws in enumerate(sockets, start=1)]
    acks = [
        await emulator.socket_mode.deliver("interactive", {"type": "block_actions", "n": n}) for n in range(4)
    ]
    assert [ack.connection for ack in acks] in ([1, 2, 1, 2], [2, 1, 2, 1])
    assert sorted(payload["n"] for _, payload in received) == [0, 1, 2, 3], "each envelope once"
    assert [number for number, _ in received] == [ack.connection for ack in acks]
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*apps)


async def test_disconnect_moves_new_envelopes_to_the_other_connection(emulator, session) -> None:
    old, _ = await open_socket(emulator, session)
    await emulator.socket_mode.disconnect("refresh_requested")
    assert await old.receive_json(timeout=2) == {
        "type": "disconnect",
        "reason": "refresh_requested",
        "debug_info": {"host": "applink-emulator"},
    }
    new, hello = await open_socket(emulator, session)
    assert hello["num_connections"] == 2
    delivery = asyncio.create_task(emulator.socket_mode.deliver("slash_commands", COMMAND))
    envelope = await new.receive_json(timeout=2)
    await old.send_json({"envelope_id": envelope["envelope_id"]})  # an ack may come over either
    assert (await delivery).connection == 1
    await old.close()
    await new.close()


async def test_a_warning_closes_the_connection_and_its_envelope_goes_elsewhere(emulator, session) -> None:
    emulator.socket_mode.ack_timeout = 0.5
    first, _ = await open_socket(emulator, session)
    await emulator.socket_mode.disconnect("warning", close_after=0.2)
    assert (await first.receive_json(timeout=2))["reason"] == "warning"
    delivery = asyncio.create_task(emulator.socket_mode.deliver("slash_commands", COMMAND))
    unanswered = await first.receive_json(timeout=2)  # the only connection, though it was warned
    assert (await first.receive(timeout=2)).type == aiohttp.WSMsgType.CLOSE
    second, _ = await open_socket(emulator, session)
    again = await second.receive_json(timeout=2)  # once ack_timeout has passed
    assert (again["retry_attempt"], again["payload"]) == (1, unanswered["payload"])
    await second.send_json({"envelope_id": again["envelope_id"]})
    assert (await delivery).attempt == 1
    assert [c.number for c in emulator.socket_mode.closed] == [1]
    await second.close()
