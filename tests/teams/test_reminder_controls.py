"""Snooze, pause and resume from Teams: typed commands and the reminder card's Snooze buttons."""

from __future__ import annotations

from datetime import timedelta

from tests.teams.flows import declared
from tests.teams.test_declare import ALICE, THREAD


async def reminder(teams, clock):
    await declared(teams)
    clock.set(clock.now() + timedelta(hours=1))
    assert await teams.core.reminders.run() == 1
    await teams.settle()
    return teams.connector.last(THREAD)


async def test_the_reminder_cards_snooze_button_snoozes_and_tells_the_conversation(teams, clock):
    posted = await reminder(teams, clock)
    snooze = next(a for a in posted.card["actions"] if a["title"].startswith("Snooze"))
    assert snooze["type"] == "Action.Execute"

    value = {"action": {"type": "Action.Execute", "verb": snooze["verb"], "data": snooze["data"]}}
    reply = await teams.invoke("adaptiveCard/action", value, user=ALICE, conversation=THREAD)
    await teams.settle()

    assert reply.status == 200 and "snoozed update reminders" in reply.body["value"]
    assert (await teams.core.incidents.get(1)).snoozed_until is not None
    assert "snoozed update reminders" in teams.connector.last(THREAD).texts()


async def test_snooze_takes_a_length_and_pause_and_resume_turn_reminders_off_and_on(teams, clock):
    await declared(teams)

    await teams.message("snooze 30m", user=ALICE, conversation=THREAD)
    assert "snoozed update reminders for 30m" in teams.connector.last(THREAD).texts()
    await teams.message("pause", user=ALICE, conversation=THREAD)
    assert (await teams.core.incidents.get(1)).reminders_paused
    assert "`incident resume` turns them back on" in teams.connector.last(THREAD).texts()
    await teams.message("status", user=ALICE, conversation=THREAD)
    shown = teams.connector.last(THREAD).texts()
    assert "Reminders paused by " in shown and f"since {clock.now():%H:%M} UTC (`incident resume`)" in shown
    await teams.message("pause", user=ALICE, conversation=THREAD)
    assert "already paused" in teams.connector.last(THREAD).texts()
    await teams.message("resume", user=ALICE, conversation=THREAD)

    incident = await teams.core.incidents.get(1)
    assert not incident.reminders_paused and incident.snoozed_until is None
    assert "resumed update reminders" in teams.connector.last(THREAD).texts()


async def test_a_snooze_length_that_is_not_one_is_refused(teams):
    await declared(teams)

    await teams.message("snooze soon", user=ALICE, conversation=THREAD)

    assert (await teams.core.incidents.get(1)).snoozed_until is None
    assert teams.connector.last(THREAD).texts().startswith("snooze: ")
