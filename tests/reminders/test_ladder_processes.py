"""Repeats and the escalation ladder across a `kill -9`: real processes, real time, seconds-long cadences.

One instance runs until every incident's first ladder tier is out, is killed, and a second
instance (started once the dead one's leases would have run out) carries on to the second tier
and several repeats. Every reminder the database recorded is in Slack once (by its marker).
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

from sqlmodel import select

from bot.enums import ReminderStage
from storage.models import Reminder
from tests.faults.test_kill_at_each_step import time_passes
from tests.policies import policy_file
from tests.reminders.test_processes import free_port, instance, seed
from tests.serve_process import database_at

LADDER = "CLADDER"


def markers(slack) -> Counter[str]:
    found: Counter[str] = Counter()
    for channel_id in slack.workspace.channels:
        for message in slack.messages(channel_id):
            marker = ((message.metadata or {}).get("event_payload") or {}).get("marker") or ""
            if marker.startswith("reminder:"):
                found[marker] += 1
    return found


async def recorded(database_url: str) -> list[Reminder]:
    db = database_at(database_url)
    try:
        async with db.read() as session:
            return list((await session.exec(select(Reminder))).all())
    finally:
        await db.dispose()


def steps_posted(rows: list[Reminder], stage: ReminderStage, step: int | None = None) -> int:
    """How many incidents have this step posted in their incident channel."""
    return len(
        {
            r.incident_id
            for r in rows
            if r.stage == stage.value
            and (step is None or r.step == step)
            and r.message_ts
            and r.channel_id.startswith("CSEED")
        }
    )


async def test_a_kill_mid_ladder_loses_no_step_and_doubles_none(slack, sqlite_template, tmp_path):
    slack.add_channel("ladder", channel_id=LADDER, members=[])
    url = sqlite_template.fresh_url()
    policy = policy_file(
        tmp_path,
        "ladder-policy.toml",
        channels=None,
        approvals=None,
        severities={"SEV2": {"description": "Major", "cadence": "6s"}},
        reminders={
            "heads_up": "2s",
            "repeat_every": "2s",
            "sweep_interval": "1s",
            "escalation": [
                {"after": "1s", "notify": ["commander"]},
                {"after": "5s", "notify": [f"channel:{LADDER}"]},
            ],
        },
    )
    await seed(slack, url, policy, 3)

    with instance(slack, url, policy, free_port()) as first:
        await wait_for_rows(url, lambda rows: steps_posted(rows, ReminderStage.ESCALATION, 0) == 3, 40)
        first.send_signal(signal.SIGKILL)
        first.wait()
    await time_passes(url)
    with instance(slack, url, policy, free_port()):
        await wait_for_rows(
            url,
            lambda rows: (
                steps_posted(rows, ReminderStage.ESCALATION, 1) == 3
                and steps_posted(rows, ReminderStage.REPEAT) == 3
            ),
            40,
        )
        await asyncio.sleep(2)  # two more sweeps: anything posted twice would show now

    rows = await recorded(url)
    copies = markers(slack)
    posted = [r for r in rows if r.message_ts]
    assert [r.id for r in posted if copies[f"reminder:{r.id}"] != 1] == [], "each recorded reminder once"
    assert {m: n for m, n in copies.items() if n > 1} == {}
    assert len(slack.messages(LADDER)) == 3, "the second tier reached its channel once per incident"


async def wait_for_rows(url: str, condition, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not condition(await recorded(url)):
            await asyncio.sleep(0.3)
