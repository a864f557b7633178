"""Fixtures for the Slack emulator tests: a fresh emulator (real HTTP server) per test, and a real client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from emulator.slack import SlackEmulator

ALICE = "U0ALICE"
BOB = "U0BOB"


@pytest.fixture
async def emulator() -> AsyncIterator[SlackEmulator]:
    emu = SlackEmulator()
    emu.add_user(ALICE, "alice", real_name="Alice Example", email="alice@example.com")
    emu.add_user(BOB, "bob", email="bob@example.com")
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
def client(emulator: SlackEmulator) -> AsyncWebClient:
    return AsyncWebClient(token=emulator.bot_token, base_url=emulator.api_url)
