"""A restart finishes incident set-ups that a crash interrupted, exactly once."""

from __future__ import annotations

from datetime import timedelta

from bot.incidents.forms import parse_declare
from tests.conftest import ALICE
from tests.slack.flows import DEFAULT_FORM


async def test_an_interrupted_set_up_is_finished_once_after_a_restart(bot, slack, clock):
    core = bot.core
    form = parse_declare({**DEFAULT_FORM, "title": "Crashed mid-set-up"}, core.policy, ALICE)
    await core.incidents.declare(form, reporter_id=ALICE, origin_channel_id=None, source_key="V-crashed")
    clock.advance(timedelta(minutes=5))  # the process died before creating the channel

    first, second = await core.setup.resume_unfinished(), await core.setup.resume_unfinished()

    assert (first, second) == ([1], [])
    assert [c.args["name"] for c in slack.calls_to("conversations.create")] == ["inc-1-crashed-mid-set-up"]
    assert "INC-1" in str(slack.messages("inc-1-crashed-mid-set-up")[0].blocks)


async def test_a_recent_set_up_is_left_to_the_task_running_it(bot, slack):
    core = bot.core
    form = parse_declare(DEFAULT_FORM | {"title": "Just declared"}, core.policy, ALICE)
    await core.incidents.declare(form, reporter_id=ALICE, origin_channel_id=None, source_key="V-fresh")

    assert await core.setup.resume_unfinished() == []
    assert slack.calls_to("conversations.create") == []
