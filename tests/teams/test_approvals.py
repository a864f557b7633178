"""Approval cards on Teams: Action.Execute, decided on the server, refreshed in place."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import write_policy
from tests.teams.test_declare import ALICE, THREAD, open_dialog, submit

BOB, CAROL = "aad-bob", "aad-carol"


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}", "msteams:{ALICE}"]\n')


async def declared(teams):
    await open_dialog(teams)
    await submit(teams)
    card = next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts())
    return card


async def click(teams, posted, title: str, *, user: str):
    action = next(a for a in posted.card["actions"] if a["title"] == title)
    assert action["type"] == "Action.Execute"
    value = {
        "action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]},
        "trigger": "manual",
    }
    reply = await teams.invoke("adaptiveCard/action", value, user=user, conversation=THREAD)
    assert reply.status == 200
    await teams.settle()
    return reply.body


async def test_an_approver_approves_and_the_card_is_refreshed_in_place(teams):
    posted = await declared(teams)

    body = await click(teams, posted, "Approve", user=BOB)

    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert posted.edits, "the posted card was edited in place"
    assert "Approve" not in [a["title"] for a in posted.card.get("actions", [])]
    assert "Status: 📣 Published" in posted.texts()
    assert "Approvals: 1 of 1: <at>aad-bob</at>" in posted.texts()
    published = teams.connector.last(THREAD)
    assert published.activity["summary"] == "INC-1 · Initial notice: Checkout errors in EU"
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(body["value"])


async def test_authors_cannot_approve_their_own_draft(teams):
    posted = await declared(teams)

    body = await click(teams, posted, "Approve", user=ALICE)

    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "Authors cannot approve their own draft" in body["value"]
    assert posted.edits == []


async def test_only_approvers_from_the_policy_can_approve(teams):
    posted = await declared(teams)

    body = await click(teams, posted, "Approve", user=CAROL)

    assert body["value"].startswith("Only approvers (aad-bob, aad-alice)")
    assert posted.edits == []


async def reject_dialog(teams, posted, *, user: str) -> dict:
    button = next(a for a in posted.card["actions"] if a["title"] == "Reject")
    assert button["type"] == "Action.Submit" and button["data"]["msteams"] == {"type": "task/fetch"}
    reply = await teams.invoke("task/fetch", {"data": button["data"]}, user=user, conversation=THREAD)
    return reply.body["task"]["value"]["card"]["content"]


async def submit_reason(teams, form: dict, reason: str, *, user: str) -> dict:
    [action] = form["actions"]
    data = {**action["data"], "reason": reason}
    reply = await teams.invoke("task/submit", {"data": data}, user=user, conversation=THREAD)
    await teams.settle()
    return reply.body


async def test_reject_asks_for_a_reason_in_a_dialog_and_the_author_sees_it(teams):
    posted = await declared(teams)
    form = await reject_dialog(teams, posted, user=BOB)

    empty = await submit_reason(teams, form, "  ", user=BOB)
    body = await submit_reason(teams, form, "Say which regions are affected.", user=BOB)

    [error] = [e["text"] for e in empty["task"]["value"]["card"]["content"]["body"] if e.get("color")]
    assert error == "Tell the author why, so they can fix it."
    assert body["task"]["type"] == "message" and body["task"]["value"].startswith("Rejected")
    assert "Rejected" in posted.texts()
    assert "Say which regions are affected." in teams.connector.last(THREAD).texts()


async def test_only_approvers_can_reject(teams):
    posted = await declared(teams)
    form = await reject_dialog(teams, posted, user=CAROL)

    body = await submit_reason(teams, form, "No.", user=CAROL)

    assert body["task"]["value"].startswith("Only approvers")
    assert posted.edits == []


async def test_clients_without_action_execute_use_the_submit_fallback(teams):
    posted = await declared(teams)
    approve = next(a for a in posted.card["actions"] if a["title"] == "Approve")
    fallback = approve["fallback"]
    assert fallback["type"] == "Action.Submit"

    for user in (ALICE, BOB):  # the author is refused in the conversation, then an approver approves
        activity = teams.activity(
            "message", user=user, conversation=THREAD, conversation_type="channel", value=fallback["data"]
        )
        assert (await teams.send(activity)).status == 200

    assert "Authors cannot approve their own draft" in "\n".join(
        p.texts() for p in teams.connector.messages(THREAD)
    )
    assert "Status: 📣 Published" in posted.texts()


async def test_the_click_is_answered_before_publishing_which_runs_afterwards(teams):
    posted = await declared(teams)
    release = teams.connector.hold_posts()  # the connector takes its time with new messages
    before = len(teams.connector.posted)
    action = next(a for a in posted.card["actions"] if a["title"] == "Approve")
    value = {"action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]}}

    reply = await asyncio.wait_for(
        teams.invoke("adaptiveCard/action", value, user=BOB, conversation=THREAD), timeout=10
    )

    assert reply.status == 200 and "Approved" in str(reply.body["value"])
    assert len(teams.connector.posted) == before, "nothing published yet: Teams got its answer first"
    release.set()
    await teams.settle()
    assert "Status: 📣 Published" in posted.texts()
    assert teams.connector.last(THREAD).activity["summary"] == "INC-1 · Initial notice: Checkout errors in EU"
