"""Channels of resolved incidents are archived after the policy's number of days (default: never)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.sweeps import cadence_sweep
from tests.conftest import ALICE
from tests.policies import make_policy
from tests.resolution.test_resolve import resolve
from tests.slack.flows import channel_of, declare


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, resolution={"archive_after_days": 3})


async def test_the_channel_is_archived_once_after_the_policy_days(bot, slack, clock):
    await declare(bot)
    channel = channel_of(bot).id
    await resolve(bot, channel, user=ALICE)
    resolved_at = (await bot.core.incidents.get(1)).resolved_at

    await cadence_sweep(bot.core, resolved_at + timedelta(days=2, hours=23))
    assert not slack.channel(channel).is_archived
    await cadence_sweep(bot.core, resolved_at + timedelta(days=3, minutes=1))
    await cadence_sweep(bot.core, resolved_at + timedelta(days=3, minutes=5))

    assert slack.channel(channel).is_archived
    assert len(slack.calls_to("conversations.archive")) == 1
    assert (await bot.core.incidents.get(1)).archived_at is not None
