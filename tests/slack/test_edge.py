"""The HTTP edge: signatures, timestamps, malformed bodies, redelivered events."""

from __future__ import annotations

import json
import time

import pytest

from emulator.driver import sign
from tests.conftest import ALICE, GENERAL, TRANSPORTS


async def test_a_bad_signature_is_401(bot):
    body = "command=%2Fincident&text=help&user_id=UALICE"
    reply = await bot.post(body, "application/x-www-form-urlencoded", sign(body, secret="not-the-secret"))
    assert reply.status == 401


async def test_a_stale_timestamp_is_401(bot):
    body = "command=%2Fincident&text=help&user_id=UALICE"
    reply = await bot.post(
        body, "application/x-www-form-urlencoded", sign(body, timestamp=int(time.time()) - 600)
    )
    assert reply.status == 401


async def test_unsigned_garbage_is_401_not_500(bot):
    reply = await bot.post("\x00\xff{{{", "application/json", headers={})
    assert reply.status == 401


async def test_signed_malformed_bodies_are_400_not_500(bot):
    for body, kind in (
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ("payload=%5B%5D", "application/x-www-form-urlencoded"),
        ("", "application/json"),
    ):
        reply = await bot.post(body, kind, sign(body))
        assert reply.status == 400, (body, reply.status)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_redelivered_event_is_handled_once(bot, slack):
    event = {
        "type": "app_mention",
        "user": ALICE,
        "text": "<@UBOTEMULATR> help",
        "ts": "1700000000.000100",
        "channel": GENERAL,
        "event_ts": "1700000000.000100",
    }

    first = await bot.event(event, event_id="Ev0001")
    again = await bot.event(event, event_id="Ev0001", retry=1)

    assert first.status == again.status == 200
    replies = [m for m in slack.messages(GENERAL) if m.thread_ts == "1700000000.000100"]
    assert len(replies) == 1


async def test_url_verification_is_answered(bot):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    reply = await bot.post(body, "application/json", sign(body))
    assert reply.status == 200 and "abc123" in reply.text


async def test_healthz_and_metrics(bot):
    await bot.command("help", user=ALICE, channel=GENERAL)
    async with bot.session.get(bot.base_url + "/healthz") as response:
        assert response.status == 200 and (await response.json())["status"] == "ok"
    async with bot.session.get(bot.metrics_url) as response:
        text = await response.text()
    assert 'incident_comms_requests_total{kind="command",status="200"} 1.0' in text
    assert "incident_comms_ack_seconds_bucket" in text
    assert 'incident_comms_active_incidents{visibility="public"} 0.0' in text


async def test_a_garbled_timestamp_is_401_not_500(bot):
    body = "command=%2Fincident&text=help&user_id=UALICE"
    headers = {**sign(body), "X-Slack-Request-Timestamp": "not-a-number"}
    reply = await bot.post(body, "application/x-www-form-urlencoded", headers)
    assert reply.status == 401


async def test_signed_deeply_nested_json_is_400_not_500(bot):
    nested = "[" * 200_000
    for body, kind in (
        (nested, "application/json"),
        ("{" + '"a":' * 100_000 + "1", "application/json"),
        ("payload=" + "%5B" * 200_000, "application/x-www-form-urlencoded"),
    ):
        reply = await bot.post(body, kind, sign(body))
        assert reply.status == 400, (body[:20], reply.status)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_command_whose_text_says_payload_is_answered_like_any_other(bot, slack):
    reply = await bot.command("help payload service", user=ALICE, channel=GENERAL)

    assert reply.status == 200
    assert "/incident" in str(slack.responses()[-1]), "the help, not Bolt's 404 for a misparsed body"
