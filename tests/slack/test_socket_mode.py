"""Socket Mode's own edge: malformed frames and envelopes, Slack's redeliveries, busy answers,
reconnects, shutdown, a refused token and /healthz. The stories themselves run over both
transports elsewhere (test_lifecycle, test_edge, test_declare)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from sqlmodel import select

from bot.background import BUSY
from storage.models import Incident
from tests.conftest import ALICE, GENERAL, running_bot
from tests.handlers.test_busy import CAPACITY, fill
from tests.slack.flows import DEFAULT_FORM, declare, open_declare_form

pytestmark = pytest.mark.parametrize("transport", ["socket"])
# The transport's own checks run on SQLite; what the database keeps (idempotency) runs on both.
TRANSPORT_ONLY = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def mention(ts: str) -> dict:
    return {"type": "app_mention", "user": ALICE, "channel": GENERAL, "ts": ts, "text": "<@UBOTEMULATR> hi"}


def replies(slack, ts: str) -> list:
    return [m for m in slack.messages(GENERAL) if m.thread_ts == ts]


async def health(bot) -> dict:
    async with bot.session.get(bot.base_url + "/healthz") as response:
        assert response.status == 200
        return await response.json()


async def until(condition, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


FRAMES = [
    "not json",
    "[1, 2]",
    "[" * 200_000,
    "{" + '"a":{' * 100_000,
    '{"type": 5, "envelope_id": "E-type"}',
    json.dumps({"type": "slash_commands", "envelope_id": "E-list", "payload": [1, 2]}),
    json.dumps({"type": "events_api", "envelope_id": "E-deep", "payload": nested(60)}),
    json.dumps({"type": "interactive", "envelope_id": "E-big", "payload": {"text": "x" * 2_000_000}}),
]
PAYLOADS = [  # well-formed envelopes whose payloads do not fit their kind
    ("interactive", {"type": "block_actions", "user": {"id": 5}, "actions": []}),
    ("interactive", {"type": "view_submission", "user": {"id": ALICE}, "view": "not a view"}),
    ("events_api", {"type": "event_callback", "event_id": "Ev1", "event": {"type": "app_mention"}}),
    ("slash_commands", {"command": "/incident", "text": ["help"], "user_id": ALICE}),
]


@TRANSPORT_ONLY
async def test_malformed_frames_and_payloads_are_refused_and_the_socket_keeps_working(bot, slack, caplog):
    sm = slack.socket_mode
    await bot.settle()  # start-up work has finished
    for frame in FRAMES:
        await sm.send_raw(frame)
    for kind, payload in PAYLOADS:
        ack = await sm.deliver(kind, payload, max_retries=0)
        assert ack is not None and ack.payload is None, (kind, payload)  # acked with nothing

    assert sorted(json.loads(frame)["envelope_id"] for frame in sm.unreadable) == ["E-deep", "E-list"]
    assert bot.core.tracker.busy == 0 and slack.calls_to("chat.postMessage") == []  # nothing ran
    reply = await bot.command("help", user=ALICE, channel=GENERAL)
    assert reply.status == 200 and "/incident" in str(slack.responses()[-1])
    assert len(sm.closed) == 0 and (await health(bot))["socket_mode"] == "connected"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "refused, not crashed"
    async with bot.session.get(bot.metrics_url) as response:
        counted = await response.text()
    assert 'incident_comms_requests_total{kind="block_actions",status="400"} 1.0' in counted
    assert 'incident_comms_requests_total{kind="unknown",status="400"} 8.0' in counted  # the frames


async def test_slacks_own_redeliveries_of_an_event_and_a_form_are_handled_once(bot, slack):
    view = await open_declare_form(bot)
    slack.socket_mode.ack_timeout = 0  # every attempt goes out before the first ack can come back

    await slack.socket_mode.deliver("events_api", {**_callback("EvTWICE"), "event": mention("1.000100")})
    await bot.submit(view, DEFAULT_FORM, user=ALICE)
    await bot.settle()

    retried = [s.envelope["type"] for s in slack.socket_mode.sent if s.envelope["retry_attempt"] > 0]
    assert set(retried) == {"events_api", "interactive"}, "both were delivered more than once"
    assert len(replies(slack, "1.000100")) == 1
    async with bot.core.db.read() as session:
        assert len((await session.exec(select(Incident))).all()) == 1
    assert len([c for c in slack.calls_to("conversations.create") if c.ok]) == 1


def _callback(event_id: str) -> dict:
    return {
        "type": "event_callback",
        "event_id": event_id,
        "team_id": "T0EMULATOR",
        "api_app_id": "A0INCIDENT",
    }


@TRANSPORT_ONLY
async def test_at_capacity_a_command_is_answered_busy_and_an_event_waits_for_a_redelivery(
    slack, database_url, clock, policy, transport
):
    async with running_bot(
        slack, database_url, clock, policy, transport, MAX_BACKGROUND_TASKS=str(CAPACITY)
    ) as bot:
        release, finished = await fill(bot)
        reply = await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL, settle=False)
        assert reply.json() == {"response_type": "ephemeral", "text": BUSY} and slack.opened_views == []

        slack.socket_mode.ack_timeout = 0.2
        first = await slack.socket_mode.deliver(
            "events_api", {**_callback("EvBUSY"), "event": mention("2.0001")}, max_retries=0
        )
        assert first is None, "not acknowledged, so Slack delivers it again"
        release.set()
        await bot.settle()
        again = await slack.socket_mode.deliver(
            "events_api", {**_callback("EvBUSY"), "event": mention("2.0001")}
        )
        await bot.settle()
        assert again is not None and len(replies(slack, "2.0001")) == 1 and len(finished) == CAPACITY


async def test_a_refresh_reconnects_and_no_request_is_lost_or_doubled(bot, slack):
    sm = slack.socket_mode
    sm.ack_timeout = 0.3  # an envelope the old connection dropped comes again sooner
    await sm.disconnect("refresh_requested")  # the app replaces its connection while requests arrive
    deliveries = [
        sm.deliver("events_api", {**_callback(f"EvR{n}"), "event": mention(f"3.{n:06d}")}) for n in range(6)
    ]
    acks = await asyncio.gather(*deliveries)
    await bot.settle()

    assert all(acks) and [len(replies(slack, f"3.{n:06d}")) for n in range(6)] == [1] * 6
    await until(lambda: len(sm.closed) == 1 and len(sm.connections) == 1)
    assert sm.closed[0].close_code == 1000, "the app closed the old connection itself"
    assert len(slack.calls_to("apps.connections.open")) == 2
    await declare(bot)  # the new connection carries the whole story
    assert (await health(bot))["socket_mode"] == "connected"


@TRANSPORT_ONLY
async def test_a_connection_slack_closes_is_replaced(bot, slack):
    await slack.socket_mode.close_all()

    await slack.socket_mode.wait_for_connections(1)
    assert len(slack.calls_to("apps.connections.open")) == 2
    assert (await bot.command("help", user=ALICE, channel=GENERAL)).status == 200
    assert (await health(bot))["socket_mode"] == "connected"


@TRANSPORT_ONLY
async def test_healthz_says_disconnected_while_slack_cannot_be_reached(bot, slack):
    slack.fail_next("apps.connections.open", "internal_error", times=1_000)
    await slack.socket_mode.close_all()

    async with asyncio.timeout(5):
        while (await health(bot))["socket_mode"] != "disconnected":
            await asyncio.sleep(0.05)


@TRANSPORT_ONLY
async def test_shutdown_closes_the_socket_cleanly_and_does_not_reconnect(
    slack, database_url, clock, policy, transport
):
    async with running_bot(slack, database_url, clock, policy, transport) as bot:
        await bot.command("help", user=ALICE, channel=GENERAL)
        async with bot.session.post(bot.base_url + "/slack/events", data="command=%2Fincident") as response:
            assert response.status == 404, "without a signing secret there is no HTTP endpoint to forge"

    await until(lambda: len(slack.socket_mode.closed) == 1)
    assert slack.socket_mode.connections == [] and slack.socket_mode.closed[0].close_code == 1000
    await asyncio.sleep(0.2)
    assert len(slack.calls_to("apps.connections.open")) == 1


@TRANSPORT_ONLY
async def test_a_refused_app_token_stops_start_up_naming_it(slack, database_url, clock, policy, transport):
    with pytest.raises(Exception, match="SLACK_APP_TOKEN was refused by Slack \\(invalid_auth\\)"):
        async with running_bot(slack, database_url, clock, policy, transport, SLACK_APP_TOKEN="xapp-1-wrong"):
            pass
    assert slack.socket_mode.connections == []


async def test_two_instances_share_the_envelopes_and_a_redelivery_to_the_other_is_skipped(
    slack, database_url, clock, policy, transport
):
    async with (
        running_bot(slack, database_url, clock, policy, transport) as one,
        running_bot(slack, database_url, clock, policy, transport) as other,
    ):
        await slack.socket_mode.wait_for_connections(2)
        slack.socket_mode.ack_timeout = 0  # each event goes out 4 times, taking turns between the two
        for n in range(4):
            await slack.socket_mode.deliver(
                "events_api", {**_callback(f"EvI{n}"), "event": mention(f"4.{n:06d}")}
            )
        await one.settle()
        await other.settle()

    assert {sent.connection for sent in slack.socket_mode.sent} == {1, 2}
    assert [len(replies(slack, f"4.{n:06d}")) for n in range(4)] == [1] * 4
