"""A follow-up nag whose post fails is tried again within minutes, reaches each target once,
and goes back to the normal cadence after a bounded number of quick retries (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.audit.trail import AuditAction, events_for
from bot.resolution.nag_records import QUICK_RETRIES
from bot.services.sweeps import cadence_sweep
from tests.conftest import BOB, DAVE
from tests.policies import make_policy
from tests.resolution.test_follow_ups import resolved_incident
from tests.resolution.test_resolve import follow_ups

MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, approvals={"approvers": [BOB, DAVE]})


def nags_in(slack, channel: str) -> list:
    return [m for m in slack.messages(channel) if "is still open" in f"{m.text} {m.blocks}"]


def nag_calls(slack, target: str) -> list:
    calls = slack.calls_to("chat.postMessage")
    return [c for c in calls if c.args["channel"] == target and "still open" in str(c.args)]


async def sweeps(bot, start, *offsets: timedelta) -> None:
    for offset in offsets:
        await cadence_sweep(bot.core, start + offset)


async def test_a_failed_nag_is_retried_within_a_minute_and_posted_once(bot, slack):
    channel = await resolved_incident(bot)
    [rca] = await follow_ups(bot)
    slack.fail_next("chat.postMessage")  # the channel's copy; the owner's DM goes through

    await sweeps(bot, rca.due_at, timedelta(0), MINUTE, 2 * MINUTE, timedelta(hours=1))

    assert len(nags_in(slack, channel)) == 1
    assert len(nag_calls(slack, BOB)) == 1  # the DM that went through is not sent again
    [item] = await follow_ups(bot)
    assert item.next_nag_at == rca.due_at + MINUTE + DAY  # the normal cadence, from the retry


async def test_a_nag_that_landed_before_its_error_is_not_posted_again(bot, slack):
    channel = await resolved_incident(bot)
    [rca] = await follow_ups(bot)
    slack.http_error_after("chat.postMessage", status=500)  # in the channel, then a 500

    await sweeps(bot, rca.due_at, timedelta(0), MINUTE, 2 * MINUTE)

    assert len(nags_in(slack, channel)) == 1
    assert len(nag_calls(slack, channel)) == 1  # found by its marker: no second post


async def test_quick_retries_are_bounded_then_the_normal_cadence_resumes(bot, slack):
    channel = await resolved_incident(bot)
    [rca] = await follow_ups(bot)
    tries = QUICK_RETRIES + 1
    slack.fail_next("chat.postMessage", times=2 * tries)  # the channel's copy and the DM, each try

    await sweeps(bot, rca.due_at, *(n * MINUTE for n in range(tries + 3)))
    assert not nags_in(slack, channel)
    assert len(nag_calls(slack, channel)) == len(nag_calls(slack, BOB)) == tries

    await sweeps(bot, rca.due_at, QUICK_RETRIES * MINUTE + DAY)
    assert len(nags_in(slack, channel)) == 1 and len(nag_calls(slack, BOB)) == tries + 1
    async with bot.core.db.read() as session:
        events = [e for e in await events_for(session, rca.incident_id) if "nag" in e.action]
    failed, nagged = AuditAction.FOLLOW_UP_NAG_FAILED, AuditAction.FOLLOW_UP_NAGGED
    assert [e.action for e in events] == [failed] * tries + [nagged]
    assert events[tries - 1].details["gave_up"] and events[0].details["failed"] == ["channel", "owner"]
