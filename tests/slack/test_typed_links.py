"""A link someone typed is never live or relabelled in Slack; the bot's own links are."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import channel_of
from tests.typed_links import EVIL, SHOWN, SPOOF, declare_spoofed, relabelled

UPDATES = "CUPDATES"
PORTAL = "https://support.example.com/help"
OWN_ROUTE = f"Contact us through [our support portal]({PORTAL})."


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        approvals={"approvers": [ALICE, BOB, CAROL]},
        messages={"support_route": OWN_ROUTE},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", UPDATES)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


def shown_only(value):
    """`value` without form inputs' initial values: a form gives back what its user typed."""
    if isinstance(value, dict):
        return {k: shown_only(v) for k, v in value.items() if k != "initial_value"}
    return [shown_only(v) for v in value] if isinstance(value, list) else value


def everything_posted(slack) -> str:
    """Every message, topic, purpose, view and DM the bot sent, as Slack received them."""
    methods = (
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "conversations.setTopic",
        "conversations.setPurpose",
        "views.open",
        "views.publish",
        "views.update",
    )
    return json.dumps(shown_only([call.args for method in methods for call in slack.calls_to(method)]))


async def test_a_typed_link_reads_as_its_label_and_url_on_every_slack_surface(bot, slack):
    await declare_spoofed(bot)
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)
    await bot.command("status", user=ALICE, channel=channel_of(bot).id)

    posted = everything_posted(slack)
    assert EVIL in posted and not relabelled(posted)
    [published] = slack.messages(UPDATES)
    assert SHOWN in str(published.blocks) and SPOOF not in str(published.blocks)
    assert SHOWN in str(slack.messages(APPROVALS)[-1].blocks)
    posts = [call.args for call in slack.calls_to("chat.postMessage")]
    assert all(args["unfurl_links"] is False and args["unfurl_media"] is False for args in posts)


async def test_the_policys_support_route_link_is_live_and_a_typed_one_is_not(bot, slack):
    await declare_spoofed(bot)
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)
    assert f"<{PORTAL}|our support portal>" in str(slack.messages(UPDATES)[-1].blocks)

    channel = channel_of(bot).id
    slack.join(channel, CAROL)
    await bot.command("update", user=CAROL, channel=channel)
    await bot.submit(
        slack.opened_views[-1].view,
        {"audience": "customer:customers", "support_route": f"Reset your password: {SPOOF}"},
        user=CAROL,
    )
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)

    update = str(slack.messages(UPDATES)[-1].blocks)
    assert SHOWN in update and not relabelled(update) and PORTAL not in update
