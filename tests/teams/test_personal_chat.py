"""A private incident run in a personal chat: Teams answers there with long `1:1…` activity ids."""

from __future__ import annotations

import pytest
from sqlmodel import select

from emulator.teams.driver import personal_chat
from storage.models import Draft, Incident
from tests.conftest import write_policy
from tests.teams.test_declare import ALICE, FORM

BOB = "aad-bob"


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}"]\n')


async def test_a_private_incident_in_a_personal_chat_keeps_its_long_message_ids_and_edits_in_place(teams):
    chat = personal_chat(ALICE)
    await teams.chat("incident declare Payroll export stuck", user=ALICE)
    [button] = teams.connector.last(chat).card["actions"]
    opened = await teams.invoke(
        "task/fetch", {"data": button["data"]}, user=ALICE, conversation=chat, conversation_type="personal"
    )
    assert opened.status == 200
    data = {**FORM, "title": "Payroll export stuck", "visibility": "private", "commander": ""}
    reply = await teams.invoke(
        "task/submit", {"data": data}, user=ALICE, conversation=chat, conversation_type="personal"
    )
    assert reply.status == 200
    await teams.settle()

    async with teams.core.db.read() as session:
        incident = (await session.exec(select(Incident))).one()
        draft = (await session.exec(select(Draft))).one()
    assert incident.intro_ts and incident.intro_ts.startswith("1:1") and len(incident.intro_ts) > 32
    assert draft.approval_ts and len(draft.approval_ts) > 32

    card = next(p for p in teams.connector.messages(chat) if p.activity_id == draft.approval_ts)
    approve = next(a for a in card.card["actions"] if a["title"] == "Approve")
    value = {"action": {"type": "Action.Execute", "verb": approve["verb"], "data": approve["data"]}}
    answer = await teams.invoke(
        "adaptiveCard/action", value, user=BOB, conversation=chat, conversation_type="personal"
    )
    await teams.settle()

    assert answer.status == 200
    assert card.edits, "the approval card (a 46-character id) was edited in place"
    assert "Published" in card.texts()
