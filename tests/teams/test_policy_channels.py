"""A Teams-only team configures its channels in the policy by their Teams ids (`msteams:19:…`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import write_policy
from tests.teams.flows import declared
from tests.teams.test_approvals import BOB

APPROVALS = "19:approvals0000000000000000000000@thread.tacv2"
STATUS = "19:customerstatus00000000000000000@thread.tacv2"
DIGESTS = "19:cs-leads000000000000000000000000@thread.tacv2"
NINE_UTC = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def policy(tmp_path):
    return write_policy(
        tmp_path,
        f'[approvals]\napprovers = ["msteams:{BOB}"]\n'
        f'[channels]\napprovals = "msteams:{APPROVALS}"\ncustomer_updates = ["msteams:{STATUS}"]\n'
        f'[digests]\nchannel = "msteams:{DIGESTS}"\ntimezone = "UTC"\n'
        'schedules = { daily = "0 9 * * *" }\n',
    )


async def test_approval_cards_and_published_updates_go_to_the_teams_channels_the_policy_names(teams):
    await declared(teams)

    [card] = teams.connector.messages(APPROVALS)
    assert "Initial notice" in card.texts()
    approve = next(a for a in card.card["actions"] if a["title"] == "Approve")
    value = {"action": {"type": "Action.Execute", "verb": approve["verb"], "data": approve["data"]}}
    reply = await teams.invoke("adaptiveCard/action", value, user=BOB, conversation=APPROVALS)
    await teams.settle()

    assert reply.status == 200 and card.edits, "approved on the card, in place, in the approvals channel"
    [published] = teams.connector.messages(STATUS)
    assert "Checkout errors in EU" in published.texts()


async def test_the_scheduled_digest_reaches_the_teams_channel_the_policy_names(teams):
    await declared(teams)

    assert await teams.core.digests.post_scheduled("daily", NINE_UTC) == 1

    [digest] = teams.connector.messages(DIGESTS)
    assert "Checkout errors in EU" in digest.texts()
