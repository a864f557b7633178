"""A person of one platform shown on the other: a Teams user on a Slack card reads as their name
(Slack cannot mention a Teams user), looked up on the person's own platform."""

from __future__ import annotations

import pytest

from tests.conftest import BOB, write_policy
from tests.policies import APPROVALS
from tests.teams.test_declare import ALICE, open_dialog, submit

ALICE_NAME = "Alice Adams"


@pytest.fixture
def policy(tmp_path):
    return write_policy(
        tmp_path, f'[channels]\napprovals = "{APPROVALS}"\n[approvals]\napprovers = ["{BOB}"]\n'
    )


async def test_a_teams_author_is_named_on_a_slack_approval_card(teams, slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[BOB])
    teams.connector.members[ALICE] = {"id": f"29:{ALICE}", "aadObjectId": ALICE, "name": ALICE_NAME}

    await open_dialog(teams)
    await submit(teams)

    [card] = slack.messages(APPROVALS)
    shown = str(card.blocks)
    assert f"Drafted by*\\n{ALICE_NAME} · version 1" in shown and ALICE not in shown
