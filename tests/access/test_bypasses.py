"""Bypasses tried from the attacker's side: an edit racing an approval (interleaved
deterministically), and dialog data forged from another Teams chat for a public incident."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from emulator.teams.driver import personal_chat
from storage.models import AuditEvent, Draft
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import declare
from tests.teams.test_declare import ALICE as TEAMS_ALICE
from tests.teams.test_declare import FORM, THREAD

UPDATES = "CUPDATES"
RESOLVED = {"summary": "Rolled back.", "customer_text": "Payments work again."}


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path, channels={"customer_updates": [UPDATES]}, approvals={"approvers": ["approvers"]}
    )


@pytest.fixture(autouse=True)
def workspace(slack):
    slack.add_usergroup("SAPPROVERS", "approvers", [BOB, CAROL])
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, CAROL])
    slack.add_channel("customer-updates", channel_id=UPDATES, members=[ALICE, BOB])


async def draft(bot) -> Draft:
    async with bot.core.db.read() as session:
        return (await session.exec(select(Draft))).one()


async def until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never held")


def note(slack, user: str) -> str:
    return "\n".join(str(e.blocks) for e in slack.ephemerals(user=user))


async def test_an_edit_landing_while_an_approval_is_checked_is_never_approved_by_its_author(bot, slack):
    await declare(bot)  # version 1, by Alice
    card = slack.messages(APPROVALS)[-1]
    hold = slack.hold_next("usergroups.users.list")  # the approval's "is Carol an approver?" waits

    await bot.click(card, "draft_approve", user=CAROL, settle=False)
    await asyncio.wait_for(hold.arrived.wait(), 5)
    await bot.click(card, "draft_edit", user=CAROL, settle=False)  # meanwhile Carol rewrites it
    await until(lambda: _opened(slack))
    await bot.submit(slack.opened_views[-1].view, {"impact": "Only Visa fails."}, user=CAROL, settle=False)
    await until(lambda: _at_version(bot, 2))
    hold.release()
    await bot.settle()

    assert (await draft(bot)).status == "pending" and slack.messages(UPDATES) == []
    assert "now at version 2" in note(slack, CAROL) or "changed meanwhile" in note(slack, CAROL)
    async with bot.core.db.read() as session:
        approved = (
            await session.exec(
                select(AuditEvent).where(AuditEvent.action == AuditAction.MESSAGE_APPROVED.value)
            )
        ).all()
    assert approved == []
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=CAROL)
    assert "Authors cannot approve their own draft" in note(slack, CAROL)


async def _opened(slack) -> bool:
    return bool(slack.opened_views) and slack.opened_views[-1].view.get("callback_id") == "message_draft"


async def _at_version(bot, number: int) -> bool:
    return (await draft(bot)).version == number


async def test_dialog_data_forged_from_another_chat_cannot_resolve_a_public_incident(teams):
    await teams.invoke("task/submit", {"data": FORM}, user=TEAMS_ALICE, conversation=THREAD)
    await teams.settle()
    forged = {"data": {"dialog": "incident_resolve", "value": "1", **RESOLVED}}
    mallory = "aad-mallory"

    opened = await teams.invoke(
        "task/fetch", forged, user=mallory, conversation=personal_chat(mallory), conversation_type="personal"
    )
    submitted = await teams.invoke(
        "task/submit", forged, user=mallory, conversation=personal_chat(mallory), conversation_type="personal"
    )
    await teams.settle()

    for reply in (opened, submitted):
        assert reply.body["task"]["value"].startswith(
            "Only the commander, the comms owner and the reporter ("
        )
        assert "can resolve INC-1" in reply.body["task"]["value"]
    assert (await teams.core.incidents.get(1)).status != "resolved"
    opened = await teams.invoke("task/fetch", forged, user=TEAMS_ALICE, conversation=THREAD)
    assert opened.body["task"]["type"] == "continue"  # the commander gets the form
