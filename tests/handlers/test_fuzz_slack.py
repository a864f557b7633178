"""POST /slack/events survives any payload: recorded payloads with one place broken, correctly
signed, never get a 5xx; every bad signature is a 401 that writes nothing; the app stays healthy."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from emulator.driver import sign
from storage.models import AuditEvent, ProcessedRequest
from tests.fuzzing import background_failures, encoded, live, mutated, recorded

RECORDED = recorded("slack.json")
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def body_of(kind: str, payload: Any, depth: int) -> tuple[str, str]:
    """The body and content type Slack would send for this (mutated) payload."""
    encoding = RECORDED[kind]["encoding"]
    if encoding == "json" or not isinstance(payload, dict):
        return encoded(payload, depth), "application/json"
    if encoding == "form_payload":
        return urlencode({"payload": encoded(payload, depth)}), "application/x-www-form-urlencoded"
    fields = {k: v if isinstance(v, str) else encoded(v, depth) for k, v in payload.items()}
    return urlencode(fields), "application/x-www-form-urlencoded"


mutations = st.sampled_from(sorted(RECORDED)).flatmap(
    lambda kind: st.tuples(
        st.just(kind), mutated(RECORDED[kind]["payload"]), st.sampled_from([2, 2_000, 100_000])
    )
)


async def post(bot, body: bytes, headers: dict[str, str]) -> int:
    async with bot.session.post(bot.url, data=body, headers=headers) as response:
        await response.read()
        return response.status


@FUZZ
@given(case=mutations)
async def test_a_signed_mutated_payload_never_gets_a_5xx_nor_crashes_its_work(bot, case):
    kind, payload, depth = case
    body, content_type = body_of(kind, live(payload, bot.slack.origin), depth)
    failed_before = background_failures(bot.core)

    status = await post(bot, body.encode(), {"Content-Type": content_type, **sign(body)})
    await bot.settle()

    assert status < 500, (kind, status, body[:300])
    assert background_failures(bot.core) == failed_before, (kind, body[:300])


def _bad_headers(variant: str, body: str) -> dict[str, str]:
    good, now = sign(body), int(time.time())
    return {
        "missing": {},
        "wrong secret": sign(body, secret="not-the-secret"),
        "stale": sign(body, timestamp=now - 600),
        "future": sign(body, timestamp=now + 600),
        "garbled timestamp": {**good, "X-Slack-Request-Timestamp": "12ab"},
        "empty timestamp": {**good, "X-Slack-Request-Timestamp": ""},
        "huge timestamp": {**good, "X-Slack-Request-Timestamp": "9" * 400},
        "float timestamp": {**good, "X-Slack-Request-Timestamp": f"{now}.5"},
        "no version": {**good, "X-Slack-Signature": good["X-Slack-Signature"].removeprefix("v0=")},
        "other body": sign(body + " "),
        "empty signature": {**good, "X-Slack-Signature": ""},
        "non-ASCII signature": {**good, "X-Slack-Signature": "v0=\u00e9"},
    }[variant]


bad_signatures = st.tuples(
    st.sampled_from(sorted(RECORDED)),
    st.sampled_from(
        [
            "missing",
            "wrong secret",
            "stale",
            "future",
            "garbled timestamp",
            "empty timestamp",
            "huge timestamp",
            "float timestamp",
            "no version",
            "other body",
            "empty signature",
            "non-ASCII signature",
        ]
    ),
    st.booleans(),  # flip a bit of the body after signing
)


async def written(bot) -> tuple[int, int]:
    async with bot.core.db.read() as session:
        audit = (await session.exec(select(func.count()).select_from(AuditEvent))).one()
        seen = (await session.exec(select(func.count()).select_from(ProcessedRequest))).one()
    return int(audit), int(seen)


@FUZZ
@given(case=bad_signatures)
async def test_every_bad_signature_is_a_401_that_writes_nothing(bot, case):
    kind, variant, flip = case
    body, content_type = body_of(kind, RECORDED[kind]["payload"], 2)
    headers = {"Content-Type": content_type, **_bad_headers(variant, body)}
    raw = body.encode()
    if flip:
        headers = {"Content-Type": content_type, **sign(body)}
        raw = bytes([raw[0] ^ 0x01]) + raw[1:]
    before = await written(bot)

    assert await post(bot, raw, headers) == 401, (kind, variant, flip)
    assert await written(bot) == before


async def test_invalid_utf8_and_odd_content_types_are_4xx_and_the_app_stays_healthy(bot):
    body, _ = body_of("command", RECORDED["command"]["payload"], 2)
    raw = body.encode() + b"\xff\xfe"
    for content_type in ("application/x-www-form-urlencoded", "text/plain", "application/json", ""):
        assert (
            400 <= await post(bot, raw, {"Content-Type": content_type, **sign(raw.decode("latin-1"))}) < 500
        )
    async with bot.session.get(bot.base_url + "/healthz") as response:
        assert response.status == 200
