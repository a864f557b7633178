"""Nag until resolved: repeats while overdue, the escalation ladder, pauses that end (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.policy.model import PolicyError
from tests.conftest import ALICE, BOB, CAROL, DAVE
from tests.policies import make_policy
from tests.reminders.test_reminders import declared, reminders_in, sweep_at

LEADS, PAGER = "CLEADS", "CPAGER"
MINUTE = timedelta(minutes=1)
LADDER = [
    {"after": "15m", "notify": ["commander"]},
    {"after": "45m", "notify": [f"channel:{LEADS}", "group:SRESPONDERS"]},
    {"after": "2h", "notify": ["admins", f"channel:{PAGER}"]},
]


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels=None,
        reminders={"heads_up": "10m", "repeat_every": "10m", "escalation": LADDER, "max_pause": "1h"},
        roles={"admins": [DAVE]},
    )


@pytest.fixture(autouse=True)
def ladder_channels(slack):
    slack.add_channel("cs-leads", channel_id=LEADS, members=[ALICE])
    slack.add_channel("pager", channel_id=PAGER, members=[ALICE])


def dms(slack, user: str) -> list:
    return [c for c in slack.calls_to("chat.postMessage") if c.ok and c.args.get("channel") == user]


async def test_an_overdue_update_is_repeated_until_published(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)
    assert await sweep_at(bot, clock, due) == 1
    [nag] = reminders_in(slack, channel)

    assert await sweep_at(bot, clock, due + 10 * MINUTE) == 2  # the channel (threaded) and the owner
    assert await sweep_at(bot, clock, due + 11 * MINUTE) == 0
    repeat = reminders_in(slack, channel)[-1]
    assert repeat.thread_ts == nag.ts and repeat.text.startswith("🔁")
    assert "is still overdue: due since 10:30 UTC, 10m ago" in str(repeat.blocks)
    assert "No customer message has been published" in str(repeat.blocks)
    assert len(dms(slack, CAROL)) == 1

    clock.set(due + 12 * MINUTE)
    approval = [m for m in slack.messages(channel) if "Initial notice" in str(m.blocks)][-1]
    await bot.click(approval, "draft_approve", user=BOB)  # its promise (10:30) has passed: refused
    assert "which has passed" in str(slack.ephemerals(user=BOB)[-1].blocks)
    await bot.click(approval, "draft_edit", user=ALICE)  # a new promise, then approved
    later = int((due + 45 * MINUTE).timestamp())
    await bot.submit(slack.opened_views[-1].view, {"next_update_at": later}, user=ALICE)
    approval = [m for m in slack.messages(channel) if "Initial notice" in str(m.blocks)][-1]
    await bot.click(approval, "draft_approve", user=BOB)
    incident = await bot.core.incidents.get(1)
    assert incident.next_update_due_at > clock.now() and incident.reminder_repeats == 0
    assert await sweep_at(bot, clock, due + 20 * MINUTE) == 0  # published: no more repeats


async def test_the_ladder_reaches_each_tier_once(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)
    await sweep_at(bot, clock, due)

    assert await sweep_at(bot, clock, due + 15 * MINUTE) == 1  # tier 1: the commander, here
    assert await sweep_at(bot, clock, due + 45 * MINUTE) == 2  # tier 2: here (the group) and CS leads
    assert "<!subteam^SRESPONDERS>" in str(reminders_in(slack, channel)[-1].blocks), "a user-group mention"
    assert await sweep_at(bot, clock, due + 2 * timedelta(hours=1)) == 3  # tier 3: here, admin DM, pager
    assert await sweep_at(bot, clock, due + 2 * timedelta(hours=1)) == 0
    for elsewhere in (LEADS, PAGER):
        assert len(reminders_in(slack, elsewhere)) == 1
    assert len(dms(slack, DAVE)) == 1
    assert await sweep_at(bot, clock, due + 2 * timedelta(hours=1) + 10 * MINUTE) == 2  # repeats go on
    assert len(reminders_in(slack, LEADS)) == 1


async def test_tiers_missed_while_paused_each_go_out_once_and_max_pause_ends_the_pause(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)
    clock.set(due - 5 * MINUTE)
    await bot.command("pause", user=BOB, channel=channel)

    assert await sweep_at(bot, clock, due + 50 * MINUTE) == 0
    assert await sweep_at(bot, clock, due + 55 * MINUTE) == 4  # the notice, tier 1, tier 2 (2 posts)
    assert "they are back on" in slack.transcript(channel)
    assert not (await bot.core.incidents.get(1)).reminders_paused
    assert await sweep_at(bot, clock, due + 56 * MINUTE) == 0
    assert len(reminders_in(slack, LEADS)) == 1


async def test_resolving_stops_repeats_at_once(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)
    await sweep_at(bot, clock, due)
    await sweep_at(bot, clock, due + 10 * MINUTE)

    await bot.command("edit", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"status": "resolved"}, user=ALICE)

    assert await sweep_at(bot, clock, due + 3 * timedelta(hours=1)) == 0
    assert (await bot.core.incidents.get(1)).next_reminder_at is None


async def test_a_private_incident_s_ladder_says_nothing_outside_its_channel(bot, slack, clock):
    start, _ = await declared(bot, clock, visibility="private")
    due = start + timedelta(hours=1)
    await sweep_at(bot, clock, due + 45 * MINUTE)

    [elsewhere] = reminders_in(slack, LEADS) or [m for m in slack.messages(LEADS)]
    assert "A private incident needs an update" in elsewhere.text
    assert "INC-1" not in str(elsewhere.blocks) and "Draft update" not in str(elsewhere.blocks)


def test_old_and_new_escalation_keys_together_are_a_load_error(tmp_path):
    with pytest.raises(PolicyError, match=r"reminders\.escalation replaces reminders\.escalate_after"):
        make_policy(tmp_path, reminders={"escalate_after": "10m", "escalation": LADDER})


def test_repeat_every_may_not_beat_the_sweep(tmp_path):
    with pytest.raises(PolicyError, match="repeat_every must not be shorter"):
        make_policy(tmp_path, reminders={"repeat_every": "1s", "sweep_interval": "5s"})
