"""Teams incidents get the core's proactive messages: reminders and a digest shared with Slack."""

from __future__ import annotations

from datetime import timedelta

from tests.slack.flows import declare as declare_on_slack
from tests.teams.test_declare import ALICE, THREAD, open_dialog, submit


async def test_a_due_update_reminder_reaches_the_teams_conversation_and_mentions_the_comms_owner(
    teams, clock
):
    await open_dialog(teams)
    await submit(teams)
    before = len(teams.connector.messages(THREAD))

    clock.set(clock.now() + timedelta(hours=1))
    assert await teams.core.reminders.run() == 1
    await teams.settle()

    [reminder] = teams.connector.messages(THREAD)[before:]
    assert "INC-1" in reminder.texts() and "due" in reminder.texts().lower()
    mentions = reminder.card["msteams"]["entities"]
    assert {
        "type": "mention",
        "text": f"<at>{ALICE}</at>",
        "mentioned": {"id": ALICE, "name": ALICE},
    } in mentions


async def test_one_incident_on_each_platform_share_one_digest(teams):
    await declare_on_slack(teams.slack_bot, title="Login failures on Slack side")
    await open_dialog(teams)
    await submit(teams, title="Checkout errors declared on Teams")

    await teams.chat("digest", user=ALICE)

    shown = teams.connector.last().texts()
    assert "Login failures on Slack side" in shown and "Checkout errors declared on Teams" in shown
    assert "its Slack channel" in shown  # Teams cannot link a Slack channel; it says where it is
