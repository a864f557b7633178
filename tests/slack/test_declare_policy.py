"""Declaring under a policy with a responder group and an announcements channel."""

from __future__ import annotations

import pytest

from tests.conftest import ANNOUNCE, DAVE, ERIN
from tests.policies import make_policy
from tests.slack.flows import channel_of, declare


async def test_private_incident_gets_a_private_channel_and_no_announcement(bot, slack):
    await declare(bot, "Security review of payroll export", visibility="private")

    channel = channel_of(bot)
    assert channel.is_private
    assert slack.messages(ANNOUNCE) == []


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        incident={"responder_group": "incident-responders"},
        channels={"approvals": None, "announcements": ANNOUNCE},
        approvals=None,
    )


async def test_responder_group_is_invited_and_the_incident_announced(bot, slack):
    await declare(bot)

    channel = channel_of(bot)
    assert {DAVE, ERIN} <= channel.members
    [announcement] = slack.messages(ANNOUNCE)
    assert "Checkout errors in EU" in announcement.text or "Checkout errors in EU" in slack.transcript(
        ANNOUNCE
    )
    assert "#inc-1-checkout-errors-in-eu" in slack.transcript(ANNOUNCE)  # a channel link, shown by name
