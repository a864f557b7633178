"""Update reminders as the incident channel sees them: heads-up, due, escalation; snooze, pause, resolve."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from storage.models import AuditEvent
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import make_policy
from tests.slack.flows import channel_of, declare

ESCALATIONS = "CESCALATE"
MINUTE = timedelta(minutes=1)


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels=None,
        reminders={"heads_up": "10m", "escalate_after": "15m", "escalation_channel": ESCALATIONS},
    )


@pytest.fixture(autouse=True)
def escalation_channel(slack):
    slack.add_channel("incident-escalations", channel_id=ESCALATIONS, members=[ALICE])


def reminders_in(slack, channel: str) -> list:
    return [m for m in slack.messages(channel) if m.text.startswith(("⏰", "🔔", "🚨", "🔁"))]


async def sweep_at(bot, clock, moment) -> int:
    clock.set(moment)
    return await bot.core.reminders.run()


async def declared(bot, clock, **fields):
    """SEV2 (cadence 1h) declared at 09:30: the initial notice is due at 10:30."""
    await declare(bot, commander=BOB, comms_owner=CAROL, **fields)
    return clock.now(), channel_of(bot).id


async def test_heads_up_then_due_then_escalation_each_once(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)

    assert await sweep_at(bot, clock, due - 11 * MINUTE) == 0
    assert await sweep_at(bot, clock, due - 10 * MINUTE) == 1
    assert await sweep_at(bot, clock, due - 9 * MINUTE) == 0
    [heads_up] = reminders_in(slack, channel)
    assert "<@UCAROL>, the initial customer notice for *INC-1* is due at 10:30 UTC (in 10m)" in str(
        heads_up.blocks
    )
    buttons = [b["text"]["text"] for b in heads_up.blocks[-2]["elements"]]
    assert buttons == ["Draft update", "Snooze 15m", "Snooze 30m", "Snooze 1h"]
    assert "No customer message has been published" in str(heads_up.blocks)

    assert await sweep_at(bot, clock, due) == 1
    nag = reminders_in(slack, channel)[-1]
    assert "<@UCAROL> <@UBOB>: the initial customer notice for *INC-1* is due now (since 10:30 UTC)" in str(
        nag.blocks
    )

    assert await sweep_at(bot, clock, due + 15 * MINUTE) == 2
    escalation = reminders_in(slack, channel)[-1]
    assert "<@UBOB>: the initial customer notice for *INC-1* is overdue" in str(escalation.blocks)
    [elsewhere] = reminders_in(slack, ESCALATIONS)
    assert f"<#{channel}>" in str(elsewhere.blocks) and "Snooze" not in str(elsewhere.blocks)

    assert await sweep_at(bot, clock, due + 16 * MINUTE) == 0  # the 15m repeat went with the escalation
    assert len(reminders_in(slack, channel)) == 3
    assert await sweep_at(bot, clock, due + 3 * timedelta(hours=1)) == 2  # missed repeats: only the latest
    assert await sweep_at(bot, clock, due + 3 * timedelta(hours=1)) == 0
    async with bot.core.db.read() as session:
        actions = [e.action for e in (await session.exec(select(AuditEvent))).all()]
    assert (
        actions.count(AuditAction.REMINDER_POSTED) == 4 and actions.count(AuditAction.REMINDER_ESCALATED) == 2
    )


async def test_a_late_sweep_sends_only_the_most_urgent_reminder(bot, slack, clock):
    start, channel = await declared(bot, clock)

    assert await sweep_at(bot, clock, start + timedelta(hours=2)) == 2  # escalation here and there

    assert [m.text[0] for m in reminders_in(slack, channel)] == ["🚨"]


async def test_a_published_update_moves_the_due_time_to_its_promise(bot, slack, clock):
    start, channel = await declared(bot, clock)
    clock.advance(10 * MINUTE)
    approval = [m for m in slack.messages(channel) if "Initial notice" in str(m.blocks)][-1]
    await bot.click(approval, "draft_approve", user=BOB)
    incident = await bot.core.incidents.get(1)
    promised = incident.next_update_due_at
    assert incident.due_promised and promised is not None and promised > start + timedelta(hours=1) - MINUTE

    assert await sweep_at(bot, clock, promised - 10 * MINUTE) == 1
    [heads_up] = reminders_in(slack, channel)
    assert "customer update #1 for *INC-1*" in str(heads_up.blocks)
    assert "Last customer update" in str(heads_up.blocks) and "Checkout errors" in str(heads_up.blocks)


async def test_snooze_quiets_reminders_then_sends_the_one_that_applies(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)
    await sweep_at(bot, clock, due - 10 * MINUTE)
    [heads_up] = reminders_in(slack, channel)

    await bot.click(heads_up, "reminders_snooze:30m", user=CAROL)

    assert "@carol snoozed update reminders for 30m (until 10:50 UTC)" in slack.transcript(channel)
    assert await sweep_at(bot, clock, due) == 0
    assert await sweep_at(bot, clock, due + 19 * MINUTE) == 0
    assert await sweep_at(bot, clock, due + 20 * MINUTE) == 2  # the escalation: it is 20m overdue
    assert [m.text[0] for m in reminders_in(slack, channel)] == ["⏰", "🚨"]
    async with bot.core.db.read() as session:
        snoozes = (
            await session.exec(select(AuditEvent).where(AuditEvent.action == "reminders.snoozed"))
        ).all()
    assert [(e.actor_id, e.details["until"]) for e in snoozes] == [(CAROL, (due + 20 * MINUTE).isoformat())]


async def test_pause_and_resume_from_the_incident_channel(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)

    await bot.command("pause", user=BOB, channel=channel)
    assert await sweep_at(bot, clock, due + 5 * MINUTE) == 0
    await bot.command("resume", user=BOB, channel=channel)
    assert await sweep_at(bot, clock, due + 5 * MINUTE) == 1

    assert "paused update reminders" in slack.transcript(channel)
    assert "resumed update reminders" in slack.transcript(channel)
    assert [m.text[0] for m in reminders_in(slack, channel)] == ["🔔"]


async def test_snooze_command_takes_a_duration_and_refuses_nonsense(bot, slack, clock):
    _, channel = await declared(bot, clock)

    await bot.command("snooze 45m", user=CAROL, channel=channel)
    await bot.command("snooze forever", user=CAROL, channel=channel)

    assert "snoozed update reminders for 45m (until 10:15 UTC)" in slack.transcript(channel)
    assert "is not a duration" in str(slack.responses()[-1])

    await bot.command("snooze 99999999999d", user=CAROL, channel=channel)

    assert "longer than any duration" in str(slack.responses()[-1]), "a clear answer, not an apology"


async def test_a_severity_change_recomputes_the_due_time(bot, slack, clock):
    start, channel = await declared(bot, clock)
    clock.advance(5 * MINUTE)

    await bot.command("edit", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"severity": "SEV1"}, user=ALICE)

    incident = await bot.core.incidents.get(1)
    assert incident.next_update_due_at == start + timedelta(minutes=30)  # SEV1 cadence from declaration
    assert await sweep_at(bot, clock, start + 20 * MINUTE) == 1


async def test_resolving_stops_every_reminder_even_one_due_that_second(bot, slack, clock):
    start, channel = await declared(bot, clock)
    due = start + timedelta(hours=1)
    clock.set(due)

    await bot.command("edit", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"status": "resolved"}, user=ALICE)

    for moment in (due, due + timedelta(hours=5)):
        assert await sweep_at(bot, clock, moment) == 0
    assert reminders_in(slack, channel) == []
    assert (await bot.core.incidents.get(1)).next_reminder_at is None


async def test_a_resolve_while_a_reminder_is_in_flight_edits_that_reminder(bot, slack, clock):
    start, channel = await declared(bot, clock)
    clock.set(start + timedelta(hours=1))
    held = slack.hold_next("chat.postMessage")
    sweep = asyncio.create_task(bot.core.reminders.run())
    await held.arrived.wait()  # the nag is in the channel; the sweep has not heard back yet

    await bot.command("edit", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"status": "resolved"}, user=ALICE)
    held.release()
    assert await sweep == 1

    [nag] = [m for m in slack.messages(channel) if "INC-1 was resolved" in str(m.blocks)]
    assert "INC-1 was resolved" in str(nag.blocks) and "Draft update" not in str(nag.blocks)


async def test_resolving_marks_the_reminders_already_posted(bot, slack, clock):
    start, channel = await declared(bot, clock)
    await sweep_at(bot, clock, start + timedelta(hours=1))

    await bot.command("edit", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"status": "resolved"}, user=ALICE)

    edited = [
        m for m in slack.messages(channel) if "this reminder (update due) no longer applies" in str(m.blocks)
    ]
    assert len(edited) == 1
