"""The manifest's bot scopes are enough: a whole incident runs with exactly them and no call
is refused with `missing_scope` (the emulator checks each method's scopes as Slack does)."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import ALICE, BOB, CAROL, GENERAL
from tests.policies import APPROVALS, make_policy
from tests.resolution.test_resolve import resolve
from tests.slack.flows import channel_of, declare
from tests.specs import REPO

SCOPES = set(yaml.safe_load((REPO / "manifest.yml").read_text())["oauth_config"]["scopes"]["bot"])
UPDATES = "CUPDATES"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        roles={"cs_leads": [ALICE]},
        people={"link_domains": ["example.com"]},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", UPDATES)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])
    slack.set_scopes(SCOPES)


async def test_a_whole_incident_needs_no_scope_the_manifest_lacks(bot, slack):
    await declare(bot, commander=BOB)
    await declare(bot, "Payroll export leak", visibility="private")
    channel = channel_of(bot).id
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=CAROL)
    for command in ("roles", "status", "timeline", "export"):
        await bot.command(command, user=BOB, channel=channel)
    await bot.command("digest post", user=ALICE, channel=GENERAL)
    await bot.command("digest post", user=ALICE, channel=UPDATES)
    await resolve(bot, channel, user=BOB)

    refused = {
        (c.method, c.error) for c in slack.calls if c.error in ("missing_scope", "not_allowed_token_type")
    }
    assert refused == set()
    assert {"conversations.info", "users.info", "files.getUploadURLExternal"} <= {
        c.method for c in slack.calls
    }
