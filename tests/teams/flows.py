"""Steps the Teams lifecycle tests share: a declared incident, a dialog opened and submitted."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.models import FollowUp
from tests.teams.test_declare import ALICE, THREAD, open_dialog, submit


async def declared(teams, **fields) -> None:
    await open_dialog(teams)
    await submit(teams, **fields)


def button(posted, title: str) -> dict[str, Any]:
    """A card's button by title, wherever it is (the card's actions or an item's ActionSet)."""
    found: list[dict[str, Any]] = list(posted.card.get("actions", []))
    for element in posted.card["body"]:
        if element["type"] == "ActionSet":
            found += element["actions"]
    return next(a for a in found if a["title"] == title)


async def open_from(teams, action: dict[str, Any], *, user: str = ALICE) -> dict[str, Any]:
    """Click a button that opens a dialog (`task/fetch`); the dialog's answer."""
    assert action["type"] == "Action.Submit" and action["data"]["msteams"] == {"type": "task/fetch"}
    reply = await teams.invoke("task/fetch", {"data": action["data"]}, user=user, conversation=THREAD)
    assert reply.status == 200
    return reply.body


def form_of(answer: dict[str, Any]) -> dict[str, Any]:
    return answer["task"]["value"]["card"]["content"]


def filled(form: dict[str, Any], **values: str) -> dict[str, Any]:
    """What Teams submits: the submit button's data with every input's value (as shown, or typed)."""
    inputs = {e["id"]: e.get("value", "") for e in form["body"] if e["type"].startswith("Input.")}
    [action] = form["actions"]
    return {**inputs, **values, **action["data"]}


async def submit_form(teams, form: dict[str, Any], *, user: str = ALICE, **values: str) -> dict[str, Any]:
    data = filled(form, **values)
    reply = await teams.invoke("task/submit", {"data": data}, user=user, conversation=THREAD)
    assert reply.status == 200
    await teams.settle()
    return reply.body


def errors(answer: dict[str, Any]) -> list[str]:
    return [
        e["text"]
        for e in form_of(answer)["body"]
        if e["type"] == "TextBlock" and e.get("color") == "Attention"
    ]


async def command_dialog(teams, command: str, title: str, *, user: str = ALICE) -> dict[str, Any]:
    """A typed command answered with a button; the dialog that button opens."""
    await teams.message(command, user=user, conversation=THREAD)
    return form_of(await open_from(teams, button(teams.connector.last(THREAD), title), user=user))


async def follow_ups(teams) -> list[FollowUp]:
    async with teams.core.db.read() as session:
        return list((await session.exec(select(FollowUp).order_by(FollowUp.id))).all())
