"""What a Teams user looks at: Show status (a dialog), Redact on approval cards, the home card."""

from __future__ import annotations

import pytest

from emulator.teams.driver import personal_chat
from tests.conftest import write_policy
from tests.teams.flows import button, declared, open_from
from tests.teams.test_approvals import BOB, CAROL, click
from tests.teams.test_declare import ALICE, THREAD


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}"]\n')


def intro(teams):
    return next(p for p in teams.connector.messages(THREAD) if "Show status" in str(p.card))


async def test_show_status_opens_a_read_only_dialog_with_the_incidents_status(teams):
    await declared(teams)

    answer = await open_from(teams, button(intro(teams), "Show status"), user=CAROL)

    task = answer["task"]
    assert task["type"] == "continue" and task["value"]["title"] == "INC-1 status"
    card = task["value"]["card"]["content"]
    shown = str(card)
    assert "Checkout errors in EU" in shown and "SEV2" in shown
    assert "actions" not in card, "the dialog shows; the intro card keeps the buttons"
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(card)


async def test_show_status_of_a_private_incident_is_refused_to_someone_outside_it(teams):
    await declared(teams)
    forged = {**button(intro(teams), "Show status")}
    chat = personal_chat(CAROL)
    await teams.core.incidents.update_fields(1, visibility="private")

    reply = await teams.invoke(
        "task/fetch", {"data": forged["data"]}, user=CAROL, conversation=chat, conversation_type="personal"
    )

    assert reply.body["task"] == {
        "type": "message",
        "value": "Only the people running INC-1 can do that: it is a private incident.",
    }


async def test_redact_replaces_personal_data_in_a_new_version_on_the_card_in_place(teams):
    await declared(teams, customer_impact="Reported by jane.doe@gmail.com from 10.1.2.3: EU checkouts fail.")
    card = next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts())
    assert "jane.doe@gmail.com" in card.texts()

    body = await click(teams, card, "Redact personal data", user=ALICE)

    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "jane.doe@gmail.com" not in str(body["value"]) and "[redacted]" in str(body["value"])
    assert card.edits and "jane.doe@gmail.com" not in card.texts()
    await click(teams, card, "Approve", user=BOB)
    assert "Published" in card.texts()


async def test_home_lists_my_incidents_first_and_refreshes_for_whoever_looks(teams):
    await declared(teams)  # ALICE's incident
    await declared(teams, title="Search is slow", visibility="public")

    await teams.chat("home", user=ALICE)

    posted = teams.connector.last(personal_chat(ALICE))
    assert posted.card["refresh"]["action"]["verb"] == "home_refresh"
    text = posted.texts()
    assert "Incident dashboard" in text and "2 live incidents" in text
    assert text.index("Your incidents") < text.index("Checkout errors in EU")
    assert "Draft update" in str(posted.card) and "Open conversation" in str(posted.card)
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(posted.card)

    refresh = posted.card["refresh"]["action"]
    value = {
        "action": {"type": "Action.Execute", "verb": refresh["verb"], "data": refresh["data"]},
        "trigger": "automatic",
    }
    reply = await teams.invoke("adaptiveCard/action", value, user=CAROL, conversation=THREAD)

    carol_sees = str(reply.body["value"])
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Your incidents" not in carol_sees and "All live incidents" in carol_sees


async def test_home_in_a_channel_leaves_private_incidents_to_their_peoples_refreshed_view(teams):
    await declared(teams, title="Payroll export stuck")
    await teams.core.incidents.update_fields(1, visibility="private")

    await teams.message("incident home", user=ALICE, conversation=THREAD)

    posted = teams.connector.last(THREAD)
    assert (
        "Payroll export stuck" not in posted.texts()
        and "No incident customers were told about" in posted.texts()
    )
    refresh = posted.card["refresh"]["action"]
    value = {"action": {"type": "Action.Execute", "verb": refresh["verb"], "data": refresh["data"]}}
    mine = await teams.invoke("adaptiveCard/action", value, user=ALICE, conversation=THREAD)
    theirs = await teams.invoke("adaptiveCard/action", value, user=CAROL, conversation=THREAD)
    assert "Payroll export stuck" in str(mine.body["value"])
    assert "Payroll export stuck" not in str(theirs.body["value"])


async def test_help_names_home_and_declaring_by_title(teams):
    await teams.chat("help", user=ALICE)

    shown = teams.connector.last().texts()
    assert "incident home" in shown and "incident [title]" in shown


async def test_installing_the_app_personally_greets_with_the_help_and_the_dashboard(teams):
    chat = personal_chat(CAROL)
    added = teams.activity("installationUpdate", user=CAROL, conversation=chat, conversation_type="personal")

    reply = await teams.send({**added, "action": "add"})

    assert reply.status == 200
    help_card, home = teams.connector.messages(chat)
    assert "incident help" in help_card.texts() and "Incident dashboard" in home.texts()
