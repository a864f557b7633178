"""One incident run end to end on Teams: declare, approve, publish, remind, update, resolve, follow up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.enums import DraftStatus, Stage
from storage.models import Draft
from tests.conftest import write_policy
from tests.teams.flows import button, declared, follow_ups, form_of, open_from, submit_form
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import ALICE, THREAD
from tests.teams.test_follow_ups import RCA
from tests.teams.test_resolution import resolve


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}"]\n')


async def approve_latest(teams, text: str) -> None:
    card = [p for p in teams.connector.messages(THREAD) if text in p.texts() and p.card.get("actions")][-1]
    await click(teams, card, "Approve", user=BOB)


async def stages(teams) -> dict[Stage, DraftStatus]:
    async with teams.core.db.read() as session:
        return {d.stage: d.status for d in (await session.exec(select(Draft))).all()}


async def test_an_incident_from_declaration_to_its_post_incident_message_on_teams(teams, clock):
    await declared(teams)
    await approve_latest(teams, "Initial notice for customers")
    assert (await stages(teams))[Stage.INITIAL] == DraftStatus.PUBLISHED

    clock.set(clock.now() + timedelta(hours=2))
    assert await teams.core.reminders.run() >= 1
    await teams.settle()
    reminder = teams.connector.last(THREAD)
    form = form_of(await open_from(teams, button(reminder, "Draft update")))
    await submit_form(teams, form, headline="Checkout recovers for most EU customers")
    await approve_latest(teams, "Checkout recovers for most EU customers")
    assert (await stages(teams))[Stage.UPDATE] == DraftStatus.PUBLISHED

    await resolve(teams)
    await approve_latest(teams, "Payments work normally again.")
    assert (await stages(teams))[Stage.RESOLVED] == DraftStatus.PUBLISHED

    await teams.message("followups", user=ALICE, conversation=THREAD)
    form = form_of(await open_from(teams, button(teams.connector.last(THREAD), "Complete")))
    await submit_form(teams, form, **RCA)
    await approve_latest(teams, RCA["root_cause"])

    assert (await stages(teams))[Stage.POST_INCIDENT] == DraftStatus.PUBLISHED
    assert [item.status for item in await follow_ups(teams)] == ["complete"]
    assert (await teams.core.incidents.get(1)).status == "resolved"
