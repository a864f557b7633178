"""The emulators' latency model: off by default, seeded, and felt by every Web API answer."""

from __future__ import annotations

import time

import aiohttp
import pytest

from emulator.slack import SlackEmulator
from emulator.slack.latency import Latency
from emulator.teams.connector import FakeConnector


def test_draws_are_seeded_and_never_negative() -> None:
    first, again = Latency.parse("120ms±40ms", seed=7), Latency.parse("120ms+-40ms", seed=7)
    draws = [first.draw() for _ in range(500)]
    assert draws == [again.draw() for _ in range(500)]
    assert min(draws) >= 0 and 0.11 < sum(draws) / len(draws) < 0.13
    assert Latency.parse("80ms").draw() == 0.08 and Latency.parse(None) is None
    with pytest.raises(ValueError, match="120ms±40ms"):
        Latency.parse("fast")


async def _timed(url: str, **kwargs) -> float:
    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        async with session.post(url, **kwargs) as answer:
            await answer.read()
        return time.perf_counter() - started


async def test_the_slack_emulator_answers_late_only_when_asked() -> None:
    async with SlackEmulator(latency="150ms") as slow, SlackEmulator() as fast:
        headers = {"Authorization": "Bearer xoxb-emulator"}
        assert await _timed(slow.api_url + "auth.test", headers=headers) >= 0.15
        assert await _timed(fast.api_url + "auth.test", headers=headers) < 0.1


async def test_the_teams_connector_answers_late() -> None:
    connector = FakeConnector()
    connector.latency = Latency.parse("150ms")
    await connector.start()
    try:
        url = connector.service_url + "v3/conversations/a:x/activities"
        assert await _timed(url, json={"type": "message"}, headers={"Authorization": "Bearer t"}) >= 0.15
    finally:
        await connector.stop()
